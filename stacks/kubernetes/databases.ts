import type { Construct } from "constructs";
import { Clickhouse } from "../../modules/helm/clickhouse";
import { Meilisearch } from "../../modules/helm/meilisearch";
import { Postgresql, POSTGRESQL_SECRET_KEYS } from "../../modules/helm/postgresql";
import { PostgresqlHa } from "../../modules/helm/postgresql-ha";
import { PostgresCluster } from "../../modules/helm/postgres-cluster";
import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import {
  postgresBackupPath,
  postgresBackupStore,
  type BackupStore,
} from "../../modules/common/backup-store";
import { Redis } from "../../modules/helm/redis";
import { Valkey } from "../../modules/helm/valkey";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects, databaseServices } from "./monitoring";

/**
 * `<env>-<cloud>-databases`: the in-cluster databases configured for this cluster, each with
 * generated credentials in a Secret. Upgrading one changes only this stack.
 */
export class DatabasesStack extends HelmLayerStack {
  /** `databases.postgresql`: a CloudNativePG cluster, or the deprecated Bitnami releases (engine "bitnami"). */
  readonly postgresql?: PostgresCluster | Postgresql | PostgresqlHa;
  /** The Bitnami release a CloudNativePG cluster imports from (`databases.postgresql.import`). */
  readonly importSource?: Postgresql | PostgresqlHa;
  /** `databases.redis`: Valkey, or the deprecated bitnami/redis (engine "bitnami"). */
  readonly redis?: Redis | Valkey;
  readonly clickhouse?: Clickhouse;
  readonly meilisearch?: Meilisearch;
  /** ServiceMonitors/PodMonitors and rules of the databases whose exporters are on. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, { ...props, generatesSecrets: true });
    const { databases, charts } = this.env.workloads;
    const pg = databases.postgresql;
    if (pg?.clouds.includes(this.cloud) && pg.engine !== "bitnami") {
      // While it imports from a Bitnami release, that release stays exactly as it was.
      this.importSource = pg.import && this.addBitnamiPostgres(pg, pg.import);
      this.postgresql = this.addPostgresCluster(pg);
    } else if (pg?.clouds.includes(this.cloud)) {
      // Deprecated (PostgreSQL 17.6 below the CVE floor): the same construct ids as before.
      const common = {
        ...this.releaseSettings("stateful"),
        name: pg.releaseName,
        images: bitnamiImages(pg.images),
        storageClass: this.storageClass,
        storage: pg.storage,
        resources: pg.resources,
        metrics: pg.metrics,
        database: pg.database,
        username: pg.username,
      };
      this.postgresql = pg.ha
        ? new PostgresqlHa(this, "PostgresqlHa", {
            ...common,
            version: charts.postgresqlHa,
            replicas: pg.replicas,
            pgpoolReplicas: pg.pgpoolReplicas,
            pgpoolResources: pg.pgpoolResources,
          })
        : new Postgresql(this, "Postgresql", { ...common, version: charts.postgresql });
    }
    const redis = databases.redis;
    if (redis?.clouds.includes(this.cloud)) {
      const set = {
        ...this.releaseSettings("stateful"),
        name: redis.releaseName,
        storageClass: this.storageClass,
        storage: redis.storage,
        resources: redis.resources,
        metrics: redis.metrics,
        sentinel: redis.sentinel,
        replicas: redis.replicas,
      };
      this.redis =
        redis.engine === "valkey"
          ? new Valkey(this, "Valkey", { ...set, version: charts.valkey })
          : // Deprecated (CVE-2025-49844): the same construct id as before, so the state stays put.
            new Redis(this, "Redis", {
              ...set,
              version: charts.redis,
              images: bitnamiImages(redis.images),
            });
    }
    const ch = databases.clickhouse;
    if (ch?.clouds.includes(this.cloud)) {
      this.clickhouse = new Clickhouse(this, "Clickhouse", {
        ...this.releaseSettings("stateful"),
        name: ch.releaseName,
        version: charts.clickhouse,
        images: bitnamiImages(ch.images),
        storageClass: this.storageClass,
        storage: ch.storage,
        resources: ch.resources,
        metrics: ch.metrics,
        shards: ch.shards,
        replicas: ch.replicas,
        keeperReplicas: ch.keeperReplicas,
        keeperResources: ch.keeperResources,
        username: ch.username,
      });
    }
    const meili = databases.meilisearch;
    if (meili?.clouds.includes(this.cloud)) {
      this.meilisearch = new Meilisearch(this, "Meilisearch", {
        ...this.releaseSettings("stateful"),
        name: meili.releaseName,
        version: charts.meilisearch,
        image: meili.image,
        storageClass: this.storageClass,
        storage: meili.storage,
        resources: meili.resources,
      });
    }
    this.monitoring = addMonitoringObjects(this, "databases", {
      services: databaseServices(this.env, this.cloud),
    });
  }

  /**
   * The Bitnami release `from` as the bitnami engine synthesized it (same construct ids, values),
   * kept while the new cluster imports from it.
   */
  private addBitnamiPostgres(
    pg: NonNullable<DatabasesStack["env"]["workloads"]["databases"]["postgresql"]>,
    from: NonNullable<typeof pg.import>,
  ): Postgresql | PostgresqlHa {
    const { charts } = this.env.workloads;
    const common = {
      ...this.releaseSettings("stateful"),
      name: from.from,
      images: bitnamiImages(from.images),
      storageClass: this.storageClass,
      storage: pg.storage,
      resources: pg.resources,
      metrics: pg.metrics,
      database: pg.database,
      username: pg.username,
    };
    return pg.ha
      ? new PostgresqlHa(this, "PostgresqlHa", {
          ...common,
          version: charts.postgresqlHa,
          replicas: pg.replicas,
        })
      : new Postgresql(this, "Postgresql", { ...common, version: charts.postgresql });
  }

