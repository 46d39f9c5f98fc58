import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as AwsVpcResource } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { cidrSubnet, parseCidr } from "../common/cidr";

/** Props of {@link AwsVpc}. */
export interface AwsVpcProps {
  /** Name tag prefix of every resource (`<env>-vpc`). */
  readonly name: string;
  /** VPC range, /16 to /20. */
  readonly cidr: string;
  /** 2–6 availability zones of one region; a public and a private subnet in each. */
  readonly availabilityZones: readonly string[];
  /** @default "per-az" (a zone outage does not cut the others off) */
  readonly natGateways?: "single" | "per-az";
  /** @default - enabled, 90 days retention */
  readonly flowLogs?: { readonly enabled: boolean; readonly retentionDays: number };
  /** KMS key ARN for the flow-log group. @default - CloudWatch Logs' own encryption */
  readonly flowLogsKmsKeyArn?: string;
}

/** 90 days of flow logs: long enough for an incident review, short enough to keep costs flat. */
const DEFAULT_FLOW_LOGS = { enabled: true, retentionDays: 90 };

/**
 * A VPC across availability zones with public subnets (load balancers, NAT) and private subnets
 * (nodes), NAT per zone or one shared, EKS load-balancer subnet tags, VPC flow logs to
 * CloudWatch, and the default security group stripped of all rules (CIS AWS 5.4).
 *
 * Subnets are carved deterministically: private subnet i = cidrsubnet(cidr, 3, i) (a /19 of a
 * /16), public subnet i = cidrsubnet(cidr, 5, 24 + i) (a /21 in the top quarter).
 */
export class AwsVpc extends Construct {
  readonly vpc: AwsVpcResource;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];
  readonly flowLogGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AwsVpcProps) {
    super(scope, id);
    const natMode = props.natGateways ?? "per-az";
    const flowLogs = props.flowLogs ?? DEFAULT_FLOW_LOGS;
    this.validate(props);

    this.vpc = new AwsVpcResource(this, "Vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.name}-default-deny` },
    });
    const igw = new InternetGateway(this, "InternetGateway", {
      vpcId: this.vpc.id,
      tags: { Name: props.name },
    });
    const publicRoutes = new RouteTable(this, "PublicRoutes", {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: { Name: `${props.name}-public` },
    });

    // Subnet ranges follow the zones in sorted order and construct ids name the zone, so the
    // order of availabilityZones in config changes neither ranges nor addresses.
    const zones = [...props.availabilityZones].sort();
    zones.forEach((az, i) => {
      const pub = new Subnet(this, `Public-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: cidrSubnet(props.cidr, 5, 24 + i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${az}`, "kubernetes.io/role/elb": "1", tier: "public" },
      });
      new RouteTableAssociation(this, `PublicAssoc-${az}`, {
        subnetId: pub.id,
        routeTableId: publicRoutes.id,
      });
      this.publicSubnets.push(pub);

      const priv = new Subnet(this, `Private-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: cidrSubnet(props.cidr, 3, i),
        tags: {
          Name: `${props.name}-private-${az}`,
          "kubernetes.io/role/internal-elb": "1",
          tier: "private",
        },
      });
      this.privateSubnets.push(priv);
    });

    const natZones = natMode === "per-az" ? zones : zones.slice(0, 1);
    natZones.forEach((az, i) => {
      const eip = new Eip(this, `NatEip-${az}`, {
        domain: "vpc",
        tags: { Name: `${props.name}-nat-${i}` },
      });
      this.natGateways.push(
        new NatGateway(this, `Nat-${az}`, {
          allocationId: eip.allocationId,
          subnetId: this.publicSubnets[i].id,
          tags: { Name: `${props.name}-nat-${az}` },
          dependsOn: [igw],
        }),
      );
    });
    this.privateSubnets.forEach((subnet, i) => {
      const az = zones[i];
      const nat = this.natGateways[natMode === "per-az" ? i : 0];
      const routes = new RouteTable(this, `PrivateRoutes-${az}`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        tags: { Name: `${props.name}-private-${az}` },
      });
      new RouteTableAssociation(this, `PrivateAssoc-${az}`, {
        subnetId: subnet.id,
        routeTableId: routes.id,
      });
    });

    if (flowLogs.enabled) {
      this.flowLogGroup = new CloudwatchLogGroup(this, "FlowLogGroup", {
        name: `/strata/${props.name}/flow-logs`,
        retentionInDays: flowLogs.retentionDays,
        ...(props.flowLogsKmsKeyArn ? { kmsKeyId: props.flowLogsKmsKeyArn } : {}),
      });
      // The trust names this account's flow logs only (aws:SourceAccount / aws:SourceArn), so no
      // other account's flow log can make the service assume the role (facts/aws-service-principals.json).
      const account = new DataAwsCallerIdentity(this, "Account");
      const partition = new DataAwsPartition(this, "Partition");
      // The zones' region (`us-east-1a` → `us-east-1`; validate() checks they share one).
      const region = props.availabilityZones[0].slice(0, -1);
      const role = new IamRole(this, "FlowLogRole", {
        name: `${props.name}-flow-logs`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "vpc-flow-logs.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: {
                StringEquals: { "aws:SourceAccount": account.accountId },
                ArnLike: {
                  "aws:SourceArn": `arn:${partition.partition}:ec2:${region}:${account.accountId}:vpc-flow-log/*`,
                },
              },
            },
          ],
        }),
      });
      new IamRolePolicy(this, "FlowLogPolicy", {
        name: "write-flow-logs",
        role: role.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: `${this.flowLogGroup.arn}:*`,
            },
          ],
        }),
      });
      new FlowLog(this, "FlowLog", {
        vpcId: this.vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: this.flowLogGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      });
    }
  }

  private validate(props: AwsVpcProps): void {
    const where = this.node.path;
    const c = parseCidr(props.cidr);
    if (!c)
      throw new Error(
        `${where}: cidr "${props.cidr}" is not an IPv4 CIDR; write it like 10.0.0.0/16`,
      );
    if (c.prefix < 16 || c.prefix > 20) {
      throw new Error(
        `${where}: cidr ${props.cidr} must be a /16 to /20 so subnets for ${props.availabilityZones.length} zones fit`,
      );
    }
    const n = props.availabilityZones.length;
    if (n < 2 || n > 6)
      throw new Error(`${where}: availabilityZones has ${n} zones; give 2 to 6 (EKS needs 2)`);
    if (new Set(props.availabilityZones).size !== n) {
      throw new Error(
        `${where}: availabilityZones lists a zone twice: ${props.availabilityZones.join(", ")}`,
      );
    }
    const regions = new Set(props.availabilityZones.map((az) => az.slice(0, -1)));
    if (
      regions.size !== 1 ||
      !props.availabilityZones.every((az) => /^[a-z0-9-]+\d[a-z]$/.test(az))
    ) {
      throw new Error(
        `${where}: availabilityZones must be zones of one region, like us-east-1a and us-east-1b: ${props.availabilityZones.join(", ")}`,
      );
    }
  }
}
