import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { PubsubSchema } from "@cdktf/provider-google/lib/pubsub-schema";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { PubsubTopicIamMember } from "@cdktf/provider-google/lib/pubsub-topic-iam-member";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";
import {
  checkKmsKeyName,
  KMS_ENCRYPTER_DECRYPTER,
  PROJECT_NUMBER_RE,
  serviceAgent,
  type GcpPrincipal,
} from "./iam";

/** A message schema enforced on a topic. */
export interface PubsubSchemaSpec {
  readonly type: "AVRO" | "PROTOCOL_BUFFER";
  /** The Avro or proto definition. */
  readonly definition: string;
  /** @default "BINARY" */
  readonly encoding?: "JSON" | "BINARY";
}

/** One topic. */
export interface PubsubTopicSpec {
  /** How long published messages are kept for replay (seek), 600 s–31 days. @default 86400 (1 day) */
  readonly messageRetentionSeconds?: number;
  /** @default - no schema */
  readonly schema?: PubsubSchemaSpec;
}

/** Where a subscription's undeliverable messages go. */
export interface PubsubDeadLetterSpec {
  /** Deliveries before a message is dead-lettered, 5–100. @default 10 */
  readonly maxDeliveryAttempts?: number;
  /**
   * A topic of this bus shared by several subscriptions (it needs a subscription of its own, or
   * dead-lettered messages are dropped). @default - a topic `<subscription>-dlq` with a subscription of the same name
   */
  readonly topic?: string;
}

/** One consumer's subscription. */
export interface PubsubSubscriptionSpec {
  /** Name of a topic of this bus. */
  readonly topic: string;
  /** 10–600 s. @default 60 */
  readonly ackDeadlineSeconds?: number;
  /** Unacked messages kept, 600 s–7 days. @default 604800 (7 days) */
  readonly messageRetentionSeconds?: number;
  /** @default false */
  readonly retainAckedMessages?: boolean;
  /** Redelivery backoff bounds, 0–600 s. @default 10 */
  readonly minimumBackoffSeconds?: number;
  /** @default 600 */
  readonly maximumBackoffSeconds?: number;
  /** @default false */
  readonly exactlyOnceDelivery?: boolean;
  /** Deliver messages with the same ordering key in order. @default false */
  readonly messageOrdering?: boolean;
  /** @see https://cloud.google.com/pubsub/docs/subscription-message-filter @default - every message */
  readonly filter?: string;
  /** `false` turns dead-lettering off. @default - a topic of its own, 10 attempts */
  readonly deadLetter?: PubsubDeadLetterSpec | false;
}

/** Props of {@link PubsubBus}. */
export interface PubsubBusProps {
  readonly project: string;
  /** Topics by physical name. */
  readonly topics: Readonly<Record<string, PubsubTopicSpec>>;
  /** Subscriptions by physical name. @default {} */
  readonly subscriptions?: Readonly<Record<string, PubsubSubscriptionSpec>>;
  /**
   * Project number: the Pub/Sub service agent is granted the dead-letter and key permissions.
   * Required with dead-lettering or a KMS key.
   */
  readonly projectNumber?: string;
  /** CMEK on every topic (crypto key id); the Pub/Sub service agent is granted the key. @default - Google-managed keys */
  readonly kmsKeyName?: string;
}

/** One day of topic retention lets a new or reset consumer replay (seek) a day of events. */
const DEFAULT_TOPIC_RETENTION_SECONDS = 86400;
/** Handlers do I/O (the event store); Pub/Sub's 10 s default redelivers too eagerly. */
const DEFAULT_ACK_DEADLINE_SECONDS = 60;
/** Pub/Sub's maximum: a consumer down for a week loses nothing. */
const DEFAULT_SUBSCRIPTION_RETENTION_SECONDS = 604800;
/** Pub/Sub's own bounds for exponential backoff. */
const DEFAULT_MIN_BACKOFF_SECONDS = 10;
const DEFAULT_MAX_BACKOFF_SECONDS = 600;
/** Twice Pub/Sub's minimum (5): with backoff, a message gets minutes of retries before it is parked. */
const DEFAULT_MAX_DELIVERY_ATTEMPTS = 10;

