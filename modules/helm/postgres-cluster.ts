import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { BackupCredentials, BackupStore } from "../common/backup-store";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import {
  checkQuantity,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";
import type { PostgresConnection } from "./postgresql";

/**
 * The PostgreSQL image every CloudNativePG cluster runs: 18.4, the operator 1.30.0's default
 * (cloudnative-pg v1.30.0 pkg/versions/versions.go#L28-L29) and the CVE floor (PostgreSQL
 * 18.4/17.10, 2026-05-14, CVE-2026-6473/-6475/-6477/-6637; docs/data-services.md). Set
 * explicitly so an operator upgrade does not change the database's minor version by itself.
 */
export const CNPG_POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie";
/** The `-rw` Service's port (CloudNativePG docs/src/service_management.md#L14-L18). */
export const CNPG_PORT = 5432;
/** Keys CloudNativePG reads from the owner's Secret (internal/management/utils/secrets.go#L30-L43). */
export const CNPG_SECRET_KEYS = { username: "username", password: "password" } as const;
/** Instances with high availability: a primary and two standbys, one of them synchronous. */
export const CNPG_HA_MINIMUM = 3;

/** Props of {@link PostgresCluster}. */
export interface PostgresClusterProps {
  /** Release name, also the Cluster's, its Services' prefix and its ServiceAccount's. */
  readonly name: string;
  readonly namespace: string;
  /** charts/postgres-cluster. */
  readonly chart: ChartSource;
  /** Replicated with quorum synchronous replication and zone spread (≥ 3 instances). */
  readonly ha: boolean;
  /** The nodes carry topology.kubernetes.io/zone (not on DOKS): HA spreads the instances by zone. @default true */
  readonly zones?: boolean;
  /** PostgreSQL instances (1 without ha). */
  readonly instances: number;
  readonly storageClass: string;
  readonly storage: string;
  readonly resources: ResourceRequirements;
  readonly database: string;
  readonly username: string;
  /** Where backups go (postgresBackupStore), with the retention and schedule. @default - no backups */
  readonly backup?: {
    readonly store: BackupStore;
    readonly retention: string;
    readonly schedule: string;
  };
  /** Bootstrap from another release's backups instead of an empty database. */
  readonly restore?: {
    readonly from: string;
    readonly targetTime?: string;
    /** The store holding `from`'s backups (the same bucket, `from`'s folder). */
    readonly store: BackupStore;
  };
  /**
   * Import the app database from a running PostgreSQL (the Bitnami release being replaced):
   * `bootstrap.initdb.import` (microservice: one database, pg_dump/pg_restore) from an
   * externalClusters entry, as its superuser `postgres` with the password in `secretName`.
   */
  readonly import?: {
    readonly from: string;
    readonly host: string;
    readonly secretName: string;
    readonly passwordKey: string;
  };
  /** Annotations of the cluster's ServiceAccount (the backup identity). @default {} */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  readonly labels?: KubernetesLabels;
  readonly timeoutSeconds?: number;
  readonly maxHistory?: number;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One PostgreSQL cluster run by CloudNativePG (charts/postgres-cluster): a Cluster bootstrapped
 * with the app database and owner (credentials from a generated Secret), quorum synchronous
 * replication and zone spread with high availability, and, with a backup store, the barman-cloud
 * plugin's ObjectStore, WAL archiving and a ScheduledBackup. The replacement of
 * {@link Postgresql}/{@link PostgresqlHa} (Bitnami).
 */
export class PostgresCluster extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: PostgresConnection;
  readonly values: PostgresClusterValues;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const path = this.node.path;
    checkQuantity(path, "storage", props.storage);
    checkResources(path, "resources", props.resources);
    if (props.ha && props.instances < CNPG_HA_MINIMUM) {
      throw new Error(
        `${path}: high availability needs at least ${CNPG_HA_MINIMUM} instances, got ${props.instances}`,
      );
    }
    if (!props.ha && props.instances !== 1) {
      throw new Error(
        `${path}: without high availability a cluster has 1 instance, got ${props.instances}`,
      );
    }
    if (props.restore && props.import) {
      throw new Error(`${path}: restore and import both bootstrap the cluster; give one`);
    }
    if (props.restore && props.restore.from === props.name) {
      throw new Error(`${path}: restore.from is the cluster itself (${props.name})`);
    }
    const secretName = cnpgSecretName(props.name);
    // Strata's Secret, not CloudNativePG's generated <cluster>-app: it exists before the cluster
    // (apps and migrations reference it by name), it outlives a re-created cluster, and a restored
    // cluster gets its owner's password from it (the instance manager sets the owner's password
    // from the application Secret on every reconcile, internal/management/controller/
    // instance_controller.go#L1386-L1391).
    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: secretName,
      namespace: props.namespace,
      passwordKeys: [CNPG_SECRET_KEYS.password],
      plainData: { [CNPG_SECRET_KEYS.username]: props.username },
      labels: props.labels,
    });
    this.values = {
      commonLabels: { ...props.labels },
      cluster: {
        instances: props.instances,
        imageName: CNPG_POSTGRES_IMAGE,
        storage: { size: props.storage, storageClass: props.storageClass },
        resources: props.resources,
        database: props.database,
        owner: props.username,
        secretName,
        // Quorum (ANY 1 of the standbys) synchronous commit; a failover promotes only a standby
        // the quorum knows has every commit (failoverQuorum). cluster_types.go#L1503-L1555.
        synchronous: props.ha
          ? { method: "any", number: 1, dataDurability: "required", failoverQuorum: true }
          : null,
        spreadAcrossZones: props.ha && (props.zones ?? true),
        serviceAccountAnnotations: { ...props.serviceAccountAnnotations },
      },
      backup: props.backup
        ? {
            ...storeValues(props.backup.store),
            retentionPolicy: props.backup.retention,
            schedule: props.backup.schedule,
          }
        : null,
      restore: props.restore
        ? {
            from: props.restore.from,
            ...(props.restore.targetTime ? { targetTime: props.restore.targetTime } : {}),
            store: storeValues(props.restore.store),
          }
        : null,
      import: props.import
        ? {
            from: props.import.from,
            host: props.import.host,
            secretName: props.import.secretName,
            passwordKey: props.import.passwordKey,
          }
        : null,
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name,
      namespace: props.namespace,
      chart: props.chart,
      values: this.values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: [this.credentials.secret, ...(props.dependsOn ?? [])],
    });
    this.connection = cnpgConnection(props);
  }
}

