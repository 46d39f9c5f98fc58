/**
 * Where an environment's Helm layers run (its own clusters, or another environment's cluster) and
 * what runs there: the platform (namespaces, cert-manager, Envoy Gateway, Argo CD), in-cluster
 * databases and message buses, and the applications wired to them.
 */
import { z } from "zod";
import { contractOf, contractVariables } from "../../modules/common/app-contracts";
import { NAME_RULES } from "../../modules/common/naming";
import { MAX_TIMEOUT_SECONDS } from "../../modules/helm/kubernetes-values";
import { DEFAULT_MEILISEARCH_IMAGE } from "../../modules/helm/meilisearch-image";
import { VALKEY_IMAGE } from "../../modules/helm/valkey-image";
import { named, obj, TIER_DEFAULTS, type TierDefaults } from "./common";
import { annotationProblem } from "../../modules/helm/load-balancer";
import { appEdgeFields, checkEdge, EdgeConfig } from "./edge";
import {
  AppGitSource,
  argoCdHardening,
  checkArgoCdClouds,
  checkDelivery,
  DeliveryConfig,
  DeliveryMode,
  resolveDelivery,
} from "./delivery";
import { NULL_RECEIVER, SEVERITIES } from "../../modules/helm/alerting";
import {
  AlertThresholdsConfig,
  MONITORING_NAMESPACE,
  MONITORING_RELEASES,
  ReceiverConfig,
  ReceiverName,
  Retention,
} from "./monitoring";

/** Namespaces every cluster already has; workloads never go there. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
export { CONFIG_CLOUDS, ConfigCloud, Quantity, QUANTITY_RE, Resources, WorkloadSize } from "./kube";
import { ConfigCloud, CONFIG_CLOUDS, Quantity, Resources, WorkloadSize } from "./kube";

/** An exact chart version: no ranges, no `latest`. */
export const EXACT_VERSION_RE = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const ChartVersion = z.string().regex(EXACT_VERSION_RE, {
  error: (i) =>
    `chart version ${JSON.stringify(i.input)} is not pinned; write an exact version like 16.7.27 (no ranges such as ^1.2 or 1.x, no "latest")`,
});

/** Helm release names: DNS labels of at most 53 characters (Helm's limit). */
export const RELEASE_NAME_MAX = 53;
export const ReleaseName = named({
  ...NAME_RULES.dnsLabel,
  what: "Helm release name",
  maxLength: RELEASE_NAME_MAX,
});

/**
 * Where a chart's images come from. `namespace` replaces the chart's default image namespace
 * (`bitnami` → `bitnamilegacy`, `jetstack` → your mirror's); `registry` the default registry.
 */
export const ImageSource = obj({
  /** @default - the environment's (Bitnami charts) or the chart's own registry */
  registry: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/, {
      error: (i) =>
        `image registry ${JSON.stringify(i.input)} must be a host such as docker.io or europe-docker.pkg.dev/my-project`,
    })
    .optional(),
  /** @default - the environment's (Bitnami charts) or the chart's own namespace */
  namespace: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/, {
      error: (i) => `image namespace ${JSON.stringify(i.input)} must look like bitnamilegacy`,
    })
    .optional(),
});
export type ImageSource = z.output<typeof ImageSource>;

/** The charts whose versions the environment pins. */
export const CHART_KEYS = [
  "certManager",
  "envoyGateway",
  "argocd",
  "postgresql",
  "postgresqlHa",
  "redis",
  "valkey",
  "clickhouse",
  "meilisearch",
  "rabbitmq",
  "kafka",
  "kubePrometheusStack",
  "cloudnativePg",
  "barmanCloudPlugin",
] as const;
export type ChartKey = (typeof CHART_KEYS)[number];

/**
 * Pinned chart versions, each one a version whose values.yaml was read (see
 * __tests__/fixtures/chart-values/). Where the exact file was not reachable, the nearest one was:
 * postgresql 16.7.27 (keys from 17.1.0 minus later additions), postgresql-ha 16.3.2 (16.3.4),
 * rabbitmq 16.0.14 (16.0.16), cert-manager v1.18.2 (a v1.17/v1.18 file). argo-cd 10.1.1: the
 * official values.yaml at tag argo-cd-10.1.1. redis 23.1.1: no 24.x values.yaml was found. clickhouse 9.4.7 and kafka 32.4.3: the
 * official values.yaml at the release tag (9.4.5, 9.4.6 and 32.4.4 were never released: facts/charts.json).
 * meilisearch 0.25.0 (Chart.yaml of meilisearch-kubernetes; keys from an older values.yaml).
 * kube-prometheus-stack 88.5.3: the newest tag in the prometheus-community/helm-charts snapshot
 * (2026-08-22), values.yaml at the tag (facts/charts.json). valkey 0.25.5: CloudPirates' chart,
 * the newest tag in the CloudPirates-io/helm-charts snapshot (2026-08-14), values.yaml at the tag.
 */
export const CHART_VERSIONS: Readonly<Record<ChartKey, string>> = {
  certManager: "v1.21.1",
  envoyGateway: "v1.9.0",
  argocd: "10.1.1",
  postgresql: "16.7.27",
  postgresqlHa: "16.3.2",
  redis: "23.1.1",
  valkey: "0.25.5",
  clickhouse: "9.4.7",
  meilisearch: "0.25.0",
  rabbitmq: "16.0.14",
  kafka: "32.4.3",
  kubePrometheusStack: "88.5.3",
  // The newest cloudnative-pg and plugin-barman-cloud chart tags in the cloudnative-pg/charts
  // snapshot (2026-06-29: operator 1.30.0; 2026-06-10: plugin v0.13.0); facts/charts.json.
  cloudnativePg: "0.29.0",
  barmanCloudPlugin: "0.7.0",
};

/** The charts that are Bitnami's (images under docker.io/bitnami until August 2025). */
export const BITNAMI_CHARTS: readonly ChartKey[] = [
  "postgresql",
  "postgresqlHa",
  "redis",
  "clickhouse",
  "rabbitmq",
  "kafka",
];

