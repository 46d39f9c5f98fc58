/**
 * Checks synthesized Terraform JSON against the argument rules of the pinned providers, recorded
 * with citations in facts/providers/<provider>.json (ConflictsWith, ExactlyOneOf, AtLeastOneOf,
 * RequiredWith, Required, MaxItems/MinItems and simple value constraints, read from each
 * provider's Go source at the pinned tag).
 *
 * Semantics:
 * - Attribute paths are dotted; a path through a nested block visits every block (cdktf writes a
 *   block as an object or as an array of objects; both are read).
 * - An attribute is set when it is present and neither null nor an empty array (`[]` is zero
 *   nested blocks in Terraform JSON). A Terraform expression ("${...}") counts as set, with an
 *   unknown value: value checks (oneOf, between, length, item counts) skip it.
 * - A rule over several attributes is checked in each block that holds them all (the deepest
 *   common parent), so a rule inside an absent optional block does not apply, as in the provider.
 * - A type in the output with no facts entry is itself a violation, and so is a stack that pins a
 *   provider at another version than its facts were read at.
 */
import fs from "node:fs";
import path from "node:path";

/** Where the facts live, relative to the repository root. */
export const FACTS_DIR = path.join(__dirname, "..", "..", "facts", "providers");

interface RuleBase {
  /** Where the rule is declared: the provider's file at the pinned tag (with a line anchor when known). */
  readonly source: string;
  /** The Go symbol declaring it, when the source has no line anchor. */
  readonly symbol?: string;
  readonly note?: string;
}

/** One provider rule over a type's arguments. */
export type Rule = RuleBase &
  (
    | { readonly kind: "required"; readonly attribute: string }
    | {
        readonly kind: "conflictsWith" | "requiredWith";
        readonly attribute: string;
        readonly with: readonly string[];
      }
    | { readonly kind: "exactlyOneOf" | "atLeastOneOf"; readonly attributes: readonly string[] }
    | { readonly kind: "maxItems" | "minItems"; readonly attribute: string; readonly value: number }
    | {
        readonly kind: "oneOf";
        readonly attribute: string;
        readonly values: readonly (string | number)[];
        readonly caseInsensitive?: boolean;
      }
    | {
        readonly kind: "between" | "length";
        readonly attribute: string;
        readonly min?: number;
        readonly max?: number;
      }
    | { readonly kind: "atLeastSumOf"; readonly attribute: string; readonly of: readonly string[] }
    | {
        readonly kind: "atLeastOneTrue";
        readonly attribute: string;
        readonly others: readonly string[];
      }
  );

export type RuleKind = Rule["kind"];

export const RULE_KINDS: readonly RuleKind[] = [
  "required",
  "conflictsWith",
  "requiredWith",
  "exactlyOneOf",
  "atLeastOneOf",
  "maxItems",
  "minItems",
  "oneOf",
  "between",
  "length",
  "atLeastSumOf",
  "atLeastOneTrue",
];

/** The rules of one resource or data source type. */
export interface TypeFacts {
  readonly kind: "resource" | "data";
  /** The file at the pinned tag where the type's schema is defined. */
  readonly source: string;
  readonly symbol?: string;
  readonly notes?: readonly string[];
  readonly rules: readonly Rule[];
}

/** facts/providers/<name>.json: one provider's rules, keyed by type ("data." for data sources). */
export interface ProviderFacts {
  /** Registry source, e.g. "hashicorp/aws". */
  readonly provider: string;
  /** The pinned version the rules were read at. */
  readonly version: string;
  readonly repository: string;
  readonly tag: string;
  /** How and at which revision the source was read. */
  readonly readAt: string;
  readonly notes?: readonly string[];
  readonly types: Readonly<Record<string, TypeFacts>>;
}

/** A provider's facts and the file they came from. */
export interface FactsFile {
  readonly file: string;
  readonly facts: ProviderFacts;
}

