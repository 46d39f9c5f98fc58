/**
 * Alert coverage as a class: in every synthesized stack, every queue, subscription, topic, table,
 * Bigtable instance, backup vault and DOKS cluster Strata creates has its alarms — found from the
 * resources themselves, so a new consumer is covered without a line of alert code — and every
 * metric an alarm watches is a recorded fact (facts/alert-metrics.json).
 */
import { App, Testing } from "cdktf";
import type { EnvironmentInput } from "../../environments/schema";
import { ALERT_METRICS } from "../../modules/common/alert-metrics";
import { AwsMessagingStack } from "../../stacks/aws/messaging";
import { GcpMessagingStack } from "../../stacks/gcp/messaging";
import { realApp } from "../support/app";
import { BITNAMI_IMAGES, NATIVE_TARGETS, testEnv } from "../support/env";
import type { TfJson } from "../support/synth";

type Block = Record<string, unknown>;
const blocks = (tf: TfJson, type: string): Block[] =>
  Object.values((tf.resource?.[type] ?? {}) as Record<string, Block>);

interface GcpPolicy {
  readonly filter: string;
  readonly threshold: number;
}
interface AwsAlarm {
  readonly metrics: ReadonlyArray<{
    namespace: string;
    name: string;
    dims: Record<string, string>;
  }>;
  readonly threshold: number;
  readonly actions: readonly string[];
}

function gcpPolicies(tf: TfJson): GcpPolicy[] {
  return blocks(tf, "google_monitoring_alert_policy").flatMap((p) =>
    (
      p.conditions as Array<{ condition_threshold: { filter: string; threshold_value: number } }>
    ).map((c) => ({
      filter: c.condition_threshold.filter,
      threshold: c.condition_threshold.threshold_value,
    })),
  );
}

function awsAlarms(tf: TfJson): AwsAlarm[] {
  return blocks(tf, "aws_cloudwatch_metric_alarm").map((a) => {
    const queries = (a.metric_query ?? []) as Array<{
      metric?: { namespace: string; metric_name: string; dimensions: Record<string, string> };
    }>;
    const metrics = a.metric_name
      ? [
          {
            namespace: a.namespace as string,
            name: a.metric_name as string,
            dims: (a.dimensions ?? {}) as Record<string, string>,
          },
        ]
      : queries.flatMap((q) =>
          q.metric
            ? [
                {
                  namespace: q.metric.namespace,
                  name: q.metric.metric_name,
                  dims: q.metric.dimensions,
                },
              ]
            : [],
        );
    return {
      metrics,
      threshold: a.threshold as number,
      actions: (a.alarm_actions ?? []) as string[],
    };
  });
}

