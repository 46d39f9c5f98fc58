import { DataDigitaloceanKubernetesVersions } from "@cdktf/provider-digitalocean/lib/data-digitalocean-kubernetes-versions";
import { KubernetesCluster } from "@cdktf/provider-digitalocean/lib/kubernetes-cluster";
import { KubernetesNodePool } from "@cdktf/provider-digitalocean/lib/kubernetes-node-pool";
import { Construct } from "constructs";
import { parseCidr } from "../common/cidr";
import { checkName, NAME_RULES } from "../common/naming";
import { DEFAULT_DOKS_VERSION_PREFIX } from "../common/kubernetes-versions";

/** A Kubernetes taint on a pool's nodes. */
export interface DoksTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A node pool: fixed size (nodeCount) or autoscaled (autoScale). */
export interface DoksNodePoolSpec {
  /** Droplet size slug, e.g. s-2vcpu-4gb. @see https://slugs.do-api.dev/ */
  readonly size: string;
  /** Fixed node count; ignored (and must be left out) when autoScale is set. @default 2 */
  readonly nodeCount?: number;
  /** Autoscaler bounds; DOKS needs minNodes >= 1. @default - fixed size */
  readonly autoScale?: { readonly minNodes: number; readonly maxNodes: number };
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly DoksTaint[];
}

/** An extra node pool, a resource of its own. */
export interface DoksExtraPoolSpec extends DoksNodePoolSpec {
  /** Pool name, unique in the cluster; it is also the pool's construct id (renaming replaces the pool). */
  readonly name: string;
}

/** Props of {@link DoksCluster}. */
export interface DoksClusterProps {
  /** Physical cluster name; the Helm layers look the cluster up by it. */
  readonly name: string;
  /** Region slug, e.g. nyc3. */
  readonly region: string;
  /** UUID of the VPC the nodes join. */
  readonly vpcUuid: string;
  /** Exact version slug (1.36.1-do.0). Exclusive with versionPrefix. @default - resolved from versionPrefix */
  readonly version?: string;
  /** Minor version prefix resolved with `digitalocean_kubernetes_versions`. @default "1.36." (unless version is set) */
  readonly versionPrefix?: string;
  /** Highly available control plane. @default false */
  readonly highAvailability?: boolean;
  /** @default true */
  readonly autoUpgrade?: boolean;
  /** @default true */
  readonly surgeUpgrade?: boolean;
  /** Weekly window, UTC. @default { day: "sunday", startTime: "03:00" } */
  readonly maintenanceWindow?: { readonly day: string; readonly startTime: string };
  /** The pool created with the cluster; its size is set at creation only. @default - s-2vcpu-4gb, 2 nodes */
  readonly defaultPool?: DoksNodePoolSpec;
  /** Extra pools for workloads. @default [] */
  readonly pools?: readonly DoksExtraPoolSpec[];
  /** Addresses allowed to reach the Kubernetes API. @default - no control-plane firewall */
  readonly controlPlaneAllowedAddresses?: readonly string[];
  /** Pull from the account's container registry. @default false */
  readonly registryIntegration?: boolean;
  /** Refuse any plan that destroys or replaces the cluster (`prevent_destroy`). @default false */
  readonly deletionProtection?: boolean;
  /** Extra tags on the cluster. @default [] */
  readonly tags?: readonly string[];
}

/** The smallest general-purpose size DOKS recommends for system pods (2 vCPU, 4 GB). */
const DEFAULT_POOL_SIZE = "s-2vcpu-4gb";
/** Two nodes keep system pods (CoreDNS, CSI, cilium operator) running through a node drain. */
const DEFAULT_POOL_NODES = 2;
/** A quiet hour on Sunday, UTC. */
const DEFAULT_MAINTENANCE_WINDOW = { day: "sunday", startTime: "03:00" } as const;
/** Name of the pool created with the cluster. */
const DEFAULT_POOL_NAME = "default";
/** DigitalOcean's limit on nodes in a pool. */
const MAX_POOL_NODES = 512;

