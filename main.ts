/**
 * Entry point: select and validate environments, build their stacks, synthesize into cdktf.out.
 * Invalid configuration prints every problem, exits 1, and leaves cdktf.out untouched.
 */
import { loadEnvironments } from "./environments";
import { TODAY_CONTEXT } from "./modules/common/policy/gate";
import { buildGroups } from "./stacks/app";
import { skipTokenStackTraces } from "./stacks/stack-traces";
import { synthesizeAtomically } from "./stacks/synth";

skipTokenStackTraces();

function main(): void {
  const registry = loadEnvironments({
    envs: process.env.STRATA_ENVS,
    envFile: process.env.STRATA_ENV_FILE,
    today: process.env.STRATA_TODAY,
  });
  for (const w of registry.warnings) console.error(`strata: warning: ${w.path}: ${w.message}`);
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // Waiver expiry and Kubernetes support are judged against today; STRATA_TODAY=YYYY-MM-DD pins it.
  const today = process.env.STRATA_TODAY;
  const base = process.env.STRATA_BASE || undefined;
  const { stacks, moves, crossStackMoves } = synthesizeAtomically(
    outdir,
    buildGroups(registry.selected, registry.all, (app) => {
      if (today) app.node.setContext(TODAY_CONTEXT, today);
    }),
    // Under the cdktf CLI (which sets CDKTF_OUTDIR), the CLI removes stale stack folders itself.
    { removeOrphans: process.env.CDKTF_OUTDIR === undefined, base },
  );
  for (const [stack, list] of moves) {
    console.log(
      `strata: ${stack}: ${list.length} moved block${list.length === 1 ? "" : "s"} (addresses changed since STRATA_BASE; npm run review lists them)`,
    );
  }
  for (const m of crossStackMoves) {
    console.log(
      `strata: ${m.type} moved from ${m.from.stack} (${m.from.address}) to ${m.to.stack} (${m.to.address}); OpenTofu cannot move it between states, so before applying:\n  ${m.steps.join("\n  ")}`,
    );
  }
  const names =
    registry.selected.length <= 6
      ? registry.selected.map((e) => e.name).join(", ")
      : `${registry.selected.length} environments`;
  console.log(`strata: ${stacks.length} stacks for ${names} → ${outdir}`);
}

/** The app: synthesizes and prints a line; run-app.mjs calls it and prints any error. */
export function run(): number {
  try {
    main();
  } catch (e) {
    // cdktf ends validation errors with advice to skip validation; Strata's advice is in each message.
    if (e instanceof Error)
      e.message = e.message.replace(/\n*If you wish to ignore these validations.*$/s, "");
    throw e;
  }
  return 0;
}
