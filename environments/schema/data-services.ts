/**
 * The in-cluster data services' configuration (workloads.databases and workloads.buses): each
 * service's block, with its engine (the maintained upstream, or the deprecated Bitnami release
 * kept so an environment moves one service at a time), and the checks of fields that belong to
 * one engine only. Where each service is configured and what it installs: ./services.ts.
 */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import { RABBITMQ_CLUSTER_IMAGE } from "../../modules/helm/rabbitmq-cluster-image";
import { named, obj } from "./common";
import { Clouds, ImageSource, Quantity, RELEASE_NAME_MAX, ReleaseName, Resources } from "./kube";
import { MigrationConfig } from "./migrations";
import { DEFAULT_RELEASE_NAMES, SERVICE_CHART_VERSIONS } from "./services";

/** Settings every in-cluster release shares. */
export const releaseFields = {
  /** Helm release name. */
  releaseName: ReleaseName.optional(),
  /** Clusters to install on. @default - every cluster the environment's workloads run on */
  clouds: Clouds.optional(),
  /** Image location. @default - workloads.images.bitnami */
  images: ImageSource.optional(),
  /** @default - the workload size's */
  resources: Resources.optional(),
  /** Volume size per replica. @default - the workload size's */
  storage: Quantity.optional(),
  /** Prometheus exporter / metrics endpoint. @default - on where monitoring is (workloads.platform.monitoring.enabled) */
  metrics: z.boolean().optional(),
};

/**
 * The service's config runs its deprecated Bitnami release: its engine is "bitnami", or the release
 * is kept beside the new engine while data moves over (`keepBitnami`, Kafka's `migrating`).
 * Resolved or not, every service's config answers the same.
 */
export function runsBitnamiRelease(
  c: { engine?: string; keepBitnami?: boolean; migrating?: boolean } | undefined,
): boolean {
  return c?.engine === "bitnami" || !!c?.keepBitnami || !!c?.migrating;
}

/** The config sets a Bitnami image location of its own (`images`). */
export function setsImages(c: { images?: { registry?: string; namespace?: string } }): boolean {
  return c.images?.registry !== undefined || c.images?.namespace !== undefined;
}

/** The fields every release shares, resolved or not. */
export type ReleaseFields = {
  [K in keyof typeof releaseFields]?: z.output<(typeof releaseFields)[K]>;
};

/** How long base backups and WAL are kept: days, weeks or months (CloudNativePG's retentionPolicy). */
export const BackupRetention = z.string().regex(/^[1-9][0-9]*[dwm]$/, {
  error: (i) =>
    `backup retention ${JSON.stringify(i.input)} must be a count and a unit: d (days), w (weeks) or m (months), like "30d"`,
});

export const PostgresBackupConfig = obj({
  /** @default - true in staging and prod, false in dev */
  enabled: z.boolean().optional(),
  /** Recovery window kept. @default - the tier's: 7d in dev and staging, 30d in prod */
  retention: BackupRetention.optional(),
  /**
   * When base backups run: a six-field cron with seconds first (CloudNativePG ScheduledBackup),
   * in UTC. @default "0 0 3 * * *" (03:00 every day)
   */
  schedule: z
    .string()
    .regex(/^\S+( \S+){5}$/, {
      error: (i) =>
        `backup schedule ${JSON.stringify(i.input)} must be a six-field cron with seconds first, like "0 0 3 * * *"`,
    })
    .optional(),
  /**
   * Bucket (GCS, S3) or Space name on every cloud: names are global; set it when Strata's is
   * taken. @default - Strata's (docs/data-services.md#backups)
   */
  bucket: z.string().optional(),
});

/**
 * What runs a `databases.postgresql` service: CloudNativePG (the operator in the platform layer,
 * a `Cluster` in the databases layer; maintained images, backups), or the deprecated Bitnami
 * releases (bitnami/postgresql or postgresql-ha, PostgreSQL 17.6 from the frozen bitnamilegacy
 * images, below the CVE floor 17.10), kept only so an environment can stay until it migrates
 * (docs/data-services.md).
 */
export const PostgresEngine = z.enum(["cloudnativepg", "bitnami"], {
  error: (i) =>
    `postgresql engine ${JSON.stringify(i.input)} is not one of "cloudnativepg" (maintained; the default) or "bitnami" (deprecated)`,
});
export type PostgresEngine = z.infer<typeof PostgresEngine>;

