/**
 * One test group per rule: a minimal construct that violates it fails synthesis with the rule's
 * id; the compliant one passes; a waiver with a future expiry passes; an expired one fails again.
 */
import { BigtableInstance } from "@cdktf/provider-google/lib/bigtable-instance";
import { BigtableTable } from "@cdktf/provider-google/lib/bigtable-table";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { PubsubSubscription } from "@cdktf/provider-google/lib/pubsub-subscription";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { KubernetesCluster } from "@cdktf/provider-digitalocean/lib/kubernetes-cluster";
import { Release } from "@cdktf/provider-helm/lib/release";
import { TerraformVariable, type App } from "cdktf";
import type { Construct } from "constructs";
import fs from "node:fs";
import { stringify } from "yaml";
import os from "node:os";
import path from "node:path";
import type { EnvironmentInput } from "../../../../environments/schema";
import { TODAY_CONTEXT } from "../../../../modules/common/policy/gate";
import { RULES } from "../../../../modules/common/policy/rules";
import { StrataStack } from "../../../../stacks/strata-stack";
import { synthesizeAtomically } from "../../../../stacks/synth";
import { testEnv } from "../../../support/env";

const TODAY = "2026-06-15";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-policy-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

type Build = (scope: Construct) => void;

/** Synthesizes one stack of a prod (or given tier) environment; returns the error text or "". */
function synth(build: Build, overrides: Partial<EnvironmentInput> = {}): string {
  const env = testEnv({
    tier: "prod",
    backend: { type: "gcs", bucket: "tf-state" },
    preventDestroy: false,
    ...overrides,
  });
  try {
    synthesizeAtomically(fs.mkdtempSync(path.join(work, "out-")), (app: App) => {
      app.node.setContext(TODAY_CONTEXT, TODAY);
      const stack = new StrataStack(app, "test-gcp-data", { env });
      build(stack);
    });
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

const gke = (scope: Construct, extra: Record<string, unknown> = {}) =>
  new ContainerCluster(scope, "Cluster", {
    name: "c",
    location: "europe-west1",
    privateClusterConfig: { enablePrivateNodes: true },
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8" }] },
    workloadIdentityConfig: { workloadPool: "p.svc.id.goog" },
    databaseEncryption: { state: "ENCRYPTED", keyName: "k" },
    ...extra,
  });
const eks = (scope: Construct, extra: Record<string, unknown> = {}) => {
  new IamOpenidConnectProvider(scope, "Oidc", {
    url: "https://oidc",
    clientIdList: ["sts.amazonaws.com"],
  });
  return new EksCluster(scope, "Eks", {
    name: "e",
    roleArn: "arn:aws:iam::111111111111:role/r",
    vpcConfig: { subnetIds: ["s"], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:k" } },
    deletionProtection: true,
    ...extra,
  });
};
const dynamo = (scope: Construct, extra: Record<string, unknown> = {}) =>
  new DynamodbTable(scope, "Table", {
    name: "t",
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
    billingMode: "PAY_PER_REQUEST",
    serverSideEncryption: { enabled: true, kmsKeyArn: "arn:k" },
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    ...extra,
  });
const queueWithDlq = (scope: Construct, extra: Record<string, unknown> = {}) => {
  const dlq = new SqsQueue(scope, "Dlq", {
    name: "q-dlq",
    kmsMasterKeyId: "k",
    redriveAllowPolicy: '{"redrivePermission":"allowAll"}',
  });
  return new SqsQueue(scope, "Queue", {
    name: "q",
    kmsMasterKeyId: "k",
    redrivePolicy: `{"deadLetterTargetArn":"${dlq.arn}","maxReceiveCount":5}`,
    ...extra,
  });
};
const release = (scope: Construct, extra: Record<string, unknown> = {}) =>
  new Release(scope, "Release", {
    name: "r",
    chart: "postgresql",
    repository: "oci://registry-1.docker.io/bitnamicharts",
    version: "16.7.27",
    atomic: true,
    cleanupOnFail: true,
    waitForJobs: true,
    ...extra,
  });

/** A release of charts/service (shipped as an asset) running one image. */
const service = (scope: Construct, image: string) => {
  const [repository, tag] = image.split(/:(?=[^/]*$)/);
  return release(scope, {
    name: "web",
    chart: "./assets/ServiceChart/0123456789ABCDEF",
    repository: undefined,
    version: undefined,
    values: [stringify({ image: { repository, ...(tag ? { tag } : {}) } })],
  });
};
const meilisearch = (scope: Construct, image?: object) =>
  release(scope, {
    name: "search",
    chart: "meilisearch",
    repository: "https://meilisearch.github.io/meilisearch-kubernetes",
    version: "0.25.0",
    values: [stringify(image ? { image } : {})],
  });

/** Per rule: a compliant construct, a violating one, and the tier it is checked in. */
const CASES: Record<string, { tier?: "dev" | "prod"; ok: Build; bad: Build }> = {
  "ENC-1": {
    ok: (s) => void new PubsubTopic(s, "Topic", { name: "t", kmsKeyName: "k" }),
    bad: (s) => void new PubsubTopic(s, "Topic", { name: "t" }),
  },
  "ENC-2": {
    ok: (s) => void gke(s),
    bad: (s) => void gke(s, { databaseEncryption: { state: "DECRYPTED" } }),
  },
  "ENC-3": {
    tier: "dev",
    ok: (s) => void new SnsTopic(s, "Topic", { name: "t", kmsMasterKeyId: "alias/k" }),
    bad: (s) => void new SnsTopic(s, "Topic", { name: "t" }),
  },
  "DEL-1": {
    ok: (s) =>
      void new BigtableTable(s, "Table", {
        name: "events",
        instanceName: "i",
        deletionProtection: "PROTECTED",
      }),
    bad: (s) =>
      void new BigtableTable(s, "Table", {
        name: "events",
        instanceName: "i",
        deletionProtection: "UNPROTECTED",
      }),
  },
  "DEL-2": {
    ok: (s) => void dynamo(s),
    bad: (s) => void dynamo(s, { pointInTimeRecovery: { enabled: false } }),
  },
  "DEL-3": {
    ok: (s) =>
      void new BigtableInstance(s, "Instance", {
        name: "events-instance",
        cluster: [{ clusterId: "events-c1", zone: "europe-west1-b", kmsKeyName: "k" }],
        lifecycle: { preventDestroy: true },
      }),
    bad: (s) =>
      void new BigtableInstance(s, "Instance", {
        name: "events-instance",
        cluster: [{ clusterId: "events-c1", zone: "europe-west1-b", kmsKeyName: "k" }],
      }),
  },
  "NET-1": {
    tier: "dev",
    ok: (s) => void gke(s),
    bad: (s) => void gke(s, { privateClusterConfig: { enablePrivateNodes: false } }),
  },
  "NET-2": {
    tier: "dev",
    ok: (s) => void eks(s),
    bad: (s) =>
      void eks(s, {
        vpcConfig: {
          subnetIds: ["s"],
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: ["0.0.0.0/0"],
        },
      }),
  },
  "IAM-1": {
    tier: "dev",
    ok: (s) =>
      void new ContainerNodePool(s, "Pool", {
        cluster: "c",
        nodeConfig: {
          serviceAccount: "nodes@p.iam.gserviceaccount.com",
          workloadMetadataConfig: { mode: "GKE_METADATA" },
        },
        management: { autoRepair: true, autoUpgrade: true },
      }),
    bad: (s) =>
      void new ContainerNodePool(s, "Pool", {
        cluster: "c",
        management: { autoRepair: true, autoUpgrade: true },
      }),
  },
  "IAM-2": {
    tier: "dev",
    ok: (s) => void gke(s),
    bad: (s) => void gke(s, { enableLegacyAbac: true }),
  },
  "K8S-1": {
    tier: "dev",
    ok: (s) =>
      void new KubernetesCluster(s, "Doks", {
        name: "d",
        region: "fra1",
        version: "1.33.1-do.0",
        autoUpgrade: true,
        controlPlaneFirewall: { enabled: true, allowedAddresses: ["10.0.0.0/8"] },
        nodePool: { name: "default", size: "s-2vcpu-4gb", nodeCount: 2 },
      }),
    bad: (s) =>
      void new KubernetesCluster(s, "Doks", {
        name: "d",
        region: "fra1",
        version: "1.33.1-do.0",
        autoUpgrade: false,
        controlPlaneFirewall: { enabled: true, allowedAddresses: ["10.0.0.0/8"] },
        nodePool: { name: "default", size: "s-2vcpu-4gb", nodeCount: 2 },
      }),
  },
  "MSG-1": {
    tier: "dev",
    ok: (s) => {
      queueWithDlq(s);
      const dead = new PubsubTopic(s, "Dead", { name: "dead" });
      new PubsubSubscription(s, "Sub", {
        name: "s",
        topic: "events",
        deadLetterPolicy: { deadLetterTopic: dead.id, maxDeliveryAttempts: 5 },
      });
    },
    bad: (s) => void new PubsubSubscription(s, "Sub", { name: "s", topic: "events" }),
  },
  "HELM-1": {
    tier: "dev",
    ok: (s) => void release(s),
    bad: (s) => void release(s, { atomic: false }),
  },
  "VER-1": {
    tier: "dev",
    ok: (s) => void release(s),
    bad: (s) => void release(s, { version: undefined }),
  },
  "VER-2": {
    tier: "dev",
    ok: (s) => void new PubsubTopic(s, "Topic", { name: "t" }),
    bad: (s) =>
      (s as StrataStack).addOverride("terraform.required_providers.google.version", "~> 6.0"),
  },
  "IMG-1": {
    tier: "dev",
    ok: (s) => void meilisearch(s),
    bad: (s) =>
      void meilisearch(s, { repository: "docker.io/bitnamilegacy/meilisearch", tag: "1.35.0" }),
  },
  "IMG-2": {
    ok: (s) => void service(s, "ghcr.io/acme/web:1.4.2"),
    bad: (s) => void service(s, "ghcr.io/acme/web:main"),
  },
  "IMG-3": {
    tier: "dev",
    ok: (s) => void service(s, "docker.io/n8nio/n8n:1.123.17"),
    bad: (s) => void service(s, "docker.io/n8nio/n8n:1.98.1"),
  },
  "SEC-1": {
    tier: "dev",
    ok: (s) => void new TerraformVariable(s, "db_password", { type: "string", sensitive: true }),
    bad: (s) => void release(s, { set: [{ name: "auth.password", value: "hunter2hunter2" }] }),
  },
};

/** Providers each case needs (a stack without its provider does not synthesize). */
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DigitaloceanProvider } from "@cdktf/provider-digitalocean/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
const withProviders =
  (build: Build): Build =>
  (s) => {
    new GoogleProvider(s, "google", { project: "p" });
    new AwsProvider(s, "aws", { region: "eu-west-1" });
    new DigitaloceanProvider(s, "digitalocean", {});
    new HelmProvider(s, "helm", {});
    build(s);
  };

test("every rule has a test case", () => {
  expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
});

describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const c = CASES[id];
  const tier = { tier: c.tier ?? "prod", backend: { type: "gcs" as const, bucket: "tf-state" } };
  const waiver = (expires: string) => ({
    waivers: [
      {
        rule: id,
        resource: "test-gcp-data/*",
        reason: "accepted for the test of this rule",
        owner: "platform",
        expires,
      },
    ],
  });

  test(`the violating construct fails synthesis with ${id}`, () => {
    const error = synth(withProviders(c.bad), tier);
    expect(error).toContain(`[${id}] ${rule.title}`);
    expect(error).toMatch(/fix: {6}\S/);
  });

  test("the compliant construct passes", () => {
    expect(synth(withProviders(c.ok), tier)).not.toContain(`[${id}]`);
  });

  test("a waiver with a future expiry lets it pass; an expired one fails again", () => {
    expect(synth(withProviders(c.bad), { ...tier, ...waiver("2026-12-31") })).not.toContain(
      `[${id}]`,
    );
    expect(synth(withProviders(c.bad), { ...tier, ...waiver("2026-06-14") })).toMatch(
      new RegExp(`\\[${id}\\][\\s\\S]*waiver expired on 2026-06-14`),
    );
  });
});
