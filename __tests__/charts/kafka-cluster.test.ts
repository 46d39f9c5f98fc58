/**
 * Kafka on Strimzi with the real helm:
 * - charts/kafka-cluster, rendered with the values the real app synthesizes and with the HA shape
 *   (3 controllers, 3 brokers), every custom resource checked against its CRD at Strimzi 1.2.0
 *   (`__tests__/fixtures/crds/kafka.strimzi.io_*`, written by scripts/fixtures/extract-crd.ts from
 *   the chart's crds/ at the tag), and against each other (node pools and topic and user attach to
 *   the cluster, the user's ACLs name the topic, volumes kept);
 * - the operator chart strimzi-kafka-operator at tag 1.2.0 with the real app's values: cluster-wide,
 *   operands restricted, its own pod restricted, images as facts/charts.json says, no webhooks.
 *   Its source comes from a git snapshot of strimzi/strimzi-kafka-operator (STRATA_STRIMZI_GIT or
 *   /work/.mirror/strimzi+strimzi-kafka-operator/repo); without it those tests skip.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import {
  KafkaCluster,
  kafkaClusterConnection,
  type KafkaClusterValues,
} from "../../modules/helm/kafka-cluster";
import { kafkaConnection } from "../../modules/helm/kafka";
import { DEFAULT_STRIMZI_VERSION, STRIMZI_POD_SECURITY } from "../../modules/helm/strimzi";
import { realApp } from "../support/app";
import { factsFor, loadFacts } from "../support/chart-facts";
import { releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { crdFor, crdProblems } from "../support/crd-schema";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { podSpecProblems, podSpecs } from "../support/pod-checks";
import { synthScope } from "../modules/helm/helpers";

const CHART = path.join(__dirname, "..", "..", "charts", "kafka-cluster");
const GIT = process.env.STRATA_STRIMZI_GIT ?? "/work/.mirror/strimzi+strimzi-kafka-operator/repo";
const OPERATOR_PATH = "packaging/helm-charts/helm3/strimzi-kafka-operator";

const available = helmBinary() !== undefined;
if (!available)
  console.warn(`skipping kafka-cluster chart tests: no helm (${helmUnavailableReason()})`);
const describeWithHelm = available ? describe : describe.skip;

function snapshotMissing(): string | undefined {
  if (!available) return "no helm";
  try {
    execFileSync(
      "git",
      ["-C", GIT, "rev-parse", "--verify", `${DEFAULT_STRIMZI_VERSION}^{commit}`],
      {
        stdio: "pipe",
      },
    );
  } catch {
    return `no git snapshot of strimzi/strimzi-kafka-operator with tag ${DEFAULT_STRIMZI_VERSION} at ${GIT}`;
  }
  return undefined;
}
const missing = snapshotMissing();
if (missing) console.warn(`skipping Strimzi operator chart tests: ${missing}`);
const describeWithOperator = missing ? describe.skip : describe;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-kafka-cluster-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function render(chartDir: string, name: string, namespace: string, values: unknown): K8sObject[] {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return parseAllDocuments(helm(["template", name, chartDir, "-n", namespace, "-f", file]))
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}

/** The HA shape, built by the module as the buses layer builds it. */
function haValues(): KafkaClusterValues {
  let values: KafkaClusterValues | undefined;
  synthScope((scope) => {
    values = new KafkaCluster(scope, "KafkaCluster", {
      name: "events",
      namespace: "shop",
      chart: { chart: "./charts/kafka-cluster" },
      topic: "events",
      controllers: 3,
      brokers: 3,
      storage: "100Gi",
      storageClass: "premium-rwo",
      metrics: true,
      labels: { environment: "prod" },
    }).values;
  });
  return values!;
}

