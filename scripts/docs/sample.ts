/**
 * The environment the docs generator synthesizes to learn which stacks each cloud gets and what
 * an application is wired to: every layer on every cloud, every store and bus, every in-cluster
 * service, and an app of each kind. It is a real, valid environment (nothing idle, policy clean),
 * so what the generated tables say is what synthesis does.
 */
import type { EnvironmentInput } from "../../environments/schema";

/** Its name: the generated tables write `<env>` where it appears in a stack name. */
export const SAMPLE_NAME = "acme";

export const SAMPLE: EnvironmentInput = {
  name: SAMPLE_NAME,
  tier: "dev",
  owner: "platform",
  team: "docs",
  targets: {
    gcp: {
      project: "acme-dev",
      projectNumber: "123456789012",
      region: "europe-west1",
      cluster: { authorizedNetworks: [{ cidr: "203.0.113.0/24", name: "office" }] },
      // Not `<env>-events`: the instance is the configured instanceId.
      eventStore: { instanceId: "ledger-store" },
      pubsub: { topics: { orders: {} }, subscriptions: { billing: { topic: "orders" } } },
      workloadIdentities: [
        { app: "ledger", eventStore: "read-write", publishes: ["orders"], subscribes: ["billing"] },
      ],
    },
    aws: {
      region: "eu-west-1",
      accountId: "123456789012",
      cluster: {},
      eventStore: {},
      messaging: {
        topics: [{ name: "orders" }],
        consumers: [{ name: "billing", topic: "orders" }],
      },
      workloadIdentities: [
        { app: "ledger", eventStore: "read-write", publishes: ["orders"], consumes: ["billing"] },
      ],
    },
    digitalocean: {
      region: "ams3",
      network: { ipRange: "10.120.0.0/20" },
      cluster: { controlPlaneFirewall: { allowedAddresses: ["203.0.113.0/24"] } },
      databases: {
        reason: "read by the finance team's reporting job through its Secret",
        postgres: { databases: [{ name: "reports", user: "reports" }] },
      },
    },
  },
  workloads: {
    images: { bitnami: { registry: "docker.io", namespace: "bitnamilegacy" } },
    databases: { postgresql: {}, redis: {}, clickhouse: {}, meilisearch: {} },
    buses: { rabbitmq: {}, kafka: {} },
    apps: {
      ledger: {
        image: { repository: "ghcr.io/acme/ledger", tag: "1.0.0" },
        eventStore: { gcp: "bigtable", aws: "dynamodb", digitalocean: "postgres" },
        bus: { gcp: "pubsub", aws: "sns-sqs", digitalocean: "kafka" },
      },
      web: {
        image: { repository: "ghcr.io/acme/web", tag: "1.0.0" },
        database: true,
        databaseUrlEnv: "DATABASE_URL",
        cache: true,
        analytics: true,
        search: true,
        bus: "rabbitmq",
      },
      flows: { image: { repository: "docker.io/n8nio/n8n", tag: "2.41.3" }, database: true },
    },
  },
  // The seeds' image debt (docs/policy.md#image-debt), waived the same way.
  waivers: [
    {
      rule: "IMG-1",
      resource: "*/Postgresql/Chart/Release/*",
      reason:
        "PostgreSQL runs Bitnami's frozen images (docker.io/bitnamilegacy) until it moves to the CloudNativePG operator (docs/policy.md#image-debt)",
      owner: "platform",
      expires: "2027-02-26",
    },
    {
      rule: "IMG-1",
      resource: "*/Rabbitmq/Chart/Release/*",
      reason:
        "RabbitMQ runs Bitnami's frozen images (docker.io/bitnamilegacy) until it moves to the RabbitMQ cluster operator (docs/policy.md#image-debt)",
      owner: "platform",
      expires: "2027-02-26",
    },
    {
      rule: "IMG-1",
      resource: "*/Kafka/Chart/Release/*",
      reason:
        "Kafka runs Bitnami's frozen images (docker.io/bitnamilegacy) until it moves to the Strimzi operator (docs/policy.md#image-debt)",
      owner: "platform",
      expires: "2027-02-26",
    },
    {
      rule: "IMG-1",
      resource: "*/Clickhouse/Chart/Release/*",
      reason:
        "ClickHouse runs Bitnami's frozen images (docker.io/bitnamilegacy) until it moves to an operator (docs/policy.md#image-debt)",
      owner: "platform",
      expires: "2027-02-26",
    },
  ],
};
