#!/usr/bin/env node
// The cdktf app command (cdktf.json "app") and `npm run synth`.
// Bundles the project's TypeScript (not node_modules) with esbuild in ~50 ms, then runs it.
// Type-checking is `npm run typecheck`; this path only transpiles, so synth stays fast.
import { buildSync } from "esbuild";
import { renameSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// `node scripts/run-app.mjs [entry.ts] [args…]`: the entry is taken off argv before it runs.
const entry = process.argv[2]?.endsWith(".ts") ? process.argv.splice(2, 1)[0] : "main.ts";
const outfile = path.join(root, "dist", entry.replace(/\.ts$/, ".js"));

if (process.argv[2] === "--help" && entry === "main.ts") {
  console.log(
    "usage: node scripts/run-app.mjs [entry.ts]  (default main.ts): bundle with esbuild, then run",
  );
  process.exit(0);
}

// Built under a name of its own and renamed into place, so two runs at once (a synth and a
// review, or the test suite's parallel syntheses) never load a half-written bundle.
const staging = `${outfile}.${process.pid}.tmp`;
buildSync({
  entryPoints: [path.join(root, entry)],
  outfile: staging,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "inline",
  logLevel: "warning",
});
renameSync(staging, outfile);

createRequire(import.meta.url)(outfile);