const Clouds = z.array(ConfigCloud).min(1);

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

const EnvVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an environment variable name; use UPPER_SNAKE_CASE`,
});

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

/** The databases a migration can migrate (the in-cluster ones, workloads.databases). */
export const MigratedDatabase = z.enum(["postgresql"]);
export type MigratedDatabase = z.infer<typeof MigratedDatabase>;

/** Migration (Job) names: DNS labels short enough to append the image tag. */
export const MIGRATION_NAME_MAX = 40;
const MigrationName = named({
  ...NAME_RULES.dnsLabel,
  what: "migration name",
  maxLength: MIGRATION_NAME_MAX,
});

const IMAGE_TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * A schema migration run as a Kubernetes Job (a Helm pre-install/pre-upgrade hook of
 * charts/migration) before the application that declares it, with the database's credentials.
 */
export const MigrationConfig = obj({
  /**
   * Name, unique in the namespace: the Helm release and the Job's prefix (the Job is
   * `<name>-<image tag>`). `after` refers to it.
   * @default - "<app>-migrate", or "<release>-migrate" for a database's own migration
   */
  name: MigrationName.optional(),
  image: obj({
    repository: z.string().regex(/^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?$/, {
      error: "migration image repository must look like docker.io/arigaio/atlas",
    }),
    tag: z
      .string({
        error: (i) =>
          i.input === undefined
            ? "a migration image needs a tag: the Job's name follows the tag, so a new tag runs the migration and the same tag does not; pin one like 0.36.0"
            : "migration image tag must be a string like 0.36.0",
      })
      .regex(IMAGE_TAG_RE, { error: "migration image tag must be a Docker tag like 0.36.0" }),
  }),
  /** Entrypoint. `$(VAR)` expands the Job's variables (Kubernetes). @default - the image's */
  command: z.array(z.string()).optional(),
  /** Arguments, e.g. ["migrate", "apply", "--dir", "file:///migrations", "--url", "$(DATABASE_URL)"]. @default - the image's */
  args: z.array(z.string()).optional(),
  /** The database migrated. @default "postgresql" */
  database: MigratedDatabase.optional(),
  /** Variable holding the connection URL; its password comes from the database Secret. @default "DATABASE_URL" */
  urlEnv: EnvVarName.optional(),
  /** Non-sensitive variables. @default {} */
  env: z.record(EnvVarName, z.string()).optional(),
  /** Seconds the Job may run (activeDeadlineSeconds); Helm waits this long plus a margin. @default 600 */
  timeoutSeconds: z
    .number()
    .int()
    .min(1, {
      error: (i) => `migration timeout ${String(i.input)} s is outside 1 s–4 h; use at least 1`,
    })
    .max(MAX_TIMEOUT_SECONDS, {
      error: (i) =>
        `migration timeout ${String(i.input)} s is outside 1 s–4 h (${MAX_TIMEOUT_SECONDS} s); split the migration or raise it to at most ${MAX_TIMEOUT_SECONDS}`,
    })
    .optional(),
  /** Retries of a failed pod before the Job fails (covers a database still starting). @default 2 */
  backoffLimit: z.number().int().min(0).max(10).optional(),
  /** Seconds a finished Job (and its pod's logs) stays before Kubernetes deletes it. @default 86400 */
  ttlSecondsAfterFinished: z.number().int().min(0).max(604800).optional(),
  /** Migrations (by name) that must have run first: applications sharing a database. @default [] */
  after: z.array(MigrationName).optional(),
  /** @default - the workload size's app resources */
  resources: Resources.optional(),
  /** UID the container runs as (non-root). @default 10001 */
  runAsUser: z.number().int().min(1).max(2147483647).optional(),
});
export type MigrationInput = z.input<typeof MigrationConfig>;

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

export const ClickhouseConfig = obj({
  ...releaseFields,
  /** Shards (one StatefulSet each). @default 1 */
  shards: z.number().int().min(1).max(10).optional(),
  /** ClickHouse servers per shard. @default - 2 with high availability (unless keeperReplicas is 0), else 1 */
  replicas: z.number().int().min(1).max(9).optional(),
  /** ClickHouse Keeper nodes (Raft: 0, 1, 3 or 5; replicas > 1 need it). @default - 3 when replicas > 1, else 0 */
  keeperReplicas: z.number().int().min(0).max(5).optional(),
  /** Keeper resources. @default - the workload size's */
  keeperResources: Resources.optional(),
  /** User the applications log in as (the chart's admin user). @default "default" */
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
   * @default - docker.io/getmeili/meilisearch at the pinned chart's appVersion (v1.35.0)
   */
  image: obj({
    repository: z.string().regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)+$/, {
      error: (i) =>
        `meilisearch image repository ${JSON.stringify(i.input)} must include its registry, like docker.io/getmeili/meilisearch`,
    }),
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
      error: "meilisearch image tag must be a Docker tag like v1.35.0",
    }),
  }).optional(),
  /** @default - the workload size's */
  resources: Resources.optional(),
  /** Volume size. @default - the workload size's */
  storage: Quantity.optional(),
});

export const RabbitmqConfig = obj({
  ...releaseFields,
  /** Cluster nodes: 1, or an odd number ≥ 3 (quorum queues). @default - 3 with high availability, else 1 */
  replicas: z.number().int().min(1).max(9).optional(),
});

export const KafkaConfig = obj({
  ...releaseFields,
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

/**
 * The metrics stack (kube-prometheus-stack in namespace `monitoring`) on clusters the environment
 * owns, and ServiceMonitors/PodMonitors and alert rules for its services on every cluster it
 * runs on. A guest on a shared cluster sets only `enabled` and `thresholds`: the rest belongs to
 * the cluster's owner, and its monitors and rules exist only when the owner runs the stack.
 */
export const MonitoringConfig = obj({
  /** @default - the tier's: off in dev, on in staging and prod */
  enabled: z.boolean().optional(),
  /** Prometheus data retention (2h–365d). @default - the tier's: 3d, 7d, 15d */
  retention: Retention.optional(),
  /** Prometheus volume per replica. @default - the workload size's */
  storage: Quantity.optional(),
  /** Prometheus replicas (each scrapes everything). @default - 2 with high availability, else 1 */
  replicas: z.number().int().min(1).max(3).optional(),
  /** Prometheus resources. @default - the workload size's */
  resources: Resources.optional(),
  /** Alertmanager. */
  alertmanager: obj({
    /** @default - 2 with high availability, else 1 */
    replicas: z.number().int().min(1).max(5).optional(),
    /** Volume per replica (silences, notification log). @default - the workload size's */
    storage: Quantity.optional(),
    /** @default - the workload size's */
    resources: Resources.optional(),
  }).optional(),
  /**
   * Where alerts go, by name. Each reads its URL or key from a Secret in namespace `monitoring`
   * that you create (never a literal in config). @default {} (alerts stay in Alertmanager)
   */
  receivers: z.record(ReceiverName, ReceiverConfig).optional(),
  /** Receivers (by name) per severity. @default - every receiver gets every severity */
  routes: obj({
    critical: z.array(ReceiverName).optional(),
    warning: z.array(ReceiverName).optional(),
  }).optional(),
  /** Alert thresholds, each within its range. @default - the tier's */
  thresholds: AlertThresholdsConfig.optional(),
  /** Registry replacing every image registry of the stack (global.imageRegistry). @default - the chart's */
  images: obj({ registry: ImageSource.shape.registry.unwrap() }).optional(),
});

/** Monitoring keys a guest on a shared cluster may set (the rest configure the owner's stack). */
const GUEST_MONITORING_KEYS = ["enabled", "thresholds"];

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

export const EventStore = z.enum(["bigtable", "dynamodb", "postgres"]);
export type EventStore = z.infer<typeof EventStore>;
export const Bus = z.enum(["pubsub", "sns-sqs", "rabbitmq", "kafka"]);
export type Bus = z.infer<typeof Bus>;

/** One choice, or one per cloud (`{ gcp: "bigtable", aws: "dynamodb" }`). */
function perCloud<T extends z.ZodType<string>>(choice: T) {
  return z.union([
    choice,
    obj({ gcp: choice.optional(), aws: choice.optional(), digitalocean: choice.optional() }),
  ]);
}

/**
 * An application's chart: one shipped in this repository (`{ local: "service" }`, charts/service)
 * or one from a repository, pinned (`{ repository, name, version }`).
 */
export const AppChart = obj({
  local: z.enum(["service"]).optional(),
  /** `https://…` or `oci://…` */
  repository: z
    .string()
    .regex(/^(https?|oci):\/\/\S+$/, { error: "repository must be an https:// or oci:// URL" })
    .optional(),
  name: z.string().min(1).optional(),
  version: ChartVersion.optional(),
}).superRefine((c, ctx) => {
  if (c.local !== undefined) {
    if (c.repository ?? c.name ?? c.version) {
      ctx.addIssue({
        code: "custom",
        message: `a local chart takes no repository, name or version (its version is charts/${c.local}/Chart.yaml's)`,
      });
    }
  } else if (!c.repository || !c.name) {
    ctx.addIssue({
      code: "custom",
      message: 'a chart is { local: "service" } or { repository, name, version }',
    });
  } else if (!c.version) {
    ctx.addIssue({
      code: "custom",
      path: ["version"],
      message: `chart ${c.name} from ${c.repository} has no pinned version; add version: "<exact version>" (without one, helm installs whatever is newest)`,
    });
  }
});

