import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as AwsEksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import {
  EksCluster,
  type EksClusterProps,
  type EksNodeGroupSpec,
} from "../../../modules/aws/eks-cluster";
import { KmsKey } from "../../../modules/aws/kms-key";

const group: EksNodeGroupSpec = {
  name: "default",
  instanceTypes: ["m6i.large"],
  minSize: 1,
  desiredSize: 2,
  maxSize: 3,
};
const base = (scope: Construct): EksClusterProps => ({
  name: "test-eks",
  version: "1.33",
  subnetIds: ["subnet-a", "subnet-b"],
  secretsKey: new KmsKey(scope, "Key", { alias: "test-eks-secrets", description: "t" }),
  nodeGroups: [group],
  addonVersions: {
    vpcCni: "v1.19.5-eksbuild.1",
    coredns: "v1.12.1-eksbuild.2",
    kubeProxy: "v1.33.0-eksbuild.2",
    ebsCsiDriver: "v1.46.0-eksbuild.1",
  },
});
const synth = (p: Partial<EksClusterProps> = {}) =>
  Testing.synthScope((scope) => void new EksCluster(scope, "Eks", { ...base(scope), ...p }));
/** [claim, value] pairs of a trust document's conditions, with the issuer host checked. */
const trustConditions = (out: string, id: string) => {
  const docs = JSON.parse(out).data.aws_iam_policy_document as Record<
    string,
    { statement: Array<{ condition: Array<{ variable: string; values: string[] }> }> }
  >;
  const doc = Object.entries(docs).find(([k]) => k.startsWith(`Eks_${id}`))![1];
  return doc.statement[0].condition.map((c) => {
    expect(c.variable).toMatch(
      /^\$\{replace\(aws_eks_cluster\.\S+\.identity\[0\]\.oidc\[0\]\.issuer, "https:\/\/", ""\)\}:/,
    );
    return [c.variable.split(":").pop(), c.values[0]];
  });
};
const resources = (out: string, type: string) =>
  Object.values(JSON.parse(out).resource[type] ?? {}) as Array<Record<string, unknown>>;

