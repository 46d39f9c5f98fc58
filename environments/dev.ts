import { defineEnvironment } from "./schema";

/** Development: one zone, no HA, local state, cheap defaults. */
export default defineEnvironment({
  name: "dev",
  tier: "dev",
  owner: "platform",
  team: "angzarr",
  targets: {
    gcp: {
      project: "angzarr-dev",
      region: "us-central1",
      zones: ["us-central1-a"],
      network: {
        subnetCidr: "10.10.0.0/20",
        podsCidr: "10.16.0.0/14",
        servicesCidr: "10.20.0.0/20",
      },
      cluster: {},
    },
    aws: {
      region: "us-east-1",
      network: { vpcCidr: "10.30.0.0/16" },
      cluster: {},
    },
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.100.0.0/20" },
      cluster: {},
    },
  },
  workloads: {
    images: { bitnami: { registry: "docker.io", namespace: "bitnamilegacy" } },
    databases: { postgresql: {}, redis: {} },
    buses: { rabbitmq: {}, kafka: { clouds: ["aws"] } },
    apps: {
      angzarr: {
        image: { repository: "ghcr.io/angzarr/angzarr", tag: "main" },
        eventStore: { gcp: "bigtable", aws: "dynamodb", digitalocean: "postgres" },
        bus: { gcp: "pubsub", aws: "kafka", digitalocean: "rabbitmq" },
        healthPath: "/healthz",
        logLevel: "debug",
      },
      backend: {
        image: { repository: "ghcr.io/angzarr/backend", tag: "main" },
        database: true,
        cache: true,
        bus: "rabbitmq",
        healthPath: "/healthz",
        logLevel: "debug",
      },
      "ai-service": {
        image: { repository: "ghcr.io/angzarr/ai-service", tag: "main" },
        bus: "rabbitmq",
        cache: true,
        logLevel: "debug",
      },
      scheduler: {
        image: { repository: "docker.io/n8nio/n8n", tag: "1.98.1" },
        port: 5678,
        healthPath: "/healthz",
        databaseUrlEnv: "DATABASE_URL",
        env: { DB_TYPE: "postgresdb", N8N_PORT: "5678", N8N_DIAGNOSTICS_ENABLED: "false" },
        runAsUser: 1000,
        writablePaths: ["/home/node/.n8n", "/tmp"],
        logLevel: "debug",
      },
    },
  },
});
