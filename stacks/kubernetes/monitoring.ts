/**
 * Which services of an environment are scraped on a cluster, and the releases of charts/monitoring
 * that carry their ServiceMonitors/PodMonitors and alert rules, one per layer, so a layer's
 * monitors change with the layer that installs the services.
 */
import type { ITerraformDependable } from "cdktf";
import type { Environment } from "../../environments/schema";
import { MONITORING_RELEASES } from "../../environments/schema/monitoring";
import type { ConfigCloud } from "../../environments/schema/workloads";
import { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import type { MonitoredService, RuleGroup } from "../../modules/helm/monitoring-targets";
import type { HelmLayerStack } from "./layer";
import { DATA_SERVICES, servicesOf, settingsOn, type DataService } from "./services";

export type MonitoredLayer = keyof typeof MONITORING_RELEASES;

/**
 * The services of one layer of `env` on `cloud` whose exporters are on, each as its descriptor
 * monitors it.
 */
export function monitoredServices(
  env: Environment,
  cloud: ConfigCloud,
  section: "databases" | "buses",
): MonitoredService[] {
  const w = env.workloads;
  return servicesOf(w, section, cloud).flatMap((k) => {
    const service = DATA_SERVICES[k] as DataService<typeof k, unknown>;
    const settings = settingsOn(w, k, cloud)!;
    const metrics = (settings as { metrics?: boolean }).metrics;
    return service.monitored && metrics ? [service.monitored(settings)] : [];
  });
}

/** The apps of `env` among `placed` that serve metrics. */
export function appServices(env: Environment, placed: readonly string[]): MonitoredService[] {
  return placed.flatMap((name) => {
    const metrics = env.workloads.apps[name]?.metrics;
    return metrics
      ? [
          {
            kind: "app" as const,
            release: name,
            path: metrics.path,
            topology: { replicated: false },
          },
        ]
      : [];
  });
}

/**
 * The layer's release of charts/monitoring, when monitoring is on and there is something in it.
 * `dependsOn`: the metrics stack, when it is installed by the same stack (the owner's platform).
 */
export function addMonitoringObjects(
  stack: HelmLayerStack,
  layer: MonitoredLayer,
  contents: { services?: readonly MonitoredService[]; ruleGroups?: readonly RuleGroup[] },
  dependsOn?: ITerraformDependable[],
): MonitoringObjects | undefined {
  const monitoring = stack.env.workloads.platform.monitoring;
  const services = contents.services ?? [];
  const ruleGroups = contents.ruleGroups ?? [];
  if (!stack.monitoringOn || services.length + ruleGroups.length === 0) return undefined;
  return new MonitoringObjects(stack, "Monitoring", {
    ...stack.releaseSettings(layer === "apps" ? "apps" : "platform"),
    name: MONITORING_RELEASES[layer],
    chart: stack.localChart("monitoring"),
    services,
    ruleGroups,
    thresholds: monitoring.thresholds,
    dependsOn,
  });
}
