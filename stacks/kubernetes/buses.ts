import type { Construct } from "constructs";
import type { InClusterService } from "../../environments/schema/services";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects, monitoredServices } from "./monitoring";
import { deployServices, servicesOf } from "./services";

/** `<env>-<cloud>-buses`: the in-cluster message buses configured for this cluster. */
export class BusesStack extends HelmLayerStack {
  /** The buses installed here, by service. */
  readonly services: Readonly<Partial<Record<InClusterService, Construct | readonly Construct[]>>>;
  /** ServiceMonitors and rules of the buses whose metrics are on. */
  readonly monitoring?: MonitoringObjects;

  constructor(scope: Construct, name: string, props: HelmLayerStackProps) {
    super(scope, name, { ...props, generatesSecrets: true });
    this.services = deployServices(this, "buses");
    this.monitoring = addMonitoringObjects(this, "buses", {
      services: monitoredServices(this.env, this.cloud, "buses"),
    });
  }
}

/** True when an environment runs any bus on `cloud`. */
export function hasBuses(workloads: Parameters<typeof servicesOf>[0], cloud: string): boolean {
  return servicesOf(workloads, "buses", cloud).length > 0;
}
