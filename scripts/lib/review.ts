/**
 * The offline change review: compares two synthesized cdktf.out folders stack by stack and
 * resource by resource, masks sensitive values, and puts dangerous changes first: removal or
 * replacement of a stateful resource, a rename without a moved block, a backend moved, state
 * encryption, deletion protection or prevent_destroy turned off, a range change that replaces a
 * subnet. Embedded documents (IAM and queue policies, Helm values) are diffed key by key; no
 * value is cut. Rendering: terminal table, Markdown, JSON.
 */
import CHART_FACTS from "../../facts/charts.json";
import { parse as parseYaml } from "yaml";
import { Tier, tierRank } from "../../environments/schema/common";
import { cidrContains, parseCidr } from "../../modules/common/cidr";
import { isSecretKey, secretValueKind } from "../../modules/common/secrets";
import { forceNewPath, statefulRule } from "../../modules/common/stateful-resources";
import { findMoves } from "../../stacks/moves";
import { readStack, stackParts, type CdktfOut, type StackJson } from "./cdktf-out";

/** What happens to a resource (or to a stack's settings). */
export type ChangeKind = "add" | "remove" | "change" | "move";

/** One changed attribute, values rendered (and masked) for display; absent when missing. */
export interface AttributeChange {
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  /** The force-new path this change falls under, when it replaces a stateful resource. */
  readonly forcesReplacement?: string;
}

/**
 * A resource (`google_bigtable_table.Store_Table_1A2B3C4D`) that changes, or a stack's settings
 * (`terraform`: backend, encryption, required providers; `provider.google`), of type SETTINGS.
 */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** For a move: the address it had in the base. */
  readonly movedFrom?: string;
  /** For a move: whether the new stack carries the moved block (else tofu would replace it). */
  readonly movedBlock?: boolean;
  /** The construct path from cdktf metadata, when present. */
  readonly constructPath?: string;
  readonly changes: readonly AttributeChange[];
}

/** A stack's tier; dangerous changes in staging and prod need approval (exit 2). */
export type { Tier };

/**
 * A change that loses data or protection: removal or replacement of a stateful resource, a
 * rename tofu would carry out as destroy + create, a backend moved, encryption or deletion
 * protection turned off.
 */
export interface Danger {
  readonly stack: string;
  readonly environment: string;
  readonly tier: Tier;
  /** The environment is prod-tier. */
  readonly prod: boolean;
  readonly address: string;
  readonly reason: string;
}

/** What happens to one stack. */
export interface StackReview {
  readonly name: string;
  readonly environment: string;
  readonly tier: Tier;
  readonly prod: boolean;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  readonly resources: readonly ResourceChange[];
}

/** The whole review. */
export interface Review {
  readonly before: string;
  readonly after: string;
  readonly prodEnvironments: readonly string[];
  readonly dangers: readonly Danger[];
  readonly stacks: readonly StackReview[];
  readonly summary: {
    readonly add: number;
    readonly remove: number;
    readonly change: number;
    readonly move: number;
    readonly stacksAdded: number;
    readonly stacksRemoved: number;
    readonly stacksChanged: number;
    readonly stacksUnchanged: number;
  };
  /** 0: nothing dangerous in staging or prod; 2: a dangerous change in a staging- or prod-tier stack. */
  readonly exitCode: 0 | 2;
}

/** Options of {@link reviewOutputs}. */
export interface ReviewOptions {
  /** Prod-tier environments (the registry's); their dangerous changes make the exit code 2. */
  readonly prodEnvironments: readonly string[];
  /** Staging-tier environments; their dangerous changes make the exit code 2 as well. @default [] */
  readonly stagingEnvironments?: readonly string[];
  /** Every known environment name, to attribute stacks outside the naming convention. @default prodEnvironments */
  readonly knownEnvironments?: readonly string[];
  /** Labels for the two sides in output. @default the folders */
  readonly beforeLabel?: string;
  readonly afterLabel?: string;
}

type Json = unknown;
type Path = Array<string | number>;
type Block = Record<string, Json>;

