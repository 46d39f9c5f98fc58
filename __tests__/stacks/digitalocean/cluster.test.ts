import { App } from "cdktf";
import type { EnvironmentInput } from "../../../environments/schema";
import type { DoTargetInput } from "../../../environments/schema/digitalocean";
import { DoClusterStack } from "../../../stacks/digitalocean/cluster";
import { testEnv } from "../../support/env";
import { resourcesOf, synthJson } from "../../support/synth";

function clusterStack(
  cluster: DoTargetInput["cluster"],
  overrides: Partial<EnvironmentInput> = {},
) {
  const env = testEnv({
    targets: { digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster } },
    ...overrides,
  });
  const target = env.targets.digitalocean!;
  return synthJson(
    new DoClusterStack(new App(), "test-do-cluster", { env, target, cluster: target.cluster! }),
  );
}

describe("DoClusterStack", () => {
  test("the cluster is <env>-doks in the region, in the VPC found by name", () => {
    const tf = clusterStack({});
    expect(tf.data?.digitalocean_vpc).toEqual({
      Vpc: expect.objectContaining({ name: "test-vpc" }),
    });
    const [cluster] = resourcesOf(tf, "digitalocean_kubernetes_cluster");
    expect(cluster).toMatchObject({
      name: "test-doks",
      region: "fra1",
      vpc_uuid: "${data.digitalocean_vpc.Vpc.id}",
      ha: false,
      node_pool: { name: "default", size: "s-2vcpu-4gb", node_count: 2 },
    });
  });

  test("standard labels become tags; no remote state", () => {
    const tf = clusterStack({ tags: ["extra"] });
    const [cluster] = resourcesOf(tf, "digitalocean_kubernetes_cluster");
    expect(cluster.tags).toEqual([
      "environment:test",
      "extra",
      "managed-by:strata",
      "owner:platform",
      "team:core",
    ]);
    expect(tf.data?.terraform_remote_state).toBeUndefined();
  });

  test("prod tier: HA, 3 default nodes, prevent_destroy; config reaches the module", () => {
    const tf = clusterStack(
      {
        maintenanceWindow: { day: "monday", startTime: "01:00" },
        controlPlaneFirewall: { allowedAddresses: ["203.0.113.0/24"] },
        registryIntegration: true,
        pools: [{ name: "work", size: "s-4vcpu-8gb", autoScale: { minNodes: 2, maxNodes: 5 } }],
      },
      { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } },
    );
    const [cluster] = resourcesOf(tf, "digitalocean_kubernetes_cluster");
    expect(cluster).toMatchObject({
      ha: true,
      node_pool: { node_count: 3 },
      maintenance_policy: { day: "monday", start_time: "01:00" },
      control_plane_firewall: { enabled: true, allowed_addresses: ["203.0.113.0/24"] },
      registry_integration: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(resourcesOf(tf, "digitalocean_kubernetes_node_pool")).toEqual([
      expect.objectContaining({ name: "work", min_nodes: 2, max_nodes: 5, auto_scale: true }),
    ]);
  });
});
