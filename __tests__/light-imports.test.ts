/**
 * The environment schema and the offline scripts load neither cdktf nor a provider class: each
 * spawn of `npm run review`/`graph`/`rollout`/`policy`/`config` stays at ~0.2 s, and so does every
 * test that only validates environments. Checked on the bundle esbuild builds for each entry
 * (the imports it leaves to node_modules), so an indirect import through a module counts too.
 */
import { buildSync } from "esbuild";
import path from "node:path";

const ROOT = path.join(__dirname, "..");
const HEAVY = /^(cdktf|constructs|@cdktf\/)/;

/** Packages an entry loads from node_modules, directly or through project modules. */
function packagesLoadedBy(entry: string): string[] {
  const { metafile } = buildSync({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const external = Object.values(metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => i.external && !i.path.startsWith("node:")).map((i) => i.path),
  );
  return [...new Set(external)].sort();
}

test.each([
  "environments/index.ts",
  "scripts/config.ts",
  "scripts/review.ts",
  "scripts/graph.ts",
  "scripts/rollout.ts",
  "scripts/policy.ts",
  "scripts/addresses.ts",
  "scripts/tofu-check.ts",
  "scripts/bench.ts",
])("%s loads no cdktf, constructs or provider package", (entry) => {
  expect(packagesLoadedBy(entry).filter((p) => HEAVY.test(p))).toEqual([]);
});

test("the app itself does load them (the check sees through project modules)", () => {
  expect(packagesLoadedBy("main.ts")).toEqual(
    expect.arrayContaining(["cdktf", "@cdktf/provider-google/lib/bigtable-instance"]),
  );
});