const MASK = "(sensitive)";
/** Type of the pseudo-resources for a stack's terraform block and providers. */
export const SETTINGS = "(settings)";
/** A path segment entering a document embedded in a string (a policy's JSON, Helm values' YAML). */
export const DOCUMENT = "›";

function isObject(v: Json): v is Block {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Deep copy without cdktf's `//` metadata keys. */
function stripMeta(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripMeta);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== "//")
      .map(([k, x]) => [k, stripMeta(x)]),
  );
}

function sameValue(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The document a string holds, when it holds one: JSON objects and arrays anywhere (IAM, key and
 * queue policies, redrive policies), YAML under a Helm release's `values`.
 */
function embedded(value: Json, path: Path): Json | undefined {
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      const v = JSON.parse(t) as Json;
      if (v !== null && typeof v === "object") return v;
    } catch {
      // not JSON
    }
  }
  if (path.includes("values") && t.includes("\n")) {
    try {
      const v = parseYaml(t) as Json;
      if (isObject(v)) return v;
    } catch {
      // not YAML
    }
  }
  return undefined;
}

/** Leaf-level differences between two values: paths where they differ. */
function diffValues(a: Json, b: Json, path: Path, out: Array<[Path, Json, Json]>): void {
  const docA = embedded(a, path);
  const docB = docA !== undefined ? embedded(b, path) : undefined;
  if (docA !== undefined && docB !== undefined) {
    diffValues(docA, docB, [...path, DOCUMENT], out);
  } else if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValues(a[k], b[k], [...path, k], out);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      diffValues(a[i], b[i], [...path, i], out);
  } else if (!sameValue(a, b)) {
    out.push([path, a, b]);
  }
}

/** `a.b[0].c`; a document inside a string: `values[0] › resources.limits.memory` */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((p, i) =>
      typeof p === "number"
        ? `[${p}]`
        : p === DOCUMENT
          ? ` ${DOCUMENT} `
          : i === 0 || path[i - 1] === DOCUMENT
            ? p
            : `.${p}`,
    )
    .join("");
}

/** Variables declared sensitive in a stack (`${var.x}` references to them are masked). */
function sensitiveVariables(...stacks: Array<StackJson | undefined>): Set<string> {
  const names = new Set<string>();
  for (const s of stacks) {
    for (const [name, v] of Object.entries(s?.variable ?? {})) if (v.sensitive) names.add(name);
  }
  return names;
}

/** True when a value at `path` must not be shown. */
function isSensitive(path: Path, value: Json, sensitiveVars: Set<string>): boolean {
  // set_sensitive (helm), *_wo write-only attributes, and password/secret/token-like keys.
  const sensitiveKey = (k: string) => isSecretKey(k) || /sensitive|(^|_)wo$/i.test(k);
  if (path.some((p) => typeof p === "string" && sensitiveKey(p))) return true;
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  if (secretValueKind(text)) return true;
  for (const m of text.matchAll(/\bvar\.([A-Za-z0-9_-]+)/g))
    if (sensitiveVars.has(m[1])) return true;
  return false;
}

function render(path: Path, value: Json, sensitiveVars: Set<string>): string | undefined {
  if (value === undefined) return undefined;
  if (isSensitive(path, value, sensitiveVars)) return MASK;
  // The whole value, never cut: a review that hides part of a change hides the change.
  return JSON.stringify(value);
}

/** Addressable blocks of a stack: every resource, the terraform block and each provider. */
function blocks(
  stack: StackJson | undefined,
  withSettings: boolean,
): Map<string, { type: string; body: Block }> {
  const out = new Map<string, { type: string; body: Block }>();
  if (!stack) return out;
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, { type, body });
  }
  if (!withSettings) return out;
  if (stack.terraform) out.set("terraform", { type: SETTINGS, body: stack.terraform });
  for (const [name, body] of Object.entries(stack.provider ?? {})) {
    out.set(`provider.${name}`, { type: SETTINGS, body: { [name]: body } as Block });
  }
  return out;
}

