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
 * The chart's appVersion at its 0.34.0 tag (Chart.yaml: v1.48.3; facts/charts.json), above the
 * floor v1.48.2 of CVE-2026-57823/57824 (facts/image-policy.json); the chart has no
 * `image.registry`, so the repository carries it.
 */
export const DEFAULT_MEILISEARCH_IMAGE: MeilisearchImage = {
  repository: "docker.io/getmeili/meilisearch",
  tag: "v1.48.3",
};