/**
 * Topics and their consumers' subscriptions: retention, optional schemas and CMEK, retry with
 * exponential backoff, subscriptions that never expire, and dead-lettering that works — the
 * dead-letter topic has a subscription to hold what lands there, and the Pub/Sub service agent is
 * publisher on the dead-letter topic and subscriber on the source subscription (without these
 * grants Pub/Sub silently keeps redelivering). Grants: {@link grantPublish}, {@link grantSubscribe}.
 */
export class PubsubBus extends Construct {
  readonly topics: ReadonlyMap<string, PubsubTopic>;
  readonly subscriptions: ReadonlyMap<string, PubsubSubscription>;
  /** Dead-letter topic of each subscription that has one, by subscription name. */
  readonly deadLetterTopics: ReadonlyMap<string, string>;
  /** The topic each subscription reads, by subscription name (dead-letter holds included). */
  readonly subscriptionTopics: ReadonlyMap<string, string>;
  readonly keyGrant?: KmsCryptoKeyIamMember;
  private readonly project: string;

  constructor(scope: Construct, id: string, props: PubsubBusProps) {
    super(scope, id);
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    this.project = props.project;
    const subs = props.subscriptions ?? {};
    validate(props, subs, fail);

    const agent = props.projectNumber ? serviceAgent(props.projectNumber, "pubsub") : undefined;
    if (props.kmsKeyName && agent) {
      this.keyGrant = new KmsCryptoKeyIamMember(this, "KeyGrant", {
        cryptoKeyId: props.kmsKeyName,
        role: KMS_ENCRYPTER_DECRYPTER,
        member: agent.member,
      });
    }

    const topics = new Map<string, PubsubTopic>();
    const addTopic = (name: string, spec: PubsubTopicSpec) => {
      let schema: PubsubSchema | undefined;
      if (spec.schema) {
        schema = new PubsubSchema(this, `Schema-${name}`, {
          project: props.project,
          name,
          type: spec.schema.type,
          definition: spec.schema.definition,
        });
      }
      topics.set(
        name,
        new PubsubTopic(this, `Topic-${name}`, {
          project: props.project,
          name,
          messageRetentionDuration: `${spec.messageRetentionSeconds ?? DEFAULT_TOPIC_RETENTION_SECONDS}s`,
          ...(props.kmsKeyName ? { kmsKeyName: props.kmsKeyName } : {}),
          ...(schema
            ? { schemaSettings: { schema: schema.id, encoding: spec.schema?.encoding ?? "BINARY" } }
            : {}),
          dependsOn: this.keyGrant ? [this.keyGrant] : undefined,
        }),
      );
    };
    for (const [name, spec] of Object.entries(props.topics)) addTopic(name, spec);

    const subscriptions = new Map<string, PubsubSubscription>();
    const subscriptionTopics = new Map<string, string>();
    const deadLetterTopics = new Map<string, string>();
    const holdSubscriptions: string[] = [];
    for (const [name, spec] of Object.entries(subs)) {
      if (spec.deadLetter === false) continue;
      const shared = spec.deadLetter?.topic;
      const dlq = shared ?? `${name}-dlq`;
      if (!shared) {
        addTopic(dlq, { messageRetentionSeconds: DEFAULT_SUBSCRIPTION_RETENTION_SECONDS });
        holdSubscriptions.push(dlq);
      }
      deadLetterTopics.set(name, dlq);
    }

    const subscription = (
      name: string,
      topicName: string,
      spec: Partial<PubsubSubscriptionSpec>,
    ) => {
      const topic = topics.get(topicName)!;
      subscriptionTopics.set(name, topicName);
      const dlq = deadLetterTopics.get(name);
      const sub = new PubsubSubscription(this, `Subscription-${name}`, {
        project: props.project,
        name,
        topic: topic.id,
        ackDeadlineSeconds: spec.ackDeadlineSeconds ?? DEFAULT_ACK_DEADLINE_SECONDS,
        messageRetentionDuration: `${spec.messageRetentionSeconds ?? DEFAULT_SUBSCRIPTION_RETENTION_SECONDS}s`,
        retainAckedMessages: spec.retainAckedMessages ?? false,
        // An empty ttl means never: Pub/Sub deletes subscriptions idle for 31 days by default.
        expirationPolicy: { ttl: "" },
        retryPolicy: {
          minimumBackoff: `${spec.minimumBackoffSeconds ?? DEFAULT_MIN_BACKOFF_SECONDS}s`,
          maximumBackoff: `${spec.maximumBackoffSeconds ?? DEFAULT_MAX_BACKOFF_SECONDS}s`,
        },
        enableExactlyOnceDelivery: spec.exactlyOnceDelivery ?? false,
        enableMessageOrdering: spec.messageOrdering ?? false,
        ...(spec.filter !== undefined ? { filter: spec.filter } : {}),
        ...(dlq
          ? {
              deadLetterPolicy: {
                deadLetterTopic: topics.get(dlq)!.id,
                maxDeliveryAttempts:
                  (spec.deadLetter || undefined)?.maxDeliveryAttempts ??
                  DEFAULT_MAX_DELIVERY_ATTEMPTS,
              },
            }
          : {}),
      });
      subscriptions.set(name, sub);
      return sub;
    };
    for (const [name, spec] of Object.entries(subs)) {
      const sub = subscription(name, spec.topic, spec);
      const dlq = deadLetterTopics.get(name);
      if (dlq && agent) {
        // The grants dead-lettering needs: publish to the DLQ, and acknowledge on the source.
        new PubsubTopicIamMember(this, `DeadLetterPublisher-${name}`, {
          project: props.project,
          topic: topics.get(dlq)!.name,
          role: "roles/pubsub.publisher",
          member: agent.member,
        });
        new PubsubSubscriptionIamMember(this, `DeadLetterSubscriber-${name}`, {
          project: props.project,
          subscription: sub.name,
          role: "roles/pubsub.subscriber",
          member: agent.member,
        });
      }
    }
    for (const name of holdSubscriptions) {
      subscription(name, name, { ackDeadlineSeconds: 600 });
    }
    this.topics = topics;
    this.subscriptions = subscriptions;
    this.deadLetterTopics = deadLetterTopics;
    this.subscriptionTopics = subscriptionTopics;
  }

