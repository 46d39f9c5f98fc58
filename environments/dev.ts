import { AWS_EVENT_STORE_IDENTITIES, GCP_PUBSUB, GCP_WORKLOAD_IDENTITIES } from "./angzarr";
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
      projectNumber: "418205336741",
      region: "us-central1",
      zones: ["us-central1-a"],
      network: {
        subnetCidr: "10.10.0.0/20",
        podsCidr: "10.16.0.0/14",
        servicesCidr: "10.20.0.0/20",
      },
      cluster: {
        authorizedNetworks: [{ cidr: "203.0.113.0/24", name: "office" }],
        nodePools: [
          { name: "general", machineType: "e2-standard-4", minNodes: 1, maxNodes: 3, spot: true },
        ],
      },
      eventStore: { instanceId: "angzarr-events", zones: ["us-central1-a"], nodes: 1 },
      pubsub: GCP_PUBSUB,
      workloadIdentities: GCP_WORKLOAD_IDENTITIES,
    },
    aws: {
      region: "us-east-1",
      network: { vpcCidr: "10.30.0.0/16" },
      cluster: {
        // Dev: a public API endpoint for the operators' VPN and the CI runners' egress range only
        // (policy NET-2 refuses an endpoint open to the internet unless waived).
        publicEndpoint: { enabled: true, cidrs: ["198.51.100.0/24"] },
        nodeGroups: [
          {
            name: "default",
            instanceTypes: ["t3.large", "t3a.large"],
            capacityType: "SPOT",
            minSize: 1,
            desiredSize: 2,
            maxSize: 3,
          },
        ],
      },
      // angzarr runs on Kafka on AWS in dev (workloads.buses.kafka), so no SNS/SQS here.
      eventStore: {},
      workloadIdentities: AWS_EVENT_STORE_IDENTITIES,
    },
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.100.0.0/20" },
      // DOKS with the defaults: 2 × s-2vcpu-4gb, latest 1.36 patch, Sunday 03:00 UTC window.
      // The API answers only the operators' VPN and the CI runners' egress range.
      cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
    },
  },
  workloads: {
    // Apps with hosts are reached over HTTPS through the environment's Gateway; dev's certificates
    // come from Let's Encrypt's staging directory (the tier's default).
    edge: { zone: "dev.angzarr.io", acme: { email: "platform@angzarr.io" } },
    databases: { postgresql: {}, redis: {}, clickhouse: {}, meilisearch: {} },
    buses: { rabbitmq: {}, kafka: { clouds: ["aws"] } },
    apps: {
      angzarr: {
        image: { repository: "ghcr.io/angzarr/angzarr", tag: "main" },
        eventStore: { gcp: "bigtable", aws: "dynamodb", digitalocean: "postgres" },
        bus: { gcp: "pubsub", aws: "kafka", digitalocean: "rabbitmq" },
        healthPath: "/healthz",
        logLevel: "debug",
        // One host per cluster: a host name points at one load balancer.
        hosts: {
          gcp: ["events.gcp.dev.angzarr.io"],
          aws: ["events.aws.dev.angzarr.io"],
          digitalocean: ["events.do.dev.angzarr.io"],
        },
      },
      backend: {
        image: { repository: "ghcr.io/angzarr/backend", tag: "main" },
        database: true,
        cache: true,
        analytics: true,
        search: true,
        bus: "rabbitmq",
        healthPath: "/healthz",
        logLevel: "debug",
        hosts: {
          gcp: ["api.gcp.dev.angzarr.io"],
          aws: ["api.aws.dev.angzarr.io"],
          digitalocean: ["api.do.dev.angzarr.io"],
        },
      },
      "ai-service": {
        image: { repository: "ghcr.io/angzarr/ai-service", tag: "main" },
        bus: "rabbitmq",
        cache: true,
        logLevel: "debug",
      },
      scheduler: {
        image: { repository: "docker.io/n8nio/n8n", tag: "2.41.3" }, // >= the CVE floor in facts/apps/n8n.json
        // n8n follows its own contract (modules/common/app-contracts.ts): DB_TYPE and
        // DB_POSTGRESDB_* from the database, a kept N8N_ENCRYPTION_KEY, port 5678, /healthz, uid 1000.
        logLevel: "debug",
        database: true,
        // n8n 2.x writes binary data to ~/.n8n (an emptyDir here) unless told to keep it in the database.
        env: { N8N_DIAGNOSTICS_ENABLED: "false", N8N_DEFAULT_BINARY_DATA_MODE: "database" },
      },
    },
  },
});
