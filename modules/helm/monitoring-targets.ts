/**
 * The one place that knows where each kind of in-cluster service serves its metrics and what
 * Strata alerts on for it: the Kubernetes labels of its metrics Service (or pods), the port name
 * and path, and the alert rules with their metric names. Keyed by service kind and release, so
 * moving a service from a Bitnami chart to an operator changes its entry here and nothing else.
 *
 * Every metric name used below is recorded, with its source at the exporter's pinned version, in
 * facts/metrics.json (checked by __tests__/modules/helm/monitoring-targets.test.ts), and every
 * expression is parsed as PromQL by the same test.
 */
import type { AlertThresholds, Severity } from "./alerting";

/** The kinds of service Strata scrapes. */
export type MonitoredKind =
  | "postgresql"
  | "postgresql-ha"
  | "cloudnativepg"
  | "redis"
  | "valkey"
  | "clickhouse"
  | "altinity-clickhouse"
  | "rabbitmq"
  | "rabbitmq-cluster"
  | "kafka"
  | "strimzi"
  | "app";

/** Target label every scrape of a Strata service carries: the release it belongs to. */
export const SERVICE_LABEL = "strata_service";
/** Target label with the service's kind. */
export const KIND_LABEL = "strata_kind";

/** A ServiceMonitor or PodMonitor for one release. */
export interface ScrapeTarget {
  readonly monitor: "ServiceMonitor" | "PodMonitor";
  /** Object name (the release and kind; unique in the namespace). */
  readonly name: string;
  /** Labels of the metrics Service (ServiceMonitor) or of the pods (PodMonitor). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Name of the Service port / container port serving metrics. */
  readonly port: string;
  readonly path: string;
  /** Target labels added to every sample: {@link SERVICE_LABEL}, {@link KIND_LABEL}. */
  readonly targetLabels: Readonly<Record<string, string>>;
}

/** One alerting rule as a PrometheusRule holds it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration the condition must hold. */
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
}

/** A group of rules (one PrometheusRule group). */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** What a service of one kind is: where its metrics are, and its rules. */
interface KindSpec {
  readonly monitor: ScrapeTarget["monitor"];
  /** Labels that select the metrics Service / pods of `release`. */
  readonly matchLabels: (release: string) => Record<string, string>;
  readonly port: string;
  readonly path: string;
  /** Where the labels and port were read (chart template at the pinned version). */
  readonly source: string;
  /** Rules over this release's samples; `sel` is the label matcher body selecting them. */
  readonly rules: (sel: string, t: AlertThresholds, topology: Topology) => AlertRule[];
}

/** What a release's rules depend on besides thresholds. */
export interface Topology {
  /** Replicated with failover (PostgreSQL HA, Redis Sentinel, several RabbitMQ/Kafka nodes). */
  readonly replicated: boolean;
}

const BITNAMI = "https://github.com/bitnami/charts/blob";
const CLOUDPIRATES = "https://github.com/CloudPirates-io/helm-charts/blob";
const STRIMZI = "https://github.com/strimzi/strimzi-kafka-operator/blob";
const bitnamiLabels = (chart: string, component?: string) => (release: string) => ({
  "app.kubernetes.io/instance": release,
  "app.kubernetes.io/name": chart,
  ...(component ? { "app.kubernetes.io/component": component } : {}),
});

const RABBITMQ_OPERATOR =
  "https://github.com/rabbitmq/cluster-operator/blob/03e0b49c077a9c8d926fb4c8cbe2dd0bbdffd539";

/**
 * Kafka's rules, the same for both engines over their exporters' metric names (the Bitnami JMX
 * exporter's `_value` gauges, the Strimzi Metrics Reporter's): offline partitions, the active
 * controller count, and with replication under-replicated (and, where reported, under-min-ISR)
 * partitions.
 */