  /** Subscriptions that read a dead-letter topic: whatever they hold was parked. */
  get deadLetterSubscriptions(): string[] {
    const dlqs = new Set(this.deadLetterTopics.values());
    return [...this.subscriptionTopics].filter(([, t]) => dlqs.has(t)).map(([s]) => s);
  }

  /** Publish to `topic` (`roles/pubsub.publisher` on that topic only). */
  grantPublish(topic: string, principal: GcpPrincipal): PubsubTopicIamMember {
    const t = this.topics.get(topic);
    if (!t)
      throw new Error(
        `${this.node.path}: grantPublish: no topic "${topic}" (have: ${[...this.topics.keys()].join(", ")})`,
      );
    return new PubsubTopicIamMember(this, `Publish-${topic}-${principal.key}`, {
      project: this.project,
      topic: t.name,
      role: "roles/pubsub.publisher",
      member: principal.member,
    });
  }

  /** Pull from and acknowledge on `subscription` (`roles/pubsub.subscriber` on that subscription only). */
  grantSubscribe(subscription: string, principal: GcpPrincipal): PubsubSubscriptionIamMember {
    const s = this.subscriptions.get(subscription);
    if (!s) {
      throw new Error(
        `${this.node.path}: grantSubscribe: no subscription "${subscription}" (have: ${[...this.subscriptions.keys()].join(", ")})`,
      );
    }
    return new PubsubSubscriptionIamMember(this, `Subscribe-${subscription}-${principal.key}`, {
      project: this.project,
      subscription: s.name,
      role: "roles/pubsub.subscriber",
      member: principal.member,
    });
  }
}