describeWithHelm("charts/kafka-cluster", () => {
  let shapes: Array<{ where: string; release: string; namespace: string; values: unknown }>;
  beforeAll(() => {
    const fromApp = [...realApp().stacks].flatMap(([stack, tf]) =>
      releasesOf(tf)
        .filter((r: SynthesizedRelease) => r.chart.startsWith("./assets/KafkaClusterChart/"))
        .map((r) => ({
          where: stack,
          release: r.name,
          namespace: r.raw.namespace as string,
          values: r.values,
        })),
    );
    shapes = [
      ...fromApp,
      {
        where: "HA (3 controllers, 3 brokers)",
        release: "events-strimzi",
        namespace: "shop",
        values: haValues(),
      },
    ];
  });

  test("the seeds run Kafka on Strimzi (dev on AWS)", () => {
    expect(shapes.map((s) => s.where)).toEqual(
      expect.arrayContaining(["dev-aws-buses", "HA (3 controllers, 3 brokers)"]),
    );
  });

  test("every custom resource is valid against its CRD at Strimzi 1.2.0, and there are all four kinds", () => {
    const problems: string[] = [];
    for (const s of shapes) {
      const objects = render(CHART, s.release, s.namespace, s.values);
      expect(objects.map((o) => o.kind).sort()).toEqual(
        expect.arrayContaining(["Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"]),
      );
      for (const o of objects) {
        expect(crdFor(o.apiVersion, o.kind)?.source.tag).toBe(DEFAULT_STRIMZI_VERSION);
        problems.push(...crdProblems(o).map((p) => `${s.where}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
  });

  test("a bad value is refused by the chart's schema (what crdProblems would also catch)", () => {
    const values = { ...haValues(), kafka: { ...haValues().kafka, port: 9404 } };
    expect(() => render(CHART, "x", "shop", values)).toThrow(/port/);
  });

  test("the HA shape: dedicated pools, rack awareness, replication 3 / min ISR 2, volumes kept, metrics", () => {
    const objects = render(CHART, "events-strimzi", "shop", haValues());
    const kafka = objects.find((o) => o.kind === "Kafka")!;
    expect(kafka.metadata.name).toBe("events");
    expect(kafka.spec).toMatchObject({
      kafka: {
        version: "4.3.1",
        listeners: [
          {
            name: "plain",
            port: 9092,
            type: "internal",
            tls: false,
            authentication: { type: "scram-sha-512" },
          },
        ],
        authorization: { type: "simple" },
        rack: { topologyKey: "topology.kubernetes.io/zone" },
        metricsConfig: { type: "strimziMetricsReporter" },
        config: { "default.replication.factor": 3, "min.insync.replicas": 2 },
      },
      entityOperator: { topicOperator: {}, userOperator: {} },
    });
    const pools = objects.filter((o) => o.kind === "KafkaNodePool");
    expect(pools.map((p) => [p.metadata.name, p.spec.roles, p.spec.replicas])).toEqual([
      ["controllers", ["controller"], 3],
      ["brokers", ["broker"], 3],
    ]);
    for (const p of pools) {
      expect(p.spec.storage).toEqual({
        type: "jbod",
        volumes: [
          {
            id: 0,
            type: "persistent-claim",
            size: "100Gi",
            class: "premium-rwo",
            deleteClaim: false,
            kraftMetadata: "shared",
          },
        ],
      });
    }
  });

  test("pools, topic and user belong to the cluster; the user may use exactly the apps' topic", () => {
    for (const s of shapes) {
      const objects = render(CHART, s.release, s.namespace, s.values);
      const cluster = objects.find((o) => o.kind === "Kafka")!.metadata.name;
      for (const o of objects.filter((x) => x.kind !== "Kafka"))
        expect([o.kind, o.metadata.labels?.["strimzi.io/cluster"]]).toEqual([o.kind, cluster]);
      const topic = objects.find((o) => o.kind === "KafkaTopic")!;
      const user = objects.find((o) => o.kind === "KafkaUser")!;
      const acls = (
        user.spec.authorization as { acls: Array<{ resource: { type: string; name: string } }> }
      ).acls;
      expect(acls.filter((a) => a.resource.type === "topic").map((a) => a.resource.name)).toEqual([
        topic.spec.topicName,
      ]);
      // The apps log in as the user, with the password of the Secret the user takes it from.
      const c = kafkaClusterConnection({ name: cluster, namespace: s.namespace });
      expect(user.metadata.name).toBe(c.username);
      expect(user.spec.authentication).toEqual({
        type: "scram-sha-512",
        password: { valueFrom: { secretKeyRef: { name: c.secretName, key: c.passwordKey } } },
      });
      expect(c.bootstrapServers).toBe(
        `${cluster}-kafka-bootstrap.${s.namespace}.svc.cluster.local:9092`,
      );
    }
  });

  test("the chart renders no pods and no images (Kafka's images are the operator's)", () => {
    const text = fs
      .readdirSync(path.join(CHART, "templates"))
      .map((f) => fs.readFileSync(path.join(CHART, "templates", f), "utf8"))
      .join("\n");
    expect(text).not.toMatch(/\bimage:/);
    const kinds = render(CHART, "events-strimzi", "shop", haValues()).map((o) => o.kind);
    expect(kinds.filter((k) => !k.startsWith("Kafka"))).toEqual([]);
  });
});

describeWithOperator("strimzi-kafka-operator at its tag, with the real app's values", () => {
  let objects: K8sObject[];
  beforeAll(() => {
    const archive = execFileSync(
      "git",
      ["-C", GIT, "archive", DEFAULT_STRIMZI_VERSION, OPERATOR_PATH],
      {
        maxBuffer: 1 << 28,
      },
    );
    fs.writeFileSync(path.join(tmp, "op.tar"), archive);
    execFileSync("tar", ["-xf", path.join(tmp, "op.tar"), "-C", tmp]);
    const release = [...realApp().stacks.values()]
      .flatMap((tf) => releasesOf(tf))
      .find((r) => r.chart === "strimzi-kafka-operator")!;
    objects = render(path.join(tmp, OPERATOR_PATH), release.name, "strimzi", release.values);
  });

  const deployment = () =>
    objects.find((o) => o.kind === "Deployment" && o.metadata.name === "strimzi-cluster-operator")!;
  type Container = {
    name: string;
    image: string;
    env: Array<{ name: string; value?: string }>;
    securityContext: Record<string, unknown>;
  };
  const container = () =>
    (deployment().spec.template as { spec: { containers: Container[] } }).spec.containers[0];
  const env = (name: string) => container().env.find((e) => e.name === name)?.value;

  test("cluster-wide: it watches every namespace, bound by ClusterRoleBindings (no RoleBinding in a namespace that may not exist yet)", () => {
    expect(env("STRIMZI_NAMESPACE")).toBe("*");
    expect(
      objects.filter((o) => o.kind === "RoleBinding").map((o) => o.metadata.namespace),
    ).toEqual(objects.filter((o) => o.kind === "RoleBinding").map(() => "strimzi"));
    expect(
      objects.some(
        (o) =>
          o.kind === "ClusterRoleBinding" &&
          o.metadata.name === "strimzi-cluster-operator-namespaced",
      ),
    ).toBe(true);
  });

  test("its operands get the restricted pod security provider; its own container is restricted", () => {
    expect(env(STRIMZI_POD_SECURITY.name)).toBe("restricted");
    expect(container().securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    const pods = podSpecs(objects);
    expect(pods.map((p) => p.name)).toEqual(["Deployment/strimzi-cluster-operator"]);
    expect(pods.flatMap((p) => podSpecProblems(p.spec))).toEqual([]);
  });

  test("the images it runs are facts/charts.json's", () => {
    const facts = factsFor(loadFacts(), "strimzi-kafka-operator", DEFAULT_STRIMZI_VERSION)!;
    const effective = (p: string) =>
      facts.defaultImages!.find((i) => i.valuesPath === p)!.effective;
    expect(container().image).toBe(effective("image"));
    expect(env("STRIMZI_KAFKA_IMAGES")).toContain(`4.3.1=${effective("kafka.image")}`);
    expect(env("STRIMZI_DEFAULT_TOPIC_OPERATOR_IMAGE")).toBe(effective("topicOperator.image"));
    expect(env("STRIMZI_DEFAULT_USER_OPERATOR_IMAGE")).toBe(effective("userOperator.image"));
    expect(env("STRIMZI_DEFAULT_KAFKA_INIT_IMAGE")).toBe(effective("kafkaInit.image"));
  });

  test("no admission webhooks, and the CRDs come from crds/ (not templates: Helm never upgrades them)", () => {
    expect(objects.map((o) => o.kind)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/WebhookConfiguration$/)]),
    );
    expect(objects.some((o) => o.kind === "CustomResourceDefinition")).toBe(false);
    const crds = fs.readdirSync(path.join(tmp, OPERATOR_PATH, "crds"));
    expect(crds).toEqual(
      expect.arrayContaining([
        "040-Crd-kafka.yaml",
        "043-Crd-kafkatopic.yaml",
        "044-Crd-kafkauser.yaml",
        "045-Crd-kafkanodepool.yaml",
      ]),
    );
  });
});

describe("docs/data-services.md: the migration's manifests", () => {
  test("the KafkaUser and KafkaMirrorMaker2 a team applies by hand are valid at Strimzi 1.2.0", () => {
    const doc = fs.readFileSync(
      path.join(__dirname, "..", "..", "docs", "data-services.md"),
      "utf8",
    );
    const section = doc.slice(doc.indexOf("### Migrating from Bitnami Kafka"));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const objects = parseAllDocuments(block.replace(/^ {3}/gm, "")).map(
      (d) => d.toJS() as K8sObject,
    );
    expect(objects.map((o) => o.kind)).toEqual(["KafkaUser", "KafkaMirrorMaker2"]);
    expect(objects.flatMap((o) => crdProblems(o))).toEqual([]);
    // Source the Bitnami release's client listener and Secret, target the Strimzi bootstrap.
    const mm2 = objects[1].spec as {
      target: { bootstrapServers: string };
      mirrors: Array<{
        source: {
          bootstrapServers: string;
          authentication: { passwordSecret: { secretName: string; password: string } };
        };
      }>;
    };
    const bitnami = kafkaConnection({ name: "events", namespace: "ns" });
    expect(mm2.mirrors[0].source.bootstrapServers).toBe("events-kafka:9092");
    expect(bitnami.bootstrapServers).toMatch(/^events-kafka\.ns\./);
    expect(mm2.mirrors[0].source.authentication.passwordSecret).toEqual({
      secretName: bitnami.secretName,
      password: bitnami.passwordKey,
    });
    expect(mm2.target.bootstrapServers).toBe("events-kafka-bootstrap:9092");
  });
});
