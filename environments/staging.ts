import { ANGZARR_GIT, ANGZARR_REPOSITORIES, deployValues } from "./angzarr";
import { defineEnvironment } from "./schema";

/** Staging: production's shape at smaller sizes; state in GCS, encrypted. */
export default defineEnvironment({
  name: "staging",
  tier: "staging",
  owner: "platform",
  team: "angzarr",
  backend: { type: "gcs", bucket: "angzarr-tfstate", prefix: "staging" },
  targets: {
    // No GCP or AWS target: staging's workloads run on prod's shared DigitalOcean cluster and use
    // its in-cluster PostgreSQL and RabbitMQ, so a Bigtable, Pub/Sub, DynamoDB or SNS/SQS here
    // would have no consumer (environments/schema/usage.ts refuses that).
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.101.0.0/20" },
    },
  },
  // No cluster of its own: staging's Helm layers run on prod's DOKS cluster, in namespace "staging".
  workloads: {
    sharedCluster: { environment: "prod", cloud: "digitalocean" },
    databases: { postgresql: {}, redis: {} },
    buses: { rabbitmq: {} },
    // Staging's own Gateway in its namespace on prod's cluster, with certificates from Let's
    // Encrypt's production directory (the staging tier's default).
    edge: { zone: "staging.angzarr.io", acme: { email: "platform@angzarr.io" } },
    // Delivered by the Argo CD prod installs on the shared cluster, in project "staging".
    delivery: {
      mode: "argocd",
      argocd: {
        // Staging renders Strata's charts from main: chart changes reach it before prod's tag.
        charts: { repoURL: ANGZARR_GIT.infra, targetRevision: "main" },
        repositories: ANGZARR_REPOSITORIES,
        access: [{ group: "angzarr:developers", role: "sync" }],
      },
    },
    apps: {
      angzarr: {
        image: { repository: "ghcr.io/angzarr/angzarr", tag: "0.5.0-rc.2" },
        git: deployValues("staging", "angzarr", "main"),
        eventStore: "postgres",
        bus: "rabbitmq",
        healthPath: "/healthz",
        hosts: ["events.staging.angzarr.io"],
        // Placeholder image, as in prod: Atlas with angzarr's migrations, tagged like the app.
        migration: {
          image: { repository: "ghcr.io/angzarr/angzarr-migrations", tag: "0.5.0-rc.2" },
          args: ["migrate", "apply", "--dir", "file:///migrations", "--url", "$(DATABASE_URL)"],
        },
      },
      backend: {
        image: { repository: "ghcr.io/angzarr/backend", tag: "0.9.0-rc.1" },
        git: deployValues("staging", "backend", "main"),
        database: true,
        cache: true,
        bus: "rabbitmq",
        healthPath: "/healthz",
        hosts: ["api.staging.angzarr.io"],
      },
      "ai-service": {
        image: { repository: "ghcr.io/angzarr/ai-service", tag: "0.3.0-rc.1" },
        git: deployValues("staging", "ai-service", "main"),
        bus: "rabbitmq",
        cache: true,
      },
      scheduler: {
        image: { repository: "docker.io/n8nio/n8n", tag: "2.41.3" }, // >= the CVE floor in facts/apps/n8n.json
        git: deployValues("staging", "scheduler", "main"),
        // n8n follows its own contract (modules/common/app-contracts.ts): DB_TYPE and
        // DB_POSTGRESDB_* from the database, a kept N8N_ENCRYPTION_KEY, port 5678, /healthz, uid 1000.
        // n8n in regular mode runs one instance (queue mode would need workers and Redis).
        replicas: 1,
        database: true,
        // n8n 2.x writes binary data to ~/.n8n (an emptyDir here) unless told to keep it in the database.
        env: { N8N_DIAGNOSTICS_ENABLED: "false", N8N_DEFAULT_BINARY_DATA_MODE: "database" },
      },
    },
  },
});
