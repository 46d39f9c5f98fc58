/**
 * The Valkey image, apart from the release construct so the environment schema can name it
 * without loading cdktf and the provider classes.
 */

/**
 * Valkey 9.1.1. The CloudPirates chart 0.25.5 ships 9.1.0 (charts/valkey/values.yaml#L24-L30 at
 * tag valkey-0.25.5), below the CVE floor: CVE-2026-56684 and CVE-2026-63639 are fixed in 9.1.1
 * (CVE-2025-49844, the Lua RCE, in 8.1.4). 9.1.1 is the official valkey-io chart's appVersion at
 * its tag valkey-0.11.0 (valkey/Chart.yaml#L6), whose image is `docker.io/valkey/valkey:<appVersion>`
 * (valkey/values.yaml#L7-L15). facts/charts.json records the override (tagOverrides).
 */
export const VALKEY_IMAGE = {
  registry: "docker.io",
  repository: "valkey/valkey",
  tag: "9.1.1",
} as const;
