import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { RoleInlinePolicy, type PolicyStatement } from "../../../modules/aws/iam-policy";
import { KmsKey } from "../../../modules/aws/kms-key";
import {
  deadLetterQueueName,
  snsKeyAccess,
  SnsSqsBus,
  type BusConsumer,
  type SnsSqsBusProps,
} from "../../../modules/aws/sns-sqs-bus";

type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };

const consumer: BusConsumer = { name: "backend", topic: "events", queueName: "t-backend" };
const props: SnsSqsBusProps = {
  topics: [{ name: "events", topicName: "t-events" }],
  consumers: [consumer],
};
const synth = (p: Partial<SnsSqsBusProps> = {}, withKey = false) =>
  Testing.synthScope((scope) => {
    const kmsKey = withKey ? busKey(scope) : undefined;
    new SnsSqsBus(scope, "Bus", { ...props, ...(kmsKey ? { kmsKey } : {}), ...p });
  });
const busKey = (scope: Construct) =>
  new KmsKey(scope, "Key", {
    alias: "t-bus",
    description: "t",
    services: [snsKeyAccess("eu-west-1", ["t-events"])],
  });
const all = (out: string, type: string) =>
  Object.values((JSON.parse(out) as Tf).resource[type] ?? {});
const queue = (out: string, name: string) =>
  all(out, "aws_sqs_queue").find((q) => q.name === name)!;

describe("SnsSqsBus defaults", () => {
  test("a standard topic encrypted with the AWS-managed SNS key", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(SnsTopic, {
      name: "t-events",
      kms_master_key_id: "alias/aws/sns",
    });
    expect(all(out, "aws_sns_topic")[0]).not.toHaveProperty("fifo_topic");
  });

  test("a queue per consumer with SSE-SQS, default retention and visibility, long polling", () => {
    const out = synth();
    expect(queue(out, "t-backend")).toMatchObject({
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 345600,
      visibility_timeout_seconds: 30,
      receive_wait_time_seconds: 20,
    });
    expect(queue(out, "t-backend")).not.toHaveProperty("kms_master_key_id");
  });

  test("a dead-letter queue with a redrive policy (5 receives) and a redrive-allow policy naming its source", () => {
    const out = synth();
    expect(queue(out, "t-backend-dlq")).toMatchObject({
      message_retention_seconds: 1209600,
      sqs_managed_sse_enabled: true,
    });
    const redrive = JSON.parse(String(queue(out, "t-backend").redrive_policy));
    expect(redrive).toEqual({
      deadLetterTargetArn: expect.stringMatching(
        /aws_sqs_queue\.Bus_DeadLetterQueue-backend.*\.arn/,
      ),
      maxReceiveCount: 5,
    });
    expect(out).toHaveResourceWithProperties(SqsQueueRedriveAllowPolicy, {
      queue_url: expect.stringMatching(/aws_sqs_queue\.Bus_DeadLetterQueue-backend.*\.url/),
    });
    const allow = JSON.parse(
      String(all(out, "aws_sqs_queue_redrive_allow_policy")[0].redrive_allow_policy),
    );
    expect(allow).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [expect.stringMatching(/aws_sqs_queue\.Bus_Queue-backend.*\.arn/)],
    });
  });

  test.each([
    ["queue", /aws_sqs_queue\.Bus_Queue-backend_[^.]*\.(arn|url)/],
    ["dead-letter queue", /aws_sqs_queue\.Bus_DeadLetterQueue-backend_[^.]*\.(arn|url)/],
  ])("the %s policy lets only its topic send, over TLS only", (_what, queue) => {
    const out = synth();
    const policies = all(out, "aws_sqs_queue_policy").filter((p) =>
      queue.test(String(p.queue_url)),
    );
    expect(policies).toHaveLength(1);
    expect(JSON.parse(String(policies[0].policy)).Statement).toEqual([
      {
        Sid: "AllowTopicOnly",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: expect.stringMatching(queue),
        Condition: {
          ArnEquals: {
            "aws:SourceArn": expect.stringMatching(/aws_sns_topic\.Bus_Topic-events.*\.arn/),
          },
        },
      },
      expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }),
    ]);
  });

  test("an SQS subscription with raw delivery and its own dead-letter queue, after both queue policies, no filter", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "sqs",
      raw_message_delivery: true,
      endpoint: expect.stringMatching(/aws_sqs_queue\.Bus_Queue-backend.*\.arn/),
      depends_on: [
        expect.stringMatching(/^aws_sqs_queue_policy\.Bus_QueuePolicy-backend/),
        expect.stringMatching(/^aws_sqs_queue_policy\.Bus_DeadLetterQueuePolicy-backend/),
      ],
    });
    const redrive = JSON.parse(String(all(out, "aws_sns_topic_subscription")[0].redrive_policy));
    expect(redrive).toEqual({
      deadLetterTargetArn: expect.stringMatching(
        /^\$\{aws_sqs_queue\.Bus_DeadLetterQueue-backend_[^.]*\.arn\}$/,
      ),
    });
    expect(all(out, "aws_sns_topic_subscription")[0]).not.toHaveProperty("filter_policy");
  });
});

