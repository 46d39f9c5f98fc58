/**
 * Markdown tables of configuration keys (scripts/docs/schema-keys.ts): one table per part of the
 * environment, paths relative to the part, repeated groups of keys shown once.
 */
import type { ConfigKey } from "./schema-keys";

/** A table: the keys under `root` (exclusive), minus the subtrees in `exclude`. */
export interface ConfigTable {
  readonly root: string;
  readonly exclude?: readonly string[];
  /** Keys shown at the top level only (no children), e.g. the sections other tables cover. */
  readonly shallow?: readonly string[];
}

const under = (path: string, root: string) =>
  root === "" || path.startsWith(`${root}.`) || path.startsWith(`${root}[]`);

const relative = (path: string, root: string) =>
  root === "" ? path : path.slice(root.length).replace(/^\./, "");

/**
 * Escapes text for a Markdown table cell: pipes, and `<` outside code spans (`<app>-migrate`
 * would otherwise be an HTML tag).
 */
export function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "&lt;")))
    .join("")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");
}

/** A literal at the start of a TSDoc `@default` (`604800 (7 days)` → `604800`, ` (7 days)`). */
function splitLiteral(text: string): [string, string] {
  const open = text[0];
  if (open === '"') {
    const end = text.indexOf('"', 1);
    return [text.slice(0, end + 1), text.slice(end + 1)];
  }
  if (open === "[" || open === "{") {
    const close = open === "[" ? "]" : "}";
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === open) depth++;
      if (text[i] === close && --depth === 0) return [text.slice(0, i + 1), text.slice(i + 1)];
    }
  }
  const m = /^(-?[\d.]+|true|false)(.*)$/s.exec(text);
  return m ? [m[1], m[2]] : ["", text];
}

/** The default of a key as a table cell. */
export function defaultCell(k: ConfigKey): string {
  if (k.required) return "**required**";
  if (k.docDefault !== undefined) {
    // "- see GcpNetwork": the schema constant whose keys follow in the table.
    if (/^-\s*see [A-Z]\w*$/.test(k.docDefault)) return "the defaults of the keys below";
    if (k.docDefault.startsWith("-")) return k.docDefault.replace(/^-\s*/, "");
    const [literal, rest] = splitLiteral(k.docDefault);
    return literal ? `\`${literal}\`${rest}` : rest;
  }
  if (k.codeDefault !== undefined) return `\`${k.codeDefault.replace(/\s+/g, " ")}\``;
  return "–";
}

/** The literal of a TSDoc `@default`, when it starts with one (for checks against the code). */
export function docLiteral(k: ConfigKey): string | undefined {
  if (k.docDefault === undefined || k.docDefault.startsWith("-")) return undefined;
  const [literal] = splitLiteral(k.docDefault);
  return literal || undefined;
}

function description(k: ConfigKey): string {
  const values = k.enumValues ? `One of ${k.enumValues.map((v) => `\`${v}\``).join(", ")}.` : "";
  return [k.description, values].filter(Boolean).join(" ");
}

/** The object a key belongs to: `a.b[].c` → `a.b[]`. */
const parentOf = (path: string) => path.replace(/\.[^.]+$/, "");

/** Renders one configuration table. */
export function renderConfigTable(keys: readonly ConfigKey[], table: ConfigTable): string {
  const rows: string[][] = [];
  const expanded = new Map<string, string>(); // via → the first key (relative) that showed its keys
  const spreadShown = new Map<string, string>(); // spread → the first object (absolute) showing it
  const skip: string[] = []; // keys left out, with their subtrees
  const inTable = keys.filter(
    (k) =>
      under(k.path, table.root) &&
      !(table.exclude ?? []).some((e) => k.path === e || under(k.path, e)),
  );
  inTable.forEach((k, i) => {
    if (skip.some((s) => k.path === s || under(k.path, s))) return;
    const rel = relative(k.path, table.root);
    const parent = parentOf(k.path);
    if (k.spread) {
      const first = spreadShown.get(k.spread);
      if (first === undefined) spreadShown.set(k.spread, parent);
      else if (first !== parent) {
        // Keys spread from a field object shown before: one row for all of them.
        const run = inTable
          .slice(i)
          .filter((x) => x.spread === k.spread && parentOf(x.path) === parent);
        skip.push(...run.map((r) => r.path));
        const prefix = relative(parent, table.root);
        const names = run.map((r) => r.path.slice(parent.length + 1)).join(", ");
        rows.push([
          `\`${prefix ? `${prefix}.` : ""}{${names}}\``,
          `as in \`${relative(first, table.root)}\``,
          "",
        ]);
        return;
      }
    }
    if ((table.shallow ?? []).includes(k.path)) skip.push(k.path);
    let note = "";
    if (k.via) {
      const first = expanded.get(k.via);
      if (first === undefined) expanded.set(k.via, rel);
      else {
        skip.push(k.path);
        note = ` Keys as in \`${first}\`.`;
      }
    }
    const key = `\`${rel}\`${k.variant ? ` (${k.variant.replace(/"/g, "")})` : ""}`;
    rows.push([key, defaultCell(k), `${description(k)}${note}`.trim()]);
  });
  const lines = ["| key | default | what |", "| --- | --- | --- |"];
  for (const [key, def, what] of rows) lines.push(`| ${key} | ${cell(def)} | ${cell(what)} |`);
  return lines.join("\n");
}
