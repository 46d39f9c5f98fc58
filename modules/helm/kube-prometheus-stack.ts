import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import {
  NULL_RECEIVER,
  RECEIVER_TYPES,
  SEVERITIES,
  type Receiver,
  type Severity,
} from "./alerting";
import { HelmChartRelease } from "./chart-release";
import {
  checkMinimum,
  checkQuantity,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link KubePrometheusStack}. */
export interface KubePrometheusStackProps {
  readonly namespace: string;
  /** @default "kube-prometheus-stack" */
  readonly name?: string;
  /** prometheus-community/kube-prometheus-stack chart version. @default "88.5.3" */
  readonly version?: string;
  /** Storage class of the Prometheus and Alertmanager volumes. */
  readonly storageClass: string;
  /**
   * The cluster's DNS: GKE runs kube-dns (no CoreDNS metrics port 9153: the chart's CoreDNS monitor
   * would be down for ever), EKS and DOKS CoreDNS. @default "coredns"
   */
  readonly clusterDns?: "coredns" | "kube-dns";
  readonly prometheus: {
    readonly replicas: number;
    /** Prometheus retention (`15d`). */
    readonly retention: string;
    /** Volume per replica. */
    readonly storage: string;
    readonly resources: ResourceRequirements;
  };
  readonly alertmanager: {
    readonly replicas: number;
    readonly storage: string;
    readonly resources: ResourceRequirements;
  };
  /** Alertmanager receivers by name; each reads its credential from a Secret. @default {} */
  readonly receivers?: Readonly<Record<string, Receiver>>;
  /** Receiver names per severity. @default - every receiver gets every severity */
  readonly routes?: Readonly<Record<Severity, readonly string[]>>;
  /** Registry replacing every image registry (global.imageRegistry). @default - the chart's */
  readonly imageRegistry?: string;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Resources the release needs first (its namespace, the storage class). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export const KUBE_PROMETHEUS_STACK_REPOSITORY =
  "https://prometheus-community.github.io/helm-charts";
export const DEFAULT_KUBE_PROMETHEUS_STACK_VERSION = "88.5.3";

/**
 * The port the Prometheus Operator serves its admission webhooks on in its pod
 * (`prometheusOperator.tls.internalPort`, default 10250: facts/charts.json). Set explicitly: GKE's
 * own firewall already admits the control plane to 10250 on private clusters.
 */
export const PROMETHEUS_OPERATOR_WEBHOOK_PORT = 10250;

/** Where the receivers' Secrets are mounted in the Alertmanager pods (one folder per Secret). */
export const RECEIVER_SECRETS_DIR = "/etc/alertmanager/receivers";

/**
 * Default rules of the chart that Strata replaces with its own (thresholds per tier:
 * modules/helm/monitoring-targets.ts), so one condition does not page twice. Each is gated on
 * `defaultRules.disabled.<alert>` in the chart's rule templates (facts/charts.json notes).
 */
export const REPLACED_DEFAULT_RULES = [
  "KubePodNotReady",
  "KubePersistentVolumeFillingUp",
  "KubeCPUOvercommit",
  "KubeMemoryOvercommit",
] as const;

/** The Alertmanager configuration: a `null` receiver for the Watchdog, the configured receivers. */
export function alertmanagerConfig(
  receivers: Readonly<Record<string, Receiver>>,
  routes: Readonly<Record<Severity, readonly string[]>>,
) {
  const receiver = ([name, r]: [string, Receiver]) => ({
    name,
    [`${r.type}_configs`]: [
      {
        send_resolved: true,
        [RECEIVER_TYPES[r.type]]: `${RECEIVER_SECRETS_DIR}/${r.secret.name}/${r.secret.key}`,
        ...(r.channel !== undefined ? { channel: r.channel } : {}),
      },
    ],
  });
  return {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ["namespace", "alertname"],
      routes: [
        // The always-firing Watchdog proves the pipeline works; it pages nobody.
        { receiver: NULL_RECEIVER, matchers: ['alertname = "Watchdog"'] },
        ...SEVERITIES.flatMap((severity) =>
          routes[severity].map((name) => ({
            receiver: name,
            matchers: [`severity = "${severity}"`],
            continue: true,
          })),
        ),
      ],
    },
    receivers: [{ name: NULL_RECEIVER }, ...Object.entries(receivers).map(receiver)],
  };
}

/**
 * kube-prometheus-stack: the Prometheus Operator with its CRDs, Prometheus, Alertmanager and
 * kube-state-metrics, on a cluster the environment owns. Prometheus selects every ServiceMonitor,
 * PodMonitor and PrometheusRule in every namespace (Strata's come from charts/monitoring).
 * Left out: Grafana, node-exporter (host network, host PID and hostPath volumes need a privileged
 * namespace) and the control-plane components a managed cluster does not expose.
 */
