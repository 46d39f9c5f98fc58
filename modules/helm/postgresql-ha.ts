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
import type { PostgresConnection } from "./postgresql";

/** Props of {@link PostgresqlHa}. */
export interface PostgresqlHaProps extends BitnamiReleaseProps {
  /** bitnami/postgresql-ha chart version. @default "16.3.2" */
  readonly version?: string;
  /** PostgreSQL nodes (one primary, the rest standbys). @default 3 */
  readonly replicas?: number;
  /** Pgpool nodes. @default 2 */
  readonly pgpoolReplicas?: number;
  /** @default "app" */
  readonly database?: string;
  /** @default "app" */
  readonly username?: string;
  /** Volume per PostgreSQL node. @default "8Gi" */
  readonly storage?: string;
  /** PostgreSQL resources. @default - requests 250m / 512Mi, memory limit 1Gi */
  readonly resources?: ResourceRequirements;
  /** Pgpool resources. @default - requests 100m / 256Mi, memory limit 512Mi */
  readonly pgpoolResources?: ResourceRequirements;
}

/** The version the seeds pin. */
export const DEFAULT_POSTGRESQL_HA_VERSION = "16.3.2";
/** repmgr needs at least one standby to fail over to; 3 (odd) keeps a witness-free quorum. */
export const MIN_POSTGRESQL_HA_REPLICAS = 2;
const DEFAULT_REPLICAS = 3;
/** Two Pgpools so the entry point survives a node drain. */
const DEFAULT_PGPOOL_REPLICAS = 2;
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { memory: "1Gi" },
};
const DEFAULT_PGPOOL_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { memory: "512Mi" },
};
/**
 * Fixed key names: postgresql-ha has no `secretKeys` overrides. `postgres-password` is read
 * because `postgresql.username` is not `postgres`.
 */
export const POSTGRESQL_HA_SECRET_KEYS = {
  postgresql: ["password", "repmgr-password", "postgres-password"],
  pgpool: ["admin-password", "sr-check-password"],
} as const;

/**
 * PostgreSQL with streaming replication and automatic failover (repmgr), behind Pgpool
 * (bitnami/postgresql-ha). Applications connect to Pgpool.
 */
export class PostgresqlHa extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly pgpoolCredentials: GeneratedSecret;
  readonly connection: PostgresConnection;

  constructor(scope: Construct, id: string, props: PostgresqlHaProps) {
    super(scope, id);
    const path = this.node.path;
    const replicas = props.replicas ?? DEFAULT_REPLICAS;
    const pgpoolReplicas = props.pgpoolReplicas ?? DEFAULT_PGPOOL_REPLICAS;
    checkMinimum(
      path,
      "replicas",
      replicas,
      MIN_POSTGRESQL_HA_REPLICAS,
      "PostgreSQL HA needs a standby to fail over to; use 3, or the single-server Postgresql",
    );
    checkMinimum(path, "pgpoolReplicas", pgpoolReplicas, 1, "Pgpool is the entry point");
    const storage = props.storage ?? "8Gi";
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const pgpoolResources = props.pgpoolResources ?? DEFAULT_PGPOOL_RESOURCES;
    checkQuantity(path, "storage", storage);
    checkResources(path, "resources", resources);
    checkResources(path, "pgpoolResources", pgpoolResources);
    const fullname = bitnamiFullname(props.name, "postgresql-ha");
    const database = props.database ?? "app";
    const username = props.username ?? "app";

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: POSTGRESQL_HA_SECRET_KEYS.postgresql,
      labels: props.labels,
    });
    this.pgpoolCredentials = new GeneratedSecret(this, "PgpoolCredentials", {
      name: `${fullname}-pgpool-credentials`,
      namespace: props.namespace,
      passwordKeys: POSTGRESQL_HA_SECRET_KEYS.pgpool,
      labels: props.labels,
    });
    const metrics = props.metrics ?? false;
    const values: PostgresqlHaValues = {
      global: bitnamiGlobal(props.storageClass),
      commonLabels: { ...props.labels },
      postgresql: {
        image: bitnamiImage(props.images, "postgresql-repmgr"),
        replicaCount: replicas,
        username,
        database,
        existingSecret: this.credentials.name,
        ...bitnamiResources(resources),
        pdb: { create: true, minAvailable: 1 },
      },
      pgpool: {
        image: bitnamiImage(props.images, "pgpool"),
        replicaCount: pgpoolReplicas,
        existingSecret: this.pgpoolCredentials.name,
        ...bitnamiResources(pgpoolResources),
        pdb: { create: pgpoolReplicas > 1, minAvailable: 1 },
      },
      metrics: { enabled: metrics, image: bitnamiImage(props.images, "postgres-exporter") },
      volumePermissions: { image: bitnamiImage(props.images, "os-shell") },
      persistence: bitnamiPersistence(storage, props.storageClass),
      persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
    };
    this.release = bitnamiChartRelease(
      this,
      "postgresql-ha",
      DEFAULT_POSTGRESQL_HA_VERSION,
      props,
      values,
      [this.credentials.secret, this.pgpoolCredentials.secret],
    );
    this.connection = postgresqlHaConnection({ ...props, database, username });
  }
}

/** Where a {@link PostgresqlHa} release is reached: through Pgpool. */
export function postgresqlHaConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly database?: string;
  readonly username?: string;
}): PostgresConnection {
  const fullname = bitnamiFullname(p.name, "postgresql-ha");
  return {
    host: `${fullname}-pgpool.${p.namespace}.svc.cluster.local`,
    port: 5432,
    database: p.database ?? "app",
    username: p.username ?? "app",
    secretName: `${fullname}-credentials`,
    passwordKey: POSTGRESQL_HA_SECRET_KEYS.postgresql[0],
  };
}

type Image = ReturnType<typeof bitnamiImage>;

/** The bitnami/postgresql-ha values Strata sets. */
export interface PostgresqlHaValues {
  readonly global: ReturnType<typeof bitnamiGlobal>;
  readonly commonLabels: Record<string, string>;
  readonly postgresql: ReturnType<typeof bitnamiResources> & {
    readonly image: Image;
    readonly replicaCount: number;
    readonly username: string;
    readonly database: string;
    readonly existingSecret: string;
    readonly pdb: { readonly create: boolean; readonly minAvailable: number };
  };
  readonly pgpool: ReturnType<typeof bitnamiResources> & {
    readonly image: Image;
    readonly replicaCount: number;
    readonly existingSecret: string;
    readonly pdb: { readonly create: boolean; readonly minAvailable: number };
  };
  readonly metrics: { readonly enabled: boolean; readonly image: Image };
  readonly volumePermissions: { readonly image: Image };
  readonly persistence: ReturnType<typeof bitnamiPersistence>;
  readonly persistentVolumeClaimRetentionPolicy: typeof RETAIN_PVCS;
}