/** The parts of a stack's Terraform JSON the checker reads. */
export interface TerraformJson {
  readonly terraform?: {
    readonly required_providers?: Readonly<Record<string, { source?: string; version?: string }>>;
  };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One broken rule in one stack. */
export interface Violation {
  readonly stack: string;
  /** Terraform address, e.g. "data.digitalocean_vpc.Vpc". */
  readonly address: string;
  readonly rule: RuleKind | "unknownType" | "providerVersion";
  /** The attributes the rule is about (dotted paths; blocks indexed where there are several). */
  readonly attributes: readonly string[];
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The rule's citation (empty for a type with no facts). */
  readonly source: string;
  /** The Go symbol declaring the rule, when the citation has no line anchor. */
  readonly symbol?: string;
}

/** Reads every facts/providers/*.json. */
export function loadProviderFacts(dir: string = FACTS_DIR): FactsFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({
      file: path.join(dir, f),
      facts: JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ProviderFacts,
    }));
}

// ---------------------------------------------------------------------------------------------
// Reading values

type Json = unknown;

const isToken = (v: Json): boolean => typeof v === "string" && v.includes("${");

/** Set: present, not null, not an empty array (zero nested blocks). */
const isSet = (v: Json): boolean =>
  v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A block's instances: an object, or the objects of an array; nothing for tokens or scalars. */
function blocks(v: Json, label: string): Array<{ body: Record<string, Json>; label: string }> {
  if (isObject(v)) return [{ body: v, label }];
  if (Array.isArray(v))
    return v.flatMap((x, i) => (isObject(x) ? [{ body: x, label: `${label}[${i}]` }] : []));
  return [];
}

interface Instance {
  readonly body: Record<string, Json>;
  /** Dotted path of this block from the resource ("" for the resource itself). */
  readonly label: string;
}

/** Every block at a dotted path below a body ("" is the body itself). */
function instancesAt(root: Instance, scope: readonly string[]): Instance[] {
  let current: Instance[] = [root];
  for (const seg of scope)
    current = current.flatMap((inst) =>
      blocks(inst.body[seg], inst.label ? `${inst.label}.${seg}` : seg),
    );
  return current;
}

/** Whether a relative path is set anywhere below a block (through every nested block). */
function setBelow(body: Record<string, Json>, rel: readonly string[]): boolean {
  const [head, ...rest] = rel;
  const v = body[head];
  if (rest.length === 0) return isSet(v);
  if (isToken(v)) return true; // a whole block given as an expression: set, contents unknown
  return blocks(v, head).some((b) => setBelow(b.body, rest));
}

const split = (p: string): string[] => p.split(".");

/** The deepest common parent of several dotted paths. */
function commonScope(paths: readonly string[]): string[] {
  const parts = paths.map((p) => split(p).slice(0, -1));
  const scope: string[] = [];
  for (let i = 0; ; i++) {
    const seg = parts[0][i];
    if (seg === undefined || parts.some((p) => p[i] !== seg)) return scope;
    scope.push(seg);
  }
}

const rel = (p: string, scope: readonly string[]): string[] => split(p).slice(scope.length);
const where = (inst: Instance): string => (inst.label ? ` (in ${inst.label})` : "");
const at = (inst: Instance, attr: readonly string[]): string =>
  inst.label ? `${inst.label}.${attr.join(".")}` : attr.join(".");
const list = (xs: readonly string[]): string => xs.join(", ");

/** Known scalar values at a path below a block (tokens and nulls skipped, list items spread). */
function knownValues(inst: Instance, relPath: readonly string[]): Json[] {
  const scope = relPath.slice(0, -1);
  const leaf = relPath[relPath.length - 1];
  return instancesAt(inst, scope).flatMap((b) => {
    const v = b.body[leaf];
    const items = Array.isArray(v) ? v : [v];
    return items.filter((x) => x !== undefined && x !== null && !isToken(x));
  });
}

const show = (v: Json): string => JSON.stringify(v);

// ---------------------------------------------------------------------------------------------
// Checking

interface Found {
  readonly rule: RuleKind;
  readonly attributes: readonly string[];
  readonly message: string;
}

