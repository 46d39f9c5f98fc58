/** `databases.meilisearch`: Meilisearch's own chart, one node. */
import {
  Meilisearch,
  meilisearchConnection,
  type MeilisearchConnection,
} from "../../../modules/helm/meilisearch";
import type { DataService } from "./service";

export const meilisearchService = {
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
  wire(meili, namespace) {
    const c = meilisearchConnection({ name: meili.releaseName, namespace });
    return {
      settings: { MEILI_HOST: c.url },
      secrets: [
        {
          variable: "MEILI_MASTER_KEY",
          source: "meilisearch",
          secretName: c.secretName,
          key: c.masterKeyKey,
        },
      ],
    };
  },
} satisfies DataService<"meilisearch", MeilisearchConnection>;