/** The StorageClass DOKS ships with the DigitalOcean CSI driver; Helm layers use it for volumes. */
export const DOKS_STORAGE_CLASS = "do-block-storage";

const DAYS = ["any", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const SIZE_RE = /^[a-z][a-z0-9_]*(-[a-z0-9_]+)+$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A DigitalOcean Kubernetes (DOKS) cluster in a VPC: patch auto-upgrades with surge in a weekly
 * window, a small default pool that never forces the cluster's replacement, extra pools (fixed
 * or autoscaled, with labels and taints), an optional control-plane firewall and registry access.
 */
export class DoksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  readonly pools: readonly KubernetesNodePool[];
  /** Present when the version comes from a prefix. */
  readonly versions?: DataDigitaloceanKubernetesVersions;
  /** The StorageClass for persistent volumes. */
  readonly storageClassName = DOKS_STORAGE_CLASS;

  constructor(scope: Construct, id: string, props: DoksClusterProps) {
    super(scope, id);
    const path = this.node.path;
    const window = props.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW;
    const defaultPool = props.defaultPool ?? { size: DEFAULT_POOL_SIZE };
    const pools = props.pools ?? [];
    const autoUpgrade = props.autoUpgrade ?? true;
    validate(props, path, window, defaultPool, pools, autoUpgrade);

    let version = props.version;
    if (version === undefined) {
      this.versions = new DataDigitaloceanKubernetesVersions(this, "Versions", {
        versionPrefix: props.versionPrefix ?? DEFAULT_DOKS_VERSION_PREFIX,
      });
      version = this.versions.latestVersion;
    }

    const ignoreChanges = [
      // DigitalOcean replaces the whole cluster when the default pool's size changes: the size is
      // applied at creation only. https://github.com/digitalocean/terraform-provider-digitalocean/issues/424
      "node_pool[0].size",
      ...(defaultPool.autoScale ? ["node_pool[0].node_count"] : []),
    ];
    this.cluster = new KubernetesCluster(this, "Cluster", {
      name: props.name,
      region: props.region,
      version,
      vpcUuid: props.vpcUuid,
      ha: props.highAvailability ?? false,
      autoUpgrade,
      surgeUpgrade: props.surgeUpgrade ?? true,
      maintenancePolicy: { day: window.day, startTime: window.startTime },
      registryIntegration: props.registryIntegration ?? false,
      // Deleting the cluster must not delete volumes and load balancers the workloads created.
      destroyAllAssociatedResources: false,
      nodePool: { name: DEFAULT_POOL_NAME, ...poolSettings(defaultPool) },
      ...(props.controlPlaneAllowedAddresses
        ? {
            controlPlaneFirewall: {
              enabled: true,
              allowedAddresses: [...props.controlPlaneAllowedAddresses],
            },
          }
        : {}),
      tags: [...(props.tags ?? [])],
      lifecycle: { ignoreChanges, preventDestroy: props.deletionProtection ?? false },
    });

    this.pools = pools.map(
      (pool) =>
        new KubernetesNodePool(this, `Pool-${pool.name}`, {
          clusterId: this.cluster.id,
          name: pool.name,
          ...poolSettings(pool),
          ...(pool.autoScale ? { lifecycle: { ignoreChanges: ["node_count"] } } : {}),
        }),
    );
  }

  /** Cluster id: the value of a `k8s` rule in database and droplet firewalls. */
  get clusterId(): string {
    return this.cluster.id;
  }

  /** The Kubernetes API endpoint. */
  get endpoint(): string {
    return this.cluster.endpoint;
  }
}

/** Pool settings shared by the default pool and the extra pools. */
function poolSettings(pool: DoksNodePoolSpec) {
  return {
    size: pool.size,
    ...(pool.autoScale
      ? { autoScale: true, minNodes: pool.autoScale.minNodes, maxNodes: pool.autoScale.maxNodes }
      : { autoScale: false, nodeCount: pool.nodeCount ?? DEFAULT_POOL_NODES }),
    ...(pool.labels && Object.keys(pool.labels).length > 0 ? { labels: { ...pool.labels } } : {}),
    ...(pool.taints && pool.taints.length > 0
      ? { taint: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) }
      : {}),
  };
}