/** An RFC 3339 time with a zone, as CloudNativePG's recoveryTarget.targetTime takes it. */
const RECOVERY_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Bootstraps a new CloudNativePG cluster from another release's backups (the same environment's
 * object store) instead of an empty database (docs/data-services.md#restore).
 */
export const PostgresRestoreConfig = obj({
  /** Release name of the cluster whose backups to restore (its barman serverName). */
  from: named({ ...NAME_RULES.dnsLabel, what: "release name to restore from" }),
  /** Point in time to recover to (RFC 3339 with a zone, like 2026-11-30T04:00:00Z). @default - the end of the archived WAL */
  targetTime: z
    .string()
    .regex(RECOVERY_TIME_RE, {
      error: (i) =>
        `restore targetTime ${JSON.stringify(i.input)} must be an RFC 3339 time with a zone, like "2026-11-30T04:00:00Z"`,
    })
    .optional(),
});

export const PostgresqlConfig = obj({
  ...releaseFields,
  /** "cloudnativepg", or "bitnami" (deprecated: PostgreSQL 17.6 below the CVE floor; docs/data-services.md). @default "cloudnativepg" */
  engine: PostgresEngine.optional(),
  /** High availability: 3+ CloudNativePG instances with quorum synchronous replication (bitnami: primary + replicas + pgpool) instead of one server. @default - the tier's highAvailability */
  ha: z.boolean().optional(),
  /** PostgreSQL instances with `ha` (3+ keeps a synchronous standby through a failover). @default - the tier's replicas, at least 3 */
  replicas: z.number().int().min(1).max(9).optional(),
  /** Pgpool replicas with `ha` (bitnami engine only). @default - 2 with high availability, else 1 */
  pgpoolReplicas: z.number().int().min(1).max(9).optional(),
  /** Pgpool resources with `ha` (bitnami engine only). @default - the workload size's */
  pgpoolResources: Resources.optional(),
  /** Database created for the applications. @default "app" */
  database: named({
    ...NAME_RULES.dnsLabel,
    what: "database name",
    pattern: /^[a-z_][a-z0-9_]*$/,
    charset: "lower-case letters, digits and underscores",
  }).optional(),
  /** Role the applications log in as. @default "app" */
  username: named({
    ...NAME_RULES.dnsLabel,
    what: "database user",
    pattern: /^[a-z_][a-z0-9_]*$/,
    charset: "lower-case letters, digits and underscores",
  }).optional(),
  /** The database's own schema migration, run before any application's migration of it. @default - none */
  migration: MigrationConfig.optional(),
  /**
   * Base backups and WAL archiving to the cloud's object store, which Strata creates in the
   * environment's data layer (docs/data-services.md#backups). @default - on in staging and prod
   */
  backup: PostgresBackupConfig.optional(),
  /** Bootstrap from another release's backups at a point in time (cloudnativepg engine). @default - an empty database */
  restore: PostgresRestoreConfig.optional(),
  /**
   * Migrate from the Bitnami release `from` (cloudnativepg engine, a new releaseName): Strata keeps
   * that release as it is, and the new cluster imports its database with pg_dump/pg_restore
   * (CloudNativePG `bootstrap.initdb.import`, docs/data-services.md#bitnami--cloudnativepg).
   * Remove it once the apps run on the new cluster. @default - none
   */
  import: obj({
    /** Release name of the Bitnami PostgreSQL to import from (today's `releaseName`). */
    from: named({ ...NAME_RULES.dnsLabel, what: "release name to import from" }),
  }).optional(),
});

/** Fields that apply to one PostgreSQL engine only, and the restore source. */
export function checkPostgresEngine(
  pg: z.output<typeof PostgresqlConfig>,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const at = (key: string) => ["databases", "postgresql", key];
  if (pg.engine === "bitnami") {
    if (pg.import) {
      issue(
        at("import"),
        'import moves a Bitnami release into a CloudNativePG cluster; set engine: "cloudnativepg" (the default) with it, or remove import',
      );
    }
    if (pg.restore) {
      issue(
        at("restore"),
        'restore bootstraps a CloudNativePG cluster from its backups; the bitnami engine has none: remove restore, or set engine: "cloudnativepg"',
      );
    }
    return;
  }
  for (const key of ["pgpoolReplicas", "pgpoolResources"] as const) {
    if (pg[key] !== undefined) {
      issue(
        at(key),
        `${key} applies to the bitnami engine only (CloudNativePG has no pgpool; apps connect to the <release>-rw Service): remove ${key}, or set engine: "bitnami" (deprecated)`,
      );
    }
  }
  if (setsImages(pg)) {
    issue(
      at("images"),
      'images applies to the bitnami engine only; the CloudNativePG operand image is pinned by Strata (docs/data-services.md): remove images, or set engine: "bitnami" (deprecated)',
    );
  }
  if (pg.import) {
    const name = pg.releaseName ?? DEFAULT_RELEASE_NAMES.postgresql;
    if (pg.import.from === name) {
      issue(
        ["databases", "postgresql", "import", "from"],
        `import.from is this release (${name}): the new cluster needs a release name of its own while the Bitnami release "${name}" still runs; set releaseName to a new name (e.g. "pg")`,
      );
    }
    if (pg.restore) {
      issue(
        ["databases", "postgresql", "import"],
        "import and restore both bootstrap the cluster; keep one",
      );
    }
  }
  const restore = pg.restore;
  if (!restore) return;
  const name = pg.releaseName ?? DEFAULT_RELEASE_NAMES.postgresql;
  if (restore.from === name) {
    issue(
      ["databases", "postgresql", "restore", "from"],
      `restore.from is this release (${name}): a restored cluster must not archive over the backups it recovers from; restore into a new releaseName (docs/data-services.md#restore), keeping from: "${name}"`,
    );
  }
  if (pg.backup?.enabled === false) {
    issue(
      ["databases", "postgresql", "restore"],
      "restore reads the environment's PostgreSQL backup store, which backup.enabled: false turns off; remove backup.enabled: false, or remove restore",
    );
  }
}

/**
 * What runs a `databases.redis` service: Valkey (CloudPirates' valkey chart, maintained images),
 * or the deprecated bitnami/redis release (Redis 8.2.1 from the frozen bitnamilegacy images,
 * exposed to CVE-2025-49844), kept only so an environment can stay until it migrates
 * (docs/data-services.md).
 */
export const RedisEngine = z.enum(["valkey", "bitnami"], {
  error: (i) =>
    `redis engine ${JSON.stringify(i.input)} is not one of "valkey" (maintained; the default) or "bitnami" (deprecated)`,
});
export type RedisEngine = z.infer<typeof RedisEngine>;

export const RedisConfig = obj({
  ...releaseFields,
  /** "valkey", or "bitnami" (deprecated: Redis 8.2.1, CVE-2025-49844; docs/data-services.md). @default "valkey" */
  engine: RedisEngine.optional(),
  /** Replication with Sentinel failover. @default - the tier's highAvailability */
  sentinel: z.boolean().optional(),
  /** Redis nodes with sentinel (each runs a sentinel; quorum 2 needs 3). @default - the tier's replicas, at least 3 */
  replicas: z.number().int().min(1).max(9).optional(),
});

/**
 * What runs a `databases.clickhouse` service: the Altinity clickhouse-operator (a
 * ClickHouseInstallation and a ClickHouseKeeperInstallation, ClickHouse 26.3 LTS), or the
 * deprecated bitnami/clickhouse release (ClickHouse 25.7.5, end of life, from the frozen
 * bitnamilegacy images), kept only so an environment can stay until it migrates
 * (docs/data-services.md).
 */
export const ClickhouseEngine = z.enum(["altinity", "bitnami"], {
  error: (i) =>
    `clickhouse engine ${JSON.stringify(i.input)} is not one of "altinity" (maintained; the default) or "bitnami" (deprecated)`,
});
export type ClickhouseEngine = z.infer<typeof ClickhouseEngine>;

export const ClickhouseConfig = obj({
  ...releaseFields,
  /** "altinity", or "bitnami" (deprecated: ClickHouse 25.7.5, end of life; docs/data-services.md). @default "altinity" */
  engine: ClickhouseEngine.optional(),
  /**
   * With engine "altinity": keep the deprecated Bitnami release running beside the new
   * installation (same release, same state address) while its data is copied over
   * (docs/data-services.md#migration-from-bitnami-clickhouse); apps use the new one. @default false
   */
  keepBitnami: z.boolean().optional(),
  /** Shards (one StatefulSet each). @default 1 */
  shards: z.number().int().min(1).max(10).optional(),
  /** ClickHouse servers per shard. @default - 2 with high availability (unless keeperReplicas is 0), else 1 */
  replicas: z.number().int().min(1).max(9).optional(),
  /** ClickHouse Keeper nodes (Raft: 0, 1, 3 or 5; replicas > 1 need it). @default - 3 when replicas > 1, else 0 */
  keeperReplicas: z.number().int().min(0).max(5).optional(),
  /** Keeper resources. @default - the workload size's */
  keeperResources: Resources.optional(),
  /** User the applications log in as (bitnami: the chart's admin user). @default - "app" (altinity), "default" (bitnami) */
  username: named({
    ...NAME_RULES.dnsLabel,
    what: "ClickHouse user",
    pattern: /^[a-z_][a-z0-9_]*$/,
    charset: "lower-case letters, digits and underscores",
  }).optional(),
});

/** Meilisearch (not a Bitnami chart): one node, its image from Docker Hub unless overridden. */
export const MeilisearchConfig = obj({
  /** Helm release name. */
  releaseName: ReleaseName.optional(),
  /** Clusters to install on. @default - every cluster the environment's workloads run on */
  clouds: Clouds.optional(),
  /**
   * Image; the chart has no registry value, so `repository` includes the registry.
   * @default - docker.io/getmeili/meilisearch at the pinned chart's appVersion (v1.48.3)
   */
  image: obj({
    repository: z.string().regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)+$/, {
      error: (i) =>
        `meilisearch image repository ${JSON.stringify(i.input)} must include its registry, like docker.io/getmeili/meilisearch`,
    }),
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
      error: "meilisearch image tag must be a Docker tag like v1.48.3",
    }),
  }).optional(),
  /** @default - the workload size's */
  resources: Resources.optional(),
  /** Volume size. @default - the workload size's */
  storage: Quantity.optional(),
});

