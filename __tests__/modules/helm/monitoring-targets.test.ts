/**
 * The scrape targets and alert rules of modules/helm/monitoring-targets.ts: every metric a rule
 * uses is one facts/metrics.json records for the exporter of that kind (read at its pinned
 * version), thresholds reach the expressions, and the rules follow the topology.
 */
import fs from "node:fs";
import path from "node:path";
import { TIER_DEFAULTS } from "../../../environments/schema";
import { CHART_VERSIONS, type ChartKey } from "../../../environments/schema/workloads";
import { factsFor, loadFacts } from "../../support/chart-facts";
import {
  clusterRules,
  KINDS,
  namespaceRules,
  scrapeTarget,
  serviceRules,
  SERVICE_LABEL,
  type AlertRule,
  type MonitoredKind,
} from "../../../modules/helm/monitoring-targets";

interface MetricsFacts {
  readonly exporters: Record<string, { readonly kinds: readonly string[] }>;
  readonly metrics: Record<
    string,
    { readonly exporter: string; readonly labels: readonly string[]; readonly citation: string }
  >;
}
const facts = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "..", "facts", "metrics.json"), "utf8"),
) as MetricsFacts;

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "offset",
  "bool",
]);

/**
 * Metric names in a PromQL expression: identifiers that are not functions, aggregations,
 * keywords, label names (inside braces or grouping parentheses) or string contents.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "")
    .replace(/\[[^\]]*\]/g, "");
  const names = [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter(([, name, call]) => !call && !KEYWORDS.has(name))
    .map(([, name]) => name);
  return [...new Set(names)];
}

const thresholds = TIER_DEFAULTS.prod.monitoring.thresholds;
const kinds = Object.keys(KINDS) as MonitoredKind[];
const rulesOf = (kind: MonitoredKind, replicated: boolean) =>
  serviceRules("shop", { kind, release: "db", topology: { replicated } }, thresholds).rules;

describe("metric names", () => {
  test("the extractor finds metrics and skips functions, labels and keywords", () => {
    expect(
      metricNames(
        'max by (namespace, pod) (rate(a_total{job="x", le="b"}[5m])) > 3 and on (pod) b_c unless count(d == 0)',
      ),
    ).toEqual(["a_total", "b_c", "d"]);
  });

  test.each(kinds)("%s: every metric is recorded for its exporter", (kind) => {
    const problems: string[] = [];
    for (const rule of [...rulesOf(kind, true), ...rulesOf(kind, false)]) {
      for (const name of metricNames(rule.expr)) {
        const fact = facts.metrics[name];
        if (!fact) {
          problems.push(`${rule.alert}: ${name} is not in facts/metrics.json`);
          continue;
        }
        const exporterKinds = facts.exporters[fact.exporter]?.kinds ?? [];
        if (!exporterKinds.includes(kind) && !exporterKinds.includes("*"))
          problems.push(
            `${rule.alert}: ${name} comes from ${fact.exporter}, not ${kind}'s exporter`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  test("Kubernetes and capacity rules use kube-state-metrics and kubelet metrics only", () => {
    const rules: AlertRule[] = [
      ...namespaceRules("shop", thresholds).rules,
      ...clusterRules(thresholds).rules,
    ];
    const used = rules.flatMap((r) => metricNames(r.expr));
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) {
      expect([name, facts.exporters[facts.metrics[name]?.exporter]?.kinds]).toEqual([
        name,
        ["kubernetes"],
      ]);
    }
  });

  test("every recorded metric has a citation at a commit or a versioned page", () => {
    for (const [name, m] of Object.entries(facts.metrics)) {
      expect([name, m.citation]).toEqual([name, expect.stringMatching(/^https:\/\//)]);
      expect(facts.exporters[m.exporter]).toBeDefined();
    }
  });
});

describe("rules", () => {
  test("thresholds reach the expressions and durations", () => {
    const t = { ...thresholds, replicationLagSeconds: 42, queueDepthMessages: 777 };
    const t2 = { ...t, pvcUsagePercent: 66, podNotReadyMinutes: 7, nodeRequestsPercent: 91 };
    const pg = serviceRules(
      "shop",
      { kind: "postgresql-ha", release: "db", topology: { replicated: true } },
      t,
    );
    expect(pg.rules.find((r) => r.alert === "PostgresqlReplicationLag")!.expr).toMatch(/> 42$/);
    const mq = serviceRules(
      "shop",
      { kind: "rabbitmq", release: "mq", topology: { replicated: false } },
      t,
    );
    expect(mq.rules.find((r) => r.alert === "RabbitmqQueueDepth")!.expr).toMatch(/> 777$/);
    const ns = namespaceRules("shop", t2).rules;
    expect(ns.find((r) => r.alert === "PersistentVolumeFillingUp")!.expr).toMatch(/> 66$/);
    expect(ns.find((r) => r.alert === "PodNotReady")!.for).toBe("7m");
    expect(clusterRules(t2).rules.find((r) => r.alert === "NodePoolCapacity")!.expr).toMatch(
      /> 91$/,
    );
  });

  test("a release's rules select only its namespace and release", () => {
    for (const kind of kinds) {
      for (const rule of rulesOf(kind, true)) {
        const selectors = [...rule.expr.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
        expect(selectors.length).toBeGreaterThan(0);
        for (const s of selectors) expect(s).toContain(`namespace="shop", ${SERVICE_LABEL}="db"`);
      }
    }
  });

  test("replication and failover rules only where there is replication", () => {
    const alerts = (kind: MonitoredKind, replicated: boolean) =>
      rulesOf(kind, replicated).map((r) => r.alert);
    expect(alerts("postgresql", false)).toEqual(["PostgresqlDown"]);
    expect(alerts("postgresql-ha", true)).toEqual(
      expect.arrayContaining([
        "PostgresqlReplicationLag",
        "PostgresqlFailover",
        "PostgresqlNoPrimary",
      ]),
    );
    expect(alerts("redis", false)).toEqual(["RedisDown"]);
    expect(alerts("redis", true)).toEqual([
      "RedisDown",
      "RedisReplicationBroken",
      "RedisMasterCount",
    ]);
    expect(alerts("kafka", false)).not.toContain("KafkaUnderReplicatedPartitions");
    expect(alerts("kafka", true)).toContain("KafkaUnderReplicatedPartitions");
  });

  test("a master count alert also fires when no node is master (count() of nothing is no series)", () => {
    for (const kind of ["redis", "valkey"] as const) {
      const rule = rulesOf(kind, true).find((r) => r.alert.endsWith("MasterCount"))!;
      expect(rule.expr).toMatch(
        /^\(count by \(.*role="master".*\) or count by \(.*\) \* 0\) != 1$/,
      );
    }
  });

  test("alert names are unique within each group", () => {
    for (const kind of kinds) {
      const names = rulesOf(kind, true).map((r) => r.alert);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});

describe("scrape targets", () => {
  test("Bitnami metrics Services are selected by release, chart and component", () => {
    expect(
      scrapeTarget({ kind: "postgresql", release: "db", topology: { replicated: false } }),
    ).toEqual({
      monitor: "ServiceMonitor",
      name: "db-postgresql",
      matchLabels: {
        "app.kubernetes.io/instance": "db",
        "app.kubernetes.io/name": "postgresql",
        "app.kubernetes.io/component": "metrics",
      },
      port: "http-metrics",
      path: "/metrics",
      targetLabels: { strata_service: "db", strata_kind: "postgresql" },
    });
    expect(
      scrapeTarget({ kind: "clickhouse", release: "analytics", topology: { replicated: true } })
        .monitor,
    ).toBe("PodMonitor");
  });

  test("an app is scraped on its http port at its path", () => {
    expect(
      scrapeTarget({
        kind: "app",
        release: "web",
        path: "/internal/metrics",
        topology: { replicated: false },
      }),
    ).toMatchObject({
      monitor: "PodMonitor",
      matchLabels: { "app.kubernetes.io/instance": "web" },
      port: "http",
      path: "/internal/metrics",
    });
  });

  test("every kind cites where its labels and port were read (a chart template, or an operator's Go source)", () => {
    for (const kind of kinds) expect(KINDS[kind].source).toMatch(/\.yaml|\.tpl|\.go#L/);
  });

  test("valkey's labels were read at the commit of the pinned CloudPirates chart", () => {
    const entry = factsFor(loadFacts(), "valkey", CHART_VERSIONS.valkey)!;
    expect(KINDS.valkey.source).toContain(`/${entry.source.commit}/charts/valkey/`);
    expect(KINDS.valkey.matchLabels("cache")).toEqual({
      "app.kubernetes.io/instance": "cache",
      "app.kubernetes.io/name": "valkey",
      "app.kubernetes.io/component": "metrics",
    });
  });

  test("each Bitnami kind's labels were read at the commit of the pinned chart version", () => {
    // A new pin fails here until the metrics Service's labels and port are read again.
    const charts = loadFacts();
    const pins: Array<[MonitoredKind, ChartKey, string]> = [
      ["postgresql", "postgresql", "postgresql"],
      ["postgresql-ha", "postgresqlHa", "postgresql-ha"],
      ["redis", "redis", "redis"],
      ["clickhouse", "clickhouse", "clickhouse"],
      ["rabbitmq", "rabbitmq", "rabbitmq"],
      ["kafka", "kafka", "kafka"],
    ];
    for (const [kind, key, chart] of pins) {
      const entry = factsFor(charts, chart, CHART_VERSIONS[key])!;
      expect([kind, KINDS[kind].source]).toEqual([
        kind,
        expect.stringContaining(`/${entry.source.commit}/bitnami/${chart}/`),
      ]);
    }
  });
});
