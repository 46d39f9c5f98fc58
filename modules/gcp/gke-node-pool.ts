import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";
import { CLOUD_PLATFORM_SCOPE, type GkeCluster } from "./gke-cluster";

/** A Kubernetes taint on every node of a pool. */
export interface GkeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NO_SCHEDULE" | "PREFER_NO_SCHEDULE" | "NO_EXECUTE";
}

/** Props of {@link GkeNodePool}. */
export interface GkeNodePoolProps {
  /** The cluster the pool belongs to; its nodes run as the cluster's node service account. */
  readonly cluster: GkeCluster;
  /** Pool name, unique in the cluster (1–40 characters). */
  readonly name: string;
  /** @default "e2-standard-4" */
  readonly machineType?: string;
  /** Autoscaler minimum, per zone. @default 1 */
  readonly minNodes?: number;
  /** Autoscaler maximum, per zone. @default 3 */
  readonly maxNodes?: number;
  /** Boot disk size. @default 100 */
  readonly diskSizeGb?: number;
  /** @default "pd-balanced" */
  readonly diskType?: "pd-standard" | "pd-balanced" | "pd-ssd";
  /** @default "COS_CONTAINERD" */
  readonly imageType?: string;
  /** Spot VMs (cheap, preemptible). @default false */
  readonly spot?: boolean;
  /** @default true */
  readonly autoRepair?: boolean;
  /** @default true */
  readonly autoUpgrade?: boolean;
  /** Extra nodes during upgrades. @default 1 */
  readonly maxSurge?: number;
  /** Nodes that may be down during upgrades. @default 0 */
  readonly maxUnavailable?: number;
  /** Kubernetes node labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly GkeTaint[];
}

/** General-purpose 4 vCPU / 16 GB: room for the platform charts plus the applications. */
const DEFAULT_MACHINE_TYPE = "e2-standard-4";
/** One node per zone keeps a regional pool at three nodes, enough for 3 replicas spread by zone. */
const DEFAULT_MIN_NODES = 1;
const DEFAULT_MAX_NODES = 3;
/** 100 GB pd-balanced: image cache and logs; GKE's default disk is 100 GB too. */
const DEFAULT_DISK_SIZE_GB = 100;
const DEFAULT_DISK_TYPE = "pd-balanced";
/** Container-Optimized OS with containerd: required for shielded nodes and GKE sandbox. */
const DEFAULT_IMAGE_TYPE = "COS_CONTAINERD";
/** Surge one node, never take one away: upgrades without losing capacity (GKE's default). */
const DEFAULT_MAX_SURGE = 1;
const DEFAULT_MAX_UNAVAILABLE = 0;
const TAINT_EFFECTS = ["NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"];

/**
 * An autoscaled GKE node pool: auto-repair and auto-upgrade, surge upgrades, shielded VMs with
 * secure boot, the GKE metadata server (workload identity; node credentials hidden from pods), and
 * the cluster's dedicated least-privilege service account.
 */
export class GkeNodePool extends Construct {
  readonly resource: ContainerNodePool;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly machineType: string;

  constructor(scope: Construct, id: string, props: GkeNodePoolProps) {
    super(scope, id);
    this.minNodes = props.minNodes ?? DEFAULT_MIN_NODES;
    this.maxNodes = props.maxNodes ?? DEFAULT_MAX_NODES;
    this.machineType = props.machineType ?? DEFAULT_MACHINE_TYPE;
    const maxSurge = props.maxSurge ?? DEFAULT_MAX_SURGE;
    const maxUnavailable = props.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE;
    const diskSizeGb = props.diskSizeGb ?? DEFAULT_DISK_SIZE_GB;
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    const nameProblem = checkName(props.name, {
      ...NAME_RULES.gcp,
      maxLength: 40,
      what: "node pool name",
    });
    if (nameProblem) fail(`name: ${nameProblem}`);
    if (!Number.isInteger(this.minNodes) || this.minNodes < 0) {
      fail(`minNodes (${this.minNodes}) must be a whole number >= 0`);
    }
    if (!Number.isInteger(this.maxNodes) || this.maxNodes < 1) {
      fail(`maxNodes (${this.maxNodes}) must be a whole number >= 1`);
    }
    if (this.minNodes > this.maxNodes) {
      fail(
        `minNodes (${this.minNodes}) must be <= maxNodes (${this.maxNodes}); raise maxNodes or lower minNodes`,
      );
    }
    if (maxSurge < 0 || maxUnavailable < 0 || maxSurge + maxUnavailable === 0) {
      fail(
        `maxSurge (${maxSurge}) + maxUnavailable (${maxUnavailable}) must be > 0 and neither negative, or upgrades cannot proceed`,
      );
    }
    if (diskSizeGb < 10) fail(`diskSizeGb (${diskSizeGb}) must be >= 10 (GKE's minimum boot disk)`);
    (props.taints ?? []).forEach((t, i) => {
      if (!TAINT_EFFECTS.includes(t.effect)) {
        fail(`taints[${i}].effect "${t.effect}" must be one of ${TAINT_EFFECTS.join(", ")}`);
      }
    });

    const cluster = props.cluster;
    this.resource = new ContainerNodePool(this, "Pool", {
      project: cluster.project,
      name: props.name,
      cluster: cluster.resource.id,
      location: cluster.location,
      initialNodeCount: Math.max(this.minNodes, 1),
      autoscaling: {
        minNodeCount: this.minNodes,
        maxNodeCount: this.maxNodes,
        locationPolicy: "BALANCED",
      },
      management: { autoRepair: props.autoRepair ?? true, autoUpgrade: props.autoUpgrade ?? true },
      upgradeSettings: { strategy: "SURGE", maxSurge, maxUnavailable },
      nodeConfig: {
        machineType: this.machineType,
        diskSizeGb,
        diskType: props.diskType ?? DEFAULT_DISK_TYPE,
        imageType: props.imageType ?? DEFAULT_IMAGE_TYPE,
        spot: props.spot ?? false,
        serviceAccount: cluster.nodeServiceAccount.email,
        oauthScopes: [CLOUD_PLATFORM_SCOPE],
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        metadata: { "disable-legacy-endpoints": "true" },
        labels: { ...(props.labels ?? {}) },
        taint: (props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      },
      // The autoscaler owns the node count after creation.
      lifecycle: { ignoreChanges: ["initial_node_count"] },
    });
  }
}
