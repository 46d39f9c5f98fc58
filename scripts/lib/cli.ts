/** The common ending of every script: run, set the exit code, print errors without a stack trace. */

/** Runs a script's `run(argv)` and turns its result or error into the process exit code (error: 1). */
export function runScript(run: (argv: string[]) => number | Promise<number>): void {
  Promise.resolve()
    .then(() => run(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exitCode = 1;
      },
    );
}
