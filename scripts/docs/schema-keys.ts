/**
 * The configuration keys of the environment contract, read from the zod schemas' source
 * (environments/schema.ts and environments/schema/*.ts): every key's path, whether it is
 * required, its TSDoc text and `@default`, the literal of a `.default(…)` / `.prefault(…)` call,
 * and the values of an enum. A static walk with the TypeScript parser (no type-checking, no zod at
 * run time): `obj({ … })` objects, `z.array`, `z.record`, unions, spreads of field objects and
 * references to other schema constants are followed. The docs generator turns the keys into the
 * configuration tables; __tests__/docs/ checks the literal defaults against a resolved environment.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** One configuration key. */
export interface ConfigKey {
  /** `targets.gcp.cluster.nodePools[].machineType`; `<name>` stands for a key of a map. */
  readonly path: string;
  /** The variant of a discriminated union the key belongs to (`type: "gcs"`). */
  readonly variant?: string;
  /** No `.optional()`, `.default()` or `.prefault()`: the key must be written. */
  readonly required: boolean;
  /** The TSDoc text without its tags, on one line. */
  readonly description: string;
  /** The TSDoc `@default` text (`"REGULAR"`, `- the tier's highAvailability`). */
  readonly docDefault?: string;
  /** Source text of the `.default(…)` / `.prefault(…)` argument. */
  readonly codeDefault?: string;
  /** The values of a `z.enum([...])` leaf. */
  readonly enumValues?: readonly string[];
  /** Where the key is declared, `environments/schema/gcp.ts:123`. */
  readonly source: string;
  /** The schema constant whose keys this key's value has (`Resources`), when it names one. */
  readonly via?: string;
  /** The field object this key was spread from (`...releaseFields`). */
  readonly spread?: string;
}

/** The schema files, relative to the project root. */
export const SCHEMA_FILES = [
  "environments/schema.ts",
  "environments/schema/common.ts",
  "environments/schema/state.ts",
  "environments/schema/waivers.ts",
  "environments/schema/gcp.ts",
  "environments/schema/aws.ts",
  "environments/schema/digitalocean.ts",
  "environments/schema/workloads.ts",
  "environments/schema/alerts.ts",
];

interface Declaration {
  readonly init: ts.Expression;
  readonly file: ts.SourceFile;
  readonly rel: string;
}

/** Top-level `const` declarations of the schema files, by name. */
function declarations(root: string): Map<string, Declaration> {
  const out = new Map<string, Declaration>();
  for (const rel of SCHEMA_FILES) {
    const text = fs.readFileSync(path.join(root, rel), "utf8");
    const file = ts.createSourceFile(rel, text, ts.ScriptTarget.ES2022, true);
    for (const statement of file.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        if (out.has(d.name.text) && out.get(d.name.text)!.rel !== rel) {
          throw new Error(
            `scripts/docs/schema-keys.ts: ${d.name.text} is declared in ${out.get(d.name.text)!.rel} and ${rel}; the walk resolves names across the schema files, so they must be unique`,
          );
        }
        out.set(d.name.text, { init: d.initializer, file, rel });
      }
    }
  }
  return out;
}

/** The last TSDoc block of a node: its text on one line and its `@default`. */
function tsdoc(node: ts.Node): { description: string; docDefault?: string } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs[docs.length - 1];
  if (!doc) return { description: "" };
  const text = (c: ts.JSDoc["comment"] | ts.JSDocTag["comment"]) =>
    (typeof c === "string" ? c : (c ?? []).map((p) => p.text).join("")).replace(/\s+/g, " ").trim();
  const tag = doc.tags?.find((t) => t.tagName.text === "default");
  return {
    description: text(doc.comment),
    ...(tag ? { docDefault: text(tag.comment) } : {}),
  };
}

/** What a schema expression is. */
type Shape =
  | { kind: "object"; props: Prop[]; via?: string }
  | { kind: "array"; of: Shape }
  | { kind: "record"; of: Shape }
  | { kind: "union"; of: Shape[] }
  | { kind: "leaf"; enumValues?: string[] };

