import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel";
import { Construct } from "constructs";
import { ALERT_METRICS, evaluationMinutes } from "../common/alert-metrics";

/** How loud an alert is; `critical` maps to Cloud Monitoring's CRITICAL, `warning` to WARNING. */
export type AlertSeverity = "critical" | "warning";

/**
 * A place Cloud Monitoring notifies. Tokens are Terraform expressions (`${var.x}`), never
 * literals: they go to `sensitive_labels`.
 * @see https://github.com/hashicorp/terraform-provider-google/blob/v6.50.0/google/services/monitoring/resource_monitoring_notification_channel.go#L107
 */
export type GcpChannelSpec = { readonly severities: readonly AlertSeverity[] } & (
  | { readonly type: "email"; readonly address: string }
  | { readonly type: "slack"; readonly channel: string; readonly authToken: string }
  | { readonly type: "pagerduty"; readonly serviceKey: string }
);

/** Props of {@link GcpAlerts}. */
export interface GcpAlertsProps {
  readonly project: string;
  /** Prefix of every display name, e.g. the environment (`prod`). */
  readonly displayPrefix: string;
  /** Channels by name. @default {} */
  readonly channels?: Readonly<Record<string, GcpChannelSpec>>;
  /** Minutes a condition must hold before it opens an incident, 1–60. @default 5 */
  readonly evaluationMinutes?: number;
}

/** One metric-threshold alert. */
export interface ThresholdAlert {
  /** What it watches, for the display name: `prod-orders backlog`. */
  readonly title: string;
  /** A metric type of facts/alert-metrics.json (`pubsub.googleapis.com/subscription/num_undelivered_messages`). */
  readonly metric: string;
  /** Monitored resource type and label filters, e.g. `{ subscription_id: "prod-orders" }`. */
  readonly resourceType: string;
  readonly resourceLabels: Readonly<Record<string, string>>;
  readonly comparison: "COMPARISON_GT" | "COMPARISON_LT";
  readonly threshold: number;
  readonly severity: AlertSeverity;
  /** What to do when it fires (Markdown). */
  readonly runbook: string;
  /** Fire on the first bad sample instead of after evaluationMinutes. @default false */
  readonly immediate?: boolean;
}

/** One minute: Pub/Sub and Bigtable sample these metrics every 60 s. */
const ALIGNMENT_PERIOD = "60s";
/** Incidents nobody closes close themselves after a week (the API's maximum is 7 days). */
const AUTO_CLOSE = "604800s";

/**
 * Cloud Monitoring alerting for one stack: notification channels from config (email, Slack,
 * PagerDuty; tokens through `sensitive_labels`), each created once a policy notifies it, and
 * metric-threshold policies routed to the channels that take their severity. Each policy watches
 * one metric of one resource; the metric must be in facts/alert-metrics.json (checked here), so a
 * typo cannot synthesize.
 */
export class GcpAlerts extends Construct {
  private readonly channelsByName = new Map<string, MonitoringNotificationChannel>();
  private readonly policiesByKey = new Map<string, MonitoringAlertPolicy>();
  private readonly props: GcpAlertsProps;
  private readonly evaluationMinutes: number;

  constructor(scope: Construct, id: string, props: GcpAlertsProps) {
    super(scope, id);
    this.props = props;
    this.evaluationMinutes = evaluationMinutes(this.node.path, props.evaluationMinutes);
  }

  /** Channels by name, once a policy notifies them. */
  get channels(): ReadonlyMap<string, MonitoringNotificationChannel> {
    return this.channelsByName;
  }

  /** Policies by key. */
  get policies(): ReadonlyMap<string, MonitoringAlertPolicy> {
    return this.policiesByKey;
  }

  /** The channel `name`, created the first time a policy notifies it (nothing idle). */
  private channel(name: string): MonitoringNotificationChannel {
    const existing = this.channelsByName.get(name);
    if (existing) return existing;
    const spec = this.props.channels![name];
    const channel = new MonitoringNotificationChannel(this, `Channel-${name}`, {
      project: this.props.project,
      displayName: `${this.props.displayPrefix} ${name}`,
      type: spec.type,
      ...channelLabels(spec),
      // Deleting a channel a policy still names fails unless forced; the policies go with it.
      forceDelete: true,
    });
    this.channelsByName.set(name, channel);
    return channel;
  }

  /** Ids of the channels that receive `severity` (creating them on first use). */
  channelsFor(severity: AlertSeverity): string[] {
    return Object.entries(this.props.channels ?? {})
      .filter(([, spec]) => spec.severities.includes(severity))
      .map(([name]) => this.channel(name).id);
  }

  /** An alert policy with one threshold condition; its id is `<key>` (a name, never a position). */
  threshold(key: string, alert: ThresholdAlert): MonitoringAlertPolicy {
    const fact = ALERT_METRICS.gcp[alert.metric];
    if (!fact) {
      throw new Error(
        `${this.node.path}: metric ${alert.metric} is not in facts/alert-metrics.json; record it with its source first`,
      );
    }
    if (!fact.resourceTypes.includes(alert.resourceType)) {
      throw new Error(
        `${this.node.path}: metric ${alert.metric} is written for ${fact.resourceTypes.join(", ")}, not ${alert.resourceType}`,
      );
    }
    for (const label of Object.keys(alert.resourceLabels)) {
      if (!fact.resourceLabels.includes(label)) {
        throw new Error(
          `${this.node.path}: ${alert.resourceType} has no label ${label} (labels: ${fact.resourceLabels.join(", ")})`,
        );
      }
    }
    const filter = [
      `resource.type = "${alert.resourceType}"`,
      ...Object.entries(alert.resourceLabels).map(([k, v]) => `resource.label.${k} = "${v}"`),
      `metric.type = "${alert.metric}"`,
    ].join(" AND ");
    const policy = new MonitoringAlertPolicy(this, `Policy-${key}`, {
      project: this.props.project,
      displayName: `${this.props.displayPrefix} ${alert.title}`,
      combiner: "OR",
      severity: alert.severity.toUpperCase(),
      notificationChannels: this.channelsFor(alert.severity),
      conditions: [
        {
          displayName: alert.title,
          conditionThreshold: {
            filter,
            comparison: alert.comparison,
            thresholdValue: alert.threshold,
            // A multiple of a minute (the provider's documented constraint).
            duration: `${alert.immediate ? 0 : this.evaluationMinutes * 60}s`,
            aggregations: [{ alignmentPeriod: ALIGNMENT_PERIOD, perSeriesAligner: fact.aligner }],
            trigger: { count: 1 },
          },
        },
      ],
      alertStrategy: { autoClose: AUTO_CLOSE },
      documentation: { content: alert.runbook, mimeType: "text/markdown" },
    });
    this.policiesByKey.set(key, policy);
    return policy;
  }
}

