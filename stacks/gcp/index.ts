import type { App } from "cdktf";
import type { Environment } from "../../environments/schema";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { stackName } from "../../modules/common/naming";
import { GcpNetworkStack } from "./network";

/** The GCP stacks of one environment, by layer. */
export interface GcpStacks {
  readonly network: GcpNetworkStack;
}

/** Builds an environment's GCP stacks in dependency order. */
export function buildGcpStacks(app: App, env: Environment, target: GcpTargetConfig): GcpStacks {
  const network = new GcpNetworkStack(app, stackName(env.name, "gcp", "network"), { env, target });
  return { network };
}
