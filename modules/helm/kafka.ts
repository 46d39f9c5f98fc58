import { Id } from "@cdktf/provider-random/lib/id";
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
import { kraftTopology } from "./topologies";

/** Props of {@link Kafka}. */
export interface KafkaProps extends BitnamiReleaseProps {
  /** bitnami/kafka chart version (32.x: Kafka 4, KRaft only). @default "32.4.3" */
  readonly version?: string;
  /** KRaft controller nodes: 1, 3 or 5. @default 1 */
  readonly controllers?: number;
  /** Broker-only nodes; 0 = the controllers also act as brokers. @default 0 */
  readonly brokers?: number;
  /** The SASL user the applications log in as. @default "app" */
  readonly username?: string;
  /** Volume per node. @default "8Gi" */
  readonly storage?: string;
  /** @default - requests 250m / 512Mi, memory limit 1Gi */
  readonly resources?: ResourceRequirements;
}

/** The newest released 32.x (32.4.4 was never released: facts/charts.json). */
export const DEFAULT_KAFKA_VERSION = "32.4.3";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "250m", memory: "512Mi" },
  limits: { memory: "1Gi" },
};
/** Key names the chart reads from `sasl.existingSecret`. */
export const KAFKA_SECRET_KEYS = {
  clients: "client-passwords",
  interBroker: "inter-broker-password",
  controller: "controller-password",
} as const;
/** The chart's client listener: SASL over plaintext inside the cluster. */
export const KAFKA_CLIENT_PROTOCOL = "SASL_PLAINTEXT";
export const KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";

/** How applications reach a Kafka release. */
export interface KafkaConnection {
  /** `host:port` of the bootstrap service. */
  readonly bootstrapServers: string;
  readonly securityProtocol: string;
  readonly saslMechanism: string;
  readonly username: string;
  readonly secretName: string;
  /** The key holds the comma-separated client passwords; with one user it is that user's. */
  readonly passwordKey: string;
}

/**
 * Kafka 4 in KRaft mode (bitnami/kafka 32.x): controllers, optionally dedicated with broker-only
 * nodes beside them; SASL passwords from a generated Secret; a stable cluster id generated once.
 */
export class Kafka extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  /** The KRaft cluster id: 16 random bytes, base64url (Kafka's format), fixed at first apply. */
  readonly clusterId: Id;
  readonly connection: KafkaConnection;

  constructor(scope: Construct, id: string, props: KafkaProps) {
    super(scope, id);
    const path = this.node.path;
    const { controllers, brokers } = kraftTopology(path, props);
    const storage = props.storage ?? "8Gi";
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkQuantity(path, "storage", storage);
    checkResources(path, "resources", resources);
    const fullname = bitnamiFullname(props.name, "kafka");
    const username = props.username ?? "app";

    this.clusterId = new Id(this, "ClusterId", { byteLength: 16 });
    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: Object.values(KAFKA_SECRET_KEYS),
      labels: props.labels,
    });
    const node = (replicaCount: number) => ({
      replicaCount,
      ...bitnamiResources(resources),
      persistence: bitnamiPersistence(storage, props.storageClass),
      persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
      pdb: { create: replicaCount > 1 },
    });
    const values: KafkaValues = {
      global: bitnamiGlobal(props.storageClass),
      commonLabels: { ...props.labels },
      image: bitnamiImage(props.images, "kafka"),
      defaultInitContainers: {
        volumePermissions: { image: bitnamiImage(props.images, "os-shell") },
        autoDiscovery: { image: bitnamiImage(props.images, "kubectl") },
      },
      metrics: {
        jmx: { enabled: props.metrics ?? false, image: bitnamiImage(props.images, "jmx-exporter") },
      },
      clusterId: this.clusterId.b64Url,
      listeners: { client: { protocol: KAFKA_CLIENT_PROTOCOL } },
      sasl: {
        enabledMechanisms: "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        client: { users: [username] },
        existingSecret: this.credentials.name,
      },
      controller: { ...node(controllers), controllerOnly: brokers > 0 },
      broker: node(brokers),
      ...internalTopicReplication(brokers > 0 ? brokers : controllers),
    };
    this.release = bitnamiChartRelease(this, "kafka", DEFAULT_KAFKA_VERSION, props, values, [
      this.credentials.secret,
    ]);
    this.connection = kafkaConnection({ ...props, username });
  }
}

/** Where a {@link Kafka} release is reached: the client listener of the bootstrap service. */
export function kafkaConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly username?: string;
}): KafkaConnection {
  const fullname = bitnamiFullname(p.name, "kafka");
  return {
    bootstrapServers: `${fullname}.${p.namespace}.svc.cluster.local:9092`,
    securityProtocol: KAFKA_CLIENT_PROTOCOL,
    saslMechanism: KAFKA_SASL_MECHANISM,
    username: p.username ?? "app",
    secretName: `${fullname}-credentials`,
    passwordKey: KAFKA_SECRET_KEYS.clients,
  };
}

type Image = ReturnType<typeof bitnamiImage>;
type Node = ReturnType<typeof bitnamiResources> & {
  readonly replicaCount: number;
  readonly persistence: ReturnType<typeof bitnamiPersistence>;
  readonly persistentVolumeClaimRetentionPolicy: typeof RETAIN_PVCS;
  readonly pdb: { readonly create: boolean };
};

/**
 * Kafka's internal topics default to replication factor 3 (`offsets.topic.replication.factor`,
 * `transaction.state.log.replication.factor`) and min ISR 2; with fewer brokers
 * `__consumer_offsets` is never created and consumer groups never start. The chart leaves them to
 * Kafka's defaults (bitnami/kafka 32.4.3 README: "rely on Kafka defaults"), so a cluster of one or
 * two brokers sets them to what it has.
 */
function internalTopicReplication(brokers: number): {
  overrideConfiguration?: Record<string, string>;
} {
  if (brokers >= 3) return {};
  return {
    overrideConfiguration: {
      "offsets.topic.replication.factor": String(brokers),
      "transaction.state.log.replication.factor": String(brokers),
      "transaction.state.log.min.isr": String(Math.max(1, brokers - 1)),
    },
  };
}

/** The bitnami/kafka values Strata sets. */
export interface KafkaValues {
  readonly global: ReturnType<typeof bitnamiGlobal>;
  readonly commonLabels: Record<string, string>;
  readonly image: Image;
  readonly defaultInitContainers: {
    readonly volumePermissions: { readonly image: Image };
    readonly autoDiscovery: { readonly image: Image };
  };
  readonly metrics: { readonly jmx: { readonly enabled: boolean; readonly image: Image } };
  readonly clusterId: string;
  readonly listeners: { readonly client: { readonly protocol: string } };
  readonly sasl: {
    readonly enabledMechanisms: string;
    readonly client: { readonly users: string[] };
    readonly existingSecret: string;
  };
  readonly controller: Node & { readonly controllerOnly: boolean };
  readonly broker: Node;
  readonly overrideConfiguration?: Record<string, string>;
}
