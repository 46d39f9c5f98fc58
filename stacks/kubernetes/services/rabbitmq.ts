/** `buses.rabbitmq`: bitnami/rabbitmq. */
import { Rabbitmq, rabbitmqConnection, type AmqpConnection } from "../../../modules/helm/rabbitmq";
import { bitnamiImages } from "./bitnami";
import type { DataService } from "./service";

export const rabbitmqService: DataService<"rabbitmq", AmqpConnection> = {
  key: "rabbitmq",
  secretId: "RabbitmqSecret",
  deploy: (stack, mq) =>
    new Rabbitmq(stack, "Rabbitmq", {
      ...stack.releaseSettings("stateful"),
      name: mq.releaseName,
      version: stack.env.workloads.charts.rabbitmq,
      images: bitnamiImages(mq.images),
      storageClass: stack.storageClass,
      storage: mq.storage,
      resources: mq.resources,
      metrics: mq.metrics,
      replicas: mq.replicas,
    }),
  monitored: (mq) => ({
    kind: "rabbitmq",
    release: mq.releaseName,
    topology: { replicated: mq.replicas > 1 },
  }),
  connection: (mq, namespace) => rabbitmqConnection({ name: mq.releaseName, namespace }),
};
