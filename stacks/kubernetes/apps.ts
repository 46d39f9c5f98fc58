import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { deliveryOf } from "../../environments/schema/delivery";
import type { AppSettings } from "../../environments/schema/workloads";
import {
  ArgoCdApplications,
  type ApplicationChart,
  type DeliveredApp,
} from "../../modules/helm/argocd-applications";
import type { ChartSource } from "../../modules/helm/chart-release";
import { DatabaseMigration } from "../../modules/helm/database-migration";
import { PROXY_LABELS } from "../../modules/helm/envoy-gateway";
import { GATEWAY_NAME, listenerOf } from "../../modules/helm/environment-gateway";
import { ServiceApplication, type AppRoute } from "../../modules/helm/service-application";
import { hostsOn } from "../../environments/schema/edge";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { MONITORING_NAMESPACE } from "../../environments/schema/monitoring";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { addMonitoringObjects, appServices } from "./monitoring";
import { PLATFORM_NAMESPACES } from "./platform";
import { randomProvider } from "./providers";
import { migrationsOn } from "./migrations";
import { DATA_SERVICES } from "./services";
import { appWiring, postgresConnectionOf, type SecretSource } from "./wiring";

/** 48 alphanumerics ≈ 285 bits. */
const GENERATED_KEY_LENGTH = 48;

/** Where Strata's charts sit in the Git repository Argo CD renders them from (delivery.argocd.charts). */
export const GIT_CHART_PATHS = {
  service: "charts/service",
  migration: "charts/migration",
} as const;

/**
 * `<env>-<cloud>-apps`: the schema migrations (each a hook Job that must complete before the
 * release of the application that declares it), then the applications placed on this cluster, each with its ConfigMap, its
 * Secret (credentials copied from the database and bus Secrets, connection URLs assembled there)
 * and a release of its chart. Reads the other layers' Secrets by name, never their state, so
 * upgrading a database leaves this stack untouched.
 */
