import { Release } from "@cdktf/provider-helm/lib/release";
import { Testing } from "cdktf";
import { HelmChartRelease, type HelmChartReleaseProps } from "../../../modules/helm/chart-release";
import { releaseNamed } from "../../support/chart-values";
import { synthScope } from "./helpers";

const props: HelmChartReleaseProps = {
  name: "web",
  namespace: "test",
  chart: { repository: "https://charts.example.com", chart: "web", version: "1.2.3" },
  values: { replicaCount: 2, nested: { key: "value" } },
};
const synth = (p: Partial<HelmChartReleaseProps> = {}) =>
  Testing.synthScope((scope) => {
    new HelmChartRelease(scope, "Chart", { ...props, ...p });
  });

describe("HelmChartRelease defaults", () => {
  test("atomic, waits for resources and jobs, cleans up on failure, bounded history", () => {
    expect(synth()).toHaveResourceWithProperties(Release, {
      name: "web",
      namespace: "test",
      repository: "https://charts.example.com",
      chart: "web",
      version: "1.2.3",
      atomic: true,
      wait: true,
      wait_for_jobs: true,
      cleanup_on_fail: true,
      create_namespace: false,
      timeout: 600,
      max_history: 10,
    });
  });

  test("values are typed data serialized as one YAML document", () => {
    const tf = synthScope((scope) => new HelmChartRelease(scope, "Chart", props));
    expect(releaseNamed(tf, "web").values).toEqual({ replicaCount: 2, nested: { key: "value" } });
  });

  test("a chart path (shipped asset) has no repository and no version", () => {
    const tf = synthScope(
      (scope) => new HelmChartRelease(scope, "Chart", { ...props, chart: { chart: "./assets/x" } }),
    );
    const r = releaseNamed(tf, "web");
    expect(r.repository).toBeUndefined();
    expect(r.version).toBeUndefined();
  });
});

describe("HelmChartRelease settings", () => {
  test("timeout and history from props", () => {
    expect(synth({ timeoutSeconds: 900, maxHistory: 3 })).toHaveResourceWithProperties(Release, {
      timeout: 900,
      max_history: 3,
    });
  });
});

describe("HelmChartRelease validation", () => {
  test("a release name over 53 characters", () => {
    expect(() => synth({ name: "a".repeat(54) })).toThrow(
      /Helm release name "a{54}" is 54 characters; it must be 1–53/,
    );
  });

  test("a release name that is not a DNS label", () => {
    expect(() => synth({ name: "Web_1" })).toThrow(/Helm release name "Web_1" may contain only/);
  });

  test("a namespace that is not a DNS label", () => {
    expect(() => synth({ namespace: "Team.A" })).toThrow(/namespace "Team.A" may contain only/);
  });

  test.each([undefined, "", "latest", "^1.2.0", "1.x", "~1.2"])(
    "a repository chart without a pinned version (%p)",
    (version) => {
      expect(() => synth({ chart: { ...props.chart, version } })).toThrow(
        /chart web from https:\/\/charts.example.com has no pinned version .*set an exact version/,
      );
    },
  );

  test("a timeout outside 60 s–4 h", () => {
    expect(() => synth({ timeoutSeconds: 10 })).toThrow(
      /timeoutSeconds \(10\) must be .* 60 to 14400 \(4 h\)/,
    );
    expect(() => synth({ timeoutSeconds: 14_401 })).toThrow(/timeoutSeconds \(14401\)/);
  });

  test("up to 4 h: a stateful release's first initialization (160 minutes in the seeds)", () => {
    expect(synth({ timeoutSeconds: 9600 })).toHaveResourceWithProperties(Release, {
      timeout: 9600,
    });
  });
});
