import type { Construct } from "constructs";
import { Kafka } from "../../modules/helm/kafka";
import { Rabbitmq } from "../../modules/helm/rabbitmq";
import { RabbitmqCluster } from "../../modules/helm/rabbitmq-cluster";
import { bitnamiImages } from "./databases";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects, busServices } from "./monitoring";

/** `<env>-<cloud>-buses`: the in-cluster message buses configured for this cluster. */
export class BusesStack extends HelmLayerStack {
  /** The deprecated bitnami/rabbitmq release (engine "bitnami"). */
  readonly rabbitmq?: Rabbitmq;
  /** The RabbitmqCluster of the operator engine (the operator is the platform layer's). */
  readonly rabbitmqCluster?: RabbitmqCluster;
  readonly kafka?: Kafka;
  /** ServiceMonitors and rules of the buses whose metrics are on. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, { ...props, generatesSecrets: true });
    const { buses, charts } = this.env.workloads;
    const mq = buses.rabbitmq;
    if (mq?.clouds.includes(this.cloud) && mq.engine === "operator") {
      this.rabbitmqCluster = new RabbitmqCluster(this, "RabbitmqCluster", {
        ...this.releaseSettings("stateful"),
        name: mq.releaseName,
        chart: this.localChart("rabbitmq-cluster"),
        storageClass: this.storageClass,
        storage: mq.storage,
        resources: mq.resources,
        replicas: mq.replicas,
        plugins: mq.plugins,
      });
    }
    if (mq?.clouds.includes(this.cloud) && (mq.engine === "bitnami" || mq.keepBitnami)) {
      // Deprecated (or kept beside the new cluster while messages move over); at its original
      // construct id, so its state stays where it is.
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
    if (kafka?.clouds.includes(this.cloud)) {
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