function checkRule(resource: Instance, rule: Rule, what: string): Found[] {
  const out: Found[] = [];
  const add = (attributes: string[], message: string) =>
    out.push({ rule: rule.kind, attributes, message: `${what}: ${message}` });

  switch (rule.kind) {
    case "required": {
      const scope = split(rule.attribute).slice(0, -1);
      const leaf = split(rule.attribute).slice(-1);
      for (const inst of instancesAt(resource, scope))
        if (!setBelow(inst.body, leaf))
          add([at(inst, leaf)], `${at(inst, leaf)} is required: set it`);
      break;
    }
    case "conflictsWith":
    case "requiredWith":
      for (const other of rule.with) {
        const scope = commonScope([rule.attribute, other]);
        for (const inst of instancesAt(resource, scope)) {
          const a = rel(rule.attribute, scope);
          const b = rel(other, scope);
          if (!setBelow(inst.body, a)) continue;
          if (rule.kind === "conflictsWith" && setBelow(inst.body, b))
            add(
              [at(inst, a), at(inst, b)],
              `${at(inst, a)} conflicts with ${at(inst, b)}: set only one of them`,
            );
          if (rule.kind === "requiredWith" && !setBelow(inst.body, b))
            add(
              [at(inst, a), at(inst, b)],
              `${at(inst, a)} requires ${at(inst, b)}: set ${at(inst, b)} as well, or remove ${at(inst, a)}`,
            );
        }
      }
      break;
    case "exactlyOneOf":
    case "atLeastOneOf": {
      const scope = commonScope(rule.attributes);
      for (const inst of instancesAt(resource, scope)) {
        const names = rule.attributes.map((p) => at(inst, rel(p, scope)));
        const set = rule.attributes
          .filter((p) => setBelow(inst.body, rel(p, scope)))
          .map((p) => at(inst, rel(p, scope)));
        if (set.length === 0)
          add(
            names,
            `${rule.kind === "exactlyOneOf" ? "exactly" : "at least"} one of ${list(names)} must be set, none is${where(inst)}: set one of them`,
          );
        else if (rule.kind === "exactlyOneOf" && set.length > 1)
          add(
            set,
            `only one of ${list(names)} may be set, but ${list(set)} are: keep one and remove the others`,
          );
      }
      break;
    }
    case "maxItems":
    case "minItems": {
      const scope = split(rule.attribute).slice(0, -1);
      const leaf = split(rule.attribute).slice(-1)[0];
      for (const inst of instancesAt(resource, scope)) {
        const v = inst.body[leaf];
        if (!isSet(v) || isToken(v)) continue;
        const n = Array.isArray(v) ? v.length : 1;
        if (rule.kind === "maxItems" && n > rule.value)
          add(
            [at(inst, [leaf])],
            `${at(inst, [leaf])} takes at most ${rule.value} item(s), got ${n}: remove the extra ones`,
          );
        if (rule.kind === "minItems" && n < rule.value)
          add(
            [at(inst, [leaf])],
            `${at(inst, [leaf])} needs at least ${rule.value} item(s), got ${n}: add the missing ones`,
          );
      }
      break;
    }
    case "oneOf": {
      const norm = (v: Json) =>
        rule.caseInsensitive && typeof v === "string" ? v.toLowerCase() : v;
      const allowed = rule.values.map(norm);
      for (const v of knownValues(resource, split(rule.attribute))) {
        const x = typeof v === "string" && typeof rule.values[0] === "number" ? Number(v) : v;
        if (!allowed.includes(norm(x) as string | number))
          add(
            [rule.attribute],
            `${rule.attribute} = ${show(v)} is not one of ${rule.values.map(show).join(", ")}: use one of them`,
          );
      }
      break;
    }
    case "between":
    case "length": {
      const range = `${rule.min ?? "-∞"}..${rule.max ?? "∞"}`;
      for (const v of knownValues(resource, split(rule.attribute))) {
        const n =
          rule.kind === "length"
            ? typeof v === "string"
              ? [...v].length
              : NaN
            : typeof v === "number"
              ? v
              : Number(v);
        if (Number.isNaN(n)) continue;
        if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max))
          add(
            [rule.attribute],
            rule.kind === "length"
              ? `${rule.attribute} = ${show(v)} has ${n} characters, outside ${range}: shorten or lengthen it`
              : `${rule.attribute} = ${show(v)} is outside ${range}: use a value in range`,
          );
      }
      break;
    }
    case "atLeastSumOf": {
      const total = knownValues(resource, split(rule.attribute));
      if (total.length !== 1 || typeof total[0] !== "number") break;
      let sum = 0;
      for (const p of rule.of) {
        const v = resource.body[p];
        if (v === undefined || v === null) continue;
        if (typeof v !== "number") return out; // unknown: cannot tell
        sum += v;
      }
      if (total[0] < sum)
        add(
          [rule.attribute, ...rule.of],
          `${rule.attribute} = ${total[0]} is less than ${rule.of.join(" + ")} = ${sum}: raise ${rule.attribute} or lower the minimums`,
        );
      break;
    }
    case "atLeastOneTrue": {
      if (resource.body[rule.attribute] !== false) break;
      if (rule.others.every((p) => resource.body[p] === false))
        add(
          [rule.attribute, ...rule.others],
          `${rule.attribute}, ${list(rule.others)} are all false: at least one must be true`,
        );
      break;
    }
  }
  return out;
}

