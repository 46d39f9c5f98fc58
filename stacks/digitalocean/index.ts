import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { DoTargetConfig } from "../../environments/schema/digitalocean";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { stackName } from "../../modules/common/naming";
import { clusterRef } from "../kubernetes/cluster-ref";
import { DoClusterStack } from "./cluster";
import { DoDataStack } from "./data";
import { DoNetworkStack } from "./network";

/** The DigitalOcean stacks of one environment, by layer. */
export interface DoStacks {
  readonly network: DoNetworkStack;
  /** Absent when the environment has no DOKS cluster (none, or it shares another's). */
  readonly cluster?: DoClusterStack;
  /** Absent without managed databases and PostgreSQL backups on DigitalOcean. */
  readonly data?: DoDataStack;
}

/**
 * Builds an environment's DigitalOcean stacks in dependency order. `all` is every known
 * environment: the owner of a shared cluster may be outside the selection. A data stack that uses
 * another environment's cluster depends on that cluster's stack through {@link linkSharedDoClusters}.
 */
export function buildDoStacks(
  app: App,
  env: Environment,
  target: DoTargetConfig,
  all: readonly Environment[] = [env],
): DoStacks {
  const network = new DoNetworkStack(app, stackName(env.name, "do", "network"), { env, target });
  let cluster: DoClusterStack | undefined;
  if (target.cluster) {
    cluster = new DoClusterStack(app, stackName(env.name, "do", "cluster"), {
      env,
      target,
      cluster: target.cluster,
    });
    cluster.addDependency(network);
  }
  let data: DoDataStack | undefined;
  const databases =
    target.databases && Object.values(target.databases).some(Boolean)
      ? target.databases
      : undefined;
  if (databases || postgresBackupStore(env, "digitalocean")) {
    const shared = env.workloads.sharedCluster;
    const owner = shared ? all.find((e) => e.name === shared.environment) : env;
    if (!owner) {
      throw new Error(
        `${env.name}: the owner "${shared?.environment}" of the shared cluster is not among the known environments`,
      );
    }
    const ref = clusterRef(owner, "digitalocean");
    if (ref.cloud !== "digitalocean")
      throw new Error("unreachable: clusterRef returned another cloud");
    data = new DoDataStack(app, stackName(env.name, "do", "data"), {
      env,
      databases,
      cluster: ref,
    });
    data.addDependency(network);
    if (cluster) data.addDependency(cluster);
  }
  return { network, cluster, data };
}

/**
 * Cross-environment dependencies: the data stack of an environment that shares another
 * environment's DOKS cluster waits for that cluster's stack (when both are synthesized together).
 */
export function linkSharedDoClusters(
  built: ReadonlyArray<{ readonly env: Environment; readonly digitalocean?: DoStacks }>,
): void {
  for (const { env, digitalocean } of built) {
    const shared = env.workloads.sharedCluster;
    if (!digitalocean?.data || shared?.cloud !== "digitalocean") continue;
    const owner = built.find((b) => b.env.name === shared.environment)?.digitalocean?.cluster;
    if (owner) digitalocean.data.addDependency(owner);
  }
}
