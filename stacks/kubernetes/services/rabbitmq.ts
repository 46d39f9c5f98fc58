/**
 * `buses.rabbitmq`: a RabbitmqCluster of the RabbitMQ Cluster Operator (engine "operator"), or
 * the deprecated bitnami/rabbitmq release (engine "bitnami", or kept beside the cluster with
 * `keepBitnami` while messages move over).
 */
import type { Construct } from "constructs";
import { Rabbitmq, rabbitmqConnection, type AmqpConnection } from "../../../modules/helm/rabbitmq";
import {
  RabbitmqCluster,
  rabbitmqClusterConnection,
  type RabbitmqClusterConnection,
} from "../../../modules/helm/rabbitmq-cluster";
import { runsBitnamiRelease } from "../../../environments/schema/data-services";
import { bitnamiImages } from "./bitnami";
import { IN_CLUSTER_TOPIC, type DataService, type SecretRef, type ServiceWiring } from "./service";

export const rabbitmqService = {
  key: "rabbitmq",
  secretId: "RabbitmqSecret",
  deploy(stack, mq) {
    const releases: Construct[] = [];
    if (mq.engine === "operator") {
      releases.push(
        new RabbitmqCluster(stack, "RabbitmqCluster", {
          ...stack.releaseSettings("stateful"),
          name: mq.releaseName,
          chart: stack.localChart("rabbitmq-cluster"),
          storageClass: stack.storageClass,
          storage: mq.storage,
          resources: mq.resources,
          replicas: mq.replicas,
          plugins: mq.plugins,
        }),
      );
    }
    if (runsBitnamiRelease(mq)) {
      // Deprecated (or kept beside the new cluster while messages move over); at its original
      // construct id, so its state stays where it is.
      releases.push(
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
      );
    }
    return releases;
  },
  runsOnOperator: (mq) => mq.engine === "operator",
  monitored: (mq) => ({
    kind: mq.engine === "bitnami" ? "rabbitmq" : "rabbitmq-cluster",
    release: mq.releaseName,
    topology: { replicated: mq.replicas > 1 },
  }),
  connection: (mq, namespace) =>
    (mq.engine === "operator" ? rabbitmqClusterConnection : rabbitmqConnection)({
      name: mq.releaseName,
      namespace,
    }),
  wire(mq, namespace): ServiceWiring {
    const from = (variable: string, secretName: string, key: string): SecretRef => ({
      variable,
      source: "rabbitmq",
      secretName,
      key,
    });
    if (mq.engine === "operator") {
      // Everything from the operator's `<name>-default-user` Secret: its user is generated.
      const c = rabbitmqClusterConnection({ name: mq.releaseName, namespace });
      return {
        settings: {
          AMQP_HOST: c.host,
          AMQP_PORT: String(c.port),
          AMQP_EXCHANGE: IN_CLUSTER_TOPIC,
        },
        secrets: [
          from("AMQP_USER", c.secretName, c.usernameKey),
          from("AMQP_PASSWORD", c.secretName, c.passwordKey),
          from("AMQP_URL", c.secretName, c.urlKey),
        ],
      };
    }
    const c = rabbitmqConnection({ name: mq.releaseName, namespace });
    return {
      settings: {
        AMQP_HOST: c.host,
        AMQP_PORT: String(c.port),
        AMQP_USER: c.username,
        AMQP_EXCHANGE: IN_CLUSTER_TOPIC,
      },
      secrets: [
        from("AMQP_PASSWORD", c.secretName, c.passwordKey),
        {
          ...from("AMQP_URL", c.secretName, c.passwordKey),
          format: (p) => `amqp://${c.username}:${p}@${c.host}:${c.port}/`,
        },
      ],
    };
  },
} satisfies DataService<"rabbitmq", AmqpConnection | RabbitmqClusterConnection>;
