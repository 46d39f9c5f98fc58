import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import {
  checkQuantity,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";
import { RABBITMQ_CLUSTER_IMAGE } from "./rabbitmq-cluster-image";
import { rabbitmqReplicas } from "./topologies";

export { RABBITMQ_CLUSTER_IMAGE };

/** Props of {@link RabbitmqCluster}. */
export interface RabbitmqClusterProps {
  /**
   * Name of the RabbitmqCluster: its Service, `<name>-nodes`, `<name>-default-user`, StatefulSet
   * `<name>-server`. The Helm release is `<name>-cluster`.
   */
  readonly name: string;
  readonly namespace: string;
  /** charts/rabbitmq-cluster, as the layer ships it. */
  readonly chart: ChartSource;
  /** Nodes: 1, or an odd number ≥ 3 (quorum queues need a majority). @default 1 */
  readonly replicas?: number;
  readonly storageClass: string;
  /** Volume per node. @default "8Gi" */
  readonly storage?: string;
  /** The RabbitMQ container; a memory limit sets its memory watermark. @default - requests 100m / 256Mi, memory limit 512Mi */
  readonly resources?: ResourceRequirements;
  /** Plugins beside the operator's three (e.g. rabbitmq_shovel for a migration). @default [] */
  readonly plugins?: readonly string[];
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** AMQP port of the client Service (internal/resource/service.go#L131-L133 at v2.22.3). */
export const RABBITMQ_CLUSTER_AMQP_PORT = 5672;
/**
 * The operator's Secret `<name>-default-user` (default_user_secret.go#L31,L90-L100 at v2.22.3):
 * a generated user (administrator) and password; `connection_string` is
 * `amqp://<username>:<password>@<name>.<ns>.svc:5672/` (#L180-L185); the values are base64url,
 * safe in a URL (erlang_cookie.go#L71-L77).
 */
export const RABBITMQ_CLUSTER_SECRET_KEYS = {
  username: "username",
  password: "password",
  url: "connection_string",
} as const;
/** rabbitmq.conf lines every cluster gets: new queues are quorum queues (replicated, durable). */
export const RABBITMQ_CLUSTER_CONFIG = ["default_queue_type = quorum"] as const;
/** Plugins a user may add (the operator always enables peer discovery, prometheus, management). */
export const RABBITMQ_OPTIONAL_PLUGINS = ["rabbitmq_shovel", "rabbitmq_federation"] as const;

/** How applications reach a RabbitmqCluster: credentials all come from the operator's Secret. */
export interface RabbitmqClusterConnection {
  readonly host: string;
  readonly port: number;
  readonly secretName: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
  readonly urlKey: string;
}

/**
 * A RabbitMQ cluster run by the RabbitMQ Cluster Operator (charts/rabbitmq-cluster: one
 * RabbitmqCluster): quorum queues by default, one node per host where possible and the operator's
 * zone spread, the volume and resources given, Prometheus metrics on 15692. Kept when the release
 * is uninstalled (`helm.sh/resource-policy: keep`): deleting the RabbitmqCluster would delete its
 * volumes, whose owner the operator makes it (statefulset.go#L311-L316 at v2.22.3). The pods are
 * Pod Security `restricted` as the operator builds them.
 */
export class RabbitmqCluster extends Construct {
  readonly release: HelmChartRelease;
  readonly connection: RabbitmqClusterConnection;

  constructor(scope: Construct, id: string, props: RabbitmqClusterProps) {
    super(scope, id);
    const path = this.node.path;
    const replicas = rabbitmqReplicas(path, props.replicas);
    const storage = props.storage ?? "8Gi";
    const resources = props.resources ?? {
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { memory: "512Mi" },
    };
    checkQuantity(path, "storage", storage);
    checkResources(path, "resources", resources);
    for (const p of props.plugins ?? []) {
      if (!(RABBITMQ_OPTIONAL_PLUGINS as readonly string[]).includes(p))
        throw new Error(
          `${path}: plugins: ${p} is not one Strata enables; use ${RABBITMQ_OPTIONAL_PLUGINS.join(" or ")}`,
        );
    }
    const values: RabbitmqClusterValues = {
      commonLabels: { ...props.labels },
      name: props.name,
      replicas,
      image: { ...RABBITMQ_CLUSTER_IMAGE },
      resources,
      persistence: { storageClassName: props.storageClass, storage },
      additionalConfig: [...RABBITMQ_CLUSTER_CONFIG],
      additionalPlugins: [...(props.plugins ?? [])],
      keepOnUninstall: true,
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: rabbitmqClusterReleaseName(props.name),
      namespace: props.namespace,
      chart: props.chart,
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
    this.connection = rabbitmqClusterConnection(props);
  }
}

/**
 * The Helm release of a cluster: `<name>-cluster`, so it never takes the name of the Bitnami
 * release (`<name>`) it replaces: both can run side by side while messages move over.
 */
export function rabbitmqClusterReleaseName(name: string): string {
  return `${name}-cluster`;
}

/** Where a {@link RabbitmqCluster} is reached (service.go, default_user_secret.go at v2.22.3). */
export function rabbitmqClusterConnection(p: {
  readonly name: string;
  readonly namespace: string;
}): RabbitmqClusterConnection {
  return {
    // The Secret's `host` (ServiceSubDomain: rabbitmqcluster_types.go#L513-L515).
    host: `${p.name}.${p.namespace}.svc`,
    port: RABBITMQ_CLUSTER_AMQP_PORT,
    secretName: `${p.name}-default-user`,
    usernameKey: RABBITMQ_CLUSTER_SECRET_KEYS.username,
    passwordKey: RABBITMQ_CLUSTER_SECRET_KEYS.password,
    urlKey: RABBITMQ_CLUSTER_SECRET_KEYS.url,
  };
}

/** The values of charts/rabbitmq-cluster Strata sets. */
export interface RabbitmqClusterValues {
  readonly commonLabels: Record<string, string>;
  readonly name: string;
  readonly replicas: number;
  readonly image: { readonly repository: string; readonly tag: string };
  readonly resources: ResourceRequirements;
  readonly persistence: { readonly storageClassName: string; readonly storage: string };
  readonly additionalConfig: string[];
  readonly additionalPlugins: string[];
  readonly keepOnUninstall: boolean;
}
