/**
 * The charts shipped in this repository's charts/, with the stable construct ids of their assets
 * (stacks/kubernetes/layer.ts copies each into a stack as `./assets/<asset id>/<hash>`, so a
 * synthesized release names such a chart only by its asset id).
 */
export const CHART_ASSET_IDS = {
  service: "ServiceChart",
  migration: "MigrationChart",
  gateway: "GatewayChart",
  "argocd-apps": "ArgoCdAppsChart",
  monitoring: "MonitoringChart",
  "rabbitmq-cluster": "RabbitmqClusterChart",
  "kafka-cluster": "KafkaClusterChart",
  "clickhouse-cluster": "ClickhouseClusterChart",
  "postgres-cluster": "PostgresClusterChart",
} as const;
export type ProjectChart = keyof typeof CHART_ASSET_IDS;

/** A repository chart's name by its asset id (`PostgresClusterChart` → `postgres-cluster`). */
export const PROJECT_CHART_BY_ASSET: Readonly<Record<string, ProjectChart>> = Object.fromEntries(
  Object.entries(CHART_ASSET_IDS).map(([chart, id]) => [id, chart as ProjectChart]),
);
