/**
 * PromQL syntax of every alert rule Strata writes, checked with Prometheus' own grammar
 * (@prometheus-io/lezer-promql, the parser of the Prometheus web UI): the rules of every service
 * kind and topology, the Kubernetes and capacity rules, and what the real app ships in its
 * charts/monitoring releases. promtool is not available here; the grammar is the same language.
 */
import { createRequire } from "node:module";
import { parse } from "yaml";
import { TIER_DEFAULTS } from "../../../environments/schema";
import {
  clusterRules,
  KINDS,
  namespaceRules,
  serviceRules,
  type MonitoredKind,
} from "../../../modules/helm/monitoring-targets";
import { realApp } from "../../support/app";

/** The parts of @lezer/lr's Tree the check uses. */
interface SyntaxTree {
  readonly topNode: {
    readonly name: string;
    readonly firstChild: { readonly name: string } | null;
  };
  iterate(spec: { enter: (node: { type: { isError: boolean }; from: number }) => void }): void;
}
interface LezerPromql {
  readonly parser: { parse(input: string): SyntaxTree };
}

const PACKAGE = "@prometheus-io/lezer-promql";
/** Loaded by name so the type check does not depend on the package being installed. */
function loadParser(): LezerPromql["parser"] {
  try {
    return (createRequire(__filename)(PACKAGE) as LezerPromql).parser;
  } catch (e) {
    throw new Error(
      `${PACKAGE} is not installed (${(e as Error).message.split("\n")[0]}); add the devDependencies: npm i -D ${PACKAGE}@0.315.0 @lezer/lr@1.4.12 @lezer/highlight@1.2.5`,
    );
  }
}

/** Where the grammar found errors (offsets), or [] for a well-formed expression. */
function syntaxErrors(expr: string): number[] {
  const tree = loadParser().parse(expr);
  const errors: number[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
    },
  });
  if (tree.topNode.firstChild === null) errors.push(0);
  return errors;
}

describe("the check itself", () => {
  test("well-formed expressions pass, broken ones are caught", () => {
    expect(syntaxErrors('sum by (namespace) (rate(x_total{a="b"}[5m])) > 0.8')).toEqual([]);
    for (const broken of [
      "rate(x[5m]",
      "sum(x) by",
      'x{a="b"',
      "x >> 2",
      "max by namespace (x)",
      "",
    ])
      expect([broken, syntaxErrors(broken).length > 0]).toEqual([broken, true]);
  });
});

const kinds = Object.keys(KINDS) as MonitoredKind[];

describe.each(["dev", "staging", "prod"] as const)("%s thresholds", (tier) => {
  const t = TIER_DEFAULTS[tier].monitoring.thresholds;
  test.each(kinds)("%s rules parse", (kind) => {
    for (const replicated of [true, false]) {
      const { rules } = serviceRules("shop", { kind, release: "db", topology: { replicated } }, t);
      for (const r of rules) expect([r.alert, syntaxErrors(r.expr)]).toEqual([r.alert, []]);
    }
  });
  test("Kubernetes and capacity rules parse", () => {
    for (const r of [...namespaceRules("shop", t).rules, ...clusterRules(t).rules])
      expect([r.alert, syntaxErrors(r.expr)]).toEqual([r.alert, []]);
  });
});

test("every rule the real app ships parses", () => {
  const app = realApp();
  const exprs: Array<[string, string]> = [];
  for (const [stack, tf] of app.stacks) {
    for (const r of Object.values(tf.resource?.helm_release ?? {})) {
      if (!String(r.chart).startsWith("./assets/MonitoringChart/")) continue;
      const values = parse((r.values as string[])[0]) as {
        ruleGroups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
      };
      for (const g of values.ruleGroups)
        for (const rule of g.rules) exprs.push([`${stack}/${rule.alert}`, rule.expr]);
    }
  }
  expect(exprs.length).toBeGreaterThan(20);
  for (const [where, expr] of exprs) expect([where, syntaxErrors(expr)]).toEqual([where, []]);
});
