import { Testing } from "cdktf";
import {
  AwsAlarms,
  backupAgeAlarm,
  queueAlarms,
  tableAlarms,
  type AwsAlarmsProps,
} from "../../../modules/aws/alarms";

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base: AwsAlarmsProps = {
  namePrefix: "test-messaging",
  channels: {
    mail: { type: "email", address: "a@example.com", severities: ["critical", "warning"] },
    pager: { type: "https", url: "${var.pd}", severities: ["critical"] },
    ops: {
      type: "sns",
      topicArn: "arn:aws:sns:eu-west-1:123456789012:ops",
      severities: ["critical"],
    },
  },
};
const queueSettings = {
  backlogMessages: 100,
  oldestMessageSeconds: 600,
  severities: { backlog: "warning", oldestMessage: "warning", deadLetter: "critical" },
} as const;

function synth(build: (a: AwsAlarms) => void, props: Partial<AwsAlarmsProps> = {}) {
  const out = Testing.synthScope((scope) =>
    build(new AwsAlarms(scope, "Alerts", { ...base, ...props })),
  );
  const r =
    (JSON.parse(out) as { resource?: Record<string, Record<string, Block>> }).resource ?? {};
  const of = (t: string) => r[t] ?? {};
  return { of, alarms: Object.values(of("aws_cloudwatch_metric_alarm")) };
}

describe("AwsAlarms", () => {
  test("a consumer: backlog, oldest message, and any message on its dead-letter queue", () => {
    const { alarms } = synth((a) =>
      queueAlarms(a, "orders", "test-orders", "test-orders-dlq", queueSettings),
    );
    const rows = alarms.map((a) => [
      a.alarm_name,
      a.metric_name,
      a.dimensions.QueueName,
      a.threshold,
      a.evaluation_periods,
    ]);
    expect(rows.sort()).toEqual([
      [
        "test-messaging-orders-backlog",
        "ApproximateNumberOfMessagesVisible",
        "test-orders",
        100,
        5,
      ],
      [
        "test-messaging-orders-dead-letters",
        "ApproximateNumberOfMessagesVisible",
        "test-orders-dlq",
        0,
        1,
      ],
      [
        "test-messaging-orders-oldest-message",
        "ApproximateAgeOfOldestMessage",
        "test-orders",
        600,
        5,
      ],
    ]);
    expect(alarms.every((a) => a.statistic === "Maximum" && a.period === 60)).toBe(true);
  });

  test("one encrypted topic per severity in use; email and HTTPS subscribers; your own topic named directly", () => {
    const { of, alarms } = synth((a) =>
      queueAlarms(a, "orders", "test-orders", "test-orders-dlq", queueSettings),
    );
    const topics = Object.entries(of("aws_sns_topic"));
    expect(topics.map(([, t]) => t.name).sort()).toEqual([
      "test-messaging-alerts-critical",
      "test-messaging-alerts-warning",
    ]);
    expect(topics.every(([, t]) => String(t.kms_master_key_id).startsWith("${aws_kms_key."))).toBe(
      true,
    );
    const subs = Object.values(of("aws_sns_topic_subscription")).map((s) => [
      s.protocol,
      s.endpoint,
      s.endpoint_auto_confirms,
    ]);
    expect(subs).toEqual(
      expect.arrayContaining([
        ["email", "a@example.com", undefined],
        ["https", "${var.pd}", true],
      ]),
    );
    expect(subs).toHaveLength(3); // mail on both topics, pager on critical
    const dead = alarms.find((a) => a.alarm_name.endsWith("dead-letters"))!;
    expect(dead.alarm_actions).toHaveLength(2);
    expect(dead.alarm_actions).toContain("arn:aws:sns:eu-west-1:123456789012:ops");
    expect(dead.ok_actions).toEqual(dead.alarm_actions);
  });

  test("the key lets CloudWatch use it for this account only", () => {
    const { of } = synth((a) =>
      queueAlarms(a, "orders", "test-orders", "test-orders-dlq", queueSettings),
    );
    const key = Object.values(of("aws_kms_key"))[0];
    const statement = JSON.parse(key.policy).Statement.find(
      (s: Block) => s.Principal?.Service === "cloudwatch.amazonaws.com",
    );
    expect(statement).toMatchObject({
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Condition: {
        StringEquals: { "aws:SourceAccount": expect.stringContaining("aws_caller_identity") },
      },
    });
  });

  test("no topic, key or subscription when no channel takes the severity (nothing idle)", () => {
    const { of, alarms } = synth(
      (a) =>
        queueAlarms(a, "orders", "test-orders", "test-orders-dlq", {
          ...queueSettings,
          severities: { backlog: "warning", oldestMessage: "warning", deadLetter: "warning" },
        }),
      { channels: { pager: { type: "https", url: "${var.pd}", severities: ["critical"] } } },
    );
    expect(Object.keys(of("aws_sns_topic"))).toEqual([]);
    expect(Object.keys(of("aws_kms_key"))).toEqual([]);
    expect(alarms.every((a) => a.alarm_actions.length === 0)).toBe(true);
  });

  test("a table: throttles and system errors summed over the operations in the facts", () => {
    const { alarms } = synth((a) =>
      tableAlarms(a, "events", "test-events", {
        throttledRequests: 10,
        severities: { storeCapacity: "warning", storeErrors: "critical" },
      }),
    );
    const throttles = alarms.find((a) => a.alarm_name.endsWith("throttled-requests"))!;
    const errors = alarms.find((a) => a.alarm_name.endsWith("system-errors"))!;
    expect(throttles).toMatchObject({
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 10,
    });
    expect(throttles.metric_name).toBeUndefined();
    const metrics = throttles.metric_query.filter((q: Block) => q.metric);
    expect(metrics.length).toBe(10);
    expect(metrics[0].metric).toMatchObject({
      namespace: "AWS/DynamoDB",
      metric_name: "ThrottledRequests",
      dimensions: { TableName: "test-events", Operation: "GetItem" },
      stat: "Sum",
    });
    expect(throttles.metric_query.find((q: Block) => q.expression)).toMatchObject({
      id: "total",
      expression: "SUM(METRICS())",
      return_data: true,
    });
    expect(errors.metric_query[0].metric.metric_name).toBe("SystemErrors");
  });

  test("backup age: no completed job in a day, missing data breaching", () => {
    const { alarms } = synth((a) => backupAgeAlarm(a, "test-event-store", "critical"));
    expect(alarms[0]).toMatchObject({
      namespace: "AWS/Backup",
      metric_name: "NumberOfBackupJobsCompleted",
      dimensions: { BackupVaultName: "test-event-store" },
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      period: 86400,
      treat_missing_data: "breaching",
    });
  });

  test("a metric or dimension not in the facts is refused", () => {
    const spec = {
      name: "x",
      description: "x",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "q" },
      comparison: "GreaterThanThreshold",
      threshold: 1,
      severity: "warning",
    } as const;
    expect(() =>
      synth((a) => a.metric("x", { ...spec, metricName: "ApproximateNumberOfMessageVisible" })),
    ).toThrow(/AWS\/SQS ApproximateNumberOfMessageVisible is not in facts\/alert-metrics.json/);
    expect(() => synth((a) => a.metric("x", { ...spec, dimensions: { Queue: "q" } }))).toThrow(
      /published with dimensions QueueName; got Queue/,
    );
  });
});
