import type { Construct } from "constructs";
import { Postgresql } from "../../modules/helm/postgresql";
import { PostgresqlHa } from "../../modules/helm/postgresql-ha";
import { Redis } from "../../modules/helm/redis";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";

/**
 * `<env>-<cloud>-databases`: the in-cluster databases configured for this cluster, each with
 * generated credentials in a Secret. Upgrading one changes only this stack.
 */
export class DatabasesStack extends HelmLayerStack {
  readonly postgresql?: Postgresql | PostgresqlHa;
  readonly redis?: Redis;

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
      this.redis = new Redis(this, "Redis", {
        ...this.releaseSettings("stateful"),
        name: redis.releaseName,
        version: charts.redis,
        images: bitnamiImages(redis.images),
        storageClass: this.storageClass,
        storage: redis.storage,
        resources: redis.resources,
        metrics: redis.metrics,
        sentinel: redis.sentinel,
        replicas: redis.replicas,
      });
    }
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
  databases: { postgresql?: { clouds: string[] }; redis?: { clouds: string[] } },
  cloud: string,
): boolean {
  return [databases.postgresql, databases.redis].some((d) => d?.clouds.includes(cloud));
}
