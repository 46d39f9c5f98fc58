import type { Construct } from "constructs";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import { AwsVpc } from "../../modules/aws/vpc";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { awsProvider } from "./provider";

/** Props of {@link AwsNetworkStack}. */
export interface AwsNetworkStackProps extends StrataStackProps {
  readonly target: AwsTargetConfig;
}

/** `<env>-aws-network`: VPC, public/private subnets per zone, NAT, flow logs. */
export class AwsNetworkStack extends StrataStack {
  readonly vpc: AwsVpc;

  constructor(scope: Construct, name: string, props: AwsNetworkStackProps) {
    super(scope, name, props);
    const { env, target } = props;
    awsProvider(this, target);
    this.vpc = new AwsVpc(this, "Vpc", {
      name: awsVpcName(env.name),
      cidr: target.network.vpcCidr,
      availabilityZones: target.network.availabilityZones,
      natGateways: target.network.natGateways,
      flowLogs: target.network.flowLogs,
    });
  }
}

/** The Name tag of an environment's VPC (later layers look the VPC and subnets up by it). */
export function awsVpcName(env: string): string {
  return resourceName(env, "vpc", NAME_RULES.aws);
}
