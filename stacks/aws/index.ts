import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { stackName } from "../../modules/common/naming";
import { clusterName } from "../kubernetes/cluster-ref";
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

  // PostgreSQL backups need the data stack too: their bucket and IRSA role live there, and the
  // role's trust names the cluster's OIDC provider (read by name, so the cluster comes first).
  const backups = postgresBackupStore(env, "aws") !== undefined;
  const data =
    target.eventStore || backups
      ? new AwsDataStack(app, stackName(env.name, "aws", "data"), {
          env,
          target,
          eventStore: target.eventStore,
          clusterName: backups ? eksClusterName(env) : undefined,
        })
      : undefined;
  data?.addDependency(network);
  if (data && cluster && (backups || identities.some((w) => w.eventStore)))
    data.addDependency(cluster);

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

/**
 * Name of the EKS cluster `env`'s workloads run on: its own, or the owner's of the cluster it
 * shares (found in the same account: the data stack reads it and its OIDC provider by name).
 */
export function eksClusterName(env: Environment): string {
  const shared = env.workloads.sharedCluster;
  return clusterName(shared ? shared.environment : env.name, "aws");
}
