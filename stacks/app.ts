/**
 * Builds every stack of every selected environment, in dependency order. Wiring between stacks
 * is visible here: each stack gets what it needs as props, and dependencies are declared here.
 */
import type { App } from "cdktf";
import type { Environment } from "../environments/schema";
import { buildAwsStacks, type AwsStacks } from "./aws";
import { buildDoStacks, linkSharedDoClusters, type DoStacks } from "./digitalocean";
import { buildGcpStacks, type GcpStacks } from "./gcp";

/** Every stack built for one environment, by cloud. */
export interface EnvironmentStacks {
  readonly env: Environment;
  readonly gcp?: GcpStacks;
  readonly aws?: AwsStacks;
  readonly digitalocean?: DoStacks;
}

/**
 * Adds the stacks of `selected` environments to `app`. `all` is every known environment (the
 * selection's shared clusters may belong to environments outside it).
 */
export function buildApp(
  app: App,
  selected: readonly Environment[],
  all: readonly Environment[] = selected,
): EnvironmentStacks[] {
  const built = selected.map((env) => {
    const { gcp, aws, digitalocean } = env.targets;
    return {
      env,
      gcp: gcp && buildGcpStacks(app, env, gcp),
      aws: aws && buildAwsStacks(app, env, aws),
      digitalocean: digitalocean && buildDoStacks(app, env, digitalocean, all),
    };
  });
  linkSharedDoClusters(built);
  return built;
}
