/** `buses.kafka`: bitnami/kafka in KRaft mode. */
import { Kafka, kafkaConnection, type KafkaConnection } from "../../../modules/helm/kafka";
import { bitnamiImages } from "./bitnami";
import { IN_CLUSTER_TOPIC, type DataService } from "./service";

export const kafkaService = {
  key: "kafka",
  secretId: "KafkaSecret",
  deploy: (stack, kafka) =>
    new Kafka(stack, "Kafka", {
      ...stack.releaseSettings("stateful"),
      name: kafka.releaseName,
      version: stack.env.workloads.charts.kafka,
      images: bitnamiImages(kafka.images),
      storageClass: stack.storageClass,
      storage: kafka.storage,
      resources: kafka.resources,
      metrics: kafka.metrics,
      controllers: kafka.controllers,
      brokers: kafka.brokers,
    }),
  monitored: (kafka) => ({
    kind: "kafka",
    release: kafka.releaseName,
    // Brokers, or controllers acting as brokers when there are no dedicated ones.
    topology: { replicated: (kafka.brokers || kafka.controllers) > 1 },
  }),
  connection: (kafka, namespace) => kafkaConnection({ name: kafka.releaseName, namespace }),
  wire(kafka, namespace) {
    const c = kafkaConnection({ name: kafka.releaseName, namespace });
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
