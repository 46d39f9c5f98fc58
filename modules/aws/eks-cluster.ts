import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as AwsEksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { parseCidr } from "../common/cidr";
import { policyDocument } from "./iam-policy";
import type { KmsKey } from "./kms-key";

/** Control-plane log types EKS can send to CloudWatch Logs. */
export const EKS_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;
export type EksLogType = (typeof EKS_LOG_TYPES)[number];

/** A Kubernetes taint on every node of a group. */
export interface NodeTaint {
  readonly key: string;
  /** @default - no value */
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A managed node group in the private subnets. */
export interface EksNodeGroupSpec {
  /** Node group name, unique in the cluster (1–63 letters, digits, - and _). */
  readonly name: string;
  /** EC2 instance types; several spread spot capacity across pools. Not empty. */
  readonly instanceTypes: readonly string[];
  /** @default "ON_DEMAND" */
  readonly capacityType?: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Nodes replaced at once during an update. @default 1 */
  readonly maxUnavailable?: number;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly taints?: readonly NodeTaint[];
  /**
   * The cluster autoscaler (or Karpenter) owns the node count: `desired_size` is ignored after
   * creation, so `tofu apply` does not scale the group back.
   * @default false
   */
  readonly autoscaled?: boolean;
  /** @default "AL2023_x86_64_STANDARD" (Amazon Linux 2 AMIs end with Kubernetes 1.32) */
  readonly amiType?: string;
}

/**
 * Pinned versions of the managed add-ons (`aws eks describe-addon-versions --kubernetes-version
 * <minor>`). One left out takes the version EKS marks as the default for the cluster's Kubernetes
 * version (`aws_eks_addon_version`), so it follows the cluster through upgrades.
 */
export interface EksAddonVersions {
  readonly vpcCni?: string;
  readonly coredns?: string;
  readonly kubeProxy?: string;
  readonly ebsCsiDriver?: string;
}

/** Props of {@link EksCluster}. */
export interface EksClusterProps {
  /** Cluster name (`<env>-eks`; the Helm layers look the cluster up by it). */
  readonly name: string;
  /** Kubernetes minor version, like "1.33". */
  readonly version: string;
  /** Private subnets (2+ zones) for the control-plane interfaces and the nodes. */
  readonly subnetIds: string[];
  /** Key for envelope encryption of Kubernetes secrets. */
  readonly secretsKey: KmsKey;
  readonly nodeGroups: readonly EksNodeGroupSpec[];
  /** @default {} (every add-on at EKS's default version for the cluster's minor) */
  readonly addonVersions?: EksAddonVersions;
  /**
   * At the end of standard support: STANDARD upgrades the control plane, EXTENDED keeps the minor
   * and bills extended support (AWS's default when unset). @default "STANDARD"
   */
  readonly supportType?: "STANDARD" | "EXTENDED";
  /**
   * CIDRs allowed to reach the public API endpoint; the public endpoint is on only when given.
   * The private endpoint is always on.
   * @default - public endpoint off
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * CIDRs that reach the private API endpoint over HTTPS: the cluster security group admits only
   * itself by default, so whatever applies the Helm layers from inside the network (a runner, a
   * VPN) needs a rule. @default [] (no rule)
   */
  readonly privateAccessCidrs?: readonly string[];
  /** @default ["api", "audit", "authenticator"] */
  readonly logTypes?: readonly EksLogType[];
  /** Days of control-plane logs (a value CloudWatch accepts). @default 90 */
  readonly logRetentionDays?: number;
  /** IAM role ARNs given cluster-admin through access entries. @default [] */
  readonly adminRoleArns?: readonly string[];
  /**
   * Give whoever creates the cluster cluster-admin (an access entry EKS manages), so the same
   * credentials can apply the Helm layers.
   * @default true
   */
  readonly bootstrapCreatorAdmin?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
}

/** What a service-account role needs to be assumed through IRSA. */
export interface ServiceAccountRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Managed policy ARNs to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
}