function kafkaRules(
  sel: string,
  topology: Topology,
  m: {
    readonly offlinePartitions: string;
    readonly activeControllers: string;
    /** Count a missing series as 0 active controllers (else the alert cannot see none). */
    readonly activeControllersAbsentIsZero?: boolean;
    readonly underReplicated: string;
    readonly underMinIsr?: string;
  },
): AlertRule[] {
  const sum = (metric: string) => `sum by (namespace, ${SERVICE_LABEL}) (${metric}{${sel}})`;
  const active = m.activeControllersAbsentIsZero
    ? `(${sum(m.activeControllers)} or ${sum("up")} * 0)`
    : sum(m.activeControllers);
  return [
    scrapeDown("KafkaDown", "Kafka", sel),
    {
      alert: "KafkaOfflinePartitions",
      expr: `${sum(m.offlinePartitions)} > 0`,
      for: "1m",
      severity: "critical",
      summary: "Kafka partitions have no leader",
      description: `{{ $value }} partitions of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} have no leader: they can be neither written nor read.`,
    },
    {
      alert: "KafkaActiveControllers",
      expr: `${active} != 1`,
      for: "5m",
      severity: "critical",
      summary: "Kafka has no active controller, or more than one",
      description: `{{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} reports {{ $value }} active KRaft controllers (exactly one is healthy).`,
    },
    ...(topology.replicated
      ? [
          {
            alert: "KafkaUnderReplicatedPartitions",
            expr: `${sum(m.underReplicated)} > 0`,
            for: "10m",
            severity: "warning",
            summary: "Kafka partitions are under-replicated",
            description: `{{ $value }} partitions of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} have fewer in-sync replicas than replicas.`,
          } satisfies AlertRule,
          ...(m.underMinIsr
            ? [
                {
                  alert: "KafkaUnderMinIsrPartitions",
                  expr: `${sum(m.underMinIsr)} > 0`,
                  for: "5m",
                  severity: "critical",
                  summary: "Kafka partitions are below min.insync.replicas",
                  description: `{{ $value }} partitions of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} have fewer in-sync replicas than min.insync.replicas: producers with acks=all are refused.`,
                } satisfies AlertRule,
              ]
            : []),
        ]
      : []),
  ];
}

/**
 * RabbitMQ's rules over the rabbitmq_prometheus plugin (aggregated /metrics), the same for the
 * Bitnami release and the operator's clusters (facts/metrics.json).
 */
function rabbitmqRules(sel: string, t: AlertThresholds): AlertRule[] {
  return [
    scrapeDown("RabbitmqDown", "RabbitMQ", sel),
    {
      alert: "RabbitmqQueueDepth",
      expr: `sum by (namespace, ${SERVICE_LABEL}) (rabbitmq_queue_messages_ready{${sel}}) > ${t.queueDepthMessages}`,
      for: "15m",
      severity: "warning",
      summary: "RabbitMQ messages are piling up",
      description: `{{ $value }} messages are ready and unconsumed in {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} (threshold ${t.queueDepthMessages}): consumers are slow or gone.`,
    },
    {
      alert: "RabbitmqDiskAlarm",
      expr: `max by (namespace, ${SERVICE_LABEL}) (rabbitmq_alarms_free_disk_space_watermark{${sel}}) > 0`,
      for: "1m",
      severity: "critical",
      summary: "RabbitMQ blocks publishers: disk alarm",
      description: `A node of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} is below its free disk limit; publishers are blocked.`,
    },
    {
      alert: "RabbitmqMemoryAlarm",
      expr: `max by (namespace, ${SERVICE_LABEL}) (rabbitmq_alarms_memory_used_watermark{${sel}}) > 0`,
      for: "1m",
      severity: "critical",
      summary: "RabbitMQ blocks publishers: memory alarm",
      description: `A node of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} reached its memory high watermark; publishers are blocked.`,
    },
  ];
}

/** `<Kind>Down`: the exporter's own view of the server, or the scrape itself. */
function down(alert: string, what: string, expr: string): AlertRule {
  return {
    alert,
    expr,
    for: "5m",
    severity: "critical",
    summary: `${what} is down`,
    description: `${what} {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} ({{ $labels.pod }}) has not answered for 5 minutes.`,
  };
}

/**
 * redis_exporter's rules, for Redis (bitnami/redis) and Valkey (the exporter reads both:
 * facts/metrics.json); `what` names the alerts.
 */
