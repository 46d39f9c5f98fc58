/**
 * The offline change review: compares two synthesized cdktf.out folders stack by stack and
 * resource by resource, masks sensitive values, and puts dangerous changes (removal or
 * replacement of a stateful resource) first. Rendering: terminal table, Markdown, JSON.
 */
import { isSecretKey, secretValueKind } from "../../modules/common/secrets";
import { forceNewPath, statefulRule } from "../../modules/common/stateful-resources";
import { readStack, stackParts, type CdktfOut, type StackJson } from "./cdktf-out";

/** What happens to a resource (or to a stack's settings). */
export type ChangeKind = "add" | "remove" | "change";

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
  /** The construct path from cdktf metadata, when present. */
  readonly constructPath?: string;
  readonly changes: readonly AttributeChange[];
}

/** A change that loses data: removal or replacement of a stateful resource. */
export interface Danger {
  readonly stack: string;
  readonly environment: string;
  readonly prod: boolean;
  readonly address: string;
  readonly reason: string;
}

/** What happens to one stack. */
export interface StackReview {
  readonly name: string;
  readonly environment: string;
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
    readonly stacksAdded: number;
    readonly stacksRemoved: number;
    readonly stacksChanged: number;
    readonly stacksUnchanged: number;
  };
  /** 0: nothing dangerous in prod; 2: a dangerous change in a prod-tier stack. */
  readonly exitCode: 0 | 2;
}

/** Options of {@link reviewOutputs}. */
export interface ReviewOptions {
  /** Environments whose dangerous changes make the exit code 2 (the registry's prod tier). */
  readonly prodEnvironments: readonly string[];
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
const MAX_VALUE = 120;

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

/** Leaf-level differences between two values: paths where they differ. */
function diffValues(a: Json, b: Json, path: Path, out: Array<[Path, Json, Json]>): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValues(a[k], b[k], [...path, k], out);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      diffValues(a[i], b[i], [...path, i], out);
  } else if (!sameValue(a, b)) {
    out.push([path, a, b]);
  }
}

/** `a.b[0].c` */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
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
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
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

/** Compares one stack's two versions (either may be missing). */
function reviewStack(
  name: string,
  before: StackJson | undefined,
  after: StackJson | undefined,
  env: string,
  prod: boolean,
  dangers: Danger[],
): StackReview {
  const vars = sensitiveVariables(before, after);
  // Settings (terraform block, providers) are compared only when the stack exists on both sides.
  const withSettings = before !== undefined && after !== undefined;
  const a = blocks(before, withSettings);
  const b = blocks(after, withSettings);
  const resources: ResourceChange[] = [];
  const danger = (address: string, reason: string) =>
    dangers.push({ stack: name, environment: env, prod, address, reason });

  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const old = a.get(address);
    const now = b.get(address);
    const type = (old ?? now)!.type;
    const oldBody = old && (stripMeta(old.body) as Block);
    const newBody = now && (stripMeta(now.body) as Block);
    const kind: ChangeKind = !old ? "add" : !now ? "remove" : "change";
    const leaves: Array<[Path, Json, Json]> = [];
    diffValues(oldBody, newBody, [], leaves);
    if (leaves.length === 0) continue;
    const rule =
      (oldBody && statefulRule(type, oldBody)) ?? (newBody && statefulRule(type, newBody));
    const changes = leaves.map(([path, x, y]): AttributeChange => {
      const forces = kind === "change" && rule ? forceNewPath(rule, path) : undefined;
      return {
        path: formatPath(path),
        before: render(path, x, vars),
        after: render(path, y, vars),
        ...(forces ? { forcesReplacement: forces } : {}),
      };
    });
    resources.push({
      address,
      type,
      kind,
      constructPath: constructPath(old?.body ?? now?.body),
      changes: kind === "change" ? changes : [],
    });
    if (!rule) continue;
    const consequence = rule.consequence ?? "its data is lost";
    if (kind === "remove") {
      const how = after ? "removed" : "stack removed";
      danger(address, `${how}: ${rule.what} destroyed; ${consequence}`);
    } else if (kind === "change") {
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
  return { name, environment: env, prod, status, resources };
}

/** Reviews every stack of two cdktf.out folders. */
export function reviewOutputs(before: CdktfOut, after: CdktfOut, options: ReviewOptions): Review {
  const prodSet = new Set(options.prodEnvironments);
  const known = options.knownEnvironments ?? options.prodEnvironments;
  const names = [...new Set([...before.stacks.keys(), ...after.stacks.keys()])].sort();
  const dangers: Danger[] = [];
  const stacks = names.map((name) => {
    const env = stackParts(name, known).env;
    return reviewStack(
      name,
      before.stacks.has(name) ? readStack(before, name) : undefined,
      after.stacks.has(name) ? readStack(after, name) : undefined,
      env,
      prodSet.has(env),
      dangers,
    );
  });
  // Prod first, then by stack and address: the reader sees what blocks the change first.
  dangers.sort((x, y) => Number(y.prod) - Number(x.prod));
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
      stacksAdded: countStacks("added"),
      stacksRemoved: countStacks("removed"),
      stacksChanged: countStacks("changed"),
      stacksUnchanged: countStacks("unchanged"),
    },
    exitCode: dangers.some((d) => d.prod) ? 2 : 0,
  };
}

