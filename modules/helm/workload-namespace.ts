import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { checkNamespace, type KubernetesLabels } from "./kubernetes-values";

/** Pod Security Standards levels. @see https://kubernetes.io/docs/concepts/security/pod-security-standards/ */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** Props of {@link WorkloadNamespace}. */
export interface WorkloadNamespaceProps {
  readonly name: string;
  /** Level Pod Security Admission enforces (warn and audit follow it). @default "restricted" */
  readonly podSecurity?: PodSecurityLevel;
  /** Standard labels (environment, team, app.kubernetes.io/*). @default {} */
  readonly labels?: KubernetesLabels;
}

/**
 * A namespace with Pod Security Admission labels (enforce, warn and audit at one level, pinned to
 * the cluster's version) and the standard labels.
 */
export class WorkloadNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly name: string;

  constructor(scope: Construct, id: string, props: WorkloadNamespaceProps) {
    super(scope, id);
    checkNamespace(this.node.path, props.name);
    const level = props.podSecurity ?? "restricted";
    this.name = props.name;
    this.namespace = new NamespaceV1(this, "Namespace", {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          "kubernetes.io/metadata.name": props.name,
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/warn": level,
          "pod-security.kubernetes.io/audit": level,
        },
      },
    });
  }
}
