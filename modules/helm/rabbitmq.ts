import { Construct } from "constructs";
import {
  bitnamiChartRelease,
  bitnamiFullname,
  bitnamiGlobal,
  bitnamiImage,
  bitnamiPersistence,
  bitnamiResources,
  RETAIN_PVCS,
  type BitnamiReleaseProps,
} from "./bitnami";
import type { HelmChartRelease } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import { checkQuantity, checkResources, type ResourceRequirements } from "./kubernetes-values";
import { rabbitmqReplicas } from "./topologies";

/** Props of {@link Rabbitmq}. */
export interface RabbitmqProps extends BitnamiReleaseProps {
  /** bitnami/rabbitmq chart version. @default "16.0.14" */
  readonly version?: string;
  /** Nodes: 1, or an odd number ≥ 3 (a quorum queue needs a majority). @default 1 */
  readonly replicas?: number;
  /** The applications' user. @default "app" */
  readonly username?: string;
  /** Volume per node. @default "8Gi" */
  readonly storage?: string;
  /** @default - requests 100m / 256Mi, memory limit 512Mi */
  readonly resources?: ResourceRequirements;
}

/** The version the seeds pin. */
export const DEFAULT_RABBITMQ_VERSION = "16.0.14";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { memory: "512Mi" },
};
/**
 * Key names in the Secret (the chart's defaults for auth.existingSecretPasswordKey and
 * auth.existingSecretErlangKey). The Erlang cookie must be stable across upgrades.
 */
export const RABBITMQ_SECRET_KEYS = {
  password: "rabbitmq-password",
  erlangCookie: "rabbitmq-erlang-cookie",
} as const;

/** How applications reach a RabbitMQ release. */
export interface AmqpConnection {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly secretName: string;
  readonly passwordKey: string;
}

/**
 * RabbitMQ (bitnami/rabbitmq): a cluster with Kubernetes peer discovery (pause_minority on
 * partitions) or a single node, password and Erlang cookie from a generated Secret.
 */
export class Rabbitmq extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: AmqpConnection;

  constructor(scope: Construct, id: string, props: RabbitmqProps) {
    super(scope, id);
    const path = this.node.path;
    const replicas = rabbitmqReplicas(path, props.replicas);
    const storage = props.storage ?? "8Gi";
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkQuantity(path, "storage", storage);
    checkResources(path, "resources", resources);
    const fullname = bitnamiFullname(props.name, "rabbitmq");
    const username = props.username ?? "app";

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: Object.values(RABBITMQ_SECRET_KEYS),
      labels: props.labels,
    });
    const values: RabbitmqValues = {
      global: bitnamiGlobal(props.storageClass),
      commonLabels: { ...props.labels },
      image: bitnamiImage(props.images, "rabbitmq"),
      volumePermissions: { image: bitnamiImage(props.images, "os-shell") },
      replicaCount: replicas,
      auth: {
        username,
        existingPasswordSecret: this.credentials.name,
        existingSecretPasswordKey: RABBITMQ_SECRET_KEYS.password,
        existingErlangSecret: this.credentials.name,
        existingSecretErlangKey: RABBITMQ_SECRET_KEYS.erlangCookie,
      },
      clustering: {
        enabled: replicas > 1,
        // A minority side pauses instead of diverging; autoheal (the default) may drop messages.
        partitionHandling: replicas > 1 ? "pause_minority" : "autoheal",
      },
      ...bitnamiResources(resources),
      persistence: bitnamiPersistence(storage, props.storageClass),
      persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
      pdb: { create: replicas > 1, minAvailable: Math.floor(replicas / 2) + 1 },
      metrics: { enabled: props.metrics ?? false },
    };
    this.release = bitnamiChartRelease(this, "rabbitmq", DEFAULT_RABBITMQ_VERSION, props, values, [
      this.credentials.secret,
    ]);
    this.connection = rabbitmqConnection({ ...props, username });
  }
}

/** Where a {@link Rabbitmq} release is reached (AMQP). */
export function rabbitmqConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly username?: string;
}): AmqpConnection {
  const fullname = bitnamiFullname(p.name, "rabbitmq");
  return {
    host: `${fullname}.${p.namespace}.svc.cluster.local`,
    port: 5672,
    username: p.username ?? "app",
    secretName: `${fullname}-credentials`,
    passwordKey: RABBITMQ_SECRET_KEYS.password,
  };
}

type Image = ReturnType<typeof bitnamiImage>;

/** The bitnami/rabbitmq values Strata sets. */
export interface RabbitmqValues extends ReturnType<typeof bitnamiResources> {
  readonly global: ReturnType<typeof bitnamiGlobal>;
  readonly commonLabels: Record<string, string>;
  readonly image: Image;
  readonly volumePermissions: { readonly image: Image };
  readonly replicaCount: number;
  readonly auth: {
    readonly username: string;
    readonly existingPasswordSecret: string;
    readonly existingSecretPasswordKey: string;
    readonly existingErlangSecret: string;
    readonly existingSecretErlangKey: string;
  };
  readonly clustering: { readonly enabled: boolean; readonly partitionHandling: string };
  readonly persistence: ReturnType<typeof bitnamiPersistence>;
  readonly persistentVolumeClaimRetentionPolicy: typeof RETAIN_PVCS;
  readonly pdb: { readonly create: boolean; readonly minAvailable: number };
  readonly metrics: { readonly enabled: boolean };
}
