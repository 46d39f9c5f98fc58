import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** The name of every environment's Gateway (one per environment namespace and cluster). */
export const GATEWAY_NAME = "edge";
/** The cluster's GatewayClass, programmed by Envoy Gateway. */
export const GATEWAY_CLASS_NAME = "strata";

/** The listener (Gateway `sectionName`) of a host: the host itself, a valid section name. */
export function listenerOf(host: string): string {
  return host;
}

/** The Secret holding a host's certificate (cert-manager's gateway-shim writes it). */
export function certificateSecretOf(host: string): string {
  return `${host}-tls`;
}

/** Props of {@link EnvironmentGateway}. */
export interface EnvironmentGatewayProps {
  readonly namespace: string;
  /** charts/gateway, shipped as an asset. */
  readonly chart: ChartSource;
  /** Release name. @default "edge" */
  readonly name?: string;
  /** Create the cluster's GatewayClass (the cluster owner's release). @default false */
  readonly createGatewayClass?: boolean;
  /** The environment's Gateway; absent when no app of the environment has hosts here. */
  readonly gateway?: {
    readonly hosts: readonly string[];
    readonly replicas: number;
    readonly resources: ResourceRequirements;
    readonly serviceAnnotations: Readonly<Record<string, string>>;
  };
  /** The ACME ClusterIssuer of the Gateway's certificates. */
  readonly issuer?: { readonly name: string; readonly server: string; readonly email: string };
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** What must exist first: the CRDs' releases (Gateway API, Envoy Gateway, cert-manager). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One environment's edge on one cluster, from charts/gateway: the GatewayClass (the owner's
 * release), the Gateway with an HTTP listener that redirects to HTTPS and an HTTPS listener per
 * host, its EnvoyProxy (replicas, resources, the load balancer's annotations) and the ACME
 * ClusterIssuer whose certificates cert-manager's gateway-shim issues for each listener.
 */
export class EnvironmentGateway extends Construct {
  readonly release: HelmChartRelease;
  readonly values: GatewayChartValues;

  constructor(scope: Construct, id: string, props: EnvironmentGatewayProps) {
    super(scope, id);
    const gw = props.gateway;
    if (gw) {
      checkMinimum(this.node.path, "gateway.replicas", gw.replicas, 1, "a Gateway needs a proxy");
      checkResources(this.node.path, "gateway.resources", gw.resources);
      if (gw.hosts.length === 0) {
        throw new Error(`${this.node.path}: a Gateway needs at least one host`);
      }
      if (!props.issuer) {
        throw new Error(
          `${this.node.path}: a Gateway's HTTPS listeners need an issuer for their certificates`,
        );
      }
    }
    this.values = {
      commonLabels: { ...props.labels },
      gatewayClass: { create: props.createGatewayClass ?? false, name: GATEWAY_CLASS_NAME },
      gateway: gw
        ? {
            name: GATEWAY_NAME,
            hosts: [...new Set(gw.hosts)].sort().map((host) => ({
              host,
              listener: listenerOf(host),
              secretName: certificateSecretOf(host),
            })),
            proxy: {
              replicas: gw.replicas,
              resources: gw.resources,
              serviceAnnotations: { ...gw.serviceAnnotations },
              externalTrafficPolicy: "Local",
            },
          }
        : { name: "" },
      issuer: gw && props.issuer ? { ...props.issuer } : { name: "" },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? GATEWAY_NAME,
      namespace: props.namespace,
      chart: props.chart,
      values: this.values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

/** The values of charts/gateway (its values.schema.json is the authority). */
export interface GatewayChartValues {
  readonly commonLabels: Record<string, string>;
  readonly gatewayClass: { readonly create: boolean; readonly name: string };
  readonly gateway:
    | { readonly name: "" }
    | {
        readonly name: string;
        readonly hosts: ReadonlyArray<{ host: string; listener: string; secretName: string }>;
        readonly proxy: {
          readonly replicas: number;
          readonly resources: ResourceRequirements;
          readonly serviceAnnotations: Record<string, string>;
          readonly externalTrafficPolicy: "Local" | "Cluster";
        };
      };
  readonly issuer:
    | { readonly name: "" }
    | { readonly name: string; readonly server: string; readonly email: string };
}
