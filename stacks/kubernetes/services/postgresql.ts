/**
 * `databases.postgresql`: a CloudNativePG cluster (engine "cloudnativepg") with its backups and
 * restore source, or the deprecated bitnami/postgresql (bitnami/postgresql-ha with `ha`), which
 * also stays as it was while a new cluster imports from it (`import`).
 */
import type { Construct } from "constructs";
import {
  postgresBackupPath,
  postgresBackupStore,
  type BackupStore,
} from "../../../modules/common/backup-store";
import {
  Postgresql,
  postgresqlConnection,
  POSTGRESQL_SECRET_KEYS,
  type PostgresConnection,
} from "../../../modules/helm/postgresql";
import { PostgresqlHa, postgresqlHaConnection } from "../../../modules/helm/postgresql-ha";
import { cnpgConnection, PostgresCluster } from "../../../modules/helm/postgres-cluster";
import type { HelmLayerStack } from "../layer";
import { bitnamiImages } from "./bitnami";
import type { DataService, ServiceSettings } from "./service";

type Settings = ServiceSettings<"postgresql">;

/** A Bitnami release as the bitnami engine synthesizes it (its construct ids are state addresses). */
function bitnamiPostgres(
  stack: HelmLayerStack,
  pg: Settings,
  release: { name: string; images: { registry?: string; namespace?: string } },
): Postgresql | PostgresqlHa {
  const { charts } = stack.env.workloads;
  const common = {
    ...stack.releaseSettings("stateful"),
    name: release.name,
    images: bitnamiImages(release.images),
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
}

/** The ServiceAccount annotation that gives the cluster's pods the backup identity. */
function backupIdentity(stack: HelmLayerStack, store: BackupStore): Record<string, string> {
  const c = store.credentials;
  if (c.kind === "gke-workload-identity")
    return { "iam.gke.io/gcp-service-account": c.serviceAccountEmail };
  if (c.kind === "aws-irsa") {
    return {
      "eks.amazonaws.com/role-arn": stack.awsRoleArn(stack, "PostgresBackupRole", c.roleName),
    };
  }
  return {};
}

/** The store of `from`'s backups: the same bucket and credentials, `from`'s folder. */
function restoreSource(envName: string, store: BackupStore, from: string): BackupStore {
  const scheme = store.destinationPath.slice(0, store.destinationPath.indexOf("://"));
  return {
    ...store,
    destinationPath: `${scheme}://${store.bucket}/${postgresBackupPath(envName, from)}`,
  };
}

/** The CloudNativePG cluster, importing from `source` when a Bitnami release is kept for it. */
function postgresCluster(
  stack: HelmLayerStack,
  pg: Settings,
  source: Postgresql | PostgresqlHa | undefined,
): PostgresCluster {
  const store = postgresBackupStore(stack.env, stack.cloud);
  const restore = pg.restore;
  return new PostgresCluster(stack, "PostgresCluster", {
    ...stack.releaseSettings("stateful"),
    name: pg.releaseName,
    chart: stack.localChart("postgres-cluster"),
    ha: pg.ha,
    zones: stack.nodesHaveZones,
    instances: pg.ha ? pg.replicas : 1,
    storageClass: stack.storageClass,
    storage: pg.storage,
    resources: pg.resources,
    database: pg.database,
    username: pg.username,
    backup: store && { store, retention: pg.backup.retention, schedule: pg.backup.schedule },
    restore:
      restore && store
        ? { ...restore, store: restoreSource(stack.env.name, store, restore.from) }
        : undefined,
    serviceAccountAnnotations: store ? backupIdentity(stack, store) : {},
    import: source && {
      from: pg.import!.from,
      host: source.connection.host,
      secretName: source.connection.secretName,
      passwordKey: POSTGRESQL_SECRET_KEYS.admin,
    },
    dependsOn: source ? [source.release.release] : undefined,
  });
}

export const postgresqlService = {
  key: "postgresql",
  secretId: "PostgresqlSecret",
  deploy(stack, pg) {
    if (pg.engine === "bitnami") {
      // Deprecated (PostgreSQL 17.6 below the CVE floor): the same construct ids as before.
      return bitnamiPostgres(stack, pg, { name: pg.releaseName, images: pg.images });
    }
    // While it imports from a Bitnami release, that release stays exactly as it was.
    const source =
      pg.import && bitnamiPostgres(stack, pg, { name: pg.import.from, images: pg.import.images });
    const releases: Construct[] = source ? [source] : [];
    releases.push(postgresCluster(stack, pg, source));
    return releases;
  },
  runsOnOperator: (pg) => pg.engine !== "bitnami",
  monitored: (pg) => ({
    kind: pg.engine !== "bitnami" ? "cloudnativepg" : pg.ha ? "postgresql-ha" : "postgresql",
    release: pg.releaseName,
    topology: { replicated: pg.ha },
  }),
  connection(pg, namespace): PostgresConnection {
    const p = { name: pg.releaseName, namespace, database: pg.database, username: pg.username };
    // CloudNativePG's primary Service `<release>-rw`; Bitnami HA through Pgpool.
    if (pg.engine !== "bitnami") return cnpgConnection(p);
    return pg.ha ? postgresqlHaConnection(p) : postgresqlConnection(p);
  },
} satisfies DataService<"postgresql", PostgresConnection>;
