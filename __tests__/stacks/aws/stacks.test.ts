import { Testing, type App } from "cdktf";
import type { EnvironmentInput } from "../../../environments/schema";
import type { AwsTargetInput } from "../../../environments/schema/aws";
import { buildAwsStacks, type AwsStacks } from "../../../stacks/aws";
import { awsEventStoreTableNames } from "../../../stacks/aws/data";
import { awsQueueName, awsTopicName } from "../../../stacks/aws/messaging";
import { awsRoleName } from "../../../stacks/identity-names";
import { clusterName } from "../../../stacks/kubernetes/cluster-ref";
import { resourcesOf, synthJson, type TfJson } from "../../support/synth";
import { testEnv } from "../../support/env";

const full: AwsTargetInput = {
  region: "eu-west-1",
  cluster: { nodeGroups: [{ name: "default" }, { name: "batch", autoscaled: true }] },
  eventStore: {},
  messaging: {
    topics: [{ name: "events" }, { name: "orders", fifo: true }],
    consumers: [
      { name: "projector", topic: "events" },
      { name: "backend", topic: "events" },
      { name: "billing", topic: "orders" },
    ],
  },
  workloadIdentities: [
    { app: "angzarr", eventStore: "read-write", publishes: ["events"], consumes: ["projector"] },
    { app: "backend", eventStore: "read", consumes: ["backend"] },
    { app: "billing", kubernetesServiceAccount: "billing-worker", consumes: ["billing"] },
  ],
};

function build(aws: AwsTargetInput = full, overrides: Partial<EnvironmentInput> = {}) {
  const env = testEnv({
    workloads: { namespace: "apps" },
    ...overrides,
    targets: { aws },
  });
  const stacks = buildAwsStacks(Testing.app() as App, env, env.targets.aws!);
  return { env, stacks };
}
const policies = (tf: TfJson) =>
  new Map(
    resourcesOf(tf, "aws_iam_role_policy").map((p) => [
      String(p.role),
      JSON.parse(String(p.policy)) as { Statement: Array<{ Action: unknown; Resource: unknown }> },
    ]),
  );
const resourceKey = (tf: TfJson, type: string, where: (r: Record<string, unknown>) => boolean) =>
  Object.entries(tf.resource?.[type] ?? {}).find(([, r]) => where(r))![0];