export const AppConfig = obj({
  /** @default { local: "service" } (charts/service) */
  chart: AppChart.optional(),
  image: obj({
    repository: z.string().regex(/^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?$/, {
      error: "image repository must look like ghcr.io/org/name",
    }),
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
      error: "image tag must be a Docker tag like 1.4.2",
    }),
  }),
  /** Container port. @default 8080 */
  port: z.number().int().min(1).max(65535).optional(),
  /** HTTP path for readiness/liveness. @default - a TCP check on the port */
  healthPath: z
    .string()
    .regex(/^\/\S*$/)
    .optional(),
  /** @default - the tier's replicas */
  replicas: z.number().int().min(1).max(100).optional(),
  /** @default - the workload size's */
  resources: Resources.optional(),
  /** HorizontalPodAutoscaler on CPU. @default - off */
  autoscaling: obj({
    /** @default true */
    enabled: z.boolean().optional(),
    /** @default - the app's replicas */
    minReplicas: z.number().int().min(1).max(100).optional(),
    maxReplicas: z.number().int().min(1).max(500),
    /** @default 70 */
    targetCpuPercent: z.number().int().min(10).max(100).optional(),
  }).optional(),
  /** PodDisruptionBudget (minAvailable 1). @default - the tier's highAvailability */
  pdb: z.boolean().optional(),
  /** Event store. @default - none */
  eventStore: perCloud(EventStore).optional(),
  /** Message bus. @default - none */
  bus: perCloud(Bus).optional(),
  /** The in-cluster PostgreSQL as the app's own database (hosts in the ConfigMap, password in the Secret). @default false */
  database: z.boolean().optional(),
  /** The in-cluster Redis. @default false */
  cache: z.boolean().optional(),
  /** The in-cluster ClickHouse (CLICKHOUSE_* in the ConfigMap, the password in the Secret). @default false */
  analytics: z.boolean().optional(),
  /** The in-cluster Meilisearch (MEILI_HOST in the ConfigMap, MEILI_MASTER_KEY in the Secret). @default false */
  search: z.boolean().optional(),
  /** Put a postgresql:// connection URL with credentials in this variable of the app's Secret. @default - none */
  databaseUrlEnv: EnvVarName.optional(),
  /** Clusters to run on. @default - every workload cluster where what it uses is available */
  clouds: Clouds.optional(),
  /** LOG_LEVEL. @default "info" */
  logLevel: z.enum(["debug", "info", "warn", "error"]).optional(),
  /** Non-sensitive settings for the ConfigMap. @default {} */
  env: z.record(EnvVarName, z.string()).optional(),
  /** UID the container runs as (non-root). @default 10001 */
  runAsUser: z.number().int().min(1).max(2147483647).optional(),
  /** Writable emptyDir mounts (the root filesystem is read-only). @default ["/tmp"] */
  writablePaths: z
    .array(z.string().regex(/^\/\S*$/))
    .refine((paths) => new Set(paths).size === paths.length, {
      error: "writablePaths lists a path twice; a pod cannot mount two volumes at one path",
    })
    .optional(),
  /** Schema migration run before each release of the app, on each cluster where it uses the database. @default - none */
  migration: MigrationConfig.optional(),
  ...appEdgeFields,
  /** Who rolls the app out: `helm` (OpenTofu) or `argocd`. @default - workloads.delivery.mode */
  delivery: DeliveryMode.optional(),
  /** The app's values source in Git; required when Argo CD delivers it. @default - none */
  git: AppGitSource.optional(),
  /** Prometheus metrics the app serves on its port (a PodMonitor when monitoring is on). @default - none */
  metrics: obj({
    /** @default "/metrics" */
    path: z
      .string()
      .regex(/^\/\S*$/)
      .optional(),
  }).optional(),
});
export type AppConfigInput = z.input<typeof AppConfig>;

