import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link StrimziOperator}. */
export interface StrimziOperatorProps {
  readonly namespace: string;
  /** @default "strimzi" */
  readonly name?: string;
  /** strimzi-kafka-operator chart version (= the Strimzi version). @default "1.2.0" */
  readonly version?: string;
  /** Operator replicas (leader election; a PodDisruptionBudget keeps one when > 1). @default 1 */
  readonly replicas?: number;
  /** @default - the chart's: requests 200m / 384Mi, limits 1 CPU / 384Mi */
  readonly resources?: ResourceRequirements;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Resources the release needs first (the namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** The chart README's install reference (packaging/helm-charts/helm3/strimzi-kafka-operator/README.md at 1.2.0). */
export const STRIMZI_REPOSITORY = "oci://quay.io/strimzi-helm";
/** Released 2026-08-18 (facts/charts.json); Kafka 4.3.1 is its default Kafka version. */
export const DEFAULT_STRIMZI_VERSION = "1.2.0";
/** The Kafka version Strata runs: the default of Strimzi 1.2.0 (kafka-versions.yaml `default: true`). */
export const STRIMZI_KAFKA_VERSION = "4.3.1";
/**
 * The operator's pod security provider: `restricted` makes every operand pod (Kafka nodes, entity
 * operator) meet Pod Security `restricted`; the default is Baseline
 * (ClusterOperatorConfig.java#L216-L233 at 1.2.0: the `restricted` shortcut names
 * RestrictedPodSecurityProvider).
 */
export const STRIMZI_POD_SECURITY = {
  name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS",
  value: "restricted",
};

/**
 * The Strimzi cluster operator (chart strimzi-kafka-operator), cluster-wide: it watches every
 * namespace (`watchAnyNamespace`), so an environment sharing the cluster gets Kafka without the
 * owner's release changing. With `watchNamespaces` the chart writes a RoleBinding into each
 * watched namespace (templates/020-RoleBinding-strimzi-cluster-operator.yaml at 1.2.0), and a
 * guest's namespace is created after the owner's platform layer: the owner's release would fail.
 * The operator's container already meets Pod Security `restricted` (values.yaml#L52-L62); its
 * operands do with {@link STRIMZI_POD_SECURITY}. No admission webhooks. Helm installs the CRDs
 * of `crds/` once and never upgrades them: a new version needs its CRDs applied first
 * (docs/data-services.md, "Upgrading Strimzi"; `npm run review` flags the change).
 */
export class StrimziOperator extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: StrimziOperatorProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    checkMinimum(this.node.path, "replicas", replicas, 1, "Strimzi needs an operator");
    checkResources(this.node.path, "resources", props.resources);
    const values: StrimziOperatorValues = {
      replicas,
      watchAnyNamespace: true,
      extraEnvs: [STRIMZI_POD_SECURITY],
      deploymentLabels: { ...props.labels },
      podDisruptionBudget: { enabled: replicas > 1 },
      ...(props.resources ? { resources: props.resources } : {}),
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "strimzi",
      namespace: props.namespace,
      chart: {
        repository: STRIMZI_REPOSITORY,
        chart: "strimzi-kafka-operator",
        version: props.version ?? DEFAULT_STRIMZI_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

/** The strimzi-kafka-operator values Strata sets. */
export interface StrimziOperatorValues {
  readonly replicas: number;
  readonly watchAnyNamespace: boolean;
  readonly extraEnvs: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly deploymentLabels: Record<string, string>;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly resources?: ResourceRequirements;
}