function redisExporterRules(what: "Redis" | "Valkey"): KindSpec["rules"] {
  return (sel, _t, topology) => [
    down(`${what}Down`, what, `redis_up{${sel}} == 0`),
    ...(topology.replicated
      ? [
          {
            alert: `${what}ReplicationBroken`,
            expr: `max by (namespace, ${SERVICE_LABEL}, pod) (redis_master_link_up{${sel}}) == 0`,
            for: "5m",
            severity: "warning",
            summary: `${what} replica lost its master`,
            description: `Replica {{ $labels.pod }} of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} has had no link to its master for 5 minutes.`,
          } satisfies AlertRule,
          {
            alert: `${what}MasterCount`,
            // With no master there is no series to count: the `or … * 0` arm gives 0 for a set
            // whose nodes still report (as replicas), so "none" fires as well as "two".
            expr: `(count by (namespace, ${SERVICE_LABEL}) (redis_instance_info{${sel}, role="master"}) or count by (namespace, ${SERVICE_LABEL}) (redis_instance_info{${sel}}) * 0) != 1`,
            for: "2m",
            severity: "critical",
            summary: `${what} has no master, or more than one`,
            description: `{{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} reports {{ $value }} masters: Sentinel failover is stuck or the set is split.`,
          } satisfies AlertRule,
        ]
      : []),
  ];
}

/** Every scrape target of the release is failing. */
function scrapeDown(alert: string, what: string, sel: string): AlertRule {
  return down(alert, `${what}'s metrics endpoint`, `up{${sel}} == 0`);
}

/**
 * The service kinds: the metrics Services of the pinned Bitnami charts (labels from
 * `common.labels.standard` plus the component the template adds; facts/charts.json has the
 * ports), of CloudPirates' valkey chart (`cloudpirates.labels` plus component metrics), and the
 * service chart's pods for apps.
 */