describe("AWS stacks: order", () => {
  test("cluster, data and messaging depend on network; data and messaging on the cluster that holds the roles", () => {
    const { stacks } = build();
    const deps = (s: keyof AwsStacks) =>
      stacks[s]!.dependencies.map((d) => (d as { node: { id: string } }).node.id);
    expect(deps("cluster")).toEqual(["test-aws-network"]);
    expect(deps("data")).toEqual(["test-aws-network", "test-aws-cluster"]);
    expect(deps("messaging")).toEqual(["test-aws-network", "test-aws-cluster"]);
  });

  test("without a cluster or identities: no cluster stack, no dependency on it", () => {
    const { stacks } = build({ ...full, cluster: undefined, workloadIdentities: [] });
    expect(stacks.cluster).toBeUndefined();
    expect(stacks.data!.dependencies).toHaveLength(1);
    expect(stacks.messaging!.dependencies).toHaveLength(1);
  });

  test("only the network when nothing else is configured", () => {
    const { stacks } = build({ region: "eu-west-1" });
    expect([stacks.cluster, stacks.data, stacks.messaging]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("AWS cluster stack", () => {
  test("the cluster is <env>-eks, in the private subnets of <env>-vpc found by tag", () => {
    const tf = synthJson(build().stacks.cluster!);
    expect(resourcesOf(tf, "aws_eks_cluster")[0]).toMatchObject({
      name: clusterName("test", "aws"),
      vpc_config: { subnet_ids: "${data.aws_subnets.PrivateSubnets.ids}" },
    });
    expect(tf.data?.aws_vpc?.Vpc).toMatchObject({
      filter: [{ name: "tag:Name", values: ["test-vpc"] }],
    });
    expect(tf.data?.aws_subnets?.PrivateSubnets).toMatchObject({
      filter: [
        { name: "vpc-id", values: ["${data.aws_vpc.Vpc.id}"] },
        { name: "tag:tier", values: ["private"] },
      ],
    });
    for (const ng of resourcesOf(tf, "aws_eks_node_group")) {
      expect(ng.subnet_ids).toBe("${data.aws_subnets.PrivateSubnets.ids}");
    }
    const lifecycles = Object.fromEntries(
      resourcesOf(tf, "aws_eks_node_group").map((n) => [n.node_group_name, n.lifecycle]),
    );
    expect(lifecycles).toEqual({
      default: undefined,
      batch: { ignore_changes: ["scaling_config[0].desired_size"] },
    });
  });

  test("secrets encrypted with the stack's own rotating key", () => {
    const tf = synthJson(build().stacks.cluster!);
    const key = resourceKey(tf, "aws_kms_key", () => true);
    expect(resourcesOf(tf, "aws_kms_key")[0]).toMatchObject({ enable_key_rotation: true });
    expect(resourcesOf(tf, "aws_eks_cluster")[0]).toMatchObject({
      encryption_config: { provider: { key_arn: `\${aws_kms_key.${key}.arn}` } },
    });
    expect(resourcesOf(tf, "aws_kms_alias")[0]).toMatchObject({ name: "alias/test-eks-secrets" });
  });

  test("deletion protection follows the environment (off in a dev tier)", () => {
    const tf = synthJson(build().stacks.cluster!);
    expect(resourcesOf(tf, "aws_eks_cluster")[0]).toMatchObject({ deletion_protection: false });
    const prod = synthJson(
      build(full, { tier: "staging", backend: { type: "gcs", bucket: "tf-state" } }).stacks
        .cluster!,
    );
    expect(resourcesOf(prod, "aws_eks_cluster")[0]).toMatchObject({ deletion_protection: true });
    expect(resourcesOf(prod, "aws_kms_key")[0]).toMatchObject({
      lifecycle: { prevent_destroy: true },
    });
  });

  test("an IRSA role per workload identity, named by awsRoleName, trusting its service account in the namespace", () => {
    const tf = synthJson(build().stacks.cluster!);
    const roles = resourcesOf(tf, "aws_iam_role").map((r) => r.name);
    expect(roles).toEqual(
      expect.arrayContaining(["angzarr", "backend", "billing"].map((a) => awsRoleName("test", a))),
    );
    const subjects = Object.values(tf.data?.aws_iam_policy_document ?? {}).map(
      (d) =>
        (d as { statement: Array<{ condition: Array<{ values: string[] }> }> }).statement[0]
          .condition[0].values[0],
    );
    expect(subjects).toEqual(
      expect.arrayContaining([
        "system:serviceaccount:apps:angzarr",
        "system:serviceaccount:apps:backend",
        "system:serviceaccount:apps:billing-worker",
      ]),
    );
  });
});

describe("AWS data stack", () => {
  test("tables <env>-events/positions/snapshots with the stack's key", () => {
    const tf = synthJson(build().stacks.data!);
    expect(resourcesOf(tf, "aws_dynamodb_table").map((t) => t.name)).toEqual(
      Object.values(awsEventStoreTableNames("test")),
    );
    expect(resourcesOf(tf, "aws_kms_alias")[0]).toMatchObject({ name: "alias/test-event-store" });
  });

  test("grants attach to the workload roles by name and name the specific table and index ARNs", () => {
    const tf = synthJson(build().stacks.data!);
    const byRole = policies(tf);
    expect([...byRole.keys()]).toEqual(["test-angzarr", "test-backend"]);
    const events = resourceKey(tf, "aws_dynamodb_table", (t) => t.name === "test-events");
    const angzarr = byRole.get("test-angzarr")!.Statement;
    expect(angzarr[0].Resource).toEqual([
      `\${aws_dynamodb_table.${events}.arn}`,
      `\${aws_dynamodb_table.${events}.arn}/index/*`,
    ]);
    const resources = byRole.get("test-backend")!.Statement.flatMap((s) => s.Resource);
    expect(
      resources.every((r) =>
        /^\$\{aws_(dynamodb_table|kms_key)\.[^}]+\.arn\}(\/index\/\*)?$/.test(String(r)),
      ),
    ).toBe(true);
    expect(resources).not.toContain("*");
  });
});

describe("AWS messaging stack", () => {
  test("topics and queues named <env>-<name>, FIFO with .fifo", () => {
    const tf = synthJson(build().stacks.messaging!);
    expect(resourcesOf(tf, "aws_sns_topic").map((t) => t.name)).toEqual([
      awsTopicName("test", "events", false),
      "test-orders.fifo",
    ]);
    expect(resourcesOf(tf, "aws_sqs_queue").map((q) => q.name)).toEqual(
      expect.arrayContaining([
        "test-projector",
        "test-projector-dlq",
        awsQueueName("test", "billing", true),
        "test-billing-dlq.fifo",
      ]),
    );
  });

  test("each queue policy names its own topic", () => {
    const tf = synthJson(build().stacks.messaging!);
    const topic = (name: string) => resourceKey(tf, "aws_sns_topic", (t) => t.name === name);
    const queue = (name: string) => resourceKey(tf, "aws_sqs_queue", (q) => q.name === name);
    const policyOf = (q: string) =>
      JSON.parse(
        String(
          resourcesOf(tf, "aws_sqs_queue_policy").find(
            (p) => p.queue_url === `\${aws_sqs_queue.${q}.url}`,
          )!.policy,
        ),
      );
    expect(policyOf(queue("test-billing.fifo")).Statement[0].Condition).toEqual({
      ArnEquals: { "aws:SourceArn": `\${aws_sns_topic.${topic("test-orders.fifo")}.arn}` },
    });
    expect(policyOf(queue("test-backend")).Statement[0].Condition).toEqual({
      ArnEquals: { "aws:SourceArn": `\${aws_sns_topic.${topic("test-events")}.arn}` },
    });
  });

  test("publish and consume grants name the specific topic and queue ARNs", () => {
    const tf = synthJson(build().stacks.messaging!);
    const byRole = policies(tf);
    expect([...byRole.keys()]).toEqual(["test-angzarr", "test-backend", "test-billing"]);
    const events = resourceKey(tf, "aws_sns_topic", (t) => t.name === "test-events");
    const projector = resourceKey(tf, "aws_sqs_queue", (q) => q.name === "test-projector");
    expect(byRole.get("test-angzarr")!.Statement).toEqual([
      { Effect: "Allow", Action: "sns:Publish", Resource: `\${aws_sns_topic.${events}.arn}` },
      expect.objectContaining({ Resource: `\${aws_sqs_queue.${projector}.arn}` }),
    ]);
  });

  test("no customer-managed key in a dev tier; with customerManagedKeys a key SNS may use", () => {
    expect(resourcesOf(synthJson(build().stacks.messaging!), "aws_kms_key")).toHaveLength(0);
    const tf = synthJson(build(full, { customerManagedKeys: true }).stacks.messaging!);
    const policy = JSON.parse(String(resourcesOf(tf, "aws_kms_key")[0].policy));
    expect(policy.Statement[1]).toMatchObject({
      Principal: { Service: "sns.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    });
    const key = resourceKey(tf, "aws_kms_key", () => true);
    for (const q of resourcesOf(tf, "aws_sqs_queue")) {
      expect(q.kms_master_key_id).toBe(`\${aws_kms_key.${key}.arn}`);
    }
  });
});
