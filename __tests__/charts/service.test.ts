/**
 * charts/service with the real helm binary: lint and render it with the values every
 * environment's apps layer synthesizes, and check the manifests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { realApp, type SynthesizedApp } from "../support/app";
import {
  applicationReleasesOf,
  releasesOf,
  type SynthesizedRelease,
} from "../support/chart-values";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { podSpecProblems, podSpecs } from "../support/pod-checks";

const CHART = path.join(__dirname, "..", "..", "charts", "service");
const available = helmBinary() !== undefined;
if (!available) {
  console.warn(`skipping chart tests: no helm binary (${helmUnavailableReason()})`);
}
const describeWithHelm = available ? describe : describe.skip;

type Manifest = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };

let app: SynthesizedApp;
let tmp: string;
/**
 * Every install of the service chart in the real app: stack, namespace, release — helm_releases,
 * and the charts/service sources of the Argo CD Applications (rendered here as Argo CD would:
 * helm template with the release name and the inline values).
 */
let releases: Array<{ stack: string; namespace: string; release: SynthesizedRelease }>;

beforeAll(() => {
  if (!available) return;
  app = realApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-chart-"));
  releases = [...app.stacks].flatMap(([stack, tf]) =>
    [
      ...releasesOf(tf).filter((r) => r.chart.startsWith("./assets/ServiceChart/")),
      ...applicationReleasesOf(tf, "charts/service"),
    ].map((release) => ({ stack, namespace: release.raw.namespace as string, release })),
  );
});
afterAll(() => {
  if (!available) return;
  fs.rmSync(tmp, { recursive: true, force: true });
});

