/**
 * The in-cluster data services an environment can run (workloads.databases and workloads.buses):
 * where each is configured and the Helm release name it gets by default. The checks and the
 * resolution walk this table, so a new service is one entry here, its config block and its module.
 */
import type { ConfigCloud, Resources, WorkloadSize } from "./kube";

/** Resources: requests, and a memory limit twice the request (CPU is not limited). */
export const r = (cpu: string, memory: string, memoryLimit: string): Resources => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/** Resources and volume per replica of one component, at one workload size. */
export interface ComponentSizing {
  readonly resources: Resources;
  /** Volume per replica; absent for stateless components. */
  readonly storage?: string;
}

/**
 * Each service: its config section, its default release name, the charts its engines install
 * (key → pinned version, each one a version whose values.yaml was read: see
 * __tests__/fixtures/chart-values/), which of them are Bitnami's (their images are under
 * docker.io/bitnami until August 2025, frozen since), and its components' resources and volumes
 * per workload size (requests follow the charts' own presets: small ≈ micro/small, medium ≈
 * small/medium, large ≈ large).
 */
export const IN_CLUSTER_SERVICES = {
  postgresql: {
    section: "databases",
    title: "PostgreSQL",
    defaultRelease: "db",
    /** postgresql 16.7.27 (keys from 17.1.0 minus later additions), postgresql-ha 16.3.2 (16.3.4): the nearest values.yaml reachable. */
    /** cloudnativePg 0.29.0 and barmanCloudPlugin 0.7.0: the newest cloudnative-pg and plugin-barman-cloud chart tags in the cloudnative-pg/charts snapshot (2026-06-29: operator 1.30.0; 2026-06-10: plugin v0.13.0); facts/charts.json. */
    charts: {
      postgresql: "16.7.27",
      postgresqlHa: "16.3.2",
      cloudnativePg: "0.29.0",
      barmanCloudPlugin: "0.7.0",
    },
    bitnamiCharts: ["postgresql", "postgresqlHa"],
    sizes: {
      postgresql: {
        small: { resources: r("100m", "256Mi", "512Mi"), storage: "8Gi" },
        medium: { resources: r("250m", "512Mi", "1Gi"), storage: "20Gi" },
        large: { resources: r("1", "2Gi", "4Gi"), storage: "100Gi" },
      },
      pgpool: {
        small: { resources: r("50m", "128Mi", "256Mi") },
        medium: { resources: r("100m", "256Mi", "512Mi") },
        large: { resources: r("250m", "512Mi", "1Gi") },
      },
    },
  },
  redis: {
    section: "databases",
    title: "Redis",
    defaultRelease: "cache",
    /** redis 23.1.1: no 24.x values.yaml was found. valkey 0.25.5: CloudPirates' chart, the newest tag in the CloudPirates-io/helm-charts snapshot (2026-08-14), values.yaml at the tag. */
    charts: { redis: "23.1.1", valkey: "0.25.5" },
    bitnamiCharts: ["redis"],
    sizes: {
      redis: {
        small: { resources: r("50m", "64Mi", "128Mi"), storage: "2Gi" },
        medium: { resources: r("100m", "128Mi", "256Mi"), storage: "4Gi" },
        large: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
      },
    },
  },
  clickhouse: {
    section: "databases",
    title: "ClickHouse",
    defaultRelease: "analytics",
    /** clickhouse 9.4.7: the official values.yaml at the release tag (9.4.5 and 9.4.6 were never released: facts/charts.json). */
    /** clickhouseOperator 0.25.6: Altinity's altinity-clickhouse-operator, the newest tag in the Altinity/clickhouse-operator snapshot (release-0.25.6, 2025-12-11), values.yaml at the tag. */
    charts: { clickhouse: "9.4.7", clickhouseOperator: "0.25.6" },
    bitnamiCharts: ["clickhouse"],
    sizes: {
      clickhouse: {
        small: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
        medium: { resources: r("500m", "1Gi", "2Gi"), storage: "20Gi" },
        large: { resources: r("2", "4Gi", "8Gi"), storage: "100Gi" },
      },
      clickhouseKeeper: {
        small: { resources: r("50m", "128Mi", "256Mi"), storage: "2Gi" },
        medium: { resources: r("100m", "256Mi", "512Mi"), storage: "4Gi" },
        large: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
      },
    },
  },
  meilisearch: {
    section: "databases",
    title: "Meilisearch",
    defaultRelease: "search",
    /** meilisearch 0.34.0: the newest meilisearch-* tag in the meilisearch-kubernetes snapshot (2026-07-02, appVersion v1.48.3, above the CVE-2026-57823/57824 floor v1.48.2), values.yaml at the tag. */
    charts: { meilisearch: "0.34.0" },
    bitnamiCharts: [],
    sizes: {
      meilisearch: {
        small: { resources: r("100m", "256Mi", "512Mi"), storage: "5Gi" },
        medium: { resources: r("250m", "512Mi", "1Gi"), storage: "10Gi" },
        large: { resources: r("1", "2Gi", "4Gi"), storage: "50Gi" },
      },
    },
  },
  rabbitmq: {
    section: "buses",
    title: "RabbitMQ",
    defaultRelease: "mq",
    /** rabbitmq 16.0.14 (keys from 16.0.16). */
    /** rabbitmqOperator 0.6.5: CloudPirates' chart of the RabbitMQ Cluster Operator (the RabbitMQ team publishes none), the newest tag in the snapshot (2026-08-20), values.yaml at the tag. */
    charts: { rabbitmq: "16.0.14", rabbitmqOperator: "0.6.5" },
    bitnamiCharts: ["rabbitmq"],
    sizes: {
      rabbitmq: {
        small: { resources: r("100m", "256Mi", "512Mi"), storage: "8Gi" },
        medium: { resources: r("250m", "512Mi", "1Gi"), storage: "10Gi" },
        large: { resources: r("500m", "1Gi", "2Gi"), storage: "20Gi" },
      },
      // The operator caches Secrets, ConfigMaps, Services and StatefulSets of every namespace it
      // watches (Helm's release Secrets too); upstream asks 500Mi (config/manager/manager.yaml
      // #L62-L68 at v2.22.3).
      rabbitmqOperator: {
        small: { resources: r("50m", "256Mi", "512Mi") },
        medium: { resources: r("100m", "384Mi", "768Mi") },
        large: { resources: r("200m", "512Mi", "1Gi") },
      },
    },
  },
  kafka: {
    section: "buses",
    title: "Kafka",
    defaultRelease: "events",
    /** kafka 32.4.3: the official values.yaml at the release tag (32.4.4 was never released: facts/charts.json). */
    /** strimzi 1.2.0: chart strimzi-kafka-operator, the newest release tag of strimzi/strimzi-kafka-operator (2026-08-18), values.yaml at the tag. */
    charts: { kafka: "32.4.3", strimzi: "1.2.0" },
    bitnamiCharts: ["kafka"],
    sizes: {
      kafka: {
        small: { resources: r("250m", "512Mi", "1Gi"), storage: "8Gi" },
        medium: { resources: r("500m", "1Gi", "2Gi"), storage: "20Gi" },
        large: { resources: r("1", "2Gi", "4Gi"), storage: "100Gi" },
      },
    },
  },
} as const satisfies Readonly<
  Record<
    string,
    {
      section: "databases" | "buses";
      title: string;
      defaultRelease: string;
      charts: Readonly<Record<string, string>>;
      bitnamiCharts: readonly string[];
      sizes: Readonly<Record<string, Readonly<Record<WorkloadSize, ComponentSizing>>>>;
    }
  >