export const AppName = named({ ...NAME_RULES.dnsLabel, what: "application name", maxLength: 40 });

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

type WorkloadsFields = z.output<typeof Workloads>;
type ReleaseFields = z.output<typeof RabbitmqConfig>;
type PlatformPartFields = NonNullable<z.output<typeof PlatformConfig>["certManager"]>;
type AppFields = z.output<typeof AppConfig>;

/** Per-size resources and volume sizes of each component. */
interface ComponentSizing {
  readonly resources: Resources;
  /** Volume per replica; absent for stateless components. */
  readonly storage?: string;
}

export type SizedComponent =
  | "postgresql"
  | "pgpool"
  | "redis"
  | "clickhouse"
  | "clickhouseKeeper"
  | "meilisearch"
  | "rabbitmq"
  | "kafka"
  | "app"
  | "certManager"
  | "envoyGateway"
  | "gatewayProxy"
  | "argocd"
  | "prometheus"
  | "alertmanager";

const r = (cpu: string, memory: string, memoryLimit: string): Resources => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/**
 * Resources and volumes per workload size. Requests follow the charts' own presets (Bitnami
 * `nano`…`large`: small ≈ micro/small, medium ≈ small/medium, large ≈ large); memory limits are
 * twice the request, CPU is not limited.
 */
export const WORKLOAD_SIZES: Readonly<
  Record<WorkloadSize, Readonly<Record<SizedComponent, ComponentSizing>>>
> = {
  small: {
    postgresql: { resources: r("100m", "256Mi", "512Mi"), storage: "8Gi" },
    pgpool: { resources: r("50m", "128Mi", "256Mi") },
    redis: { resources: r("50m", "64Mi", "128Mi"), storage: "2Gi" },
    clickhouse: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
    clickhouseKeeper: { resources: r("50m", "128Mi", "256Mi"), storage: "2Gi" },
    meilisearch: { resources: r("100m", "256Mi", "512Mi"), storage: "5Gi" },
    rabbitmq: { resources: r("100m", "256Mi", "512Mi"), storage: "8Gi" },
    kafka: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
    app: { resources: r("50m", "128Mi", "256Mi") },
    certManager: { resources: r("10m", "32Mi", "64Mi") },
    envoyGateway: { resources: r("100m", "256Mi", "1Gi") },
    gatewayProxy: { resources: r("100m", "128Mi", "512Mi") },
    argocd: { resources: r("100m", "128Mi", "256Mi") },
    prometheus: { resources: r("100m", "512Mi", "1Gi"), storage: "10Gi" },
    alertmanager: { resources: r("10m", "32Mi", "64Mi"), storage: "1Gi" },
  },
  medium: {
    postgresql: { resources: r("250m", "512Mi", "1Gi"), storage: "20Gi" },
    pgpool: { resources: r("100m", "256Mi", "512Mi") },
    redis: { resources: r("100m", "128Mi", "256Mi"), storage: "4Gi" },
    clickhouse: { resources: r("500m", "1Gi", "2Gi"), storage: "20Gi" },
    clickhouseKeeper: { resources: r("100m", "256Mi", "512Mi"), storage: "4Gi" },
    meilisearch: { resources: r("250m", "512Mi", "1Gi"), storage: "10Gi" },
    rabbitmq: { resources: r("250m", "512Mi", "1Gi"), storage: "10Gi" },
    kafka: { resources: r("500m", "1Gi", "2Gi"), storage: "20Gi" },
    app: { resources: r("100m", "256Mi", "512Mi") },
    certManager: { resources: r("25m", "64Mi", "128Mi") },
    envoyGateway: { resources: r("100m", "256Mi", "1Gi") },
    gatewayProxy: { resources: r("250m", "256Mi", "1Gi") },
    argocd: { resources: r("250m", "256Mi", "512Mi") },
    prometheus: { resources: r("250m", "1Gi", "2Gi"), storage: "50Gi" },
    alertmanager: { resources: r("25m", "64Mi", "128Mi"), storage: "1Gi" },
  },
  large: {
    postgresql: { resources: r("1", "2Gi", "4Gi"), storage: "100Gi" },
    pgpool: { resources: r("250m", "512Mi", "1Gi") },
    redis: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
    clickhouse: { resources: r("2", "4Gi", "8Gi"), storage: "100Gi" },
    clickhouseKeeper: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
    meilisearch: { resources: r("1", "2Gi", "4Gi"), storage: "50Gi" },
    rabbitmq: { resources: r("500m", "1Gi", "2Gi"), storage: "20Gi" },
    kafka: { resources: r("1", "2Gi", "4Gi"), storage: "100Gi" },
    app: { resources: r("250m", "512Mi", "1Gi") },
    certManager: { resources: r("50m", "128Mi", "256Mi") },
    envoyGateway: { resources: r("250m", "512Mi", "2Gi") },
    gatewayProxy: { resources: r("500m", "512Mi", "2Gi") },
    argocd: { resources: r("500m", "512Mi", "1Gi") },
    prometheus: { resources: r("500m", "2Gi", "4Gi"), storage: "100Gi" },
    alertmanager: { resources: r("50m", "128Mi", "256Mi"), storage: "2Gi" },
  },
};