function valuesFile(values: unknown): string {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

const rendered = new Map<string, Manifest[]>();

/** helm template, once per release name, namespace and values. */
function render(name: string, namespace: string, values: unknown): Manifest[] {
  const key = JSON.stringify([name, namespace, values]);
  let docs = rendered.get(key);
  if (!docs) {
    const out = helm(["template", name, CHART, "-n", namespace, "-f", valuesFile(values)]);
    docs = parseAllDocuments(out)
      .map((d) => d.toJS() as Manifest)
      .filter(Boolean);
    rendered.set(key, docs);
  }
  return docs;
}

describeWithHelm("charts/service with helm", () => {
  test("every environment deploys apps with it: Helm from the stack's own copy, Argo CD from Git", () => {
    const stacks = new Set(releases.map((r) => r.stack));
    for (const env of ["dev", "staging", "prod"]) {
      expect([...stacks].some((s) => s.startsWith(`${env}-`))).toBe(true);
    }
    const fromGit = releases.filter((r) => r.release.chart.startsWith("git:"));
    expect(new Set(fromGit.map((r) => r.stack))).toEqual(
      new Set(["prod-do-apps", "staging-do-apps"]),
    );
    for (const { stack, release } of releases.filter((r) => !r.release.chart.startsWith("git:"))) {
      const copy = path.join(app.outdir, "stacks", stack, release.chart, "Chart.yaml");
      expect(fs.existsSync(copy)).toBe(true);
    }
  });

  test("helm lint passes with each environment's values", () => {
    // Releases with the same values (one app in several stacks) are linted once.
    const distinct = new Map(
      releases.map(({ release }) => [JSON.stringify(release.values), release.values]),
    );
    for (const values of distinct.values()) {
      expect(() => helm(["lint", CHART, "--strict", "-f", valuesFile(values)])).not.toThrow();
    }
  });

  test("rendered manifests: non-root, read-only root, envFrom, identity, HPA/PDB as configured", () => {
    for (const { stack, namespace, release } of releases) {
      const docs = render(release.name, namespace, release.values);
      const kinds = docs.map((d) => d.kind).sort();
      const v = release.values as {
        autoscaling: { enabled: boolean };
        podDisruptionBudget: { enabled: boolean };
        envFrom: { configMaps: string[]; secrets: string[] };
        serviceAccount: { annotations: Record<string, string> };
        route?: { hosts: string[] };
      };
      const expected = ["Deployment", "NetworkPolicy", "Service", "ServiceAccount"];
      if (v.route?.hosts.length) expected.push("HTTPRoute");
      if (v.autoscaling.enabled) expected.push("HorizontalPodAutoscaler");
      if (v.podDisruptionBudget.enabled) expected.push("PodDisruptionBudget");
      expect({ stack, release: release.name, kinds }).toEqual({
        stack,
        release: release.name,
        kinds: expected.sort(),
      });

      const deployment = docs.find((d) => d.kind === "Deployment")!;
      const pod = (deployment.spec as { template: { spec: Record<string, unknown> } }).template
        .spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      const [container] = pod.containers as Array<Record<string, unknown>>;
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(container.envFrom).toEqual([
        ...v.envFrom.configMaps.map((name) => ({ configMapRef: { name } })),
        ...v.envFrom.secrets.map((name) => ({ secretRef: { name } })),
      ]);
      expect(container).not.toHaveProperty("env");
      const sa = docs.find((d) => d.kind === "ServiceAccount") as Manifest & {
        metadata: { annotations?: Record<string, string> };
      };
      expect(sa.metadata.annotations ?? {}).toEqual(v.serviceAccount.annotations);
      if (v.autoscaling.enabled) expect(deployment.spec).not.toHaveProperty("replicas");
    }
  });

  test("every rendered pod passes what the API server checks (volumes, mounts, ports, probes)", () => {
    const problems = releases.flatMap(({ stack, namespace, release }) =>
      podSpecs(render(release.name, namespace, release.values)).flatMap((p) =>
        podSpecProblems(p.spec).map((m) => `${stack} ${release.name} ${p.name}: ${m}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  test("the pod check finds the class: a writable path mounted twice", () => {
    const { release, namespace } = releases.find((r) => r.release.name === "scheduler")!;
    const values = release.values as { writablePaths: string[] };
    const twice = { ...values, writablePaths: [...values.writablePaths, values.writablePaths[0]] };
    let problems: string[] = [];
    try {
      problems = podSpecs(render("twice", namespace, twice)).flatMap((p) =>
        podSpecProblems(p.spec),
      );
    } catch (e) {
      problems = [String(e)]; // the chart itself may refuse it: also a failure found before apply
    }
    expect(problems.length).toBeGreaterThan(0);
  });

  test("cloud-native apps are annotated with their cloud identity", () => {
    const annotated = releases
      .filter((r) => r.release.name === "angzarr" && /-(gcp|aws)-apps$/.test(r.stack))
      .map((r) => ({
        stack: r.stack,
        annotations: (r.release.values.serviceAccount as { annotations: Record<string, string> })
          .annotations,
      }));
    expect(annotated).toContainEqual({
      stack: "prod-gcp-apps",
      annotations: {
        "iam.gke.io/gcp-service-account": "prod-angzarr@angzarr-prod.iam.gserviceaccount.com",
      },
    });
    expect(annotated).toContainEqual({
      stack: "prod-aws-apps",
      annotations: {
        "eks.amazonaws.com/role-arn": expect.stringMatching(/aws_iam_role|arn:aws:iam::/),
      },
    });
  });

  test("the chart refuses a misspelt value (values.schema.json)", () => {
    expect(() =>
      helm([
        "template",
        "x",
        CHART,
        "--set-string",
        "image.repository=a",
        "--set-string",
        "image.tag=1",
        "--set",
        "replicas=2",
      ]),
    ).toThrow(/additional properties 'replicas' not allowed|replicas/);
  });

  test("the chart refuses autoscaling with min > max", () => {
    const values = {
      image: { repository: "a", tag: "1" },
      autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 },
    };
    expect(() => render("x", "default", values)).toThrow(
      /minReplicas must be <= autoscaling.maxReplicas/,
    );
  });
});
