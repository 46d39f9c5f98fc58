import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";

/** Props of {@link IrsaRole}. */
export interface IrsaRoleProps {
  /** IAM role name (at most 64 characters). */
  readonly roleName: string;
  /** The EKS cluster whose service account assumes the role, found by name (in this account). */
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly description?: string;
}

/**
 * An IAM role for one Kubernetes service account of an EKS cluster created elsewhere (another
 * stack, or another environment's shared cluster): the cluster and its IAM OIDC provider are read
 * by name, and the trust policy admits web identities whose `sub` is
 * `system:serviceaccount:<namespace>:<serviceAccount>` and whose `aud` is `sts.amazonaws.com`,
 * as EksCluster.serviceAccountRole does for roles made beside the cluster.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  /** `system:serviceaccount:<namespace>:<serviceAccount>`. */
  readonly subject: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const problem = checkName(props.roleName, { ...NAME_RULES.aws, what: "IAM role name" });
    if (problem) throw new Error(`${this.node.path}: roleName: ${problem}`);
    for (const [prop, value] of [
      ["namespace", props.namespace],
      ["serviceAccount", props.serviceAccount],
    ] as const) {
      const bad = checkName(value, NAME_RULES.dnsLabel);
      if (bad) throw new Error(`${this.node.path}: ${prop}: ${bad}`);
    }
    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;
    const cluster = new DataAwsEksCluster(this, "Cluster", { name: props.clusterName });
    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    const provider = new DataAwsIamOpenidConnectProvider(this, "OidcProvider", { url: issuer });
    const host = Fn.replace(issuer, "https://", "");
    // A policy document data source: the condition keys hold a Terraform expression.
    const trust = new DataAwsIamPolicyDocument(this, "Trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [provider.arn] }],
          condition: [
            { test: "StringEquals", variable: `${host}:sub`, values: [this.subject] },
            { test: "StringEquals", variable: `${host}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
    });
  }
}
