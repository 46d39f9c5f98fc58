/**
 * One descriptor per in-cluster data service: what the databases and buses layers install for it
 * on a cluster, how its exporter is monitored, and where applications reach it. The layers, the
 * apps' wiring and the monitors walk these descriptors; nothing else lists the services.
 */
import type { Construct } from "constructs";
import type { WorkloadsConfig } from "../../../environments/schema/workloads";
import { IN_CLUSTER_SERVICES, type InClusterService } from "../../../environments/schema/services";
import type { MonitoredService } from "../../../modules/helm/monitoring-targets";
import type { HelmLayerStack } from "../layer";

type Layers = Pick<WorkloadsConfig, "databases" | "buses">;

/** A service's resolved settings (environments/schema/workloads.ts resolveWorkloads). */
export type ServiceSettings<K extends InClusterService> = NonNullable<
  Layers[(typeof IN_CLUSTER_SERVICES)[K]["section"]][K &
    keyof Layers[(typeof IN_CLUSTER_SERVICES)[K]["section"]]]
>;

/** Topic/exchange name on the in-cluster buses. */
export const IN_CLUSTER_TOPIC = "events";

/** A credential variable taken from another release's Secret. */
export interface SecretRef {
  readonly variable: string;
  readonly source: InClusterService;
  readonly secretName: string;
  readonly key: string;
  /** Builds the value from the password (connection URLs); absent: the password itself. */
  readonly format?: (password: string) => string;
}

/** What an application using a service gets: ConfigMap settings and Secret references. */
export interface ServiceWiring {
  readonly settings: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretRef[];
}

/** What Strata knows about one in-cluster service, beyond its config (schema/services.ts). */
export interface DataService<K extends InClusterService, C> {
  readonly key: K;
  /**
   * Construct id of the data source through which the apps layer reads the service's Secret:
   * a state address, so it never changes.
   */
  readonly secretId: string;
  /**
   * Installs the service's releases on the stack's cluster (construct ids are state addresses):
   * one, or two while an engine switch keeps the old release beside the new one.
   */
  deploy(stack: HelmLayerStack, settings: ServiceSettings<K>): Construct | readonly Construct[];
  /**
   * The service runs on an operator the cluster's owner installs in its platform layer (the
   * engine's custom resources, or both engines while it moves); absent: no operator.
   */
  runsOnOperator?(settings: ServiceSettings<K>): boolean;
  /** Its exporter as a monitored service (scraped when `metrics` is on); absent: no exporter. */
  monitored?(settings: ServiceSettings<K>): MonitoredService;
  /** Where applications reach it, in the environment's namespace. */
  connection(settings: ServiceSettings<K>, namespace: string): C;
  /**
   * The app contract: the variables an app using the service gets (absent: the apps layer wires
   * it itself, as PostgreSQL's variables depend on the app's contract).
   */
  wire?(settings: ServiceSettings<K>, namespace: string): ServiceWiring;
}

/** A service's settings on `cloud`, when it runs there. */
export function settingsOn<K extends InClusterService>(
  workloads: Layers,
  key: K,
  cloud: string,
): ServiceSettings<K> | undefined {
  const section = workloads[IN_CLUSTER_SERVICES[key].section] as Record<
    string,
    { clouds: string[] } | undefined
  >;
  const s = section[key];
  return s?.clouds.includes(cloud) ? (s as unknown as ServiceSettings<K>) : undefined;
}
