// Synthesizes the real app once for the whole jest run, the way users do (`npm run synth`'s
// command, in a child process so the jest parent stays small); app-level test files read it
// through realApp() (__tests__/support/app.ts) instead of each synthesizing it again.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export default function globalSetup(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "strata-jest-app-"));
  const { STRATA_ENVS: _envs, STRATA_ENV_FILE: _file, ...env } = process.env;
  const result = spawnSync(
    process.execPath,
    [path.join(__dirname, "..", "scripts", "run-app.mjs")],
    {
      env: { ...env, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`synthesis of the real app failed:\n${result.stderr}`);
  process.env.STRATA_TEST_APP_DIR = outdir;
}