>;
export type InClusterService = keyof typeof IN_CLUSTER_SERVICES;

/** The services, in the order above (databases, then buses). */
export const IN_CLUSTER_SERVICE_KEYS = Object.keys(IN_CLUSTER_SERVICES) as InClusterService[];

/** Default release names: Bitnami names resources `<release>-<chart>` (`db-postgresql`). */
export const DEFAULT_RELEASE_NAMES = Object.fromEntries(
  IN_CLUSTER_SERVICE_KEYS.map((s) => [s, IN_CLUSTER_SERVICES[s].defaultRelease]),
) as { readonly [S in InClusterService]: (typeof IN_CLUSTER_SERVICES)[S]["defaultRelease"] };

type Services = typeof IN_CLUSTER_SERVICES;

/** The chart keys of the services' engines (`postgresql`, `valkey`, …). */
export type ServiceChartKey = {
  [S in InClusterService]: keyof Services[S]["charts"];
}[InClusterService];

/** The sized components of the services (`postgresql`, `pgpool`, …). */
export type ServiceComponent = {
  [S in InClusterService]: keyof Services[S]["sizes"];
}[InClusterService];

/** Every service chart's pinned version. */
export const SERVICE_CHART_VERSIONS = Object.assign(
  {},
  ...IN_CLUSTER_SERVICE_KEYS.map((s) => IN_CLUSTER_SERVICES[s].charts),
) as Readonly<Record<ServiceChartKey, string>>;

/** The services' Bitnami charts. */
export const SERVICE_BITNAMI_CHARTS: readonly ServiceChartKey[] = IN_CLUSTER_SERVICE_KEYS.flatMap(
  (s) => IN_CLUSTER_SERVICES[s].bitnamiCharts,
);

/** The services' components' sizing, per component. */
export const SERVICE_SIZES = Object.assign(
  {},
  ...IN_CLUSTER_SERVICE_KEYS.map((s) => IN_CLUSTER_SERVICES[s].sizes),
) as Readonly<Record<ServiceComponent, Readonly<Record<WorkloadSize, ComponentSizing>>>>;

/** Where a service is configured: `databases.postgresql`. */
export function serviceConfigPath(service: InClusterService): string {
  return `${IN_CLUSTER_SERVICES[service].section}.${service}`;
}

/** What every service's config block has: where it runs and its release name. */
interface ServiceFields {
  readonly releaseName?: string;
  readonly clouds?: readonly ConfigCloud[];
}

/** A service's config block in an (unresolved) workloads section, or undefined. */
export function serviceConfig(
  w:
    | {
        databases?: Partial<Record<string, ServiceFields | undefined>>;
        buses?: Partial<Record<string, ServiceFields | undefined>>;
      }
    | undefined,
  service: InClusterService,
): ServiceFields | undefined {
  return w?.[IN_CLUSTER_SERVICES[service].section]?.[service];
}
