import {
  CloudNativePg,
  CLOUDNATIVE_PG_REPOSITORY,
  CLOUDNATIVE_PG_WEBHOOK_PORT,
} from "../../../modules/helm/cloudnative-pg";
import { factsFor, loadFacts } from "../../support/chart-facts";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { synthScope } from "./helpers";

const synth = () =>
  synthScope(
    (scope) =>
      new CloudNativePg(scope, "CloudNativePg", {
        namespace: "cnpg-system",
        labels: { environment: "test" },
      }),
  );

describe("CloudNativePg (operator and barman-cloud plugin)", () => {
  test("pinned charts from CloudNativePG's repository; every values key exists in them", () => {
    const tf = synth();
    const operator = releaseNamed(tf, "cloudnative-pg");
    const plugin = releaseNamed(tf, "plugin-barman-cloud");
    expect(operator).toMatchObject({
      chart: "cloudnative-pg",
      version: "0.29.0",
      repository: CLOUDNATIVE_PG_REPOSITORY,
    });
    expect(plugin).toMatchObject({ chart: "plugin-barman-cloud", version: "0.7.0" });
    expect(unknownValuePaths("cloudnative-pg", "0.29.0", operator.values)).toEqual([]);
    expect(unknownValuePaths("plugin-barman-cloud", "0.7.0", plugin.values)).toEqual([]);
    // The plugin is installed after the operator it registers with.
    expect(plugin.raw.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.CloudNativePg_Operator/)]),
    );
  });

  test("CRDs upgraded with the chart, resources set, the webhook port the facts name", () => {
    const { values } = releaseNamed(synth(), "cloudnative-pg");
    expect(values).toMatchObject({
      crds: { create: true },
      webhook: { port: CLOUDNATIVE_PG_WEBHOOK_PORT },
      resources: { requests: { cpu: "100m" }, limits: { memory: "512Mi" } },
    });
    const facts = factsFor(loadFacts(), "cloudnative-pg", "0.29.0")!;
    expect(facts.webhooks!.map((w) => w.port)).toEqual([
      CLOUDNATIVE_PG_WEBHOOK_PORT,
      CLOUDNATIVE_PG_WEBHOOK_PORT,
    ]);
  });
});