/** api, audit and authenticator: who did what, and who logged in (CIS EKS 2.1.1). */
const DEFAULT_LOG_TYPES: readonly EksLogType[] = ["api", "audit", "authenticator"];
/** 90 days, as the VPC flow logs. */
const DEFAULT_LOG_RETENTION_DAYS = 90;
/** AL2 AMIs are not published for Kubernetes 1.33 and later. */
const DEFAULT_AMI_TYPE = "AL2023_x86_64_STANDARD";
/**
 * Hop limit 1: pods (not on the host network) cannot reach IMDS and borrow the node role; they use
 * IRSA. @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
 */
const IMDS_HOP_LIMIT = 1;
const TAINT_EFFECTS = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
} as const;

/**
 * An EKS cluster as terraform-aws-modules/eks sets one up for production: private API endpoint
 * (public only for listed CIDRs), envelope encryption of secrets with a KMS key, control-plane logs
 * with a retention, access entries (authentication mode API, no aws-auth ConfigMap), an IAM OIDC
 * provider for IRSA, managed node groups in private subnets behind IMDSv2-only launch templates,
 * and the managed add-ons vpc-cni, coredns, kube-proxy and aws-ebs-csi-driver (with its own role).
 */
export class EksCluster extends Construct {
  readonly resource: AwsEksCluster;
  readonly clusterRole: IamRole;
  readonly nodeRole: IamRole;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly nodeGroups: EksNodeGroup[] = [];
  readonly addons: Readonly<Record<keyof EksAddonVersions, EksAddon>>;
  readonly logGroup: CloudwatchLogGroup;
  /** Issuer host without the scheme: the prefix of IRSA condition keys. */
  readonly oidcIssuerHost: string;
  private readonly partition: DataAwsPartition;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const logTypes = props.logTypes ?? DEFAULT_LOG_TYPES;
    const adminRoleArns = props.adminRoleArns ?? [];
    this.validate(props);

    this.partition = new DataAwsPartition(this, "Partition");
    const managed = (policy: string) => `arn:${this.partition.partition}:iam::aws:policy/${policy}`;

