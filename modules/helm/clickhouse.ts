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
import { checkQuantity, checkResources, type ResourceRequirements } from "./kubernetes-values";
import { clickhouseTopology } from "./topologies";

/** Props of {@link Clickhouse}. */
export interface ClickhouseProps extends BitnamiReleaseProps {
  /** bitnami/clickhouse chart version. @default "9.4.7" */
  readonly version?: string;
  /** Shards (one StatefulSet each). @default 1 */
  readonly shards?: number;
  /** ClickHouse servers per shard. @default 1 */
  readonly replicas?: number;
  /**
   * ClickHouse Keeper nodes (Raft: 1, 3 or 5); 0 = no Keeper, only for one server per shard.
   * @default - 3 when replicas > 1, else 0
   */
  readonly keeperReplicas?: number;
  /** Login of the applications (the chart's admin user). @default "default" */
  readonly username?: string;
  /** Volume per ClickHouse server. @default "8Gi" */
  readonly storage?: string;
  /** Volume per Keeper node. @default "2Gi" */
  readonly keeperStorage?: string;
  /** Per server. @default - requests 250m / 512Mi, memory limit 1Gi */
  readonly resources?: ResourceRequirements;
  /** Per Keeper node. @default - requests 50m / 128Mi, memory limit 256Mi */
  readonly keeperResources?: ResourceRequirements;
}

/**
 * bitnami/clickhouse 9.4.7 (ClickHouse 25.7.5), released after 9.4.4: 9.4.5 and 9.4.6 were never
 * released (the chart's CHANGELOG and tags: facts/charts.json).
 */
export const DEFAULT_CLICKHOUSE_VERSION = "9.4.7";
/** Bitnami's `small` preset, the chart's default for the server. */
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { memory: "1Gi" },
};
/** Keeper holds only replication metadata: Bitnami's `micro` preset. */
const DEFAULT_KEEPER_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { memory: "256Mi" },
};
/**
 * The key Strata names in `auth.existingSecretKey` (the chart's helper falls back to
 * `admin-password` when it is empty; set explicitly so the fallback never matters).
 */
export const CLICKHOUSE_PASSWORD_KEY = "admin-password";
/** The chart's HTTP interface (service.ports.http); the native protocol is on 9000. */
export const CLICKHOUSE_HTTP_PORT = 8123;

/** How applications reach a ClickHouse release. */
export interface ClickhouseConnection {
  /** The service across every shard and replica. */
  readonly host: string;
  /** HTTP interface. */
  readonly port: number;
  readonly username: string;
  readonly secretName: string;
  readonly passwordKey: string;
}

/**
 * ClickHouse (bitnami/clickhouse): shards × replicas with ClickHouse Keeper for replication,
 * the admin password from a generated Secret.
 */
export class Clickhouse extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: ClickhouseConnection;

  constructor(scope: Construct, id: string, props: ClickhouseProps) {
    super(scope, id);
    const path = this.node.path;
    const { shards, replicas, keeperReplicas } = clickhouseTopology(path, props);
    const storage = props.storage ?? "8Gi";
    const keeperStorage = props.keeperStorage ?? "2Gi";
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const keeperResources = props.keeperResources ?? DEFAULT_KEEPER_RESOURCES;
    checkQuantity(path, "storage", storage);
    checkQuantity(path, "keeperStorage", keeperStorage);
    checkResources(path, "resources", resources);
    checkResources(path, "keeperResources", keeperResources);
    const fullname = bitnamiFullname(props.name, "clickhouse");
    const username = props.username ?? "default";

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: [CLICKHOUSE_PASSWORD_KEY],
      labels: props.labels,
    });
    const values: ClickhouseValues = {
      global: bitnamiGlobal(props.storageClass),
      commonLabels: { ...props.labels },
      image: bitnamiImage(props.images, "clickhouse"),
      defaultInitContainers: {
        volumePermissions: { image: bitnamiImage(props.images, "os-shell") },
      },
      auth: {
        username,
        existingSecret: this.credentials.name,
        existingSecretKey: CLICKHOUSE_PASSWORD_KEY,
      },
      shards,
      replicaCount: replicas,
      ...bitnamiResources(resources),
      persistence: bitnamiPersistence(storage, props.storageClass),
      persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
      metrics: { enabled: props.metrics ?? false },
      keeper: {
        enabled: keeperReplicas > 0,
        image: bitnamiImage(props.images, "clickhouse-keeper"),
        // The chart's default is 3 even when disabled; 1 keeps a disabled Keeper's value honest.
        replicaCount: Math.max(keeperReplicas, 1),
        ...bitnamiResources(keeperResources),
        persistence: bitnamiPersistence(keeperStorage, props.storageClass),
        persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
      },
    };
    this.release = bitnamiChartRelease(
      this,
      "clickhouse",
      DEFAULT_CLICKHOUSE_VERSION,
      props,
      values,
      [this.credentials.secret],
    );
    this.connection = clickhouseConnection({ ...props, username });
  }
}

/** Where a {@link Clickhouse} release is reached. */
export function clickhouseConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly username?: string;
}): ClickhouseConnection {
  const fullname = bitnamiFullname(p.name, "clickhouse");
  return {
    host: `${fullname}.${p.namespace}.svc.cluster.local`,
    port: CLICKHOUSE_HTTP_PORT,
    username: p.username ?? "default",
    secretName: `${fullname}-credentials`,
    passwordKey: CLICKHOUSE_PASSWORD_KEY,
  };
}

type Image = ReturnType<typeof bitnamiImage>;
type Stateful = ReturnType<typeof bitnamiResources> & {
  readonly persistence: ReturnType<typeof bitnamiPersistence>;
  readonly persistentVolumeClaimRetentionPolicy: typeof RETAIN_PVCS;
};

/** The bitnami/clickhouse values Strata sets. */
export type ClickhouseValues = Stateful & {
  readonly global: ReturnType<typeof bitnamiGlobal>;
  readonly commonLabels: Record<string, string>;
  readonly image: Image;
  readonly defaultInitContainers: { readonly volumePermissions: { readonly image: Image } };
  readonly auth: {
    readonly username: string;
    readonly existingSecret: string;
    readonly existingSecretKey: string;
  };
  readonly shards: number;
  readonly replicaCount: number;
  readonly metrics: { readonly enabled: boolean };
  readonly keeper: Stateful & {
    readonly enabled: boolean;
    readonly image: Image;
    readonly replicaCount: number;
  };
};