/** What is missing in one stack, one line each. */
export function alertCoverageProblems(stack: string, tf: TfJson): string[] {
  const problems: string[] = [];
  const policies = gcpPolicies(tf);
  const hasPolicy = (metric: string, label: string, value: string, threshold?: number) =>
    policies.some(
      (p) =>
        p.filter.includes(`metric.type = "${metric}"`) &&
        p.filter.includes(`resource.label.${label} = "${value}"`) &&
        (threshold === undefined || p.threshold === threshold),
    );

  // Pub/Sub: a subscription reading a dead-letter topic alarms on any message; others on backlog and age.
  const subs = blocks(tf, "google_pubsub_subscription");
  const deadLetterTopics = new Set(
    subs.map((s) => (s.dead_letter_policy as Block | undefined)?.dead_letter_topic).filter(Boolean),
  );
  for (const s of subs) {
    const name = s.name as string;
    if (deadLetterTopics.has(s.topic)) {
      if (
        !hasPolicy(
          "pubsub.googleapis.com/subscription/num_undelivered_messages",
          "subscription_id",
          name,
          0,
        )
      )
        problems.push(`${stack}: dead-letter subscription ${name} has no any-message alert`);
      continue;
    }
    for (const metric of [
      "pubsub.googleapis.com/subscription/num_undelivered_messages",
      "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
    ])
      if (!hasPolicy(metric, "subscription_id", name))
        problems.push(`${stack}: subscription ${name} has no ${metric} alert`);
  }
  for (const i of blocks(tf, "google_bigtable_instance"))
    for (const metric of [
      "bigtable.googleapis.com/cluster/cpu_load",
      "bigtable.googleapis.com/cluster/storage_utilization",
    ])
      if (!hasPolicy(metric, "instance", i.name as string))
        problems.push(`${stack}: Bigtable instance ${String(i.name)} has no ${metric} alert`);

  // AWS: alarms found by metric and dimension.
  const alarms = awsAlarms(tf);
  const hasAlarm = (
    namespace: string,
    name: string,
    dim: string,
    value: string,
    threshold?: number,
  ) =>
    alarms.some(
      (a) =>
        a.metrics.some(
          (m) => m.namespace === namespace && m.name === name && m.dims[dim] === value,
        ) &&
        (threshold === undefined || a.threshold === threshold),
    );
  const queues = blocks(tf, "aws_sqs_queue");
  const dlqArns = new Set(
    queues
      .map((q) =>
        q.redrive_policy
          ? (JSON.parse(q.redrive_policy as string) as Block).deadLetterTargetArn
          : undefined,
      )
      .filter(Boolean),
  );
  const queueArn = (q: Block) =>
    Object.entries((tf.resource?.aws_sqs_queue ?? {}) as Record<string, Block>).find(
      ([, b]) => b === q,
    )![0];
  for (const q of queues) {
    const name = q.name as string;
    if (dlqArns.has(`\${aws_sqs_queue.${queueArn(q)}.arn}`)) {
      if (!hasAlarm("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, 0))
        problems.push(`${stack}: dead-letter queue ${name} has no any-message alarm`);
      continue;
    }
    for (const metric of ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"])
      if (!hasAlarm("AWS/SQS", metric, "QueueName", name))
        problems.push(`${stack}: queue ${name} has no ${metric} alarm`);
  }
  const alertTopics = new Set(
    alarms
      .flatMap((a) => a.actions)
      .map((arn) => /^\$\{aws_sns_topic\.([^.]+)\.arn\}$/.exec(arn)?.[1]),
  );
  for (const [id, t] of Object.entries(
    (tf.resource?.aws_sns_topic ?? {}) as Record<string, Block>,
  )) {
    if (alertTopics.has(id)) continue; // where alarms go, not a bus
    if (!hasAlarm("AWS/SNS", "NumberOfNotificationsFailed", "TopicName", t.name as string))
      problems.push(`${stack}: topic ${String(t.name)} has no delivery-failure alarm`);
  }
  for (const t of blocks(tf, "aws_dynamodb_table"))
    for (const metric of ["ThrottledRequests", "SystemErrors"])
      if (!hasAlarm("AWS/DynamoDB", metric, "TableName", t.name as string))
        problems.push(`${stack}: table ${String(t.name)} has no ${metric} alarm`);
  for (const v of blocks(tf, "aws_backup_vault"))
    if (!hasAlarm("AWS/Backup", "NumberOfBackupJobsCompleted", "BackupVaultName", v.name as string))
      problems.push(`${stack}: backup vault ${String(v.name)} has no backup-age alarm`);

  // DigitalOcean: a cluster's nodes (CPU, memory, disk). The API needs a recipient, so a stack
  // whose environment has no channel for the severity has none at all; any alert present means
  // there is one, and then every cluster has all three.
  const doAlerts = blocks(tf, "digitalocean_monitor_alert");
  for (const id of Object.keys((tf.resource?.digitalocean_kubernetes_cluster ?? {}) as object)) {
    const tag = `k8s:\${digitalocean_kubernetes_cluster.${id}.id}`;
    const types = doAlerts.filter((a) => (a.tags as string[] | undefined)?.includes(tag));
    if (doAlerts.length > 0 && types.length < 3)
      problems.push(`${stack}: DOKS cluster ${id} has ${types.length} of its 3 node alerts`);
  }
  return problems;
}

/** Every metric a stack's alerts watch, as `<cloud> <metric>`. */
function metricsUsed(tf: TfJson): string[] {
  const gcp = gcpPolicies(tf).map(
    (p) => /metric\.type = "([^"]+)"/.exec(p.filter)?.[1] ?? p.filter,
  );
  const aws = awsAlarms(tf).flatMap((a) => a.metrics.map((m) => `${m.namespace} ${m.name}`));
  const dig = blocks(tf, "digitalocean_monitor_alert").map((a) => a.type as string);
  return [
    ...gcp.map((m) => `gcp ${m}`),
    ...aws.map((m) => `aws ${m}`),
    ...dig.map((m) => `digitalocean ${m}`),
  ];
}

describe("every queue, subscription, topic, table and cluster Strata creates has its alarms", () => {
  test("in every synthesized stack of the real app", () => {
    const app = realApp();
    const problems = [...app.stacks].flatMap(([name, tf]) => alertCoverageProblems(name, tf));
    expect(problems).toEqual([]);
  });

  test("prod synthesizes its alarms on all three clouds", () => {
    const app = realApp();
    const count = (stack: string, type: string) =>
      Object.keys((app.stacks.get(stack)?.resource?.[type] ?? {}) as object).length;
    expect(count("prod-gcp-messaging", "google_monitoring_alert_policy")).toBeGreaterThanOrEqual(3);
    expect(count("prod-gcp-data", "google_monitoring_alert_policy")).toBe(2);
    expect(count("prod-aws-messaging", "aws_cloudwatch_metric_alarm")).toBeGreaterThanOrEqual(4);
    expect(count("prod-aws-data", "aws_cloudwatch_metric_alarm")).toBe(7);
    expect(count("prod-do-cluster", "digitalocean_monitor_alert")).toBe(3);
  });

  test("DigitalOcean alerts select the cluster's nodes only: the standard labels stay off their tags", () => {
    const tf = realApp().stacks.get("prod-do-cluster")!;
    const cluster = Object.keys((tf.resource?.digitalocean_kubernetes_cluster ?? {}) as object)[0];
    const tags = blocks(tf, "digitalocean_monitor_alert").map((a) => a.tags);
    expect(tags).toHaveLength(3);
    for (const t of tags)
      expect(t).toEqual([`k8s:\${digitalocean_kubernetes_cluster.${cluster}.id}`]);
    expect(blocks(tf, "digitalocean_kubernetes_cluster")[0].tags).toContain("environment:prod");
  });

  test("prod's PagerDuty tokens come from the clouds' secret stores, read at apply time", () => {
    const app = realApp();
    const gcp = app.stacks.get("prod-gcp-messaging")!;
    const secrets = Object.entries(
      (gcp.data?.google_secret_manager_secret_version ?? {}) as Record<string, Block>,
    );
    expect(secrets.map(([, d]) => d.secret)).toEqual([
      "projects/angzarr-prod/secrets/pagerduty-service-key",
    ]);
    const pager = blocks(gcp, "google_monitoring_notification_channel").find(
      (c) => c.type === "pagerduty",
    )!;
    expect(pager.sensitive_labels).toEqual({
      service_key: `\${data.google_secret_manager_secret_version.${secrets[0][0]}.secret_data}`,
    });
    const aws = app.stacks.get("prod-aws-messaging")!;
    const [[id, secret]] = Object.entries(
      (aws.data?.aws_secretsmanager_secret_version ?? {}) as Record<string, Block>,
    );
    expect(secret.secret_id).toBe("strata/prod/pagerduty-cloudwatch-url");
    expect(blocks(aws, "aws_sns_topic_subscription").filter((s) => s.protocol === "https")).toEqual(
      [
        expect.objectContaining({
          endpoint: `\${data.aws_secretsmanager_secret_version.${id}.secret_string}`,
          endpoint_auto_confirms: true,
        }),
      ],
    );
    // No variable to set in CI for them: only the state passphrase.
    expect(Object.keys(gcp.variable ?? {})).toEqual(["strata_state_passphrase"]);
    expect(Object.keys(aws.variable ?? {})).toEqual(["strata_state_passphrase"]);
  });

  test("every metric an alert watches is in facts/alert-metrics.json", () => {
    const known = new Set([
      ...Object.keys(ALERT_METRICS.gcp).map((m) => `gcp ${m}`),
      ...Object.keys(ALERT_METRICS.aws).map((m) => `aws ${m}`),
      ...Object.keys(ALERT_METRICS.digitalocean).map((m) => `digitalocean ${m}`),
    ]);
    const used = new Set([...realApp().stacks.values()].flatMap(metricsUsed));
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((m) => !known.has(m))).toEqual([]);
  });
});