    this.clusterRole = new IamRole(this, "ClusterRole", {
      name: `${props.name}-cluster`,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
        },
      ]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "ClusterPolicy", {
      role: this.clusterRole.name,
      policyArn: managed("AmazonEKSClusterPolicy"),
    });
    const keyPolicy = new IamRolePolicy(this, "ClusterKeyPolicy", {
      role: this.clusterRole.id,
      name: "secrets-encryption",
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: props.secretsKey.arn,
        },
      ]),
    });

    // EKS would create this group itself, without a retention; creating it first keeps it ours.
    this.logGroup = new CloudwatchLogGroup(this, "ControlPlaneLogs", {
      name: `/aws/eks/${props.name}/cluster`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });

    const publicCidrs = props.publicAccessCidrs ?? [];
    this.resource = new AwsEksCluster(this, "Cluster", {
      name: props.name,
      version: props.version,
      roleArn: this.clusterRole.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        ...(publicCidrs.length > 0 ? { publicAccessCidrs: [...publicCidrs] } : {}),
      },
      encryptionConfig: {
        provider: { keyArn: props.secretsKey.arn },
        resources: ["secrets"],
      },
      // A set to EKS: sorted, so the order in config changes nothing.
      enabledClusterLogTypes: [...logTypes].sort(),
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: props.bootstrapCreatorAdmin ?? true,
      },
      deletionProtection: props.deletionProtection ?? true,
      upgradePolicy: { supportType: props.supportType ?? "STANDARD" },
      dependsOn: [clusterPolicy, keyPolicy, this.logGroup],
    });

    for (const cidr of [...new Set(props.privateAccessCidrs ?? [])].sort()) {
      new VpcSecurityGroupIngressRule(this, `ApiAccess-${cidr.replace("/", "_")}`, {
        securityGroupId: this.resource.vpcConfig.clusterSecurityGroupId,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API of ${props.name} from ${cidr}`,
      });
    }

    const issuer = this.resource.identity.get(0).oidc.get(0).issuer;
    this.oidcIssuerHost = Fn.replace(issuer, "https://", "");
    this.oidcProvider = new IamOpenidConnectProvider(this, "OidcProvider", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
    });

    adminRoleArns.forEach((principalArn) => {
      // Named by the role (the ARN's last part), not by its place in the list.
      const role = principalArn.split("/").pop()!;
      const entry = new EksAccessEntry(this, `AdminAccess-${role}`, {
        clusterName: this.resource.name,
        principalArn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `AdminPolicy-${role}`, {
        clusterName: this.resource.name,
        principalArn,
        policyArn: `arn:${this.partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
        dependsOn: [entry],
      });
    });

    this.nodeRole = new IamRole(this, "NodeRole", {
      name: `${props.name}-node`,
      assumeRolePolicy: policyDocument([
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    });
    const nodePolicies = (
      [
        ["NodeWorkerPolicy", "AmazonEKSWorkerNodePolicy"],
        ["NodeCniPolicy", "AmazonEKS_CNI_Policy"],
        ["NodeRegistryPolicy", "AmazonEC2ContainerRegistryReadOnly"],
      ] as const
    ).map(
      ([attachmentId, policy]) =>
        new IamRolePolicyAttachment(this, attachmentId, {
          role: this.nodeRole.name,
          policyArn: managed(policy),
        }),
    );

    props.nodeGroups.forEach((ng) => {
      const template = new LaunchTemplate(this, `NodeTemplate-${ng.name}`, {
        name: `${props.name}-${ng.name}`,
        updateDefaultVersion: true,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: IMDS_HOP_LIMIT,
        },
      });
      this.nodeGroups.push(
        new EksNodeGroup(this, `NodeGroup-${ng.name}`, {
          clusterName: this.resource.name,
          nodeGroupName: ng.name,
          nodeRoleArn: this.nodeRole.arn,
          subnetIds: props.subnetIds,
          instanceTypes: [...ng.instanceTypes],
          capacityType: ng.capacityType ?? "ON_DEMAND",
          amiType: ng.amiType ?? DEFAULT_AMI_TYPE,
          scalingConfig: { minSize: ng.minSize, desiredSize: ng.desiredSize, maxSize: ng.maxSize },
          updateConfig: { maxUnavailable: ng.maxUnavailable ?? 1 },
          labels: { ...(ng.labels ?? {}) },
          taint: (ng.taints ?? []).map((t) => ({
            key: t.key,
            ...(t.value !== undefined ? { value: t.value } : {}),
            effect: TAINT_EFFECTS[t.effect],
          })),
          launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
          ...(ng.autoscaled
            ? { lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] } }
            : {}),
          dependsOn: nodePolicies,
        }),
      );
    });

    const ebsCsiRole = this.serviceAccountRole("EbsCsiRole", {
      roleName: `${props.name}-ebs-csi`,
      namespace: "kube-system",
      serviceAccount: "ebs-csi-controller-sa",
      managedPolicyArns: [managed("service-role/AmazonEBSCSIDriverPolicy")],
    });
    const addon = (
      addonId: string,
      addonName: string,
      pinned: string | undefined,
      extra: object = {},
    ) =>
      new EksAddon(this, addonId, {
        clusterName: this.resource.name,
        addonName,
        addonVersion:
          pinned ??
          new DataAwsEksAddonVersion(this, `${addonId}Version`, {
            addonName,
            kubernetesVersion: this.resource.version,
          }).version,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      });
    const versions = props.addonVersions ?? {};
    // vpc-cni and kube-proxy are node-level and go first; coredns and the EBS CSI controller are
    // Deployments that need nodes to become healthy.
    this.addons = {
      // The VPC CNI's network-policy agent is off unless asked: without it every NetworkPolicy
      // (the apps', the data charts') is silently ignored on EKS, while GKE and DOKS enforce them
      // (EKS user guide, "Restrict Pod network traffic with Kubernetes network policies").
      vpcCni: addon("VpcCni", "vpc-cni", versions.vpcCni, {
        configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
      }),
      kubeProxy: addon("KubeProxy", "kube-proxy", versions.kubeProxy),
      coredns: addon("CoreDns", "coredns", versions.coredns, {
        dependsOn: this.nodeGroups,
      }),
      ebsCsiDriver: addon("EbsCsiDriver", "aws-ebs-csi-driver", versions.ebsCsiDriver, {
        serviceAccountRoleArn: ebsCsiRole.arn,
        dependsOn: this.nodeGroups,
      }),
    };
  }

  /**
   * An IAM role only the Kubernetes service account `namespace/serviceAccount` of this cluster
   * can assume (IRSA: web identity federation, conditions on `sub` and `aud`).
   */
  serviceAccountRole(id: string, props: ServiceAccountRoleProps): IamRole {
    // A policy document data source, not JSON.stringify: the condition keys hold a function call
    // (replace) that must stay a Terraform expression.
    const trust = new DataAwsIamPolicyDocument(this, `${id}Trust`, {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [this.oidcProvider.arn] }],
          condition: [
            {
              test: "StringEquals",
              variable: `${this.oidcIssuerHost}:sub`,
              values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`],
            },
            {
              test: "StringEquals",
              variable: `${this.oidcIssuerHost}:aud`,
              values: ["sts.amazonaws.com"],
            },
          ],
        },
      ],
    });
    const role = new IamRole(this, id, { name: props.roleName, assumeRolePolicy: trust.json });
    for (const policyArn of props.managedPolicyArns ?? []) {
      // Named by the policy (the ARN's last part), not by its place in the list.
      const policy = policyArn.split("/").pop()!;
      if (!/^[\w+=,.@-]+$/.test(policy)) {
        throw new Error(
          `${this.node.path}: managed policy ARN ${policyArn} must end in a literal policy name`,
        );
      }
      new IamRolePolicyAttachment(this, `${id}Policy-${policy}`, { role: role.name, policyArn });
    }
    return role;
  }

  private validate(props: EksClusterProps): void {
    const where = this.node.path;
    const fail = (message: string): never => {
      throw new Error(`${where}: ${message}`);
    };
    if (!/^1\.\d{2}$/.test(props.version)) {
      fail(
        `version "${props.version}" is not a Kubernetes minor version; write it like "1.33" (EKS takes major.minor, no patch, no "v")`,
      );
    }
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$/.test(props.name)) {
      fail(`name "${props.name}" must be 1–100 letters, digits, - and _, starting alphanumeric`);
    }
    if (props.publicAccessCidrs !== undefined) {
      if (props.publicAccessCidrs.length === 0) {
        fail(
          "publicAccessCidrs is empty; list the CIDRs allowed to reach the public endpoint, or omit it to keep the endpoint private",
        );
      }
      props.publicAccessCidrs.forEach((c, i) => {
        if (!parseCidr(c)) fail(`publicAccessCidrs[${i}] "${c}" is not an IPv4 CIDR`);
      });
    }
    for (const t of props.logTypes ?? []) {
      if (!(EKS_LOG_TYPES as readonly string[]).includes(t)) {
        fail(`logTypes has "${t}"; EKS log types are ${EKS_LOG_TYPES.join(", ")}`);
      }
    }
    if (props.nodeGroups.length === 0) {
      fail("nodeGroups is empty; give at least one managed node group (coredns needs nodes)");
    }
    const names = new Set<string>();
    props.nodeGroups.forEach((ng, i) => {
      const path = `nodeGroups[${i}] (${ng.name})`;
      if (names.has(ng.name)) fail(`${path}: node group name "${ng.name}" is used twice`);
      names.add(ng.name);
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/.test(ng.name)) {
        fail(`${path}: name must be 1–63 letters, digits, - and _, starting alphanumeric`);
      }
      if (ng.instanceTypes.length === 0) {
        fail(
          `${path}: instanceTypes is empty; list at least one EC2 instance type, e.g. ["m6i.large"]`,
        );
      }
      const sizes = [ng.minSize, ng.desiredSize, ng.maxSize];
      if (!sizes.every((n) => Number.isInteger(n) && n >= 0) || ng.maxSize < 1) {
        fail(`${path}: minSize, desiredSize and maxSize must be whole numbers and maxSize >= 1`);
      }
      if (!(ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize)) {
        fail(
          `${path}: sizes must satisfy minSize <= desiredSize <= maxSize; got minSize ${ng.minSize}, desiredSize ${ng.desiredSize}, maxSize ${ng.maxSize}`,
        );
      }
      const maxUnavailable = ng.maxUnavailable ?? 1;
      if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > 100) {
        fail(`${path}: maxUnavailable (${maxUnavailable}) must be a whole number from 1 to 100`);
      }
    });
  }
}
