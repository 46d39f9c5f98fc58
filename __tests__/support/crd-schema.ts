/**
 * Validates a Kubernetes object against a CRD's openAPIV3Schema (the structural subset CRDs use):
 * types, required fields, enums, patterns, maps (additionalProperties), lists, int-or-string, and
 * unknown fields, which the API server prunes silently unless the schema preserves them; a field
 * Strata sets that the CRD does not know is a problem here, not a silent no-op in the cluster.
 */
import fs from "node:fs";
import path from "node:path";

/** The openAPIV3Schema keywords the compact fixtures keep. */
export interface CrdSchema {
  readonly type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  readonly properties?: Readonly<Record<string, CrdSchema>>;
  readonly required?: readonly string[];
  readonly items?: CrdSchema;
  readonly additionalProperties?: CrdSchema | boolean;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-int-or-string"?: boolean;
}

/** One CRD of a fixture. */
export interface CrdFixtureEntry {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly scope: string;
  readonly chartSource: string;
  readonly appSource: string;
  readonly sameAsArgoCdRelease: boolean;
  readonly schema: CrdSchema;
}

/** A compact CRD fixture (__tests__/fixtures/argocd-crds/). */
export interface CrdFixture {
  readonly chart: { readonly name: string; readonly version: string; readonly commit: string };
  readonly argoCd: { readonly version: string; readonly commit: string };
  readonly crds: Readonly<Record<string, CrdFixtureEntry>>;
}

/** The Argo CD CRD fixture of an argo-cd chart version. Throws when there is none. */
export function argoCdCrds(chartVersion: string): CrdFixture {
  const file = path.join(
    __dirname,
    "..",
    "fixtures",
    "argocd-crds",
    `argo-cd-${chartVersion}.json`,
  );
  if (!fs.existsSync(file)) {
    throw new Error(
      `no CRD fixture for argo-cd ${chartVersion} (${file}): generate it from the chart's templates/crds before pinning it`,
    );
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as CrdFixture;
}

const typeOf = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "array"
      : typeof v === "number"
        ? Number.isInteger(v)
          ? "integer"
          : "number"
        : typeof v;

/** Problems of `value` against `schema`, each with its path (`spec.sources[0].helm.releaseName`). */
export function schemaProblems(value: unknown, schema: CrdSchema, at = ""): string[] {
  const where = at || "(root)";
  if (schema["x-kubernetes-int-or-string"]) {
    return ["integer", "string"].includes(typeOf(value))
      ? []
      : [`${where}: ${typeOf(value)}, expected an integer or a string`];
  }
  const actual = typeOf(value);
  if (schema.type) {
    const ok = schema.type === actual || (schema.type === "number" && actual === "integer");
    if (!ok) return [`${where}: ${actual}, expected ${schema.type}`];
  }
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(
      `${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
    );
  }
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      problems.push(`${where}: "${value}" does not match ${schema.pattern}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${where}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${where}: shorter than ${schema.minLength}`);
  }
  if (actual === "array" && schema.items) {
    (value as unknown[]).forEach((item, i) =>
      problems.push(...schemaProblems(item, schema.items!, `${at}[${i}]`)),
    );
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) {
      if (!(r in obj)) problems.push(`${where}: required field ${r} is missing`);
    }
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    for (const [k, v] of Object.entries(obj)) {
      const child = at ? `${at}.${k}` : k;
      const prop = schema.properties?.[k];
      if (prop) problems.push(...schemaProblems(v, prop, child));
      else if (typeof schema.additionalProperties === "object")
        problems.push(...schemaProblems(v, schema.additionalProperties, child));
      else if (schema.properties && !preserve && schema.additionalProperties !== true)
        problems.push(`${child}: unknown field (the API server would prune it)`);
    }
  }
  return problems;
}
