/**
 * charts/monitoring with the real helm binary: lint and render it with the values every
 * environment synthesizes (and with one release of every service kind), and check the
 * ServiceMonitors, PodMonitors and PrometheusRule it renders.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { TIER_DEFAULTS } from "../../environments/schema";
import { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { KINDS, type MonitoredKind } from "../../modules/helm/monitoring-targets";
import { realApp } from "../support/app";
import { releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { synthScope } from "../modules/helm/helpers";

const CHART = path.join(__dirname, "..", "..", "charts", "monitoring");
const available = helmBinary() !== undefined;
if (!available) console.warn(`skipping chart tests: no helm binary (${helmUnavailableReason()})`);
const describeWithHelm = available ? describe : describe.skip;

interface Manifest {
  kind: string;
  apiVersion: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}
interface Endpoint {
  port: string;
  path: string;
  relabelings: Array<{ action: string; targetLabel: string; replacement: string }>;
}
interface Values {
  serviceMonitors: Array<{ name: string; matchLabels: Record<string, string>; port: string }>;
  podMonitors: Array<{ name: string; matchLabels: Record<string, string>; port: string }>;
  ruleGroups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for: string }> }>;
}

let tmp: string;
let releases: Array<{ stack: string; namespace: string; release: SynthesizedRelease }>;
beforeAll(() => {
  if (!available) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-monitoring-"));
  releases = [...realApp().stacks].flatMap(([stack, tf]) =>
    releasesOf(tf)
      .filter((r) => r.chart.startsWith("./assets/MonitoringChart/"))
      .map((release) => ({ stack, namespace: release.raw.namespace as string, release })),
  );
});
afterAll(() => {
  if (available) fs.rmSync(tmp, { recursive: true, force: true });
});

function valuesFile(values: unknown): string {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

function render(name: string, namespace: string, values: unknown): Manifest[] {
  const out = helm(["template", name, CHART, "-n", namespace, "-f", valuesFile(values)]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Manifest)
    .filter(Boolean);
}

/** What a release's manifests must be, given its values. */
function checkRendered(namespace: string, values: Values, docs: Manifest[]): void {
  const kinds = docs.map((d) => d.kind).sort();
  expect(kinds).toEqual(
    [
      ...values.serviceMonitors.map(() => "ServiceMonitor"),
      ...values.podMonitors.map(() => "PodMonitor"),
      ...(values.ruleGroups.length ? ["PrometheusRule"] : []),
    ].sort(),
  );
  for (const d of docs) expect(d.apiVersion).toBe("monitoring.coreos.com/v1");
  for (const [kind, list, key] of [
    ["ServiceMonitor", values.serviceMonitors, "endpoints"],
    ["PodMonitor", values.podMonitors, "podMetricsEndpoints"],
  ] as const) {
    for (const m of list) {
      const doc = docs.find((d) => d.kind === kind && d.metadata.name === m.name)!;
      expect(doc.spec.namespaceSelector).toEqual({ matchNames: [namespace] });
      expect(doc.spec.selector).toEqual({ matchLabels: m.matchLabels });
      const [endpoint] = doc.spec[key] as Endpoint[];
      expect(endpoint.port).toBe(m.port);
      // Every sample carries the release and kind the rules select on.
      expect(endpoint.relabelings.map((r) => r.targetLabel).sort()).toEqual([
        "strata_kind",
        "strata_service",
      ]);
    }
  }
  const rule = docs.find((d) => d.kind === "PrometheusRule");
  if (rule) {
    // The expressions arrive verbatim (quotes, braces and {{ $labels }} untouched by Helm).
    expect((rule.spec as { groups: unknown }).groups).toEqual(
      values.ruleGroups.map((g) => ({
        name: g.name,
        rules: g.rules.map((r) =>
          expect.objectContaining({ alert: r.alert, expr: r.expr, for: r.for }),
        ),
      })),
    );
  }
}

describeWithHelm("charts/monitoring with helm", () => {
  test("prod and staging ship monitors and rules in every layer with services; dev (monitoring off) none", () => {
    const stacks = releases.map((r) => `${r.stack}/${r.release.name}`).sort();
    expect(stacks).toEqual(
      expect.arrayContaining([
        "prod-do-platform/strata-alerts",
        "prod-do-databases/strata-databases-monitoring",
        "prod-do-buses/strata-buses-monitoring",
        "staging-do-platform/strata-alerts",
      ]),
    );
    expect(stacks.filter((s) => s.startsWith("dev-"))).toEqual([]);
  });

  test("helm lint passes with each release's values", () => {
    const distinct = new Map(
      releases.map(({ release }) => [JSON.stringify(release.values), release.values]),
    );
    for (const values of distinct.values())
      expect(() => helm(["lint", CHART, "--strict", "-f", valuesFile(values)])).not.toThrow();
  });

  test("rendered: one monitor per service in the release's namespace, the rules verbatim", () => {
    for (const { namespace, release } of releases) {
      checkRendered(
        namespace,
        release.values as unknown as Values,
        render(release.name, namespace, release.values),
      );
    }
  });

  test("every service kind renders (one release with all of them)", () => {
    const kinds = Object.keys(KINDS) as MonitoredKind[];
    let values: Values | undefined;
    synthScope((s) => {
      values = new MonitoringObjects(s, "All", {
        name: "all",
        namespace: "shop",
        chart: { chart: CHART },
        services: kinds.map((kind) => ({
          kind,
          release: `r-${kind}`,
          topology: { replicated: true },
        })),
        thresholds: TIER_DEFAULTS.prod.monitoring.thresholds,
      }).values as unknown as Values;
    });
    const docs = render("all", "shop", values);
    checkRendered("shop", values!, docs);
    expect(
      docs
        .filter((d) => d.kind === "PodMonitor")
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([
      "r-altinity-clickhouse-altinity-clickhouse",
      "r-app-app",
      "r-clickhouse-clickhouse",
      "r-cloudnativepg-cloudnativepg",
      "r-strimzi-strimzi",
    ]);
  });

  test("the schema refuses a malformed rule", () => {
    const bad = {
      ruleGroups: [{ name: "g", rules: [{ alert: "x y", expr: "up", for: "5 minutes" }] }],
    };
    expect(() => helm(["lint", CHART, "--strict", "-f", valuesFile(bad)])).toThrow();
  });
});