/**
 * How RabbitMQ runs: a RabbitmqCluster of the RabbitMQ Cluster Operator (RabbitMQ 4.3, the
 * platform layer installs the operator), or the deprecated bitnami/rabbitmq release (RabbitMQ 4.1.3
 * from the frozen bitnamilegacy images, out of community support since 2026-01-30), kept only so an
 * environment can stay until it migrates (docs/data-services.md#rabbitmq).
 */
export const RabbitmqEngine = z.enum(["operator", "bitnami"], {
  error: (i) =>
    `rabbitmq engine ${JSON.stringify(i.input)} is not one of "operator" (the RabbitMQ Cluster Operator; the default) or "bitnami" (deprecated)`,
});
export type RabbitmqEngine = z.infer<typeof RabbitmqEngine>;

export const RabbitmqConfig = obj({
  ...releaseFields,
  /** "operator", or "bitnami" (deprecated: RabbitMQ 4.1.3, out of support; docs/data-services.md). @default "operator" */
  engine: RabbitmqEngine.optional(),
  /**
   * While moving from the Bitnami release to the operator (blue-green, docs/data-services.md):
   * keep the Bitnami release (its images, Secret and volumes) running beside the new cluster, so
   * its messages can be shovelled over; apps already use the new cluster. Remove it once the old
   * queues are empty. Operator engine only. @default false
   */
  keepBitnami: z.boolean().optional(),
  /**
   * Plugins beside the operator's (peer discovery, prometheus, management), for moving messages
   * over from another broker (docs/data-services.md#rabbitmq). Operator engine only. @default []
   */
  plugins: z
    .array(
      z.enum(["rabbitmq_shovel", "rabbitmq_federation"], {
        error: (i) =>
          `plugin ${JSON.stringify(i.input)} is not one Strata enables; use "rabbitmq_shovel" or "rabbitmq_federation" (to move messages over from another broker)`,
      }),
    )
    .optional(),
  /** Cluster nodes: 1, or an odd number ≥ 3 (quorum queues). @default - 3 with high availability, else 1 */
  replicas: z.number().int().min(1).max(9).optional(),
});

