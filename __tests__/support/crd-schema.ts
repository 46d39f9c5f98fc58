/**
 * Checks a Kubernetes object against its CRD's openAPIV3Schema, read from a fixture of the pinned
 * CRD (`__tests__/fixtures/crds/`, written by scripts/fixtures/extract-crd.ts from the source at
 * its release tag), the way the API server's structural-schema validation would: types, required
 * fields, enums, patterns, lengths, item counts, ranges. A field the schema does not know is a
 * problem too: the API server would prune it silently, and the setting would be lost.
 *
 * Not evaluated: `x-kubernetes-validations` (CEL rules) and `format`; the count of CEL rules on
 * the path is kept so a test can name what was not checked.
 */
import fs from "node:fs";
import path from "node:path";

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  maxProperties?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
}

interface CrdFixture {
  source: { repository: string; tag: string; commit: string; path: string };
  group: string;
  kind: string;
  scope: "Namespaced" | "Cluster";
  versions: Record<string, Schema>;
}

const DIR = path.join(__dirname, "..", "fixtures", "crds");
let fixtures: CrdFixture[] | undefined;

/** Every CRD fixture. */
export function crdFixtures(): CrdFixture[] {
  fixtures ??= fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), "utf8")) as CrdFixture);
  return fixtures;
}

/** The fixture for an object's apiVersion and kind, or undefined when Strata has none. */
export function crdFor(apiVersion: string, kind: string): CrdFixture | undefined {
  const [group, version] = apiVersion.split("/");
  return crdFixtures().find((f) => f.group === group && f.kind === kind && version! in f.versions);
}

/**
 * Problems of one object against its CRD: `<kind>/<name> <path>: <what>`. An object whose kind
 * has no fixture is a problem (add the fixture).
 */
export function crdProblems<
  T extends {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
  },
>(object: T): string[] {
  const who = `${object.kind}/${object.metadata?.name ?? "?"}`;
  const crd = crdFor(object.apiVersion, object.kind);
  if (!crd) return [`${who}: no CRD fixture for ${object.apiVersion} ${object.kind}`];
  const problems: string[] = [];
  if (crd.scope === "Cluster" && object.metadata?.namespace) {
    problems.push(`${who}: ${object.kind} is cluster-scoped; it takes no namespace`);
  }
  const version = object.apiVersion.split("/")[1]!;
  const schema = crd.versions[version]!;
  // apiVersion, kind and metadata are the API server's, not the CRD's.
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object as Record<string, unknown>;
  const body: Schema = {
    ...schema,
    required: (schema.required ?? []).filter(
      (k) => !["apiVersion", "kind", "metadata"].includes(k),
    ),
    properties: Object.fromEntries(
      Object.entries(schema.properties ?? {}).filter(
        ([k]) => !["apiVersion", "kind", "metadata"].includes(k),
      ),
    ),
  };
  check(body, rest, "", (p, what) => problems.push(`${who} ${p || "."}: ${what}`));
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function check(
  schema: Schema,
  value: unknown,
  at: string,
  report: (path: string, what: string) => void,
): void {
  if (schema.anyOf || schema.oneOf) {
    const options = schema.anyOf ?? schema.oneOf!;
    const fits = options.some((o) => {
      let ok = true;
      check({ ...o, type: o.type ?? schema.type }, value, at, () => (ok = false));
      return ok;
    });
    if (!fits) report(at, `matches none of the schema's ${options.length} alternatives`);
  }
  for (const s of schema.allOf ?? []) check(s, value, at, report);
  const actual = typeOf(value);
  if (schema["x-kubernetes-int-or-string"]) {
    if (actual !== "integer" && actual !== "string")
      report(at, `must be an integer or a string, got ${actual}`);
  } else if (schema.type) {
    const fits = schema.type === actual || (schema.type === "number" && actual === "integer");
    if (!fits) {
      report(at, `must be ${schema.type}, got ${actual} (${JSON.stringify(value)})`);
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    report(at, `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) {
      report(at, `${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      report(at, `longer than ${schema.maxLength} characters`);
    }
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      report(at, `shorter than ${schema.minLength} characters`);
    }
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      report(at, `below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      report(at, `above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      report(at, `${value.length} items; at most ${schema.maxItems}`);
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      report(at, `${value.length} items; at least ${schema.minItems}`);
    }
    if (schema.items) value.forEach((v, i) => check(schema.items!, v, `${at}[${i}]`, report));
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) report(at, `required field ${key} is missing`);
    }
    if (schema.maxProperties !== undefined && Object.keys(obj).length > schema.maxProperties) {
      report(at, `more than ${schema.maxProperties} properties`);
    }
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      const where = `${at}.${key}`;
      if (sub) check(sub, v, where, report);
      else if (typeof schema.additionalProperties === "object") {
        check(schema.additionalProperties, v, where, report);
      } else if (
        !schema["x-kubernetes-preserve-unknown-fields"] &&
        !schema["x-kubernetes-embedded-resource"] &&
        schema.additionalProperties !== true &&
        (schema.properties || schema.type === "object")
      ) {
        report(where, "unknown field (the API server would drop it)");
      }
    }
  }
}
