import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
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
  /** argo/argo-cd chart version. @default "10.1.1" */
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
  /**
   * The local admin account. Off (the default), Argo CD creates no `argocd-initial-admin-secret`
   * and no password exists anywhere (argo-cd v3.4.4 util/settings/settings.go L2174-L2204).
   * @default false
   */
  readonly admin?: boolean;
  /** OIDC login; the client secret is read by Argo CD from a Secret (`$<secret>:<key>`). @default - none */
  readonly sso?: ArgoCdSsoProps;
  /** SSO groups bound to role:admin. Everyone else gets no role (policy.default ""). @default [] */
  readonly admins?: readonly string[];
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** Props of Argo CD's OIDC login. */
export interface ArgoCdSsoProps {
  /**
   * Where users open Argo CD, `https://<host>`: the OIDC redirect is `<url>/auth/callback`. The
   * chart's `global.domain` (default argocd.example.com, argo-helm argo-cd-10.1.1 values.yaml#L46)
   * presets `configs.cm.url` (templates/_helpers.tpl#L203-L205), which Argo CD v3.4.4 uses for the
   * redirect (util/settings/settings.go#L2071-L2097): without it SSO redirects to a domain nobody owns.
   */
  readonly url: string;
  /** @default "SSO" */
  readonly name?: string;
  readonly issuer: string;
  readonly clientId: string;
  /** A Secret in Argo CD's namespace labelled app.kubernetes.io/part-of: argocd, and its key. */
  readonly clientSecretRef: { readonly name: string; readonly key: string };
  /** @default ["openid", "profile", "email", "groups"] */
  readonly scopes?: readonly string[];
}

const DEFAULT_SSO_SCOPES = ["openid", "profile", "email", "groups"];

/** argocd-cm's oidc.config: the client secret as a reference Argo CD resolves, never a value. */
export function oidcConfig(sso: ArgoCdSsoProps): string {
  return stringify({
    name: sso.name ?? "SSO",
    issuer: sso.issuer,
    clientID: sso.clientId,
    clientSecret: `$${sso.clientSecretRef.name}:${sso.clientSecretRef.key}`,
    requestedScopes: [...new Set(sso.scopes ?? DEFAULT_SSO_SCOPES)].sort(),
  });
}

/** argocd-rbac-cm's policy.csv: each admin group bound to the built-in role:admin. */
export function adminPolicy(groups: readonly string[]): string {
  return [...new Set(groups)]
    .sort()
    .map((g) => `g, ${g}, role:admin\n`)
    .join("");
}

export const ARGO_CD_REPOSITORY = "https://argoproj.github.io/argo-helm";
/**
 * argo-cd 10.1.1 (Argo CD v3.4.4), the newest chart release in the argoproj/argo-helm snapshot
 * (tag argo-cd-10.1.1, 2026-07-02); facts/charts.json has its evidence, images and volumes.
 */
export const DEFAULT_ARGO_CD_VERSION = "10.1.1";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { memory: "256Mi" },
};

/**
 * Argo CD with its CRDs kept on uninstall; HA (Redis HA, PDBs) when replicas > 1. Hardened: no
 * local admin unless asked (so no initial password Secret), optional OIDC with the client secret
 * referenced, RBAC that grants nothing by default (admins by SSO group; teams get AppProject
 * roles), no Dex (OIDC goes to the issuer directly), exec in the UI off.
 */
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
        ...(props.sso ? { domain: new URL(props.sso.url).host } : {}),
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
      configs: {
        cm: {
          "admin.enabled": props.admin ?? false,
          "exec.enabled": false,
          ...(props.sso ? { "oidc.config": oidcConfig(props.sso) } : {}),
        },
        rbac: {
          "policy.default": "",
          "policy.csv": adminPolicy(props.admins ?? []),
          scopes: "[groups]",
        },
      },
      dex: { enabled: false },
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
    readonly domain?: string;
    readonly image?: { readonly repository: string };
  };
  readonly controller: Component;
  readonly server: Component;
  readonly repoServer: Component;
  readonly applicationSet: Component;
  readonly "redis-ha": { readonly enabled: boolean };
  readonly configs: {
    readonly cm: {
      readonly "admin.enabled": boolean;
      readonly "exec.enabled": boolean;
      readonly "oidc.config"?: string;
    };
    readonly rbac: {
      readonly "policy.default": string;
      readonly "policy.csv": string;
      readonly scopes: string;
    };
  };
  readonly dex: { readonly enabled: boolean };
}