/**
 * What runs a `buses.kafka` service: the Strimzi operator (KRaft, node pools, a KafkaUser per
 * environment), or the deprecated bitnami/kafka release (Kafka 4.0.0 from the frozen
 * bitnamilegacy images), kept only so an environment can stay until it migrates
 * (docs/data-services.md).
 */
export const KafkaEngine = z.enum(["strimzi", "bitnami"], {
  error: (i) =>
    `kafka engine ${JSON.stringify(i.input)} is not one of "strimzi" (maintained; the default) or "bitnami" (deprecated)`,
});
export type KafkaEngine = z.infer<typeof KafkaEngine>;

/** The oldest Strimzi Strata runs Kafka on (CVE-2026-55225/55226 fixed in 1.0.1). */
const STRIMZI_FLOOR = [1, 0, 1] as const;

/** `buses.kafka`: the engine's own settings make sense, on a Strimzi without known CVEs. */
export function checkKafka(
  kafka: z.output<typeof KafkaConfig> | undefined,
  strimziChart: string | undefined,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  if (!kafka) return;
  const [major = 0, minor = 0, patch = 0] = (strimziChart ?? "").split(/[.-]/).map(Number);
  const below =
    major * 1e6 + minor * 1e3 + patch <
    STRIMZI_FLOOR[0] * 1e6 + STRIMZI_FLOOR[1] * 1e3 + STRIMZI_FLOOR[2];
  if ((kafka.engine !== "bitnami" || kafka.migrating) && strimziChart !== undefined && below) {
    issue(
      ["charts", "strimzi"],
      `Strimzi ${strimziChart} is below ${STRIMZI_FLOOR.join(".")}: it lacks the fixes for CVE-2026-55225 and CVE-2026-55226 (Strimzi CHANGELOG 1.0.1) and charts/kafka-cluster renders the kafka.strimzi.io/v1 API only 1.0 serves alone; pin ${SERVICE_CHART_VERSIONS.strimzi} or later`,
    );
  }
  if (!runsBitnamiRelease(kafka) && setsImages(kafka)) {
    issue(
      ["buses", "kafka", "images"],
      `images applies to the Bitnami release only; Strimzi's Kafka image is the operator's (quay.io/strimzi/kafka, chart strimzi-kafka-operator): remove images, or set engine: "bitnami" (deprecated) or migrating: true while both run`,
    );
  }
}

