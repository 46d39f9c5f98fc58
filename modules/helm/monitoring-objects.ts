import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { AlertThresholds } from "./alerting";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import type { KubernetesLabels } from "./kubernetes-values";
import {
  scrapeTarget,
  serviceRules,
  type MonitoredService,
  type RuleGroup,
  type ScrapeTarget,
} from "./monitoring-targets";

/** Props of {@link MonitoringObjects}. */
export interface MonitoringObjectsProps {
  /** Release name (unique in the namespace). */
  readonly name: string;
  readonly namespace: string;
  /** charts/monitoring, shipped into the stack as an asset. */
  readonly chart: ChartSource;
  /** The services to scrape, each with its alert rules. @default [] */
  readonly services?: readonly MonitoredService[];
  /** Rules beyond the services' own (Kubernetes, capacity). @default [] */
  readonly ruleGroups?: readonly RuleGroup[];
  readonly thresholds: AlertThresholds;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** The metrics stack (its CRDs) when it is in the same stack. @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** A monitor as the chart takes it (the kind is the list it is in). */
export type ChartTarget = Omit<ScrapeTarget, "monitor">;

/** The values of charts/monitoring (its values.schema.json is the authority). */
export interface MonitoringChartValues {
  readonly labels: Record<string, string>;
  readonly serviceMonitors: ChartTarget[];
  readonly podMonitors: ChartTarget[];
  readonly ruleGroups: RuleGroup[];
}

/**
 * A release of charts/monitoring: the ServiceMonitors/PodMonitors and PrometheusRule of one
 * environment's layer. A Helm release (not `kubernetes_manifest`) because the provider needs a
 * custom resource's CRD at plan time, and the CRDs come from kube-prometheus-stack in the same
 * first apply; Helm resolves the kinds only when it installs, after the stack's release.
 */
export class MonitoringObjects extends Construct {
  readonly release: HelmChartRelease;
  readonly values: MonitoringChartValues;

  constructor(scope: Construct, id: string, props: MonitoringObjectsProps) {
    super(scope, id);
    const services = props.services ?? [];
    const targets = services.map(scrapeTarget);
    const names = new Set<string>();
    for (const t of targets) {
      if (names.has(t.name)) {
        throw new Error(
          `${this.node.path}: two monitors are named ${t.name}; release names must differ`,
        );
      }
      names.add(t.name);
    }
    const ruleGroups = [
      ...(props.ruleGroups ?? []),
      ...services.map((s) => serviceRules(props.namespace, s, props.thresholds)),
    ].filter((g) => g.rules.length > 0);
    const of = (monitor: ScrapeTarget["monitor"]): ChartTarget[] =>
      targets.filter((t) => t.monitor === monitor).map(({ monitor: _kind, ...rest }) => rest);
    this.values = {
      labels: { ...props.labels },
      serviceMonitors: of("ServiceMonitor"),
      podMonitors: of("PodMonitor"),
      ruleGroups,
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name,
      namespace: props.namespace,
      chart: props.chart,
      values: this.values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}
