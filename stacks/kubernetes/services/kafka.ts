/** `buses.kafka`: bitnami/kafka in KRaft mode. */
import { Kafka, kafkaConnection, type KafkaConnection } from "../../../modules/helm/kafka";
import { bitnamiImages } from "./bitnami";
import type { DataService } from "./service";

export const kafkaService: DataService<"kafka", KafkaConnection> = {
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
};
