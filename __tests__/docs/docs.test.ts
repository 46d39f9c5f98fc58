/**
 * The documentation stays true: every generated region of README.md and docs/*.md is what
 * `npm run docs` makes from the code now, links and paths resolve, and the commands it names exist.
 */
import fs from "node:fs";
import path from "node:path";
import { documentFiles, generateDocs } from "../../scripts/docs/generate";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The first line where two texts differ, for the failure message. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}:\n  generated: ${a[at] ?? "(end)"}\n  committed: ${b[at] ?? "(end)"}`;
}

describe("generated regions", () => {
  // The seeds as the test run's global setup synthesized them (the same command as npm run synth).
  const docs = generateDocs({ seedsDir: process.env.STRATA_TEST_APP_DIR });

  test.each(documentFiles())("%s is up to date (run npm run docs)", (file) => {
    const generated = docs.get(file);
    const committed = read(file);
    if (generated !== committed) {
      throw new Error(
        `${file} is out of date: run npm run docs (and review the diff)\n${firstDifference(generated ?? "", committed)}`,
      );
    }
  });
});

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(slug(m[1]));
  }
  return out;
}

/** Markdown text outside fenced code blocks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

describe("links and names", () => {
  test.each(documentFiles())("%s: every relative link resolves", (file) => {
    const text = read(file);
    const broken: string[] = [];
    for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [where, anchor] = target.split("#");
      const resolved = where ? path.join(path.dirname(file), where) : file;
      if (!fs.existsSync(path.join(ROOT, resolved))) {
        broken.push(`${target} (no ${resolved})`);
        continue;
      }
      if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor))
        broken.push(`${target} (no heading #${anchor} in ${resolved})`);
    }
    expect(broken).toEqual([]);
  });

  test.each(documentFiles())("%s: every repository path it names exists", (file) => {
    const text = read(file);
    const missing = [
      ...text.matchAll(
        /`((?:\.github|__tests__|charts|docs|environments|examples|facts|modules|scripts|stacks)\/[^`\s]*)`/g,
      ),
    ]
      .map((m) => m[1].replace(/[),.:;]+$/, ""))
      .filter((p) => !/[<>*{]/.test(p)) // patterns such as facts/apps/<app>.json
      .filter((p) => !fs.existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  test.each(documentFiles())("%s: every npm script it names exists", (file) => {
    const scripts = Object.keys(
      (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts,
    );
    const named = [...read(file).matchAll(/npm run (?:-s |--silent )?([a-z][a-z:-]*)/g)].map(
      (m) => m[1],
    );
    expect([...new Set(named)].filter((s) => !scripts.includes(s))).toEqual([]);
  });

  test("docs/apply-readiness.md names every facts file", () => {
    const text = read("docs/apply-readiness.md");
    const facts = fs
      .readdirSync(path.join(ROOT, "facts"), { withFileTypes: true })
      .map((e) => (e.isDirectory() ? `facts/${e.name}/` : `facts/${e.name}`));
    expect(facts.filter((f) => !text.includes(f))).toEqual([]);
  });

  test("the README stays an overview (at most 200 lines; the rest is in docs/)", () => {
    expect(read("README.md").trimEnd().split("\n").length).toBeLessThanOrEqual(200);
  });
});
