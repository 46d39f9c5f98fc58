/**
 * Builds every stack of every selected environment, in dependency order. Wiring between stacks
 * is visible here: each stack gets what it needs as props, and dependencies are declared here.
 */
import type { App } from "cdktf";
import { synthesisGroups } from "../environments";
import type { Environment } from "../environments/schema";
import type { BuildGroup } from "./synth";
import { buildAwsStacks, type AwsStacks } from "./aws";
import { buildDoStacks, linkSharedDoClusters, type DoStacks } from "./digitalocean";
import { buildGcpStacks, type GcpStacks } from "./gcp";
import { buildHelmStacks, type HelmStacks } from "./kubernetes";

/** Every stack built for one environment, by cloud. */
export interface EnvironmentStacks {
  readonly env: Environment;
  readonly gcp?: GcpStacks;
  readonly aws?: AwsStacks;
  readonly digitalocean?: DoStacks;
  /** The Helm layers, one set per cluster the environment's workloads run on. */
  readonly helm: readonly HelmStacks[];
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
  const cloud = selected.map((env) => {
    const { gcp, aws, digitalocean } = env.targets;
    return {
      env,
      gcp: gcp && buildGcpStacks(app, env, gcp, all),
      aws: aws && buildAwsStacks(app, env, aws),
      digitalocean: digitalocean && buildDoStacks(app, env, digitalocean, all),
    };
  });
  linkSharedDoClusters(cloud);
  linkSharedClusterData(cloud);
  // Helm layers after every cloud stack (they depend on clusters by name, possibly another
  // environment's), cluster owners before their guests.
  const ownersFirst = [...selected].sort(
    (a, b) => Number(!!a.workloads.sharedCluster) - Number(!!b.workloads.sharedCluster),
  );
  const helm = new Map(ownersFirst.map((env) => [env.name, buildHelmStacks(app, env, all)]));
  return cloud.map((stacks) => ({ ...stacks, helm: helm.get(stacks.env.name) ?? [] }));
}

/**
 * The data stack of a guest on a shared GKE or EKS cluster binds its PostgreSQL backup identity to
 * that cluster (workload identity pool, OIDC provider), so it waits for the owner's cluster stack
 * when both are synthesized together.
 */
function linkSharedClusterData(
  built: ReadonlyArray<{ env: Environment; gcp?: GcpStacks; aws?: AwsStacks }>,
): void {
  for (const { env, gcp, aws } of built) {
    const shared = env.workloads.sharedCluster;
    if (!shared) continue;
    const owner = built.find((b) => b.env.name === shared.environment);
    if (shared.cloud === "gcp" && gcp?.data && owner?.gcp?.cluster)
      gcp.data.addDependency(owner.gcp.cluster);
    if (shared.cloud === "aws" && aws?.data && owner?.aws?.cluster)
      aws.data.addDependency(owner.aws.cluster);
  }
}

/**
 * One build per synthesis group (environments linked by shared clusters), for
 * synthesizeAtomically: each group gets an App of its own. `prepare` runs on each App first.
 */
export function buildGroups(
  selected: readonly Environment[],
  all: readonly Environment[],
  prepare: (app: App) => void = () => undefined,
): BuildGroup[] {
  return synthesisGroups(selected).map((group) => (app: App) => {
    prepare(app);
    buildApp(app, group, all);
  });
}
