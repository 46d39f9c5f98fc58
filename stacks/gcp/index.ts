import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { stackName } from "../../modules/common/naming";
import { GcpClusterStack } from "./cluster";
import { GcpDataStack } from "./data";
import { GcpMessagingStack } from "./messaging";
import { GcpNetworkStack } from "./network";

/** The GCP stacks of one environment, by layer; a layer the environment does not use is absent. */
export interface GcpStacks {
  readonly network: GcpNetworkStack;
  readonly cluster?: GcpClusterStack;
  readonly data?: GcpDataStack;
  readonly messaging?: GcpMessagingStack;
}

/**
 * Builds an environment's GCP stacks in dependency order: network → cluster → data → messaging.
 * Every stack depends on the network (VPC, key ring). Data and messaging also depend on the
 * cluster when there is one: the cluster stack creates the applications' service accounts that
 * their grants name; the backup identity's binding names the cluster's workload identity pool,
 * which exists once the cluster does.
 */
export function buildGcpStacks(
  app: App,
  env: Environment,
  target: GcpTargetConfig,
  all: readonly Environment[] = [env],
): GcpStacks {
  const props = { env, target };
  const network = new GcpNetworkStack(app, stackName(env.name, "gcp", "network"), props);
  const cluster =
    target.cluster && new GcpClusterStack(app, stackName(env.name, "gcp", "cluster"), props);
  cluster?.addDependency(network);
  // PostgreSQL backups need the data stack too: their bucket and identity live there.
  const backups = postgresBackupStore(env, "gcp") !== undefined;
  const data =
    target.eventStore || backups
      ? new GcpDataStack(app, stackName(env.name, "gcp", "data"), {
          ...props,
          workloadPool: backups ? gkeWorkloadPool(env, all) : undefined,
        })
      : undefined;
  const messaging =
    target.pubsub && new GcpMessagingStack(app, stackName(env.name, "gcp", "messaging"), props);
  for (const stack of [data, messaging]) {
    if (!stack) continue;
    stack.addDependency(network);
    if (cluster) stack.addDependency(cluster);
  }
  return { network, cluster, data, messaging };
}

/**
 * Workload identity pool of the GKE cluster `env`'s workloads run on: `<project>.svc.id.goog` of
 * the environment owning the cluster (itself, or the owner of the cluster it shares).
 */
export function gkeWorkloadPool(env: Environment, all: readonly Environment[]): string {
  const shared = env.workloads.sharedCluster;
  const owner = shared ? all.find((e) => e.name === shared.environment) : env;
  const project = owner?.targets.gcp?.project;
  if (!project || (shared && shared.cloud !== "gcp") || !owner?.targets.gcp?.cluster) {
    throw new Error(
      `${env.name}: PostgreSQL backups on GCP need the GKE cluster the workloads run on; the registry should have refused this`,
    );
  }
  return `${project}.svc.id.goog`;
}
