import {
  ANGZARR_GIT,
  ANGZARR_REPOSITORIES,
  AWS_MESSAGING,
  AWS_WORKLOAD_IDENTITIES,
  GCP_PUBSUB,
  GCP_WORKLOAD_IDENTITIES,
  deployValues,
} from "./angzarr";
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
      projectNumber: "902117645380",
      region: "us-central1",
      zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
      network: {
        subnetCidr: "10.60.0.0/20",
        podsCidr: "10.64.0.0/14",
        servicesCidr: "10.68.0.0/20",
      },
      cluster: {
        releaseChannel: "STABLE",
        authorizedNetworks: [{ cidr: "203.0.113.0/24", name: "office" }],
        nodePools: [{ name: "general", machineType: "e2-standard-8", minNodes: 1, maxNodes: 5 }],
      },
      eventStore: {
        instanceId: "angzarr-events",
        zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
        autoscaling: { minNodes: 1, maxNodes: 5, cpuTarget: 60 },
        changeStreamRetentionHours: 24,
      },
      pubsub: {
        ...GCP_PUBSUB,
        subscriptions: {
          ...GCP_PUBSUB.subscriptions,
          "angzarr-projector": {
            ...GCP_PUBSUB.subscriptions["angzarr-projector"],
            exactlyOnceDelivery: true,
          },
        },
      },
      workloadIdentities: GCP_WORKLOAD_IDENTITIES,
    },
    aws: {
      region: "us-east-1",
      network: { vpcCidr: "10.70.0.0/16" },
      cluster: {
        version: "1.36",
        // Private API endpoint only: the Helm layers are applied from inside the VPC.
        publicEndpoint: { enabled: false },
        logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        logRetentionDays: 365,
        nodeGroups: [
          {
            name: "system",
            instanceTypes: ["m6i.large"],
            minSize: 3,
            desiredSize: 3,
            maxSize: 6,
            labels: { "strata.io/pool": "system" },
          },
          {
            name: "workloads",
            instanceTypes: ["m6i.xlarge", "m6a.xlarge"],
            // Five xlarge nodes: prod's releases request ~17 vCPU (ClickHouse, PostgreSQL HA,
            // RabbitMQ, Redis Sentinel, apps) and no autoscaler is installed to add nodes.
            minSize: 5,
            desiredSize: 5,
            maxSize: 12,
            autoscaled: true,
            labels: { "strata.io/pool": "workloads" },
          },
        ],
      },
      eventStore: {},
      messaging: AWS_MESSAGING,
      workloadIdentities: AWS_WORKLOAD_IDENTITIES,
    },
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.102.0.0/20" },
      // HA control plane (tier default); a small fixed default pool, workloads on an autoscaled pool.
      cluster: {
        // The API answers only the operators' VPN and the CI runners' egress range.
        controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] },
        pools: [
          {
            name: "workloads",
            size: "s-4vcpu-8gb",
            autoScale: { minNodes: 3, maxNodes: 9 },
            labels: { "strata.dev/pool": "workloads" },
          },
        ],
      },
    },
  },
  alerts: {
    channels: {
      // Every alert by email; critical ones also page through PagerDuty: the integration key in
      // Secret Manager (GCP), the CloudWatch integration URL in Secrets Manager (AWS), both read
      // by the stacks at apply time.
      oncall: { type: "email", address: "oncall@angzarr.example" },
      pager: {
        type: "pagerduty",
        gcpServiceKeySecretId: "pagerduty-service-key",
        awsIntegrationUrlSecretId: "strata/prod/pagerduty-cloudwatch-url",
      },
    },
  },
  workloads: {
    // Databases and buses may take up to 160 minutes to come up the first time (restores, HA
    // members joining one by one); applications keep the tier's 15 minutes.
    timeoutSeconds: { stateful: 9600 },
    databases: { postgresql: {}, redis: {}, clickhouse: {}, meilisearch: {} },
    buses: { rabbitmq: {} },
    edge: {
      zone: "angzarr.io",
      acme: { email: "platform@angzarr.io" },
      // Two load balancer nodes on DigitalOcean, where most traffic lands.
      loadBalancer: { digitalocean: { sizeUnit: 2 } },
    },
    // Argo CD on the shared DOKS cluster only: it delivers prod's and staging's apps there; GKE and
    // EKS keep Helm releases. Login by SSO only (no local admin, so no initial password Secret).
    platform: {
      // In-cluster alerts (replication, failover, disks, pods) page through PagerDuty: the Events
      // API v2 routing key in a Secret created in namespace monitoring on each cluster.
      monitoring: {
        receivers: {
          pager: {
            type: "pagerduty",
            secret: { name: "alertmanager-pagerduty", key: "routingKey" },
          },
        },
      },
      argocd: {
        enabled: true,
        clouds: ["digitalocean"],
        sso: {
          url: "https://argocd.angzarr.io",
          issuer: "https://login.angzarr.example",
          clientId: "argocd",
          clientSecretRef: { name: "argocd-oidc", key: "clientSecret" },
        },
        admins: ["angzarr:platform"],
      },
    },
    delivery: {
      mode: { digitalocean: "argocd" },
      argocd: {
        // Strata's charts/ at the infrastructure release tag prod runs.
        charts: { repoURL: ANGZARR_GIT.infra, targetRevision: "v2026.11.0" },
        repositories: ANGZARR_REPOSITORIES,
        access: [
          { group: "angzarr:developers", role: "read" },
          { group: "angzarr:releasers", role: "sync" },
        ],
      },
    },
    apps: {
      angzarr: {
        image: { repository: "ghcr.io/angzarr/angzarr", tag: "0.4.3" },
        git: deployValues("prod", "angzarr", "main"),
        eventStore: { gcp: "bigtable", aws: "dynamodb", digitalocean: "postgres" },
        bus: { gcp: "pubsub", aws: "sns-sqs", digitalocean: "rabbitmq" },
        healthPath: "/healthz",
        logLevel: "warn",
        autoscaling: { maxReplicas: 12 },
        hosts: {
          gcp: ["events.gcp.angzarr.io"],
          aws: ["events.aws.angzarr.io"],
          digitalocean: ["events.angzarr.io"],
        },
        // Placeholder image: Atlas (arigaio/atlas) with angzarr's migrations directory baked in,
        // published with each angzarr release. Runs where angzarr's event store is PostgreSQL
        // (DigitalOcean), before angzarr's release; a new tag runs it again.
        migration: {
          image: { repository: "ghcr.io/angzarr/angzarr-migrations", tag: "0.4.3" },
          args: ["migrate", "apply", "--dir", "file:///migrations", "--url", "$(DATABASE_URL)"],
          timeoutSeconds: 900,
        },
      },
      backend: {
        image: { repository: "ghcr.io/angzarr/backend", tag: "0.8.2" },
        git: deployValues("prod", "backend", "main"),
        database: true,
        cache: true,
        analytics: true,
        search: true,
        bus: "rabbitmq",
        healthPath: "/healthz",
        logLevel: "warn",
        autoscaling: { maxReplicas: 10 },
        hosts: {
          gcp: ["api.gcp.angzarr.io"],
          aws: ["api.aws.angzarr.io"],
          digitalocean: ["api.angzarr.io"],
        },
      },
      "ai-service": {
        image: { repository: "ghcr.io/angzarr/ai-service", tag: "0.2.4" },
        git: deployValues("prod", "ai-service", "main"),
        bus: "rabbitmq",
        cache: true,
        logLevel: "warn",
        resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
        autoscaling: { maxReplicas: 6 },
      },
      scheduler: {
        image: { repository: "docker.io/n8nio/n8n", tag: "2.41.3" }, // >= the CVE floor in facts/apps/n8n.json
        git: deployValues("prod", "scheduler", "main"),
        // n8n follows its own contract (modules/common/app-contracts.ts): DB_TYPE and
        // DB_POSTGRESDB_* from the database, a kept N8N_ENCRYPTION_KEY, port 5678, /healthz, uid 1000.
        // n8n in regular mode runs one instance (queue mode would need workers and Redis).
        replicas: 1,
        pdb: false,
        database: true,
        // n8n 2.x writes binary data to ~/.n8n (an emptyDir here) unless told to keep it in the database.
        env: { N8N_DIAGNOSTICS_ENABLED: "false", N8N_DEFAULT_BINARY_DATA_MODE: "database" },
      },
    },
  },
});
