import type { Construct } from "constructs";
import { AltinityClickhouse } from "../../modules/helm/altinity-clickhouse";
import { Clickhouse } from "../../modules/helm/clickhouse";
import { Meilisearch } from "../../modules/helm/meilisearch";
import { Postgresql } from "../../modules/helm/postgresql";
import { PostgresqlHa } from "../../modules/helm/postgresql-ha";
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
  readonly postgresql?: Postgresql | PostgresqlHa;
  /** `databases.redis`: Valkey, or the deprecated bitnami/redis (engine "bitnami"). */
  readonly redis?: Redis | Valkey;
  /** `databases.clickhouse`: the Altinity operator's resources, or the deprecated bitnami/clickhouse. */
  readonly clickhouse?: AltinityClickhouse | Clickhouse;
  /** The Bitnami release kept beside the Altinity installation while data moves (keepBitnami). */
  readonly clickhouseBitnami?: Clickhouse;
  readonly meilisearch?: Meilisearch;
  /** ServiceMonitors/PodMonitors and rules of the databases whose exporters are on. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, { ...props, generatesSecrets: true });
    const { databases, charts } = this.env.workloads;
    const pg = databases.postgresql;
    if (pg?.clouds.includes(this.cloud)) {
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
      const shape = {
        ...this.releaseSettings("stateful"),
        name: ch.releaseName,
        storageClass: this.storageClass,
        storage: ch.storage,
        resources: ch.resources,
        metrics: ch.metrics,
        shards: ch.shards,
        replicas: ch.replicas,
        keeperReplicas: ch.keeperReplicas,
        keeperResources: ch.keeperResources,
        username: ch.username,
      };
      // Migrating: the Bitnami release keeps running, at its address, beside the new installation.
      if (ch.engine === "altinity" && ch.keepBitnami) {
        this.clickhouseBitnami = new Clickhouse(this, "Clickhouse", {
          ...shape,
          // Its own admin user: the applications' user of the new engine is not Bitnami's.
          username: undefined,
          version: charts.clickhouse,
          images: bitnamiImages(ch.images),
        });
      }
      this.clickhouse =
        ch.engine === "altinity"
          ? // The operator (the cluster owner's platform layer) reconciles the resources.
            new AltinityClickhouse(this, "AltinityClickhouse", {
              ...shape,
              chart: this.localChart("clickhouse-cluster"),
            })
          : // Deprecated (ClickHouse 25.7 is end of life): the same construct id as before.
            new Clickhouse(this, "Clickhouse", {
              ...shape,
              version: charts.clickhouse,
              images: bitnamiImages(ch.images),
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