function constructPath(body: Block | undefined): string | undefined {
  const meta = (body?.["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
  return meta?.path;
}

/** Attributes whose `true` protects a resource from deletion, on any provider. */
const PROTECTION_KEYS = [
  "deletion_protection",
  "deletion_protection_enabled",
  "termination_protection",
];

/**
 * Range changes the provider carries out by replacing the resource (facts: the provider sources).
 * google_compute_subnetwork: a new ip_cidr_range that contains the old one is an in-place
 * expansion; anything else recreates the subnetwork (google 6.50.0
 * services/compute/resource_compute_subnetwork.go: ForceNewIfChange("ip_cidr_range",
 * IsShrinkageIpCidr) L122, IsShrinkageIpCidr L41-57). aws_subnet: cidr_block is ForceNew
 * (aws 6.25.0 internal/service/ec2/vpc_subnet.go).
 */
function rangeReplaces(type: string, path: string, before: Json, after: Json): string | undefined {
  if (typeof before !== "string" || typeof after !== "string") return undefined;
  if (type === "google_compute_subnetwork" && path === "ip_cidr_range") {
    const o = parseCidr(before);
    const n = parseCidr(after);
    if (o && n && cidrContains(n, o)) return undefined;
    return `the new range ${after} does not contain ${before}: the provider recreates the subnetwork`;
  }
  if (type === "aws_subnet" && path === "cidr_block") {
    return `cidr_block forces a new subnet (${before} → ${after})`;
  }
  return undefined;
}

/** Dangers in a stack's terraform block: the backend moved, state or plan encryption off. */
function settingsDangers(before: Block, after: Block): string[] {
  const out: string[] = [];
  const backend = (b: Block) => (isObject(b.backend) ? b.backend : {});
  const [oldType] = Object.keys(backend(before));
  const [newType] = Object.keys(backend(after));
  const where = (t: string | undefined, b: Block) => {
    const conf = t ? (backend(b)[t] as Block) : undefined;
    return `${t ?? "none"}${conf?.bucket ? ` bucket ${String(conf.bucket)}` : ""}`;
  };
  if (oldType !== newType || where(oldType, before) !== where(newType, after)) {
    out.push(
      `backend moved (${where(oldType, before)} → ${where(newType, after)}): tofu starts from the new backend's state, empty unless the state is migrated first (tofu init -migrate-state)`,
    );
  }
  const enc = (b: Block) => (isObject(b.encryption) ? b.encryption : undefined);
  const on = (e: Block | undefined, target: "state" | "plan") => {
    const t = e?.[target];
    return (
      isObject(t) && typeof t.method === "string" && !t.method.startsWith("method.unencrypted")
    );
  };
  for (const target of ["state", "plan"] as const) {
    if (on(enc(before), target) && !on(enc(after), target)) {
      out.push(
        `${target} encryption turned off: ${target === "state" ? "state (with every secret in it)" : "plans"} would be written in clear text`,
      );
    } else if (
      on(enc(before), target) &&
      (enc(before)![target] as Block).enforced === true &&
      (enc(after)![target] as Block).enforced !== true
    ) {
      out.push(
        `${target} encryption no longer enforced: an unencrypted ${target} would be accepted`,
      );
    }
  }
  return out;
}

/** Dangers in a resource's change: protection turned off, prevent_destroy dropped. */
function protectionDangers(before: Block, after: Block): string[] {
  const out: string[] = [];
  const walk = (v: Json, path: Path, fn: (path: Path, value: Json) => void) => {
    fn(path, v);
    if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], fn);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], fn));
  };
  const at = (v: Json, path: Path): Json =>
    path.reduce<Json>(
      (n, k) => (isObject(n) || Array.isArray(n) ? (n as Block)[k as string] : undefined),
      v,
    );
  walk(before, [], (path, value) => {
    const key = path[path.length - 1];
    if (value !== true || typeof key !== "string") return;
    if (PROTECTION_KEYS.includes(key) && at(after, path) !== true) {
      out.push(`${formatPath(path)} turned off: the resource can be deleted`);
    }
    if (key === "prevent_destroy" && at(after, path) !== true) {
      out.push("lifecycle.prevent_destroy dropped: a plan may destroy or replace it");
    }
  });
  return out;
}

