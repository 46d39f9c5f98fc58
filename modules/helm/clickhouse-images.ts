/**
 * The Altinity engine's operand images, apart from the release construct so the environment
 * schema can name them without loading cdktf and the provider classes.
 *
 * ClickHouse 26.3 LTS from ClickHouse Inc.'s Docker Hub repositories, the server and Keeper at one
 * version (the operator's own defaults are `:latest`: pkg/model/chi/config/const.go#L71,
 * pkg/model/chk/config/const.go#L68 at release-0.25.6). 26.3.33.24 is the 26.3 release the
 * docker-library repo-info of the official `clickhouse` image lists as `clickhouse:26.3` (built
 * 2026-09-11, `ARG VERSION=26.3.33.24`, user `clickhouse` uid/gid 101). facts/charts.json
 * (altinity-clickhouse-operator.operandImages) records them.
 */
export const CLICKHOUSE_IMAGES = {
  server: "clickhouse/clickhouse-server:26.3.33.24",
  keeper: "clickhouse/clickhouse-keeper:26.3.33.24",
} as const;
/** The uid and gid of the `clickhouse` user in both images. */
export const CLICKHOUSE_UID = 101;
