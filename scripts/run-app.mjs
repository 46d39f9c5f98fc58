#!/usr/bin/env node
// The cdktf app command (cdktf.json "app") and `npm run synth`.
// Bundles the project's TypeScript (not node_modules) with esbuild in ~50 ms, then runs it.
// Type-checking is `npm run typecheck`; this path only transpiles, so synth stays fast.
import { buildSync } from "esbuild";
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

buildSync({
  entryPoints: [path.join(root, entry)],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "inline",
  logLevel: "warning",
});

createRequire(import.meta.url)(outfile);
