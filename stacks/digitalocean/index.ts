import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { DoTargetConfig } from "../../environments/schema/digitalocean";
import { stackName } from "../../modules/common/naming";
import { DoNetworkStack } from "./network";

/** The DigitalOcean stacks of one environment, by layer. */
export interface DoStacks {
  readonly network: DoNetworkStack;
}

/** Builds an environment's DigitalOcean stacks in dependency order. */
export function buildDoStacks(app: App, env: Environment, target: DoTargetConfig): DoStacks {
  const network = new DoNetworkStack(app, stackName(env.name, "do", "network"), { env, target });
  return { network };
}