/** The provider local name a type belongs to (its prefix), e.g. "aws" for aws_sqs_queue. */
const providerOf = (type: string): string => type.replace(/^data\./, "").split("_")[0];

/** Every violation of the recorded provider rules in one stack's Terraform JSON. */
export function checkProviderConstraints(
  stack: string,
  tf: TerraformJson,
  factsFiles: readonly FactsFile[],
): Violation[] {
  const byType = new Map<string, { facts: ProviderFacts; type: TypeFacts }>();
  for (const { facts } of factsFiles)
    for (const [name, type] of Object.entries(facts.types)) byType.set(name, { facts, type });

  const violations: Violation[] = [];
  const seen = new Set<string>();
  const push = (v: Violation) => {
    const key = `${v.address}|${v.rule}|${[...v.attributes].sort().join(",")}|${v.message.includes(" conflicts with ") ? "" : v.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    violations.push(v);
  };

  const used = new Set<string>();
  for (const [section, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, instances] of Object.entries(tf[section] ?? {})) {
      const key = prefix + type;
      used.add(providerOf(type));
      const entry = byType.get(key);
      for (const [name, body] of Object.entries(instances)) {
        const address = `${key}.${name}`;
        if (!entry) {
          push({
            stack,
            address,
            rule: "unknownType",
            attributes: [],
            message: `no provider facts for ${key}: record its rules in facts/providers/${providerOf(type)}.json (read them from the provider's source at the pinned tag)`,
            source: "",
          });
          continue;
        }
        if (!isObject(body)) continue;
        const what = `${entry.facts.provider} ${entry.facts.version} ${key}`;
        for (const rule of entry.type.rules)
          for (const f of checkRule({ body, label: "" }, rule, what))
            push({
              stack,
              address,
              ...f,
              source: rule.source,
              ...(rule.symbol ? { symbol: rule.symbol } : {}),
            });
      }
    }
  }

  // Facts read at one version say nothing about another: a provider bump must re-read them.
  for (const [local, pin] of Object.entries(tf.terraform?.required_providers ?? {})) {
    if (!used.has(local)) continue;
    const source = (pin.source ?? "").replace(/^registry\.(terraform|opentofu)\.io\//, "");
    const f = factsFiles.find((x) => x.facts.provider === source);
    if (f && pin.version !== f.facts.version)
      push({
        stack,
        address: `terraform.required_providers.${local}`,
        rule: "providerVersion",
        attributes: [],
        message: `${source} is pinned at ${pin.version ?? "(no version)"} but ${path.basename(f.file)} records its rules at ${f.facts.version}: re-read the rules at the new tag and update the facts`,
        source: f.facts.repository,
      });
  }
  return violations;
}

/** One line per violation, for a report or a test failure. */
export function formatViolation(v: Violation): string {
  const cite = v.source ? ` (${v.source}${v.symbol ? `, ${v.symbol}` : ""})` : "";
  return `${v.stack} ${v.address} [${v.rule}] ${v.message}${cite}`;
}

