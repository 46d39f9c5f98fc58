/** `databases.postgresql`: bitnami/postgresql, or bitnami/postgresql-ha with `ha`. */
import {
  Postgresql,
  postgresqlConnection,
  type PostgresConnection,
} from "../../../modules/helm/postgresql";
import { PostgresqlHa, postgresqlHaConnection } from "../../../modules/helm/postgresql-ha";
import { bitnamiImages } from "./bitnami";
import type { DataService } from "./service";

export const postgresqlService = {
  key: "postgresql",
  secretId: "PostgresqlSecret",
  deploy(stack, pg) {
    const { charts } = stack.env.workloads;
    const common = {
      ...stack.releaseSettings("stateful"),
      name: pg.releaseName,
      images: bitnamiImages(pg.images),
      storageClass: stack.storageClass,
      storage: pg.storage,
      resources: pg.resources,
      metrics: pg.metrics,
      database: pg.database,
      username: pg.username,
    };
    return pg.ha
      ? new PostgresqlHa(stack, "PostgresqlHa", {
          ...common,
          version: charts.postgresqlHa,
          replicas: pg.replicas,
          pgpoolReplicas: pg.pgpoolReplicas,
          pgpoolResources: pg.pgpoolResources,
        })
      : new Postgresql(stack, "Postgresql", { ...common, version: charts.postgresql });
  },
  monitored: (pg) => ({
    kind: pg.ha ? "postgresql-ha" : "postgresql",
    release: pg.releaseName,
    topology: { replicated: pg.ha },
  }),
  connection(pg, namespace) {
    const p = { name: pg.releaseName, namespace, database: pg.database, username: pg.username };
    // HA: through Pgpool.
    return pg.ha ? postgresqlHaConnection(p) : postgresqlConnection(p);
  },
} satisfies DataService<"postgresql", PostgresConnection>;
