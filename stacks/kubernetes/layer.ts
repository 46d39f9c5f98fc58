/** What every Helm-layer stack shares: its placement, the cluster providers, labels, storage. */
import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { AssetType, TerraformAsset } from "cdktf";
import type { Construct } from "constructs";
import fs from "node:fs";
import path from "node:path";
import type { Environment } from "../../environments/schema";
import type { ConfigCloud } from "../../environments/schema/workloads";
import { CHART_ASSET_IDS, type ProjectChart } from "../../modules/common/project-charts";
import type { ChartSource } from "../../modules/helm/chart-release";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import type { ClusterRef } from "./cluster-ref";
import { clusterProviders, randomProvider, type ClusterProviders } from "./providers";

/** Props of every Helm-layer stack. */
export interface HelmLayerStackProps extends StrataStackProps {
  /** The cluster the layer runs on (possibly another environment's). */
  readonly cluster: ClusterRef;
  /** The environment owning the cluster (for its AWS account pin). */
  readonly clusterOwner: Environment;
  /** Generates passwords: adds the random provider. @default false */
  readonly generatesSecrets?: boolean;
}

/** Labels on every Kubernetes object of an environment (chart `commonLabels`, namespaces). */
export function kubernetesLabels(env: Environment): Record<string, string> {
  return {
    ...env.labels,
    environment: env.name,
    team: env.team,
    "app.kubernetes.io/part-of": env.team,
  };
}

/** Which timeout a release gets (workloads.timeoutSeconds). */
export type ReleaseKind = "platform" | "stateful" | "apps";

export type { ProjectChart };

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

/** A stack that installs Helm releases into one cluster. */
export class HelmLayerStack extends StrataStack {
  readonly cloud: ConfigCloud;
  readonly cluster: ClusterRef;
  readonly providers: ClusterProviders;
  /** The environment's namespace on this cluster. */
  readonly namespace: string;
  /** Storage class for volumes on this cloud. */
  readonly storageClass: string;
  readonly labels: Record<string, string>;
  /** The environment owning the cluster (itself, or the one whose cluster it shares). */
  readonly clusterOwner: Environment;
  private readonly chartAssets = new Map<ProjectChart, TerraformAsset>();

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, props);
    const { env, cluster } = props;
    this.cloud = cluster.cloud;
    this.cluster = cluster;
    this.namespace = env.workloads.namespace;
    this.storageClass = env.workloads.storageClasses[cluster.cloud];
    this.labels = kubernetesLabels(env);
    this.clusterOwner = props.clusterOwner;
    this.providers = clusterProviders(this, cluster, {
      auth: env.workloads.clusterAuth,
      awsAccountId: props.clusterOwner.targets.aws?.accountId,
    });
    if (props.generatesSecrets) randomProvider(this);
  }

  /**
   * Helm settings every release of the environment shares, with the timeout of its layer's kind:
   * `stateful` for databases and buses, `apps` for applications, `platform` for the rest.
   */
  releaseSettings(kind: ReleaseKind) {
    return {
      namespace: this.namespace,
      labels: this.labels,
      timeoutSeconds: this.env.workloads.timeoutSeconds[kind],
      maxHistory: this.env.workloads.maxHistory,
    };
  }

  /**
   * The ARN of the IAM role `roleName` (IRSA): built from the environment's pinned AWS account, or
   * read by name (a data source in `scope` with construct id `id`) when no account is pinned.
   */
  awsRoleArn(scope: Construct, id: string, roleName: string): string {
    const account = this.env.targets.aws?.accountId;
    if (account) return `arn:aws:iam::${account}:role/${roleName}`;
    return new DataAwsIamRole(scope, id, { name: roleName }).arn;
  }

  /**
   * The cluster's nodes carry the zone label `topology.kubernetes.io/zone`, so a zone spread can
   * be satisfied. GKE and EKS set it; DOKS does not: DigitalOcean's cloud controller reports a
   * node's region but no zone (digitalocean-cloud-controller-manager
   * cloud-controller-manager/do/droplets.go#L158-L163 at 70d527e), and a DoNotSchedule spread on
   * a missing label leaves every pod Pending.
   */
  get nodesHaveZones(): boolean {
    return this.cloud !== "digitalocean";
  }

  /**
   * Monitoring objects go into this layer: the environment wants them and the cluster's owner runs
   * the metrics stack (a guest follows its owner; its own `enabled` can only turn them off).
   */
  get monitoringOn(): boolean {
    return (
      this.env.workloads.platform.monitoring.enabled &&
      this.clusterOwner.workloads.platform.monitoring.enabled
    );
  }

  /** A chart of charts/, copied into the stack once. */
  localChart(name: ProjectChart): ChartSource {
    let asset = this.chartAssets.get(name);
    if (!asset) {
      asset = new TerraformAsset(this, CHART_ASSET_IDS[name], {
        path: projectChart(name),
        type: AssetType.DIRECTORY,
      });
      this.chartAssets.set(name, asset);
    }
    // "./": a path, never read as <repo>/<chart>. Relative to the stack folder, where tofu runs.
    return { chart: `./${asset.path}` };
  }
}
