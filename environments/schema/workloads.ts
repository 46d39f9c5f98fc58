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
import { checkMigrations, resolveMigration } from "./migrations";
import {
  BusesConfig,
  runsBitnamiRelease,
  setsImages,
  checkKafka,
  checkPostgresEngine,
  checkRabbitmqEngine,
  ClickhouseConfig,
  DatabasesConfig,
  usesRabbitmqOperator,
  type ReleaseFields,
} from "./data-services";
export * from "./data-services";

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
  ConfigCloud,
  CONFIG_CLOUDS,
  ImageSource,
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
  postgresql: ({ databases: d }) =>
    runsBitnamiRelease(d?.postgresql)
      ? d?.postgresql?.ha
        ? "postgresqlHa"
        : "postgresql"
      : "cloudnativePg",
  redis: ({ databases: d }) => (runsBitnamiRelease(d?.redis) ? "redis" : "valkey"),
  clickhouse: ({ databases: d }) =>
    runsBitnamiRelease(d?.clickhouse) ? "clickhouse" : "clickhouseOperator",
  meilisearch: () => "meilisearch",
  rabbitmq: ({ buses: b }) => (runsBitnamiRelease(b?.rabbitmq) ? "rabbitmq" : "rabbitmqOperator"),
  kafka: ({ buses: b }) => (runsBitnamiRelease(b?.kafka) ? "kafka" : "strimzi"),
};

/** The charts that are Bitnami's (images under docker.io/bitnami until August 2025). */
export const BITNAMI_CHARTS: readonly ChartKey[] = SERVICE_BITNAMI_CHARTS;

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
  if (redis && !runsBitnamiRelease(redis) && setsImages(redis)) {
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
  if (ch && !runsBitnamiRelease(ch) && setsImages(ch)) {
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
      ...(!runsBitnamiRelease(c) && { images: { registry: undefined, namespace: undefined } }),
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
        ...(!runsBitnamiRelease(pg) && {
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
        ...(!runsBitnamiRelease(redis) && {
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
        ...(!runsBitnamiRelease(mq) && {
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
        ...(!runsBitnamiRelease(kafka) && {
          images: { registry: undefined, namespace: undefined },
        }),
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

export type AppSettings = WorkloadsConfig["apps"][string];
export type MigrationSettings = NonNullable<AppSettings["migration"]>;
