/**
 * The in-cluster data services, each described once (./service.ts). Adding a service: its config
 * block and defaults (environments/schema/workloads.ts, schema/services.ts), its module
 * (modules/helm/), its descriptor here, and their tests.
 */
import type { Construct } from "constructs";
import {
  IN_CLUSTER_SERVICE_KEYS,
  IN_CLUSTER_SERVICES,
  type InClusterService,
} from "../../../environments/schema/services";
import type { HelmLayerStack } from "../layer";
import { clickhouseService } from "./clickhouse";
import { kafkaService } from "./kafka";
import { meilisearchService } from "./meilisearch";
import { postgresqlService } from "./postgresql";
import { rabbitmqService } from "./rabbitmq";
import { redisService } from "./redis";
import { settingsOn, type DataService } from "./service";

export const DATA_SERVICES = {
  postgresql: postgresqlService,
  redis: redisService,
  clickhouse: clickhouseService,
  meilisearch: meilisearchService,
  rabbitmq: rabbitmqService,
  kafka: kafkaService,
} as const satisfies { readonly [K in InClusterService]: DataService<K, unknown> };

export {
  IN_CLUSTER_TOPIC,
  settingsOn,
  type DataService,
  type SecretRef,
  type ServiceSettings,
  type ServiceWiring,
} from "./service";
export { bitnamiImages } from "./bitnami";

/** The services of one layer (`databases` or `buses`) configured on `cloud`, in table order. */
export function servicesOf(
  workloads: Parameters<typeof settingsOn>[0],
  section: "databases" | "buses",
  cloud: string,
): InClusterService[] {
  return IN_CLUSTER_SERVICE_KEYS.filter(
    (k) => IN_CLUSTER_SERVICES[k].section === section && settingsOn(workloads, k, cloud),
  );
}

/** Installs a layer's services on the stack's cluster, each through its descriptor. */
export function deployServices(
  stack: HelmLayerStack,
  section: "databases" | "buses",
): Partial<Record<InClusterService, Construct | readonly Construct[]>> {
  const w = stack.env.workloads;
  return Object.fromEntries(
    servicesOf(w, section, stack.cloud).map((k) => {
      const service = DATA_SERVICES[k] as DataService<typeof k, unknown>;
      return [k, service.deploy(stack, settingsOn(w, k, stack.cloud)!)];
    }),
  );
}

/**
 * The environments among `tenants` (those whose workloads run on one cluster) that run `service`
 * on `cloud` on its operator: the owner installs the operator when there are any.
 */
export function operatorTenants<E extends { workloads: Parameters<typeof settingsOn>[0] }>(
  tenants: readonly E[],
  service: InClusterService,
  cloud: string,
): E[] {
  const d = DATA_SERVICES[service] as DataService<typeof service, unknown>;
  return tenants.filter((e) => {
    const s = settingsOn(e.workloads, service, cloud);
    return s !== undefined && (d.runsOnOperator?.(s) ?? false);
  });
}
