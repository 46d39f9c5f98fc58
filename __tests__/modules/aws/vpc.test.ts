import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Testing } from "cdktf";
import { AwsVpc, type AwsVpcProps } from "../../../modules/aws/vpc";

const props: AwsVpcProps = {
  name: "test-vpc",
  cidr: "10.30.0.0/16",
  availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
};
const synth = (p: Partial<AwsVpcProps> = {}) =>
  JSON.parse(
    Testing.synthScope((scope) => {
      new AwsVpc(scope, "Vpc", { ...props, ...p });
    }),
  );
const count = (tf: { resource: Record<string, Record<string, unknown>> }, type: string) =>
  Object.keys(tf.resource[type] ?? {}).length;

describe("AwsVpc defaults", () => {
  test("VPC with DNS, public and private subnet per zone, EKS load-balancer tags", () => {
    const out = Testing.synthScope((scope) => void new AwsVpc(scope, "Vpc", props));
    expect(out).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.30.0.0/16",
      enable_dns_hostnames: true,
      enable_dns_support: true,
    });
    expect(out).toHaveResourceWithProperties(Subnet, {
      cidr_block: "10.30.0.0/19",
      availability_zone: "eu-west-1a",
      tags: expect.objectContaining({ "kubernetes.io/role/internal-elb": "1" }),
    });
    expect(out).toHaveResourceWithProperties(Subnet, {
      cidr_block: "10.30.192.0/21",
      map_public_ip_on_launch: false,
      tags: expect.objectContaining({ "kubernetes.io/role/elb": "1" }),
    });
    expect(count(JSON.parse(out), "aws_subnet")).toBe(6);
  });

  test("a NAT gateway per zone", () => {
    expect(count(synth(), "aws_nat_gateway")).toBe(3);
  });

  test("flow logs of all traffic, and a default security group with no rules", () => {
    const out = Testing.synthScope((scope) => void new AwsVpc(scope, "Vpc", props));
    expect(out).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    expect(out).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });
});

describe("AwsVpc opt-outs", () => {
  test("single NAT gateway routes every private subnet through it", () => {
    const tf = synth({ natGateways: "single" });
    expect(count(tf, "aws_nat_gateway")).toBe(1);
    const natRoutes = Object.values(
      tf.resource.aws_route_table as Record<string, { route: Array<{ nat_gateway_id?: string }> }>,
    )
      .flatMap((t) => t.route)
      .filter((r) => r.nat_gateway_id);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
    expect(natRoutes).toHaveLength(3);
  });

  test("flow logs off", () => {
    const out = Testing.synthScope(
      (scope) =>
        void new AwsVpc(scope, "Vpc", {
          ...props,
          flowLogs: { enabled: false, retentionDays: 90 },
        }),
    );
    expect(out).not.toHaveResource(FlowLog);
    expect(out).not.toHaveResource(CloudwatchLogGroup);
  });
});

describe("AwsVpc validation", () => {
  test("one zone is not enough for EKS", () => {
    expect(() => synth({ availabilityZones: ["eu-west-1a"] })).toThrow(
      /give 2 to 6 \(EKS needs 2\)/,
    );
  });
  test("VPC range outside /16–/20", () => {
    expect(() => synth({ cidr: "10.0.0.0/24" })).toThrow(/must be a \/16 to \/20/);
  });
  test("duplicate zones", () => {
    expect(() => synth({ availabilityZones: ["eu-west-1a", "eu-west-1a"] })).toThrow(
      /lists a zone twice/,
    );
  });
});
