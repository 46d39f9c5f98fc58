import type { Construct } from "constructs";
import type { InClusterService } from "../../environments/schema/services";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects, monitoredServices } from "./monitoring";
import { deployServices, servicesOf } from "./services";

/**
 * `<env>-<cloud>-databases`: the in-cluster databases configured for this cluster (each one's
 * descriptor in ./services), each with generated credentials in a Secret. Upgrading one changes
 * only this stack.
 */
export class DatabasesStack extends HelmLayerStack {
  /** The databases installed here, by service. */
  readonly services: Readonly<Partial<Record<InClusterService, Construct | readonly Construct[]>>>;
  /** ServiceMonitors/PodMonitors and rules of the databases whose exporters are on. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, { ...props, generatesSecrets: true });
    this.services = deployServices(this, "databases");
    this.monitoring = addMonitoringObjects(this, "databases", {
      services: monitoredServices(this.env, this.cloud, "databases"),
    });
  }
}

/** True when an environment runs any database on `cloud`. */
export function hasDatabases(workloads: Parameters<typeof servicesOf>[0], cloud: string): boolean {
  return servicesOf(workloads, "databases", cloud).length > 0;
}
