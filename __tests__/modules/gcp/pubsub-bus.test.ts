import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { PubsubSchema } from "@cdktf/provider-google/lib/pubsub-schema";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { Testing } from "cdktf";
import { serviceAccountPrincipal } from "../../../modules/gcp/iam";
import { PubsubBus, type PubsubBusProps } from "../../../modules/gcp/pubsub-bus";

const props: PubsubBusProps = {
  project: "strata-test",
  projectNumber: "123456789012",
  topics: { events: {} },
  subscriptions: { projector: { topic: "events" } },
};
const AGENT = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
const KEY = "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/pubsub";
type Json = { resource: Record<string, Record<string, Record<string, unknown>>> };
const synth = (p: Partial<PubsubBusProps> = {}, grants = false) =>
  Testing.synthScope((scope) => {
    const bus = new PubsubBus(scope, "Bus", { ...props, ...p });
    if (grants) {
      const app = serviceAccountPrincipal("test-angzarr@strata-test.iam.gserviceaccount.com");
      bus.grantPublish("events", app);
      bus.grantSubscribe("projector", app);
    }
  });
const byName = (out: string, type: string) =>
  Object.fromEntries(
    Object.values((JSON.parse(out) as Json).resource[type] ?? {}).map((r) => [r.name, r]),
  );
const all = (out: string, type: string) =>
  Object.values((JSON.parse(out) as Json).resource[type] ?? {});

describe("PubsubBus defaults", () => {
  test("topics keep a day of messages for replay, Google-managed keys", () => {
    const topic = byName(synth(), "google_pubsub_topic").events;
    expect(topic).toMatchObject({ name: "events", message_retention_duration: "86400s" });
    expect(topic.kms_key_name).toBeUndefined();
    expect(topic.schema_settings).toBeUndefined();
  });

  test("a subscription: 60 s ack deadline, 7 days retention, backoff 10–600 s, never expires", () => {
    expect(synth()).toHaveResourceWithProperties(PubsubSubscription, {
      name: "projector",
      topic: expect.stringMatching(/^\$\{google_pubsub_topic\.Bus_Topic-events_\w+\.id\}$/),
      ack_deadline_seconds: 60,
      message_retention_duration: "604800s",
      retain_acked_messages: false,
      expiration_policy: { ttl: "" },
      retry_policy: { minimum_backoff: "10s", maximum_backoff: "600s" },
      enable_exactly_once_delivery: false,
      enable_message_ordering: false,
    });
    expect(byName(synth(), "google_pubsub_subscription").projector.filter).toBeUndefined();
  });

  test("a dead-letter topic per subscription, 10 attempts, with a subscription holding what lands there", () => {
    const out = synth();
    const subs = byName(out, "google_pubsub_subscription");
    expect(subs.projector.dead_letter_policy).toEqual({
      dead_letter_topic: expect.stringMatching(/Bus_Topic-projector-dlq_\w+\.id\}$/),
      max_delivery_attempts: 10,
    });
    expect(byName(out, "google_pubsub_topic")["projector-dlq"]).toBeDefined();
    expect(subs["projector-dlq"]).toMatchObject({
      topic: expect.stringMatching(/Bus_Topic-projector-dlq_\w+\.id\}$/),
    });
    expect(subs["projector-dlq"].dead_letter_policy).toBeUndefined();
  });

  test("the Pub/Sub service agent publishes to the dead-letter topic and subscribes on the source", () => {
    const out = synth();
    expect(all(out, "google_pubsub_topic_iam_member")).toEqual([
      {
        project: "strata-test",
        topic: expect.stringMatching(/Bus_Topic-projector-dlq_\w+\.name\}$/),
        role: "roles/pubsub.publisher",
        member: AGENT,
      },
    ]);
    expect(all(out, "google_pubsub_subscription_iam_member")).toEqual([
      {
        project: "strata-test",
        subscription: expect.stringMatching(/Bus_Subscription-projector_\w+\.name\}$/),
        role: "roles/pubsub.subscriber",
        member: AGENT,
      },
    ]);
  });
});

