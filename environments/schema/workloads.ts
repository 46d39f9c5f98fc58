/**
 * Where an environment's Helm layers run (its own clusters, or another environment's cluster) and
 * what runs there: the platform (namespaces, cert-manager, Envoy Gateway, Argo CD), in-cluster
 * databases and message buses, and the applications wired to them.
 */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import { MAX_TIMEOUT_SECONDS } from "../../modules/helm/kubernetes-values";
import { DEFAULT_MEILISEARCH_IMAGE } from "../../modules/helm/meilisearch-image";
import { VALKEY_IMAGE } from "../../modules/helm/valkey-image";
import { CLICKHOUSE_IMAGES } from "../../modules/helm/clickhouse-images";
import { RABBITMQ_CLUSTER_IMAGE } from "../../modules/helm/rabbitmq-cluster-image";
import { named, obj, type TierDefaults } from "./common";
import { annotationProblem } from "../../modules/helm/load-balancer";
import { checkEdge, EdgeConfig } from "./edge";
import {
  argoCdHardening,
  checkArgoCdClouds,
  checkDelivery,
  DeliveryConfig,
  resolveDelivery,
} from "./delivery";
import { checkMonitoring, MonitoringConfig, resolveMonitoring } from "./monitoring";
import { checkMigrations, MigrationConfig, resolveMigration } from "./migrations";

/** Namespaces every cluster already has; workloads never go there. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
export {
  ChartVersion,
  choiceOn,
  CONFIG_CLOUDS,
  ConfigCloud,
  EXACT_VERSION_RE,
  ImageSource,
  Quantity,
  QUANTITY_RE,
  RELEASE_NAME_MAX,
  ReleaseName,
  Resources,
  WorkloadSize,
} from "./kube";
import {
  ChartVersion,
  Clouds,
  ConfigCloud,
  CONFIG_CLOUDS,
  ImageSource,
  Quantity,
  RELEASE_NAME_MAX,
  ReleaseName,
  Resources,
  WorkloadSize,
} from "./kube";
export {
  defaultMigrationName,
  findCycle,
  MIGRATION_NAME_MAX,
  MigratedDatabase,
  MigrationConfig,
  type MigrationInput,
  usesPostgres,
} from "./migrations";
export { checkMonitoringRecipients, MonitoringConfig } from "./monitoring";
export { DEFAULT_RELEASE_NAMES } from "./services";
import {
  DEFAULT_RELEASE_NAMES,
  IN_CLUSTER_SERVICE_KEYS,
  r,
  SERVICE_BITNAMI_CHARTS,
  SERVICE_CHART_VERSIONS,
  SERVICE_SIZES,
  type ComponentSizing,
  type ServiceChartKey,
  type ServiceComponent,
  serviceConfig,
  serviceConfigPath,
  type InClusterService,
} from "./services";

const WORKLOAD_SIZE_NAMES = WorkloadSize.options;
import { AppConfig, appClouds, AppName, checkApps, resolveApp } from "./apps";
export {
  AppChart,
  AppConfig,
  type AppConfigInput,
  appBlocker,
  appClouds,
  AppName,
  Bus,
  EventStore,
} from "./apps";

/** Platform charts' pinned versions (the services' are in schema/services.ts). */
const PLATFORM_CHART_VERSIONS = {
  certManager: "v1.21.1",
  envoyGateway: "v1.9.0",
  /** The official values.yaml at tag argo-cd-10.1.1. */
  argocd: "10.1.1",
  /** The newest tag in the prometheus-community/helm-charts snapshot (2026-08-22), values.yaml at the tag (facts/charts.json). */
  kubePrometheusStack: "88.5.3",
} as const;

/** The charts whose versions the environment pins (workloads.charts). */
export type ChartKey = keyof typeof PLATFORM_CHART_VERSIONS | ServiceChartKey;

/** Pinned chart versions: the platform's, then each service's (schema/services.ts). */
export const CHART_VERSIONS: Readonly<Record<ChartKey, string>> = {
  ...PLATFORM_CHART_VERSIONS,
  ...SERVICE_CHART_VERSIONS,
};
export const CHART_KEYS = Object.keys(CHART_VERSIONS) as ChartKey[];