export const KINDS: Readonly<Record<MonitoredKind, KindSpec>> = {
  postgresql: {
    monitor: "ServiceMonitor",
    matchLabels: bitnamiLabels("postgresql", "metrics"),
    port: "http-metrics",
    path: "/metrics",
    source: `${BITNAMI}/36f859828f416317e845779739fc772ef1774543/bitnami/postgresql/templates/primary/metrics-svc.yaml#L10-L27`,
    rules: (sel) => [down("PostgresqlDown", "PostgreSQL", `pg_up{${sel}} == 0`)],
  },
  "postgresql-ha": {
    monitor: "ServiceMonitor",
    matchLabels: bitnamiLabels("postgresql-ha", "postgresql"),
    port: "metrics",
    path: "/metrics",
    source: `${BITNAMI}/42783e4501ab35c11af09e029923ecc3bc6585a3/bitnami/postgresql-ha/templates/postgresql/metrics-service.yaml#L10-L38`,
    rules: (sel, t) => [
      down("PostgresqlDown", "PostgreSQL", `pg_up{${sel}} == 0`),
      {
        alert: "PostgresqlReplicationLag",
        expr: `max by (namespace, ${SERVICE_LABEL}, pod) (pg_replication_lag_seconds{${sel}}) > ${t.replicationLagSeconds}`,
        for: "5m",
        severity: "warning",
        summary: "PostgreSQL standby is behind its primary",
        description: `Standby {{ $labels.pod }} of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} replays WAL {{ $value | humanizeDuration }} behind the primary (threshold ${t.replicationLagSeconds} s).`,
      },
      {
        alert: "PostgresqlFailover",
        expr: `max by (namespace, ${SERVICE_LABEL}) (changes(pg_replication_is_replica{${sel}}[15m])) > 0`,
        for: "0m",
        severity: "warning",
        summary: "PostgreSQL switched primaries",
        description: `A node of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} changed between primary and standby in the last 15 minutes (repmgr failover or switchover).`,
      },
      {
        alert: "PostgresqlNoPrimary",
        // Nodes answer, and none of them is out of recovery.
        expr: `count by (namespace, ${SERVICE_LABEL}) (pg_replication_is_replica{${sel}}) unless count by (namespace, ${SERVICE_LABEL}) (pg_replication_is_replica{${sel}} == 0)`,
        for: "2m",
        severity: "critical",
        summary: "PostgreSQL has no primary",
        description: `Every reachable node of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} is in recovery: no node accepts writes.`,
      },
    ],
  },
  cloudnativepg: {
    // Every instance pod serves its metrics on the container port "metrics" (9187) and carries
    // the label cnpg.io/cluster=<cluster>; the cluster is named after the release.
    monitor: "PodMonitor",
    matchLabels: (release) => ({ "cnpg.io/cluster": release }),
    port: "metrics",
    path: "/metrics",
    // The instance pods are built in Go, not a template: pkg/specs/pods.go#L266-L272.
    source:
      "https://github.com/cloudnative-pg/charts/blob/e5fd7c192b39d7d03d7183c73784cc27f1f0bc79/charts/cluster/templates/podmonitor-cluster.yaml#L18-L24",
    rules: (sel, t, topology) => [
      down("PostgresqlDown", "PostgreSQL", `cnpg_collector_up{${sel}} == 0`),
      {
        alert: "PostgresqlWalArchiveFailing",
        expr: `max by (namespace, ${SERVICE_LABEL}, pod) (increase(cnpg_pg_stat_archiver_failed_count{${sel}}[15m])) > 0`,
        for: "15m",
        severity: "critical",
        summary: "PostgreSQL fails to archive WAL",
        description: `The primary {{ $labels.pod }} of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} keeps failing to archive WAL to the backup store: point-in-time recovery is at risk and pg_wal grows.`,
      },
      ...(topology.replicated
        ? [
            {
              alert: "PostgresqlReplicationLag",
              expr: `max by (namespace, ${SERVICE_LABEL}, pod) (cnpg_pg_replication_lag{${sel}}) > ${t.replicationLagSeconds}`,
              for: "5m",
              severity: "warning" as const,
              summary: "PostgreSQL standby is behind its primary",
              description: `Standby {{ $labels.pod }} of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} replays WAL {{ $value | humanizeDuration }} behind the primary (threshold ${t.replicationLagSeconds} s).`,
            },
            {
              alert: "PostgresqlNoPrimary",
              expr: `count by (namespace, ${SERVICE_LABEL}) (cnpg_pg_replication_in_recovery{${sel}}) unless count by (namespace, ${SERVICE_LABEL}) (cnpg_pg_replication_in_recovery{${sel}} == 0)`,
              for: "2m",
              severity: "critical" as const,
              summary: "PostgreSQL has no primary",
              description: `Every reachable instance of {{ $labels.${SERVICE_LABEL} }} in {{ $labels.namespace }} is in recovery: no instance accepts writes.`,
            },
          ]
        : []),
    ],
  },
  redis: {
    monitor: "ServiceMonitor",
    matchLabels: bitnamiLabels("redis", "metrics"),
    port: "http-metrics",
    path: "/metrics",
    source: `${BITNAMI}/e3296a831406bacf5ce661c5274590d0b40efcdd/bitnami/redis/templates/metrics-svc.yaml#L10-L39`,
    rules: redisExporterRules("Redis"),
  },
  valkey: {
    monitor: "ServiceMonitor",
    // `<fullname>-metrics`: the chart's labels (name, instance) plus component metrics; port "metrics" (9121).
    matchLabels: (release) => ({
      "app.kubernetes.io/instance": release,
      "app.kubernetes.io/name": "valkey",
      "app.kubernetes.io/component": "metrics",
    }),
    port: "metrics",
    path: "/metrics",
    source: `${CLOUDPIRATES}/0604b358a814111f05b820f7c40243ce9ecbfc3d/charts/valkey/templates/service-metrics.yaml#L1-L27`,
    rules: redisExporterRules("Valkey"),
  },
  clickhouse: {
    // Per-replica Services each carry the metrics port: scrape the pods instead (one target each).
    monitor: "PodMonitor",
    matchLabels: bitnamiLabels("clickhouse", "clickhouse"),
    port: "http-metrics",
    path: "/metrics",
    source: `${BITNAMI}/a62409321649e666a82c25c1e1e9abd51b6b5d4b/bitnami/clickhouse/templates/service.yaml#L166-L190`,
    rules: (sel) => [scrapeDown("ClickhouseDown", "ClickHouse", sel)],
  },
  "rabbitmq-cluster": {
    monitor: "ServiceMonitor",
    // The client Service `<name>`: labels name/component/part-of (metadata.Label; the headless
    // `<name>-nodes` has them too but no metrics port), port "prometheus" 15692.
    matchLabels: (release) => ({
      "app.kubernetes.io/name": release,
      "app.kubernetes.io/component": "rabbitmq",
    }),
    port: "prometheus",
    path: "/metrics",
    source: `${RABBITMQ_OPERATOR}/internal/resource/service.go#L58-L65`,
    rules: rabbitmqRules,
  },
  "altinity-clickhouse": {
    // charts/clickhouse-cluster: the servers' pods carry these labels (podTemplates metadata) and
    // name ClickHouse's own Prometheus endpoint "metrics" (settings prometheus/*, port 9363). The
    // operator's metrics-exporter (port 8888 of the operator pod) serves in the operator's
    // namespace, shared by the environments on the cluster, so each environment scrapes its own.
    monitor: "PodMonitor",
    matchLabels: (release) => ({
      "app.kubernetes.io/name": "clickhouse",
      "app.kubernetes.io/instance": release,
      "app.kubernetes.io/component": "server",
    }),
    port: "metrics",
    path: "/metrics",
    source: "charts/clickhouse-cluster/templates/clickhouse.yaml (podTemplates clickhouse)",
    rules: (sel) => [scrapeDown("ClickhouseDown", "ClickHouse", sel)],
  },
  rabbitmq: {
    monitor: "ServiceMonitor",
    // The client Service carries the metrics port (service.portNames.metrics); the headless one does not.
    matchLabels: bitnamiLabels("rabbitmq"),
    port: "metrics",
    path: "/metrics",
    source: `${BITNAMI}/ec2bbe13ee501ef1312f8f3339f7ce3cbc5ebb13/bitnami/rabbitmq/templates/svc.yaml#L97-L100`,
    rules: rabbitmqRules,
  },
  kafka: {
    monitor: "ServiceMonitor",
    matchLabels: bitnamiLabels("kafka", "metrics"),
    port: "http-metrics",
    path: "/metrics",
    source: `${BITNAMI}/f73fdee132e88e0358b11fcaec6f3aa97bcd44f1/bitnami/kafka/templates/metrics/jmx-svc.yaml#L10-L30`,
    rules: (sel, _t, topology) =>
      kafkaRules(sel, topology, {
        offlinePartitions: "kafka_controller_kafkacontroller_offlinepartitionscount_value",
        activeControllers: "kafka_controller_kafkacontroller_activecontrollercount_value",
        underReplicated: "kafka_server_replicamanager_total_underreplicatedpartitions_value",
      }),
  },
  strimzi: {
    // Kafka nodes of a Strimzi cluster: pods labelled with the cluster and kind Kafka
    // (ResourceLabels.java L35-L53 at 1.2.0); the Strimzi Metrics Reporter serves container port
    // tcp-prometheus (9404, MetricsModel.java L14-L19). Entity operator pods have no such port.
    monitor: "PodMonitor",
    matchLabels: (release) => ({ "strimzi.io/cluster": release, "strimzi.io/kind": "Kafka" }),
    port: "tcp-prometheus",
    path: "/metrics",
    source: `${STRIMZI}/6c7b43c4af0db547c10463ba09d1dfa6f5e156a0/packaging/examples/metrics/prometheus-install/pod-monitors/kafka-resources-metrics.yaml#L8-L18`,
    rules: (sel, _t, topology) =>
      kafkaRules(sel, topology, {
        offlinePartitions: "kafka_controller_kafkacontroller_offlinepartitionscount",
        activeControllers: "kafka_controller_kafkacontroller_activecontrollercount",
        // No series at all (no active controller reporting) counts as 0.
        activeControllersAbsentIsZero: true,
        underReplicated: "kafka_server_replicamanager_underreplicatedpartitions",
        underMinIsr: "kafka_cluster_partition_underminisr",
      }),
  },
  app: {
    // charts/service: pods carry the release as app.kubernetes.io/instance; the container port is "http".
    monitor: "PodMonitor",
    matchLabels: (release) => ({ "app.kubernetes.io/instance": release }),
    port: "http",
    path: "/metrics",
    source:
      "charts/service/templates/_helpers.tpl (service.selectorLabels), deployment.yaml (port http)",
    rules: (sel) => [scrapeDown("AppMetricsDown", "Application", sel)],
  },
};