export class AppsStack extends HelmLayerStack {
  readonly apps: Readonly<Record<string, ServiceApplication>>;
  /** Cloud layers (`data`, `messaging`) the placed apps use. */
  readonly cloudLayers: ReadonlyArray<"data" | "messaging">;
  private readonly sources = new Map<SecretSource, DataKubernetesSecretV1>();
  /** Schema migrations on this cluster, by name. */
  readonly migrations: Readonly<Record<string, DatabaseMigration>>;
  /** The AppProject and Applications of the apps Argo CD delivers here, if any. */
  readonly argocd?: ArgoCdApplications;
  /** PodMonitors and rules of the apps that serve metrics. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, props);
    const apps: Record<string, ServiceApplication> = {};
    // Apps under their own scope: their names (the release names) cannot collide with the stack's
    // own constructs (`backend` is the state backend's id).
    const appsScope = new Construct(this, "Apps");
    this.migrations = this.buildMigrations();
    const layers = new Set<"data" | "messaging">();
    const delivered: DeliveredApp[] = [];
    for (const [appName, app] of placedApps(this.env.workloads.apps, this.cloud)) {
      const byArgo = this.deliveredByArgo(app);
      const wiring = appWiring(this.env, appName, app, this.cloud);
      wiring.cloudLayers.forEach((l) => layers.add(l));
      const credentials = Object.fromEntries([
        ...wiring.secrets.map((ref) => {
          const password = this.secretSource(ref.source, ref.secretName).data.lookup(ref.key);
          return [ref.variable, ref.format ? ref.format(password) : password];
        }),
        // Generated once and kept in this stack's state: the app's Secret gets the same key on
        // every apply. Losing it loses what the app encrypted with it, hence prevent_destroy
        // where the environment protects its data (deletion protection or prevent_destroy).
        ...wiring.generated.map((variable) => [
          variable,
          new Password(this.withRandom(appsScope), `${appName}-${variable}`, {
            length: GENERATED_KEY_LENGTH,
            special: false,
            lifecycle:
              this.env.preventDestroy || this.env.deletionProtection
                ? { preventDestroy: true }
                : undefined,
          }).result,
        ]),
      ]);
      const annotations: Record<string, string> = {};
      if (wiring.identity.gcpServiceAccount && this.cloud === "gcp") {
        annotations["iam.gke.io/gcp-service-account"] = wiring.identity.gcpServiceAccount;
      }
      if (wiring.identity.awsRoleName && this.cloud === "aws") {
        annotations["eks.amazonaws.com/role-arn"] = this.awsRoleArn(
          appsScope,
          `${appName}-role`,
          wiring.identity.awsRoleName,
        );
      }
      // The application's name is its release, ServiceAccount and Deployment name.
      apps[appName] = new ServiceApplication(appsScope, appName, {
        ...this.releaseSettings("apps"),
        name: appName,
        // Under Argo CD no helm_release: the Application installs the chart with these values.
        chart: byArgo ? undefined : this.chartOf(app),
        image: app.image,
        port: app.port,
        healthPath: app.healthPath,
        replicas: app.replicas,
        resources: app.resources,
        autoscaling:
          app.autoscaling?.enabled === true
            ? {
                minReplicas: app.autoscaling.minReplicas,
                maxReplicas: app.autoscaling.maxReplicas,
                targetCpuPercent: app.autoscaling.targetCpuPercent,
              }
            : undefined,
        podDisruptionBudget: app.pdb,
        settings: wiring.settings,
        credentials,
        serviceAccountAnnotations: annotations,
        runAsUser: app.runAsUser,
        writablePaths: app.writablePaths,
        route: this.routeOf(app),
        // Prometheus (namespace monitoring) scrapes the app's port.
        ...(app.metrics && this.monitoringOn
          ? { allowFromNamespaces: [MONITORING_NAMESPACE] }
          : {}),
        // The release waits for its migration (and, through it, for the ones before).
        dependsOn: this.migrationOf(appName),
      });
      if (byArgo) delivered.push(this.deliveredApp(appName, app, apps[appName]));
    }
    this.apps = apps;
    if (delivered.length > 0) this.argocd = this.buildArgoCd(delivered);
    this.cloudLayers = [...layers].sort();
    this.monitoring = addMonitoringObjects(this, "apps", {
      services: appServices(this.env, Object.keys(apps)),
    });
  }

  /**
   * The schema migrations on this cluster, in order, each depending on the ones it runs after. The
   * Job reads the password from the database's Secret itself (the name the app's Secret copies
   * from), so nothing here reads it.
   */
  private buildMigrations(): Record<string, DatabaseMigration> {
    const placed = migrationsOn(this.env, this.cloud);
    const connection = postgresConnectionOf(this.env);
    if (placed.length === 0 || !connection) return {};
    const scope = new Construct(this, "Migrations");
    const out: Record<string, DatabaseMigration> = {};
    for (const m of placed) {
      const s = m.settings;
      const app = m.app === undefined ? undefined : this.env.workloads.apps[m.app];
      // An Argo-delivered app's migration runs as a PreSync hook of its Application.
      const byArgo = app !== undefined && this.deliveredByArgo(app);
      // The migration's name is its release name, unique in the namespace (schema-checked).
      out[m.name] = new DatabaseMigration(scope, m.name, {
        name: m.name,
        namespace: this.namespace,
        chart: byArgo ? undefined : this.localChart("migration"),
        image: s.image,
        command: s.command,
        args: s.args,
        connection,
        urlEnv: s.urlEnv,
        env: s.env,
        timeoutSeconds: s.timeoutSeconds,
        backoffLimit: s.backoffLimit,
        ttlSecondsAfterFinished: s.ttlSecondsAfterFinished,
        resources: s.resources,
        runAsUser: s.runAsUser,
        labels: this.labels,
        maxHistory: this.env.workloads.maxHistory,
        dependsOn: m.after.flatMap((d) => out[d].release?.release ?? []),
      });
    }
    return out;
  }

  /** The release of `app`'s migration on this cluster, as a dependency list. */
  private migrationOf(app: string): ITerraformDependable[] {
    const m = migrationsOn(this.env, this.cloud).find((x) => x.app === app);
    const release = m && this.migrations[m.name].release;
    return release ? [release.release] : [];
  }

  /** True when Argo CD delivers `app` on this cluster. */
  private deliveredByArgo(app: AppSettings): boolean {
    return deliveryOf(app, this.env.workloads.delivery, this.cloud) === "argocd";
  }