/** Default release names: Bitnami names resources `<release>-<chart>` (`db-postgresql`). */
export const DEFAULT_RELEASE_NAMES = {
  postgresql: "db",
  redis: "cache",
  clickhouse: "analytics",
  meilisearch: "search",
  rabbitmq: "mq",
  kafka: "events",
} as const;

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

/** The store or bus an app uses on one cloud. */
export function choiceOn<T extends string>(
  choice: T | Partial<Record<ConfigCloud, T>> | undefined,
  cloud: ConfigCloud,
): T | undefined {
  return typeof choice === "object" ? choice[cloud] : choice;
}

/** Where each in-cluster service runs (undefined: not configured). */
function serviceClouds(w: WorkloadsFields | undefined, all: readonly ConfigCloud[]) {
  const on = (c: { clouds?: ConfigCloud[] } | undefined) => (c ? (c.clouds ?? all) : []);
  return {
    postgres: on(w?.databases?.postgresql),
    redis: on(w?.databases?.redis),
    clickhouse: on(w?.databases?.clickhouse),
    meilisearch: on(w?.databases?.meilisearch),
    rabbitmq: on(w?.buses?.rabbitmq),
    kafka: on(w?.buses?.kafka),
  };
}

/** Why `app` cannot run on `cloud`, or undefined when everything it uses is there. */
export function appBlocker(
  app: AppFields,
  cloud: ConfigCloud,
  w: WorkloadsFields | undefined,
  ctx: WorkloadContext,
  name: string,
): string | undefined {
  const services = serviceClouds(w, ctx.clouds);
  /** Why an in-cluster service is missing on this cloud, or undefined when it is there. */
  const missing = (service: keyof typeof services, what: string): string | undefined => {
    const on = services[service];
    if (on.includes(cloud)) return undefined;
    const where = on.length ? `.clouds is [${on.join(", ")}]` : " is not configured";
    return `${what} is not installed on ${cloud} (workloads.${IN_CLUSTER_CONFIG[service]}${where})`;
  };
  const store = choiceOn(app.eventStore, cloud);
  const bus = choiceOn(app.bus, cloud);
  if (typeof app.eventStore === "object" && !store) return `eventStore names no store for ${cloud}`;
  if (typeof app.bus === "object" && !bus) return `bus names no bus for ${cloud}`;
  for (const used of [store, bus]) {
    if (!used) continue;
    const home = NATIVE_HOME[used];
    if (home && home !== cloud) return `${used} is only reachable from ${home} clusters`;
    if (home) {
      const problem = nativeBlocker(used, home, name, ctx);
      if (problem) return problem;
    }
    const problem = home ? undefined : missing(used as keyof typeof services, used);
    if (problem) return problem;
  }
  if (app.database || app.databaseUrlEnv) {
    const problem = missing("postgres", "its database (PostgreSQL)");
    if (problem) return problem;
  }
  if (app.cache) {
    const problem = missing("redis", "its cache (Redis)");
    if (problem) return problem;
  }
  if (app.analytics) {
    const problem = missing("clickhouse", "its analytics database (ClickHouse)");
    if (problem) return problem;
  }
  return app.search ? missing("meilisearch", "its search engine (Meilisearch)") : undefined;
}

/** The section of a cloud target that creates each cloud-native store and bus. */
const NATIVE_SECTION: Readonly<Record<string, string>> = {
  bigtable: "eventStore",
  pubsub: "pubsub",
  dynamodb: "eventStore",
  "sns-sqs": "messaging",
};

/**
 * Why a cloud-native store or bus is not usable by `app`: the target, the section that creates it,
 * or the app's workload identity (the service account / IAM role it runs as) is missing.
 */
function nativeBlocker(
  used: string,
  home: ConfigCloud,
  app: string,
  ctx: WorkloadContext,
): string | undefined {
  const target = ctx.targets[home] as
    (Record<string, unknown> & { workloadIdentities?: ReadonlyArray<{ app: string }> }) | undefined;
  if (!target)
    return `${used} needs targets.${home} (its ${used} lives in this environment's ${home} account)`;
  const section = NATIVE_SECTION[used];
  if (target[section] === undefined)
    return `${used} needs targets.${home}.${section}, the layer that creates it`;
  if (!(target.workloadIdentities ?? []).some((w) => w.app === app)) {
    return `${used} needs a workload identity for "${app}" in targets.${home}.workloadIdentities (the identity it runs as, with access to its ${used})`;
  }
  return undefined;
}

/** The cloud each cloud-native store and bus lives in. */
const NATIVE_HOME: Readonly<Record<string, ConfigCloud>> = {
  bigtable: "gcp",
  pubsub: "gcp",
  dynamodb: "aws",
  "sns-sqs": "aws",
};

/** Where each in-cluster service is configured. */
const IN_CLUSTER_CONFIG = {
  postgres: "databases.postgresql",
  redis: "databases.redis",
  clickhouse: "databases.clickhouse",
  meilisearch: "databases.meilisearch",
  rabbitmq: "buses.rabbitmq",
  kafka: "buses.kafka",
} as const;

/** The clouds an app runs on: as configured, or every workload cloud where it can. */
export function appClouds(
  app: AppFields,
  w: WorkloadsFields | undefined,
  ctx: WorkloadContext,
  name: string,
): ConfigCloud[] {
  return app.clouds ?? ctx.clouds.filter((c) => appBlocker(app, c, w, ctx, name) === undefined);
}

