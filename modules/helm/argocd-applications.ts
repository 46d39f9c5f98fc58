import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import type { KubernetesLabels } from "./kubernetes-values";

/** A Git repository at a revision. */
export interface GitRevision {
  readonly repoURL: string;
  readonly targetRevision: string;
}

/** Where an Argo CD Application's chart comes from. */
export type ApplicationChart =
  /** A chart directory in Git (Strata's charts/service in this repository or a fork). */
  | (GitRevision & { readonly path: string })
  /** A chart of an https Helm repository, pinned. */
  | { readonly repository: string; readonly chart: string; readonly version: string };

/** One app delivered by Argo CD. */
export interface DeliveredApp {
  /** The app's name: its Helm release name under Argo CD (so its objects keep their names). */
  readonly name: string;
  readonly chart: ApplicationChart;
  /** The values Strata computes (the same a helm_release would get). */
  readonly values: object;
  /** The team's values source in Git; its valueFiles are layered under `values`. */
  readonly git: GitRevision & { readonly valueFiles: readonly string[] };
  /** The app's schema migration: charts/migration from Git, a PreSync hook of the same sync. */
  readonly migration?: {
    readonly name: string;
    readonly chart: GitRevision & { readonly path: string };
    readonly values: object;
  };
}

/** AppProject access of SSO groups. */
export interface ProjectAccessEntry {
  readonly group: string;
  readonly role: "read" | "sync" | "admin";
}

/** Props of {@link ArgoCdApplications}. */
export interface ArgoCdApplicationsProps {
  /** The environment: the AppProject's name and the Applications' prefix. */
  readonly environment: string;
  /** Argo CD's namespace, where AppProject and Applications live. */
  readonly namespace: string;
  /** The environment's namespace: the project's only destination. */
  readonly destinationNamespace: string;
  /** charts/argocd-apps, shipped as an asset. */
  readonly chart: ChartSource;
  /** Repositories the project allows (delivery.argocd.repositories). */
  readonly sourceRepos: readonly string[];
  /** The Secret holding each private repository's credentials, created outside Strata. @default [] */
  readonly repositoryCredentials?: ReadonlyArray<{
    readonly url: string;
    readonly secretName: string;
  }>;
  readonly access?: readonly ProjectAccessEntry[];
  readonly apps: readonly DeliveredApp[];
  readonly sync: { readonly prune: boolean; readonly selfHeal: boolean };
  /** resources-finalizer on each Application. */
  readonly cascadeDelete: boolean;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  readonly timeoutSeconds?: number;
  readonly maxHistory?: number;
  /** The apps' ConfigMaps, Secrets and the migrations OpenTofu runs first. @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** Argo CD's in-cluster destination (the cluster Argo CD runs in). */
export const IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
/** The name multi-source Applications give the values source (`$values/<file>`). */
export const VALUES_REF = "values";

/** Project role policies: what each access level may do with the project's Applications. */
const ROLE_ACTIONS: Readonly<Record<ProjectAccessEntry["role"], readonly string[]>> = {
  read: ["get"],
  sync: ["get", "sync", "action/*"],
  admin: ["*"],
};

/** The Application of `app` in `environment`. */
export function applicationName(environment: string, app: string): string {
  return `${environment}-${app}`;
}

/** The release of charts/argocd-apps of an environment. */
export function deliveryReleaseName(environment: string): string {
  return `${environment}-apps`;
}

/** The values of charts/argocd-apps (its values.schema.json is the authority). */
export interface ArgoCdAppsValues {
  readonly project: {
    readonly name: string;
    readonly description: string;
    readonly destination: { readonly server: string; readonly namespace: string };
    readonly sourceRepos: string[];
    readonly repositoryCredentials: Array<{ readonly url: string; readonly secretName: string }>;
    readonly roles: Array<{
      readonly name: string;
      readonly description: string;
      readonly groups: string[];
      readonly policies: string[];
    }>;
  };
  readonly commonLabels: Record<string, string>;
  readonly applications: Array<{
    readonly name: string;
    readonly cascadeDelete: boolean;
    readonly syncPolicy: { readonly prune: boolean; readonly selfHeal: boolean };
    readonly sources: ApplicationSource[];
  }>;
}

/** One entry of an Application's spec.sources. */
export interface ApplicationSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path?: string;
  readonly chart?: string;
  readonly ref?: string;
  readonly helm?: {
    readonly releaseName: string;
    readonly valueFiles?: string[];
    readonly valuesObject: object;
  };
}