describe("EksCluster defaults", () => {
  test("private endpoint only, secrets encrypted with the key, API authentication mode", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(AwsEksCluster, {
      name: "test-eks",
      version: "1.33",
      vpc_config: {
        subnet_ids: ["subnet-a", "subnet-b"],
        endpoint_private_access: true,
        endpoint_public_access: false,
      },
      encryption_config: {
        provider: { key_arn: expect.stringMatching(/aws_kms_key\.Key_.*\.arn/) },
        resources: ["secrets"],
      },
      access_config: {
        authentication_mode: "API",
        bootstrap_cluster_creator_admin_permissions: true,
      },
      deletion_protection: true,
    });
    const cluster = resources(out, "aws_eks_cluster")[0];
    expect(cluster.vpc_config).not.toHaveProperty("public_access_cidrs");
  });

  test("api, audit and authenticator logs into a group with 90 days retention", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(AwsEksCluster, {
      enabled_cluster_log_types: ["api", "audit", "authenticator"],
    });
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/eks/test-eks/cluster",
      retention_in_days: 90,
    });
  });

  test("the cluster role has AmazonEKSClusterPolicy; the node role the three worker policies", () => {
    const arns = resources(synth(), "aws_iam_role_policy_attachment").map((a) =>
      String(a.policy_arn).replace(/^arn:\$\{[^}]+\}:iam::aws:policy\//, ""),
    );
    expect(arns).toEqual(
      expect.arrayContaining([
        "AmazonEKSClusterPolicy",
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonEC2ContainerRegistryReadOnly",
        "service-role/AmazonEBSCSIDriverPolicy",
      ]),
    );
  });

  test("an OIDC provider for IRSA with the STS audience", () => {
    expect(synth()).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      client_id_list: ["sts.amazonaws.com"],
      url: expect.stringMatching(/identity\[0\]\.oidc\[0\]\.issuer/),
    });
  });

  test("node groups in the given subnets behind an IMDSv2-only launch template, desired size managed", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: {
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
      },
    });
    expect(out).toHaveResourceWithProperties(EksNodeGroup, {
      node_group_name: "default",
      subnet_ids: ["subnet-a", "subnet-b"],
      instance_types: ["m6i.large"],
      capacity_type: "ON_DEMAND",
      ami_type: "AL2023_x86_64_STANDARD",
      scaling_config: { min_size: 1, desired_size: 2, max_size: 3 },
      update_config: { max_unavailable: 1 },
      launch_template: {
        id: expect.stringMatching(/aws_launch_template/),
        version: expect.any(String),
      },
    });
    expect(resources(out, "aws_eks_node_group")[0]).not.toHaveProperty("lifecycle");
  });

  test("standard support only: at its end EKS upgrades the control plane instead of billing extended support", () => {
    expect(synth()).toHaveResourceWithProperties(AwsEksCluster, {
      upgrade_policy: { support_type: "STANDARD" },
    });
    expect(synth({ supportType: "EXTENDED" })).toHaveResourceWithProperties(AwsEksCluster, {
      upgrade_policy: { support_type: "EXTENDED" },
    });
  });

  test("the private endpoint admits the given networks on 443 through the cluster security group", () => {
    expect(resources(synth(), "aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(
      resources(
        synth({ privateAccessCidrs: ["10.0.0.0/16", "10.8.0.0/24"] }),
        "aws_vpc_security_group_ingress_rule",
      ),
    ).toEqual([
      expect.objectContaining({
        cidr_ipv4: "10.0.0.0/16",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        security_group_id: expect.stringMatching(
          /^\$\{aws_eks_cluster\.Eks_Cluster_[^.]+\.vpc_config\[0\]\.cluster_security_group_id\}$/,
        ),
      }),
      expect.objectContaining({ cidr_ipv4: "10.8.0.0/24" }),
    ]);
  });

  test("add-ons not pinned take EKS's default version for the cluster's minor", () => {
    const out = JSON.parse(synth({ addonVersions: { kubeProxy: "v1.33.0-eksbuild.2" } }));
    const lookups = Object.entries(
      out.data.aws_eks_addon_version as Record<string, Record<string, unknown>>,
    );
    expect(lookups.map(([, d]) => d.addon_name).sort()).toEqual([
      "aws-ebs-csi-driver",
      "coredns",
      "vpc-cni",
    ]);
    for (const [, d] of lookups) {
      expect(d.kubernetes_version).toMatch(/^\$\{aws_eks_cluster\.Eks_Cluster_[^.]+\.version\}$/);
      expect(d).not.toHaveProperty("most_recent");
    }
    const addons = Object.values(
      out.resource.aws_eks_addon as Record<string, Record<string, string>>,
    );
    const version = (name: string) => addons.find((a) => a.addon_name === name)!.addon_version;
    expect(version("kube-proxy")).toBe("v1.33.0-eksbuild.2");
    expect(version("coredns")).toMatch(
      /^\$\{data\.aws_eks_addon_version\.Eks_CoreDnsVersion_[^.]+\.version\}$/,
    );
  });

  test("the VPC CNI enforces NetworkPolicies (its network-policy agent on)", () => {
    const cni = resources(synth(), "aws_eks_addon").find((a) => a.addon_name === "vpc-cni")!;
    expect(JSON.parse(String(cni.configuration_values))).toEqual({ enableNetworkPolicy: "true" });
  });

  test("the four managed add-ons at the given versions; EBS CSI with its own IRSA role", () => {
    const out = synth();
    for (const [name, version] of [
      ["vpc-cni", "v1.19.5-eksbuild.1"],
      ["coredns", "v1.12.1-eksbuild.2"],
      ["kube-proxy", "v1.33.0-eksbuild.2"],
      ["aws-ebs-csi-driver", "v1.46.0-eksbuild.1"],
    ]) {
      expect(out).toHaveResourceWithProperties(EksAddon, {
        addon_name: name,
        addon_version: version,
      });
    }
    expect(out).toHaveResourceWithProperties(EksAddon, {
      addon_name: "aws-ebs-csi-driver",
      service_account_role_arn: expect.stringMatching(/aws_iam_role\.Eks_EbsCsiRole/),
    });
    const ebsRole = resources(out, "aws_iam_role").find((r) => r.name === "test-eks-ebs-csi")!;
    expect(ebsRole.assume_role_policy).toMatch(
      /data\.aws_iam_policy_document\.Eks_EbsCsiRoleTrust/,
    );
    expect(trustConditions(out, "EbsCsiRoleTrust")).toEqual([
      ["sub", "system:serviceaccount:kube-system:ebs-csi-controller-sa"],
      ["aud", "sts.amazonaws.com"],
    ]);
  });

  test("no access entries unless admin roles are given", () => {
    expect(synth()).not.toHaveResource(EksAccessEntry);
  });
});