/** Checks that need the whole workloads section and the environment around it. */
/** An app that runs a known third-party image follows that app's contract. */
function checkContract(app: AppFields, issue: (path: PropertyKey[], message: string) => void) {
  const contract = contractOf(app.image.repository);
  if (!contract) return;
  for (const [field, fix] of Object.entries(contract.unsupported)) {
    if (app[field as keyof AppFields] !== undefined) issue([field], fix);
  }
  const wired = new Set(contractVariables(contract));
  for (const key of Object.keys(app.env ?? {})) {
    if (wired.has(key)) {
      issue(
        ["env", key],
        `${key} is set by Strata from ${contract.app}'s contract (${contract.facts}); remove it from env`,
      );
    }
  }
}

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

  const releases: Array<
    [PropertyKey[], { clouds?: ConfigCloud[]; images?: ImageSource } | undefined, ChartKey]
  > = [
    [
      ["databases", "postgresql"],
      w.databases?.postgresql,
      w.databases?.postgresql?.engine === "bitnami" ? "postgresql" : "cloudnativePg",
    ],
    [
      ["databases", "redis"],
      w.databases?.redis,
      w.databases?.redis?.engine === "bitnami" ? "redis" : "valkey",
    ],
    [["databases", "clickhouse"], w.databases?.clickhouse, "clickhouse"],
    [["databases", "meilisearch"], w.databases?.meilisearch, "meilisearch"],
    [["buses", "rabbitmq"], w.buses?.rabbitmq, "rabbitmq"],
    [["buses", "kafka"], w.buses?.kafka, "kafka"],
  ];
  for (const [path, release, chart] of releases) {
    if (!release) continue;
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
  const kafka = w.buses?.kafka;
  if (kafka?.controllers !== undefined && kafka.controllers % 2 === 0) {
    issue(
      ["buses", "kafka", "controllers"],
      `KRaft needs an odd number of controllers for a majority, got ${kafka.controllers}; use 1, 3 or 5`,
    );
  }

  for (const [name, app] of Object.entries(w.apps ?? {})) {
    const path = ["apps", name];
    checkContract(app, (p, m) => issue([...path, ...p], m));
    if (app.clouds) {
      app.clouds.forEach((c, i) => {
        if (!ctx.clouds.includes(c)) {
          issue([...path, "clouds", i], `${c} has no cluster for this environment; ${where}`);
          return;
        }
        const blocker = appBlocker(app, c, w, ctx, name);
        if (blocker) issue([...path, "clouds", i], `${name} cannot run on ${c}: ${blocker}`);
      });
    } else if (appClouds(app, w, ctx, name).length === 0) {
      const reasons = ctx.clouds.map((c) => `${c}: ${appBlocker(app, c, w, ctx, name)}`).join("; ");
      issue(
        path,
        `${name} uses a store or bus this environment does not provide on any of its clusters (${reasons}); configure it under workloads.databases/buses, or pick another eventStore/bus`,
      );
    }
    if (ctx.tier === "prod" && app.image.tag === "latest") {
      issue(
        [...path, "image", "tag"],
        `a prod-tier environment cannot run image tag "latest" (it changes under the same name and cannot be rolled back); pin a version such as 1.4.2`,
      );
    }
    const scaling = app.autoscaling;
    if (scaling && scaling.minReplicas !== undefined && scaling.minReplicas > scaling.maxReplicas) {
      issue(
        [...path, "autoscaling", "minReplicas"],
        `minReplicas (${scaling.minReplicas}) must be <= maxReplicas (${scaling.maxReplicas})`,
      );
    }
    const native = [...CONFIG_CLOUDS].some((c) => {
      const s = choiceOn(app.eventStore, c);
      const b = choiceOn(app.bus, c);
      return s === "bigtable" || b === "pubsub";
    });
    const gsa = `${ctx.name}-${name}`;
    if (native && gsa.length > 30) {
      issue(
        path,
        `the GCP service account id "${gsa}" is ${gsa.length} characters (GCP allows 6–30); shorten the application name`,
      );
    }
  }
  checkMigrations(w, ctx, issue);
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

/** Monitoring: a guest sets only its own part; routes name configured receivers. */
function checkMonitoring(
  w: WorkloadsFields,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  if (w.namespace === MONITORING_NAMESPACE) {
    issue(
      ["namespace"],
      `namespace "${MONITORING_NAMESPACE}" holds the metrics stack of the cluster's owner; choose another namespace`,
    );
  }
  const reserved: readonly string[] = Object.values(MONITORING_RELEASES);
  for (const app of Object.keys(w.apps ?? {}).filter((a) => reserved.includes(a))) {
    issue(
      ["apps", app],
      `"${app}" is the name of Strata's monitoring release in the namespace; rename the application`,
    );
  }
  const m = w.platform?.monitoring;
  if (!m) return;
  const path = ["platform", "monitoring"];
  const shared = w.sharedCluster;
  if (shared) {
    for (const key of Object.keys(m).filter((k) => !GUEST_MONITORING_KEYS.includes(k))) {
      issue(
        [...path, key],
        `${key} configures the metrics stack of the cluster's owner, and this environment runs on ${shared.environment}'s ${shared.cloud} cluster (workloads.sharedCluster); set it in ${shared.environment}, or remove it here (a guest sets only ${GUEST_MONITORING_KEYS.join(" and ")})`,
      );
    }
  }
  const names = Object.keys(m.receivers ?? {});
  for (const severity of SEVERITIES) {
    (m.routes?.[severity] ?? []).forEach((r, i) => {
      if (!names.includes(r)) {
        issue(
          [...path, "routes", severity, i],
          `receiver "${r}" is not in monitoring.receivers (known: ${names.join(", ") || "none"}); add it there or remove it from the route`,
        );
      }
    });
  }
  for (const [name, r] of Object.entries(m.receivers ?? {})) {
    if (name === NULL_RECEIVER) {
      issue(
        [...path, "receivers", name],
        `receiver name "${NULL_RECEIVER}" is taken by the receiver that drops the Watchdog alert; choose another name`,
      );
    }
    if (r.channel !== undefined && r.type !== "slack") {
      issue(
        [...path, "receivers", name, "channel"],
        `channel applies to slack receivers only; remove it from this ${r.type} receiver`,
      );
    }
  }
}

/**
 * Staging and prod clusters that run the metrics stack send critical alerts somewhere: without a
 * receiver Alertmanager routes every alert to "null". The in-cluster twin of alerts.channels'
 * rule; checked where environments are loaded for synthesis (environments/schema.ts usageProblems).
 */
export function checkMonitoringRecipients(
  w: WorkloadsFields | undefined,
  tier: "dev" | "staging" | "prod",
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const m = w?.platform?.monitoring;
  const on = m?.enabled ?? TIER_DEFAULTS[tier].monitoring.enabled;
  if (!on || tier === "dev" || w?.sharedCluster) return;
  const critical = m?.routes?.critical ?? Object.keys(m?.receivers ?? {});
  if (critical.length === 0) {
    issue(
      ["platform", "monitoring", "receivers"],
      `a ${tier}-tier cluster's in-cluster alerts (replication, failover, disks, pods) reach no one: add a receiver, e.g. platform.monitoring.receivers.pager = { type: "pagerduty", secret: { name: "alertmanager-pagerduty", key: "routingKey" } } (a Secret you create in namespace monitoring), or turn monitoring off`,
    );
  }
}

/** A declared migration, with the name it resolves to and where it is configured. */
interface DeclaredMigration {
  readonly path: PropertyKey[];
  /** "apps.angzarr" or "databases.postgresql", for messages. */
  readonly owner: string;
  readonly app?: string;
  readonly name: string;
  readonly migration: z.output<typeof MigrationConfig>;
}

/** Default name of an app's migration. */
export function defaultMigrationName(owner: string): string {
  return `${owner}-migrate`;
}

function declaredMigrations(w: WorkloadsFields): DeclaredMigration[] {
  const out: DeclaredMigration[] = [];
  const pg = w.databases?.postgresql;
  if (pg?.migration) {
    out.push({
      path: ["databases", "postgresql", "migration"],
      owner: "databases.postgresql",
      name:
        pg.migration.name ??
        defaultMigrationName(pg.releaseName ?? DEFAULT_RELEASE_NAMES.postgresql),
      migration: pg.migration,
    });
  }
  for (const [app, config] of Object.entries(w.apps ?? {})) {
    if (!config.migration) continue;
    out.push({
      path: ["apps", app, "migration"],
      owner: `apps.${app}`,
      app,
      name: config.migration.name ?? defaultMigrationName(app),
      migration: config.migration,
    });
  }
  return out;
}

/** True when `app` reaches the in-cluster PostgreSQL on `cloud`. */
export function usesPostgres(
  app: Pick<AppFields, "eventStore" | "database" | "databaseUrlEnv">,
  cloud: ConfigCloud,
): boolean {
  return choiceOn(app.eventStore, cloud) === "postgres" || !!app.database || !!app.databaseUrlEnv;
}

/** Migrations: their database exists and is used, tags are pinned, names unique, order acyclic. */
function checkMigrations(
  w: WorkloadsFields,
  ctx: WorkloadContext,
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const migrations = declaredMigrations(w);
  if (migrations.length === 0) return;
  const namespace = w.namespace ?? ctx.name;
  const claimed = new Map<string, string>();
  // Release names already taken in the namespace: the applications and the in-cluster services.
  for (const app of Object.keys(w.apps ?? {})) claimed.set(app, `apps.${app}`);
  for (const [path, c, fallback] of [
    ["databases.postgresql", w.databases?.postgresql, DEFAULT_RELEASE_NAMES.postgresql],
    ["databases.redis", w.databases?.redis, DEFAULT_RELEASE_NAMES.redis],
    ["databases.clickhouse", w.databases?.clickhouse, DEFAULT_RELEASE_NAMES.clickhouse],
    ["databases.meilisearch", w.databases?.meilisearch, DEFAULT_RELEASE_NAMES.meilisearch],
    ["buses.rabbitmq", w.buses?.rabbitmq, DEFAULT_RELEASE_NAMES.rabbitmq],
    ["buses.kafka", w.buses?.kafka, DEFAULT_RELEASE_NAMES.kafka],
  ] as const) {
    if (c) claimed.set(c.releaseName ?? fallback, path);
  }
  for (const m of migrations) {
    const database = m.migration.database ?? "postgresql";
    if (!w.databases?.[database]) {
      issue(
        [...m.path, "database"],
        `${m.owner}'s migration migrates ${database}, which this environment does not have (workloads.databases.${database} is not configured); configure it or remove the migration`,
      );
    } else if (m.app) {
      const app = w.apps![m.app];
      const clouds = appClouds(app, w, ctx, m.app);
      if (!clouds.some((c) => usesPostgres(app, c))) {
        issue(
          [...m.path, "database"],
          `${m.app}'s migration migrates ${database}, but ${m.app} uses it on none of its clusters [${clouds.join(", ")}]; set database: true, databaseUrlEnv or eventStore: "postgres" on the app, or remove the migration`,
        );
      }
    }
    if (ctx.tier === "prod" && m.migration.image.tag === "latest") {
      issue(
        [...m.path, "image", "tag"],
        `a prod-tier environment cannot run migration image tag "latest" (the Job's name follows the tag, so "latest" never runs a new version, and it cannot be rolled back); pin a version such as 0.36.0`,
      );
    }
    const other = claimed.get(m.name);
    if (other) {
      issue(
        [...m.path, "name"],
        `migration name "${m.name}" is already claimed by ${other} in namespace "${namespace}" (it names a Helm release and the Job); set a different migration name`,
      );
    } else {
      claimed.set(m.name, `${m.owner}.migration`);
    }
  }
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const m of migrations) {
    (m.migration.after ?? []).forEach((dep, i) => {
      if (!byName.has(dep)) {
        issue(
          [...m.path, "after", i],
          `migration "${dep}" is not declared in this environment; known: ${[...byName.keys()].join(", ")}`,
        );
      }
    });
  }
  const cycle = findCycle([...byName.keys()], (n) =>
    (byName.get(n)?.migration.after ?? []).filter((d) => byName.has(d)),
  );
  if (cycle) {
    const first = byName.get(cycle[0])!;
    issue(
      [...first.path, "after"],
      `migration order has a cycle: ${cycle.join(" → ")} (each runs after the next); remove one of these after entries`,
    );
  }
}