/** The chart a service's config selects (its engine). */
const SERVICE_CHART: {
  readonly [S in InClusterService]: (w: z.output<typeof Workloads>) => ChartKey;
} = {
  postgresql: (w) => {
    const pg = w.databases?.postgresql;
    if (pg?.engine !== "bitnami") return "cloudnativePg";
    return pg.ha ? "postgresqlHa" : "postgresql";
  },
  redis: (w) => (w.databases?.redis?.engine === "bitnami" ? "redis" : "valkey"),
  clickhouse: (w) =>
    w.databases?.clickhouse?.engine === "bitnami" || w.databases?.clickhouse?.keepBitnami
      ? "clickhouse"
      : "clickhouseOperator",
  meilisearch: () => "meilisearch",
  rabbitmq: (w) =>
    w.buses?.rabbitmq?.engine === "bitnami" || w.buses?.rabbitmq?.keepBitnami
      ? "rabbitmq"
      : "rabbitmqOperator",
  // The Bitnami release runs with engine bitnami, or beside Strimzi while migrating.
  kafka: (w) =>
    w.buses?.kafka?.engine === "bitnami" || w.buses?.kafka?.migrating ? "kafka" : "strimzi",
};

/** The charts that are Bitnami's (images under docker.io/bitnami until August 2025). */
export const BITNAMI_CHARTS: readonly ChartKey[] = SERVICE_BITNAMI_CHARTS;

