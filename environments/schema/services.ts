/**
 * The in-cluster data services an environment can run (workloads.databases and workloads.buses):
 * where each is configured and the Helm release name it gets by default. The checks and the
 * resolution walk this table, so a new service is one entry here, its config block and its module.
 */
import type { ConfigCloud } from "./kube";

export const IN_CLUSTER_SERVICES = {
  postgresql: { section: "databases", title: "PostgreSQL", defaultRelease: "db" },
  redis: { section: "databases", title: "Redis", defaultRelease: "cache" },
  clickhouse: { section: "databases", title: "ClickHouse", defaultRelease: "analytics" },
  meilisearch: { section: "databases", title: "Meilisearch", defaultRelease: "search" },
  rabbitmq: { section: "buses", title: "RabbitMQ", defaultRelease: "mq" },
  kafka: { section: "buses", title: "Kafka", defaultRelease: "events" },
} as const;
export type InClusterService = keyof typeof IN_CLUSTER_SERVICES;

/** The services, in the order above (databases, then buses). */
export const IN_CLUSTER_SERVICE_KEYS = Object.keys(IN_CLUSTER_SERVICES) as InClusterService[];

/** Default release names: Bitnami names resources `<release>-<chart>` (`db-postgresql`). */
export const DEFAULT_RELEASE_NAMES = Object.fromEntries(
  IN_CLUSTER_SERVICE_KEYS.map((s) => [s, IN_CLUSTER_SERVICES[s].defaultRelease]),
) as { readonly [S in InClusterService]: (typeof IN_CLUSTER_SERVICES)[S]["defaultRelease"] };

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
