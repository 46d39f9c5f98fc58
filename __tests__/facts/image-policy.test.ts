/** facts/image-policy.json: every entry cited and well-formed, and the rules read this file. */
import fs from "node:fs";
import path from "node:path";
import { compareVersions, versionOfTag } from "../../modules/common/policy/images";
import { IMAGE_FACTS } from "../../modules/common/policy/rules";

const FILE = path.join(__dirname, "..", "..", "facts", "image-policy.json");
const raw = JSON.parse(fs.readFileSync(FILE, "utf8")) as {
  frozenRegistries: Array<Record<string, unknown>>;
  cves: Array<Record<string, unknown>>;
};
const url = /^https:\/\/\S+$/;

test("the rules read this file", () => {
  expect(IMAGE_FACTS).toEqual(raw);
});

test.each(raw.frozenRegistries.map((f) => [f.prefix, f] as const))(
  "frozen registry %s: cited, with why and what was verified",
  (_, f) => {
    expect(f.prefix).toMatch(/^[a-z0-9.-]+\/[a-z0-9-]+\/$/);
    expect(["all", "versioned"]).toContain(f.tags);
    expect(String(f.why).length).toBeGreaterThan(20);
    expect((f.citations as string[]).length).toBeGreaterThan(0);
    for (const c of f.citations as string[]) expect(c).toMatch(url);
    expect(String(f.verified).length).toBeGreaterThan(20);
  },
);

test.each(
  raw.cves.map((c) => [`${String(c.id)} (${(c.images as string[]).join(",")})`, c] as const),
)("%s: cited, critical, ranges consistent with the fixed versions", (_, c) => {
  expect(c.id).toMatch(/^CVE-\d{4}-\d{4,}$/);
  expect(c.url).toMatch(url);
  // Critical, or a floor an upstream security release set without a score Strata could read.
  expect(["critical", "unrated"]).toContain(c.severity);
  if (c.severity !== "critical") expect(String(c.whyEnforced).length).toBeGreaterThan(20);
  for (const u of c.citations as string[]) expect(u).toMatch(url);
  expect(String(c.verified).length).toBeGreaterThan(20);
  const fixed = (c.fixedVersions as string[]).map((v) => versionOfTag(v)!);
  const ranges = c.affected as Array<{ introduced: string; fixed: string }>;
  expect(ranges.length).toBeGreaterThan(0);
  for (const r of ranges) {
    const lo = versionOfTag(r.introduced === "0" ? "0.0.0" : r.introduced)!;
    const hi = versionOfTag(r.fixed)!;
    expect(compareVersions(lo, hi)).toBeLessThan(0);
    // every range ends at a listed fixed version
    expect(fixed.some((f) => compareVersions(f, hi) === 0)).toBe(true);
  }
});
