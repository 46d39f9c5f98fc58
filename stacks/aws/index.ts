import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import { stackName } from "../../modules/common/naming";
import { AwsClusterStack } from "./cluster";
import { AwsDataStack } from "./data";
import { AwsMessagingStack } from "./messaging";
import { AwsNetworkStack } from "./network";

/** The AWS stacks of one environment, by layer. */
export interface AwsStacks {
  readonly network: AwsNetworkStack;
  readonly cluster?: AwsClusterStack;
  readonly data?: AwsDataStack;
  readonly messaging?: AwsMessagingStack;
}

/**
 * Builds an environment's AWS stacks in dependency order. Cluster, data and messaging depend on
 * the network; data and messaging also depend on the cluster when they grant to workload roles
 * (the roles, with their IRSA trust, are created by the cluster stack).
 */
export function buildAwsStacks(app: App, env: Environment, target: AwsTargetConfig): AwsStacks {
  const network = new AwsNetworkStack(app, stackName(env.name, "aws", "network"), { env, target });
  const identities = target.workloadIdentities;

  const cluster =
    target.cluster &&
    new AwsClusterStack(app, stackName(env.name, "aws", "cluster"), {
      env,
      target,
      cluster: target.cluster,
    });
  cluster?.addDependency(network);

  const data =
    target.eventStore &&
    new AwsDataStack(app, stackName(env.name, "aws", "data"), {
      env,
      target,
      eventStore: target.eventStore,
    });
  data?.addDependency(network);
  if (data && cluster && identities.some((w) => w.eventStore)) data.addDependency(cluster);

  const messaging =
    target.messaging &&
    new AwsMessagingStack(app, stackName(env.name, "aws", "messaging"), {
      env,
      target,
      messaging: target.messaging,
    });
  messaging?.addDependency(network);
  if (messaging && cluster && identities.some((w) => w.publishes.length + w.consumes.length > 0))
    messaging.addDependency(cluster);

  return { network, cluster, data, messaging };
}