/** Settings every in-cluster release shares. */
const releaseFields = {
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

/** A Helm release timeout: 60 s (Helm needs time to even schedule pods) to 4 h. */
const ReleaseTimeout = z
  .number()
  .int()
  .min(60, {
    error: (i) =>
      `timeout ${String(i.input)} s is below 60 s; Helm needs time to schedule and start pods`,
  })
  .max(MAX_TIMEOUT_SECONDS, {
    error: (i) =>
      `timeout ${String(i.input)} s is above 4 h (${MAX_TIMEOUT_SECONDS} s); split the work or fix what is slow`,
  });

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
function checkPostgresEngine(
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
  if (pg.images?.registry !== undefined || pg.images?.namespace !== undefined) {
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
function checkKafka(
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
      `Strimzi ${strimziChart} is below ${STRIMZI_FLOOR.join(".")}: it lacks the fixes for CVE-2026-55225 and CVE-2026-55226 (Strimzi CHANGELOG 1.0.1) and charts/kafka-cluster renders the kafka.strimzi.io/v1 API only 1.0 serves alone; pin ${CHART_VERSIONS.strimzi} or later`,
    );
  }
  if (
    kafka.engine !== "bitnami" &&
    !kafka.migrating &&
    (kafka.images?.registry !== undefined || kafka.images?.namespace !== undefined)
  ) {
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

const toggle = {
  /** @default true */
  enabled: z.boolean().optional(),
  images: ImageSource.optional(),
  /** @default - the tier's replicas, at most 3 */
  replicas: z.number().int().min(1).max(9).optional(),
  resources: Resources.optional(),
  /** @default false */
  metrics: z.boolean().optional(),
};

/** Cluster-wide components; installed by the cluster's owner only (guests get their namespace). */
export const PlatformConfig = obj({
  /** cert-manager with its CRDs. @default - on */
  certManager: obj(toggle).optional(),
  /**
   * Envoy Gateway: the Gateway API implementation routing apps' `hosts` (its CRDs and the
   * Gateway API's, the controller, the cluster's GatewayClass). @default - on
   */
  envoyGateway: obj(toggle).optional(),
  /** Retired: ingress-nginx is no longer installed (an error says what to do). */
  ingressNginx: z.unknown().optional(),
  /**
   * The RabbitMQ Cluster Operator (namespace rabbitmq-system), which runs the RabbitmqClusters of
   * `buses.rabbitmq` with engine "operator" on this cluster and its guests'. @default - on when
   * this environment's RabbitMQ uses the operator
   */
  rabbitmqOperator: obj({
    enabled: z.boolean().optional(),
    /** @default 1 (leader election: one works at a time) */
    replicas: z.number().int().min(1).max(3).optional(),
    resources: Resources.optional(),
  }).optional(),
  /** Argo CD (its `enabled` defaults to false), hardened (environments/schema/delivery.ts). @default - off */
  argocd: obj({ ...toggle, ...argoCdHardening }).optional(),
  /**
   * Pod Security Admission level enforced on the workload namespace.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default "restricted"
   */
  podSecurity: z.enum(["privileged", "baseline", "restricted"]).optional(),
  /** In-cluster metrics and alerts. @default - the tier's (on in staging and prod) */
  monitoring: MonitoringConfig.optional(),
  /**
   * The CloudNativePG operator and its barman-cloud backup plugin (namespace cnpg-system), which
   * run `databases.postgresql` with the cloudnativepg engine for every environment on the cluster.
   * @default - on when this environment's PostgreSQL uses the cloudnativepg engine
   */
  cloudnativePg: obj({ enabled: z.boolean().optional() }).optional(),
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

export const Workloads = obj({
  /** Kubernetes namespace of this environment's workloads. @default - the environment name */
  namespace: named(NAME_RULES.dnsLabel)
    .refine((ns) => !RESERVED_NAMESPACES.includes(ns) && !ns.startsWith("kube-"), {
      error: (i) =>
        `namespace ${JSON.stringify(i.input)} belongs to Kubernetes itself (default, kube-*); choose a namespace of the environment's own`,
    })
    .optional(),
  /**
   * Run on another environment's cluster instead of clusters of this environment's own
   * (staging on prod's cluster, isolated by namespace). That environment must have a cluster on
   * that cloud and must not itself share one; an environment that shares declares no clusters
   * of its own (on any cloud).
   */
  sharedCluster: obj({ environment: z.string(), cloud: ConfigCloud }).optional(),
  /** Resources and volume sizes. @default - the tier's (small / medium / large) */
  size: WorkloadSize.optional(),
  /**
   * How the helm and kubernetes providers authenticate: `exec` runs the cloud's credential plugin
   * on every call (aws eks get-token, gke-gcloud-auth-plugin, doctl), so long applies never hold
   * an expired token; `token` reads a short-lived token once (EKS: 15 minutes) and needs no CLI.
   * @default "exec"
   */
  clusterAuth: z.enum(["exec", "token"]).optional(),
  /**
   * Helm timeout per release, seconds (60 s–4 h): one number for every release, or one per layer:
   * `platform`, `stateful` (databases and buses, whose first initialization can take long) and
   * `apps`. A migration has its own `timeoutSeconds`.
   * @default - the tier's: platform 600/600/900, stateful 900/1800/3600, apps 600/600/900 (dev/staging/prod)
   */
  timeoutSeconds: z
    .union([
      ReleaseTimeout,
      obj({
        platform: ReleaseTimeout.optional(),
        stateful: ReleaseTimeout.optional(),
        apps: ReleaseTimeout.optional(),
      }),
    ])
    .optional(),
  /** Release revisions Helm keeps. @default 10 */
  maxHistory: z.number().int().min(1).max(100).optional(),
  /** Chart versions. @default - CHART_VERSIONS */
  charts: obj(
    Object.fromEntries(CHART_KEYS.map((k) => [k, ChartVersion.optional()])) as Record<
      ChartKey,
      z.ZodOptional<typeof ChartVersion>
    >,
  ).optional(),
  /** Image locations. */
  images: obj({
    /**
     * Where Bitnami charts pull their images. Required when a Bitnami chart is used: Bitnami moved
     * its versioned images to docker.io/bitnamilegacy (unmaintained) in August 2025.
     * @default - none (an error when a Bitnami chart is used without it)
     */
    bitnami: obj({ registry: z.string().min(1), namespace: z.string().min(1) }).optional(),
  }).optional(),
  /** Storage class per cloud. @default { gcp: "standard-rwo", aws: "gp3", digitalocean: "do-block-storage" } */
  storageClasses: obj({
    gcp: named(NAME_RULES.dnsLabel).optional(),
    aws: named(NAME_RULES.dnsLabel).optional(),
    digitalocean: named(NAME_RULES.dnsLabel).optional(),
  }).optional(),
  /** @default - cert-manager and Envoy Gateway on, Argo CD off */
  platform: PlatformConfig.optional(),
  /** @default - none */
  databases: DatabasesConfig.optional(),
  /** @default - none */
  buses: BusesConfig.optional(),
  /** Applications by name (the release name). @default {} */
  apps: z.record(AppName, AppConfig).optional(),
  /** How apps with `hosts` are reached: zone, certificates, load balancer. @default - none */
  edge: EdgeConfig.optional(),
  /** How apps are rolled out: Helm releases or Argo CD Applications (docs/gitops.md). @default - helm */
  delivery: DeliveryConfig.optional(),
});
export type WorkloadsInput = z.input<typeof Workloads>;

export type WorkloadsFields = z.output<typeof Workloads>;
type ReleaseFields = { [K in keyof typeof releaseFields]?: z.output<(typeof releaseFields)[K]> };
type PlatformPartFields = NonNullable<z.output<typeof PlatformConfig>["certManager"]>;

export type { ComponentSizing } from "./services";

/** Resources and volumes of the platform's and the apps' components per workload size. */
const PLATFORM_SIZES = {
  app: {
    small: { resources: r("50m", "128Mi", "256Mi") },
    medium: { resources: r("100m", "256Mi", "512Mi") },
    large: { resources: r("250m", "512Mi", "1Gi") },
  },
  certManager: {
    small: { resources: r("10m", "32Mi", "64Mi") },
    medium: { resources: r("25m", "64Mi", "128Mi") },
    large: { resources: r("50m", "128Mi", "256Mi") },
  },
  envoyGateway: {
    small: { resources: r("100m", "256Mi", "1Gi") },
    medium: { resources: r("100m", "256Mi", "1Gi") },
    large: { resources: r("250m", "512Mi", "2Gi") },
  },
  gatewayProxy: {
    small: { resources: r("100m", "128Mi", "512Mi") },
    medium: { resources: r("250m", "256Mi", "1Gi") },
    large: { resources: r("500m", "512Mi", "2Gi") },
  },
  argocd: {
    small: { resources: r("100m", "128Mi", "256Mi") },
    medium: { resources: r("250m", "256Mi", "512Mi") },
    large: { resources: r("500m", "512Mi", "1Gi") },
  },
  prometheus: {
    small: { resources: r("100m", "512Mi", "1Gi"), storage: "10Gi" },
    medium: { resources: r("250m", "1Gi", "2Gi"), storage: "50Gi" },
    large: { resources: r("500m", "2Gi", "4Gi"), storage: "100Gi" },
  },
  alertmanager: {
    small: { resources: r("10m", "32Mi", "64Mi"), storage: "1Gi" },
    medium: { resources: r("25m", "64Mi", "128Mi"), storage: "1Gi" },
    large: { resources: r("50m", "128Mi", "256Mi"), storage: "2Gi" },
  },
} as const satisfies Record<string, Readonly<Record<WorkloadSize, ComponentSizing>>>;

export type SizedComponent = keyof typeof PLATFORM_SIZES | ServiceComponent;

/** Resources and volumes per workload size and component: the platform's, then the services'. */
export const WORKLOAD_SIZES = Object.fromEntries(
  WORKLOAD_SIZE_NAMES.map((size) => [
    size,
    Object.fromEntries(
      Object.entries({ ...PLATFORM_SIZES, ...SERVICE_SIZES }).map(([c, bySize]) => [
        c,
        bySize[size],
      ]),
    ),
  ]),
) as Readonly<Record<WorkloadSize, Readonly<Record<SizedComponent, ComponentSizing>>>>;

/** Storage class per cloud: the CSI-backed defaults of GKE, EKS (created by the platform layer) and DOKS. */
export const DEFAULT_STORAGE_CLASSES: Readonly<Record<ConfigCloud, string>> = {
  gcp: "standard-rwo",
  aws: "gp3",
  digitalocean: "do-block-storage",
};

/** Replicas an HA mode needs at least, and why. */
export const HA_MINIMUM = {
  /** repmgr needs a standby to fail over to. */
  postgresqlHa: 2,
  /** Sentinel's default quorum of 2 needs 3 sentinels (one per Redis node). */
  redisSentinel: 3,
} as const;

/** What the schema needs from the rest of the environment to check and resolve workloads. */
export interface WorkloadContext {
  readonly name: string;
  readonly tier: "dev" | "staging" | "prod";
  /** Clouds the workloads run on: the shared cluster's, or each cloud with a cluster. */
  readonly clouds: readonly ConfigCloud[];
  /** Clouds the environment has a target on (cloud-native stores and buses live there). */
  readonly targets: Readonly<Partial<Record<ConfigCloud, unknown>>>;
  /** The tier's high availability (zones, replicas). */
  readonly highAvailability?: boolean;
}

/** Checks that need the whole workloads section and the environment around it. */
export function checkWorkloads(
  w: WorkloadsFields | undefined,
  ctx: WorkloadContext,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  if (!w) return;
  const anything =
    Object.keys(w.databases ?? {}).length +
      Object.keys(w.buses ?? {}).length +
      Object.keys(w.apps ?? {}).length >
    0;
  if (anything && ctx.clouds.length === 0) {
    issue(
      [],
      "databases, buses and apps need a cluster: add targets.<cloud>.cluster or workloads.sharedCluster",
    );
    return;
  }
  const where = `the environment's workloads run on [${ctx.clouds.join(", ")}]`;
  checkDelivery(w.delivery, w.apps ?? {}, ctx.clouds, issue);
  checkArgoCdClouds(w.platform?.argocd?.clouds, ctx.clouds, issue);

  for (const service of IN_CLUSTER_SERVICE_KEYS) {
    const release = serviceConfig(w, service) as
      { clouds?: ConfigCloud[]; images?: ImageSource } | undefined;
    if (!release) continue;
    const path = serviceConfigPath(service).split(".");
    const chart = SERVICE_CHART[service](w);
    release.clouds?.forEach((c, i) => {
      if (!ctx.clouds.includes(c))
        issue([...path, "clouds", i], `${c} has no cluster for this environment; ${where}`);
    });
    const bitnami = w.images?.bitnami;
    if (BITNAMI_CHARTS.includes(chart) && !(release.images?.registry ?? bitnami?.registry)) {
      issue(
        [...path, "images"],
        `no image location for a Bitnami chart: Bitnami moved its versioned images to docker.io/bitnamilegacy (unmaintained) in August 2025; set workloads.images.bitnami to { registry, namespace } (e.g. { registry: "docker.io", namespace: "bitnamilegacy" } or your mirror), or images on this release`,
      );
    } else if (
      BITNAMI_CHARTS.includes(chart) &&
      !(release.images?.namespace ?? bitnami?.namespace)
    ) {
      issue(
        [...path, "images", "namespace"],
        `no image namespace for a Bitnami chart; set workloads.images.bitnami.namespace or images.namespace on this release (e.g. bitnamilegacy)`,
      );
    }
  }

  checkMonitoring(w, issue);

  const pg = w.databases?.postgresql;
  if (pg?.ha && pg.replicas !== undefined && pg.replicas < HA_MINIMUM.postgresqlHa) {
    issue(
      ["databases", "postgresql", "replicas"],
      `PostgreSQL HA (bitnami/postgresql-ha) needs at least ${HA_MINIMUM.postgresqlHa} nodes, got ${pg.replicas}; set replicas to 3 (or ha: false for a single server)`,
    );
  }
  checkKafka(w.buses?.kafka, w.charts?.strimzi, issue);
  if (pg) checkPostgresEngine(pg, issue);
  if (pg?.import && !(w.images?.bitnami?.registry && w.images.bitnami.namespace)) {
    issue(
      ["databases", "postgresql", "import"],
      "import keeps the Bitnami release running until the move is done, and it needs its image location: set workloads.images.bitnami to { registry, namespace } (as it was before the move)",
    );
  }
  const redis = w.databases?.redis;
  if (
    redis &&
    redis.engine !== "bitnami" &&
    (redis.images?.registry !== undefined || redis.images?.namespace !== undefined)
  ) {
    issue(
      ["databases", "redis", "images"],
      `images applies to the Bitnami engine only; Valkey's image is pinned by Strata (${VALKEY_IMAGE.registry}/${VALKEY_IMAGE.repository}:${VALKEY_IMAGE.tag}): remove images, or set engine: "bitnami" (deprecated)`,
    );
  }
  if (
    redis?.sentinel &&
    redis.replicas !== undefined &&
    redis.replicas < HA_MINIMUM.redisSentinel
  ) {
    issue(
      ["databases", "redis", "replicas"],
      `Redis with Sentinel needs at least ${HA_MINIMUM.redisSentinel} nodes (quorum 2), got ${redis.replicas}; set replicas to 3 (or sentinel: false)`,
    );
  }
  const ch = w.databases?.clickhouse;
  if (ch?.keepBitnami && ch.engine === "bitnami") {
    issue(
      ["databases", "clickhouse", "keepBitnami"],
      `keepBitnami keeps the Bitnami release beside the Altinity installation during a migration; with engine "bitnami" it means nothing: remove it, or remove engine`,
    );
  }
  if (
    ch &&
    ch.engine !== "bitnami" &&
    !ch.keepBitnami &&
    (ch.images?.registry !== undefined || ch.images?.namespace !== undefined)
  ) {
    issue(
      ["databases", "clickhouse", "images"],
      `images applies to the Bitnami engine only; the Altinity engine's ClickHouse and Keeper images are pinned by Strata (${CLICKHOUSE_IMAGES.server}, ${CLICKHOUSE_IMAGES.keeper}): remove images, or set engine: "bitnami" (deprecated)`,
    );
  }
  if (ch && ch.engine !== "bitnami" && ch.username === "default") {
    issue(
      ["databases", "clickhouse", "username"],
      `the Altinity operator keeps the user "default" for its own hosts (no password, reachable only from the installation's pods); choose another username such as "app", or remove it`,
    );
  }
  if (ch?.keeperReplicas !== undefined && ch.keeperReplicas % 2 === 0 && ch.keeperReplicas > 0) {
    issue(
      ["databases", "clickhouse", "keeperReplicas"],
      `ClickHouse Keeper (Raft) needs an odd number of nodes for a majority, got ${ch.keeperReplicas}; use 1, 3 or 5 (or 0 with replicas: 1)`,
    );
  }
  if (ch?.keeperReplicas === 0 && ch.replicas !== undefined && ch.replicas > 1) {
    issue(
      ["databases", "clickhouse", "keeperReplicas"],
      `ClickHouse with ${ch.replicas} replicas per shard needs ClickHouse Keeper for replicated tables, but keeperReplicas is 0; set keeperReplicas to 3, or replicas to 1`,
    );
  }
  const mq = w.buses?.rabbitmq;
  if (mq?.replicas !== undefined && mq.replicas > 1 && mq.replicas % 2 === 0) {
    issue(
      ["buses", "rabbitmq", "replicas"],
      `a RabbitMQ cluster of ${mq.replicas} loses its quorum queues' majority as easily as one of ${mq.replicas - 1}; use 1 (no cluster) or an odd number ≥ 3`,
    );
  }
  checkRabbitmqEngine(mq, issue);
  const kafka = w.buses?.kafka;
  if (kafka?.controllers !== undefined && kafka.controllers % 2 === 0) {
    issue(
      ["buses", "kafka", "controllers"],
      `KRaft needs an odd number of controllers for a majority, got ${kafka.controllers}; use 1, 3 or 5`,
    );
  }

  checkApps(w, ctx, where, issue);
  checkMigrations(w, ctx, issue, (name) => appClouds(w.apps![name]!, w, ctx, name));
  if (w.platform?.ingressNginx !== undefined) {
    issue(
      ["platform", "ingressNginx"],
      "ingress-nginx is retired (Kubernetes SIG Network ended its maintenance in March 2026: no more releases or security fixes) and Strata no longer installs it; remove workloads.platform.ingressNginx. Apps are exposed through the Gateway API on Envoy Gateway (workloads.platform.envoyGateway): give an app hosts (docs/edge.md)",
    );
  }
  checkEdge(w.edge, w.apps ?? {}, (name) => appClouds(w.apps![name]!, w, ctx, name), issue);
  checkEdgePlatform(w, ctx, issue);
}

/** The edge against the platform and the clouds: controllers installed, load balancer settings. */
function checkEdgePlatform(
  w: WorkloadsFields,
  ctx: WorkloadContext,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const hosts = Object.values(w.apps ?? {}).some((a) => a.hosts !== undefined);
  // A guest's routes use the owner's controllers (checked with the registry's shared clusters).
  if (hosts && !w.sharedCluster) {
    for (const part of ["envoyGateway", "certManager"] as const) {
      if (w.platform?.[part]?.enabled === false) {
        issue(
          ["platform", part, "enabled"],
          `apps with hosts need ${part === "envoyGateway" ? "Envoy Gateway (their routes)" : "cert-manager (their certificates)"} on the environment's clusters; turn it on, or remove the apps' hosts`,
        );
      }
    }
  }
  if (w.platform?.envoyGateway?.images?.namespace !== undefined) {
    issue(
      ["platform", "envoyGateway", "images", "namespace"],
      "Envoy Gateway's chart takes a registry for all its images (global.imageRegistry), not a namespace; mirror docker.io/envoyproxy/* under the same paths and set images.registry",
    );
  }
  const lbs = w.edge?.loadBalancer ?? {};
  for (const cloud of CONFIG_CLOUDS) {
    const lb = lbs[cloud];
    if (!lb) continue;
    const path = ["edge", "loadBalancer", cloud];
    for (const [key, value] of Object.entries(lb.annotations ?? {})) {
      const problem = annotationProblem(cloud, key, value);
      if (problem) issue([...path, "annotations", key], problem);
    }
  }
  const aws = lbs.aws;
  if (aws?.eipAllocations) {
    if (aws.internal) {
      issue(
        ["edge", "loadBalancer", "aws", "eipAllocations"],
        "an internal load balancer has no public addresses; remove eipAllocations or internal",
      );
    }
    const target = ctx.targets.aws as { network?: { availabilityZones?: string[] } } | undefined;
    const zones = target?.network?.availabilityZones?.length ?? (ctx.highAvailability ? 3 : 2);
    if (aws.eipAllocations.length !== zones) {
      issue(
        ["edge", "loadBalancer", "aws", "eipAllocations"],
        `${aws.eipAllocations.length} Elastic IP allocations for ${zones} public subnets: EKS's controller needs exactly one per subnet (facts/load-balancers.json); list ${zones}`,
      );
    }
  }
}

/** Fills every default of the workloads section from the tier. */
export function resolveWorkloads(
  w: WorkloadsFields | undefined,
  ctx: WorkloadContext,
  tier: TierDefaults,
) {
  const size = w?.size ?? tier.workloadSize;
  const sizing = WORKLOAD_SIZES[size];
  const bitnami = w?.images?.bitnami;
  const monitoring = resolveMonitoring(w?.platform?.monitoring, tier, sizing);
  const release = <C extends ReleaseFields>(
    c: C,
    component: SizedComponent,
    defaultName: string,
  ) => ({
    ...c,
    releaseName: c.releaseName ?? defaultName,
    clouds: c.clouds ?? [...ctx.clouds],
    images: {
      registry: c.images?.registry ?? bitnami?.registry,
      namespace: c.images?.namespace ?? bitnami?.namespace,
    },
    resources: c.resources ?? sizing[component].resources,
    storage: c.storage ?? sizing[component].storage!,
    // Exporters on by default where monitoring scrapes them.
    metrics: c.metrics ?? monitoring.enabled,
  });
  const platformPart = (
    c: PlatformPartFields | undefined,
    component: SizedComponent,
    on: boolean,
  ) => ({
    ...c,
    enabled: c?.enabled ?? on,
    replicas: c?.replicas ?? Math.min(tier.replicas, 3),
    resources: c?.resources ?? sizing[component].resources,
    metrics: c?.metrics ?? false,
  });
  const pg = w?.databases?.postgresql;
  const redis = w?.databases?.redis;
  const ch = w?.databases?.clickhouse;
  const meili = w?.databases?.meilisearch;
  const mq = w?.buses?.rabbitmq;
  const kafka = w?.buses?.kafka;
  const ha = tier.highAvailability;
  const clickhouse = (c: z.output<typeof ClickhouseConfig>) => {
    // Without Keeper (keeperReplicas: 0) only one server per shard can work.
    const replicas = c.replicas ?? (ha && c.keeperReplicas !== 0 ? 2 : 1);
    const engine = c.engine ?? ("altinity" as const);
    return {
      ...release(c, "clickhouse", DEFAULT_RELEASE_NAMES.clickhouse),
      engine,
      // The Altinity engine's images are Strata's pins: the Bitnami image location does not apply.
      ...(engine !== "bitnami" &&
        !c.keepBitnami && { images: { registry: undefined, namespace: undefined } }),
      keepBitnami: engine !== "bitnami" && (c.keepBitnami ?? false),
      shards: c.shards ?? 1,
      replicas,
      keeperReplicas: c.keeperReplicas ?? (replicas > 1 ? 3 : 0),
      keeperResources: c.keeperResources ?? sizing.clickhouseKeeper.resources,
      username: c.username ?? (engine === "bitnami" ? "default" : "app"),
    };
  };
  const timeouts = w?.timeoutSeconds;
  const apps = Object.fromEntries(
    Object.entries(w?.apps ?? {}).map(([name, app]) => [
      name,
      resolveApp(name, app, {
        tier,
        appResources: sizing.app.resources,
        clouds: appClouds(app, w, ctx, name),
      }),
    ]),
  );

  return {
    namespace: w?.namespace ?? ctx.name,
    sharedCluster: w?.sharedCluster,
    size,
    clusterAuth: w?.clusterAuth ?? ("exec" as const),
    timeoutSeconds:
      typeof timeouts === "number"
        ? { platform: timeouts, stateful: timeouts, apps: timeouts }
        : {
            platform: timeouts?.platform ?? tier.releaseTimeouts.platform,
            stateful: timeouts?.stateful ?? tier.releaseTimeouts.stateful,
            apps: timeouts?.apps ?? tier.releaseTimeouts.apps,
          },
    maxHistory: w?.maxHistory ?? 10,
    charts: { ...CHART_VERSIONS, ...w?.charts },
    images: w?.images ?? {},
    storageClasses: { ...DEFAULT_STORAGE_CLASSES, ...w?.storageClasses },
    platform: {
      certManager: platformPart(w?.platform?.certManager, "certManager", true),
      envoyGateway: platformPart(w?.platform?.envoyGateway, "envoyGateway", true),
      argocd: {
        ...platformPart(w?.platform?.argocd, "argocd", false),
        clouds: w?.platform?.argocd?.clouds,
        admin: w?.platform?.argocd?.admin ?? false,
        admins: w?.platform?.argocd?.admins ?? [],
        sso: w?.platform?.argocd?.sso,
      },
      rabbitmqOperator: {
        enabled: w?.platform?.rabbitmqOperator?.enabled ?? usesRabbitmqOperator(w),
        replicas: w?.platform?.rabbitmqOperator?.replicas ?? 1,
        resources: w?.platform?.rabbitmqOperator?.resources ?? sizing.rabbitmqOperator.resources,
      },
      podSecurity: w?.platform?.podSecurity ?? ("restricted" as const),
      monitoring,
      cloudnativePg: {
        enabled:
          w?.platform?.cloudnativePg?.enabled ??
          (pg !== undefined && (pg.engine ?? "cloudnativepg") === "cloudnativepg"),
      },
    },
    databases: {
      postgresql: pg && {
        ...release(pg, "postgresql", DEFAULT_RELEASE_NAMES.postgresql),
        engine: pg.engine ?? ("cloudnativepg" as const),
        // CloudNativePG's image is Strata's pin: the Bitnami image location does not apply.
        ...(pg.engine !== "bitnami" && {
          images: { registry: undefined, namespace: undefined },
        }),
        restore: pg.restore,
        // The Bitnami release kept while the new cluster imports from it (its image location).
        import: pg.import && {
          from: pg.import.from,
          images: { registry: bitnami?.registry, namespace: bitnami?.namespace },
        },
        ha: pg.ha ?? ha,
        replicas: pg.replicas ?? ((pg.ha ?? ha) ? Math.max(tier.replicas, 3) : 1),
        // Pgpool is the bitnami engine's only (CloudNativePG has none).
        ...(pg.engine === "bitnami" && {
          pgpoolReplicas: pg.pgpoolReplicas ?? (ha ? 2 : 1),
          pgpoolResources: pg.pgpoolResources ?? sizing.pgpool.resources,
        }),
        database: pg.database ?? "app",
        username: pg.username ?? "app",
        migration: resolveMigration(
          pg.migration,
          pg.releaseName ?? DEFAULT_RELEASE_NAMES.postgresql,
          sizing.app.resources,
        ),
        backup: {
          enabled: pg.backup?.enabled ?? ctx.tier !== "dev",
          retention: pg.backup?.retention ?? (ctx.tier === "prod" ? "30d" : "7d"),
          schedule: pg.backup?.schedule ?? "0 0 3 * * *",
          bucket: pg.backup?.bucket,
        },
      },
      redis: redis && {
        ...release(redis, "redis", DEFAULT_RELEASE_NAMES.redis),
        engine: redis.engine ?? ("valkey" as const),
        // Valkey's image is Strata's pin: the Bitnami image location does not apply.
        ...(redis.engine !== "bitnami" && {
          images: { registry: undefined, namespace: undefined },
        }),
        sentinel: redis.sentinel ?? ha,
        replicas: redis.replicas ?? ((redis.sentinel ?? ha) ? Math.max(tier.replicas, 3) : 1),
      },
      clickhouse: ch && clickhouse(ch),
      meilisearch: meili && {
        ...meili,
        releaseName: meili.releaseName ?? DEFAULT_RELEASE_NAMES.meilisearch,
        clouds: meili.clouds ?? [...ctx.clouds],
        image: meili.image ?? { ...DEFAULT_MEILISEARCH_IMAGE },
        resources: meili.resources ?? sizing.meilisearch.resources,
        storage: meili.storage ?? sizing.meilisearch.storage!,
      },
    },
    buses: {
      rabbitmq: mq && {
        ...release(mq, "rabbitmq", DEFAULT_RELEASE_NAMES.rabbitmq),
        engine: mq.engine ?? ("operator" as const),
        // The operator engine's image is Strata's pin: the Bitnami image location applies only to
        // the Bitnami release kept while moving over.
        ...(mq.engine !== "bitnami" &&
          !mq.keepBitnami && {
            images: { registry: undefined, namespace: undefined },
          }),
        replicas: mq.replicas ?? (ha ? 3 : 1),
        plugins: mq.plugins ?? [],
        keepBitnami: mq.engine !== "bitnami" && (mq.keepBitnami ?? false),
      },
      kafka: kafka && {
        ...release(kafka, "kafka", DEFAULT_RELEASE_NAMES.kafka),
        engine: kafka.engine ?? ("strimzi" as const),
        migrating: kafka.migrating ?? false,
        // Strimzi's Kafka image is the operator's: the Bitnami image location does not apply.
        ...(kafka.engine !== "bitnami" &&
          !kafka.migrating && { images: { registry: undefined, namespace: undefined } }),
        controllers: kafka.controllers ?? (ha ? 3 : 1),
        brokers: kafka.brokers ?? (ha ? tier.replicas : 0),
      },
    },
    apps,
    edge: {
      zone: w?.edge?.zone,
      acme: w?.edge?.acme && {
        email: w.edge.acme.email,
        server:
          w.edge.acme.server ??
          (ctx.tier === "dev" ? ("staging" as const) : ("production" as const)),
      },
      loadBalancer: {
        gcp: { internal: false, annotations: {}, ...w?.edge?.loadBalancer?.gcp },
        aws: { internal: false, annotations: {}, ...w?.edge?.loadBalancer?.aws },
        digitalocean: {
          internal: false,
          annotations: {},
          sizeUnit: 1,
          ...w?.edge?.loadBalancer?.digitalocean,
        },
      },
      replicas: w?.edge?.replicas ?? tier.replicas,
    },
    delivery: resolveDelivery(w?.delivery, ctx.tier),
  };
}

/** True when the environment's RabbitMQ runs as a RabbitmqCluster (the operator engine). */
export function usesRabbitmqOperator(
  w: { buses?: { rabbitmq?: { engine?: string } } } | undefined,
): boolean {
  const mq = w?.buses?.rabbitmq;
  return mq !== undefined && mq.engine !== "bitnami";
}

/** Settings that belong to one RabbitMQ engine only. */
function checkRabbitmqEngine(
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
  if (
    !mq.keepBitnami &&
    (mq.images?.registry !== undefined || mq.images?.namespace !== undefined)
  ) {
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

export type WorkloadsConfig = ReturnType<typeof resolveWorkloads>;
export type MonitoringSettings = WorkloadsConfig["platform"]["monitoring"];

export type AppSettings = WorkloadsConfig["apps"][string];
export type MigrationSettings = NonNullable<AppSettings["migration"]>;
