import { defineEnvironment } from "./schema";

/** Production: regional and replicated, CMEK, deletion protection, state in S3 with native locking. */
export default defineEnvironment({
  name: "prod",
  tier: "prod",
  owner: "platform",
  team: "angzarr",
  backend: { type: "s3", bucket: "angzarr-tfstate-prod", region: "us-east-1", keyPrefix: "prod" },
  targets: {
    gcp: {
      project: "angzarr-prod",
      region: "us-central1",
      zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
      network: {
        subnetCidr: "10.60.0.0/20",
        podsCidr: "10.64.0.0/14",
        servicesCidr: "10.68.0.0/20",
      },
      cluster: {},
    },
    aws: {
      region: "us-east-1",
      network: { vpcCidr: "10.70.0.0/16" },
      cluster: {},
    },
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.102.0.0/20" },
      cluster: {},
    },
  },
  workloads: {
    images: { bitnami: { registry: "docker.io", namespace: "bitnamilegacy" } },
    databases: { postgresql: {}, redis: {} },
    buses: { rabbitmq: {} },
    apps: {
      angzarr: {
        image: { repository: "ghcr.io/angzarr/angzarr", tag: "0.4.3" },
        eventStore: { gcp: "bigtable", aws: "dynamodb", digitalocean: "postgres" },
        bus: { gcp: "pubsub", aws: "sns-sqs", digitalocean: "rabbitmq" },
        healthPath: "/healthz",
        logLevel: "warn",
        autoscaling: { maxReplicas: 12 },
      },
      backend: {
        image: { repository: "ghcr.io/angzarr/backend", tag: "0.8.2" },
        database: true,
        cache: true,
        bus: "rabbitmq",
        healthPath: "/healthz",
        logLevel: "warn",
        autoscaling: { maxReplicas: 10 },
      },
      "ai-service": {
        image: { repository: "ghcr.io/angzarr/ai-service", tag: "0.2.4" },
        bus: "rabbitmq",
        cache: true,
        logLevel: "warn",
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
        autoscaling: { maxReplicas: 6 },
      },
      scheduler: {
        image: { repository: "docker.io/n8nio/n8n", tag: "1.98.1" },
        // n8n in regular mode runs one instance (queue mode would need workers and Redis).
        replicas: 1,
        pdb: false,
        port: 5678,
        healthPath: "/healthz",
        databaseUrlEnv: "DATABASE_URL",
        env: { DB_TYPE: "postgresdb", N8N_PORT: "5678", N8N_DIAGNOSTICS_ENABLED: "false" },
        runAsUser: 1000,
        writablePaths: ["/home/node/.n8n", "/tmp"],
      },
    },
  },
});
