import { Testing } from "cdktf";
import {
  bigtableAlerts,
  GcpAlerts,
  subscriptionAlerts,
  type GcpAlertsProps,
} from "../../../modules/gcp/alert-policies";

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base: GcpAlertsProps = {
  project: "p",
  displayPrefix: "test",
  channels: {
    mail: { type: "email", address: "a@example.com", severities: ["critical", "warning"] },
    pager: { type: "pagerduty", serviceKey: "${var.pd}", severities: ["critical"] },
  },
};
const settings = {
  backlogMessages: 100,
  oldestMessageSeconds: 600,
  severities: { backlog: "warning", oldestMessage: "warning", deadLetter: "critical" },
} as const;

function synth(build: (a: GcpAlerts) => void, props: Partial<GcpAlertsProps> = {}) {
  const out = Testing.synthScope((scope) =>
    build(new GcpAlerts(scope, "Alerts", { ...base, ...props })),
  );
  const r =
    (JSON.parse(out) as { resource?: Record<string, Record<string, Block>> }).resource ?? {};
  return {
    policies: Object.values(r.google_monitoring_alert_policy ?? {}),
    channels: Object.values(r.google_monitoring_notification_channel ?? {}),
  };
}

describe("GcpAlerts", () => {
  test("a consumer's subscription: backlog and oldest message, warning, after the evaluation time", () => {
    const { policies } = synth((a) => subscriptionAlerts(a, "test-orders", false, settings));
    expect(policies).toHaveLength(2);
    const [backlog, age] = policies.map((p) => p.conditions[0].condition_threshold);
    expect(backlog).toMatchObject({
      filter:
        'resource.type = "pubsub_subscription" AND resource.label.subscription_id = "test-orders" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"',
      comparison: "COMPARISON_GT",
      threshold_value: 100,
      duration: "300s",
      aggregations: [{ alignment_period: "60s", per_series_aligner: "ALIGN_MAX" }],
    });
    expect(age.threshold_value).toBe(600);
    expect(policies.every((p) => p.severity === "WARNING")).toBe(true);
  });

  test("a dead-letter subscription: any message, at once, critical, paging the critical channels only", () => {
    const { policies, channels } = synth((a) =>
      subscriptionAlerts(a, "test-orders-dlq", true, settings),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0].severity).toBe("CRITICAL");
    expect(policies[0].conditions[0].condition_threshold).toMatchObject({
      threshold_value: 0,
      duration: "0s",
    });
    expect(policies[0].notification_channels).toHaveLength(2);
    expect(channels.map((c) => c.type).sort()).toEqual(["email", "pagerduty"]);
  });

  test("channels exist only once a policy notifies them; tokens go to sensitive_labels", () => {
    const warningOnly = synth((a) => subscriptionAlerts(a, "s-1", false, settings));
    expect(warningOnly.channels.map((c) => c.type)).toEqual(["email"]);
    const both = synth((a) => subscriptionAlerts(a, "s-1-dlq", true, settings));
    const pager = both.channels.find((c) => c.type === "pagerduty")!;
    expect(pager.sensitive_labels).toEqual({ service_key: "${var.pd}" });
    expect(pager.labels).toBeUndefined();
  });

  test("Bigtable: CPU and storage as fractions of the cluster's capacity", () => {
    const { policies } = synth((a) =>
      bigtableAlerts(a, "events", { cpuPercent: 75, storagePercent: 70, severity: "warning" }),
    );
    const conditions = policies.map((p) => p.conditions[0].condition_threshold);
    expect(
      conditions.map((c) => [c.filter.match(/metric.type = "([^"]+)"/)[1], c.threshold_value]),
    ).toEqual([
      ["bigtable.googleapis.com/cluster/cpu_load", 0.75],
      ["bigtable.googleapis.com/cluster/storage_utilization", 0.7],
    ]);
    expect(conditions[0].filter).toContain(
      'resource.type = "bigtable_cluster" AND resource.label.instance = "events"',
    );
  });

  test("a metric, resource type or label not in the facts is refused", () => {
    const alert = {
      title: "t",
      metric: "pubsub.googleapis.com/subscription/num_undelivered_messages",
      resourceType: "pubsub_subscription",
      resourceLabels: { subscription_id: "s" },
      comparison: "COMPARISON_GT",
      threshold: 1,
      severity: "warning",
      runbook: "r",
    } as const;
    expect(() =>
      synth((a) =>
        a.threshold("x", {
          ...alert,
          metric: "pubsub.googleapis.com/subscription/num_undelivered_message",
        }),
      ),
    ).toThrow(/not in facts\/alert-metrics.json/);
    expect(() =>
      synth((a) => a.threshold("x", { ...alert, resourceType: "pubsub_topic" })),
    ).toThrow(/written for pubsub_subscription, not pubsub_topic/);
    expect(() =>
      synth((a) => a.threshold("x", { ...alert, resourceLabels: { subscription: "s" } })),
    ).toThrow(/has no label subscription/);
  });

  test("evaluationMinutes outside 1–60 is refused", () => {
    expect(() => synth(() => undefined, { evaluationMinutes: 0 })).toThrow(
      /evaluationMinutes \(0\) must be a whole number from 1 to 60/,
    );
  });
});
