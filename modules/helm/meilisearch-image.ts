/**
 * The Meilisearch image, apart from the release construct so the environment schema can name the
 * default without loading cdktf and the provider classes.
 */
/** Where the Meilisearch image is pulled from (`repository` includes the registry). */
export interface MeilisearchImage {
  readonly repository: string;
  readonly tag: string;
}

/**
 * The chart's appVersion at its 0.25.0 tag (Chart.yaml: v1.35.0; facts/charts.json); the chart has
 * no `image.registry`, so the repository carries it.
 */
export const DEFAULT_MEILISEARCH_IMAGE: MeilisearchImage = {
  repository: "docker.io/getmeili/meilisearch",
  tag: "v1.35.0",
};