/**
 * Charts whose CRDs Helm installs once and never upgrades (facts/charts.json crdLifecycle), each
 * with the docs section of its upgrade procedure.
 */
const CRDS_NOT_UPGRADED: ReadonlyMap<string, string> = new Map(
  (
    CHART_FACTS.charts as ReadonlyArray<{
      name: string;
      crdLifecycle?: { upgradedByHelm: boolean; upgradeDoc?: string };
    }>
  )
    .filter((c) => c.crdLifecycle?.upgradedByHelm === false)
    .map((c) => [c.name, c.crdLifecycle?.upgradeDoc ?? 'docs/edge.md, "Upgrading Envoy Gateway"']),
);

/** A new version of a chart whose CRDs Helm does not upgrade: they must be applied first. */
function crdDangers(before: Block, after: Block): string[] {
  const chart = after.chart;
  const doc = typeof chart === "string" ? CRDS_NOT_UPGRADED.get(chart) : undefined;
  if (doc === undefined) return [];
  if (before.version === after.version) return [];
  return [
    `${chart} ${String(before.version)} → ${String(after.version)}: Helm does not upgrade the CRDs this chart carries; apply the new version's CRDs first (${doc}), or its new fields are dropped`,
  ];
}

/** The charts of charts/ an application runs (its release is the app). */
const APP_CHART_ASSETS = ["./assets/ServiceChart/"];

/**
 * An application's release removed: tofu runs `helm uninstall`, so the app goes away, also when it
 * moved to Argo CD (docs/gitops.md: `tofu state rm` it first, so Argo CD takes the objects over).
 */
function appRemovalDanger(before: Block): string | undefined {
  const chart = before.chart;
  if (typeof chart !== "string" || !APP_CHART_ASSETS.some((p) => chart.startsWith(p))) return;
  return `application ${String(before.name)} uninstalled (helm uninstall removes its Deployment, Service and routes); if it moved to Argo CD, run tofu state rm on this address first so Argo CD adopts the running objects (docs/gitops.md)`;
}

/**
 * A data release (or one kept by a moved block) whose chart changed: the same release name runs
 * another chart, whose workloads and volumes are new ones (docs/data-services.md: a cutover).
 */
function chartSwapDangers(before: Block, after: Block, stateful: boolean): string[] {
  const name = (b: Block) =>
    typeof b.chart === "string" && b.chart.startsWith("./")
      ? "a chart of charts/"
      : String(b.chart);
  if (!stateful || before.chart === after.chart) return [];
  return [
    `chart ${name(before)} → ${name(after)} under the same release: Helm replaces the workloads and the new chart starts on new volumes; move the data first (docs/data-services.md)`,
  ];
}

