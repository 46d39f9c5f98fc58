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
    },
    aws: {
      region: "us-east-1",
      network: { vpcCidr: "10.30.0.0/16" },
      cluster: {
        version: "1.33",
        // Dev only: the API is reachable from anywhere (still authenticated); list cidrs to narrow it.
        publicEndpoint: { enabled: true },
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
      network: { ipRange: "10.100.0.0/20" },
    },
  },
});
