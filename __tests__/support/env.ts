/** Test fixtures: valid environments built through the real schema. */
import {
  EnvironmentSchema,
  validateEnvironment,
  type Environment,
  type EnvironmentInput,
} from "../../environments/schema";

/** Where Bitnami images are pulled from in test environments (the workloads schema requires it). */
export const BITNAMI_IMAGES = {
  bitnami: { registry: "docker.io", namespace: "bitnamilegacy" },
} as const;

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

/** The resolved form of {@link envInput}. */
export function testEnv(overrides: Partial<EnvironmentInput> = {}): Environment {
  return EnvironmentSchema.parse(envInput(overrides));
}

/** The problems of an input, as "path: message" lines; none when it is valid. */
export function problems(raw: unknown): string[] {
  const result = validateEnvironment(raw, "test");
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}