/** Compares one stack's two versions (either may be missing). */
function reviewStack(
  name: string,
  before: StackJson | undefined,
  after: StackJson | undefined,
  env: string,
  tier: Tier,
  dangers: Danger[],
): StackReview {
  const prod = tier === "prod";
  const vars = sensitiveVariables(before, after);
  // Settings (terraform block, providers) are compared only when the stack exists on both sides.
  const withSettings = before !== undefined && after !== undefined;
  const a = blocks(before, withSettings);
  const b = blocks(after, withSettings);
  const resources: ResourceChange[] = [];
  const danger = (address: string, reason: string) =>
    dangers.push({ stack: name, environment: env, tier, prod, address, reason });

  // Renames: the moved blocks the new stack carries, and those it should carry.
  const declared = new Map(
    ((after as { moved?: Array<{ from: string; to: string }> } | undefined)?.moved ?? []).map(
      (m) => [m.from, m.to],
    ),
  );
  const detected = before && after ? findMoves(before as never, after as never) : [];
  const moves = new Map<string, { to: string; declared: boolean }>();
  for (const [from, to] of declared)
    if (a.has(from) && !b.has(from) && b.has(to) && !a.has(to))
      moves.set(from, { to, declared: true });
  for (const m of detected)
    if (!moves.has(m.from))
      moves.set(m.from, { to: m.to, declared: declared.get(m.from) === m.to });
  const movedTo = new Map([...moves].map(([from, m]) => [m.to, from]));

  const changesOf = (
    type: string,
    oldBody: Block | undefined,
    newBody: Block | undefined,
    kind: ChangeKind,
  ) => {
    const leaves: Array<[Path, Json, Json]> = [];
    diffValues(oldBody, newBody, [], leaves);
    const rule =
      (oldBody && statefulRule(type, oldBody)) ?? (newBody && statefulRule(type, newBody));
    const ranges: string[] = [];
    const changes = leaves.map(([path, x, y]): AttributeChange => {
      const range =
        kind === "change" || kind === "move"
          ? rangeReplaces(type, formatPath(path), x, y)
          : undefined;
      if (range) ranges.push(range);
      const forces =
        kind !== "add" && kind !== "remove"
          ? ((rule ? forceNewPath(rule, path) : undefined) ??
            (range ? formatPath(path) : undefined))
          : undefined;
      return {
        path: formatPath(path),
        before: render(path, x, vars),
        after: render(path, y, vars),
        ...(forces ? { forcesReplacement: forces } : {}),
      };
    });
    return { leaves, rule, changes, ranges };
  };

  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (moves.has(address)) continue; // reported at its new address
    const old = a.get(address) ?? (movedTo.has(address) ? a.get(movedTo.get(address)!) : undefined);
    const now = b.get(address);
    const from = movedTo.get(address);
    const type = (old ?? now)!.type;
    const oldBody = old && (stripMeta(old.body) as Block);
    const newBody = now && (stripMeta(now.body) as Block);
    const kind: ChangeKind = from ? "move" : !old ? "add" : !now ? "remove" : "change";
    const { leaves, rule, changes, ranges } = changesOf(type, oldBody, newBody, kind);
    if (leaves.length === 0 && kind !== "move") continue;
    const move = from ? moves.get(from)! : undefined;
    resources.push({
      address,
      type,
      kind,
      ...(from ? { movedFrom: from, movedBlock: move!.declared } : {}),
      constructPath: constructPath(old?.body ?? now?.body),
      changes: kind === "change" || kind === "move" ? changes : [],
    });
    if (type === SETTINGS && oldBody && newBody && address === "terraform") {
      for (const reason of settingsDangers(oldBody, newBody)) danger(address, reason);
      continue;
    }
    if (oldBody && newBody) {
      for (const reason of protectionDangers(oldBody, newBody)) danger(address, reason);
      if (type === "helm_release") {
        for (const reason of crdDangers(oldBody, newBody)) danger(address, reason);
        for (const reason of chartSwapDangers(oldBody, newBody, rule !== undefined))
          danger(address, reason);
      }
    }
    if (type === "helm_release" && oldBody && !newBody && kind === "remove") {
      const reason = appRemovalDanger(oldBody);
      if (reason) danger(address, reason);
    }
    for (const why of ranges) danger(address, `replaced: ${why}`);
    const consequence = rule?.consequence ?? "its data is lost";
    if (from && !move!.declared && rule) {
      danger(
        address,
        `renamed from ${from} without a moved block: tofu would destroy the ${rule.what} and create it again; ${consequence}. Synthesize with STRATA_BASE=<the applied cdktf.out> to move it instead`,
      );
    }
    if (!rule) continue;
    if (kind === "remove") {
      const how = after ? "removed" : "stack removed";
      danger(address, `${how}: ${rule.what} destroyed; ${consequence}`);
    } else if (kind === "change" || kind === "move") {
      const forced = [...new Set(changes.flatMap((c) => c.forcesReplacement ?? []))];
      if (forced.length > 0) {
        danger(
          address,
          `replaced: ${rule.what} destroyed and recreated (${forced.join(", ")} forces it); ${consequence}`,
        );
      }
    }
  }
  const status = !before
    ? "added"
    : !after
      ? "removed"
      : resources.length
        ? "changed"
        : "unchanged";
  return { name, environment: env, tier, prod, status, resources };
}

