/**
 * `npm run validate [-- <cdktf.out>] [--offline]`: the real engine over every synthesized stack.
 * Loads each stack with OpenTofu (or Terraform: $STRATA_ENGINE picks the binary), then runs
 * `init -backend=false` + `validate` over them. Providers come from filesystem mirrors
 * ($STRATA_TF_MIRROR) and, unless --offline, from the registry (set TF_PLUGIN_CACHE_DIR to
 * download each once). Exit 0: no problem; 1: the engine refused something; 2: no engine.
 */
import path from "node:path";
import { parseArgs } from "./lib/args";
import { readAllStacks, readCdktfOut, UsageError } from "./lib/cdktf-out";
import {
  findEngine,
  formatDiagnostics,
  loadStacks,
  mirroredProviders,
  validateStacks,
} from "./lib/engine";

const USAGE = `usage: npm run validate [-- <cdktf.out>] [--offline]
Loads and validates every stack of a cdktf.out folder with the real engine (tofu, else terraform;
STRATA_ENGINE=<binary> picks one). Providers: filesystem mirrors (STRATA_TF_MIRROR=dir[:dir]) and,
unless --offline, the registry (TF_PLUGIN_CACHE_DIR caches them). Exit 0 ok, 1 refused, 2 no engine.`;

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  const args = parseArgs(argv, [], ["offline", "help", "h"]);
  if (args.options.has("help") || args.options.has("h")) {
    console.log(USAGE);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError(USAGE);
  const dir = args.positional[0] ?? "cdktf.out";
  const stacks = readAllStacks(readCdktfOut(dir));
  const engine = findEngine();
  if (typeof engine === "string") {
    console.error(`strata: ${engine}. Install OpenTofu >= 1.10 to validate.`);
    return 2;
  }
  const offline = args.options.has("offline");
  console.log(`strata: ${engine.kind} ${engine.version} loading ${stacks.size} stacks from ${dir}`);
  const loaded = loadStacks(engine, stacks);
  if (loaded.length > 0) {
    console.error(
      `strata: the engine refused ${loaded.length} configuration(s):\n${formatDiagnostics(loaded)}`,
    );
    return 1;
  }
  const result = validateStacks(engine, stacks, {
    mirrorOnly: offline,
    mirrored: mirroredProviders(),
    pluginCacheDir: process.env.TF_PLUGIN_CACHE_DIR
      ? path.resolve(process.env.TF_PLUGIN_CACHE_DIR)
      : undefined,
  });
  for (const s of result.skipped) console.log(`  skipped ${s.stack}: ${s.reason}`);
  for (const g of result.gapsApplied)
    console.log(`  left out ${g.type}.${g.argument} (the mirrored provider predates ${g.since})`);
  if (result.diagnostics.length > 0) {
    console.error(
      `strata: validate found ${result.diagnostics.length} problem(s):\n${formatDiagnostics(result.diagnostics)}`,
    );
    return 1;
  }
  console.log(
    `strata: ${stacks.size} stacks load; ${result.validated.length} validated against their providers` +
      (result.skipped.length ? `, ${result.skipped.length} skipped (providers not at hand)` : ""),
  );
  return 0;
}
