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
      // Managed PostgreSQL with a standby (2 nodes, tier default), admitting only prod-doks.
      databases: {
        postgres: { size: "db-s-2vcpu-4gb", databases: [{ name: "app", user: "app" }] },
      },
    },
  },
});
