import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
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
 * their grants name.
 */
export function buildGcpStacks(app: App, env: Environment, target: GcpTargetConfig): GcpStacks {
  const props = { env, target };
  const network = new GcpNetworkStack(app, stackName(env.name, "gcp", "network"), props);
  const cluster =
    target.cluster && new GcpClusterStack(app, stackName(env.name, "gcp", "cluster"), props);
  cluster?.addDependency(network);
  const data =
    target.eventStore && new GcpDataStack(app, stackName(env.name, "gcp", "data"), props);
  const messaging =
    target.pubsub && new GcpMessagingStack(app, stackName(env.name, "gcp", "messaging"), props);
  for (const stack of [data, messaging]) {
    if (!stack) continue;
    stack.addDependency(network);
    if (cluster) stack.addDependency(cluster);
  }
  return { network, cluster, data, messaging };
}
