/** `cdktf synth` as jest's global setup ran it (__tests__/global-setup.ts). */
import fs from "node:fs";
import path from "node:path";
import type { CliResult } from "./cli";

export type { CliResult };

export const CLI_RESULT_FILE = "cdktf-synth.json";

/** The CLI's result and its output folder, from this run's global setup. */
export function cliSynth(): CliResult & { readonly outdir: string } {
  const root = process.env.STRATA_TEST_ROOT;
  const file = root && path.join(root, CLI_RESULT_FILE);
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      "no cdktf synth result: run the tests through jest.config.js (its global setup)",
    );
  }
  const result = JSON.parse(fs.readFileSync(file, "utf8")) as CliResult;
  return { ...result, outdir: path.join(root, "cli") };
}
