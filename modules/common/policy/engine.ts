/**
 * The policy gate: rules evaluated over a stack's synthesized Terraform JSON, waivers, and the
 * report. The same engine runs inside synthesis (a validation on every Strata stack) and in
 * `npm run policy` over an existing cdktf.out, so both always agree.
 */

/** Tiers a rule applies to. */
export type PolicyTier = "dev" | "staging" | "prod";

/** One resource of a synthesized stack. */
export interface TfResource {
  /** Terraform resource type, e.g. google_container_cluster. */
  readonly type: string;
  /** Logical name in the stack, e.g. Gke_Cluster_1A2B3C4D. */
  readonly name: string;
  /** Construct path from cdktf's metadata, e.g. prod-gcp-cluster/Gke/Cluster. */
  readonly path: string;
  /** The resource's configuration (without cdktf's "//" metadata). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A stack's synthesized JSON, as much as the rules read of it. */
export interface StackJson {
  readonly terraform?: {
    readonly required_providers?: Record<string, { source?: string; version?: string }>;
  } & Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: Record<string, unknown>;
  readonly variable?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  readonly locals?: Record<string, unknown>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** What a rule sees besides the resource. */
export interface RuleContext {
  readonly stack: string;
  /** The environment's tier (a rule whose check differs per tier reads it). */
  readonly tier: PolicyTier;
  readonly json: StackJson;
  readonly resources: readonly TfResource[];
}

/** A policy rule. Stable ids: waivers and CI reports name them. */
export interface Rule {
  readonly id: string;
  readonly title: string;
  /** Resource types checked; ["*"] for every resource, [] for a stack-level rule. */
  readonly resourceTypes: readonly string[];
  readonly tiers: readonly PolicyTier[];
  /** Why it matters. */
  readonly rationale: string;
  /** Where it comes from: benchmark, scanner rule ids, provider docs. */
  readonly source: string;
  /** How to comply. */
  readonly fix: string;
  /** Problems with one resource (empty when compliant). */
  readonly check?: (resource: TfResource, ctx: RuleContext) => string[];
  /**
   * Problems with the stack as a whole, each with the address it concerns (`<type>.<name>`) and,
   * optionally, a construct path naming the part of it (waivers match either).
   */
  readonly checkStack?: (
    ctx: RuleContext,
  ) => Array<{ address: string; detail: string; path?: string }>;
}

/** A waiver: data in the environment's config. */
export interface Waiver {
  readonly rule: string;
  /** Glob (`*` = any run of characters) on the resource address `<stack>/<type>.<name>` or its construct path. */
  readonly resource: string;
  readonly reason: string;
  readonly owner: string;
  /** Last day the waiver holds, YYYY-MM-DD. */
  readonly expires: string;
}

/** A rule broken by a resource. */
export interface Violation {
  readonly rule: Rule;
  readonly stack: string;
  /** `<stack>/<type>.<name>`. */
  readonly address: string;
  readonly path: string;
  readonly detail: string;
  /** The waiver that no longer holds, when one expired. */
  readonly expiredWaiver?: Waiver;
}

/** Result of evaluating one stack. */
export interface PolicyResult {
  readonly violations: readonly Violation[];
  readonly waived: ReadonlyArray<{ readonly violation: Violation; readonly waiver: Waiver }>;
}

/** Options of {@link evaluateStack}. */
export interface EvaluateOptions {
  readonly stack: string;
  readonly tier: PolicyTier;
  readonly waivers?: readonly Waiver[];
  /** Today, YYYY-MM-DD: a waiver holds through its `expires` day. */
  readonly today: string;
  readonly rules: readonly Rule[];
}

/** Every resource of a stack with its metadata stripped. */
export function resourcesOf(json: StackJson): TfResource[] {
  const out: TfResource[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      const { "//": meta, ...config } = raw as { "//"?: { metadata?: { path?: string } } } & Record<
        string,
        unknown
      >;
      out.push({ type, name, path: meta?.metadata?.path ?? name, config });
    }
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
  );
}

/** True when the waiver names this violation's rule and matches its address or construct path. */
export function waiverMatches(w: Waiver, v: Pick<Violation, "rule" | "address" | "path">): boolean {
  const re = globToRegExp(w.resource);
  return w.rule === v.rule.id && (re.test(v.address) || re.test(v.path));
}

/** Evaluates the rules that apply to a tier over one stack, then applies waivers. */
export function evaluateStack(json: StackJson, o: EvaluateOptions): PolicyResult {
  const resources = resourcesOf(json);
  const ctx: RuleContext = { stack: o.stack, tier: o.tier, json, resources };
  const found: Violation[] = [];
  for (const rule of o.rules.filter((r) => r.tiers.includes(o.tier))) {
    if (rule.check) {
      const applies = (t: string) =>
        rule.resourceTypes.includes("*") || rule.resourceTypes.includes(t);
      for (const r of resources.filter((x) => applies(x.type))) {
        for (const detail of rule.check(r, ctx)) {
          found.push({
            rule,
            stack: o.stack,
            address: `${o.stack}/${r.type}.${r.name}`,
            path: r.path,
            detail,
          });
        }
      }
    }
    for (const p of rule.checkStack?.(ctx) ?? []) {
      found.push({
        rule,
        stack: o.stack,
        address: `${o.stack}/${p.address}`,
        path: p.path ?? `${o.stack}/${p.address}`,
        detail: p.detail,
      });
    }
  }
  const violations: Violation[] = [];
  const waived: Array<{ violation: Violation; waiver: Waiver }> = [];
  for (const v of found) {
    const matching = (o.waivers ?? []).filter((w) => waiverMatches(w, v));
    const active = matching.find((w) => w.expires >= o.today);
    if (active) waived.push({ violation: v, waiver: active });
    else violations.push(matching.length > 0 ? { ...v, expiredWaiver: matching[0] } : v);
  }
  return { violations, waived };
}

/** What a waiver should name: a stack rule's finding inside a resource (one image), else the resource. */
function waiverTarget(v: Violation): string {
  return !v.rule.check && v.path !== v.address ? v.path : v.address;
}

/** One violation, as synth prints it: rule id, stack and resource, why, and how to fix or waive. */
export function formatViolation(v: Violation): string {
  const expired = v.expiredWaiver
    ? `\n    waiver expired on ${v.expiredWaiver.expires} (owner ${v.expiredWaiver.owner}); renew it or fix the resource`
    : "";
  return (
    `[${v.rule.id}] ${v.rule.title}\n` +
    `    resource: ${v.address} (${v.path})\n` +
    `    problem:  ${v.detail}\n` +
    `    why:      ${v.rule.rationale} (${v.rule.source})\n` +
    `    fix:      ${v.rule.fix}\n` +
    `    waive:    add to the environment's waivers: { rule: "${v.rule.id}", resource: "${waiverTarget(v)}", reason, owner, expires: "YYYY-MM-DD" }` +
    expired
  );
}

/** Reads a nested value; a single-element list (a Terraform block) is looked through. */
export function get(config: unknown, dotted: string): unknown {
  let cur: unknown = config;
  for (const key of dotted.split(".")) {
    if (Array.isArray(cur)) cur = cur[0];
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return Array.isArray(cur) && cur.length === 1 && typeof cur[0] === "object" ? cur[0] : cur;
}

/** Every element of a block that may be emitted as one object or a list. */
export function blocks(config: unknown, key: string): Array<Record<string, unknown>> {
  const v = (config as Record<string, unknown> | undefined)?.[key];
  if (Array.isArray(v)) return v as Array<Record<string, unknown>>;
  return v && typeof v === "object" ? [v as Record<string, unknown>] : [];
}
