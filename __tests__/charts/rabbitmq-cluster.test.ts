/**
 * RabbitMQ on the RabbitMQ Cluster Operator, with the real helm:
 *
 * - charts/rabbitmq-cluster rendered with the values every environment synthesizes: each
 *   RabbitmqCluster checked against the CRD the pinned operator chart installs
 *   (__tests__/fixtures/crds/rabbitmq.com_rabbitmqclusters.json, from crds/ at tag
 *   rabbitmq-cluster-operator-0.6.5), and the settings Strata relies on (nodes per tier, quorum
 *   queues by default, the pinned image, volume class and size, kept on uninstall).
 * - The CloudPirates rabbitmq-cluster-operator chart at its pinned tag (from a git snapshot of
 *   CloudPirates-io/helm-charts: STRATA_CLOUDPIRATES_GIT or /work/.mirror/…), rendered with the
 *   platform layer's values: no admission webhook, no topology operator, an operator pod that Pod
 *   Security `restricted` admits. Without helm or the snapshot, the tests skip.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { DEFAULT_RABBITMQ_CLUSTER_OPERATOR_VERSION } from "../../modules/helm/rabbitmq-cluster-operator";
import { RABBITMQ_CLUSTER_IMAGE } from "../../modules/helm/rabbitmq-cluster";
import { DEFAULT_STORAGE_CLASSES } from "../../environments/schema/workloads";
import { realApp, type SynthesizedApp } from "../support/app";
import { releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { crdProblems } from "../support/crd-schema";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { podSpecProblems, podSpecs } from "../support/pod-checks";

const CHARTS = path.join(__dirname, "..", "..", "charts");
const GIT = process.env.STRATA_CLOUDPIRATES_GIT ?? "/work/.mirror/CloudPirates-io+helm-charts/repo";
const TAG = `rabbitmq-cluster-operator-${DEFAULT_RABBITMQ_CLUSTER_OPERATOR_VERSION}`;

const noHelm = helmBinary() ? undefined : `no helm binary (${helmUnavailableReason()})`;
if (noHelm) console.warn(`skipping rabbitmq-cluster chart tests: ${noHelm}`);
const describeWithHelm = noHelm ? describe.skip : describe;

function snapshotMissing(): string | undefined {
  if (noHelm) return noHelm;
  try {
    execFileSync("git", ["-C", GIT, "rev-parse", "--verify", `${TAG}^{commit}`], { stdio: "pipe" });
  } catch {
    return `no git snapshot of CloudPirates-io/helm-charts with tag ${TAG} at ${GIT}`;
  }
  return undefined;
}
const missing = snapshotMissing();
if (missing) console.warn(`skipping rabbitmq-cluster-operator chart tests: ${missing}`);
const describeWithChart = missing ? describe.skip : describe;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}
interface ClusterSpec {
  replicas: number;
  image: string;
  persistence: { storageClassName?: string; storage: string };
  resources: { limits?: { memory?: string } };
  rabbitmq: { additionalConfig: string; additionalPlugins?: string[] };
  affinity?: unknown;
}
interface Placed {
  stack: string;
  release: SynthesizedRelease;
  objects: K8sObject[];
}

let app: SynthesizedApp;
let tmp: string;
let clusters: Placed[] = [];
let operators: Placed[] = [];
let operatorChart: string;

function render(chartDir: string, r: SynthesizedRelease): K8sObject[] {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(r.values));
  const namespace = r.raw.namespace as string;
  const out = helm(["template", r.name, chartDir, "-n", namespace, "-f", file]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}

/** The releases of the real app matching `which`, rendered from `chartDir`. */
function placed(which: (r: SynthesizedRelease) => boolean, chartDir: string): Placed[] {
  return [...app.stacks].flatMap(([stack, tf]) =>
    releasesOf(tf)
      .filter(which)
      .map((release) => ({ stack, release, objects: render(chartDir, release) })),
  );
}

