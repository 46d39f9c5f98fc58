import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { isSecretKey, secretValueKind } from "../common/secrets";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** CPU-based horizontal autoscaling. */
export interface Autoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilization the HPA aims for, percent of requests. */
  readonly targetCpuPercent: number;
}

/** An app's HTTPS route from its environment's Gateway (Gateway API HTTPRoute). */
export interface AppRoute {
  readonly gateway: { readonly name: string; readonly namespace: string };
  /** Host names; each is also the Gateway listener the route attaches to. */
  readonly hosts: readonly string[];
  /** The Gateway's HTTPS listener of each host (`sectionName`), in the order of `hosts`. */
  readonly listeners: readonly string[];
  /** Path prefixes. */
  readonly paths: readonly string[];
  /** The Gateway's proxies, which the app's NetworkPolicy admits. */
  readonly proxies: { readonly namespace: string; readonly podLabels: Record<string, string> };
}

/** Props of {@link ServiceApplication}. */
export interface ServiceApplicationProps {
  /** Application name: the release, Deployment, Service and ServiceAccount name. */
  readonly name: string;
  readonly namespace: string;
  /**
   * A chart implementing the service chart's values (charts/service, shipped as an asset).
   * Absent when another deliverer (Argo CD) installs the chart with {@link ServiceApplication.values}.
   * @default - no helm_release: only the ConfigMap, the Secret and the values
   */
  readonly chart?: ChartSource;
  readonly image: { readonly repository: string; readonly tag: string };
  /** @default 8080 */
  readonly port?: number;
  /** HTTP path for probes. @default - a TCP check */
  readonly healthPath?: string;
  /** Replicas (the HPA's minimum when autoscaling). @default 1 */
  readonly replicas?: number;
  /** @default - requests 50m / 128Mi, memory limit 256Mi */
  readonly resources?: ResourceRequirements;
  /** @default - no HPA */
  readonly autoscaling?: Autoscaling;
  /** PodDisruptionBudget with minAvailable 1. @default false */
  readonly podDisruptionBudget?: boolean;
  /** Non-sensitive settings: the ConfigMap `<name>-config`, loaded with envFrom. @default {} */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Credentials: the Secret `<name>-credentials`, loaded with envFrom. Values are Terraform
   * references (a generated password, a field of another Secret), never literals. @default {}
   */
  readonly credentials?: Readonly<Record<string, string>>;
  /** Workload identity annotations of the ServiceAccount. @default {} */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /** @default 10001 */
  readonly runAsUser?: number;
  /**
   * Namespaces (besides its own) whose pods may connect to the app's port: the chart's
   * NetworkPolicy. @default - the chart's (ingress-nginx)
   */
  readonly allowFromNamespaces?: readonly string[];
  /** emptyDir mounts (the root filesystem is read-only). @default ["/tmp"] */
  readonly writablePaths?: readonly string[];
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** HTTPS route from the environment's Gateway. @default - none: the app is internal */
  readonly route?: AppRoute;
  /** What must be in place before the release, besides its ConfigMap and Secret (its migration). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { memory: "256Mi" },
};
/** UID outside the range of system users, as the restricted Pod Security level asks for non-root. */
const DEFAULT_RUN_AS_USER = 10001;

/**
 * An application: ConfigMap for settings, Secret for credentials, both loaded with envFrom, a
 * release of the service chart (non-root, read-only root filesystem, NetworkPolicy, optional HPA
 * and PDB) whose pods restart when the settings change.
 */
export class ServiceApplication extends Construct {
  /** The helm_release; absent when the app is delivered by Argo CD (no `chart`). */
  readonly release?: HelmChartRelease;
  readonly config: ConfigMapV1;
  readonly secret?: SecretV1;
  readonly values: ServiceChartValues;