export const KafkaConfig = obj({
  ...releaseFields,
  /** "strimzi", or "bitnami" (deprecated: frozen images; docs/data-services.md). @default "strimzi" */
  engine: KafkaEngine.optional(),
  /**
   * Run both engines' clusters side by side (the Bitnami release at its same address, and the
   * Strimzi cluster) while MirrorMaker 2 copies the topics; apps use `engine`'s. Remove it once
   * the move is done (docs/data-services.md, "Migrating from Bitnami Kafka"). @default false
   */
  migrating: z.boolean().optional(),
  /** KRaft controller nodes: 1, 3 or 5. @default - 3 with high availability, else 1 */
  controllers: z.number().int().min(1).max(5).optional(),
  /** Broker-only nodes beside dedicated controllers; 0 = controllers also act as brokers. @default - the tier's replicas with high availability, else 0 */
  brokers: z.number().int().min(0).max(12).optional(),
});

export const DatabasesConfig = obj({
  /** PostgreSQL: a CloudNativePG cluster (the default), or the deprecated Bitnami releases (engine "bitnami"). @default - none */
  postgresql: PostgresqlConfig.optional(),
  redis: RedisConfig.optional(),
  /** Analytics database (bitnami/clickhouse). @default - none */
  clickhouse: ClickhouseConfig.optional(),
  /** Search engine (meilisearch/meilisearch). @default - none */
  meilisearch: MeilisearchConfig.optional(),
});

export const BusesConfig = obj({
  rabbitmq: RabbitmqConfig.optional(),
  kafka: KafkaConfig.optional(),
});

/** True when the environment's RabbitMQ runs as a RabbitmqCluster (the operator engine). */
export function usesRabbitmqOperator(
  w: { buses?: { rabbitmq?: { engine?: string } } } | undefined,
): boolean {
  const mq = w?.buses?.rabbitmq;
  return mq !== undefined && mq.engine !== "bitnami";
}

/** Settings that belong to one RabbitMQ engine only. */
export function checkRabbitmqEngine(
  mq: z.output<typeof RabbitmqConfig> | undefined,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  if (!mq) return;
  if (mq.engine === "bitnami") {
    for (const key of ["plugins", "keepBitnami"] as const) {
      if (mq[key] !== undefined)
        issue(
          ["buses", "rabbitmq", key],
          `${key} applies to the operator engine only; remove ${key}, or remove engine: "bitnami" (deprecated)`,
        );
    }
    return;
  }
  if (!runsBitnamiRelease(mq) && setsImages(mq)) {
    issue(
      ["buses", "rabbitmq", "images"],
      `images applies to the Bitnami engine only; the operator's RabbitMQ image is pinned by Strata (${RABBITMQ_CLUSTER_IMAGE.repository}:${RABBITMQ_CLUSTER_IMAGE.tag}): remove images, or set engine: "bitnami" (deprecated)`,
    );
  }
  const name = mq.releaseName ?? DEFAULT_RELEASE_NAMES.rabbitmq;
  if (name.length > RABBITMQ_CLUSTER_NAME_MAX) {
    issue(
      ["buses", "rabbitmq", "releaseName"],
      `"${name}" is ${name.length} characters; with the operator engine it names the RabbitmqCluster and its release "${name}-cluster", at most ${RABBITMQ_CLUSTER_NAME_MAX} characters: choose a shorter releaseName`,
    );
  }
}

/** A RabbitmqCluster's name, so its Helm release `<name>-cluster` stays within 53 characters. */
export const RABBITMQ_CLUSTER_NAME_MAX = RELEASE_NAME_MAX - "-cluster".length;
