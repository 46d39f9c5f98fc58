import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import fs from "node:fs";
import path from "node:path";
import type { AppSettings } from "../../environments/schema/workloads";
import type { ChartSource } from "../../modules/helm/chart-release";
import { ServiceApplication } from "../../modules/helm/service-application";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { appWiring, type SecretSource } from "./wiring";

/** Stable construct ids of the Secrets apps read, by source. */
const SECRET_IDS: Record<SecretSource, string> = {
  postgresql: "PostgresqlSecret",
  redis: "RedisSecret",
  rabbitmq: "RabbitmqSecret",
  kafka: "KafkaSecret",
};

/**
 * `<env>-<cloud>-apps`: the applications placed on this cluster, each with its ConfigMap, its
 * Secret (credentials copied from the database and bus Secrets, connection URLs assembled there)
 * and a release of its chart. Reads the other layers' Secrets by name, never their state, so
 * upgrading a database leaves this stack untouched.
 */
export class AppsStack extends HelmLayerStack {
  readonly apps: Readonly<Record<string, ServiceApplication>>;
  /** Cloud layers (`data`, `messaging`) the placed apps use. */
  readonly cloudLayers: ReadonlyArray<"data" | "messaging">;
  private readonly sources = new Map<SecretSource, DataKubernetesSecretV1>();
  private chartAsset?: TerraformAsset;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, props);
    const apps: Record<string, ServiceApplication> = {};
    // Apps under their own scope: their names (the release names) cannot collide with the stack's
    // own constructs (`backend` is the state backend's id).
    const appsScope = new Construct(this, "Apps");
    const layers = new Set<"data" | "messaging">();
    for (const [appName, app] of placedApps(this.env.workloads.apps, this.cloud)) {
      const wiring = appWiring(this.env, appName, app, this.cloud);
      wiring.cloudLayers.forEach((l) => layers.add(l));
      const credentials = Object.fromEntries(
        wiring.secrets.map((ref) => {
          const password = this.secretSource(ref.source, ref.secretName).data.lookup(ref.key);
          return [ref.variable, ref.format ? ref.format(password) : password];
        }),
      );
      const annotations: Record<string, string> = {};
      if (wiring.identity.gcpServiceAccount && this.cloud === "gcp") {
        annotations["iam.gke.io/gcp-service-account"] = wiring.identity.gcpServiceAccount;
      }
      if (wiring.identity.awsRoleName && this.cloud === "aws") {
        annotations["eks.amazonaws.com/role-arn"] = this.roleArn(
          appsScope,
          appName,
          wiring.identity.awsRoleName,
        );
      }
      // The application's name is its release, ServiceAccount and Deployment name.
      apps[appName] = new ServiceApplication(appsScope, appName, {
        ...this.releaseSettings,
        name: appName,
        chart: this.chartOf(app),
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
      });
    }
    this.apps = apps;
    this.cloudLayers = [...layers].sort();
  }

  /** One data source per Secret read, shared by the apps of the stack. */
  private secretSource(source: SecretSource, name: string): DataKubernetesSecretV1 {
    let ds = this.sources.get(source);
    if (!ds) {
      ds = new DataKubernetesSecretV1(this, SECRET_IDS[source], {
        metadata: { name, namespace: this.namespace },
      });
      this.sources.set(source, ds);
    }
    return ds;
  }

  private roleArn(scope: Construct, appName: string, roleName: string): string {
    const account = this.env.targets.aws?.accountId;
    if (account) return `arn:aws:iam::${account}:role/${roleName}`;
    return new DataAwsIamRole(scope, `${appName}-role`, { name: roleName }).arn;
  }

  private chartOf(app: AppSettings): ChartSource {
    if (app.chart.local) {
      this.chartAsset ??= new TerraformAsset(this, "ServiceChart", {
        path: projectChart(app.chart.local),
        type: AssetType.DIRECTORY,
      });
      // "./": a path, never read as <repo>/<chart>. Relative to the stack folder, where tofu runs.
      return { chart: `./${this.chartAsset.path}` };
    }
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

/**
 * Path of a chart shipped in this repository. Found by walking up from this file, because the
 * app runs both from source (jest) and bundled into dist/ (synth).
 */
export function projectChart(name: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "charts", name);
    if (fs.existsSync(path.join(candidate, "Chart.yaml"))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`chart "${name}" not found in charts/ above ${__dirname}`);
    }
  }
}
