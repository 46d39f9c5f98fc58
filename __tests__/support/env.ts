/** Test fixtures: valid environments built through the real schema. */
import {
  EnvironmentSchema,
  validateEnvironment,
  type Environment,
  type EnvironmentInput,
} from "../../environments/schema";
import type { WorkloadsInput } from "../../environments/schema/workloads";

/** Where Bitnami images are pulled from in test environments (the workloads schema requires it). */
export const BITNAMI_IMAGES = {
  bitnami: { registry: "docker.io", namespace: "bitnamilegacy" },
} as const;

/**
 * Waivers for tests that synthesize environments pulling {@link BITNAMI_IMAGES} (frozen, and Redis
 * 8.2.1 has CVE-2025-49844): the image policy itself is tested in
 * __tests__/modules/common/policy/, these tests test other things.
 */
export const BITNAMI_TEST_WAIVERS = (["IMG-1", "IMG-3"] as const).map((rule) => ({
  rule,
  resource: "*",
  reason: "test environments pull Bitnami's legacy images (BITNAMI_IMAGES)",
  owner: "tests",
  expires: "2099-12-31",
}));

/** The environments with {@link BITNAMI_TEST_WAIVERS} added. */
export function withImageWaivers(envs: readonly EnvironmentInput[]): EnvironmentInput[] {
  return envs.map((e) => ({ ...e, waivers: [...(e.waivers ?? []), ...BITNAMI_TEST_WAIVERS] }));
}

/**
 * GCP and AWS targets with a cluster, the cloud-native event store and bus, and the identity of
 * an app `core` that uses both (tests give `core` eventStore bigtable/dynamodb and bus
 * pubsub/sns-sqs; an unused store, bus or identity is refused).
 */
export const NATIVE_TARGETS = {
  gcp: {
    project: "strata-test",
    projectNumber: "123456789012",
    region: "europe-west1",
    cluster: {},
    eventStore: { instanceId: "test-events", nodes: 1 },
    pubsub: { topics: { events: {} }, subscriptions: { core: { topic: "events" } } },
    workloadIdentities: [
      { app: "core", eventStore: "read-write", publishes: ["events"], subscribes: ["core"] },
    ],
  },
  aws: {
    region: "eu-west-1",
    cluster: {},
    eventStore: {},
    messaging: { topics: [{ name: "events" }], consumers: [{ name: "core", topic: "events" }] },
    workloadIdentities: [
      { app: "core", eventStore: "read-write", publishes: ["events"], consumes: ["core"] },
    ],
  },
} as const satisfies EnvironmentInput["targets"];

/** A minimal valid dev environment with all three clouds; override any top-level field. */
export function envInput(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return {
    name: "test",
    tier: "dev",
    owner: "platform",
    team: "core",
    targets: {
      gcp: { project: "strata-test", region: "europe-west1" },
      aws: { region: "eu-west-1" },
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" } },
    },
    ...overrides,
  };
}

/** Clusters on GCP and DigitalOcean, where the in-cluster service tests place their workloads. */
export const GCP_DO_CLUSTERS = {
  gcp: { project: "strata-test", region: "europe-west1", cluster: {} },
  digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
} as const satisfies EnvironmentInput["targets"];

/** {@link envInput} with {@link GCP_DO_CLUSTERS} and these workloads. */
export function clusterInput(workloads: WorkloadsInput): EnvironmentInput {
  return envInput({ targets: GCP_DO_CLUSTERS, workloads });
}

/** The resolved workloads of {@link clusterInput}. */
export function clusterWorkloads(workloads: WorkloadsInput) {
  return EnvironmentSchema.parse(clusterInput(workloads)).workloads;
}

/** The resolved form of {@link envInput}. */
export function testEnv(overrides: Partial<EnvironmentInput> = {}): Environment {
  return EnvironmentSchema.parse(envInput(overrides));
}

/** The problems of an input, as "path: message" lines; none when it is valid. */
export function problems(raw: unknown): string[] {
  const result = validateEnvironment(raw, "test");
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}
