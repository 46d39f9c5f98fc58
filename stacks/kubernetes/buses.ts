import type { Construct } from "constructs";
import { Kafka } from "../../modules/helm/kafka";
import { KafkaCluster } from "../../modules/helm/kafka-cluster";
import { Rabbitmq } from "../../modules/helm/rabbitmq";
import { bitnamiImages } from "./databases";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects, busServices } from "./monitoring";
import { IN_CLUSTER_TOPIC } from "./wiring";

/** `<env>-<cloud>-buses`: the in-cluster message buses configured for this cluster. */
export class BusesStack extends HelmLayerStack {
  readonly rabbitmq?: Rabbitmq;
  /** `buses.kafka` with engine bitnami (deprecated), or beside Strimzi while migrating. */
  readonly kafka?: Kafka;
  /** `buses.kafka` on the Strimzi operator (engine strimzi, the default; or while migrating). */
  readonly kafkaCluster?: KafkaCluster;
  /** ServiceMonitors and rules of the buses whose metrics are on. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, { ...props, generatesSecrets: true });
    const { buses, charts } = this.env.workloads;
    const mq = buses.rabbitmq;
    if (mq?.clouds.includes(this.cloud)) {
      this.rabbitmq = new Rabbitmq(this, "Rabbitmq", {
        ...this.releaseSettings("stateful"),
        name: mq.releaseName,
        version: charts.rabbitmq,
        images: bitnamiImages(mq.images),
        storageClass: this.storageClass,
        storage: mq.storage,
        resources: mq.resources,
        metrics: mq.metrics,
        replicas: mq.replicas,
      });
    }
    const kafka = buses.kafka;
    // While migrating both engines' clusters run; apps use `engine`'s (wiring.ts).
    if (kafka?.clouds.includes(this.cloud) && (kafka.engine === "strimzi" || kafka.migrating)) {
      // The operator and its CRDs come from the cluster owner's platform layer.
      this.kafkaCluster = new KafkaCluster(this, "KafkaCluster", {
        ...this.releaseSettings("stateful"),
        name: kafka.releaseName,
        chart: this.localChart("kafka-cluster"),
        storageClass: this.storageClass,
        storage: kafka.storage,
        resources: kafka.resources,
        metrics: kafka.metrics,
        controllers: kafka.controllers,
        brokers: kafka.brokers,
        topic: IN_CLUSTER_TOPIC,
      });
    }
    if (kafka?.clouds.includes(this.cloud) && (kafka.engine === "bitnami" || kafka.migrating)) {
      // Deprecated (frozen images): the same construct id as before, so the state stays put.
      this.kafka = new Kafka(this, "Kafka", {
        ...this.releaseSettings("stateful"),
        name: kafka.releaseName,
        version: charts.kafka,
        images: bitnamiImages(kafka.images),
        storageClass: this.storageClass,
        storage: kafka.storage,
        resources: kafka.resources,
        metrics: kafka.metrics,
        controllers: kafka.controllers,
        brokers: kafka.brokers,
      });
    }
    this.monitoring = addMonitoringObjects(this, "buses", {
      services: busServices(this.env, this.cloud),
    });
  }
}

/** True when an environment runs any bus on `cloud`. */
export function hasBuses(
  buses: { rabbitmq?: { clouds: string[] }; kafka?: { clouds: string[] } },
  cloud: string,
): boolean {
  return [buses.rabbitmq, buses.kafka].some((b) => b?.clouds.includes(cloud));
}
