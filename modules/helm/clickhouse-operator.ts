import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import {
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link ClickhouseOperator}. */
export interface ClickhouseOperatorProps {
  readonly namespace: string;
  /** altinity-clickhouse-operator chart version. @default "0.25.6" */
  readonly version?: string;
  /**
   * The namespaces whose ClickHouseInstallations/ClickHouseKeeperInstallations it reconciles
   * (the environments on the cluster that use the Altinity engine). At least one: an empty list
   * would make the operator watch every namespace.
   */
  readonly watchNamespaces: readonly string[];
  /** Resources of the operator and of its metrics exporter each. @default - requests 50m / 64Mi, memory limit 256Mi */
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

export const CLICKHOUSE_OPERATOR_REPOSITORY = "https://helm.altinity.com";
/**
 * Altinity clickhouse-operator chart 0.25.6 (2025-12-11): the newest release whose files are in
 * the snapshot (facts/charts.json; 0.26.x/0.27.x exist but could not be read at their tags).
 */
export const DEFAULT_CLICKHOUSE_OPERATOR_VERSION = "0.25.6";
/** Its Deployment, Services and Secret are named after this (fullnameOverride). */
export const CLICKHOUSE_OPERATOR_NAME = "clickhouse-operator";
/**
 * The user the operator logs in to ClickHouse with (the chart's `secret.username` default); the
 * operator limits it to its own pod IP (normalizer-configuration-user.go, facts/charts.json).
 */
export const CLICKHOUSE_OPERATOR_USER = "clickhouse_operator";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "256Mi" },
};
/**
 * Both images are distroless with `USER nobody` (dockerfile/operator/Dockerfile#L91 at
 * release-0.25.6): a named user, so runAsNonRoot needs the numeric uid (65534) to be checkable.
 */
const NOBODY = 65534;
const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  runAsUser: NOBODY,
  runAsGroup: NOBODY,
} as const;

/**
 * The Altinity clickhouse-operator (platform layer, its own namespace): reconciles the
 * ClickHouseInstallations and ClickHouseKeeperInstallations of the namespaces it watches.
 * Pod Security restricted (the chart sets no securityContext: Strata sets them); its CRD hook Job
 * (image bitnami/kubectl:latest) is off, so Helm installs the CRDs from the chart's crds/ on
 * install and never upgrades them (docs/data-services.md#crd-upgrades); its login to ClickHouse
 * has a generated password instead of the chart's published default.
 */
export class ClickhouseOperator extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;

  constructor(scope: Construct, id: string, props: ClickhouseOperatorProps) {
    super(scope, id);
    const path = this.node.path;
    if (props.watchNamespaces.length === 0) {
      throw new Error(
        `${path}: watchNamespaces is empty, and the operator would watch every namespace; name the namespaces of the environments that use databases.clickhouse.engine "altinity"`,
      );
    }
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkResources(path, "resources", resources);
    // The operator reads this Secret by name (config.yaml clickhouse.access.secret.name: the fullname).
    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: CLICKHOUSE_OPERATOR_NAME,
      namespace: props.namespace,
      passwordKeys: ["password"],
      plainData: { username: CLICKHOUSE_OPERATOR_USER },
      labels: props.labels,
    });
    const values: ClickhouseOperatorValues = {
      fullnameOverride: CLICKHOUSE_OPERATOR_NAME,
      commonLabels: { ...props.labels },
      crdHook: { enabled: false },
      secret: { create: false },
      operator: { containerSecurityContext: CONTAINER_SECURITY, resources },
      metrics: { enabled: true, containerSecurityContext: CONTAINER_SECURITY, resources },
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      configs: {
        files: { "config.yaml": { watch: { namespaces: [...props.watchNamespaces].sort() } } },
      },
    };
    this.release = new HelmChartRelease(this, "Release", {
      name: CLICKHOUSE_OPERATOR_NAME,
      namespace: props.namespace,
      chart: {
        repository: CLICKHOUSE_OPERATOR_REPOSITORY,
        chart: "altinity-clickhouse-operator",
        version: props.version ?? DEFAULT_CLICKHOUSE_OPERATOR_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: [...(props.dependsOn ?? []), this.credentials.secret],
    });
  }
}

type Security = typeof CONTAINER_SECURITY;

/** The altinity-clickhouse-operator values Strata sets. */
export interface ClickhouseOperatorValues {
  readonly fullnameOverride: string;
  readonly commonLabels: Record<string, string>;
  readonly crdHook: { readonly enabled: boolean };
  readonly secret: { readonly create: boolean };
  readonly operator: {
    readonly containerSecurityContext: Security;
    readonly resources: ResourceRequirements;
  };
  readonly metrics: {
    readonly enabled: boolean;
    readonly containerSecurityContext: Security;
    readonly resources: ResourceRequirements;
  };
  readonly podSecurityContext: {
    readonly runAsNonRoot: boolean;
    readonly seccompProfile: { readonly type: string };
  };
  readonly configs: {
    readonly files: {
      readonly "config.yaml": { readonly watch: { readonly namespaces: string[] } };
    };
  };
}
