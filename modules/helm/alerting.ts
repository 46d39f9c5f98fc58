/**
 * The vocabulary of Strata's alerting, shared by the schema (which validates it) and the modules
 * (which render it): severities, the thresholds the rules take, and the Alertmanager integrations
 * with the file field each reads its credential from.
 */

/** The alert severities Strata's rules use. */
export const SEVERITIES = ["critical", "warning"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The thresholds of Strata's alert rules (ranges: environments/schema/monitoring.ts). */
export interface AlertThresholds {
  /** Used share of a PersistentVolumeClaim, %. */
  readonly pvcUsagePercent: number;
  /** Minutes a pod may stay not ready. */
  readonly podNotReadyMinutes: number;
  /** Share of the nodes' allocatable CPU or memory the pods request, %. */
  readonly nodeRequestsPercent: number;
  /** PostgreSQL standby replay lag, seconds. */
  readonly replicationLagSeconds: number;
  /** RabbitMQ messages ready and not consumed, per release. */
  readonly queueDepthMessages: number;
}
export type ThresholdKey = keyof AlertThresholds;

/**
 * Alertmanager integrations Strata configures, and the `*_file` field each reads its credential
 * from at send time (alertmanager v0.34.0: config/notifiers.go L321 api_url_file,
 * notify/webhook/config.go L40 url_file, notify/pagerduty/config.go L54 routing_key_file; read with
 * os.ReadFile in notify/slack/slack.go L149, notify/webhook/webhook.go L118,
 * notify/pagerduty/pagerduty.go L226).
 */
export const RECEIVER_TYPES = {
  /** Slack incoming webhook URL. */
  slack: "api_url_file",
  /** Any HTTP endpoint. */
  webhook: "url_file",
  /** PagerDuty Events API v2 integration key. */
  pagerduty: "routing_key_file",
} as const;
export type ReceiverType = keyof typeof RECEIVER_TYPES;

/** An Alertmanager receiver: its integration and the Secret key holding its URL or key. */
export interface Receiver {
  readonly type: ReceiverType;
  readonly secret: { readonly name: string; readonly key: string };
  /** Slack channel. */
  readonly channel?: string;
}

/** The receiver the always-firing Watchdog alert goes to (it notifies nobody). */
export const NULL_RECEIVER = "null";
