/**
 * Applications (workloads.apps): their schema, where each can run (the in-cluster services and
 * cloud-native stores and buses it uses must be there), their checks and their defaults.
 */
import { z } from "zod";
import { contractOf, contractVariables } from "../../modules/common/app-contracts";
import { NAME_RULES } from "../../modules/common/naming";
import { named, obj, type TierDefaults } from "./common";
import { AppGitSource, DeliveryMode } from "./delivery";
import { appEdgeFields } from "./edge";
import {
  ChartVersion,
  choiceOn,
  Clouds,
  CONFIG_CLOUDS,
  EnvVarName,
  Resources,
  type ConfigCloud,
} from "./kube";
import { MigrationConfig, resolveMigration } from "./migrations";
import {
  IN_CLUSTER_SERVICE_KEYS,
  serviceConfig,
  serviceConfigPath,
  type InClusterService,
} from "./services";
import type { WorkloadContext, WorkloadsFields } from "./workloads";

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

type AppFields = z.output<typeof AppConfig>;

/** Where each in-cluster service runs (empty: not configured). */
function serviceClouds(
  w: WorkloadsFields | undefined,
  all: readonly ConfigCloud[],
): Record<InClusterService, readonly ConfigCloud[]> {
  return Object.fromEntries(
    IN_CLUSTER_SERVICE_KEYS.map((s) => {
      const c = serviceConfig(w, s);
      return [s, c ? (c.clouds ?? all) : []];
    }),
  ) as Record<InClusterService, readonly ConfigCloud[]>;
}

/** The in-cluster service behind an in-cluster event store or bus choice. */
const IN_CLUSTER_CHOICE: Readonly<Record<string, InClusterService>> = {
  postgres: "postgresql",
  rabbitmq: "rabbitmq",
  kafka: "kafka",
};

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
  const missing = (service: InClusterService, what: string): string | undefined => {
    const on = services[service];
    if (on.includes(cloud)) return undefined;
    const where = on.length ? `.clouds is [${on.join(", ")}]` : " is not configured";
    return `${what} is not installed on ${cloud} (workloads.${serviceConfigPath(service)}${where})`;
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
    const service = IN_CLUSTER_CHOICE[used];
    const problem = home || !service ? undefined : missing(service, used);
    if (problem) return problem;
  }
  if (app.database || app.databaseUrlEnv) {
    const problem = missing("postgresql", "its database (PostgreSQL)");
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

/** The clouds an app runs on: as configured, or every workload cloud where it can. */
export function appClouds(
  app: AppFields,
  w: WorkloadsFields | undefined,
  ctx: WorkloadContext,
  name: string,
): ConfigCloud[] {
  return app.clouds ?? ctx.clouds.filter((c) => appBlocker(app, c, w, ctx, name) === undefined);
}

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

/** Each app: its contract, where it runs, pinned prod images, autoscaling bounds, its GCP identity. */
export function checkApps(
  w: WorkloadsFields,
  ctx: WorkloadContext,
  where: string,
  issue: (path: PropertyKey[], message: string) => void,
): void {
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
}

/** An app with its defaults filled in: the contract's of a known image, else the tier's and size's. */
export function resolveApp(
  name: string,
  app: AppFields,
  {
    tier,
    appResources,
    clouds,
  }: { tier: TierDefaults; appResources: Resources; clouds: ConfigCloud[] },
) {
  const replicas = app.replicas ?? tier.replicas;
  const contract = contractOf(app.image.repository);
  return {
    ...app,
    chart: app.chart ?? { local: "service" as const },
    port: app.port ?? contract?.defaults.port ?? 8080,
    healthPath: app.healthPath ?? contract?.defaults.healthPath,
    replicas,
    resources: app.resources ?? appResources,
    autoscaling: app.autoscaling && {
      ...app.autoscaling,
      enabled: app.autoscaling.enabled ?? true,
      minReplicas: app.autoscaling.minReplicas ?? replicas,
      targetCpuPercent: app.autoscaling.targetCpuPercent ?? 70,
    },
    pdb: app.pdb ?? tier.highAvailability,
    database: app.database ?? app.databaseUrlEnv !== undefined,
    cache: app.cache ?? false,
    analytics: app.analytics ?? false,
    search: app.search ?? false,
    clouds,
    logLevel: app.logLevel ?? ("info" as const),
    env: app.env ?? {},
    runAsUser: app.runAsUser ?? contract?.defaults.runAsUser ?? 10001,
    writablePaths: app.writablePaths ?? [...(contract?.defaults.writablePaths ?? ["/tmp"])],
    migration: resolveMigration(app.migration, name, appResources),
    protocol: app.protocol ?? ("http" as const),
    paths: app.hosts ? (app.paths ?? ["/"]) : undefined,
    metrics: app.metrics && { path: app.metrics.path ?? "/metrics" },
  };
}
