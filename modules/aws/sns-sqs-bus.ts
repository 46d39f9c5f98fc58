import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { Construct } from "constructs";
import { policyDocument, type IGrantable, type PolicyStatement } from "./iam-policy";
import type { KmsKey, KmsServiceAccess } from "./kms-key";

/** A topic of the bus. */
export interface BusTopic {
  /** Logical name consumers and grants refer to (`events`). */
  readonly name: string;
  /** Physical name; FIFO topics end in `.fifo`. */
  readonly topicName: string;
  /** FIFO topic with content-based deduplication. @default false */
  readonly fifo?: boolean;
}

/** A consumer: its own queue subscribed to one topic, with a dead-letter queue. */
export interface BusConsumer {
  /** Logical name grants refer to (`backend`). */
  readonly name: string;
  /** Logical name of the topic it subscribes to. */
  readonly topic: string;
  /** Physical queue name; the dead-letter queue is `<name>-dlq` (before `.fifo`). */
  readonly queueName: string;
  /** SNS filter policy; only matching messages reach the queue. @default - every message */
  readonly filterPolicy?: Readonly<Record<string, unknown>>;
  /** What the filter policy matches. @default "MessageAttributes" */
  readonly filterPolicyScope?: "MessageAttributes" | "MessageBody";
  /** Receives before a message moves to the dead-letter queue, 1–1000. @default 5 */
  readonly maxReceiveCount?: number;
  /** Seconds a received message stays invisible to other consumers, 0–43200. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Seconds a message is kept, 60–1209600. @default 345600 (4 days) */
  readonly retentionSeconds?: number;
}

/** Props of {@link SnsSqsBus}. */
export interface SnsSqsBusProps {
  readonly topics: readonly BusTopic[];
  readonly consumers: readonly BusConsumer[];
  /**
   * Customer-managed key for topics and queues; its policy must include {@link snsKeyAccess}.
   * @default - AWS-managed `alias/aws/sns` for topics, SQS-managed encryption (SSE-SQS) for queues
   */
  readonly kmsKey?: KmsKey;
}

/**
 * What SNS needs on a customer-managed key to deliver to KMS-encrypted queues (and to use an
 * encrypted topic), for these topics only (`aws:SourceArn`, besides the key's own
 * `aws:SourceAccount`). Without it delivery fails with KMS access denied and messages are dropped
 * silently. Facts: facts/aws-service-principals.json (SNS key management).
 */
export function snsKeyAccess(region: string, topicNames: readonly string[]): KmsServiceAccess {
  return {
    service: SNS_SERVICE,
    actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
    sourceArns: ({ partition, accountId }) =>
      topicNames.map((t) => `arn:${partition}:sns:${region}:${accountId}:${t}`),
  };
}

const SNS_SERVICE = "sns.amazonaws.com";

/** 5 receives: a poison message is parked after a few retries, not after hours. */
const DEFAULT_MAX_RECEIVE_COUNT = 5;
/** 30 s: SQS's own default visibility timeout. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
/** 4 days: SQS's own default retention. */
const DEFAULT_RETENTION_SECONDS = 345_600;
/** 14 days, the SQS maximum: dead letters wait for a human. */
const DLQ_RETENTION_SECONDS = 1_209_600;
/** 20 s long polling (the maximum): fewer empty receives. */
const RECEIVE_WAIT_SECONDS = 20;
/** 5 minutes: SQS's default data-key reuse, bounds KMS calls. */
const KMS_DATA_KEY_REUSE_SECONDS = 300;

/** The queues of one consumer. */
export interface ConsumerQueues {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly subscription: SnsTopicSubscription;
}

/**
 * Fan-out messaging: SNS topics (standard or FIFO), and for each consumer an SQS queue subscribed
 * with raw message delivery, a dead-letter queue with a redrive policy (and a redrive-allow policy
 * naming its source), and a queue policy that lets only its topic send, over TLS only. Topics and
 * queues are encrypted: a customer-managed key, or the AWS/SQS-managed ones.
 */
export class SnsSqsBus extends Construct {
  readonly topics: ReadonlyMap<string, SnsTopic>;
  readonly consumers: ReadonlyMap<string, ConsumerQueues>;
  private readonly kmsKey?: KmsKey;

