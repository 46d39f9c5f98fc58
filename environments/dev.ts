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
    },
    digitalocean: {
      region: "nyc3",
      network: { ipRange: "10.100.0.0/20" },
      // DOKS with the defaults: 2 × s-2vcpu-4gb, latest 1.33 patch, Sunday 03:00 UTC window.
      // The API answers only the operators' VPN and the CI runners' egress range.
      cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
    },
  },
});