/** The tier a stack was synthesized with (its `//.strata.tier` comment), when it records one. */
function stackTier(stack: StackJson | undefined): Tier | undefined {
  const tier = (stack?.["//"] as { strata?: { tier?: string } } | undefined)?.strata?.tier;
  const parsed = Tier.safeParse(tier);
  return parsed.success ? parsed.data : undefined;
}

/** Reviews every stack of two cdktf.out folders. */
export function reviewOutputs(before: CdktfOut, after: CdktfOut, options: ReviewOptions): Review {
  const prodSet = new Set(options.prodEnvironments);
  const stagingSet = new Set(options.stagingEnvironments ?? []);
  const tierOf = (env: string): Tier =>
    prodSet.has(env) ? "prod" : stagingSet.has(env) ? "staging" : "dev";
  const known = options.knownEnvironments ?? [
    ...options.prodEnvironments,
    ...(options.stagingEnvironments ?? []),
  ];
  const names = [...new Set([...before.stacks.keys(), ...after.stacks.keys()])].sort();
  const dangers: Danger[] = [];
  const stacks = names.map((name) => {
    const env = stackParts(name, known).env;
    const old = before.stacks.has(name) ? readStack(before, name) : undefined;
    const now = after.stacks.has(name) ? readStack(after, name) : undefined;
    // A stack records the tier it was synthesized with: gate on the higher of the registry's and
    // the base's, so a file that lowers the tier does not lower the bar for its own change.
    const tiers = [tierOf(env), stackTier(old), stackTier(now)].filter((t): t is Tier => !!t);
    const tier = tiers.reduce((a, b) => (tierRank(b) > tierRank(a) ? b : a));
    const review = reviewStack(name, old, now, env, tier, dangers);
    const was = stackTier(old);
    const is = stackTier(now);
    if (was && is && tierRank(is) < tierRank(was)) {
      dangers.push({
        stack: name,
        environment: env,
        tier,
        prod: tier === "prod",
        address: "terraform",
        reason: `tier downgrade (${was} → ${is}): the protections of the ${was} tier (deletion protection, prevent_destroy, state encryption, HA) no longer apply`,
      });
    }
    return review;
  });
  // Prod first, then staging, then by stack and address: what blocks the change comes first.
  dangers.sort((x, y) => tierRank(y.tier) - tierRank(x.tier));
  const count = (k: ChangeKind) =>
    stacks.reduce(
      (n, s) => n + s.resources.filter((r) => r.kind === k && r.type !== SETTINGS).length,
      0,
    );
  const countStacks = (st: StackReview["status"]) => stacks.filter((s) => s.status === st).length;
  return {
    before: options.beforeLabel ?? before.dir,
    after: options.afterLabel ?? after.dir,
    prodEnvironments: [...options.prodEnvironments],
    dangers,
    stacks,
    summary: {
      add: count("add"),
      remove: count("remove"),
      change: count("change"),
      move: count("move"),
      stacksAdded: countStacks("added"),
      stacksRemoved: countStacks("removed"),
      stacksChanged: countStacks("changed"),
      stacksUnchanged: countStacks("unchanged"),
    },
    exitCode: dangers.some((d) => d.tier !== "dev") ? 2 : 0,
  };
}

const SYMBOL: Record<ChangeKind, string> = { add: "+", remove: "-", change: "~", move: ">" };

function summaryLine(r: Review): string {
  const s = r.summary;
  return (
    `${s.add} to add, ${s.change} to change, ${s.move} to move, ${s.remove} to remove; stacks: ` +
    `${s.stacksAdded} added, ${s.stacksRemoved} removed, ${s.stacksChanged} changed, ${s.stacksUnchanged} unchanged`
  );
}

function dangerHeadline(r: Review): string {
  const gated = r.dangers.filter((d) => d.tier !== "dev").length;
  return `${r.dangers.length} dangerous change${r.dangers.length === 1 ? "" : "s"}${gated ? ` (${gated} in staging/prod: needs explicit approval)` : ""}`;
}

