import type { Construct } from "constructs";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import { AwsAlarms, queueAlarms, topicAlarms } from "../../modules/aws/alarms";
import { RoleInlinePolicy } from "../../modules/aws/iam-policy";
import { KmsKey } from "../../modules/aws/kms-key";
import { deadLetterQueueName, SnsSqsBus, snsKeyAccess } from "../../modules/aws/sns-sqs-bus";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { awsChannels } from "../alert-channels";
import { awsRoleName } from "../identity-names";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { awsProvider } from "./provider";

type MessagingConfig = NonNullable<AwsTargetConfig["messaging"]>;

/** Props of {@link AwsMessagingStack}. */
export interface AwsMessagingStackProps extends StrataStackProps {
  readonly target: AwsTargetConfig;
  readonly messaging: MessagingConfig;
}

/**
 * `<env>-aws-messaging`: SNS topics fanning out to one SQS queue (+ dead-letter queue) per
 * consumer; with customer-managed keys one KMS key whose policy lets SNS use it; and the
 * publish/consume grants of the workload identities, attached by name to their roles. Every
 * consumer has its alarms (backlog, oldest message, any dead letter) and every topic its
 * delivery-failure alarm.
 */
export class AwsMessagingStack extends StrataStack {
  readonly bus: SnsSqsBus;
  readonly key?: KmsKey;
  /** The inline policies granted to workload roles, by application. */
  readonly grants: ReadonlyMap<string, RoleInlinePolicy>;
  readonly alarms: AwsAlarms;

  constructor(scope: Construct, name: string, props: AwsMessagingStackProps) {
    super(scope, name, props);
    const { env, target, messaging } = props;
    awsProvider(this, target);
    if (env.customerManagedKeys) {
      this.key = new KmsKey(this, "BusKey", {
        alias: resourceName(env.name, "messaging", NAME_RULES.aws),
        description: `Encryption of the ${env.name} SNS topics and SQS queues`,
        services: [
          snsKeyAccess(
            target.region,
            messaging.topics.map((t) => awsTopicName(env.name, t.name, t.fifo)).sort(),
          ),
        ],
        preventDestroy: env.deletionProtection,
      });
    }
    const fifo = new Map(messaging.topics.map((t) => [t.name, t.fifo]));
    this.bus = new SnsSqsBus(this, "Bus", {
      kmsKey: this.key,
      topics: messaging.topics.map((t) => ({
        name: t.name,
        topicName: awsTopicName(env.name, t.name, t.fifo),
        fifo: t.fifo,
      })),
      consumers: messaging.consumers.map((c) => ({
        name: c.name,
        topic: c.topic,
        queueName: awsQueueName(env.name, c.name, fifo.get(c.topic) ?? false),
        filterPolicy: c.filterPolicy,
        filterPolicyScope: c.filterPolicyScope,
        maxReceiveCount: c.maxReceiveCount,
        visibilityTimeoutSeconds: c.visibilityTimeoutSeconds,
        retentionSeconds: c.retentionSeconds,
      })),
    });
    const grants = new Map<string, RoleInlinePolicy>();
    target.workloadIdentities.forEach((w) => {
      if (w.publishes.length === 0 && w.consumes.length === 0) return;
      const policy = new RoleInlinePolicy(this, `Workload-${w.app}`, {
        roleName: awsRoleName(env.name, w.app),
        policyName: "messaging",
      });
      // Sorted: the order of the lists in config changes no policy document.
      [...w.publishes].sort().forEach((topic) => this.bus.grantPublish(policy, topic));
      [...w.consumes].sort().forEach((consumer) => this.bus.grantConsume(policy, consumer));
      grants.set(w.app, policy);
    });
    this.grants = grants;

    const { thresholds, severities } = env.alerts;
    this.alarms = new AwsAlarms(this, "Alerts", {
      namePrefix: resourceName(env.name, "messaging", NAME_RULES.aws),
      channels: awsChannels(this, env, [
        "backlog",
        "oldestMessage",
        "deadLetter",
        "deliveryFailures",
      ]),
      evaluationMinutes: thresholds.evaluationMinutes,
      preventDestroy: env.deletionProtection,
    });
    for (const t of messaging.topics) {
      topicAlarms(
        this.alarms,
        t.name,
        awsTopicName(env.name, t.name, t.fifo),
        severities.deliveryFailures,
      );
    }
    for (const c of messaging.consumers) {
      const queueName = awsQueueName(env.name, c.name, fifo.get(c.topic) ?? false);
      queueAlarms(this.alarms, c.name, queueName, deadLetterQueueName(queueName), {
        backlogMessages: thresholds.backlogMessages,
        oldestMessageSeconds: thresholds.oldestMessageSeconds,
        severities,
      });
    }
  }
}

/** Physical name of a topic: `<env>-<topic>` (`.fifo` for FIFO topics). */
export function awsTopicName(env: string, topic: string, fifo: boolean): string {
  return resourceName(env, topic, NAME_RULES.aws) + (fifo ? ".fifo" : "");
}

/** Physical name of a consumer's queue: `<env>-<consumer>` (`.fifo` on FIFO topics). */
export function awsQueueName(env: string, consumer: string, fifo: boolean): string {
  return resourceName(env, consumer, NAME_RULES.aws) + (fifo ? ".fifo" : "");
}
