import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import type { GcpTargetInput } from "../../environments/schema/gcp";
import { envInput, problems } from "../support/env";

/** A dev environment whose GCP target is `gcp` on top of a valid minimal one. */
function withGcp(gcp: Partial<GcpTargetInput>, overrides: Partial<EnvironmentInput> = {}) {
  return envInput({
    targets: { gcp: { project: "strata-test", region: "europe-west1", ...gcp } },
    ...overrides,
  });
}

const FULL: Partial<GcpTargetInput> = {
  projectNumber: "123456789012",
  cluster: {},
  eventStore: { instanceId: "test-events" },
  pubsub: { topics: { events: {} }, subscriptions: { projector: { topic: "events" } } },
  workloadIdentities: [
    { app: "angzarr", eventStore: "read-write", publishes: ["events"], subscribes: ["projector"] },
  ],
};

describe("GCP target defaults", () => {
  test("cluster, event store, bus and identities resolve their defaults", () => {
    const gcp = EnvironmentSchema.parse(withGcp(FULL)).targets.gcp!;
    expect(gcp.cluster).toMatchObject({
      regional: false,
      releaseChannel: "REGULAR",
      controlPlaneCidr: "172.16.0.0/28",
      privateEndpoint: false,
      authorizedNetworks: [],
      dataplaneV2: true,
      secretsEncryption: false,
      nodePools: [{ name: "default", minNodes: 1, maxNodes: 3, machineType: "e2-standard-4" }],
    });
    expect(gcp.eventStore).toMatchObject({
      zones: ["europe-west1-a"],
      storageType: "SSD",
      autoscaling: { minNodes: 1, maxNodes: 3, cpuTarget: 60 },
      tables: {
        events: { columnFamilies: ["e"], gc: {} },
        positions: { columnFamilies: ["p"], gc: { p: { maxVersions: 1 } } },
        snapshots: { columnFamilies: ["s"], gc: { s: { maxVersions: 3 } } },
      },
      appProfileId: "applications",
    });
    expect(gcp.pubsub?.subscriptions.projector).toMatchObject({
      ackDeadlineSeconds: 60,
      deadLetter: { maxDeliveryAttempts: 10 },
    });
    expect(gcp.workloadIdentities).toEqual([
      {
        app: "angzarr",
        kubernetesServiceAccount: "angzarr",
        eventStore: "read-write",
        publishes: ["events"],
        subscribes: ["projector"],
      },
    ]);
  });

  test("prod tier: regional cluster, secrets encryption, replicated event store", () => {
    const gcp = EnvironmentSchema.parse(
      withGcp(FULL, { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } }),
    ).targets.gcp!;
    expect(gcp.cluster).toMatchObject({ regional: true, secretsEncryption: true });
    expect(gcp.eventStore?.zones).toEqual(["europe-west1-a", "europe-west1-b", "europe-west1-c"]);
  });

  test("fixed nodes replace autoscaling", () => {
    const gcp = EnvironmentSchema.parse(
      withGcp({ eventStore: { instanceId: "test-events", nodes: 2 } }),
    ).targets.gcp!;
    expect(gcp.eventStore?.autoscaling).toBeUndefined();
  });

  test("a resolved environment with every GCP section resolves to itself", () => {
    const once = EnvironmentSchema.parse(
      withGcp(FULL, { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } }),
    );
    expect(EnvironmentSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe("GCP target bad input", () => {
  test("Bigtable instance ids outside 6–33 characters or with bad characters", () => {
    expect(problems(withGcp({ eventStore: { instanceId: "evts" } }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.eventStore\.instanceId: Bigtable instance id "evts" is 4 characters; it must be 6–33/,
      ),
    ]);
    expect(problems(withGcp({ eventStore: { instanceId: "Angzarr_Events" } }))).toEqual([
      expect.stringMatching(/instanceId: Bigtable instance id "Angzarr_Events" may contain only/),
    ]);
  });

  test("a GC rule for an undefined column family", () => {
    const raw = withGcp({
      eventStore: {
        instanceId: "test-events",
        tables: { events: { columnFamilies: ["e"], gc: { x: { maxVersions: 1 } } } },
      },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.eventStore\.tables\.events\.gc\.x: GC rule for column family "x", which table events does not define/,
      ),
    ]);
  });

  test("autoscaling min > max and CPU target outside 10–80", () => {
    const raw = withGcp({
      eventStore: {
        instanceId: "test-events",
        autoscaling: { minNodes: 5, maxNodes: 2, cpuTarget: 95 },
      },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /autoscaling\.minNodes: autoscaling\.minNodes \(5\) must be <= autoscaling\.maxNodes \(2\)/,
      ),
      expect.stringMatching(
        /autoscaling\.cpuTarget: autoscaling\.cpuTarget \(95\) must be between 10 and 80/,
      ),
    ]);
  });

  test("an event store zone outside the region", () => {
    expect(
      problems(withGcp({ eventStore: { instanceId: "test-events", zones: ["us-east1-b"] } })),
    ).toEqual([
      "test.targets.gcp.eventStore.zones[0]: zone us-east1-b is not in region europe-west1; use europe-west1-a, europe-west1-b, …",
    ]);
  });

  test("a subscription to an unknown topic", () => {
    const raw = withGcp({
      projectNumber: "123456789012",
      pubsub: { topics: { events: {} }, subscriptions: { projector: { topic: "evnts" } } },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.pubsub\.subscriptions\.projector\.topic: subscription projector reads unknown topic "evnts" \(topics: events\)/,
      ),
    ]);
  });

  test("max delivery attempts outside 5–100 and ack deadline outside 10–600 s", () => {
    const raw = withGcp({
      projectNumber: "123456789012",
      pubsub: {
        topics: { events: {} },
        subscriptions: {
          projector: {
            topic: "events",
            ackDeadlineSeconds: 700,
            deadLetter: { maxDeliveryAttempts: 3 },
          },
        },
      },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /projector\.ackDeadlineSeconds: ackDeadlineSeconds \(700\) must be between 10 and 600 seconds/,
      ),
      expect.stringMatching(
        /projector\.deadLetter\.maxDeliveryAttempts: maxDeliveryAttempts \(3\) must be between 5 and 100/,
      ),
    ]);
  });

  test("node pool min > max and an authorized network that is not a CIDR", () => {
    const raw = withGcp({
      cluster: {
        nodePools: [{ name: "general", minNodes: 4, maxNodes: 2 }],
        authorizedNetworks: [{ cidr: "office", name: "office" }],
      },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(/cluster\.authorizedNetworks\[0\]\.cidr: "office" is not an IPv4 CIDR/),
      expect.stringMatching(
        /cluster\.nodePools\[0\]\.minNodes: minNodes \(4\) must be <= maxNodes \(2\)/,
      ),
    ]);
  });

  test("a control-plane range that is not a /28 or overlaps the subnet", () => {
    expect(problems(withGcp({ cluster: { controlPlaneCidr: "10.10.0.0/28" } }))).toEqual([
      expect.stringMatching(
        /controlPlaneCidr: controlPlaneCidr 10\.10\.0\.0\/28 overlaps network\.subnetCidr/,
      ),
    ]);
    expect(problems(withGcp({ cluster: { controlPlaneCidr: "172.16.0.0/24" } }))).toEqual([
      expect.stringMatching(/must be a \/28/),
    ]);
  });

  test("projectNumber missing for dead-lettering and for customer-managed keys", () => {
    const bus = { topics: { events: {} }, subscriptions: { projector: { topic: "events" } } };
    expect(problems(withGcp({ pubsub: bus }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.projectNumber: projectNumber is required for dead-lettering/,
      ),
    ]);
    expect(problems(withGcp({ cluster: {} }, { customerManagedKeys: true }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.projectNumber: projectNumber is required with customer-managed keys: the service agents of cluster/,
      ),
    ]);
    expect(problems(withGcp({ projectNumber: "angzarr-prod" }))).toEqual([
      expect.stringMatching(
        /projectNumber "angzarr-prod" must be the project's number, digits only/,
      ),
    ]);
  });

  test("secrets encryption without customer-managed keys", () => {
    expect(problems(withGcp({ cluster: { secretsEncryption: true } }))).toEqual([
      expect.stringMatching(
        /cluster\.secretsEncryption: secretsEncryption uses the gke-secrets key/,
      ),
    ]);
  });

  test("workload identities: unknown topics and subscriptions, duplicates, no event store, no cluster", () => {
    const raw = withGcp({
      projectNumber: "123456789012",
      cluster: {},
      pubsub: { topics: { events: {} }, subscriptions: { projector: { topic: "events" } } },
      workloadIdentities: [
        {
          app: "angzarr",
          eventStore: "read",
          publishes: ["evnts"],
          subscribes: ["projector", "projector"],
        },
        { app: "angzarr", subscribes: ["nope"] },
      ],
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /workloadIdentities\[0\]\.eventStore: angzarr asks for event store access but the target has no eventStore/,
      ),
      expect.stringMatching(
        /workloadIdentities\[0\]\.publishes\[0\]: angzarr publishes unknown topic "evnts" \(known: events\)/,
      ),
      expect.stringMatching(
        /workloadIdentities\[0\]\.subscribes\[1\]: subscription "projector" is listed twice/,
      ),
      expect.stringMatching(
        /workloadIdentities\[1\]\.app: application angzarr has two workload identities/,
      ),
      expect.stringMatching(
        /workloadIdentities\[1\]\.kubernetesServiceAccount: Kubernetes service account angzarr is bound to two applications/,
      ),
      expect.stringMatching(
        /workloadIdentities\[1\]\.subscribes\[0\]: angzarr subscribes unknown subscription "nope"/,
      ),
    ]);
    expect(problems(withGcp({ workloadIdentities: [{ app: "angzarr" }] }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.workloadIdentities: workload identities bind Kubernetes service accounts of this environment's GKE cluster, but it has no GKE cluster/,
      ),
    ]);
  });

  test("a service account id <env>-<app> outside 6–30 characters", () => {
    const raw = withGcp(
      { cluster: {}, workloadIdentities: [{ app: "a-long-app-name-here" }] },
      { name: "staging-eu-west" },
    );
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /workloadIdentities\[0\]\.app: the service account id staging-eu-west-a-long-app-name-here \(<env>-<app>\) is 36 characters; it must be 6–30: shorten the application name/,
      ),
    ]);
  });
});