beforeAll(() => {
  if (noHelm) return;
  app = realApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-rabbitmq-"));
  clusters = placed(
    (r) => r.chart.startsWith("./assets/RabbitmqClusterChart/"),
    path.join(CHARTS, "rabbitmq-cluster"),
  );
  if (missing) return;
  const archive = execFileSync(
    "git",
    ["-C", GIT, "archive", TAG, "charts/rabbitmq-cluster-operator", "charts/common"],
    { maxBuffer: 1 << 28 },
  );
  fs.writeFileSync(path.join(tmp, "src.tar"), archive);
  execFileSync("tar", ["-xf", path.join(tmp, "src.tar"), "-C", tmp]);
  operatorChart = path.join(tmp, "charts", "rabbitmq-cluster-operator");
  // The dependency Chart.lock pins (common 2.2.0), from the same snapshot.
  fs.mkdirSync(path.join(operatorChart, "charts"), { recursive: true });
  fs.renameSync(path.join(tmp, "charts", "common"), path.join(operatorChart, "charts", "common"));
  operators = placed((r) => r.chart === "rabbitmq-cluster-operator", operatorChart);
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const clusterOf = (p: Placed) => {
  const found = p.objects.filter((o) => o.kind === "RabbitmqCluster");
  expect(found).toHaveLength(1);
  return found[0] as K8sObject & { spec: ClusterSpec };
};

describeWithHelm("charts/rabbitmq-cluster rendered by helm", () => {
  test("dev, staging and prod each run a RabbitmqCluster; only the RabbitmqCluster is rendered", () => {
    for (const env of ["dev", "staging", "prod"])
      expect(clusters.some((c) => c.stack.startsWith(`${env}-`))).toBe(true);
    for (const c of clusters) expect(c.objects.map((o) => o.kind)).toEqual(["RabbitmqCluster"]);
  });

  test("every RabbitmqCluster matches the CRD of the pinned operator chart", () => {
    const problems = clusters.flatMap(({ stack, objects }) =>
      objects.flatMap((o) => crdProblems(o).map((p) => `${stack}: ${p}`)),
    );
    expect(problems).toEqual([]);
    // The check can fail: a field the CRD does not know, or a wrong type, is reported.
    const bad = {
      ...clusterOf(clusters[0]),
      spec: { ...clusterOf(clusters[0]).spec, replicas: "3", queueType: "quorum" },
    };
    expect(crdProblems(bad).join("\n")).toMatch(
      /replicas[\s\S]*queueType|queueType[\s\S]*replicas/,
    );
  });

  test("one node in dev, three in prod (high availability), spread over hosts when clustered", () => {
    const nodes = (env: string) =>
      clusters.filter((c) => c.stack.startsWith(`${env}-`)).map((c) => clusterOf(c).spec.replicas);
    expect(new Set(nodes("dev"))).toEqual(new Set([1]));
    expect(new Set(nodes("prod"))).toEqual(new Set([3]));
    for (const c of clusters) {
      const spec = clusterOf(c).spec;
      expect([c.stack, spec.affinity !== undefined]).toEqual([c.stack, spec.replicas > 1]);
    }
  });

  test("quorum queues by default, the pinned 4.3 image, a memory limit, the layer's volumes, kept on uninstall", () => {
    for (const c of clusters) {
      const cluster = clusterOf(c);
      const { spec } = cluster;
      expect(spec.rabbitmq.additionalConfig.split("\n")).toContain("default_queue_type = quorum");
      expect(spec.image).toBe(`${RABBITMQ_CLUSTER_IMAGE.repository}:${RABBITMQ_CLUSTER_IMAGE.tag}`);
      expect(spec.resources.limits?.memory).toMatch(/^\d+(Mi|Gi)$/);
      const cloud = c.stack.split("-")[1] as "gcp" | "aws" | "do";
      expect([c.stack, spec.persistence.storageClassName]).toEqual([
        c.stack,
        DEFAULT_STORAGE_CLASSES[cloud === "do" ? "digitalocean" : cloud],
      ]);
      expect(spec.persistence.storage).toMatch(/^\d+Gi$/);
      expect(cluster.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");
      // The Service and Secret names the apps are wired to derive from this name.
      expect(cluster.metadata.name).toBe(c.release.values.name);
    }
  });

  test("the values schema refuses what the chart does not know", () => {
    const file = path.join(tmp, "bad.json");
    fs.writeFileSync(file, JSON.stringify({ name: "mq", replicas: 0, extra: true }));
    expect(() =>
      helm(["template", "x", path.join(CHARTS, "rabbitmq-cluster"), "-n", "t", "-f", file]),
    ).toThrow(/replicas|extra/);
  });
});

describeWithChart(
  `CloudPirates rabbitmq-cluster-operator ${DEFAULT_RABBITMQ_CLUSTER_OPERATOR_VERSION} rendered by helm`,
  () => {
    test("installed on the clusters whose environments use the operator engine", () => {
      const stacks = operators.map((o) => o.stack).sort();
      expect(stacks).toEqual(
        expect.arrayContaining(["dev-aws-platform", "dev-do-platform", "prod-do-platform"]),
      );
      // staging runs on prod's cluster: prod's operator serves it.
      expect(stacks.some((s) => s.startsWith("staging-"))).toBe(false);
    });

    test("no admission webhooks and no topology operator (nothing on 9443 for private GKE to admit)", () => {
      for (const o of operators) {
        const kinds = o.objects.map((x) => x.kind);
        expect(kinds).not.toContain("ValidatingWebhookConfiguration");
        expect(kinds).not.toContain("MutatingWebhookConfiguration");
        const deployments = o.objects.filter((x) => x.kind === "Deployment");
        expect(deployments.map((d) => d.metadata.name)).toEqual(["rabbitmq-cluster-operator"]);
        const env = JSON.stringify(deployments[0].spec);
        expect(env).toContain('"name":"ENABLE_WEBHOOKS","value":"false"');
      }
    });

    test("the operator pod is valid and Pod Security restricted admits it", () => {
      const problems = operators.flatMap((o) =>
        podSpecs(o.objects).flatMap(({ name, spec }) => {
          const pod = spec as unknown as {
            securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
            containers: Array<{
              name: string;
              securityContext?: {
                runAsNonRoot?: boolean;
                allowPrivilegeEscalation?: boolean;
                capabilities?: { drop?: string[]; add?: string[] };
                seccompProfile?: { type: string };
                privileged?: boolean;
              };
            }>;
          };
          const restricted = pod.containers.flatMap((c) => {
            const ctx = c.securityContext ?? {};
            const out: string[] = [];
            if (ctx.privileged) out.push(`${c.name} privileged`);
            if (ctx.allowPrivilegeEscalation !== false) out.push(`${c.name} may escalate`);
            if (!(ctx.capabilities?.drop ?? []).includes("ALL"))
              out.push(`${c.name} keeps capabilities`);
            if ((ctx.capabilities?.add ?? []).length) out.push(`${c.name} adds capabilities`);
            if (!(ctx.runAsNonRoot ?? pod.securityContext?.runAsNonRoot))
              out.push(`${c.name} may run as root`);
            const seccomp = ctx.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
            if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
              out.push(`${c.name} has no seccomp profile`);
            return out;
          });
          return [...podSpecProblems(spec), ...restricted].map((p) => `${o.stack} ${name}: ${p}`);
        }),
      );
      expect(operators.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    test("the chart's CRD is the fixture the RabbitmqClusters are checked against", () => {
      const crd = fs.readFileSync(
        path.join(operatorChart, "crds", "rabbitmq-cluster", "rabbitmq.com_rabbitmqclusters.yaml"),
        "utf8",
      );
      const fixture = JSON.parse(
        fs.readFileSync(
          path.join(__dirname, "..", "fixtures", "crds", "rabbitmq.com_rabbitmqclusters.json"),
          "utf8",
        ),
      ) as { source: { tag: string } };
      expect(fixture.source.tag).toBe(TAG);
      expect(crd).toContain("name: rabbitmqclusters.rabbitmq.com");
    });
  },
);