  constructor(scope: Construct, id: string, props: ServiceApplicationProps) {
    super(scope, id);
    const path = this.node.path;
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkMinimum(path, "replicas", replicas, 1, "an application needs a pod");
    checkResources(path, "resources", resources);
    if (props.image.tag === "") throw new Error(`${path}: image.tag is empty; pin a version`);
    const scaling = props.autoscaling;
    if (scaling && scaling.minReplicas > scaling.maxReplicas) {
      throw new Error(
        `${path}: autoscaling.minReplicas (${scaling.minReplicas}) must be <= maxReplicas (${scaling.maxReplicas})`,
      );
    }
    const settings = { ...props.settings };
    for (const [key, value] of Object.entries(settings)) {
      const kind = Token.isUnresolved(value) ? undefined : secretValueKind(value);
      if (isSecretKey(key) || kind) {
        throw new Error(
          `${path}: settings.${key} ${kind ? `looks like ${kind}` : "names a credential"}; settings land in a ConfigMap, so pass it in credentials (a Secret)`,
        );
      }
    }
    for (const [key, value] of Object.entries(props.credentials ?? {})) {
      if (!Token.isUnresolved(value)) {
        throw new Error(
          `${path}: credentials.${key} is a literal; credentials must be Terraform references (a generated password or a field of another Secret)`,
        );
      }
    }

    const labels = { ...props.labels };
    this.config = new ConfigMapV1(this, "Config", {
      metadata: { name: `${props.name}-config`, namespace: props.namespace, labels },
      data: settings,
    });
    const credentials = Object.keys(props.credentials ?? {}).length > 0;
    if (credentials) {
      this.secret = new SecretV1(this, "Credentials", {
        metadata: { name: `${props.name}-credentials`, namespace: props.namespace, labels },
        type: "Opaque",
        data: { ...props.credentials },
      });
    }

    this.values = {
      image: { repository: props.image.repository, tag: props.image.tag },
      replicaCount: replicas,
      containerPort: props.port ?? 8080,
      healthPath: props.healthPath ?? "",
      resources,
      envFrom: {
        configMaps: [`${props.name}-config`],
        secrets: this.secret ? [`${props.name}-credentials`] : [],
      },
      serviceAccount: { create: true, annotations: { ...props.serviceAccountAnnotations } },
      // Settings live outside the chart: a checksum makes a change roll the pods.
      podAnnotations: { "strata.dev/config-checksum": checksum(settings) },
      commonLabels: labels,
      securityContext: {
        runAsUser: props.runAsUser ?? DEFAULT_RUN_AS_USER,
        runAsGroup: props.runAsUser ?? DEFAULT_RUN_AS_USER,
        fsGroup: props.runAsUser ?? DEFAULT_RUN_AS_USER,
      },
      writablePaths: [...(props.writablePaths ?? ["/tmp"])],
      autoscaling: scaling
        ? {
            enabled: true,
            minReplicas: scaling.minReplicas,
            maxReplicas: scaling.maxReplicas,
            targetCPUUtilizationPercentage: scaling.targetCpuPercent,
          }
        : { enabled: false },
      podDisruptionBudget: { enabled: props.podDisruptionBudget ?? false, minAvailable: 1 },
      networkPolicy: {
        enabled: true,
        allowFromNamespaces: [...(props.allowFromNamespaces ?? [])],
        allowFrom: props.route
          ? [
              {
                namespace: props.route.proxies.namespace,
                podLabels: { ...props.route.proxies.podLabels },
              },
            ]
          : [],
      },
      ...(props.route
        ? {
            route: {
              gateway: { ...props.route.gateway },
              hosts: [...props.route.hosts],
              listeners: [...props.route.listeners],
              paths: [...props.route.paths],
            },
          }
        : {}),
    };
    if (!props.chart) return;
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name,
      namespace: props.namespace,
      chart: props.chart,
      values: this.values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: [this.config, ...(this.secret ? [this.secret] : []), ...(props.dependsOn ?? [])],
    });
  }
}

function checksum(data: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 16);
}

/** The values of charts/service (its values.schema.json is the authority). */
export interface ServiceChartValues {
  readonly image: { readonly repository: string; readonly tag: string };
  readonly replicaCount: number;
  readonly containerPort: number;
  readonly healthPath: string;
  readonly resources: ResourceRequirements;
  readonly envFrom: { readonly configMaps: string[]; readonly secrets: string[] };
  readonly serviceAccount: {
    readonly create: boolean;
    readonly annotations: Record<string, string>;
  };
  readonly podAnnotations: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly securityContext: {
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
  };
  readonly writablePaths: string[];
  readonly autoscaling:
    | { readonly enabled: false }
    | {
        readonly enabled: true;
        readonly minReplicas: number;
        readonly maxReplicas: number;
        readonly targetCPUUtilizationPercentage: number;
      };
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
  readonly networkPolicy: {
    readonly enabled: boolean;
    readonly allowFromNamespaces: string[];
    readonly allowFrom: Array<{ namespace: string; podLabels: Record<string, string> }>;
  };
  readonly route?: {
    readonly gateway: { readonly name: string; readonly namespace: string };
    readonly hosts: string[];
    readonly listeners: string[];
    readonly paths: string[];
  };
}
