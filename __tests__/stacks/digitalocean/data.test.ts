import { App } from "cdktf";
import type { EnvironmentInput } from "../../../environments/schema";
import { DoDataStack, doDatabaseClusterName } from "../../../stacks/digitalocean/data";
import { clusterRef } from "../../../stacks/kubernetes/cluster-ref";
import { testEnv } from "../../support/env";
import { resourcesOf, synthJson } from "../../support/synth";

const owner = testEnv({
  name: "owner",
  targets: {
    digitalocean: { region: "nyc3", network: { ipRange: "10.210.0.0/20" }, cluster: {} },
  },
});
const ownerRef = clusterRef(owner, "digitalocean") as Extract<
  ReturnType<typeof clusterRef>,
  { cloud: "digitalocean" }
>;

function dataStack(
  databases: NonNullable<
    NonNullable<NonNullable<EnvironmentInput["targets"]>["digitalocean"]>["databases"]
  >,
  overrides: Partial<EnvironmentInput> = {},
) {
  const env = testEnv({
    targets: {
      digitalocean: {
        region: "fra1",
        network: { ipRange: "10.200.0.0/20" },
        cluster: {},
        databases,
      },
    },
    ...overrides,
  });
  const cluster = clusterRef(env, "digitalocean") as typeof ownerRef;
  return {
    env,
    tf: synthJson(
      new DoDataStack(new App(), "test-do-data", {
        env,
        databases: env.targets.digitalocean!.databases!,
        cluster,
      }),
    ),
  };
}

describe("DoDataStack", () => {
  test("PostgreSQL in the cluster's VPC and region, admitting only that cluster", () => {
    const { tf } = dataStack({ postgres: { databases: [{ name: "orders", user: "orders" }] } });
    expect(tf.data?.digitalocean_vpc?.Vpc).toMatchObject({ name: "test-vpc" });
    expect(tf.data?.digitalocean_vpc?.Vpc).not.toHaveProperty("region");
    expect(tf.data?.digitalocean_kubernetes_cluster?.Doks).toMatchObject({ name: "test-doks" });
    expect(resourcesOf(tf, "digitalocean_database_cluster")).toEqual([
      expect.objectContaining({
        name: "test-postgres",
        engine: "pg",
        version: "17",
        region: "fra1",
        node_count: 1,
        private_network_uuid: "${data.digitalocean_vpc.Vpc.id}",
        maintenance_window: [{ day: "saturday", hour: "03:00" }],
      }),
    ]);
    expect(resourcesOf(tf, "digitalocean_database_firewall")).toEqual([
      expect.objectContaining({
        rule: [{ type: "k8s", value: "${data.digitalocean_kubernetes_cluster.Doks.id}" }],
      }),
    ]);
    expect(resourcesOf(tf, "digitalocean_database_db")).toEqual([
      expect.objectContaining({ name: "orders" }),
    ]);
    expect(resourcesOf(tf, "digitalocean_database_user")).toEqual([
      expect.objectContaining({ name: "orders" }),
    ]);
  });

  test("Redis runs on Valkey; Kafka users get their ACLs; one user shared by two databases once", () => {
    const { tf } = dataStack({
      postgres: {
        databases: [
          { name: "orders", user: "shop" },
          { name: "billing", user: "shop" },
        ],
      },
      redis: {},
      kafka: { users: [{ name: "shop", topic: "orders", permission: "produce" }] },
    });
    expect(
      resourcesOf(tf, "digitalocean_database_cluster")
        .map((c) => `${String(c.name)} ${String(c.engine)}`)
        .sort(),
    ).toEqual(["test-kafka kafka", "test-postgres pg", "test-redis valkey"]);

    expect(resourcesOf(tf, "digitalocean_database_user")).toEqual([
      expect.objectContaining({
        name: "shop",
        cluster_id: expect.stringMatching(/Kafka/),
        settings: [{ acl: [{ topic: "orders", permission: "produce" }] }],
      }),
      expect.objectContaining({ name: "shop", cluster_id: expect.stringMatching(/Postgres/) }),
    ]);
  });

  test("a guest's databases live next to the owner's cluster, under the guest's names", () => {
    const env = testEnv({
      name: "guest",
      tier: "staging",
      backend: { type: "gcs", bucket: "tf-state" },
      targets: {
        digitalocean: {
          region: "fra1",
          network: { ipRange: "10.200.0.0/20" },
          databases: { postgres: {} },
        },
      },
      workloads: { sharedCluster: { environment: "owner", cloud: "digitalocean" } },
    });
    const tf = synthJson(
      new DoDataStack(new App(), "guest-do-data", {
        env,
        databases: env.targets.digitalocean!.databases!,
        cluster: ownerRef,
      }),
    );
    expect(tf.data?.digitalocean_vpc?.Vpc).toMatchObject({ name: "owner-vpc" });
    expect(tf.data?.digitalocean_kubernetes_cluster?.Doks).toMatchObject({ name: "owner-doks" });
    expect(resourcesOf(tf, "digitalocean_database_cluster")).toEqual([
      expect.objectContaining({
        name: "guest-postgres",
        region: "nyc3",
        lifecycle: { prevent_destroy: true },
      }),
    ]);
  });

  test("each database cluster gets CPU, memory and disk alerts sent to the channels (none without one)", () => {
    const dbs = { postgres: { databases: [{ name: "orders", user: "orders" }] }, redis: {} };
    const { tf } = dataStack(dbs, {
      alerts: {
        channels: {
          ops: { type: "slack", channel: "#ops", doWebhookUrlVariable: "ops_slack_url" },
        },
      },
    });
    const alerts = resourcesOf(tf, "digitalocean_monitor_alert");
    expect(alerts).toHaveLength(6);
    const entities = [...new Set(alerts.map((a) => (a.entities as string[]).join()))].sort();
    expect(entities).toEqual([
      expect.stringMatching(/^\$\{digitalocean_database_cluster\.Postgres_Cluster_\w+\.id\}$/),
      expect.stringMatching(/^\$\{digitalocean_database_cluster\.Redis_Cluster_\w+\.id\}$/),
    ]);
    expect(alerts[0]).toMatchObject({
      value: 95,
      window: "30m",
      alerts: { slack: [{ channel: "#ops", url: "${var.ops_slack_url}" }] },
    });
    expect(tf.variable?.ops_slack_url).toMatchObject({ sensitive: true, nullable: false });
    expect(resourcesOf(dataStack(dbs).tf, "digitalocean_monitor_alert")).toEqual([]);
  });

  test("database cluster names", () => {
    expect(doDatabaseClusterName("prod", "postgres")).toBe("prod-postgres");
    expect(doDatabaseClusterName("prod", "redis")).toBe("prod-redis");
  });
});