export class KubePrometheusStack extends Construct {
  readonly release: HelmChartRelease;

  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    const path = this.node.path;
    const { prometheus: p, alertmanager: a } = props;
    checkMinimum(path, "prometheus.replicas", p.replicas, 1, "Prometheus needs a server");
    checkMinimum(path, "alertmanager.replicas", a.replicas, 1, "alerts need an Alertmanager");
    checkQuantity(path, "prometheus.storage", p.storage);
    checkQuantity(path, "alertmanager.storage", a.storage);
    checkResources(path, "prometheus.resources", p.resources);
    checkResources(path, "alertmanager.resources", a.resources);
    const receivers = props.receivers ?? {};
    const names = Object.keys(receivers);
    const routes = props.routes ?? { critical: names, warning: names };
    for (const severity of SEVERITIES) {
      for (const r of routes[severity]) {
        if (!names.includes(r)) {
          throw new Error(
            `${path}: route ${severity} names receiver "${r}", which is not configured (known: ${names.join(", ") || "none"})`,
          );
        }
      }
    }
    const volume = (storage: string) => ({
      volumeClaimTemplate: {
        spec: {
          storageClassName: props.storageClass,
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage } },
        },
      },
    });
    const secrets = [...new Set(Object.values(receivers).map((r) => r.secret.name))].sort();
    const values: KubePrometheusStackValues = {
      crds: { enabled: true },
      commonLabels: { ...props.labels },
      ...(props.imageRegistry ? { global: { imageRegistry: props.imageRegistry } } : {}),
      defaultRules: {
        create: true,
        rules: { nodeExporterAlerting: false, nodeExporterRecording: false },
        disabled: Object.fromEntries(REPLACED_DEFAULT_RULES.map((r) => [r, true])),
      },
      grafana: { enabled: false },
      nodeExporter: { enabled: false },
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      kubeProxy: { enabled: false },
      coreDns: { enabled: (props.clusterDns ?? "coredns") === "coredns" },
      kubeDns: { enabled: props.clusterDns === "kube-dns" },
      prometheusOperator: {
        tls: { internalPort: PROMETHEUS_OPERATOR_WEBHOOK_PORT },
        admissionWebhooks: { enabled: true },
      },
      prometheus: {
        podDisruptionBudget: { enabled: p.replicas > 1 },
        prometheusSpec: {
          replicas: p.replicas,
          retention: p.retention,
          resources: p.resources,
          storageSpec: volume(p.storage),
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
        },
      },
      alertmanager: {
        podDisruptionBudget: { enabled: a.replicas > 1 },
        config: alertmanagerConfig(receivers, routes),
        alertmanagerSpec: {
          replicas: a.replicas,
          resources: a.resources,
          storage: volume(a.storage),
          // Optional: Alertmanager starts before the Secrets exist and reads each file when it
          // sends (notify/*: os.ReadFile at send time), so a Secret created later takes effect.
          volumes: secrets.map((s) => ({
            name: `receiver-${s}`,
            secret: { secretName: s, optional: true },
          })),
          volumeMounts: secrets.map((s) => ({
            name: `receiver-${s}`,
            mountPath: `${RECEIVER_SECRETS_DIR}/${s}`,
            readOnly: true,
          })),
        },
      },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name ?? "kube-prometheus-stack",
      namespace: props.namespace,
      chart: {
        repository: KUBE_PROMETHEUS_STACK_REPOSITORY,
        chart: "kube-prometheus-stack",
        version: props.version ?? DEFAULT_KUBE_PROMETHEUS_STACK_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}

interface Volume {
  readonly volumeClaimTemplate: {
    readonly spec: {
      readonly storageClassName: string;
      readonly accessModes: readonly string[];
      readonly resources: { readonly requests: { readonly storage: string } };
    };
  };
}

/** The prometheus-community/kube-prometheus-stack values Strata sets. */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: boolean };
  readonly commonLabels: Record<string, string>;
  readonly global?: { readonly imageRegistry: string };
  readonly defaultRules: {
    readonly create: boolean;
    readonly rules: Record<string, boolean>;
    readonly disabled: Record<string, boolean>;
  };
  readonly grafana: { readonly enabled: boolean };
  readonly nodeExporter: { readonly enabled: boolean };
  readonly kubeControllerManager: { readonly enabled: boolean };
  readonly kubeScheduler: { readonly enabled: boolean };
  readonly kubeEtcd: { readonly enabled: boolean };
  readonly coreDns: { readonly enabled: boolean };
  readonly kubeDns: { readonly enabled: boolean };
  readonly kubeProxy: { readonly enabled: boolean };
  readonly prometheusOperator: {
    readonly tls: { readonly internalPort: number };
    readonly admissionWebhooks: { readonly enabled: boolean };
  };
  readonly prometheus: {
    readonly podDisruptionBudget: { readonly enabled: boolean };
    readonly prometheusSpec: {
      readonly replicas: number;
      readonly retention: string;
      readonly resources: ResourceRequirements;
      readonly storageSpec: Volume;
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly ruleSelectorNilUsesHelmValues: boolean;
    };
  };
  readonly alertmanager: {
    readonly podDisruptionBudget: { readonly enabled: boolean };
    readonly config: ReturnType<typeof alertmanagerConfig>;
    readonly alertmanagerSpec: {
      readonly replicas: number;
      readonly resources: ResourceRequirements;
      readonly storage: Volume;
      readonly volumes: ReadonlyArray<Record<string, unknown>>;
      readonly volumeMounts: ReadonlyArray<Record<string, unknown>>;
    };
  };
}