/** How a moved resource is labelled: its old address, and whether tofu will move it. */
function movedNote(res: ResourceChange): string {
  if (!res.movedFrom) return "";
  return res.movedBlock
    ? ` (moved from ${res.movedFrom})`
    : ` (renamed from ${res.movedFrom}, no moved block: tofu would replace it)`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

function arrow(c: AttributeChange): string {
  return `${c.before ?? "(absent)"} → ${c.after ?? "(absent)"}`;
}

/** Terminal rendering: dangers first, then one table per stack that changes. */
export function renderText(r: Review): string {
  const lines = [`Strata review: ${r.before} → ${r.after}`, summaryLine(r), ""];
  if (r.dangers.length > 0) {
    lines.push(`!! ${dangerHeadline(r)}`);
    lines.push(
      ...table(
        r.dangers.map((d) => [
          `  ${d.tier === "dev" ? d.environment : d.tier.toUpperCase()}`,
          d.stack,
          d.address,
          d.reason,
        ]),
      ),
      "",
    );
  }
  for (const s of r.stacks.filter((x) => x.status !== "unchanged")) {
    const counts = (["add", "change", "move", "remove"] as const)
      .map((k) => `${SYMBOL[k]}${s.resources.filter((x) => x.kind === k).length}`)
      .join(" ");
    lines.push(`${s.name}${s.prod ? " [prod]" : ""}: stack ${s.status}, ${counts}`);
    const rows: string[][] = [];
    for (const res of s.resources) {
      const label = res.address + movedNote(res);
      if (res.changes.length === 0) rows.push([`  ${SYMBOL[res.kind]}`, label, "", ""]);
      res.changes.forEach((c, i) =>
        rows.push([
          i === 0 ? `  ${SYMBOL[res.kind]}` : "",
          i === 0 ? label : "",
          c.path + (c.forcesReplacement ? " (forces replacement)" : ""),
          arrow(c),
        ]),
      );
    }
    if (rows.length > 0) lines.push(...table(rows));
    lines.push("");
  }
  if (r.stacks.every((s) => s.status === "unchanged")) lines.push("No changes.", "");
  return lines.join("\n");
}

function md(text: string): string {
  return "`" + text.replace(/\|/g, "\\|").replace(/`/g, "'") + "`";
}

/** Markdown rendering for a pull-request comment. */
export function renderMarkdown(r: Review): string {
  const lines = [
    "## Strata review",
    "",
    `\`${r.before}\` → \`${r.after}\`: ${summaryLine(r)}.`,
    "",
  ];
  if (r.dangers.length > 0) {
    lines.push(`### :warning: ${dangerHeadline(r)}`, "", "| env | stack | resource | what |");
    lines.push("| --- | --- | --- | --- |");
    for (const d of r.dangers) {
      lines.push(
        `| ${d.tier === "dev" ? d.environment : `**${d.environment} (${d.tier})**`} | ${d.stack} | ${md(d.address)} | ${d.reason} |`,
      );
    }
    lines.push("");
  }
  for (const s of r.stacks.filter((x) => x.status !== "unchanged")) {
    lines.push(`### ${s.name}${s.prod ? " (prod)" : ""}: ${s.status}`, "");
    if (s.resources.length === 0) continue;
    lines.push("| | resource | attribute | before → after |", "| --- | --- | --- | --- |");
    for (const res of s.resources) {
      const label = md(res.address) + movedNote(res);
      if (res.changes.length === 0) lines.push(`| ${SYMBOL[res.kind]} | ${label} | | |`);
      for (const c of res.changes) {
        const forced = c.forcesReplacement ? " **forces replacement**" : "";
        lines.push(
          `| ${SYMBOL[res.kind]} | ${label} | ${md(c.path)}${forced} | ${md(c.before ?? "(absent)")} → ${md(c.after ?? "(absent)")} |`,
        );
      }
    }
    lines.push("");
  }
  if (r.stacks.every((s) => s.status === "unchanged")) lines.push("No changes.", "");
  return lines.join("\n");
}

/** JSON rendering for tools. */
export function renderJson(r: Review): string {
  return JSON.stringify(r, null, 2) + "\n";
}