function validate(
  props: PubsubBusProps,
  subs: Readonly<Record<string, PubsubSubscriptionSpec>>,
  fail: (m: string) => never,
): void {
  const topicNames = Object.keys(props.topics);
  const names = [...topicNames, ...Object.keys(subs)];
  for (const name of names) {
    const problem = checkName(name, {
      ...NAME_RULES.gcp,
      minLength: 3,
      maxLength: 251,
      what: "Pub/Sub name",
    });
    if (problem) fail(problem);
  }
  for (const [name, spec] of Object.entries(props.topics)) {
    const r = spec.messageRetentionSeconds;
    if (r !== undefined && (r < 600 || r > 2678400)) {
      fail(
        `topics.${name}.messageRetentionSeconds (${r}) must be between 600 (10 minutes) and 2678400 (31 days)`,
      );
    }
  }
  let deadLettering = false;
  for (const [name, s] of Object.entries(subs)) {
    const at = `subscriptions.${name}`;
    if (!props.topics[s.topic]) {
      fail(
        `${at}.topic "${s.topic}" is not a topic of this bus (topics: ${topicNames.join(", ") || "none"}); add it to topics or fix the name`,
      );
    }
    const ack = s.ackDeadlineSeconds;
    if (ack !== undefined && (ack < 10 || ack > 600)) {
      fail(`${at}.ackDeadlineSeconds (${ack}) must be between 10 and 600 seconds`);
    }
    const r = s.messageRetentionSeconds;
    if (r !== undefined && (r < 600 || r > 604800)) {
      fail(
        `${at}.messageRetentionSeconds (${r}) must be between 600 (10 minutes) and 604800 (7 days)`,
      );
    }
    const min = s.minimumBackoffSeconds ?? DEFAULT_MIN_BACKOFF_SECONDS;
    const max = s.maximumBackoffSeconds ?? DEFAULT_MAX_BACKOFF_SECONDS;
    if (min < 0 || max > 600 || min > max) {
      fail(
        `${at}: minimumBackoffSeconds (${min}) and maximumBackoffSeconds (${max}) must satisfy 0 <= minimum <= maximum <= 600`,
      );
    }
    if (s.deadLetter === false) continue;
    deadLettering = true;
    const attempts = s.deadLetter?.maxDeliveryAttempts;
    if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 5 || attempts > 100)) {
      fail(`${at}.deadLetter.maxDeliveryAttempts (${attempts}) must be between 5 and 100`);
    }
    const shared = s.deadLetter?.topic;
    if (shared !== undefined) {
      if (!props.topics[shared]) {
        fail(
          `${at}.deadLetter.topic "${shared}" is not a topic of this bus (topics: ${topicNames.join(", ")})`,
        );
      }
      if (shared === s.topic)
        fail(`${at}.deadLetter.topic "${shared}" is the topic it consumes; use another topic`);
      if (!Object.values(subs).some((o) => o.topic === shared)) {
        fail(
          `${at}.deadLetter.topic "${shared}" has no subscription, so dead-lettered messages would be dropped; add a subscription on it`,
        );
      }
    } else if (props.topics[`${name}-dlq`] || subs[`${name}-dlq`]) {
      fail(
        `${at}: the name ${name}-dlq is taken; its dead-letter topic and subscription use it. Rename the topic or subscription`,
      );
    }
  }
  if ((deadLettering || props.kmsKeyName) && props.projectNumber === undefined) {
    fail(
      `projectNumber is required ${props.kmsKeyName ? "with kmsKeyName" : "for dead-lettering"}: the Pub/Sub service agent service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com needs the grants`,
    );
  }
  if (props.projectNumber !== undefined && !PROJECT_NUMBER_RE.test(props.projectNumber)) {
    fail(`projectNumber "${props.projectNumber}" must be the project's number (digits only)`);
  }
  if (props.kmsKeyName) {
    const keyProblem = checkKmsKeyName(props.kmsKeyName);
    if (keyProblem) fail(keyProblem);
  }
}
