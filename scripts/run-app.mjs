#!/usr/bin/env node
// The cdktf app command (cdktf.json "app"), `npm run synth` and every `npm run <script>`.
// Bundles the project's TypeScript (not node_modules) with esbuild in ~50 ms, then calls the
// entry's exported `run(argv)`: its result is the exit code; an error prints its message (no
// stack trace) and exits 1. Entries do nothing when imported, so tests call `run` in-process.
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

const { run } = createRequire(import.meta.url)(outfile);
if (typeof run !== "function") {
  console.error(`${entry} exports no run(argv) function to call`);
  process.exit(1);
}
Promise.resolve()
  .then(() => run(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
