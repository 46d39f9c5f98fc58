/** Nothing idle, nothing over-granted (environments/schema/usage.ts), through validateEnvironment. */
import type { EnvironmentInput } from "../../environments/schema";
import { envInput, NATIVE_TARGETS, problems } from "../support/env";

const core = {
  image: { repository: "ghcr.io/x/core", tag: "1.0.0" },
  eventStore: { gcp: "bigtable", aws: "dynamodb" },
  bus: { gcp: "pubsub", aws: "sns-sqs" },
} as const;

/** GCP and AWS with a cluster, store and bus, and `core` using both on each. */
function env(overrides: {
  gcp?: Record<string, unknown>;
  aws?: Record<string, unknown>;
  apps?: Record<string, unknown>;
}): EnvironmentInput {
  return envInput({
    targets: {
      gcp: { ...NATIVE_TARGETS.gcp, ...overrides.gcp },
      aws: { ...NATIVE_TARGETS.aws, ...overrides.aws },
    },
    workloads: { apps: (overrides.apps ?? { core }) as never },
  } as Partial<EnvironmentInput>);
}

describe("every cloud resource has a user", () => {
  test("an app using its store and bus on each cloud: no problem", () => {
    expect(problems(env({}))).toEqual([]);
  });

  test("an identity for an app that does not run on that cloud", () => {
    const out = problems(
      env({
        gcp: {
          workloadIdentities: [
            { app: "core", eventStore: "read-write", publishes: ["events"], subscribes: ["core"] },
            { app: "ghost", publishes: ["events"] },
          ],
        },
      }),
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.workloadIdentities\[1\]\.app: workload identity "ghost": no app "ghost" runs on gcp .*remove it \(least privilege\)$/,
      ),
    ]);
  });

  test("grants the app does not use on that cloud: its bus is Kafka, its store none", () => {
    const apps = {
      core,
      web: { image: { repository: "ghcr.io/x/web", tag: "1" }, bus: "kafka" },
    };
    const out = problems({
      ...env({
        apps,
        aws: {
          workloadIdentities: [
            { app: "core", eventStore: "read-write", publishes: ["events"], consumes: ["core"] },
            { app: "web", eventStore: "read", consumes: ["core"] },
          ],
        },
      }),
      workloads: {
        buses: { kafka: { clouds: ["aws"] } },
        images: { bitnami: { registry: "docker.io", namespace: "bitnamilegacy" } },
        apps,
      },
    });
    expect(out).toEqual([
      expect.stringMatching(
        /targets\.aws\.workloadIdentities\[1\]\.eventStore: .* but app "web" uses no event store on aws; remove eventStore/,
      ),
      expect.stringMatching(
        /targets\.aws\.workloadIdentities\[1\]\.consumes: .* but app "web" uses kafka on aws; remove those grants/,
      ),
    ]);
  });

  test("a subscription and a queue nobody reads", () => {
    const out = problems(
      env({
        gcp: {
          pubsub: {
            topics: { events: {} },
            subscriptions: { core: { topic: "events" }, audit: { topic: "events" } },
          },
        },
        aws: {
          messaging: {
            topics: [{ name: "events" }],
            consumers: [
              { name: "core", topic: "events" },
              { name: "audit", topic: "events" },
            ],
          },
        },
      }),
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.pubsub\.subscriptions\.audit: subscription "audit": no app reads it/,
      ),
      expect.stringMatching(
        /^test\.targets\.aws\.messaging\.consumers\[1\]: consumer queue "audit": no app reads it/,
      ),
    ]);
  });

  test("a store and bus no app uses, unless the config says why", () => {
    const unused = env({
      apps: {},
      gcp: { workloadIdentities: [] },
      aws: { workloadIdentities: [] },
    });
    expect(problems(unused).map((p) => p.split(":")[0])).toEqual([
      "test.targets.gcp.eventStore",
      "test.targets.gcp.pubsub",
      "test.targets.aws.eventStore",
      "test.targets.aws.messaging",
    ]);
    const reason = "read by the data team's Dataflow job";
    const explained = env({
      apps: {},
      gcp: {
        workloadIdentities: [],
        eventStore: { instanceId: "test-events", nodes: 1, reason },
        pubsub: { reason, topics: { events: {} }, subscriptions: { core: { topic: "events" } } },
      },
      aws: {
        workloadIdentities: [],
        eventStore: { reason },
        messaging: {
          reason,
          topics: [{ name: "events" }],
          consumers: [{ name: "core", topic: "events" }],
        },
      },
    });
    expect(problems(explained)).toEqual([]);
  });

  test("a reason that says nothing", () => {
    const out = problems(
      env({ gcp: { eventStore: { instanceId: "test-events", nodes: 1, reason: "x" } } }),
    );
    expect(out).toEqual([
      expect.stringMatching(/^test\.targets\.gcp\.eventStore\.reason: reason must say why/),
    ]);
  });
});
