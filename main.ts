/**
 * Entry point: select and validate environments, build their stacks, synthesize into cdktf.out.
 * Invalid configuration prints every problem, exits 1, and leaves cdktf.out untouched.
 */
import { loadEnvironments } from "./environments";
import { TODAY_CONTEXT } from "./modules/common/policy/gate";
import { buildApp } from "./stacks/app";
import { synthesizeAtomically } from "./stacks/synth";

function main(): void {
  const registry = loadEnvironments({
    envs: process.env.STRATA_ENVS,
    envFile: process.env.STRATA_ENV_FILE,
  });
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  // Under the cdktf CLI (which sets CDKTF_OUTDIR), the CLI removes stale stack folders itself.
  const { stacks } = synthesizeAtomically(
    outdir,
    (app) => {
      // Waiver expiry is judged against today; STRATA_TODAY=YYYY-MM-DD pins it (CI replays, tests).
      if (process.env.STRATA_TODAY) app.node.setContext(TODAY_CONTEXT, process.env.STRATA_TODAY);
      buildApp(app, registry.selected, registry.all);
    },
    {
      removeOrphans: process.env.CDKTF_OUTDIR === undefined,
    },
  );
  const names = registry.selected.map((e) => e.name).join(", ");
  console.log(`strata: ${stacks.length} stacks for ${names} → ${outdir}`);
}

try {
  main();
} catch (e) {
  // cdktf ends validation errors with advice to skip validation; Strata's advice is in each message.
  const message = e instanceof Error ? e.message : String(e);
  console.error(message.replace(/\n*If you wish to ignore these validations.*$/s, ""));
  process.exitCode = 1;
}