// ---------------------------------------------------------------------------------------------
// Well-formedness of the facts themselves

const NEEDS: Record<RuleKind, readonly string[]> = {
  required: ["attribute"],
  conflictsWith: ["attribute", "with"],
  requiredWith: ["attribute", "with"],
  exactlyOneOf: ["attributes"],
  atLeastOneOf: ["attributes"],
  maxItems: ["attribute", "value"],
  minItems: ["attribute", "value"],
  oneOf: ["attribute", "values"],
  between: ["attribute"],
  length: ["attribute"],
  atLeastSumOf: ["attribute", "of"],
  atLeastOneTrue: ["attribute", "others"],
};

const PATH_RE = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/** Problems with one facts file (empty when it is well-formed). */
export function factsProblems({ file, facts }: FactsFile): string[] {
  const problems: string[] = [];
  const p = (msg: string) => problems.push(`${path.basename(file)}: ${msg}`);
  if (!/^[\w-]+\/[\w-]+$/.test(facts.provider ?? ""))
    p(`provider "${facts.provider}" is not ns/name`);
  if (!/^\d+\.\d+\.\d+$/.test(facts.version ?? "")) p(`version "${facts.version}" is not x.y.z`);
  const tag = `v${facts.version}`;
  if (facts.tag !== tag) p(`tag "${facts.tag}" is not ${tag}`);
  if (!/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(facts.repository ?? ""))
    p(`repository "${facts.repository}" is not a GitHub repository URL`);
  if (!facts.readAt) p("readAt (how the source was read) is missing");
  const atTag = (url: unknown) =>
    typeof url === "string" &&
    (url.startsWith(`${facts.repository}/blob/${tag}/`) ||
      url.startsWith(`${facts.repository}/tree/${tag}/`));
  if (!facts.types || Object.keys(facts.types).length === 0) p("no types");
  for (const [name, type] of Object.entries(facts.types ?? {})) {
    const kind = name.startsWith("data.") ? "data" : "resource";
    if (!/^(data\.)?[a-z0-9]+(_[a-z0-9]+)+$/.test(name)) p(`${name}: not a type name`);
    if (type.kind !== kind) p(`${name}: kind is "${type.kind}", expected "${kind}"`);
    if (!atTag(type.source)) p(`${name}: source "${type.source}" is not a file at ${tag}`);
    if (!Array.isArray(type.rules)) {
      p(`${name}: rules is not a list`);
      continue;
    }
    type.rules.forEach((rule, i) => {
      const r = rule as unknown as Record<string, unknown>;
      const where = `${name} rule ${i} (${String(r.kind)} ${String(r.attribute ?? r.attributes)})`;
      if (!RULE_KINDS.includes(r.kind as RuleKind)) {
        p(`${where}: unknown kind`);
        return;
      }
      for (const f of NEEDS[r.kind as RuleKind])
        if (r[f] === undefined) p(`${where}: ${f} missing`);
      if (!atTag(r.source)) p(`${where}: source "${String(r.source)}" is not a file at ${tag}`);
      if (r.source && !String(r.source).includes("#L") && !r.symbol)
        p(`${where}: cites no line (#L) and no symbol`);
      const paths = [
        r.attribute,
        ...((r.attributes as unknown[]) ?? []),
        ...((r.with as unknown[]) ?? []),
        ...((r.of as unknown[]) ?? []),
        ...((r.others as unknown[]) ?? []),
      ].filter((x) => x !== undefined);
      for (const x of paths) if (!PATH_RE.test(String(x))) p(`${where}: bad attribute path "${x}"`);
      if (
        (r.kind === "between" || r.kind === "length") &&
        r.min === undefined &&
        r.max === undefined
      )
        p(`${where}: neither min nor max`);
      if (r.kind === "oneOf" && (!Array.isArray(r.values) || r.values.length === 0))
        p(`${where}: no values`);
      if (
        (r.kind === "exactlyOneOf" || r.kind === "atLeastOneOf") &&
        (!Array.isArray(r.attributes) || r.attributes.length < 2)
      )
        p(`${where}: needs two or more attributes`);
    });
  }
  return problems;
}
