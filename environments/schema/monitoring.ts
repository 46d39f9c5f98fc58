/**
 * In-cluster monitoring settings that do not depend on the rest of the workloads schema: the
 * alert thresholds with their allowed ranges, Prometheus retention, and Alertmanager receivers
 * (whose credentials live in Kubernetes Secrets, never in config).
 */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import {
  RECEIVER_TYPES,
  type AlertThresholds,
  type ReceiverType,
  type ThresholdKey,
} from "../../modules/helm/alerting";
import { named, obj } from "./common";

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