describe("SnsSqsBus options", () => {
  test("FIFO topics get content-based deduplication and FIFO queues (and FIFO DLQs)", () => {
    const out = synth({
      topics: [{ name: "events", topicName: "t-events.fifo", fifo: true }],
      consumers: [{ ...consumer, queueName: "t-backend.fifo" }],
    });
    expect(out).toHaveResourceWithProperties(SnsTopic, {
      name: "t-events.fifo",
      fifo_topic: true,
      content_based_deduplication: true,
    });
    expect(out).toHaveResourceWithProperties(SqsQueue, {
      name: "t-backend.fifo",
      fifo_queue: true,
    });
    expect(out).toHaveResourceWithProperties(SqsQueue, {
      name: "t-backend-dlq.fifo",
      fifo_queue: true,
    });
    expect(deadLetterQueueName("x.fifo")).toBe("x-dlq.fifo");
  });

  test("a filter policy, and consumer retention, visibility and receive count", () => {
    const out = synth({
      consumers: [
        {
          ...consumer,
          filterPolicy: { type: ["OrderPlaced"] },
          filterPolicyScope: "MessageBody",
          maxReceiveCount: 10,
          visibilityTimeoutSeconds: 300,
          retentionSeconds: 86400,
        },
      ],
    });
    expect(out).toHaveResourceWithProperties(SnsTopicSubscription, {
      filter_policy: JSON.stringify({ type: ["OrderPlaced"] }),
      filter_policy_scope: "MessageBody",
    });
    expect(queue(out, "t-backend")).toMatchObject({
      visibility_timeout_seconds: 300,
      message_retention_seconds: 86400,
    });
    expect(JSON.parse(String(queue(out, "t-backend").redrive_policy)).maxReceiveCount).toBe(10);
  });

  test("a customer-managed key encrypts topics and queues", () => {
    const out = synth({}, true);
    expect(out).toHaveResourceWithProperties(SnsTopic, {
      kms_master_key_id: expect.stringMatching(/aws_kms_key\.Key_.*\.arn/),
    });
    for (const name of ["t-backend", "t-backend-dlq"]) {
      expect(queue(out, name)).toMatchObject({
        kms_master_key_id: expect.stringMatching(/aws_kms_key\.Key_.*\.arn/),
        kms_data_key_reuse_period_seconds: 300,
      });
      expect(queue(out, name)).not.toHaveProperty("sqs_managed_sse_enabled");
    }
  });
});

