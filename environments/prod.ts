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
    },
    aws: {
      region: "us-east-1",
      network: { vpcCidr: "10.70.0.0/16" },
      cluster: {
        version: "1.33",
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
            minSize: 3,
            desiredSize: 3,
            maxSize: 12,
            autoscaled: true,
            labels: { "strata.io/pool": "workloads" },
          },
        ],
      },
      eventStore: {},
      messaging: {
        topics: [{ name: "events" }],
        consumers: [
          { name: "angzarr-projector", topic: "events" },
          { name: "backend", topic: "events" },
          { name: "ai-service", topic: "events", visibilityTimeoutSeconds: 300 },
          { name: "scheduler", topic: "events" },
        ],
      },
      workloadIdentities: [
        {
          app: "angzarr",
          eventStore: "read-write",
          publishes: ["events"],
          consumes: ["angzarr-projector"],
        },
        { app: "backend", eventStore: "read", consumes: ["backend"] },
        { app: "ai-service", consumes: ["ai-service"] },
        { app: "scheduler", publishes: ["events"], consumes: ["scheduler"] },
      ],
    },
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.102.0.0/20" },
    },
  },
});
