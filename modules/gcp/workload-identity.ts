import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";
import { serviceAccountPrincipal, type GcpPrincipal } from "./iam";

/** Props of {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  /** Project of the Google service account. */
  readonly project: string;
  /** Account id of the Google service account (6–30 characters). */
  readonly accountId: string;
  /** @default - "Workload identity of <namespace>/<kubernetesServiceAccount>" */
  readonly displayName?: string;
  /** Workload identity pool of the cluster the pods run on: `<cluster project>.svc.id.goog`. */
  readonly workloadPool: string;
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account the pods run as. */
  readonly kubernetesServiceAccount: string;
  /**
   * What must exist before the binding: the pool exists only once a cluster with workload
   * identity exists in the pool's project. @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Role that lets a Kubernetes service account act as a Google service account. */
export const WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser";

/**
 * A Google service account for one application with no roles of its own, bound to the
 * application's Kubernetes service account through GKE workload identity. Resources grant it
 * access (`store.grantReadWrite(identity.principal)`); the apps layer annotates the KSA with
 * `iam.gke.io/gcp-service-account: <email>`.
 */
export class WorkloadIdentity extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly binding: ServiceAccountIamMember;
  /** Email of the Google service account (known at synth time). */
  readonly email: string;
  /** The Kubernetes side: `serviceAccount:<pool>[<namespace>/<ksa>]`. */
  readonly kubernetesMember: string;
  /** The Google service account as a principal for grants. */
  readonly principal: GcpPrincipal;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    const idProblem = checkName(props.accountId, {
      ...NAME_RULES.gcp,
      minLength: 6,
      maxLength: 30,
      what: "service account id",
    });
    if (idProblem) fail(`accountId: ${idProblem}`);
    for (const [prop, value] of [
      ["namespace", props.namespace],
      ["kubernetesServiceAccount", props.kubernetesServiceAccount],
    ] as const) {
      const problem = checkName(value, NAME_RULES.dnsLabel);
      if (problem) fail(`${prop}: ${problem}`);
    }
    if (!/^[a-z][-a-z0-9]*\.svc\.id\.goog$/.test(props.workloadPool)) {
      fail(`workloadPool "${props.workloadPool}" must be <project>.svc.id.goog`);
    }

    this.email = `${props.accountId}@${props.project}.iam.gserviceaccount.com`;
    this.principal = serviceAccountPrincipal(this.email);
    this.kubernetesMember = `serviceAccount:${props.workloadPool}[${props.namespace}/${props.kubernetesServiceAccount}]`;
    this.serviceAccount = new ServiceAccount(this, "ServiceAccount", {
      project: props.project,
      accountId: props.accountId,
      displayName:
        props.displayName ??
        `Workload identity of ${props.namespace}/${props.kubernetesServiceAccount}`,
    });
    this.binding = new ServiceAccountIamMember(this, "KubernetesBinding", {
      serviceAccountId: this.serviceAccount.name,
      role: WORKLOAD_IDENTITY_USER,
      member: this.kubernetesMember,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
