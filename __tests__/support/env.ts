/** Test fixtures: valid environments built through the real schema. */
import {
  EnvironmentSchema,
  type Environment,
  type EnvironmentInput,
} from "../../environments/schema";

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