/** One dependency cycle among `names` (as a path that returns to its start), or undefined. */
export function findCycle(
  names: readonly string[],
  deps: (name: string) => readonly string[],
): string[] | undefined {
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (n: string): string[] | undefined => {
    const at = visiting.indexOf(n);
    if (at >= 0) return [...visiting.slice(at), n];
    if (done.has(n)) return undefined;
    visiting.push(n);
    for (const d of deps(n)) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(n);
    return undefined;
  };
  for (const n of names) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
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
  const migration = (m: z.output<typeof MigrationConfig> | undefined, owner: string) =>
    m && {
      ...m,
      name: m.name ?? defaultMigrationName(owner),
      database: m.database ?? ("postgresql" as const),
      urlEnv: m.urlEnv ?? "DATABASE_URL",
      env: m.env ?? {},
      timeoutSeconds: m.timeoutSeconds ?? 600,
      backoffLimit: m.backoffLimit ?? 2,
      ttlSecondsAfterFinished: m.ttlSecondsAfterFinished ?? 86400,
      after: m.after ?? [],
      resources: m.resources ?? sizing.app.resources,
      runAsUser: m.runAsUser ?? 10001,
    };
  const clickhouse = (c: z.output<typeof ClickhouseConfig>) => {
    // Without Keeper (keeperReplicas: 0) only one server per shard can work.
    const replicas = c.replicas ?? (ha && c.keeperReplicas !== 0 ? 2 : 1);
    return {
      ...release(c, "clickhouse", DEFAULT_RELEASE_NAMES.clickhouse),
      shards: c.shards ?? 1,
      replicas,
      keeperReplicas: c.keeperReplicas ?? (replicas > 1 ? 3 : 0),
      keeperResources: c.keeperResources ?? sizing.clickhouseKeeper.resources,
      username: c.username ?? "default",
    };
  };
  const timeouts = w?.timeoutSeconds;
  const apps = Object.fromEntries(
    Object.entries(w?.apps ?? {}).map(([name, app]) => {
      const replicas = app.replicas ?? tier.replicas;
      const contract = contractOf(app.image.repository);
      return [
        name,
        {
          ...app,
          chart: app.chart ?? { local: "service" as const },
          port: app.port ?? contract?.defaults.port ?? 8080,
          healthPath: app.healthPath ?? contract?.defaults.healthPath,
          replicas,
          resources: app.resources ?? sizing.app.resources,
          autoscaling: app.autoscaling && {
            ...app.autoscaling,
            enabled: app.autoscaling.enabled ?? true,
            minReplicas: app.autoscaling.minReplicas ?? replicas,
            targetCpuPercent: app.autoscaling.targetCpuPercent ?? 70,
          },
          pdb: app.pdb ?? ha,
          database: app.database ?? app.databaseUrlEnv !== undefined,
          cache: app.cache ?? false,
          analytics: app.analytics ?? false,
          search: app.search ?? false,
          clouds: appClouds(app, w, ctx, name),
          logLevel: app.logLevel ?? ("info" as const),
          env: app.env ?? {},
          runAsUser: app.runAsUser ?? contract?.defaults.runAsUser ?? 10001,
          writablePaths: app.writablePaths ?? [...(contract?.defaults.writablePaths ?? ["/tmp"])],
          migration: migration(app.migration, name),
          protocol: app.protocol ?? ("http" as const),
          paths: app.hosts ? (app.paths ?? ["/"]) : undefined,
          metrics: app.metrics && { path: app.metrics.path ?? "/metrics" },
        },
      ];
    }),
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
        migration: migration(pg.migration, pg.releaseName ?? DEFAULT_RELEASE_NAMES.postgresql),
        backup: {
          enabled: pg.backup?.enabled ?? ctx.tier !== "dev",
          retention: pg.backup?.retention ?? (ctx.tier === "prod" ? "30d" : "7d"),
          schedule: pg.backup?.schedule ?? "0 0 3 * * *",
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
        replicas: mq.replicas ?? (ha ? 3 : 1),
      },
      kafka: kafka && {
        ...release(kafka, "kafka", DEFAULT_RELEASE_NAMES.kafka),
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

export type WorkloadsConfig = ReturnType<typeof resolveWorkloads>;
export type MonitoringSettings = WorkloadsConfig["platform"]["monitoring"];

/** Monitoring with the tier's defaults filled in. */
function resolveMonitoring(
  m: z.output<typeof MonitoringConfig> | undefined,
  tier: TierDefaults,
  sizing: Readonly<Record<SizedComponent, ComponentSizing>>,
) {
  const ha = tier.highAvailability;
  const names = Object.keys(m?.receivers ?? {});
  return {
    enabled: m?.enabled ?? tier.monitoring.enabled,
    retention: m?.retention ?? tier.monitoring.retention,
    storage: m?.storage ?? sizing.prometheus.storage!,
    replicas: m?.replicas ?? (ha ? 2 : 1),
    resources: m?.resources ?? sizing.prometheus.resources,
    alertmanager: {
      replicas: m?.alertmanager?.replicas ?? (ha ? 2 : 1),
      storage: m?.alertmanager?.storage ?? sizing.alertmanager.storage!,
      resources: m?.alertmanager?.resources ?? sizing.alertmanager.resources,
    },
    receivers: m?.receivers ?? {},
    routes: {
      critical: m?.routes?.critical ?? names,
      warning: m?.routes?.warning ?? names,
    },
    thresholds: { ...tier.monitoring.thresholds, ...m?.thresholds },
    images: m?.images,
  };
}
export type AppSettings = WorkloadsConfig["apps"][string];
export type MigrationSettings = NonNullable<AppSettings["migration"]>;