function validate(
  props: DoksClusterProps,
  path: string,
  window: { day: string; startTime: string },
  defaultPool: DoksNodePoolSpec,
  pools: readonly DoksExtraPoolSpec[],
  autoUpgrade: boolean,
): void {
  const nameProblem = checkName(props.name, NAME_RULES.digitalocean);
  if (nameProblem) throw new Error(`${path}: name: ${nameProblem}`);
  if (!/^[a-z]{3}\d$/.test(props.region)) {
    throw new Error(
      `${path}: region "${props.region}" is not a DigitalOcean region slug; write it like nyc3`,
    );
  }
  if (props.version !== undefined && props.versionPrefix !== undefined) {
    throw new Error(`${path}: set either version or versionPrefix, not both`);
  }
  if (props.version !== undefined && autoUpgrade) {
    throw new Error(
      `${path}: version ${props.version} is pinned but autoUpgrade is on (the next plan would downgrade an auto-upgraded cluster); set autoUpgrade: false or use versionPrefix`,
    );
  }
  if (!DAYS.includes(window.day)) {
    throw new Error(
      `${path}: maintenanceWindow.day "${window.day}" is not one of ${DAYS.join(", ")}`,
    );
  }
  if (!TIME_RE.test(window.startTime)) {
    throw new Error(
      `${path}: maintenanceWindow.startTime "${window.startTime}" must be HH:MM (UTC), 00:00–23:59`,
    );
  }
  const seen = new Set([DEFAULT_POOL_NAME]);
  const check = (pool: DoksNodePoolSpec, where: string) => {
    if (!SIZE_RE.test(pool.size)) {
      throw new Error(
        `${path}: ${where}.size "${pool.size}" is not a DigitalOcean size slug; write it like s-2vcpu-4gb`,
      );
    }
    const a = pool.autoScale;
    if (a) {
      if (pool.nodeCount !== undefined) {
        throw new Error(
          `${path}: ${where}.nodeCount is owned by the autoscaler when autoScale is set; remove nodeCount`,
        );
      }
      if (a.minNodes < 1 || a.maxNodes > MAX_POOL_NODES || a.minNodes > a.maxNodes) {
        throw new Error(
          `${path}: ${where}.autoScale minNodes (${a.minNodes}) must be <= maxNodes (${a.maxNodes}), within 1–${MAX_POOL_NODES}`,
        );
      }
    } else if (
      pool.nodeCount !== undefined &&
      (pool.nodeCount < 1 || pool.nodeCount > MAX_POOL_NODES)
    ) {
      throw new Error(
        `${path}: ${where}.nodeCount (${pool.nodeCount}) must be within 1–${MAX_POOL_NODES}`,
      );
    }
  };
  check(defaultPool, "defaultPool");
  pools.forEach((pool, i) => {
    const where = `pools[${i}]`;
    const problem = checkName(pool.name, { ...NAME_RULES.dnsLabel, what: "node pool name" });
    if (problem) throw new Error(`${path}: ${where}.name: ${problem}`);
    if (seen.has(pool.name)) {
      throw new Error(
        `${path}: ${where}.name "${pool.name}" is already used in this cluster; pool names must be unique and not "${DEFAULT_POOL_NAME}"`,
      );
    }
    seen.add(pool.name);
    check(pool, where);
  });
  for (const address of props.controlPlaneAllowedAddresses ?? []) {
    if (!parseCidr(address.includes("/") ? address : `${address}/32`)) {
      throw new Error(
        `${path}: controlPlaneAllowedAddresses: "${address}" is not an IPv4 address or CIDR`,
      );
    }
  }
  if (props.controlPlaneAllowedAddresses?.length === 0) {
    throw new Error(
      `${path}: controlPlaneAllowedAddresses is empty, which would lock everyone out of the API; leave it out for no firewall`,
    );
  }
}