/** The label matcher body selecting one release's samples in its namespace. */
export function serviceSelector(namespace: string, release: string): string {
  return `namespace="${namespace}", ${SERVICE_LABEL}="${release}"`;
}

/** A monitored release: its kind, release name, and (apps) the metrics path. */
export interface MonitoredService {
  readonly kind: MonitoredKind;
  readonly release: string;
  readonly path?: string;
  readonly topology: Topology;
}

/** The ServiceMonitor/PodMonitor of a release. */
export function scrapeTarget(s: MonitoredService): ScrapeTarget {
  const spec = KINDS[s.kind];
  return {
    monitor: spec.monitor,
    name: `${s.release}-${s.kind === "app" ? "app" : s.kind}`,
    matchLabels: spec.matchLabels(s.release),
    port: spec.port,
    path: s.path ?? spec.path,
    targetLabels: { [SERVICE_LABEL]: s.release, [KIND_LABEL]: s.kind },
  };
}

/** The alert rules of a release, as one group. */
export function serviceRules(
  namespace: string,
  s: MonitoredService,
  thresholds: AlertThresholds,
): RuleGroup {
  return {
    name: `${namespace}.${s.release}`,
    rules: KINDS[s.kind].rules(serviceSelector(namespace, s.release), thresholds, s.topology),
  };
}

