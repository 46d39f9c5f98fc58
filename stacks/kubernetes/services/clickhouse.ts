/** `databases.clickhouse`: bitnami/clickhouse with ClickHouse Keeper. */
import {
  Clickhouse,
  clickhouseConnection,
  type ClickhouseConnection,
} from "../../../modules/helm/clickhouse";
import { bitnamiImages } from "./bitnami";
import type { DataService } from "./service";

export const clickhouseService: DataService<"clickhouse", ClickhouseConnection> = {
  key: "clickhouse",
  secretId: "ClickhouseSecret",
  deploy: (stack, ch) =>
    new Clickhouse(stack, "Clickhouse", {
      ...stack.releaseSettings("stateful"),
      name: ch.releaseName,
      version: stack.env.workloads.charts.clickhouse,
      images: bitnamiImages(ch.images),
      storageClass: stack.storageClass,
      storage: ch.storage,
      resources: ch.resources,
      metrics: ch.metrics,
      shards: ch.shards,
      replicas: ch.replicas,
      keeperReplicas: ch.keeperReplicas,
      keeperResources: ch.keeperResources,
      username: ch.username,
    }),
  monitored: (ch) => ({
    kind: "clickhouse",
    release: ch.releaseName,
    topology: { replicated: ch.replicas > 1 },
  }),
  connection: (ch, namespace) =>
    clickhouseConnection({ name: ch.releaseName, namespace, username: ch.username }),
};
