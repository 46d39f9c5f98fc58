// Synthesizes the real app for the whole jest run, before any test file starts, with both user
// commands at once: `npm run synth`'s (app-level test files read its output through realApp() in
// __tests__/support/app.ts instead of each synthesizing the app again) and `cdktf synth` (its
// output and exit are checked in synth.test.ts). Both run in child processes so the jest parent
// stays small, and here so the CLI's ~450 MB process tree never runs beside the test workers.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLI_RESULT_FILE, type CliResult } from "./support/cli-synth";

const ROOT = path.join(__dirname, "..");

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

export default async function globalSetup(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "strata-jest-"));
  const appDir = path.join(root, "app");
  const cliDir = path.join(root, "cli");
  // Temporary files of this run (cdktf's Testing makes a cdktf.outdir.* folder per synthesis and
  // never removes it: ~600 a run) go below root, which the global teardown removes. The workers
  // and every child process inherit it.
  const tmp = path.join(root, "tmp");
  fs.mkdirSync(tmp);
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = tmp;
  const { STRATA_ENVS: _envs, STRATA_ENV_FILE: _file, CDKTF_OUTDIR: _out, ...env } = process.env;
  const [app, cli] = await Promise.all([
    run(process.execPath, [path.join(ROOT, "scripts", "run-app.mjs")], {
      ...env,
      CDKTF_OUTDIR: appDir,
    }),
    run(path.join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", cliDir], {
      ...env,
      CHECKPOINT_DISABLE: "1",
    }),
  ]);
  if (app.status !== 0) throw new Error(`synthesis of the real app failed:\n${app.stderr}`);
  fs.writeFileSync(path.join(root, CLI_RESULT_FILE), JSON.stringify(cli));
  process.env.STRATA_TEST_ROOT = root;
  process.env.STRATA_TEST_APP_DIR = appDir;
}
