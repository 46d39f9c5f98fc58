import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { Construct } from "constructs";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import { EksCluster } from "../../modules/aws/eks-cluster";
import { KmsKey } from "../../modules/aws/kms-key";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { awsRoleName } from "../identity-names";
import { clusterName } from "../kubernetes/cluster-ref";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { awsVpcName } from "./network";
import { awsProvider } from "./provider";

type EksConfig = NonNullable<AwsTargetConfig["cluster"]>;

/** Props of {@link AwsClusterStack}. */
export interface AwsClusterStackProps extends StrataStackProps {
  readonly target: AwsTargetConfig;
  readonly cluster: EksConfig;
}

/**
 * `<env>-aws-cluster`: the EKS cluster `<env>-eks` in the private subnets of `<env>-vpc` (found by
 * tag), its secrets key, and the IRSA roles of the environment's workload identities (`<env>-<app>`),
 * which trust this cluster's OIDC provider. The data and messaging stacks attach their grants to
 * these roles by name.
 */
export class AwsClusterStack extends StrataStack {
  readonly cluster: EksCluster;
  readonly secretsKey: KmsKey;
  /** IRSA roles by application. */
  readonly workloadRoles: ReadonlyMap<string, IamRole>;
  /** The private subnets the cluster and its nodes use. */
  readonly privateSubnets: DataAwsSubnets;

  constructor(scope: Construct, name: string, props: AwsClusterStackProps) {
    super(scope, name, props);
    const { env, target, cluster } = props;
    awsProvider(this, target);
    const vpc = new DataAwsVpc(this, "Vpc", {
      filter: [{ name: "tag:Name", values: [awsVpcName(env.name)] }],
    });
    this.privateSubnets = new DataAwsSubnets(this, "PrivateSubnets", {
      filter: [
        { name: "vpc-id", values: [vpc.id] },
        { name: "tag:tier", values: ["private"] },
      ],
    });
    this.secretsKey = new KmsKey(this, "SecretsKey", {
      alias: resourceName(env.name, "eks-secrets", NAME_RULES.aws),
      description: `Envelope encryption of Kubernetes secrets in ${clusterName(env.name, "aws")}`,
      preventDestroy: env.deletionProtection,
    });
    this.cluster = new EksCluster(this, "Eks", {
      name: clusterName(env.name, "aws"),
      version: cluster.version,
      subnetIds: this.privateSubnets.ids,
      secretsKey: this.secretsKey,
      ...(cluster.publicEndpoint.enabled
        ? { publicAccessCidrs: cluster.publicEndpoint.cidrs }
        : {}),
      privateAccessCidrs: cluster.privateAccessCidrs ?? [target.network.vpcCidr],
      logTypes: cluster.logTypes,
      logRetentionDays: cluster.logRetentionDays,
      adminRoleArns: cluster.adminRoleArns,
      bootstrapCreatorAdmin: cluster.bootstrapCreatorAdmin,
      deletionProtection: env.deletionProtection,
      nodeGroups: cluster.nodeGroups,
      addonVersions: cluster.addons,
      supportType: cluster.supportType,
    });
    const roles = new Map<string, IamRole>();
    target.workloadIdentities.forEach((w) => {
      roles.set(
        w.app,
        this.cluster.serviceAccountRole(`Workload-${w.app}`, {
          roleName: awsRoleName(env.name, w.app),
          namespace: env.workloads.namespace,
          serviceAccount: w.kubernetesServiceAccount,
        }),
      );
    });
    this.workloadRoles = roles;
  }
}