  constructor(scope: Construct, id: string, props: SnsSqsBusProps) {
    super(scope, id);
    this.kmsKey = props.kmsKey;
    this.validate(props);

    const topics = new Map<string, SnsTopic>();
    // Construct ids (state addresses) come from the logical names: reordering the lists in
    // config moves nothing.
    props.topics.forEach((t) => {
      topics.set(
        t.name,
        new SnsTopic(this, `Topic-${t.name}`, {
          name: t.topicName,
          ...(t.fifo ? { fifoTopic: true, contentBasedDeduplication: true } : {}),
          kmsMasterKeyId: props.kmsKey?.arn ?? "alias/aws/sns",
        }),
      );
    });
    this.topics = topics;

    const encryption = props.kmsKey
      ? {
          kmsMasterKeyId: props.kmsKey.arn,
          kmsDataKeyReusePeriodSeconds: KMS_DATA_KEY_REUSE_SECONDS,
        }
      : { sqsManagedSseEnabled: true };
    const consumers = new Map<string, ConsumerQueues>();
    props.consumers.forEach((c) => {
      const id = c.name;
      const topic = topics.get(c.topic)!;
      const fifo = props.topics.find((t) => t.name === c.topic)!.fifo ?? false;
      const deadLetterQueue = new SqsQueue(this, `DeadLetterQueue-${id}`, {
        name: deadLetterQueueName(c.queueName),
        ...(fifo ? { fifoQueue: true } : {}),
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        ...encryption,
      });
      const queue = new SqsQueue(this, `Queue-${id}`, {
        name: c.queueName,
        ...(fifo ? { fifoQueue: true } : {}),
        messageRetentionSeconds: c.retentionSeconds ?? DEFAULT_RETENTION_SECONDS,
        visibilityTimeoutSeconds: c.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
        receiveWaitTimeSeconds: RECEIVE_WAIT_SECONDS,
        redrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterQueue.arn,
          maxReceiveCount: c.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
        }),
        ...encryption,
      });
      // The dead-letter queue also takes what SNS cannot deliver to the queue (a deleted queue, a
      // policy or key mistake): without the subscription's redrive policy SNS drops it. SNS sends
      // it with SendMessage, so the queue policy must let this topic do so.
      const deadLetterPolicy = new SqsQueuePolicy(this, `DeadLetterQueuePolicy-${id}`, {
        queueUrl: deadLetterQueue.url,
        policy: policyDocument([
          allowTopic(deadLetterQueue.arn, topic.arn),
          denyInsecureTransport(deadLetterQueue.arn),
        ]),
      });
      new SqsQueueRedriveAllowPolicy(this, `RedriveAllow-${id}`, {
        queueUrl: deadLetterQueue.url,
        redriveAllowPolicy: JSON.stringify({
          redrivePermission: "byQueue",
          sourceQueueArns: [queue.arn],
        }),
      });
      const policy = new SqsQueuePolicy(this, `QueuePolicy-${id}`, {
        queueUrl: queue.url,
        policy: policyDocument([
          allowTopic(queue.arn, topic.arn),
          denyInsecureTransport(queue.arn),
        ]),
      });
      const subscription = new SnsTopicSubscription(this, `Subscription-${id}`, {
        topicArn: topic.arn,
        protocol: "sqs",
        endpoint: queue.arn,
        rawMessageDelivery: true,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn }),
        ...(c.filterPolicy
          ? {
              filterPolicy: JSON.stringify(c.filterPolicy),
              filterPolicyScope: c.filterPolicyScope ?? "MessageAttributes",
            }
          : {}),
        // SNS checks it may send when the subscription is created.
        dependsOn: [policy, deadLetterPolicy],
      });
      consumers.set(c.name, { queue, deadLetterQueue, subscription });
    });
    this.consumers = consumers;
  }

  /** The topic named `name`. */
  topic(name: string): SnsTopic {
    const topic = this.topics.get(name);
    if (!topic) {
      throw new Error(
        `${this.node.path}: no topic "${name}" (have: ${[...this.topics.keys()].join(", ") || "none"})`,
      );
    }
    return topic;
  }

  /** The queues of the consumer named `name`. */
  consumer(name: string): ConsumerQueues {
    const consumer = this.consumers.get(name);
    if (!consumer) {
      throw new Error(
        `${this.node.path}: no consumer "${name}" (have: ${[...this.consumers.keys()].join(", ") || "none"})`,
      );
    }
    return consumer;
  }

  /** Publishing to one topic (and use of the key to encrypt). */
  grantPublish(grantee: IGrantable, topicName: string): void {
    grantee.addToPolicy({
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: this.topic(topicName).arn,
    });
    if (this.kmsKey) this.kmsKey.grantEncryptDecrypt(grantee);
  }

  /** Receiving and deleting from one consumer's queue (and use of the key to decrypt). */
  grantConsume(grantee: IGrantable, consumerName: string): void {
    grantee.addToPolicy({
      Effect: "Allow",
      Action: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
      ],
      Resource: this.consumer(consumerName).queue.arn,
    });
    if (this.kmsKey) this.kmsKey.grantEncryptDecrypt(grantee);
  }

  private validate(props: SnsSqsBusProps): void {
    const where = this.node.path;
    const fail = (message: string): never => {
      throw new Error(`${where}: ${message}`);
    };
    if (props.kmsKey && !props.kmsKey.services.some((s) => s.service === SNS_SERVICE)) {
      fail(
        `kmsKey ${props.kmsKey.aliasName} does not let sns.amazonaws.com use it; add snsKeyAccess(region, topicNames) to its services (without it SNS cannot deliver to encrypted queues and drops messages silently)`,
      );
    }
    const topicNames = new Set<string>();
    props.topics.forEach((t, i) => {
      if (topicNames.has(t.name)) fail(`topics[${i}] "${t.name}" is listed twice`);
      topicNames.add(t.name);
      checkSnsSqsName(`topics[${i}].topicName`, t.topicName, 256, t.fifo ?? false, fail);
    });
    const consumerNames = new Set<string>();
    props.consumers.forEach((c, i) => {
      const path = `consumers[${i}]`;
      if (consumerNames.has(c.name)) fail(`${path} "${c.name}" is listed twice`);
      consumerNames.add(c.name);
      const topic = props.topics.find((t) => t.name === c.topic);
      if (!topic) {
        fail(
          `${path}.topic "${c.topic}" is not a topic of the bus; use one of: ${[...topicNames].join(", ") || "(no topics)"}`,
        );
      }
      const fifo = topic?.fifo ?? false;
      checkSnsSqsName(`${path}.queueName`, c.queueName, 80 - "-dlq".length, fifo, fail, c.topic);
      bound(`${path}.maxReceiveCount`, c.maxReceiveCount, 1, 1000, fail);
      bound(`${path}.visibilityTimeoutSeconds`, c.visibilityTimeoutSeconds, 0, 43_200, fail);
      bound(`${path}.retentionSeconds`, c.retentionSeconds, 60, 1_209_600, fail);
    });
  }
}

