import { realApp } from "../../support/app";
import {
  DATA_CHARTS,
  forceNewPath,
  STATEFUL_RESOURCES,
  statefulRule,
} from "../../../modules/common/stateful-resources";

describe("the stateful resource table", () => {
  test.each([
    "google_bigtable_instance",
    "google_bigtable_table",
    "google_container_cluster",
    "google_pubsub_topic",
    "google_pubsub_subscription",
    "google_kms_crypto_key",
    "aws_dynamodb_table",
    "aws_eks_cluster",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kms_key",
    "digitalocean_kubernetes_cluster",
    "digitalocean_database_cluster",
    "digitalocean_spaces_bucket",
    "google_storage_bucket",
    "aws_s3_bucket",
    "helm_release",
    "kubernetes_persistent_volume_claim",
  ])("%s is stateful, with force-new paths and a source", (type) => {
    const rule = STATEFUL_RESOURCES[type];
    expect(rule.forceNew.length).toBeGreaterThan(0);
    expect(rule.source).toMatch(/^https:\/\//);
  });

  test("stateless types have no rule", () => {
    expect(statefulRule("google_compute_network", {})).toBeUndefined();
    expect(statefulRule("aws_vpc", {})).toBeUndefined();
  });

  test("a helm release is stateful only for a data chart, by the chart's base name", () => {
    expect(
      statefulRule("helm_release", {
        chart: "oci://registry-1.docker.io/bitnamicharts/postgresql",
      }),
    ).toBeDefined();
    expect(statefulRule("helm_release", { chart: "kafka" })).toBeDefined();
    expect(statefulRule("helm_release", { chart: "ingress-nginx" })).toBeUndefined();
    // Strata's own data chart (the Altinity ClickHouse resources), named by its asset.
    expect(
      statefulRule("helm_release", { chart: "./assets/ClickhouseClusterChart/1CBD5663" }),
    ).toBeDefined();
    expect(
      statefulRule("helm_release", { chart: "./assets/ServiceChart/1CBD5663" }),
    ).toBeUndefined();
    expect(statefulRule("helm_release", {})).toBeUndefined();
    // Strata's own charts by asset id: charts/rabbitmq-cluster holds data, charts/service does not.
    expect(
      statefulRule("helm_release", { chart: "./assets/RabbitmqClusterChart/EE223230A4B9" }),
    ).toBeDefined();
    expect(
      statefulRule("helm_release", { chart: "./assets/ServiceChart/0A1B2C3D" }),
    ).toBeUndefined();
    expect(DATA_CHARTS).toEqual(
      expect.arrayContaining([
        "postgresql",
        "postgresql-ha",
        "redis",
        "valkey",
        "rabbitmq",
        "kafka",
        "clickhouse",
        "clickhouse-cluster",
        "meilisearch",
      ]),
    );
  });
});

describe("the real app's data releases", () => {
  test("every release of the databases and buses layers but the monitors is a data chart", () => {
    const releases = [...realApp().stacks]
      .filter(([name]) => /-(databases|buses)$/.test(name))
      .flatMap(([name, tf]) =>
        Object.entries(tf.resource?.helm_release ?? {})
          .filter(([id]) => !id.startsWith("Monitoring_"))
          .map(([id, r]) => ({ at: `${name}/${id}`, r })),
      );
    expect(releases.map(({ r }) => r.chart)).toContain("valkey");
    expect(releases.map(({ r }) => String(r.chart))).toContainEqual(
      expect.stringMatching(/^\.\/assets\/RabbitmqClusterChart\//),
    );
    const missing = releases
      .filter(({ r }) => statefulRule("helm_release", r) === undefined)
      .map(({ at, r }) => `${at} (${String(r.chart)})`);
    expect(missing).toEqual([]);
  });
});

describe("forceNewPath", () => {
  const bigtable = STATEFUL_RESOURCES.google_bigtable_instance;
  const table = STATEFUL_RESOURCES.aws_dynamodb_table;
  const pvc = STATEFUL_RESOURCES.kubernetes_persistent_volume_claim;

  test("a top-level attribute", () => {
    expect(forceNewPath(table, ["hash_key"])).toBe("hash_key");
  });

  test("a list index matches *", () => {
    expect(forceNewPath(bigtable, ["cluster", 1, "zone"])).toBe("cluster.*.zone");
  });

  test("a change below a force-new path counts", () => {
    expect(forceNewPath(pvc, ["spec", 0, "selector", 0, "match_labels", "app"])).toBe(
      "spec.*.selector",
    );
    expect(forceNewPath(table, ["local_secondary_index", 0, "range_key"])).toBe(
      "local_secondary_index",
    );
  });

  test("in-place attributes do not", () => {
    expect(forceNewPath(bigtable, ["cluster", 0, "num_nodes"])).toBeUndefined();
    expect(forceNewPath(bigtable, ["cluster", 1])).toBeUndefined();
    expect(forceNewPath(table, ["billing_mode"])).toBeUndefined();
  });
});