/**
 * Kubernetes alerts for one environment's namespace: pods that stay not ready, volumes filling up.
 * kube-state-metrics and the kubelet's volume stats, scraped by kube-prometheus-stack.
 */
export function namespaceRules(namespace: string, t: AlertThresholds): RuleGroup {
  const ns = `namespace="${namespace}"`;
  return {
    name: `${namespace}.kubernetes`,
    rules: [
      {
        alert: "PodNotReady",
        // Succeeded pods (finished Jobs, kept until their TTL) are never ready: only live phases count.
        expr: `max by (namespace, pod) (kube_pod_status_ready{${ns}, condition="true"}) == 0 and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{${ns}, phase=~"Pending|Running|Unknown"}) == 1)`,
        for: `${t.podNotReadyMinutes}m`,
        severity: "warning",
        summary: "A pod is not ready",
        description: `Pod {{ $labels.pod }} in {{ $labels.namespace }} has not been ready for ${t.podNotReadyMinutes} minutes.`,
      },
      {
        alert: "PersistentVolumeFillingUp",
        expr: `100 * max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}}) > ${t.pvcUsagePercent}`,
        for: "5m",
        severity: "warning",
        summary: "A volume is filling up",
        description: `PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} is {{ $value | humanize }}% full (threshold ${t.pvcUsagePercent}%).`,
      },
    ],
  };
}

/**
 * Cluster capacity alerts, from the cluster owner's thresholds: requests close to what the nodes
 * can allocate (the node pools need to grow, or have reached their autoscaling maximum), and pods
 * the scheduler cannot place.
 */
export function clusterRules(t: AlertThresholds): RuleGroup {
  return {
    name: "cluster.capacity",
    rules: [
      {
        alert: "NodePoolCapacity",
        expr: `100 * sum by (resource) (kube_pod_container_resource_requests{resource=~"cpu|memory"} and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"}) == 1)) / sum by (resource) (kube_node_status_allocatable{resource=~"cpu|memory"}) > ${t.nodeRequestsPercent}`,
        for: "15m",
        severity: "warning",
        summary: "The nodes are almost fully requested",
        description: `Pods request {{ $value | humanize }}% of the nodes' allocatable {{ $labels.resource }} (threshold ${t.nodeRequestsPercent}%); raise the node pools' size or maximum.`,
      },
      {
        alert: "PodsUnschedulable",
        expr: `sum by (namespace) (kube_pod_status_unschedulable) > 0`,
        for: "15m",
        severity: "warning",
        summary: "Pods cannot be scheduled",
        description: `{{ $value }} pods in {{ $labels.namespace }} have been unschedulable for 15 minutes: no node pool has room (or all are at their maximum size).`,
      },
    ],
  };
}