/**
 * An environment's Argo CD delivery on one cluster: a release of charts/argocd-apps in Argo CD's
 * namespace holding the environment's AppProject (its namespace only, the listed repositories,
 * no cluster-scoped objects, roles for SSO groups) and an Application per app. The release stays
 * a helm_release, so the apps layer keeps its place after databases and buses.
 */
export class ArgoCdApplications extends Construct {
  readonly release: HelmChartRelease;
  readonly values: ArgoCdAppsValues;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationsProps) {
    super(scope, id);
    const path = this.node.path;
    const project = props.environment;
    const allowed = new Set(props.sourceRepos);
    const check = (url: string, what: string) => {
      if (!allowed.has(url)) {
        throw new Error(
          `${path}: ${what} ${url} is not among the project's sourceRepos; list it in delivery.argocd.repositories`,
        );
      }
    };
    const applications = props.apps.map((app) => {
      const valueFiles = app.git.valueFiles.map((f) => `$${VALUES_REF}/${f}`);
      const helm = {
        releaseName: app.name,
        ...(valueFiles.length > 0 ? { valueFiles } : {}),
        valuesObject: app.values,
      };
      const chart: ApplicationSource =
        "path" in app.chart
          ? {
              repoURL: app.chart.repoURL,
              targetRevision: app.chart.targetRevision,
              path: app.chart.path,
              helm,
            }
          : {
              repoURL: app.chart.repository,
              chart: app.chart.chart,
              targetRevision: app.chart.version,
              helm,
            };
      check(chart.repoURL, `${app.name}'s chart repository`);
      check(app.git.repoURL, `${app.name}'s values repository`);
      const sources: ApplicationSource[] = [
        chart,
        { repoURL: app.git.repoURL, targetRevision: app.git.targetRevision, ref: VALUES_REF },
      ];
      if (app.migration) {
        check(app.migration.chart.repoURL, `${app.name}'s migration chart repository`);
        sources.push({
          repoURL: app.migration.chart.repoURL,
          targetRevision: app.migration.chart.targetRevision,
          path: app.migration.chart.path,
          helm: { releaseName: app.migration.name, valuesObject: app.migration.values },
        });
      }
      return {
        name: applicationName(props.environment, app.name),
        cascadeDelete: props.cascadeDelete,
        syncPolicy: { prune: props.sync.prune, selfHeal: props.sync.selfHeal },
        sources,
      };
    });
    const roles = (["read", "sync", "admin"] as const).flatMap((role) => {
      // Sorted: the order groups are listed in config means nothing (and is no diff).
      const groups = [
        ...new Set((props.access ?? []).filter((a) => a.role === role).map((a) => a.group)),
      ].sort();
      if (groups.length === 0) return [];
      return [
        {
          name: role,
          description: `${role} access to ${project}'s applications`,
          groups,
          policies: ROLE_ACTIONS[role].map(
            (action) => `p, proj:${project}:${role}, applications, ${action}, ${project}/*, allow`,
          ),
        },
      ];
    });
    this.values = {
      project: {
        name: project,
        description: `Strata environment ${project}: namespace ${props.destinationNamespace} only`,
        destination: { server: IN_CLUSTER_SERVER, namespace: props.destinationNamespace },
        sourceRepos: [...new Set(props.sourceRepos)].sort(),
        repositoryCredentials: [...(props.repositoryCredentials ?? [])]
          .map((c) => ({ url: c.url, secretName: c.secretName }))
          .sort((a, b) => a.url.localeCompare(b.url)),
        roles,
      },
      commonLabels: { ...props.labels },
      applications,
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: deliveryReleaseName(props.environment),
      namespace: props.namespace,
      chart: props.chart,
      values: this.values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}
