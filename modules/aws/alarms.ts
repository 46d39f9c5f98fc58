import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { awsMetric, evaluationMinutes } from "../common/alert-metrics";
import { KmsKey, type KmsServiceAccess } from "./kms-key";

/** How loud an alarm is: each severity has its own alerts topic. */
export type AlarmSeverity = "critical" | "warning";

/**
 * Where alarms go. `https` endpoints must confirm the SNS subscription themselves (PagerDuty's
 * CloudWatch integration does); the URL is a Terraform expression, never a literal.
 */
export type AwsAlertChannel = { readonly severities: readonly AlarmSeverity[] } & (
  | { readonly type: "email"; readonly address: string }
  | { readonly type: "https"; readonly url: string }
  | { readonly type: "sns"; readonly topicArn: string }
);

/** Props of {@link AwsAlarms}. */
export interface AwsAlarmsProps {
  /** Prefix of alarm and topic names, e.g. `prod-messaging`. */
  readonly namePrefix: string;
  /** Channels by name. @default {} */
  readonly channels?: Readonly<Record<string, AwsAlertChannel>>;
  /** One-minute periods a condition must hold before the alarm fires, 1–60. @default 5 */
  readonly evaluationMinutes?: number;
  /** Keep the alerts key on `tofu destroy`. @default false */
  readonly preventDestroy?: boolean;
}

/** One alarm on one CloudWatch metric. */
export interface MetricAlarmSpec {
  /** Alarm name after the prefix: `<prefix>-<name>`. */
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly comparison:
    "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly severity: AlarmSeverity;
  /** Seconds per period (a multiple of 60). @default 60 */
  readonly periodSeconds?: number;
  /** @default - evaluationMinutes */
  readonly evaluationPeriods?: number;
  /** @default "notBreaching" (no data: nothing to alarm on) */
  readonly treatMissingData?: "breaching" | "notBreaching";
}

/** CloudWatch publishes alarm notifications to an encrypted topic only with a customer key it may use. */
export function cloudwatchKeyAccess(): KmsServiceAccess {
  return { service: CLOUDWATCH_SERVICE, actions: ["kms:GenerateDataKey*", "kms:Decrypt"] };
}

const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";
/** SQS, SNS and DynamoDB publish these metrics every minute. */
const PERIOD_SECONDS = 60;

/**
 * CloudWatch alarms of one stack and where they go: an alerts topic per severity that an alarm
 * uses and a channel receives (encrypted with a key CloudWatch may use, as the policy gate's ENC
 * rules want), email and HTTPS subscriptions, and your own SNS topics named directly. Metrics
 * must be in facts/alert-metrics.json.
 */
export class AwsAlarms extends Construct {
  private readonly alarmsByKey = new Map<string, CloudwatchMetricAlarm>();
  private readonly topicsBySeverity = new Map<AlarmSeverity, SnsTopic>();
  private keyResource?: KmsKey;
  private readonly props: AwsAlarmsProps;
  private readonly evaluationMinutes: number;

  constructor(scope: Construct, id: string, props: AwsAlarmsProps) {
    super(scope, id);
    this.props = props;
    this.evaluationMinutes = evaluationMinutes(this.node.path, props.evaluationMinutes);
  }

  /** Alerts topics by severity, created with the first alarm of that severity (nothing idle). */
  get topics(): ReadonlyMap<AlarmSeverity, SnsTopic> {
    return this.topicsBySeverity;
  }

  /** Alarms by key. */
  get alarms(): ReadonlyMap<string, CloudwatchMetricAlarm> {
    return this.alarmsByKey;
  }

  /** The key of the alerts topics, once there is a topic. */
  get key(): KmsKey | undefined {
    return this.keyResource;
  }