describe("alert conditions are valid for the providers", () => {
  test("Cloud Monitoring: whole-minute durations, the metric's aligner; CloudWatch: periods of 10/20/30 s or whole minutes", () => {
    const problems: string[] = [];
    for (const [stack, tf] of realApp().stacks) {
      for (const p of blocks(tf, "google_monitoring_alert_policy"))
        for (const c of p.conditions as Array<{ condition_threshold: Block }>) {
          const t = c.condition_threshold;
          const seconds = Number(/^(\d+)s$/.exec(t.duration as string)?.[1]);
          // The provider documents durations as whole minutes (facts/providers/google.json).
          if (!(seconds % 60 === 0)) problems.push(`${stack}: duration ${String(t.duration)}`);
          const metric = /metric\.type = "([^"]+)"/.exec(t.filter as string)![1];
          const aligner = (t.aggregations as Block[])[0].per_series_aligner;
          if (aligner !== ALERT_METRICS.gcp[metric].aligner)
            problems.push(`${stack}: ${metric} aligned with ${String(aligner)}`);
        }
      for (const a of blocks(tf, "aws_cloudwatch_metric_alarm")) {
        const periods = [
          a.period,
          ...((a.metric_query ?? []) as Block[]).map(
            (q) => (q.metric as Block | undefined)?.period,
          ),
        ].filter((x): x is number => typeof x === "number");
        // metric_alarm.go: IntInSlice(10, 20, 30) or IntDivisibleBy(60).
        for (const period of periods)
          if (![10, 20, 30].includes(period) && period % 60 !== 0)
            problems.push(`${stack}: ${String(a.alarm_name)} period ${period}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("a new consumer brings its alarms without alert code", () => {
  const twoConsumers: EnvironmentInput["targets"] = {
    gcp: {
      ...NATIVE_TARGETS.gcp,
      pubsub: {
        topics: { events: {}, audit: {} },
        subscriptions: {
          core: { topic: "events" },
          reporting: { topic: "events", deadLetter: { topic: "audit" } },
          auditor: { topic: "audit" },
        },
      },
    },
    aws: {
      ...NATIVE_TARGETS.aws,
      messaging: {
        topics: [{ name: "events" }, { name: "orders", fifo: true }],
        consumers: [
          { name: "core", topic: "events" },
          { name: "billing", topic: "orders" },
        ],
      },
    },
  };
  const env = testEnv({
    targets: twoConsumers,
    workloads: { images: BITNAMI_IMAGES },
    alerts: { channels: { team: { type: "email", address: "team@example.com" } } },
  });

  test("GCP: each subscription, its dead-letter hold and a shared dead-letter topic's reader", () => {
    const stack = new GcpMessagingStack(new App(), "test-gcp-messaging", {
      env,
      target: env.targets.gcp!,
    });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(alertCoverageProblems("s", tf)).toEqual([]);
    const filters = gcpPolicies(tf).map((p) => p.filter);
    for (const sub of ["test-core", "test-reporting", "test-auditor", "test-core-dlq"])
      expect(filters.some((f) => f.includes(`subscription_id = "${sub}"`))).toBe(true);
  });

  test("AWS: each queue, its dead-letter queue (FIFO too) and each topic", () => {
    const stack = new AwsMessagingStack(new App(), "test-aws-messaging", {
      env,
      target: env.targets.aws!,
      messaging: env.targets.aws!.messaging!,
    });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(alertCoverageProblems("s", tf)).toEqual([]);
    const names = awsAlarms(tf).flatMap((a) => a.metrics.map((m) => Object.values(m.dims)[0]));
    for (const q of [
      "test-billing.fifo",
      "test-billing-dlq.fifo",
      "test-orders.fifo",
      "test-core-dlq",
    ])
      expect(names).toContain(q);
  });

  test("a token from a Terraform variable: declared sensitive, referenced, never a value", () => {
    const withPager = testEnv({
      targets: twoConsumers,
      workloads: { images: BITNAMI_IMAGES },
      alerts: { channels: { pager: { type: "pagerduty", gcpServiceKeyVariable: "pd_key" } } },
    });
    const stack = new GcpMessagingStack(new App(), "test-gcp-messaging", {
      env: {
        ...withPager,
        alerts: {
          ...withPager.alerts,
          severities: { ...withPager.alerts.severities, deadLetter: "critical" },
        },
      },
      target: withPager.targets.gcp!,
    });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(tf.variable?.pd_key).toMatchObject({ sensitive: true, nullable: false, type: "string" });
    expect(blocks(tf, "google_monitoring_notification_channel")[0].sensitive_labels).toEqual({
      service_key: "${var.pd_key}",
    });
  });

  test("the check finds a queue and a subscription without alarms", () => {
    const stack = new AwsMessagingStack(new App(), "test-aws-messaging", {
      env,
      target: env.targets.aws!,
      messaging: env.targets.aws!.messaging!,
    });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    const alarms = tf.resource!.aws_cloudwatch_metric_alarm as Record<string, Block>;
    for (const [id, a] of Object.entries(alarms))
      if (
        (a.dimensions as Record<string, string> | undefined)?.QueueName === "test-billing-dlq.fifo"
      )
        delete alarms[id];
    const orphan = { name: "test-orphan", topic: "${google_pubsub_topic.x.id}" };
    tf.resource!.google_pubsub_subscription = { orphan };
    expect(alertCoverageProblems("s", tf)).toEqual([
      "s: subscription test-orphan has no pubsub.googleapis.com/subscription/num_undelivered_messages alert",
      "s: subscription test-orphan has no pubsub.googleapis.com/subscription/oldest_unacked_message_age alert",
      "s: dead-letter queue test-billing-dlq.fifo has no any-message alarm",
    ]);
  });
});
