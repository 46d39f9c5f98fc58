/**
 * In-cluster monitoring (workloads.platform.monitoring): the alert thresholds with their allowed
 * ranges, Prometheus retention, Alertmanager receivers (whose credentials live in Kubernetes
 * Secrets, never in config), their checks and their defaults.
 */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import {
  NULL_RECEIVER,
  RECEIVER_TYPES,
  SEVERITIES,
  type AlertThresholds,
  type ReceiverType,
  type ThresholdKey,
} from "../../modules/helm/alerting";
import { named, obj, TIER_DEFAULTS, type TierDefaults } from "./common";
import { ImageSource, Quantity, Resources } from "./kube";
import type { ComponentSizing, SizedComponent, WorkloadsFields } from "./workloads";

/** Namespace of the metrics stack (kube-prometheus-stack) on a cluster an environment owns. */
export const MONITORING_NAMESPACE = "monitoring";

/** Release names of Strata's monitoring objects in an environment's namespace, per layer (no app may take them). */
export const MONITORING_RELEASES = {
  platform: "strata-alerts",
  databases: "strata-databases-monitoring",
  buses: "strata-buses-monitoring",
  apps: "strata-apps-monitoring",
} as const;

/** An alert threshold: its unit, the range a value must lie in, and why the range. */
interface ThresholdRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly what: string;
}

/**
 * The thresholds of Strata's alert rules and the values each may take. A value outside its range is
 * a configuration error: below it the alert fires on normal operation, above it never fires.
 */
export const THRESHOLD_RANGES = {
  pvcUsagePercent: {
    min: 50,
    max: 99,
    unit: "%",
    what: "used share of a PersistentVolumeClaim's capacity",
  },
  podNotReadyMinutes: {
    min: 1,
    max: 1440,
    unit: "minutes",
    what: "how long a pod may stay not ready",
  },
  nodeRequestsPercent: {
    min: 50,
    max: 100,
    unit: "%",
    what: "share of the nodes' allocatable CPU or memory the pods request",
  },
  replicationLagSeconds: {
    min: 1,
    max: 86400,
    unit: "seconds",
    what: "PostgreSQL standby replay lag",
  },
  queueDepthMessages: {
    min: 1,
    max: 100_000_000,
    unit: "messages",
    what: "RabbitMQ messages ready and not yet consumed, per release",
  },
} as const satisfies Record<ThresholdKey, ThresholdRange>;

function threshold(key: ThresholdKey) {
  const r: ThresholdRange = THRESHOLD_RANGES[key];
  const out = (i: { input: unknown }) =>
    `${key} ${String(i.input)} ${r.unit} is outside ${r.min}–${r.max} ${r.unit} (${r.what}); choose a value in that range`;
  return z.number().min(r.min, { error: out }).max(r.max, { error: out });
}

/** Thresholds in config: each optional, the tier's default otherwise. */
export const AlertThresholdsConfig = obj(
  Object.fromEntries(
    (Object.keys(THRESHOLD_RANGES) as ThresholdKey[]).map((k) => [k, threshold(k).optional()]),
  ) as Record<ThresholdKey, z.ZodOptional<ReturnType<typeof threshold>>>,
);

/**
 * Prometheus retention: a whole number of hours, days or weeks, from 2 h (less than the TSDB's
 * first compaction) to 365 d.
 * @see https://prometheus.io/docs/prometheus/latest/storage/#operational-aspects
 */
export const Retention = z
  .string()
  .regex(/^[1-9]\d*(h|d|w)$/, {
    error: (i) =>
      `retention ${JSON.stringify(i.input)} must be a whole number of hours, days or weeks, like 15d`,
  })
  .refine((v) => retentionHours(v) >= 2 && retentionHours(v) <= 365 * 24, {
    error: (i) => `retention ${JSON.stringify(i.input)} is outside 2h–365d; choose a value in it`,
  });

/** Hours of a retention like `15d`. */
export function retentionHours(retention: string): number {
  const n = Number(retention.slice(0, -1));
  return n * { h: 1, d: 24, w: 168 }[retention.slice(-1) as "h" | "d" | "w"];
}

const SecretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, {
  error: (i) =>
    `Secret key ${JSON.stringify(i.input)} may contain only letters, digits, "-", "_" and "."`,
});

/**
 * Where an Alertmanager receiver's credential is: a key of a Kubernetes Secret in namespace
 * `monitoring`, created outside Strata (the URL or key is the credential itself).
 */
export const ReceiverConfig = obj({
  type: z.enum(Object.keys(RECEIVER_TYPES) as [ReceiverType, ...ReceiverType[]]),
  /** The Secret (in namespace `monitoring`) and key holding the webhook URL or routing key. */
  secret: obj({
    name: named({ ...NAME_RULES.dnsLabel, what: "Secret name", maxLength: 50 }),
    key: SecretKey,
  }),
  /** Slack channel. @default - the webhook's own channel */
  channel: z
    .string()
    .regex(/^[#@]?[a-z0-9._-]{1,80}$/, {
      error: (i) => `Slack channel ${JSON.stringify(i.input)} must look like #alerts`,
    })
    .optional(),
});
export type ReceiverConfig = z.output<typeof ReceiverConfig>;
export type { AlertThresholds, ThresholdKey };

export const ReceiverName = named({
  ...NAME_RULES.dnsLabel,
  what: "receiver name",
  maxLength: 40,
});

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

/** Monitoring: a guest sets only its own part; routes name configured receivers. */
export function checkMonitoring(
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

/** Monitoring with the tier's defaults filled in. */
export function resolveMonitoring(
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