/** `<queue>-dlq`, or `<queue>-dlq.fifo` for a FIFO queue. */
export function deadLetterQueueName(queueName: string): string {
  return queueName.endsWith(".fifo")
    ? `${queueName.slice(0, -".fifo".length)}-dlq.fifo`
    : `${queueName}-dlq`;
}

/** Only this topic may send to the queue (`aws:SourceArn`: no other account's topic). */
function allowTopic(queueArn: string, topicArn: string): PolicyStatement {
  return {
    Sid: "AllowTopicOnly",
    Effect: "Allow",
    Principal: { Service: SNS_SERVICE },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
  };
}

function denyInsecureTransport(arn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: arn,
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
}

function bound(
  path: string,
  value: number | undefined,
  min: number,
  max: number,
  fail: (m: string) => never,
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${path} (${value}) must be an integer from ${min} to ${max}`);
  }
}

/** SNS topic and SQS queue names: letters, digits, - and _, `.fifo` exactly when FIFO. */
function checkSnsSqsName(
  path: string,
  name: string,
  maxLength: number,
  fifo: boolean,
  fail: (m: string) => never,
  topic?: string,
): void {
  const isFifoName = name.endsWith(".fifo");
  if (fifo && !isFifoName) {
    fail(
      topic
        ? `${path} "${name}" subscribes to FIFO topic "${topic}" and must be a FIFO queue: end the name in .fifo`
        : `${path} "${name}" is a FIFO topic and must end in .fifo`,
    );
  }
  if (!fifo && isFifoName) {
    fail(
      `${path} "${name}" ends in .fifo but ${topic ? `topic "${topic}"` : "the topic"} is standard; set fifo: true on the topic or drop the suffix`,
    );
  }
  const base = isFifoName ? name.slice(0, -".fifo".length) : name;
  if (!/^[a-zA-Z0-9_-]+$/.test(base) || name.length > maxLength) {
    fail(
      `${path} "${name}" may contain only letters, digits, - and _ (plus .fifo) and be at most ${maxLength} characters`,
    );
  }
}