describe("EksCluster options", () => {
  test("public endpoint limited to CIDRs", () => {
    expect(synth({ publicAccessCidrs: ["203.0.113.0/24"] })).toHaveResourceWithProperties(
      AwsEksCluster,
      {
        vpc_config: expect.objectContaining({
          endpoint_public_access: true,
          endpoint_private_access: true,
          public_access_cidrs: ["203.0.113.0/24"],
        }),
      },
    );
  });

  test("admin roles get access entries with the cluster-admin policy", () => {
    const arn = "arn:aws:iam::123456789012:role/platform-admin";
    const out = synth({ adminRoleArns: [arn], bootstrapCreatorAdmin: false });
    expect(out).toHaveResourceWithProperties(EksAccessEntry, {
      principal_arn: arn,
      type: "STANDARD",
    });
    expect(out).toHaveResourceWithProperties(EksAccessPolicyAssociation, {
      principal_arn: arn,
      policy_arn: expect.stringMatching(
        /:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/,
      ),
      access_scope: { type: "cluster" },
    });
    expect(out).toHaveResourceWithProperties(AwsEksCluster, {
      access_config: expect.objectContaining({
        bootstrap_cluster_creator_admin_permissions: false,
      }),
    });
  });

  test("an autoscaled group ignores desired_size after creation; spot, labels, taints", () => {
    const out = synth({
      nodeGroups: [
        {
          ...group,
          autoscaled: true,
          capacityType: "SPOT",
          labels: { pool: "batch" },
          taints: [{ key: "batch", value: "true", effect: "NoSchedule" }],
          maxUnavailable: 2,
        },
      ],
    });
    expect(out).toHaveResourceWithProperties(EksNodeGroup, {
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] },
      capacity_type: "SPOT",
      labels: { pool: "batch" },
      taint: [{ key: "batch", value: "true", effect: "NO_SCHEDULE" }],
      update_config: { max_unavailable: 2 },
    });
  });

  test("log types, retention and deletion protection off", () => {
    const out = synth({
      logTypes: ["api", "audit", "authenticator", "scheduler"],
      logRetentionDays: 365,
      deletionProtection: false,
    });
    expect(out).toHaveResourceWithProperties(AwsEksCluster, {
      enabled_cluster_log_types: ["api", "audit", "authenticator", "scheduler"],
      deletion_protection: false,
    });
    expect(out).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 365 });
  });

  test("serviceAccountRole trusts only that service account, with sub and aud", () => {
    const out = Testing.synthScope((scope) => {
      const eks = new EksCluster(scope, "Eks", base(scope));
      eks.serviceAccountRole("App", {
        roleName: "test-app",
        namespace: "ns",
        serviceAccount: "app",
      });
    });
    const role = resources(out, "aws_iam_role").find((r) => r.name === "test-app")!;
    expect(role.assume_role_policy).toMatch(/data\.aws_iam_policy_document\.Eks_AppTrust/);
    expect(out).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [
            {
              type: "Federated",
              identifiers: [expect.stringMatching(/aws_iam_openid_connect_provider/)],
            },
          ],
        }),
      ],
    });
    expect(trustConditions(out, "AppTrust")).toEqual([
      ["sub", "system:serviceaccount:ns:app"],
      ["aud", "sts.amazonaws.com"],
    ]);
    expect(out).not.toHaveResourceWithProperties(IamRolePolicyAttachment, { role: "test-app" });
  });
});

describe("EksCluster validation", () => {
  test.each(["1.33.2", "v1.33", "1.x", "133"])("Kubernetes version %s", (version) => {
    expect(() => synth({ version })).toThrow(
      /is not a Kubernetes minor version; write it like "1\.33"/,
    );
  });
  test("min > desired > max out of order", () => {
    expect(() =>
      synth({ nodeGroups: [{ ...group, minSize: 3, desiredSize: 2, maxSize: 1 }] }),
    ).toThrow(/minSize <= desiredSize <= maxSize; got minSize 3, desiredSize 2, maxSize 1/);
  });
  test("empty instance type list", () => {
    expect(() => synth({ nodeGroups: [{ ...group, instanceTypes: [] }] })).toThrow(
      /instanceTypes is empty/,
    );
  });
  test("no node groups, duplicate node group names", () => {
    expect(() => synth({ nodeGroups: [] })).toThrow(/nodeGroups is empty/);
    expect(() => synth({ nodeGroups: [group, group] })).toThrow(/"default" is used twice/);
  });
  test("an empty public CIDR list, an invalid CIDR", () => {
    expect(() => synth({ publicAccessCidrs: [] })).toThrow(/publicAccessCidrs is empty/);
    expect(() => synth({ publicAccessCidrs: ["10.0.0/8"] })).toThrow(/is not an IPv4 CIDR/);
  });
  test("an unknown log type, maxUnavailable out of range", () => {
    expect(() => synth({ logTypes: ["api", "kubelet" as never] })).toThrow(/EKS log types are/);
    expect(() => synth({ nodeGroups: [{ ...group, maxUnavailable: 0 }] })).toThrow(
      /maxUnavailable \(0\) must be a whole number from 1 to 100/,
    );
  });
});
