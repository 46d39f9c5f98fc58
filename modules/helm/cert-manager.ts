import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link CertManager}. */
export interface CertManagerProps {
  readonly namespace: string;
  /** @default "cert-manager" */
  readonly name?: string;
  /** jetstack/cert-manager chart version. @default "v1.21.1" */
  readonly version?: string;
  /** Replicas of the controller, webhook and cainjector (a PDB each when > 1). @default 1 */
  readonly replicas?: number;
  /** Resources of each component. @default - requests 10m / 32Mi, memory limit 64Mi */
  readonly resources?: ResourceRequirements;
  /** Image registry and namespace replacing quay.io/jetstack. @default - the chart's */
  readonly images?: { readonly registry?: string; readonly namespace?: string };
  /** Prometheus scrape annotations on the controller. @default false */
  readonly metrics?: boolean;
  /**
   * Gateway API support (the gateway-shim issues certificates for Gateway listeners; HTTP-01
   * challenges are answered through HTTPRoutes). The Gateway API CRDs must exist before the
   * controller starts. @default false
   */
  readonly gatewayApi?: boolean;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Resources the release needs first (its namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export const CERT_MANAGER_REPOSITORY = "https://charts.jetstack.io";
export const DEFAULT_CERT_MANAGER_VERSION = "v1.21.1";
/** The controller idles at ~20 MiB on a small cluster. */
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { memory: "64Mi" },
};
const COMPONENTS = [
  ["image", "cert-manager-controller"],
  ["webhook", "cert-manager-webhook"],
  ["cainjector", "cert-manager-cainjector"],
  ["acmesolver", "cert-manager-acmesolver"],
  ["startupapicheck", "cert-manager-startupapicheck"],
] as const;

/**
 * The port cert-manager's webhook server listens on in its pod (`webhook.securePort`, default
 * 10250: facts/charts.json). Set explicitly; GKE's own firewall already admits the control plane
 * to it on private clusters (facts/gke-webhooks.json).
 */
export const CERT_MANAGER_WEBHOOK_PORT = 10250;

/** cert-manager with its CRDs (kept when the release is deleted, so certificates survive). */
export class CertManager extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkMinimum(this.node.path, "replicas", replicas, 1, "cert-manager needs a controller");
    checkResources(this.node.path, "resources", resources);
    const repository = (name: string) =>
      `${props.images?.registry ?? "quay.io"}/${props.images?.namespace ?? "jetstack"}/${name}`;
    const image = (name: string) =>
      props.images ? { image: { repository: repository(name) } } : {};
    const component = (name: string) => ({
      replicaCount: replicas,
      resources,
      podDisruptionBudget: { enabled: replicas > 1 },
      ...image(name),
    });
    const values: CertManagerValues = {
      crds: { enabled: true, keep: true },
      global: { commonLabels: { ...props.labels } },
      ...component(COMPONENTS[0][1]),
      webhook: { ...component(COMPONENTS[1][1]), securePort: CERT_MANAGER_WEBHOOK_PORT },
      cainjector: component(COMPONENTS[2][1]),
      ...(props.images
        ? {
            acmesolver: image(COMPONENTS[3][1]),
            startupapicheck: image(COMPONENTS[4][1]),
          }
        : {}),
      prometheus: { enabled: props.metrics ?? false },
      ...(props.gatewayApi
        ? {
            // The controller's configuration file (--config): gatewayAPI.enabled turns on the
            // gateway-shim; its feature gate ExperimentalGatewayAPISupport is on by default since
            // v1.15 (facts/charts.json, cert-manager v1.21.1).
            config: {
              apiVersion: "controller.config.cert-manager.io/v1alpha1",
              kind: "ControllerConfiguration",
              gatewayAPI: { enabled: true },
            },
          }
        : {}),
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "cert-manager",
      namespace: props.namespace,
      chart: {
        repository: CERT_MANAGER_REPOSITORY,
        chart: "cert-manager",
        version: props.version ?? DEFAULT_CERT_MANAGER_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

interface Component {
  readonly replicaCount: number;
  readonly resources: ResourceRequirements;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly image?: { readonly repository: string };
}

/** The jetstack/cert-manager values Strata sets. */
export interface CertManagerValues extends Component {
  readonly crds: { readonly enabled: boolean; readonly keep: boolean };
  readonly global: { readonly commonLabels: Record<string, string> };
  readonly webhook: Component & { readonly securePort: number };
  readonly cainjector: Component;
  readonly acmesolver?: { readonly image?: { readonly repository: string } };
  readonly startupapicheck?: { readonly image?: { readonly repository: string } };
  readonly prometheus: { readonly enabled: boolean };
  readonly config?: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly gatewayAPI: { readonly enabled: boolean };
  };
}
