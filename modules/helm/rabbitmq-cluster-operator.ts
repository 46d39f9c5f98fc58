import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link RabbitmqClusterOperator}. */
export interface RabbitmqClusterOperatorProps {
  readonly namespace: string;
  /** @default "rabbitmq-cluster-operator" */
  readonly name?: string;
  /** CloudPirates `rabbitmq-cluster-operator` chart version. @default "0.6.5" */
  readonly version?: string;
  /** Operator replicas (leader election; one works at a time). @default 1 */
  readonly replicas?: number;
  /** @default - requests 50m / 128Mi, memory limit 256Mi */
  readonly resources?: ResourceRequirements;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Resources the release needs first (its namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * CloudPirates' chart repository. The RabbitMQ team publishes no Helm chart for the operator (its
 * one distribution is the release manifest `cluster-operator.yml`, rabbitmq/cluster-operator
 * README.md#L7-L10 at v2.22.3); this chart installs the upstream images (docs/data-services.md).
 */
export const RABBITMQ_OPERATOR_REPOSITORY = "oci://registry-1.docker.io/cloudpirates";
/**
 * CloudPirates `rabbitmq-cluster-operator` 0.6.5 (tag rabbitmq-cluster-operator-0.6.5,
 * 2026-08-20, the newest in the snapshot): cluster-operator 2.22.4 and RabbitMQ 4.3.5 images;
 * facts/charts.json, values keys in __tests__/fixtures/chart-values/rabbitmq-cluster-operator-0.6.5.json.
 * Its CRDs are in the chart's crds/, which Helm installs once and never upgrades: a version change
 * is a review danger until the new CRDs are applied (docs/data-services.md#crd-upgrades).
 */
export const DEFAULT_RABBITMQ_CLUSTER_OPERATOR_VERSION = "0.6.5";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { memory: "256Mi" },
};

/**
 * The RabbitMQ Cluster Operator (rabbitmq/cluster-operator, by the RabbitMQ team) watching every
 * namespace for RabbitmqCluster resources. Its own admission webhook stays off (the chart's
 * default, `ENABLE_WEBHOOKS=false`), and the bundled Messaging Topology Operator is not installed:
 * Strata declares no exchanges, queues or users as resources (apps declare their exchange; the
 * operator's default user is theirs), and it would add a webhook on port 9443, which private GKE
 * clusters do not admit from the control plane. Its pods run non-root, read-only, all
 * capabilities dropped, seccomp RuntimeDefault: Pod Security `restricted` (facts/charts.json).
 */
export class RabbitmqClusterOperator extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: RabbitmqClusterOperatorProps) {
    super(scope, id);
    const path = this.node.path;
    const replicas = props.replicas ?? 1;
    checkMinimum(path, "replicas", replicas, 1, "the operator needs a pod");
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkResources(path, "resources", resources);
    const values: RabbitmqClusterOperatorValues = {
      commonLabels: { ...props.labels },
      clusterOperator: {
        replicaCount: replicas,
        resources,
        webhook: { enabled: false },
      },
      msgTopologyOperator: { enabled: false },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "rabbitmq-cluster-operator",
      namespace: props.namespace,
      chart: {
        repository: RABBITMQ_OPERATOR_REPOSITORY,
        chart: "rabbitmq-cluster-operator",
        version: props.version ?? DEFAULT_RABBITMQ_CLUSTER_OPERATOR_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

/** The chart values Strata sets. */
export interface RabbitmqClusterOperatorValues {
  readonly commonLabels: Record<string, string>;
  readonly clusterOperator: {
    readonly replicaCount: number;
    readonly resources: ResourceRequirements;
    readonly webhook: { readonly enabled: boolean };
  };
  readonly msgTopologyOperator: { readonly enabled: boolean };
}
