import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link ArgoCd}. */
export interface ArgoCdProps {
  readonly namespace: string;
  /** @default "argocd" */
  readonly name?: string;
  /** argo/argo-cd chart version. @default "7.8.23" */
  readonly version?: string;
  /**
   * Replicas of the API server, repo server and ApplicationSet controller; more than 1 also turns
   * on Redis HA (which needs 3 nodes). The application controller stays at 1 (it shards by
   * cluster, not by replica). @default 1
   */
  readonly replicas?: number;
  /** Resources of each component. @default - requests 100m / 128Mi, memory limit 256Mi */
  readonly resources?: ResourceRequirements;
  /** Registry and namespace replacing quay.io/argoproj. @default - the chart's */
  readonly images?: { readonly registry?: string; readonly namespace?: string };
  /** Prometheus scrape annotations. @default false */
  readonly metrics?: boolean;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export const ARGO_CD_REPOSITORY = "https://argoproj.github.io/argo-helm";
/** A 7.8.x release (Argo CD 2.14); the values fixture was read from a 7.8–7.9 file. */
export const DEFAULT_ARGO_CD_VERSION = "7.8.23";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { memory: "256Mi" },
};

/** Argo CD with its CRDs kept on uninstall; HA (Redis HA, PDBs) when replicas > 1. */
export class ArgoCd extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: ArgoCdProps) {
    super(scope, id);
    const replicas = props.replicas ?? 1;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkMinimum(this.node.path, "replicas", replicas, 1, "Argo CD needs a server");
    checkResources(this.node.path, "resources", resources);
    const ha = replicas > 1;
    const component = (count: number) => ({ replicas: count, resources, pdb: { enabled: ha } });
    const values: ArgoCdValues = {
      crds: { install: true, keep: true },
      global: {
        additionalLabels: { ...props.labels },
        addPrometheusAnnotations: props.metrics ?? false,
        ...(props.images
          ? {
              image: {
                repository: `${props.images.registry ?? "quay.io"}/${props.images.namespace ?? "argoproj"}/argocd`,
              },
            }
          : {}),
      },
      controller: component(1),
      server: component(replicas),
      repoServer: component(replicas),
      applicationSet: component(replicas),
      "redis-ha": { enabled: ha },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "argocd",
      namespace: props.namespace,
      chart: {
        repository: ARGO_CD_REPOSITORY,
        chart: "argo-cd",
        version: props.version ?? DEFAULT_ARGO_CD_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

interface Component {
  readonly replicas: number;
  readonly resources: ResourceRequirements;
  readonly pdb: { readonly enabled: boolean };
}

/** The argo/argo-cd values Strata sets. */
export interface ArgoCdValues {
  readonly crds: { readonly install: boolean; readonly keep: boolean };
  readonly global: {
    readonly additionalLabels: Record<string, string>;
    readonly addPrometheusAnnotations: boolean;
    readonly image?: { readonly repository: string };
  };
  readonly controller: Component;
  readonly server: Component;
  readonly repoServer: Component;
  readonly applicationSet: Component;
  readonly "redis-ha": { readonly enabled: boolean };
}