/** The Secret with the owner's credentials. */
export function cnpgSecretName(release: string): string {
  return `${release}-credentials`;
}

/** Where apps reach a {@link PostgresCluster}: its primary's `-rw` Service. */
export function cnpgConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly database?: string;
  readonly username?: string;
}): PostgresConnection {
  return {
    host: `${p.name}-rw.${p.namespace}.svc.cluster.local`,
    port: CNPG_PORT,
    database: p.database ?? "app",
    username: p.username ?? "app",
    secretName: cnpgSecretName(p.name),
    passwordKey: CNPG_SECRET_KEYS.password,
  };
}

/**
 * boto3 ≥ 1.36 sends checksums S3-compatible stores reject; the plugin's docs set these for
 * them (plugin-barman-cloud web/docs/object_stores.md#L150-L178). DigitalOcean Spaces only.
 */
const S3_COMPATIBLE_ENV = [
  { name: "AWS_REQUEST_CHECKSUM_CALCULATION", value: "when_required" },
  { name: "AWS_RESPONSE_CHECKSUM_VALIDATION", value: "when_required" },
];

function storeValues(store: BackupStore): StoreValues {
  return {
    destinationPath: store.destinationPath,
    ...(store.endpointUrl ? { endpointURL: store.endpointUrl, sidecarEnv: S3_COMPATIBLE_ENV } : {}),
    credentials: store.credentials,
  };
}

interface StoreValues {
  readonly destinationPath: string;
  readonly endpointURL?: string;
  readonly sidecarEnv?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly credentials: BackupCredentials;
}

/** charts/postgres-cluster values. */
export interface PostgresClusterValues {
  readonly commonLabels: Record<string, string>;
  readonly cluster: {
    readonly instances: number;
    readonly imageName: string;
    readonly storage: { readonly size: string; readonly storageClass: string };
    readonly resources: ResourceRequirements;
    readonly database: string;
    readonly owner: string;
    readonly secretName: string;
    readonly synchronous: {
      readonly method: "any" | "first";
      readonly number: number;
      readonly dataDurability: "required" | "preferred";
      readonly failoverQuorum: boolean;
    } | null;
    readonly spreadAcrossZones: boolean;
    readonly serviceAccountAnnotations: Record<string, string>;
  };
  readonly backup:
    (StoreValues & { readonly retentionPolicy: string; readonly schedule: string }) | null;
  readonly restore: {
    readonly from: string;
    readonly targetTime?: string;
    readonly store: StoreValues;
  } | null;
  readonly import: {
    readonly from: string;
    readonly host: string;
    readonly secretName: string;
    readonly passwordKey: string;
  } | null;
}
