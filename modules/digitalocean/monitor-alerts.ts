import { MonitorAlert } from "@cdktf/provider-digitalocean/lib/monitor-alert";
import { Construct } from "constructs";
import { ALERT_METRICS } from "../common/alert-metrics";

/** How loud an alert is; DigitalOcean has no severity, so it decides only who is notified. */
export type MonitorSeverity = "critical" | "warning";

/** Where DigitalOcean monitoring notifies: email addresses and Slack webhooks (URL an expression). */
export type DoAlertChannel = { readonly severities: readonly MonitorSeverity[] } & (
  | { readonly type: "email"; readonly address: string }
  | { readonly type: "slack"; readonly channel: string; readonly url: string }
);

/** Props of {@link DoMonitorAlerts}. */
export interface DoMonitorAlertsProps {
  /** Prefix of every description, e.g. `prod`. */
  readonly descriptionPrefix: string;
  /** Channels by name. @default {} */
  readonly channels?: Readonly<Record<string, DoAlertChannel>>;
  /** Minutes a condition must hold; rounded up to a window DigitalOcean offers (5m, 10m, 30m, 1h). @default 5 */
  readonly evaluationMinutes?: number;
}

/** One monitor alert. */
export interface MonitorAlertSpec {
  /** A type of facts/alert-metrics.json (godo's alert types), e.g. `v1/insights/droplet/cpu`. */
  readonly type: string;
  readonly description: string;
  /** Percent above which it fires. */
  readonly percent: number;
  readonly severity: MonitorSeverity;
  /** Droplets by tag (DOKS nodes: `k8s:<cluster id>`). */
  readonly tags?: readonly string[];
  /** Resources by id (a managed database cluster's id). */
  readonly entities?: readonly string[];
}

/** The windows the provider accepts (resource_monitor_alert.go `window`). */
const WINDOWS: ReadonlyArray<[number, string]> = [
  [5, "5m"],
  [10, "10m"],
  [30, "30m"],
  [60, "1h"],
];

/**
 * DigitalOcean monitor alerts of one stack, sent to the channels that take their severity. The
 * API needs a recipient, so an alert whose severity no channel takes is not created (its key is
 * listed in {@link skipped}).
 */
export class DoMonitorAlerts extends Construct {
  private readonly alertsByKey = new Map<string, MonitorAlert>();
  private readonly skippedKeys: string[] = [];
  readonly window: string;
  private readonly props: DoMonitorAlertsProps;

  constructor(scope: Construct, id: string, props: DoMonitorAlertsProps) {
    super(scope, id);
    this.props = props;
    const minutes = props.evaluationMinutes ?? 5;
    this.window = (WINDOWS.find(([m]) => m >= minutes) ?? WINDOWS[WINDOWS.length - 1])[1];
  }

  /** Alerts by key. */
  get alerts(): ReadonlyMap<string, MonitorAlert> {
    return this.alertsByKey;
  }

  /** Keys of the alerts not created because no channel takes their severity. */
  get skipped(): readonly string[] {
    return this.skippedKeys;
  }

  /** An alert; `key` is its construct id (a name, never a position). */
  alert(key: string, spec: MonitorAlertSpec): MonitorAlert | undefined {
    if (!ALERT_METRICS.digitalocean[spec.type]) {
      throw new Error(
        `${this.node.path}: monitor alert type ${spec.type} is not in facts/alert-metrics.json; record it with its source first`,
      );
    }
    if (spec.percent < 0 || spec.percent > 100) {
      throw new Error(`${this.node.path}: ${key}: percent (${spec.percent}) must be 0–100`);
    }
    const to = Object.values(this.props.channels ?? {}).filter((c) =>
      c.severities.includes(spec.severity),
    );
    if (to.length === 0) {
      this.skippedKeys.push(key);
      return undefined;
    }
    const email = to.flatMap((c) => (c.type === "email" ? [c.address] : []));
    const slack = to.flatMap((c) =>
      c.type === "slack" ? [{ channel: c.channel, url: c.url }] : [],
    );
    const alert = new MonitorAlert(this, `Alert-${key}`, {
      type: spec.type,
      description: `${this.props.descriptionPrefix} [${spec.severity}] ${spec.description}`,
      compare: "GreaterThan",
      value: spec.percent,
      window: this.window,
      enabled: true,
      ...(spec.tags ? { tags: [...spec.tags] } : {}),
      ...(spec.entities ? { entities: [...spec.entities] } : {}),
      alerts: {
        ...(email.length > 0 ? { email } : {}),
        ...(slack.length > 0 ? { slack } : {}),
      },
    });
    this.alertsByKey.set(key, alert);
    return alert;
  }
}

/** CPU, memory and disk of a DOKS cluster's nodes (droplets tagged `k8s:<cluster id>`). */
export function doksNodeAlerts(
  alerts: DoMonitorAlerts,
  clusterName: string,
  clusterId: string,
  percent: number,
  severity: MonitorSeverity,
): void {
  // DOKS tags its node pools' droplets `k8s`, `k8s:<cluster uuid>` and `k8s:worker`; the tag
  // covers autoscaled nodes too (facts/alert-metrics.json doksNodeTag).
  const tags = [`k8s:${clusterId}`];
  const what = (m: string) => `${clusterName} nodes: ${m} above ${percent}%`;
  alerts.alert("NodeCpu", {
    type: "v1/insights/droplet/cpu",
    description: what("CPU"),
    percent,
    severity,
    tags,
  });
  alerts.alert("NodeMemory", {
    type: "v1/insights/droplet/memory_utilization_percent",
    description: what("memory"),
    percent,
    severity,
    tags,
  });
  alerts.alert("NodeDisk", {
    type: "v1/insights/droplet/disk_utilization_percent",
    description: what("disk"),
    percent,
    severity,
    tags,
  });
}

/** CPU, memory and disk of a managed database cluster. */
export function managedDatabaseAlerts(
  alerts: DoMonitorAlerts,
  key: string,
  name: string,
  clusterId: string,
  percent: number,
  severity: MonitorSeverity,
): void {
  const entities = [clusterId];
  const what = (m: string) => `database ${name}: ${m} above ${percent}%`;
  alerts.alert(`${key}-Cpu`, {
    type: "v1/dbaas/alerts/cpu_alerts",
    description: what("CPU"),
    percent,
    severity,
    entities,
  });
  alerts.alert(`${key}-Memory`, {
    type: "v1/dbaas/alerts/memory_utilization_alerts",
    description: what("memory"),
    percent,
    severity,
    entities,
  });
  alerts.alert(`${key}-Disk`, {
    type: "v1/dbaas/alerts/disk_utilization_alerts",
    description: what("disk"),
    percent,
    severity,
    entities,
  });
}
