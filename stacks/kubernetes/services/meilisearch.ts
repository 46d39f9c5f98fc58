/** `databases.meilisearch`: Meilisearch's own chart, one node. */
import {
  Meilisearch,
  meilisearchConnection,
  type MeilisearchConnection,
} from "../../../modules/helm/meilisearch";
import type { DataService } from "./service";

export const meilisearchService: DataService<"meilisearch", MeilisearchConnection> = {
  key: "meilisearch",
  secretId: "MeilisearchSecret",
  deploy: (stack, meili) =>
    new Meilisearch(stack, "Meilisearch", {
      ...stack.releaseSettings("stateful"),
      name: meili.releaseName,
      version: stack.env.workloads.charts.meilisearch,
      image: meili.image,
      storageClass: stack.storageClass,
      storage: meili.storage,
      resources: meili.resources,
    }),
  connection: (meili, namespace) => meilisearchConnection({ name: meili.releaseName, namespace }),
};