describe("PubsubBus options", () => {
  test("retention, ordering, exactly-once, filter, backoff and ack deadline", () => {
    expect(
      synth({
        topics: { events: { messageRetentionSeconds: 604800 } },
        subscriptions: {
          projector: {
            topic: "events",
            ackDeadlineSeconds: 120,
            messageRetentionSeconds: 3600,
            retainAckedMessages: true,
            minimumBackoffSeconds: 1,
            maximumBackoffSeconds: 60,
            exactlyOnceDelivery: true,
            messageOrdering: true,
            filter: 'attributes.kind = "order"',
            deadLetter: { maxDeliveryAttempts: 25 },
          },
        },
      }),
    ).toHaveResourceWithProperties(PubsubSubscription, {
      name: "projector",
      ack_deadline_seconds: 120,
      message_retention_duration: "3600s",
      retain_acked_messages: true,
      retry_policy: { minimum_backoff: "1s", maximum_backoff: "60s" },
      enable_exactly_once_delivery: true,
      enable_message_ordering: true,
      filter: 'attributes.kind = "order"',
      dead_letter_policy: expect.objectContaining({ max_delivery_attempts: 25 }),
    });
  });

  test("deadLetter: false: no dead-letter topic, no agent grants, no project number needed", () => {
    const out = synth({
      projectNumber: undefined,
      subscriptions: { projector: { topic: "events", deadLetter: false } },
    });
    expect(Object.keys(byName(out, "google_pubsub_topic"))).toEqual(["events"]);
    expect(byName(out, "google_pubsub_subscription").projector.dead_letter_policy).toBeUndefined();
    expect(all(out, "google_pubsub_topic_iam_member")).toEqual([]);
  });

  test("a shared dead-letter topic", () => {
    const out = synth({
      topics: { events: {}, parked: {} },
      subscriptions: {
        projector: { topic: "events", deadLetter: { topic: "parked" } },
        backend: { topic: "events", deadLetter: { topic: "parked" } },
        "parked-audit": { topic: "parked", deadLetter: false },
      },
    });
    const subs = byName(out, "google_pubsub_subscription");
    for (const s of ["projector", "backend"]) {
      expect(subs[s].dead_letter_policy).toMatchObject({
        dead_letter_topic: expect.stringMatching(/Bus_Topic-parked_\w+\.id\}$/),
      });
    }
    expect(Object.keys(byName(out, "google_pubsub_topic")).sort()).toEqual(["events", "parked"]);
    expect(all(out, "google_pubsub_topic_iam_member")).toHaveLength(2);
  });

  test("CMEK on every topic, the Pub/Sub service agent granted the key first", () => {
    const out = synth({ kmsKeyName: KEY });
    const topics = all(out, "google_pubsub_topic");
    expect(topics).toHaveLength(2);
    for (const t of topics) {
      expect(t).toMatchObject({
        kms_key_name: KEY,
        depends_on: [expect.stringMatching(/^google_kms_crypto_key_iam_member\.Bus_KeyGrant_/)],
      });
    }
    expect(out).toHaveResourceWithProperties(KmsCryptoKeyIamMember, {
      crypto_key_id: KEY,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: AGENT,
    });
  });

  test("a schema on a topic", () => {
    const out = synth({
      topics: { events: { schema: { type: "AVRO", definition: '{"type":"string"}' } } },
    });
    expect(out).toHaveResourceWithProperties(PubsubSchema, { name: "events", type: "AVRO" });
    expect(out).toHaveResourceWithProperties(PubsubTopic, {
      name: "events",
      schema_settings: {
        schema: expect.stringMatching(/Bus_Schema-events_\w+\.id\}$/),
        encoding: "BINARY",
      },
    });
  });

  test("grants: publisher on its topic, subscriber on its subscription, nothing project-wide", () => {
    const out = synth({}, true);
    const member = "serviceAccount:test-angzarr@strata-test.iam.gserviceaccount.com";
    expect(all(out, "google_pubsub_topic_iam_member")).toContainEqual({
      project: "strata-test",
      topic: expect.stringMatching(/Bus_Topic-events_\w+\.name\}$/),
      role: "roles/pubsub.publisher",
      member,
    });
    expect(all(out, "google_pubsub_subscription_iam_member")).toContainEqual({
      project: "strata-test",
      subscription: expect.stringMatching(/Bus_Subscription-projector_\w+\.name\}$/),
      role: "roles/pubsub.subscriber",
      member,
    });
    expect(all(out, "google_project_iam_member")).toEqual([]);
  });
});

describe("PubsubBus validation", () => {
  const sub = (s: object) => synth({ subscriptions: { projector: { topic: "events", ...s } } });
  test("a subscription to an unknown topic", () => {
    expect(() => sub({ topic: "evnts" })).toThrow(
      /subscriptions\.projector\.topic "evnts" is not a topic of this bus \(topics: events\)/,
    );
  });
  test("max delivery attempts outside 5–100", () => {
    expect(() => sub({ deadLetter: { maxDeliveryAttempts: 4 } })).toThrow(
      /maxDeliveryAttempts \(4\) must be between 5 and 100/,
    );
    expect(() => sub({ deadLetter: { maxDeliveryAttempts: 101 } })).toThrow(/between 5 and 100/);
  });
  test("ack deadline outside 10–600 s", () => {
    expect(() => sub({ ackDeadlineSeconds: 5 })).toThrow(
      /ackDeadlineSeconds \(5\) must be between 10 and 600 seconds/,
    );
    expect(() => sub({ ackDeadlineSeconds: 601 })).toThrow(/between 10 and 600/);
  });
  test("retention and backoff bounds", () => {
    expect(() => sub({ messageRetentionSeconds: 60 })).toThrow(/between 600 .* and 604800/);
    expect(() => sub({ minimumBackoffSeconds: 100, maximumBackoffSeconds: 50 })).toThrow(
      /0 <= minimum <= maximum <= 600/,
    );
    expect(() => synth({ topics: { events: { messageRetentionSeconds: 1 } } })).toThrow(
      /topics\.events\.messageRetentionSeconds \(1\)/,
    );
  });
  test("dead-lettering without a project number", () => {
    expect(() => synth({ projectNumber: undefined })).toThrow(
      /projectNumber is required for dead-lettering/,
    );
  });
  test("a shared dead-letter topic that is unknown, the source itself, or has no subscription", () => {
    expect(() => sub({ deadLetter: { topic: "nope" } })).toThrow(
      /deadLetter\.topic "nope" is not a topic/,
    );
    expect(() => sub({ deadLetter: { topic: "events" } })).toThrow(/is the topic it consumes/);
    expect(() =>
      synth({
        topics: { events: {}, parked: {} },
        subscriptions: { projector: { topic: "events", deadLetter: { topic: "parked" } } },
      }),
    ).toThrow(/"parked" has no subscription, so dead-lettered messages would be dropped/);
  });
  test("a grant on an unknown topic or subscription", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new PubsubBus(scope, "Bus", props).grantPublish("nope", {
          member: "user:a@b.c",
          key: "a",
        });
      }),
    ).toThrow(/grantPublish: no topic "nope"/);
  });
});
