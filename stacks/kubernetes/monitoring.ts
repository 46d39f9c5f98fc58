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

export type MonitoredLayer = keyof typeof MONITORING_RELEASES;

const on = (c: { clouds: string[]; metrics: boolean } | undefined, cloud: ConfigCloud) =>
  !!c && c.metrics && c.clouds.includes(cloud);

/** The databases of `env` on `cloud` whose exporters are on. */
export function databaseServices(env: Environment, cloud: ConfigCloud): MonitoredService[] {
  const { postgresql: pg, redis, clickhouse: ch } = env.workloads.databases;
  return [
    ...(on(pg, cloud)
      ? [
          {
            kind:
              pg!.engine !== "bitnami"
                ? ("cloudnativepg" as const)
                : pg!.ha
                  ? ("postgresql-ha" as const)
                  : ("postgresql" as const),
            release: pg!.releaseName,
            topology: { replicated: pg!.ha },
          },
        ]
      : []),
    ...(on(redis, cloud)
      ? [
          {
            kind: redis!.engine === "bitnami" ? ("redis" as const) : ("valkey" as const),
            release: redis!.releaseName,
            topology: { replicated: redis!.sentinel },
          },
        ]
      : []),
    ...(on(ch, cloud)
      ? [
          {
            kind: "clickhouse" as const,
            release: ch!.releaseName,
            topology: { replicated: ch!.replicas > 1 },
          },
        ]
      : []),
  ];
}

/** The buses of `env` on `cloud` whose metrics are on. */
export function busServices(env: Environment, cloud: ConfigCloud): MonitoredService[] {
  const { rabbitmq: mq, kafka } = env.workloads.buses;
  return [
    ...(on(mq, cloud)
      ? [
          {
            kind: "rabbitmq" as const,
            release: mq!.releaseName,
            topology: { replicated: mq!.replicas > 1 },
          },
        ]
      : []),
    ...(on(kafka, cloud)
      ? [
          {
            kind: "kafka" as const,
            release: kafka!.releaseName,
            // Brokers, or controllers acting as brokers when there are no dedicated ones.
            topology: { replicated: (kafka!.brokers || kafka!.controllers) > 1 },
          },
        ]
      : []),
  ];
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
