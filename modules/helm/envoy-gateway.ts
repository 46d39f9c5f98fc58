import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link EnvoyGateway}. */
export interface EnvoyGatewayProps {
  readonly namespace: string;
  /** @default "envoy-gateway" */
  readonly name?: string;
  /** gateway-helm chart version. @default "v1.9.0" */
  readonly version?: string;
  /** Controller replicas (a PodDisruptionBudget keeps one when > 1). @default 1 */
  readonly replicas?: number;
  /** Controller resources. @default - requests 100m / 256Mi, memory limit 1Gi (the chart's) */
  readonly resources?: ResourceRequirements;
  /**
   * Registry replacing docker.io for the controller, the Envoy proxies and rate limiting
   * (`global.imageRegistry`). @default - the chart's
   */
  readonly images?: { readonly registry?: string };
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Resources the releases need first (the namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export const ENVOY_GATEWAY_REPOSITORY = "oci://docker.io/envoyproxy";
/** Released 2026-08-15; Envoy Gateway 1.9 ships Gateway API v1.6.1 (facts/envoy-gateway.json). */
export const DEFAULT_ENVOY_GATEWAY_VERSION = "v1.9.0";
/** The controller's name in GatewayClass.spec.controllerName. */
export const ENVOY_GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";
/**
 * The topology injector's mutating webhook: Service `envoy-gateway` port 9443 → pod port 9443
 * (gateway-helm v1.9.0 templates/envoy-proxy-topology-injector-webhook.yaml, envoy-gateway-service.yaml).
 * Private GKE clusters need a firewall rule for it (stacks/kubernetes/webhooks.ts).
 */
export const ENVOY_GATEWAY_WEBHOOK_PORT = 9443;
/**
 * Envoy Gateway runs each Gateway's proxies in its own namespace (the default `ControllerNamespace`
 * deployment mode), labelled with the Gateway's name and namespace
 * (internal/gatewayapi/translator.go OwningGatewayNameLabel / OwningGatewayNamespaceLabel, v1.9.0).
 */
export const PROXY_LABELS = {
  gatewayName: "gateway.envoyproxy.io/owning-gateway-name",
  gatewayNamespace: "gateway.envoyproxy.io/owning-gateway-namespace",
} as const;

const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { memory: "1Gi" },
};

/**
 * Envoy Gateway from gateway-helm, with the CRDs its `crds/` subchart carries: Gateway API v1.6.1
 * (experimental channel, a superset of standard) and Envoy Gateway's own. Helm installs `crds/`
 * on the first install and waits for them (helm v3.18.4 pkg/action/install.go#L160-L186, the
 * version helm provider 3.1.1 embeds) but never upgrades them: a new chart version needs its CRDs
 * applied first (docs/edge.md; `npm run review` flags the change). The chart that ships the CRDs
 * as templates, gateway-crds-helm, cannot be a Helm release: its stored release is about 2 MB,
 * over a Secret's 1 MiB (facts/charts.json).
 */
export class EnvoyGateway extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: EnvoyGatewayProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkMinimum(this.node.path, "replicas", replicas, 1, "Envoy Gateway needs a controller");
    checkResources(this.node.path, "resources", resources);
    const values: EnvoyGatewayValues = {
      ...(props.images?.registry ? { global: { imageRegistry: props.images.registry } } : {}),
      // The Gateway API's safe-upgrades ValidatingAdmissionPolicy is cluster-wide and refuses
      // Gateway API CRD updates below v1.5 or from experimental to standard: on DOKS and GKE, where
      // the provider may manage those CRDs itself, it would block the provider's own upgrades
      // (gateway-helm v1.9.0 charts/crds/templates/gatewayapi-safe-upgrade-policy.yaml).
      crds: { enabled: true, gatewayAPI: { safeUpgradePolicy: { enabled: false } } },
      commonLabels: { ...props.labels },
      deployment: { replicas, envoyGateway: { resources } },
      podDisruptionBudget: { minAvailable: replicas > 1 ? 1 : 0 },
      topologyInjector: { enabled: true },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "envoy-gateway",
      namespace: props.namespace,
      chart: {
        repository: ENVOY_GATEWAY_REPOSITORY,
        chart: "gateway-helm",
        version: props.version ?? DEFAULT_ENVOY_GATEWAY_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

/** The gateway-helm values Strata sets. */
export interface EnvoyGatewayValues {
  readonly global?: { readonly imageRegistry: string };
  readonly crds: {
    readonly enabled: boolean;
    readonly gatewayAPI: { readonly safeUpgradePolicy: { readonly enabled: boolean } };
  };
  readonly commonLabels: Record<string, string>;
  readonly deployment: {
    readonly replicas: number;
    readonly envoyGateway: { readonly resources: ResourceRequirements };
  };
  readonly podDisruptionBudget: { readonly minAvailable: number };
  readonly topologyInjector: { readonly enabled: boolean };
}
