import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import type { ResourceRequirements } from "./kubernetes-values";

/** Props of {@link CloudNativePg}. */
export interface CloudNativePgProps {
  /** The operator's namespace (its own, Pod Security restricted). */
  readonly namespace: string;
  /** `cloudnative-pg` chart version. @default "0.29.0" */
  readonly version?: string;
  /** `plugin-barman-cloud` chart version. @default "0.7.0" */
  readonly pluginVersion?: string;
  /** Labels on the pods (chart `podLabels`). @default {} */
  readonly labels?: Record<string, string>;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** The namespace, and cert-manager (the plugin's certificates come from its Issuer). */
  readonly dependsOn?: ITerraformDependable[];
}

/** CloudNativePG's Helm repository (cloudnative-pg/charts README.md#L29), for both charts. */
export const CLOUDNATIVE_PG_REPOSITORY = "https://cloudnative-pg.github.io/charts";
/** Chart cloudnative-pg 0.29.0 = operator 1.30.0 (tag cloudnative-pg-v0.29.0, 2026-06-29); facts/charts.json. */
export const DEFAULT_CLOUDNATIVE_PG_VERSION = "0.29.0";
/** Chart plugin-barman-cloud 0.7.0 = plugin v0.13.0 (tag plugin-barman-cloud-v0.7.0, 2026-06-10). */
export const PLUGIN_BARMAN_CLOUD_CHART_VERSION = "0.7.0";
/** The operator's namespace, the one the plugin's README installs it into (README.md#L49). */
export const CLOUDNATIVE_PG_NAMESPACE = "cnpg-system";
/**
 * The port the operator's admission webhooks listen on in its pod (`webhook.port`, default 9443,
 * values.yaml#L53-L54; `--webhook-port` and the `webhook-server` containerPort, deployment.yaml
 * #L77,#L114-L115). Not one GKE opens to the control plane: facts/gke-webhooks.json.
 */
export const CLOUDNATIVE_PG_WEBHOOK_PORT = 9443;
/** The plugin's name in a Cluster's `plugins` and a backup's `pluginConfiguration` (PL web/docs/usage.md). */
export const BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";

/** The operator and the plugin leave resources unset (values.yaml `resources: {}`). */
const OPERATOR_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { memory: "512Mi" },
};
const PLUGIN_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "256Mi" },
};

/**
 * The CloudNativePG operator (cluster-wide: it reconciles `Cluster`s in every namespace) and its
 * Barman Cloud backup plugin, each a release of its own in {@link CLOUDNATIVE_PG_NAMESPACE}.
 * Both charts ship their CRDs as templates (`crds.create`), so a chart upgrade upgrades them; each
 * CRD carries `helm.sh/resource-policy: keep` (facts/charts.json). Both pods are restricted by the
 * charts' own security contexts (values.yaml containerSecurityContext/podSecurityContext).
 */
export class CloudNativePg extends Construct {
  readonly operator: HelmChartRelease;
  readonly plugin: HelmChartRelease;

  constructor(scope: Construct, id: string, props: CloudNativePgProps) {
    super(scope, id);
    const common = {
      namespace: props.namespace,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
    };
    const operatorValues: CloudNativePgValues = {
      crds: { create: true },
      webhook: { port: CLOUDNATIVE_PG_WEBHOOK_PORT },
      config: { clusterWide: true },
      podLabels: { ...props.labels },
      resources: OPERATOR_RESOURCES,
    };
    this.operator = new HelmChartRelease(this, "Operator", {
      ...common,
      name: "cloudnative-pg",
      chart: {
        repository: CLOUDNATIVE_PG_REPOSITORY,
        chart: "cloudnative-pg",
        version: props.version ?? DEFAULT_CLOUDNATIVE_PG_VERSION,
      },
      values: operatorValues,
      dependsOn: props.dependsOn,
    });
    const pluginValues: BarmanCloudPluginValues = {
      crds: { create: true },
      podLabels: { ...props.labels },
      resources: PLUGIN_RESOURCES,
    };
    // The operator finds the plugin by its Service's cnpg.io/pluginName label; it comes second.
    this.plugin = new HelmChartRelease(this, "BarmanCloudPlugin", {
      ...common,
      name: "plugin-barman-cloud",
      chart: {
        repository: CLOUDNATIVE_PG_REPOSITORY,
        chart: "plugin-barman-cloud",
        version: props.pluginVersion ?? PLUGIN_BARMAN_CLOUD_CHART_VERSION,
      },
      values: pluginValues,
      dependsOn: [...(props.dependsOn ?? []), this.operator.release],
    });
  }
}

/** The cloudnative-pg values Strata sets. */
export interface CloudNativePgValues {
  readonly crds: { readonly create: boolean };
  readonly webhook: { readonly port: number };
  readonly config: { readonly clusterWide: boolean };
  readonly podLabels: Record<string, string>;
  readonly resources: ResourceRequirements;
}

/** The plugin-barman-cloud values Strata sets. */
export interface BarmanCloudPluginValues {
  readonly crds: { readonly create: boolean };
  readonly podLabels: Record<string, string>;
  readonly resources: ResourceRequirements;
}
