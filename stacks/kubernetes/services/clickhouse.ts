/**
 * `databases.clickhouse`: a ClickHouseInstallation and ClickHouseKeeperInstallation of the
 * Altinity operator (engine "altinity"), or the deprecated bitnami/clickhouse with ClickHouse
 * Keeper (engine "bitnami", or kept beside the installation with `keepBitnami` while data moves).
 */
import type { Construct } from "constructs";
import {
  AltinityClickhouse,
  altinityClickhouseConnection,
} from "../../../modules/helm/altinity-clickhouse";
import {
  Clickhouse,
  clickhouseConnection,
  type ClickhouseConnection,
} from "../../../modules/helm/clickhouse";
import { bitnamiImages } from "./bitnami";
import type { DataService, ServiceSettings } from "./service";

/** Where apps reach the engine's servers. */
function connectionOf(ch: ServiceSettings<"clickhouse">, namespace: string): ClickhouseConnection {
  return (ch.engine === "bitnami" ? clickhouseConnection : altinityClickhouseConnection)({
    name: ch.releaseName,
    namespace,
    username: ch.username,
  });
}

export const clickhouseService = {
  key: "clickhouse",
  secretId: "ClickhouseSecret",
  deploy(stack, ch) {
    const { charts } = stack.env.workloads;
    const shape = {
      ...stack.releaseSettings("stateful"),
      name: ch.releaseName,
      storageClass: stack.storageClass,
      storage: ch.storage,
      resources: ch.resources,
      metrics: ch.metrics,
      shards: ch.shards,
      replicas: ch.replicas,
      keeperReplicas: ch.keeperReplicas,
      keeperResources: ch.keeperResources,
      username: ch.username,
    };
    const releases: Construct[] = [];
    // Migrating: the Bitnami release keeps running, at its address, beside the new installation.
    if (ch.engine === "altinity" && ch.keepBitnami) {
      releases.push(
        new Clickhouse(stack, "Clickhouse", {
          ...shape,
          // Its own admin user: the applications' user of the new engine is not Bitnami's.
          username: undefined,
          version: charts.clickhouse,
          images: bitnamiImages(ch.images),
        }),
      );
    }
    releases.push(
      ch.engine === "altinity"
        ? // The operator (the cluster owner's platform layer) reconciles the resources.
          new AltinityClickhouse(stack, "AltinityClickhouse", {
            ...shape,
            chart: stack.localChart("clickhouse-cluster"),
          })
        : // Deprecated (ClickHouse 25.7 is end of life): the same construct id as before.
          new Clickhouse(stack, "Clickhouse", {
            ...shape,
            version: charts.clickhouse,
            images: bitnamiImages(ch.images),
          }),
    );
    return releases;
  },
  runsOnOperator: (ch) => ch.engine === "altinity",
  monitored: (ch) => ({
    kind: ch.engine === "bitnami" ? "clickhouse" : "altinity-clickhouse",
    release: ch.releaseName,
    topology: { replicated: ch.replicas > 1 },
  }),
  connection: connectionOf,
  wire(ch, namespace) {
    const c = connectionOf(ch, namespace);
    return {
      settings: {
        CLICKHOUSE_HOST: c.host,
        CLICKHOUSE_PORT: String(c.port),
        CLICKHOUSE_USER: c.username,
      },
      secrets: [
        {
          variable: "CLICKHOUSE_PASSWORD",
          source: "clickhouse",
          secretName: c.secretName,
          key: c.passwordKey,
        },
      ],
    };
  },
} satisfies DataService<"clickhouse", ClickhouseConnection>;