  /** The alerts topic of `severity`, created on first use when a channel subscribes to it. */
  private topicFor(severity: AlarmSeverity): SnsTopic | undefined {
    const existing = this.topicsBySeverity.get(severity);
    if (existing) return existing;
    const subscribers = Object.entries(this.props.channels ?? {}).filter(
      ([, c]) => c.type !== "sns" && c.severities.includes(severity),
    );
    if (subscribers.length === 0) return undefined;
    this.keyResource ??= new KmsKey(this, "Key", {
      alias: `${this.props.namePrefix}-alerts`,
      description: `Encryption of the ${this.props.namePrefix} alerts topics`,
      services: [cloudwatchKeyAccess()],
      preventDestroy: this.props.preventDestroy,
    });
    const topic = new SnsTopic(this, `Topic-${severity}`, {
      name: `${this.props.namePrefix}-alerts-${severity}`,
      kmsMasterKeyId: this.keyResource.arn,
    });
    for (const [name, c] of subscribers) {
      new SnsTopicSubscription(this, `Subscription-${severity}-${name}`, {
        topicArn: topic.arn,
        ...(c.type === "email"
          ? { protocol: "email", endpoint: c.address }
          : {
              protocol: "https",
              endpoint: (c as { url: string }).url,
              endpointAutoConfirms: true,
            }),
      });
    }
    this.topicsBySeverity.set(severity, topic);
    return topic;
  }

  /** ARNs an alarm of `severity` notifies. */
  actionsFor(severity: AlarmSeverity): string[] {
    const own = this.topicFor(severity);
    const direct = Object.values(this.props.channels ?? {})
      .filter((c) => c.type === "sns" && c.severities.includes(severity))
      .map((c) => (c as { topicArn: string }).topicArn);
    return [...(own ? [own.arn] : []), ...direct];
  }

  /** An alarm on one metric; `key` is its construct id (a name, never a position). */
  metric(key: string, spec: MetricAlarmSpec): CloudwatchMetricAlarm {
    const fact = awsMetric(spec.namespace, spec.metricName);
    checkDimensions(this.node.path, fact.dimensions, Object.keys(spec.dimensions), spec);
    return this.add(key, spec, {
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: { ...spec.dimensions },
      statistic: fact.statistic,
      period: spec.periodSeconds ?? PERIOD_SECONDS,
    });
  }

  /**
   * An alarm on a per-operation DynamoDB metric summed over the operations facts list
   * (`SUM(METRICS())`; an operation with no data adds nothing).
   */
  sumOverOperations(key: string, spec: MetricAlarmSpec): CloudwatchMetricAlarm {
    const fact = awsMetric(spec.namespace, spec.metricName);
    checkDimensions(
      this.node.path,
      fact.dimensions,
      [...Object.keys(spec.dimensions), "Operation"],
      spec,
    );
    const operations = fact.operations ?? [];
    return this.add(key, spec, {
      metricQuery: [
        ...operations.map((operation) => ({
          id: `m${operation.toLowerCase()}`,
          returnData: false,
          metric: {
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: { ...spec.dimensions, Operation: operation },
            stat: fact.statistic,
            period: spec.periodSeconds ?? PERIOD_SECONDS,
          },
        })),
        {
          id: "total",
          expression: "SUM(METRICS())",
          label: `${spec.metricName} over ${operations.length} operations`,
          returnData: true,
        },
      ],
    });
  }

  private add(
    key: string,
    spec: MetricAlarmSpec,
    metric: Record<string, unknown>,
  ): CloudwatchMetricAlarm {
    const actions = this.actionsFor(spec.severity);
    const alarm = new CloudwatchMetricAlarm(this, `Alarm-${key}`, {
      alarmName: `${this.props.namePrefix}-${spec.name}`,
      alarmDescription: `[${spec.severity}] ${spec.description}`,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? this.evaluationMinutes,
      treatMissingData: spec.treatMissingData ?? "notBreaching",
      alarmActions: actions,
      okActions: actions,
      ...metric,
    });
    this.alarmsByKey.set(key, alarm);
    return alarm;
  }
}

function checkDimensions(
  path: string,
  documented: readonly string[],
  given: readonly string[],
  spec: MetricAlarmSpec,
): void {
  const missing = documented.filter((d) => !given.includes(d));
  const extra = given.filter((d) => !documented.includes(d));
  if (missing.length + extra.length > 0) {
    throw new Error(
      `${path}: ${spec.namespace} ${spec.metricName} is published with dimensions ${documented.join(", ")}; got ${given.join(", ")}`,
    );
  }
}

/** Thresholds and severities of a consumer's queue alarms. */
export interface QueueAlarmSettings {
  readonly backlogMessages: number;
  readonly oldestMessageSeconds: number;
  readonly severities: Readonly<Record<"backlog" | "oldestMessage" | "deadLetter", AlarmSeverity>>;
}