interface Prop {
  readonly name: string;
  readonly node: ts.Node;
  readonly expr: ts.Expression;
  readonly rel: string;
  readonly file: ts.SourceFile;
  readonly spread?: string;
}

interface Modifiers {
  optional: boolean;
  codeDefault?: string;
}

const WRAPPERS = new Set([
  "optional",
  "default",
  "prefault",
  "superRefine",
  "refine",
  "transform",
  "regex",
  "min",
  "max",
  "int",
  "trim",
  "nonnegative",
  "positive",
]);

class Walker {
  readonly keys: ConfigKey[] = [];
  constructor(private readonly decls: Map<string, Declaration>) {}

  /** Peels `.optional()`, `.default(x)`, `.superRefine(…)`… off an expression. */
  private unwrap(
    expr: ts.Expression,
    file: ts.SourceFile,
  ): { core: ts.Expression; mods: Modifiers } {
    const mods: Modifiers = { optional: false };
    let e = expr;
    for (;;) {
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) {
        e = e.expression;
        continue;
      }
      if (
        ts.isCallExpression(e) &&
        ts.isPropertyAccessExpression(e.expression) &&
        WRAPPERS.has(e.expression.name.text) &&
        !(ts.isIdentifier(e.expression.expression) && e.expression.expression.text === "z")
      ) {
        const name = e.expression.name.text;
        if (name === "optional") mods.optional = true;
        if ((name === "default" || name === "prefault") && mods.codeDefault === undefined) {
          mods.optional = true;
          mods.codeDefault = e.arguments[0]?.getText(file);
        }
        e = e.expression.expression;
        continue;
      }
      // A reference to another schema constant carries that constant's own modifiers
      // (`reason: UnusedReason`, where UnusedReason ends in `.optional()`).
      const d = ts.isIdentifier(e) ? this.decls.get(e.text) : undefined;
      if (d && d.init !== expr) {
        const inner = this.unwrap(d.init, d.file);
        mods.optional ||= inner.mods.optional;
        if (mods.codeDefault === undefined && inner.mods.codeDefault !== undefined)
          mods.codeDefault = inner.mods.codeDefault;
      }
      return { core: e, mods };
    }
  }

  /** The properties of an object literal (spreads of other field objects included). */
  private props(
    literal: ts.Expression,
    file: ts.SourceFile,
    rel: string,
    spread?: string,
  ): Prop[] | undefined {
    if (ts.isIdentifier(literal)) {
      const d = this.decls.get(literal.text);
      return d && this.props(d.init, d.file, d.rel, spread);
    }
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    return literal.properties.flatMap((p): Prop[] => {
      if (ts.isSpreadAssignment(p))
        return this.props(p.expression, file, rel, p.expression.getText(file)) ?? [];
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        return [{ name: p.name.text, node: p, expr: p.initializer, rel, file, spread }];
      return [];
    });
  }

  /** What a schema expression is, following references to other schema constants. */
  shape(expr: ts.Expression, file: ts.SourceFile, rel: string, seen: string[] = []): Shape {
    const { core } = this.unwrap(expr, file);
    if (ts.isIdentifier(core)) {
      const d = this.decls.get(core.text);
      if (!d || seen.includes(core.text)) return { kind: "leaf" };
      const inner = this.shape(d.init, d.file, d.rel, [...seen, core.text]);
      return inner.kind === "object" && !inner.via ? { ...inner, via: core.text } : inner;
    }
    if (!ts.isCallExpression(core)) return { kind: "leaf" };
    const callee = core.expression.getText(file).replace(/\s+/g, "");
    const [first, second] = core.arguments;
    if (callee === "obj" || callee === "z.object" || callee === "z.strictObject") {
      const props = first && this.props(first, file, rel);
      if (!props) return { kind: "leaf" };
      // obj(toggle): the field object is what several keys share.
      return ts.isIdentifier(first)
        ? { kind: "object", props, via: first.text }
        : { kind: "object", props };
    }
    if (callee === "z.array" && first)
      return { kind: "array", of: this.shape(first, file, rel, seen) };
    if (callee === "z.record" && second)
      return { kind: "record", of: this.shape(second, file, rel, seen) };
    if (callee === "z.union" || callee === "z.discriminatedUnion") {
      const list = callee === "z.union" ? first : second;
      if (list && ts.isArrayLiteralExpression(list))
        return { kind: "union", of: list.elements.map((e) => this.shape(e, file, rel, seen)) };
    }
    if (callee === "z.enum" && first && ts.isArrayLiteralExpression(first)) {
      const values = first.elements.filter(ts.isStringLiteral).map((s) => s.text);
      if (values.length === first.elements.length) return { kind: "leaf", enumValues: values };
    }
    return { kind: "leaf" };
  }

  /** Records the keys of an object shape under `prefix`. */
  walkObject(props: readonly Prop[], prefix: string, variant?: string): void {
    for (const p of props) {
      const keyPath = prefix ? `${prefix}.${p.name}` : p.name;
      const { mods } = this.unwrap(p.expr, p.file);
      const shape = this.shape(p.expr, p.file, p.rel);
      const doc = tsdoc(p.node);
      const line = p.file.getLineAndCharacterOfPosition(p.node.getStart(p.file)).line + 1;
      this.keys.push({
        path: keyPath,
        ...(variant ? { variant } : {}),
        required: !mods.optional,
        description: doc.description,
        ...(doc.docDefault !== undefined ? { docDefault: doc.docDefault } : {}),
        ...(mods.codeDefault !== undefined ? { codeDefault: mods.codeDefault } : {}),
        ...(shape.kind === "leaf" && shape.enumValues ? { enumValues: shape.enumValues } : {}),
        source: `${p.rel}:${line}`,
        ...(viaOf(shape) ? { via: viaOf(shape) } : {}),
        ...(p.spread ? { spread: p.spread } : {}),
      });
      this.walkShape(shape, keyPath);
    }
  }

  private walkShape(shape: Shape, keyPath: string, variant?: string): void {
    switch (shape.kind) {
      case "object":
        return this.walkObject(shape.props, keyPath, variant);
      case "array":
        return this.walkShape(shape.of, `${keyPath}[]`, variant);
      case "record":
        return this.walkShape(shape.of, `${keyPath}.<name>`, variant);
      case "union":
        for (const member of shape.of) {
          if (member.kind !== "object") continue;
          // A discriminated union's member is named by its literal field (`type: "gcs"`).
          const tag = member.props.find((p) => /^z\.literal\(/.test(p.expr.getText(p.file).trim()));
          const label = tag
            ? `${tag.name}: ${tag.expr.getText(tag.file).slice(10, -1)}`
            : undefined;
          this.walkObject(
            tag ? member.props.filter((p) => p !== tag) : member.props,
            keyPath,
            label ?? variant,
          );
        }
        return;
      case "leaf":
        return;
    }
  }
}

/** The schema constant an object shape (or the elements of a list or map) was reached by. */
function viaOf(shape: Shape): string | undefined {
  if (shape.kind === "object") return shape.via;
  if (shape.kind === "array" || shape.kind === "record") return viaOf(shape.of);
  return undefined;
}

/** Every configuration key of an environment, in declaration order. */
export function configKeys(root: string): ConfigKey[] {
  const decls = declarations(root);
  const walker = new Walker(decls);
  const top = decls.get("EnvironmentFields");
  if (!top) throw new Error("environments/schema.ts declares no EnvironmentFields");
  const shape = walker.shape(top.init, top.file, top.rel);
  if (shape.kind !== "object") throw new Error("EnvironmentFields is not an obj({ … })");
  walker.walkObject(shape.props, "");
  return walker.keys;
}
