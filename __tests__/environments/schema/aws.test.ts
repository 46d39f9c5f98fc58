import { EnvironmentSchema } from "../../../environments/schema";
import type { AwsTargetInput } from "../../../environments/schema/aws";
import { envInput, problems } from "../../support/env";

const messaging = {
  topics: [{ name: "events" }],
  consumers: [{ name: "backend", topic: "events" }],
};

/** A test environment whose AWS target is `aws` (other targets dropped). */
function withAws(aws: Partial<AwsTargetInput>, tier: "dev" | "prod" = "dev") {
  return envInput({
    tier,
    ...(tier === "prod"
      ? { backend: { type: "s3", bucket: "tf-state", region: "eu-west-1" } }
      : {}),
    targets: { aws: { region: "eu-west-1", ...aws } },
  });
}

describe("AWS target defaults", () => {
  test("an empty cluster resolves to 1.36 with standard support only, private endpoint, one on-demand group, add-ons at EKS's defaults", () => {
    const aws = EnvironmentSchema.parse(withAws({ cluster: {} })).targets.aws!;
    expect(aws.cluster).toEqual({
      version: "1.36",
      supportType: "STANDARD",
      publicEndpoint: { enabled: false, cidrs: [] },
      logTypes: ["api", "audit", "authenticator"],
      logRetentionDays: 90,
      adminRoleArns: [],
      bootstrapCreatorAdmin: true,
      nodeGroups: [
        {
          name: "default",
          instanceTypes: ["m6i.large"],
          capacityType: "ON_DEMAND",
          minSize: 1,
          desiredSize: 2,
          maxSize: 3,
          maxUnavailable: 1,
          labels: {},
          taints: [],
          autoscaled: false,
          amiType: "AL2023_x86_64_STANDARD",
        },
      ],
      addons: {},
    });
    expect(aws.workloadIdentities).toEqual([]);
    expect(aws.eventStore).toBeUndefined();
  });

  test("event store: on demand, PITR; consumers: 5 receives, 30 s, 4 days; topics standard", () => {
    const aws = EnvironmentSchema.parse(withAws({ eventStore: {}, messaging })).targets.aws!;
    expect(aws.eventStore).toEqual({ billing: { mode: "on-demand" }, pointInTimeRecovery: true });
    expect(aws.messaging).toEqual({
      topics: [{ name: "events", fifo: false }],
      consumers: [
        {
          name: "backend",
          topic: "events",
          maxReceiveCount: 5,
          visibilityTimeoutSeconds: 30,
          retentionSeconds: 345600,
        },
      ],
    });
  });

  test("a workload identity's service account defaults to the app name", () => {
    const aws = EnvironmentSchema.parse(
      withAws({
        cluster: {},
        messaging,
        workloadIdentities: [{ app: "backend", consumes: ["backend"] }],
      }),
    ).targets.aws!;
    expect(aws.workloadIdentities[0]).toEqual({
      app: "backend",
      kubernetesServiceAccount: "backend",
      publishes: [],
      consumes: ["backend"],
    });
  });

  test("outside prod an enabled public endpoint without CIDRs resolves to 0.0.0.0/0", () => {
    const aws = EnvironmentSchema.parse(withAws({ cluster: { publicEndpoint: { enabled: true } } }))
      .targets.aws!;
    expect(aws.cluster!.publicEndpoint).toEqual({ enabled: true, cidrs: ["0.0.0.0/0"] });
  });

  test("a fully specified AWS target resolves to itself", () => {
    const once = EnvironmentSchema.parse(
      withAws(
        {
          cluster: {
            publicEndpoint: { enabled: true, cidrs: ["203.0.113.0/24"] },
            nodeGroups: [
              { name: "a", autoscaled: true, taints: [{ key: "k", effect: "NoSchedule" }] },
            ],
          },
          eventStore: {
            billing: { mode: "provisioned", read: { min: 1, max: 5 }, write: { min: 1, max: 5 } },
            snapshotTtlAttribute: "expires_at",
            keys: { positions: { partitionKey: { name: "p", type: "S" } } },
          },
          messaging: { ...messaging, topics: [{ name: "events", fifo: true }] },
          workloadIdentities: [{ app: "backend", eventStore: "read", consumes: ["backend"] }],
        },
        "prod",
      ),
    );
    expect(EnvironmentSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe("AWS target bad input", () => {
  test("an unsupported Kubernetes version format", () => {
    expect(problems(withAws({ cluster: { version: "v1.33.1" } }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.aws\.cluster\.version: Kubernetes version "v1\.33\.1" is not a supported format; write the minor version like "1\.36"/,
      ),
    ]);
  });

  test("a prod-tier public endpoint without CIDRs", () => {
    expect(problems(withAws({ cluster: { publicEndpoint: { enabled: true } } }, "prod"))).toEqual([
      expect.stringMatching(
        /^test\.targets\.aws\.cluster\.publicEndpoint\.cidrs: a prod-tier EKS cluster cannot open its public endpoint to the internet; list the allowed cidrs/,
      ),
    ]);
  });

  test("CIDRs with the public endpoint off", () => {
    expect(
      problems(withAws({ cluster: { publicEndpoint: { cidrs: ["203.0.113.0/24"] } } })),
    ).toEqual([
      expect.stringMatching(
        /publicEndpoint\.enabled: publicEndpoint\.cidrs are listed but the public endpoint is off/,
      ),
    ]);
  });

  test("node group sizes out of order, empty instance types, duplicate names", () => {
    const out = problems(
      withAws({
        cluster: {
          nodeGroups: [
            { name: "a", minSize: 3, desiredSize: 2, maxSize: 1 },
            { name: "a", instanceTypes: [] },
          ],
        },
      }),
    );
    expect(out).toContainEqual(
      expect.stringMatching(
        /^test\.targets\.aws\.cluster\.nodeGroups\[0\]\.desiredSize: node group sizes must satisfy minSize <= desiredSize <= maxSize; got minSize 3, desiredSize 2, maxSize 1/,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(
        /nodeGroups\[1\]\.instanceTypes: instanceTypes is empty; list at least one EC2 instance type/,
      ),
    );
  });

  test("a DynamoDB key attribute with an invalid type", () => {
    const raw = withAws({
      eventStore: { keys: { events: { partitionKey: { name: "id", type: "BOOL" as never } } } },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.aws\.eventStore\.keys\.events\.partitionKey\.type: key attribute type "BOOL" is not one DynamoDB accepts; use S \(string\), N \(number\) or B \(binary\)/,
      ),
    ]);
  });

  test.each([
    ["maxReceiveCount", 0, /maxReceiveCount must be 1–1000/],
    ["maxReceiveCount", 1001, /maxReceiveCount must be 1–1000/],
    ["visibilityTimeoutSeconds", 43201, /visibilityTimeoutSeconds must be 0–43200/],
    ["retentionSeconds", 30, /retentionSeconds must be 60–1209600/],
    ["retentionSeconds", 1209601, /retentionSeconds must be 60–1209600/],
  ])("consumer %s %d", (field, value, message) => {
    const raw = withAws({
      messaging: {
        ...messaging,
        consumers: [{ name: "backend", topic: "events", [field]: value }],
      },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^test\\.targets\\.aws\\.messaging\\.consumers\\[0\\]\\.${field}: ${message.source}`,
        ),
      ),
    ]);
  });

  test("a subscription to an unknown topic", () => {
    const raw = withAws({
      messaging: { ...messaging, consumers: [{ name: "backend", topic: "orders" }] },
    });
    expect(problems(raw)).toEqual([
      'test.targets.aws.messaging.consumers[0].topic: consumer "backend" subscribes to unknown topic "orders"; topics: events',
    ]);
  });

  test("workload identities: no cluster, unknown topic and consumer, no event store, no grants", () => {
    const out = problems(
      withAws({
        messaging,
        workloadIdentities: [
          { app: "a", eventStore: "read", publishes: ["orders"], consumes: ["billing"] },
          { app: "b" },
        ],
      }),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /workloadIdentities\[0\]\.app: workload identity "a" needs targets\.aws\.cluster/,
        ),
        expect.stringMatching(
          /workloadIdentities\[0\]\.eventStore: app "a" uses the event store but targets\.aws\.eventStore is not defined/,
        ),
        expect.stringMatching(
          /workloadIdentities\[0\]\.publishes\[0\]: app "a" publishes to unknown topic "orders"; topics: events/,
        ),
        expect.stringMatching(
          /workloadIdentities\[0\]\.consumes\[0\]: app "a" consumes unknown consumer queue "billing"; consumers: backend/,
        ),
        expect.stringMatching(/workloadIdentities\[1\]\.app: workload identity "b" grants nothing/),
      ]),
    );
  });
});