const SYMBOL: Record<ChangeKind, string> = { add: "+", remove: "-", change: "~" };

function summaryLine(r: Review): string {
  const s = r.summary;
  return (
    `${s.add} to add, ${s.change} to change, ${s.remove} to remove; stacks: ` +
    `${s.stacksAdded} added, ${s.stacksRemoved} removed, ${s.stacksChanged} changed, ${s.stacksUnchanged} unchanged`
  );
}

function dangerHeadline(r: Review): string {
  const prod = r.dangers.filter((d) => d.prod).length;
  return `${r.dangers.length} dangerous change${r.dangers.length === 1 ? "" : "s"}${prod ? ` (${prod} in prod: needs explicit approval)` : ""}`;
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
          `  ${d.prod ? "PROD" : d.environment}`,
          d.stack,
          d.address,
          d.reason,
        ]),
      ),
      "",
    );
  }
  for (const s of r.stacks.filter((x) => x.status !== "unchanged")) {
    const counts = (["add", "change", "remove"] as const)
      .map((k) => `${SYMBOL[k]}${s.resources.filter((x) => x.kind === k).length}`)
      .join(" ");
    lines.push(`${s.name}${s.prod ? " [prod]" : ""}: stack ${s.status}, ${counts}`);
    const rows: string[][] = [];
    for (const res of s.resources) {
      if (res.changes.length === 0) rows.push([`  ${SYMBOL[res.kind]}`, res.address, "", ""]);
      res.changes.forEach((c, i) =>
        rows.push([
          i === 0 ? `  ${SYMBOL[res.kind]}` : "",
          i === 0 ? res.address : "",
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
        `| ${d.prod ? `**${d.environment} (prod)**` : d.environment} | ${d.stack} | ${md(d.address)} | ${d.reason} |`,
      );
    }
    lines.push("");
  }
  for (const s of r.stacks.filter((x) => x.status !== "unchanged")) {
    lines.push(`### ${s.name}${s.prod ? " (prod)" : ""}: ${s.status}`, "");
    if (s.resources.length === 0) continue;
    lines.push("| | resource | attribute | before → after |", "| --- | --- | --- | --- |");
    for (const res of s.resources) {
      if (res.changes.length === 0) lines.push(`| ${SYMBOL[res.kind]} | ${md(res.address)} | | |`);
      for (const c of res.changes) {
        const forced = c.forcesReplacement ? " **forces replacement**" : "";
        lines.push(
          `| ${SYMBOL[res.kind]} | ${md(res.address)} | ${md(c.path)}${forced} | ${md(c.before ?? "(absent)")} → ${md(c.after ?? "(absent)")} |`,
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
