import { Construct } from "constructs";
import {
  bitnamiChartRelease,
  bitnamiFullname,
  bitnamiGlobal,
  bitnamiImage,
  bitnamiPersistence,
  bitnamiResources,
  RETAIN_PVCS,
  type BitnamiReleaseProps,
} from "./bitnami";
import type { HelmChartRelease } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import {
  checkMinimum,
  checkQuantity,
  checkResources,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link Redis}. */
export interface RedisProps extends BitnamiReleaseProps {
  /** bitnami/redis chart version. @default "23.1.1" */
  readonly version?: string;
  /** Replication with Sentinel failover; off = one standalone master. @default true */
  readonly sentinel?: boolean;
  /** Redis nodes with sentinel (each also runs a sentinel). @default 3 */
  readonly replicas?: number;
  /** Volume per node. @default "2Gi" */
  readonly storage?: string;
  /** @default - requests 50m / 64Mi, memory limit 128Mi */
  readonly resources?: ResourceRequirements;
}

/**
 * The newest bitnami/redis whose values.yaml could be read (2026-02). The seeds' 24.0.0 was not
 * found in any index; pin it only after `helm show values … --version 24.0.0` matches the fixture.
 */
export const DEFAULT_REDIS_VERSION = "23.1.1";
/** Sentinel's default quorum (2) needs three sentinels, one per Redis node. */
export const MIN_SENTINEL_REPLICAS = 3;
/** The Sentinel master set name (chart default). */
export const SENTINEL_MASTER_SET = "mymaster";
/** A Redis or Valkey node's resources unless set: Bitnami's `nano` preset. */
export const CACHE_NODE_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "128Mi" },
};

/**
 * The shape of a Redis-protocol set, Bitnami's or Valkey's: Sentinel (default) with at least 3
 * nodes for a quorum of 2, or one node; 2Gi per node and {@link CACHE_NODE_RESOURCES} unless set.
 */
export function cacheSet(
  path: string,
  props: {
    readonly sentinel?: boolean;
    readonly replicas?: number;
    readonly storage?: string;
    readonly resources?: ResourceRequirements;
  },
) {
  const sentinel = props.sentinel ?? true;
  const replicas = props.replicas ?? (sentinel ? MIN_SENTINEL_REPLICAS : 1);
  if (sentinel) {
    checkMinimum(
      path,
      "replicas",
      replicas,
      MIN_SENTINEL_REPLICAS,
      "Sentinel's quorum of 2 needs 3 sentinels; use 3, or sentinel: false",
    );
  }
  const storage = props.storage ?? "2Gi";
  const resources = props.resources ?? CACHE_NODE_RESOURCES;
  checkQuantity(path, "storage", storage);
  checkResources(path, "resources", resources);
  return { sentinel, replicas, storage, resources };
}
/** Sentinels are tiny: Bitnami's `nano` preset. */
const SENTINEL_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "128Mi" },
};
/** The key the chart reads from `auth.existingSecret`. */
export const REDIS_PASSWORD_KEY = "redis-password";

/** How applications reach a Redis release. */
export interface RedisConnection {
  /** The master (standalone) or the Sentinel-aware service (sentinel). */
  readonly host: string;
  readonly port: number;
  /** With sentinel: the Sentinel port and master set. */
  readonly sentinel?: { readonly port: number; readonly masterSet: string };
  readonly secretName: string;
  readonly passwordKey: string;
}

/** Redis (bitnami/redis): Sentinel replication or one master, password from a generated Secret. */
export class Redis extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: RedisConnection;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const path = this.node.path;
    const { sentinel, replicas, storage, resources } = cacheSet(path, props);
    const fullname = bitnamiFullname(props.name, "redis");

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: [REDIS_PASSWORD_KEY],
      labels: props.labels,
    });
    const node = {
      ...bitnamiResources(resources),
      persistence: bitnamiPersistence(storage, props.storageClass),
      persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
    };
    const values: RedisValues = {
      global: bitnamiGlobal(props.storageClass),
      commonLabels: { ...props.labels },
      image: bitnamiImage(props.images, "redis"),
      volumePermissions: { image: bitnamiImage(props.images, "os-shell") },
      sysctl: { image: bitnamiImage(props.images, "os-shell") },
      kubectl: { image: bitnamiImage(props.images, "kubectl") },
      metrics: {
        enabled: props.metrics ?? false,
        image: bitnamiImage(props.images, "redis-exporter"),
      },
      architecture: sentinel ? "replication" : "standalone",
      auth: {
        enabled: true,
        sentinel: true,
        existingSecret: this.credentials.name,
        existingSecretPasswordKey: REDIS_PASSWORD_KEY,
      },
      sentinel: {
        enabled: sentinel,
        image: bitnamiImage(props.images, "redis-sentinel"),
        masterSet: SENTINEL_MASTER_SET,
        ...bitnamiResources(SENTINEL_RESOURCES),
      },
      master: node,
      replica: { ...node, replicaCount: sentinel ? replicas : 0 },
    };
    this.release = bitnamiChartRelease(this, "redis", DEFAULT_REDIS_VERSION, props, values, [
      this.credentials.secret,
    ]);
    this.connection = redisConnection({ ...props, sentinel });
  }
}

/** Where a {@link Redis} release is reached. */
export function redisConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly sentinel?: boolean;
}): RedisConnection {
  const fullname = bitnamiFullname(p.name, "redis");
  const sentinel = p.sentinel ?? true;
  return {
    host: `${sentinel ? fullname : `${fullname}-master`}.${p.namespace}.svc.cluster.local`,
    port: 6379,
    ...(sentinel ? { sentinel: { port: 26379, masterSet: SENTINEL_MASTER_SET } } : {}),
    secretName: `${fullname}-credentials`,
    passwordKey: REDIS_PASSWORD_KEY,
  };
}

type Image = ReturnType<typeof bitnamiImage>;
type Node = ReturnType<typeof bitnamiResources> & {
  readonly persistence: ReturnType<typeof bitnamiPersistence>;
  readonly persistentVolumeClaimRetentionPolicy: typeof RETAIN_PVCS;
};

/** The bitnami/redis values Strata sets. */
export interface RedisValues {
  readonly global: ReturnType<typeof bitnamiGlobal>;
  readonly commonLabels: Record<string, string>;
  readonly image: Image;
  readonly volumePermissions: { readonly image: Image };
  readonly sysctl: { readonly image: Image };
  readonly kubectl: { readonly image: Image };
  readonly metrics: { readonly enabled: boolean; readonly image: Image };
  readonly architecture: "standalone" | "replication";
  readonly auth: {
    readonly enabled: boolean;
    readonly sentinel: boolean;
    readonly existingSecret: string;
    readonly existingSecretPasswordKey: string;
  };
  readonly sentinel: ReturnType<typeof bitnamiResources> & {
    readonly enabled: boolean;
    readonly image: Image;
    readonly masterSet: string;
  };
  readonly master: Node;
  readonly replica: Node & { readonly replicaCount: number };
}