  /** The CloudNativePG cluster of `databases.postgresql`, with its backups and restore source. */
  private addPostgresCluster(
    pg: NonNullable<DatabasesStack["env"]["workloads"]["databases"]["postgresql"]>,
  ): PostgresCluster {
    const store = postgresBackupStore(this.env, this.cloud);
    const restore = pg.restore;
    return new PostgresCluster(this, "PostgresCluster", {
      ...this.releaseSettings("stateful"),
      name: pg.releaseName,
      chart: this.localChart("postgres-cluster"),
      ha: pg.ha,
      instances: pg.ha ? pg.replicas : 1,
      storageClass: this.storageClass,
      storage: pg.storage,
      resources: pg.resources,
      database: pg.database,
      username: pg.username,
      backup: store && {
        store,
        retention: pg.backup.retention,
        schedule: pg.backup.schedule,
      },
      restore:
        restore && store
          ? { ...restore, store: restoreSource(this.env.name, store, restore.from) }
          : undefined,
      serviceAccountAnnotations: store ? this.backupIdentity(store) : {},
      import: this.importSource && {
        from: pg.import!.from,
        host: this.importSource.connection.host,
        secretName: this.importSource.connection.secretName,
        passwordKey: POSTGRESQL_SECRET_KEYS.admin,
      },
      dependsOn: this.importSource ? [this.importSource.release.release] : undefined,
    });
  }

  /** The ServiceAccount annotation that gives the cluster's pods the backup identity. */
  private backupIdentity(store: BackupStore): Record<string, string> {
    const c = store.credentials;
    if (c.kind === "gke-workload-identity") {
      const project = this.env.targets.gcp!.project;
      return {
        "iam.gke.io/gcp-service-account": `${c.serviceAccountId}@${project}.iam.gserviceaccount.com`,
      };
    }
    if (c.kind === "aws-irsa") {
      const account = this.env.targets.aws?.accountId;
      const arn = account
        ? `arn:aws:iam::${account}:role/${c.roleName}`
        : new DataAwsIamRole(this, "PostgresBackupRole", { name: c.roleName }).arn;
      return { "eks.amazonaws.com/role-arn": arn };
    }
    return {};
  }
}

/** The store of `from`'s backups: the same bucket and credentials, `from`'s folder. */
function restoreSource(envName: string, store: BackupStore, from: string): BackupStore {
  const scheme = store.destinationPath.slice(0, store.destinationPath.indexOf("://"));
  return {
    ...store,
    destinationPath: `${scheme}://${store.bucket}/${postgresBackupPath(envName, from)}`,
  };
}

/** A resolved image source of a Bitnami release (the schema guarantees both parts). */
export function bitnamiImages(images: { registry?: string; namespace?: string }) {
  if (!images.registry || !images.namespace) {
    throw new Error(
      "a Bitnami release has no image location; set workloads.images.bitnami (the schema should have caught this)",
    );
  }
  return { registry: images.registry, namespace: images.namespace };
}

/** True when an environment runs any database on `cloud`. */
export function hasDatabases(
  databases: Readonly<Record<string, { clouds: string[] } | undefined>>,
  cloud: string,
): boolean {
  return Object.values(databases).some((d) => d?.clouds.includes(cloud));
}