describe("SnsSqsBus grants", () => {
  const granted = (withKey: boolean, grant: (bus: SnsSqsBus, p: RoleInlinePolicy) => void) => {
    let statements: readonly PolicyStatement[] = [];
    Testing.synthScope((scope) => {
      const kmsKey = withKey ? busKey(scope) : undefined;
      const bus = new SnsSqsBus(scope, "Bus", { ...props, ...(kmsKey ? { kmsKey } : {}) });
      const policy = new RoleInlinePolicy(scope, "Grant", { roleName: "r", policyName: "p" });
      grant(bus, policy);
      statements = policy.policyStatements;
    });
    return statements;
  };

  test("publish: sns:Publish on that topic only; no KMS statement without a CMK", () => {
    const statements = granted(false, (bus, p) => bus.grantPublish(p, "events"));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Action: "sns:Publish" });
  });

  test("consume with a CMK: receive/delete on that queue, decrypt with the key (once)", () => {
    const statements = granted(true, (bus, p) => {
      bus.grantConsume(p, "backend");
      bus.grantPublish(p, "events");
    });
    expect(statements[0].Action).toEqual(
      expect.arrayContaining(["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
    );
    expect(statements.filter((s) => JSON.stringify(s.Action).includes("kms:Decrypt"))).toHaveLength(
      1,
    );
  });

  test("a grant on an unknown topic or consumer", () => {
    expect(() => granted(false, (bus, p) => bus.grantPublish(p, "orders"))).toThrow(
      /no topic "orders" \(have: events\)/,
    );
    expect(() => granted(false, (bus, p) => bus.grantConsume(p, "billing"))).toThrow(
      /no consumer "billing" \(have: backend\)/,
    );
  });
});

describe("SnsSqsBus validation", () => {
  test("a FIFO topic with a non-FIFO queue name", () => {
    expect(() =>
      synth({ topics: [{ name: "events", topicName: "t-events.fifo", fifo: true }] }),
    ).toThrow(
      /consumers\[0\]\.queueName "t-backend" subscribes to FIFO topic "events" and must be a FIFO queue: end the name in \.fifo/,
    );
  });
  test("a FIFO topic without .fifo, a standard queue with .fifo", () => {
    expect(() =>
      synth({ topics: [{ name: "events", topicName: "t-events", fifo: true }] }),
    ).toThrow(/is a FIFO topic and must end in \.fifo/);
    expect(() => synth({ consumers: [{ ...consumer, queueName: "t-backend.fifo" }] })).toThrow(
      /ends in \.fifo but topic "events" is standard/,
    );
  });
  test.each([
    ["maxReceiveCount", 0, /maxReceiveCount \(0\) must be an integer from 1 to 1000/],
    ["maxReceiveCount", 1001, /maxReceiveCount \(1001\) must be an integer from 1 to 1000/],
    [
      "visibilityTimeoutSeconds",
      43201,
      /visibilityTimeoutSeconds \(43201\) must be an integer from 0 to 43200/,
    ],
    ["retentionSeconds", 59, /retentionSeconds \(59\) must be an integer from 60 to 1209600/],
    [
      "retentionSeconds",
      1209601,
      /retentionSeconds \(1209601\) must be an integer from 60 to 1209600/,
    ],
  ])("%s %d out of range", (field, value, message) => {
    expect(() => synth({ consumers: [{ ...consumer, [field]: value }] })).toThrow(message);
  });
  test("a subscription to an unknown topic", () => {
    expect(() => synth({ consumers: [{ ...consumer, topic: "orders" }] })).toThrow(
      /consumers\[0\]\.topic "orders" is not a topic of the bus; use one of: events/,
    );
  });
  test("a customer-managed key whose policy does not let SNS use it", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const kmsKey = new KmsKey(scope, "Key", { alias: "t-bus", description: "t" });
        new SnsSqsBus(scope, "Bus", { ...props, kmsKey });
      }),
    ).toThrow(/kmsKey alias\/t-bus does not let sns\.amazonaws\.com use it; add snsKeyAccess/);
  });
  test("duplicate topics and consumers", () => {
    expect(() => synth({ consumers: [consumer, consumer] })).toThrow(
      /consumers\[1\] "backend" is listed twice/,
    );
    expect(() => synth({ topics: [props.topics[0], props.topics[0]] })).toThrow(
      /topics\[1\] "events" is listed twice/,
    );
  });
});
