/**
 * A script's `run(argv)` called in-process the way scripts/run-app.mjs calls it: what it printed
 * and its exit code (an error: its message on stderr, exit 1). A spawned `node scripts/run-app.mjs`
 * costs ~0.25 s (node, esbuild, module loading); this costs what the command does. Each CLI test
 * file still spawns the real command for a case or two, to cover that wiring.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { format } from "node:util";

const ROOT = path.join(__dirname, "..", "..");

/** How a command exited and what it printed. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InvokeOptions {
  /** Working directory during the call. */
  readonly cwd?: string;
  /**
   * Environment variables set (a string) or removed (undefined) during the call. Under jest they
   * reach the command's own reads of process.env, not the processes it spawns: jest gives each
   * test file a copy of process.env, and child_process reads the real one.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

type Write = typeof process.stdout.write;

/**
 * The real command, as `npm run <script>` runs it: `node scripts/run-app.mjs <entry> args…` in the
 * project folder. `env` sets (a string) or removes (undefined) variables of this process's env.
 */
export function spawnScript(
  entry: string,
  args: string[],
  env: Readonly<Record<string, string | undefined>> = {},
): CliResult {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  applyEnv(merged, env);
  const { status, stdout, stderr } = spawnSync(
    process.execPath,
    [path.join(ROOT, "scripts", "run-app.mjs"), entry, ...args],
    { cwd: ROOT, env: merged, encoding: "utf8" },
  );
  return { status, stdout, stderr };
}

/** Calls `run(argv)` with console and process.stdout/stderr captured, cwd and env as given. */
export function invoke(
  run: (argv: string[]) => number,
  argv: string[],
  options: InvokeOptions = {},
): CliResult {
  let stdout = "";
  let stderr = "";
  const toOut = (...args: unknown[]) => void (stdout += format(...args) + "\n");
  const toErr = (...args: unknown[]) => void (stderr += format(...args) + "\n");
  const saved = {
    log: console.log,
    info: console.info,
    error: console.error,
    warn: console.warn,
    out: process.stdout.write,
    err: process.stderr.write,
    cwd: process.cwd(),
    env: Object.fromEntries(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]])),
  };
  console.log = console.info = toOut;
  console.error = console.warn = toErr;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as Write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as Write;
  applyEnv(process.env, options.env ?? {});
  try {
    if (options.cwd) process.chdir(options.cwd);
    const status = run(argv);
    return { status, stdout, stderr };
  } catch (e) {
    stderr += `${e instanceof Error ? e.message : String(e)}\n`;
    return { status: 1, stdout, stderr };
  } finally {
    process.chdir(saved.cwd);
    applyEnv(process.env, saved.env);
    Object.assign(console, {
      log: saved.log,
      info: saved.info,
      error: saved.error,
      warn: saved.warn,
    });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}

/** Sets (a string) or removes (undefined) each variable of `env` in `target`. */
function applyEnv(
  target: NodeJS.ProcessEnv,
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
}
