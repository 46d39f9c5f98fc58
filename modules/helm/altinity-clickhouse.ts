import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import { CLICKHOUSE_HTTP_PORT, type ClickhouseConnection } from "./clickhouse";
import { CLICKHOUSE_IMAGES } from "./clickhouse-images";
import { GeneratedSecret } from "./generated-secret";
export { CLICKHOUSE_IMAGES };
import {
  checkQuantity,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";
import { clickhouseTopology } from "./topologies";

/** The key of the applications' password in the Secret Strata generates. */
export const ALTINITY_PASSWORD_KEY = "password";
/** ClickHouse's own Prometheus endpoint (settings prometheus/*, container port "metrics"). */
export const CLICKHOUSE_METRICS_PORT = 9363;

/** Props of {@link AltinityClickhouse}. */
export interface AltinityClickhouseProps {
  /** The ClickHouseInstallation and the ClickHouseKeeperInstallation (and the release). */
  readonly name: string;
  readonly namespace: string;
  /** charts/clickhouse-cluster. */
  readonly chart: ChartSource;
  /** @default 1 */
  readonly shards?: number;
  /** @default 1 */
  readonly replicas?: number;
  /** 0, 1, 3 or 5. @default - 3 when replicas > 1, else 0 */
  readonly keeperReplicas?: number;
  /** The applications' user (never "default": the operator keeps that one for its hosts). @default "app" */
  readonly username?: string;
  /** @default "8Gi" */
  readonly storage?: string;
  /** @default "2Gi" */
  readonly keeperStorage?: string;
  readonly storageClass: string;
  readonly resources?: ResourceRequirements;
  readonly keeperResources?: ResourceRequirements;
  /** ClickHouse's Prometheus endpoint. @default false */
  readonly metrics?: boolean;
  /** Prefer one zone per pod of a kind. @default - true when anything is replicated */
  readonly spreadZones?: boolean;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  readonly timeoutSeconds?: number;
  readonly maxHistory?: number;
  /** The operator release on an owned cluster, the namespace. @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * ClickHouse on the Altinity clickhouse-operator: charts/clickhouse-cluster renders a
 * ClickHouseKeeperInstallation and a ClickHouseInstallation; the applications' password is
 * generated into a Secret the installation reads (valueFrom.secretKeyRef). Its volumes are
 * retained when the resources are deleted (volumeClaimTemplates[].reclaimPolicy: Retain).
 */
export class AltinityClickhouse extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: ClickhouseConnection;

  constructor(scope: Construct, id: string, props: AltinityClickhouseProps) {
    super(scope, id);
    const path = this.node.path;
    const { shards, replicas, keeperReplicas } = clickhouseTopology(path, props);
    const username = props.username ?? "app";
    if (username === "default") {
      throw new Error(
        `${path}: username "default" is the operator's own (passwordless, reachable only from the installation's pods); choose another name such as "app"`,
      );
    }
    const storage = props.storage ?? "8Gi";
    const keeperStorage = props.keeperStorage ?? "2Gi";
    checkQuantity(path, "storage", storage);
    checkQuantity(path, "keeperStorage", keeperStorage);
    checkResources(path, "resources", props.resources);
    checkResources(path, "keeperResources", props.keeperResources);

    this.connection = altinityClickhouseConnection({ ...props, username });
    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: this.connection.secretName,
      namespace: props.namespace,
      passwordKeys: [ALTINITY_PASSWORD_KEY],
      plainData: { username },
      labels: props.labels,
    });
    const values: ClickhouseClusterValues = {
      name: props.name,
      commonLabels: { ...props.labels },
      keeper: {
        replicas: keeperReplicas,
        image: CLICKHOUSE_IMAGES.keeper,
        resources: props.keeperResources ?? {},
        storage: keeperStorage,
      },
      clickhouse: {
        shards,
        replicas,
        image: CLICKHOUSE_IMAGES.server,
        resources: props.resources ?? {},
        storage,
        metricsPort: props.metrics ? CLICKHOUSE_METRICS_PORT : 0,
      },
      user: {
        name: username,
        secretName: this.connection.secretName,
        passwordKey: ALTINITY_PASSWORD_KEY,
      },
      storageClass: props.storageClass,
      spreadZones: props.spreadZones ?? (replicas > 1 || keeperReplicas > 1),
    };
    this.release = new HelmChartRelease(this, "Release", {
      // Not the resources' name: the Bitnami release `<name>` may still run beside it (migration).
      name: altinityReleaseName(props.name),
      namespace: props.namespace,
      chart: props.chart,
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: [...(props.dependsOn ?? []), this.credentials.secret],
    });
  }
}

/**
 * Where applications reach an installation: the operator's Service `clickhouse-<chi>` (every
 * ready host; http 8123), the Secret `clickhouse-<name>-credentials`.
 */
export function altinityClickhouseConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly username?: string;
}): ClickhouseConnection {
  return {
    host: `clickhouse-${p.name}.${p.namespace}.svc.cluster.local`,
    port: CLICKHOUSE_HTTP_PORT,
    username: p.username ?? "app",
    // Not `<name>-clickhouse-credentials`: that is the Bitnami release's, which may still run.
    secretName: `clickhouse-${p.name}-credentials`,
    passwordKey: ALTINITY_PASSWORD_KEY,
  };
}

/** The Helm release of an installation `<name>`: `<name>-chi`. */
export function altinityReleaseName(name: string): string {
  return `${name}-chi`;
}

/** The values of charts/clickhouse-cluster Strata sets (its values.schema.json checks them). */
export interface ClickhouseClusterValues {
  readonly name: string;
  readonly commonLabels: Record<string, string>;
  readonly keeper: {
    readonly replicas: number;
    readonly image: string;
    readonly resources: ResourceRequirements;
    readonly storage: string;
  };
  readonly clickhouse: {
    readonly shards: number;
    readonly replicas: number;
    readonly image: string;
    readonly resources: ResourceRequirements;
    readonly storage: string;
    readonly metricsPort: number;
  };
  readonly user: {
    readonly name: string;
    readonly secretName: string;
    readonly passwordKey: string;
  };
  readonly storageClass: string;
  readonly spreadZones: boolean;
}
