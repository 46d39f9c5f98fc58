import { App } from "cdktf";
import {
  gcpSubscriptionName,
  gcpTopicName,
  GcpMessagingStack,
} from "../../../stacks/gcp/messaging";
import { resourcesOf, synthJson } from "../../support/synth";
import { gcpEnv } from "./support";

function synth(...args: Parameters<typeof gcpEnv>) {
  const env = gcpEnv(...args);
  return synthJson(
    new GcpMessagingStack(new App(), "test-gcp-messaging", { env, target: env.targets.gcp! }),
  );
}
const AGENT = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";

describe("GcpMessagingStack", () => {
  test("topics and subscriptions named <env>-<name>", () => {
    const tf = synth();
    expect(gcpTopicName("test", "events")).toBe("test-events");
    expect(
      resourcesOf(tf, "google_pubsub_topic")
        .map((t) => t.name)
        .sort(),
    ).toEqual(["test-backend-dlq", "test-events", "test-projector-dlq"]);
    expect(
      resourcesOf(tf, "google_pubsub_subscription")
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      gcpSubscriptionName("test", "backend"),
      "test-backend-dlq",
      "test-projector",
      "test-projector-dlq",
    ]);
  });

  test("the dead-letter grants exist for every consumer", () => {
    const tf = synth();
    const agentTopics = resourcesOf(tf, "google_pubsub_topic_iam_member").filter(
      (g) => g.member === AGENT,
    );
    expect(agentTopics.map((g) => [g.role, g.topic])).toEqual([
      ["roles/pubsub.publisher", expect.stringMatching(/Bus_Topic-test-backend-dlq_\w+\.name\}$/)],
      [
        "roles/pubsub.publisher",
        expect.stringMatching(/Bus_Topic-test-projector-dlq_\w+\.name\}$/),
      ],
    ]);
    const agentSubs = resourcesOf(tf, "google_pubsub_subscription_iam_member").filter(
      (g) => g.member === AGENT,
    );
    expect(agentSubs.map((g) => [g.role, g.subscription])).toEqual([
      [
        "roles/pubsub.subscriber",
        expect.stringMatching(/Bus_Subscription-test-backend_\w+\.name\}$/),
      ],
      [
        "roles/pubsub.subscriber",
        expect.stringMatching(/Bus_Subscription-test-projector_\w+\.name\}$/),
      ],
    ]);
  });

  test("IAM binds each application to its topics and subscriptions only", () => {
    const tf = synth();
    const apps = (type: string, field: string) =>
      resourcesOf(tf, type)
        .filter((g) => g.member !== AGENT)
        .map((g) => [g.member, g.role, g[field]]);
    expect(apps("google_pubsub_topic_iam_member", "topic")).toEqual([
      [
        "serviceAccount:test-angzarr@strata-test.iam.gserviceaccount.com",
        "roles/pubsub.publisher",
        expect.stringMatching(/Bus_Topic-test-events_\w+\.name\}$/),
      ],
    ]);
    expect(apps("google_pubsub_subscription_iam_member", "subscription")).toEqual([
      [
        "serviceAccount:test-backend@strata-test.iam.gserviceaccount.com",
        "roles/pubsub.subscriber",
        expect.stringMatching(/Bus_Subscription-test-backend_\w+\.name\}$/),
      ],
      [
        "serviceAccount:test-angzarr@strata-test.iam.gserviceaccount.com",
        "roles/pubsub.subscriber",
        expect.stringMatching(/Bus_Subscription-test-projector_\w+\.name\}$/),
      ],
    ]);
  });

  test("a shared dead-letter topic is the configured topic, renamed like the others", () => {
    const tf = synth(
      {},
      {
        pubsub: {
          topics: { events: {}, parked: {} },
          subscriptions: {
            projector: { topic: "events", deadLetter: { topic: "parked" } },
            audit: { topic: "parked", deadLetter: false },
          },
        },
        workloadIdentities: [],
      },
    );
    const projector = resourcesOf(tf, "google_pubsub_subscription").find(
      (s) => s.name === "test-projector",
    );
    expect(projector?.dead_letter_policy).toMatchObject({
      dead_letter_topic: expect.stringMatching(/Bus_Topic-test-parked_\w+\.id\}$/),
    });
  });

  test("customer-managed keys: the network stack's pubsub key on every topic", () => {
    const tf = synth({ customerManagedKeys: true });
    const key =
      "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/pubsub";
    for (const t of resourcesOf(tf, "google_pubsub_topic")) expect(t.kms_key_name).toBe(key);
    expect(resourcesOf(tf, "google_kms_crypto_key_iam_member")).toEqual([
      { crypto_key_id: key, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: AGENT },
    ]);
  });
});
