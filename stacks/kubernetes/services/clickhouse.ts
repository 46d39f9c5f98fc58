/** `databases.clickhouse`: bitnami/clickhouse with ClickHouse Keeper. */
import {
  Clickhouse,
  clickhouseConnection,
  type ClickhouseConnection,
} from "../../../modules/helm/clickhouse";
import { bitnamiImages } from "./bitnami";
import type { DataService } from "./service";

export const clickhouseService = {
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
  wire(ch, namespace) {
    const c = clickhouseConnection({ name: ch.releaseName, namespace, username: ch.username });
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