  /** What the Application of an Argo-delivered app needs: chart, values, Git source, migration. */
  private deliveredApp(name: string, app: AppSettings, built: ServiceApplication): DeliveredApp {
    const argocd = this.env.workloads.delivery.argocd;
    const git = app.git;
    if (!argocd || !git) {
      throw new Error(
        `${this.node.path}: ${name} is delivered by Argo CD without delivery.argocd or git (the schema should have refused this)`,
      );
    }
    const fromGit = (path: string) => {
      if (!argocd.charts) {
        throw new Error(`${this.node.path}: no delivery.argocd.charts for ${name} (schema gap)`);
      }
      return { ...argocd.charts, path };
    };
    const chart: ApplicationChart = app.chart.local
      ? fromGit(GIT_CHART_PATHS.service)
      : { repository: app.chart.repository!, chart: app.chart.name!, version: app.chart.version! };
    const placed = migrationsOn(this.env, this.cloud).find((m) => m.app === name);
    const migration = placed && this.migrations[placed.name];
    return {
      name,
      chart,
      values: built.values,
      git: { ...git, valueFiles: git.valueFiles ?? [] },
      migration: migration && {
        name: placed.name,
        chart: fromGit(GIT_CHART_PATHS.migration),
        values: migration.values,
      },
    };
  }

  /**
   * The release of charts/argocd-apps in Argo CD's namespace: after every app's ConfigMap and
   * Secret and every migration OpenTofu runs (the database's own), so a first sync finds them.
   */
  private buildArgoCd(apps: DeliveredApp[]): ArgoCdApplications {
    const d = this.env.workloads.delivery.argocd!;
    const wired = apps.flatMap((a) => {
      const s = this.apps[a.name];
      return [s.config, ...(s.secret ? [s.secret] : [])];
    });
    const migrations = Object.values(this.migrations).flatMap((m) =>
      m.release ? [m.release.release] : [],
    );
    return new ArgoCdApplications(this, "ArgoCdDelivery", {
      environment: this.env.name,
      namespace: PLATFORM_NAMESPACES.argocd,
      destinationNamespace: this.namespace,
      chart: this.localChart("argocd-apps"),
      sourceRepos: d.repositories.map((r) => r.url),
      repositoryCredentials: d.repositories.flatMap((r) =>
        r.credentialsSecretName ? [{ url: r.url, secretName: r.credentialsSecretName }] : [],
      ),
      access: d.access,
      apps,
      sync: d.sync,
      cascadeDelete: d.cascadeDelete,
      labels: this.labels,
      timeoutSeconds: this.env.workloads.timeoutSeconds.apps,
      maxHistory: this.env.workloads.maxHistory,
      dependsOn: [...wired, ...migrations],
    });
  }

  private random = false;
  /** `scope`, once the random provider is configured (the first generated key adds it). */
  private withRandom(scope: Construct): Construct {
    if (!this.random) randomProvider(this);
    this.random = true;
    return scope;
  }

  /** One data source per Secret read, shared by the apps of the stack. */
  private secretSource(source: SecretSource, name: string): DataKubernetesSecretV1 {
    let ds = this.sources.get(source);
    if (!ds) {
      ds = new DataKubernetesSecretV1(this, DATA_SERVICES[source].secretId, {
        metadata: { name, namespace: this.namespace },
      });
      this.sources.set(source, ds);
    }
    return ds;
  }

  /**
   * The app's route on this cluster: its hosts here, as listeners of the environment's Gateway,
   * and the Gateway's proxies admitted by its NetworkPolicy. Undefined for an internal app.
   */
  private routeOf(app: AppSettings): AppRoute | undefined {
    const hosts = hostsOn(app, this.cloud);
    if (hosts.length === 0) return undefined;
    return {
      gateway: { name: GATEWAY_NAME, namespace: this.namespace },
      hosts: [...hosts],
      listeners: hosts.map(listenerOf),
      paths: [...(app.paths ?? ["/"])],
      proxies: {
        namespace: PLATFORM_NAMESPACES.envoyGateway,
        podLabels: {
          [PROXY_LABELS.gatewayName]: GATEWAY_NAME,
          [PROXY_LABELS.gatewayNamespace]: this.namespace,
        },
      },
    };
  }

  private chartOf(app: AppSettings): ChartSource {
    if (app.chart.local) return this.localChart(app.chart.local);
    return { repository: app.chart.repository, chart: app.chart.name!, version: app.chart.version };
  }
}

/** The apps of an environment placed on `cloud`, in config order. */
export function placedApps(
  apps: Readonly<Record<string, AppSettings>>,
  cloud: string,
): Array<[string, AppSettings]> {
  return Object.entries(apps).filter(([, app]) => (app.clouds as string[]).includes(cloud));
}
