import type { Construct } from "constructs";
import type { DoTargetConfig } from "../../environments/schema/digitalocean";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { DoVpc } from "../../modules/digitalocean/vpc";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { digitaloceanProvider } from "./provider";

/** Props of {@link DoNetworkStack}. */
export interface DoNetworkStackProps extends StrataStackProps {
  readonly target: DoTargetConfig;
}

/** `<env>-do-network`: the environment's VPC. */
export class DoNetworkStack extends StrataStack {
  readonly vpc: DoVpc;

  constructor(scope: Construct, name: string, props: DoNetworkStackProps) {
    super(scope, name, props);
    digitaloceanProvider(this);
    this.vpc = new DoVpc(this, "Vpc", {
      name: doVpcName(props.env.name),
      region: props.target.region,
      ipRange: props.target.network.ipRange,
    });
  }
}

/** Name of an environment's DigitalOcean VPC. */
export function doVpcName(env: string): string {
  return resourceName(env, "vpc", NAME_RULES.digitalocean);
}