function channelLabels(spec: GcpChannelSpec): {
  labels?: Record<string, string>;
  sensitiveLabels?: { authToken?: string; serviceKey?: string };
} {
  switch (spec.type) {
    case "email":
      return { labels: { email_address: spec.address } };
    case "slack":
      return {
        labels: { channel_name: spec.channel },
        sensitiveLabels: { authToken: spec.authToken },
      };
    case "pagerduty":
      return { sensitiveLabels: { serviceKey: spec.serviceKey } };
  }
}

/** Thresholds and severities of the messaging alerts. */
export interface SubscriptionAlertSettings {
  readonly backlogMessages: number;
  readonly oldestMessageSeconds: number;
  readonly severities: Readonly<Record<"backlog" | "oldestMessage" | "deadLetter", AlertSeverity>>;
}

/**
 * The alerts of a subscription: a consumer's backlog and oldest unacknowledged message, or — on a
 * subscription of a dead-letter topic — any message at all.
 */
export function subscriptionAlerts(
  alerts: GcpAlerts,
  subscription: string,
  deadLetter: boolean,
  s: SubscriptionAlertSettings,
): void {
  const resource = {
    resourceType: "pubsub_subscription",
    resourceLabels: { subscription_id: subscription },
  } as const;
  if (deadLetter) {
    alerts.threshold(`DeadLetter-${subscription}`, {
      ...resource,
      title: `${subscription}: messages were dead-lettered`,
      metric: "pubsub.googleapis.com/subscription/num_undelivered_messages",
      comparison: "COMPARISON_GT",
      threshold: 0,
      severity: s.severities.deadLetter,
      immediate: true,
      runbook: `Messages a consumer could not process were parked on ${subscription}. Read them (gcloud pubsub subscriptions pull ${subscription}), fix the cause, then republish or acknowledge them. The incident closes when the subscription is empty.`,
    });
    return;
  }
  alerts.threshold(`Backlog-${subscription}`, {
    ...resource,
    title: `${subscription}: backlog above ${s.backlogMessages}`,
    metric: "pubsub.googleapis.com/subscription/num_undelivered_messages",
    comparison: "COMPARISON_GT",
    threshold: s.backlogMessages,
    severity: s.severities.backlog,
    runbook: `The consumer of ${subscription} is falling behind: check its pods, errors and scaling.`,
  });
  alerts.threshold(`OldestMessage-${subscription}`, {
    ...resource,
    title: `${subscription}: oldest message older than ${s.oldestMessageSeconds}s`,
    metric: "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
    comparison: "COMPARISON_GT",
    threshold: s.oldestMessageSeconds,
    severity: s.severities.oldestMessage,
    runbook: `A message on ${subscription} has waited too long: the consumer is stuck or down. Messages expire after the subscription's retention.`,
  });
}

/** Thresholds and severities of the Bigtable alerts. */
export interface BigtableAlertSettings {
  /** CPU load above which the cluster is saturated, percent (the autoscaling target plus headroom). */
  readonly cpuPercent: number;
  readonly storagePercent: number;
  readonly severity: AlertSeverity;
}

/**
 * CPU and storage of every cluster of a Bigtable instance (one time series per cluster): above
 * the autoscaling target plus headroom the autoscaler is at its maximum nodes (or the cluster is
 * fixed-size and saturated); storage near capacity raises latency and, at 100 %, refuses writes.
 */
export function bigtableAlerts(
  alerts: GcpAlerts,
  instanceId: string,
  s: BigtableAlertSettings,
): void {
  const resource = { resourceType: "bigtable_cluster", resourceLabels: { instance: instanceId } };
  alerts.threshold(`Cpu-${instanceId}`, {
    ...resource,
    title: `${instanceId}: CPU above ${s.cpuPercent}%`,
    metric: "bigtable.googleapis.com/cluster/cpu_load",
    comparison: "COMPARISON_GT",
    threshold: s.cpuPercent / 100,
    severity: s.severity,
    runbook: `A cluster of Bigtable instance ${instanceId} runs above its CPU target: raise autoscaling.maxNodes (or nodes), or find the hot rows with Key Visualizer.`,
  });
  alerts.threshold(`Storage-${instanceId}`, {
    ...resource,
    title: `${instanceId}: storage above ${s.storagePercent}%`,
    metric: "bigtable.googleapis.com/cluster/storage_utilization",
    comparison: "COMPARISON_GT",
    threshold: s.storagePercent / 100,
    severity: s.severity,
    runbook: `A cluster of Bigtable instance ${instanceId} is filling its nodes' storage: add nodes (raise autoscaling.minNodes) or tighten the GC rules.`,
  });
}
