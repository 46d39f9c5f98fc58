/**
 * `npm run config -- show <env>`: an environment fully resolved (tier defaults filled in), as JSON
 * that STRATA_ENV_FILE accepts back. `npm run config -- list`: the known environments.
 * Honours STRATA_ENV_FILE like synthesis does. Exit 1 on invalid configuration, 2 on bad usage.
 */
import { loadEnvironments } from "../environments";

const USAGE = `usage: npm run config -- show <env>   print <env> resolved, as JSON for STRATA_ENV_FILE
       npm run config -- list         list environments with tier and targets`;

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(args: string[]): number {
  const [command, name] = args;
  if (command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command !== "show" && command !== "list") {
    console.error(USAGE);
    return 2;
  }
  const { all } = loadEnvironments({ envFile: process.env.STRATA_ENV_FILE });
  if (command === "list") {
    for (const e of all) {
      const targets = Object.entries(e.targets)
        .filter(([, t]) => t !== undefined)
        .map(([k]) => k);
      console.log(`${e.name.padEnd(16)} ${e.tier.padEnd(8)} ${targets.join(", ")}`);
    }
    return 0;
  }
  const env = all.find((e) => e.name === name);
  if (!env) {
    console.error(
      `unknown environment "${name ?? ""}"; known: ${all.map((e) => e.name).join(", ")}`,
    );
    return 2;
  }
  console.log(JSON.stringify(env, null, 2));
  return 0;
}
