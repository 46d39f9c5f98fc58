import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { Testing } from "cdktf";
import { GkeCluster } from "../../../modules/gcp/gke-cluster";
import { GkeNodePool, type GkeNodePoolProps } from "../../../modules/gcp/gke-node-pool";

const synth = (p: Partial<Omit<GkeNodePoolProps, "cluster">> = {}) =>
  Testing.synthScope((scope) => {
    const cluster = new GkeCluster(scope, "Gke", {
      name: "test-gke",
      project: "strata-test",
      location: "europe-west1",
      network: "test-vpc",
      subnetwork: "test-vpc",
    });
    new GkeNodePool(scope, "Pool", { cluster, name: "general", ...p });
  });

describe("GkeNodePool defaults", () => {
  test("belongs to the cluster, in its location, autoscaled 1–3 per zone", () => {
    expect(synth()).toHaveResourceWithProperties(ContainerNodePool, {
      name: "general",
      cluster: "${google_container_cluster.Gke_Cluster_9563D70B.id}",
      location: "europe-west1",
      autoscaling: { min_node_count: 1, max_node_count: 3, location_policy: "BALANCED" },
      initial_node_count: 1,
      lifecycle: { ignore_changes: ["initial_node_count"] },
    });
  });

  test("auto-repair, auto-upgrade, surge upgrades", () => {
    expect(synth()).toHaveResourceWithProperties(ContainerNodePool, {
      management: { auto_repair: true, auto_upgrade: true },
      upgrade_settings: { strategy: "SURGE", max_surge: 1, max_unavailable: 0 },
    });
  });

  test("nodes: dedicated service account, GKE metadata server, shielded VMs, no legacy endpoints", () => {
    expect(synth()).toHaveResourceWithProperties(ContainerNodePool, {
      node_config: expect.objectContaining({
        machine_type: "e2-standard-4",
        disk_size_gb: 100,
        disk_type: "pd-balanced",
        image_type: "COS_CONTAINERD",
        spot: false,
        service_account: "${google_service_account.Gke_NodeServiceAccount_1B3F26BD.email}",
        oauth_scopes: ["https://www.googleapis.com/auth/cloud-platform"],
        workload_metadata_config: { mode: "GKE_METADATA" },
        shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
        metadata: { "disable-legacy-endpoints": "true" },
      }),
    });
  });
});

describe("GkeNodePool options", () => {
  test("machine, disk, spot, labels and taints", () => {
    expect(
      synth({
        machineType: "n2-standard-8",
        diskSizeGb: 200,
        diskType: "pd-ssd",
        spot: true,
        minNodes: 0,
        maxNodes: 10,
        labels: { "workload-class": "batch" },
        taints: [{ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" }],
      }),
    ).toHaveResourceWithProperties(ContainerNodePool, {
      autoscaling: { min_node_count: 0, max_node_count: 10, location_policy: "BALANCED" },
      initial_node_count: 1,
      node_config: expect.objectContaining({
        machine_type: "n2-standard-8",
        disk_size_gb: 200,
        disk_type: "pd-ssd",
        spot: true,
        labels: { "workload-class": "batch" },
        taint: [{ key: "dedicated", value: "batch", effect: "NO_SCHEDULE" }],
      }),
    });
  });

  test("auto-repair/upgrade and surge can be changed", () => {
    expect(
      synth({ autoRepair: false, autoUpgrade: false, maxSurge: 0, maxUnavailable: 1 }),
    ).toHaveResourceWithProperties(ContainerNodePool, {
      management: { auto_repair: false, auto_upgrade: false },
      upgrade_settings: { strategy: "SURGE", max_surge: 0, max_unavailable: 1 },
    });
  });
});

describe("GkeNodePool validation", () => {
  test("min > max", () => {
    expect(() => synth({ minNodes: 5, maxNodes: 3 })).toThrow(
      /minNodes \(5\) must be <= maxNodes \(3\)/,
    );
  });
  test("no surge and no unavailability", () => {
    expect(() => synth({ maxSurge: 0, maxUnavailable: 0 })).toThrow(/upgrades cannot proceed/);
  });
  test("bad name, bad taint effect, tiny disk", () => {
    expect(() => synth({ name: "General_Pool" })).toThrow(/node pool name "General_Pool"/);
    expect(() =>
      synth({ taints: [{ key: "k", value: "v", effect: "NoSchedule" as never }] }),
    ).toThrow(/taints\[0\]\.effect "NoSchedule" must be one of/);
    expect(() => synth({ diskSizeGb: 5 })).toThrow(/diskSizeGb \(5\) must be >= 10/);
  });
});
