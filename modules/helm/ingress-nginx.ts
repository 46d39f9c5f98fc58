import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link IngressNginx}. */
export interface IngressNginxProps {
  readonly namespace: string;
  /** @default "ingress-nginx" */
  readonly name?: string;
  /** ingress-nginx chart version. @default "4.12.0" */
  readonly version?: string;
  /** Controller replicas (a PDB when > 1). @default 1 */
  readonly replicas?: number;
  /** @default - requests 100m / 90Mi (the chart's), memory limit 256Mi */
  readonly resources?: ResourceRequirements;
  /** Registry replacing registry.k8s.io, and namespace replacing `ingress-nginx`. @default - the chart's */
  readonly images?: { readonly registry?: string; readonly namespace?: string };
  /** Controller metrics endpoint (port 10254). @default false */
  readonly metrics?: boolean;
  /** The IngressClass is the cluster default. @default true */
  readonly defaultClass?: boolean;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Resources the release needs first (its namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export const INGRESS_NGINX_REPOSITORY = "https://kubernetes.github.io/ingress-nginx";
/**
 * The port the admission webhook server listens on in the controller pod (the chart's
 * `controller.admissionWebhooks.port`, default 8443: facts/charts.json). Set explicitly, so the
 * firewall that lets a private control plane reach it opens the same port.
 */
export const INGRESS_NGINX_WEBHOOK_PORT = 8443;
export const DEFAULT_INGRESS_NGINX_VERSION = "4.12.0";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "90Mi" },
  limits: { memory: "256Mi" },
};

/**
 * The ingress-nginx controller behind a cloud load balancer, keeping client IPs
 * (`externalTrafficPolicy: Local`), IngressClass `nginx`. Kubernetes SIG Network retired the
 * project (best-effort maintenance ended in March 2026): it gets no further releases or security
 * fixes, and a Gateway API implementation is to replace it.
 */
export class IngressNginx extends Construct {
  readonly release: HelmChartRelease;
  readonly ingressClassName = "nginx";

  constructor(scope: Construct, id: string, props: IngressNginxProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkMinimum(this.node.path, "replicas", replicas, 1, "ingress needs a controller");
    checkResources(this.node.path, "resources", resources);
    const ns = props.images?.namespace;
    const values: IngressNginxValues = {
      commonLabels: { ...props.labels },
      ...(props.images?.registry ? { global: { image: { registry: props.images.registry } } } : {}),
      controller: {
        ...(ns ? { image: { image: `${ns}/controller` } } : {}),
        replicaCount: replicas,
        minAvailable: 1,
        resources,
        service: { externalTrafficPolicy: "Local" },
        ingressClassResource: {
          name: this.ingressClassName,
          enabled: true,
          default: props.defaultClass ?? true,
        },
        metrics: { enabled: props.metrics ?? false },
        admissionWebhooks: {
          enabled: true,
          port: INGRESS_NGINX_WEBHOOK_PORT,
          ...(ns ? { patch: { image: { image: `${ns}/kube-webhook-certgen` } } } : {}),
        },
      },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "ingress-nginx",
      namespace: props.namespace,
      chart: {
        repository: INGRESS_NGINX_REPOSITORY,
        chart: "ingress-nginx",
        version: props.version ?? DEFAULT_INGRESS_NGINX_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

/** The ingress-nginx values Strata sets. */
export interface IngressNginxValues {
  readonly commonLabels: Record<string, string>;
  readonly global?: { readonly image: { readonly registry: string } };
  readonly controller: {
    readonly image?: { readonly image: string };
    readonly replicaCount: number;
    readonly minAvailable: number;
    readonly resources: ResourceRequirements;
    readonly service: { readonly externalTrafficPolicy: string };
    readonly ingressClassResource: {
      readonly name: string;
      readonly enabled: boolean;
      readonly default: boolean;
    };
    readonly metrics: { readonly enabled: boolean };
    readonly admissionWebhooks: {
      readonly enabled: boolean;
      readonly port: number;
      readonly patch?: { readonly image: { readonly image: string } };
    };
  };
}
