import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import { stackName } from "../../modules/common/naming";
import { AwsNetworkStack } from "./network";

/** The AWS stacks of one environment, by layer. */
export interface AwsStacks {
  readonly network: AwsNetworkStack;
}

/** Builds an environment's AWS stacks in dependency order. */
export function buildAwsStacks(app: App, env: Environment, target: AwsTargetConfig): AwsStacks {
  const network = new AwsNetworkStack(app, stackName(env.name, "aws", "network"), { env, target });
  return { network };
}
