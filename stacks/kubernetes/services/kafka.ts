/**
 * `buses.kafka`: a Kafka cluster of the Strimzi operator (engine "strimzi", KRaft node pools), or
 * the deprecated bitnami/kafka release (engine "bitnami"); both while `migrating`, with the apps
 * on `engine`'s.
 */
import type { Construct } from "constructs";
import { Kafka, kafkaConnection, type KafkaConnection } from "../../../modules/helm/kafka";
import { KafkaCluster, kafkaClusterConnection } from "../../../modules/helm/kafka-cluster";
import { runsBitnamiRelease } from "../../../environments/schema/data-services";
import { bitnamiImages } from "./bitnami";
import { IN_CLUSTER_TOPIC, type DataService, type ServiceSettings } from "./service";

/** Where apps reach the cluster of the engine they use. */
function connectionOf(kafka: ServiceSettings<"kafka">, namespace: string): KafkaConnection {
  return (kafka.engine === "strimzi" ? kafkaClusterConnection : kafkaConnection)({
    name: kafka.releaseName,
    namespace,
  });
}

export const kafkaService = {
  key: "kafka",
  secretId: "KafkaSecret",
  deploy(stack, kafka) {
    const releases: Construct[] = [];
    const settings = {
      ...stack.releaseSettings("stateful"),
      name: kafka.releaseName,
      storageClass: stack.storageClass,
      storage: kafka.storage,
      resources: kafka.resources,
      metrics: kafka.metrics,
      controllers: kafka.controllers,
      brokers: kafka.brokers,
    };
    if (kafka.engine === "strimzi" || kafka.migrating) {
      // The operator and its CRDs come from the cluster owner's platform layer.
      releases.push(
        new KafkaCluster(stack, "KafkaCluster", {
          ...settings,
          chart: stack.localChart("kafka-cluster"),
          topic: IN_CLUSTER_TOPIC,
          zones: stack.nodesHaveZones,
        }),
      );
    }
    if (runsBitnamiRelease(kafka)) {
      // Deprecated (frozen images): the same construct id as before, so the state stays put.
      releases.push(
        new Kafka(stack, "Kafka", {
          ...settings,
          version: stack.env.workloads.charts.kafka,
          images: bitnamiImages(kafka.images),
        }),
      );
    }
    return releases;
  },
  runsOnOperator: (kafka) => kafka.engine === "strimzi" || kafka.migrating,
  // While migrating, only the cluster the apps use is monitored (one rule group per release).
  monitored: (kafka) => ({
    kind: kafka.engine === "strimzi" ? "strimzi" : "kafka",
    release: kafka.releaseName,
    // Brokers, or controllers acting as brokers when there are no dedicated ones.
    topology: { replicated: (kafka.brokers || kafka.controllers) > 1 },
  }),
  connection: connectionOf,
  wire(kafka, namespace) {
    const c = connectionOf(kafka, namespace);
    return {
      settings: {
        KAFKA_BOOTSTRAP_SERVERS: c.bootstrapServers,
        KAFKA_SECURITY_PROTOCOL: c.securityProtocol,
        KAFKA_SASL_MECHANISM: c.saslMechanism,
        KAFKA_USERNAME: c.username,
        KAFKA_TOPIC: IN_CLUSTER_TOPIC,
      },
      secrets: [
        {
          variable: "KAFKA_PASSWORD",
          source: "kafka",
          secretName: c.secretName,
          key: c.passwordKey,
        },
      ],
    };
  },
} satisfies DataService<"kafka", KafkaConnection>;
