import { DataDigitaloceanKubernetesVersions } from "@cdktf/provider-digitalocean/lib/data-digitalocean-kubernetes-versions";
import { KubernetesCluster } from "@cdktf/provider-digitalocean/lib/kubernetes-cluster";
import { KubernetesNodePool } from "@cdktf/provider-digitalocean/lib/kubernetes-node-pool";
import { Testing } from "cdktf";
import {
  DOKS_STORAGE_CLASS,
  DoksCluster,
  type DoksClusterProps,
} from "../../../modules/digitalocean/doks-cluster";

const props: DoksClusterProps = { name: "test-doks", region: "fra1", vpcUuid: "vpc-uuid" };
const synth = (p: Partial<DoksClusterProps> = {}) =>
  Testing.synthScope((scope) => void new DoksCluster(scope, "Doks", { ...props, ...p }));
type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };
const only = (json: string, type: string): Record<string, unknown> => {
  const all = Object.values((JSON.parse(json) as Tf).resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};

describe("DoksCluster defaults", () => {
  test("in the VPC, auto and surge upgrades, Sunday 03:00 window, no HA, no registry", () => {
    expect(synth()).toHaveResourceWithProperties(KubernetesCluster, {
      name: "test-doks",
      region: "fra1",
      vpc_uuid: "vpc-uuid",
      ha: false,
      auto_upgrade: true,
      surge_upgrade: true,
      maintenance_policy: { day: "sunday", start_time: "03:00" },
      registry_integration: false,
      destroy_all_associated_resources: false,
    });
  });

  test("the version is the latest of the default minor, from the versions data source", () => {
    const out = synth();
    expect(out).toHaveDataSourceWithProperties(DataDigitaloceanKubernetesVersions, {
      version_prefix: "1.36.",
    });
    expect(only(out, "digitalocean_kubernetes_cluster").version).toMatch(
      /^\$\{data\.digitalocean_kubernetes_versions\.\w+\.latest_version\}$/,
    );
  });

  test("a small fixed default pool whose size never forces the cluster's replacement", () => {
    const cluster = only(synth(), "digitalocean_kubernetes_cluster");
    expect(cluster.node_pool).toEqual({
      name: "default",
      size: "s-2vcpu-4gb",
      auto_scale: false,
      node_count: 2,
    });
    expect(cluster.lifecycle).toEqual({
      ignore_changes: ["node_pool[0].size"],
      prevent_destroy: false,
    });
  });

  test("no control-plane firewall and no extra pools", () => {
    const out = synth();
    expect(only(out, "digitalocean_kubernetes_cluster").control_plane_firewall).toBeUndefined();
    expect(out).not.toHaveResource(KubernetesNodePool);
  });

  test("the storage class for Helm layers is DOKS's CSI class", () => {
    let doks: DoksCluster | undefined;
    Testing.synthScope((scope) => void (doks = new DoksCluster(scope, "Doks", props)));
    expect(doks?.storageClassName).toBe("do-block-storage");
    expect(DOKS_STORAGE_CLASS).toBe("do-block-storage");
  });
});

describe("DoksCluster options", () => {
  test("a pinned version without the data source", () => {
    const out = synth({ version: "1.32.2-do.0", autoUpgrade: false });
    expect(out).toHaveResourceWithProperties(KubernetesCluster, {
      version: "1.32.2-do.0",
      auto_upgrade: false,
    });
    expect(out).not.toHaveDataSource(DataDigitaloceanKubernetesVersions);
  });

  test("another version prefix", () => {
    expect(synth({ versionPrefix: "1.32." })).toHaveDataSourceWithProperties(
      DataDigitaloceanKubernetesVersions,
      { version_prefix: "1.32." },
    );
  });

  test("HA control plane, surge off, another window, registry, tags, deletion protection", () => {
    const out = synth({
      highAvailability: true,
      surgeUpgrade: false,
      maintenanceWindow: { day: "any", startTime: "22:30" },
      registryIntegration: true,
      tags: ["cost-center:k8s"],
      deletionProtection: true,
    });
    expect(out).toHaveResourceWithProperties(KubernetesCluster, {
      ha: true,
      surge_upgrade: false,
      maintenance_policy: { day: "any", start_time: "22:30" },
      registry_integration: true,
      tags: ["cost-center:k8s"],
    });
    expect(only(out, "digitalocean_kubernetes_cluster").lifecycle).toMatchObject({
      prevent_destroy: true,
    });
  });

  test("control-plane firewall with the allowed addresses", () => {
    expect(
      synth({ controlPlaneAllowedAddresses: ["203.0.113.7", "198.51.100.0/24"] }),
    ).toHaveResourceWithProperties(KubernetesCluster, {
      control_plane_firewall: {
        enabled: true,
        allowed_addresses: ["203.0.113.7", "198.51.100.0/24"],
      },
    });
  });

  test("an autoscaled default pool leaves node_count to the autoscaler", () => {
    const cluster = only(
      synth({ defaultPool: { size: "s-2vcpu-4gb", autoScale: { minNodes: 1, maxNodes: 3 } } }),
      "digitalocean_kubernetes_cluster",
    );
    expect(cluster.node_pool).toEqual({
      name: "default",
      size: "s-2vcpu-4gb",
      auto_scale: true,
      min_nodes: 1,
      max_nodes: 3,
    });
    expect(cluster.lifecycle).toMatchObject({
      ignore_changes: ["node_pool[0].size", "node_pool[0].node_count"],
    });
  });

  test("extra pools: fixed and autoscaled, with labels and taints, addressed by name", () => {
    const out = synth({
      pools: [
        { name: "fixed", size: "c-4", nodeCount: 4 },
        {
          name: "workloads",
          size: "s-4vcpu-8gb",
          autoScale: { minNodes: 2, maxNodes: 6 },
          labels: { "example.com/pool": "workloads" },
          taints: [{ key: "dedicated", value: "workloads", effect: "NoSchedule" }],
        },
      ],
    });
    expect(out).toHaveResourceWithProperties(KubernetesNodePool, {
      name: "fixed",
      size: "c-4",
      auto_scale: false,
      node_count: 4,
    });
    const pools = (JSON.parse(out) as Tf).resource.digitalocean_kubernetes_node_pool;
    const workloads = Object.entries(pools).find(([, p]) => p.name === "workloads");
    expect(workloads?.[0]).toMatch(/^Doks_Pool-workloads_/);
    expect(workloads?.[1]).toMatchObject({
      cluster_id: expect.stringMatching(/digitalocean_kubernetes_cluster\.\w+\.id/),
      auto_scale: true,
      min_nodes: 2,
      max_nodes: 6,
      labels: { "example.com/pool": "workloads" },
      taint: [{ key: "dedicated", value: "workloads", effect: "NoSchedule" }],
      lifecycle: { ignore_changes: ["node_count"] },
    });
    expect(workloads?.[1].node_count).toBeUndefined();
  });
});

describe("DoksCluster validation", () => {
  test("a region that is not a slug", () => {
    expect(() => synth({ region: "New York 3" })).toThrow(
      /region "New York 3" is not a DigitalOcean region slug/,
    );
  });
  test("a node size that is not a slug", () => {
    expect(() => synth({ defaultPool: { size: "2 vCPU / 4 GB" } })).toThrow(
      /defaultPool\.size "2 vCPU \/ 4 GB" is not a DigitalOcean size slug/,
    );
    expect(() => synth({ pools: [{ name: "big", size: "Large" }] })).toThrow(/pools\[0\]\.size/);
  });
  test("autoscale min > max, and min < 1", () => {
    const pool = (minNodes: number, maxNodes: number) => ({
      pools: [{ name: "w", size: "s-2vcpu-4gb", autoScale: { minNodes, maxNodes } }],
    });
    expect(() => synth(pool(5, 3))).toThrow(
      /pools\[0\]\.autoScale minNodes \(5\) must be <= maxNodes \(3\)/,
    );
    expect(() => synth(pool(0, 3))).toThrow(/minNodes \(0\)/);
  });
  test("nodeCount together with autoScale", () => {
    expect(() =>
      synth({
        defaultPool: { size: "s-2vcpu-4gb", nodeCount: 3, autoScale: { minNodes: 1, maxNodes: 3 } },
      }),
    ).toThrow(/defaultPool\.nodeCount is owned by the autoscaler/);
  });
  test("a maintenance window with an invalid day or hour", () => {
    expect(() => synth({ maintenanceWindow: { day: "funday", startTime: "03:00" } })).toThrow(
      /maintenanceWindow\.day "funday" is not one of any, monday/,
    );
    expect(() => synth({ maintenanceWindow: { day: "sunday", startTime: "25:00" } })).toThrow(
      /maintenanceWindow\.startTime "25:00" must be HH:MM/,
    );
  });
  test("version and versionPrefix together; a pinned version with auto-upgrades", () => {
    expect(() =>
      synth({ version: "1.33.1-do.0", versionPrefix: "1.33.", autoUpgrade: false }),
    ).toThrow(/either version or versionPrefix/);
    expect(() => synth({ version: "1.33.1-do.0" })).toThrow(/pinned but autoUpgrade is on/);
  });
  test("duplicate pool names, or the default pool's", () => {
    const p = { size: "s-2vcpu-4gb" };
    expect(() =>
      synth({
        pools: [
          { name: "a", ...p },
          { name: "a", ...p },
        ],
      }),
    ).toThrow(/pools\[1\]\.name "a" is already used/);
    expect(() => synth({ pools: [{ name: "default", ...p }] })).toThrow(
      /pools\[0\]\.name "default"/,
    );
  });
  test("control-plane addresses that are not IPs, or none at all", () => {
    expect(() => synth({ controlPlaneAllowedAddresses: ["office"] })).toThrow(
      /"office" is not an IPv4 address or CIDR/,
    );
    expect(() => synth({ controlPlaneAllowedAddresses: [] })).toThrow(/lock everyone out/);
  });
  test("a name DigitalOcean refuses", () => {
    expect(() => synth({ name: "Test_DOKS" })).toThrow(/name: .*may contain only/);
  });
});