/** A consumer's queue: backlog and oldest message; its dead-letter queue: any message. */
export function queueAlarms(
  alarms: AwsAlarms,
  consumer: string,
  queueName: string,
  deadLetterQueueName: string,
  s: QueueAlarmSettings,
): void {
  alarms.metric(`Backlog-${consumer}`, {
    name: `${consumer}-backlog`,
    description: `Queue ${queueName} holds more than ${s.backlogMessages} messages: its consumer is falling behind.`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queueName },
    comparison: "GreaterThanThreshold",
    threshold: s.backlogMessages,
    severity: s.severities.backlog,
  });
  alarms.metric(`OldestMessage-${consumer}`, {
    name: `${consumer}-oldest-message`,
    description: `A message on ${queueName} has waited more than ${s.oldestMessageSeconds} s: the consumer is stuck or down.`,
    namespace: "AWS/SQS",
    metricName: "ApproximateAgeOfOldestMessage",
    dimensions: { QueueName: queueName },
    comparison: "GreaterThanThreshold",
    threshold: s.oldestMessageSeconds,
    severity: s.severities.oldestMessage,
  });
  alarms.metric(`DeadLetter-${consumer}`, {
    name: `${consumer}-dead-letters`,
    description: `Messages were parked on ${deadLetterQueueName}: read them, fix the cause, redrive them to ${queueName}.`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: deadLetterQueueName },
    comparison: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    severity: s.severities.deadLetter,
  });
}

/** A topic's failed deliveries (with a subscription redrive policy they also land on a DLQ). */
export function topicAlarms(
  alarms: AwsAlarms,
  topic: string,
  topicName: string,
  severity: AlarmSeverity,
): void {
  alarms.metric(`DeliveryFailures-${topic}`, {
    name: `${topic}-delivery-failures`,
    description: `SNS topic ${topicName} failed to deliver messages to a subscriber.`,
    namespace: "AWS/SNS",
    metricName: "NumberOfNotificationsFailed",
    dimensions: { TopicName: topicName },
    comparison: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    severity,
  });
}

/** Thresholds and severities of a table's alarms. */
export interface TableAlarmSettings {
  readonly throttledRequests: number;
  readonly severities: Readonly<Record<"storeCapacity" | "storeErrors", AlarmSeverity>>;
}

/** A DynamoDB table's throttled requests and system errors, over every operation. */
export function tableAlarms(
  alarms: AwsAlarms,
  table: string,
  tableName: string,
  s: TableAlarmSettings,
): void {
  alarms.sumOverOperations(`Throttles-${table}`, {
    name: `${table}-throttled-requests`,
    description: `Table ${tableName} throttled ${s.throttledRequests} or more requests a minute: raise capacity or spread the keys.`,
    namespace: "AWS/DynamoDB",
    metricName: "ThrottledRequests",
    dimensions: { TableName: tableName },
    comparison: "GreaterThanOrEqualToThreshold",
    threshold: s.throttledRequests,
    severity: s.severities.storeCapacity,
  });
  alarms.sumOverOperations(`SystemErrors-${table}`, {
    name: `${table}-system-errors`,
    description: `DynamoDB returned server errors (HTTP 500) on table ${tableName}.`,
    namespace: "AWS/DynamoDB",
    metricName: "SystemErrors",
    dimensions: { TableName: tableName },
    comparison: "GreaterThanThreshold",
    threshold: 0,
    severity: s.severities.storeErrors,
  });
}

/**
 * No backup job completed in a vault for a day: the newest backup is more than a day old. Missing
 * data is breaching (AWS Backup publishes nothing when no job ran).
 */
export function backupAgeAlarm(
  alarms: AwsAlarms,
  vaultName: string,
  severity: AlarmSeverity,
): void {
  alarms.metric("BackupAge", {
    name: "backup-age",
    description: `No backup completed in vault ${vaultName} for 24 hours: check the plan's jobs in AWS Backup.`,
    namespace: "AWS/Backup",
    metricName: "NumberOfBackupJobsCompleted",
    dimensions: { BackupVaultName: vaultName },
    comparison: "LessThanThreshold",
    threshold: 1,
    periodSeconds: 86_400,
    evaluationPeriods: 1,
    treatMissingData: "breaching",
    severity,
  });
}
