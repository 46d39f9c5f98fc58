/**
 * `npm run review`: what a change does to the infrastructure, offline (no credentials, no tofu).
 * Compares a base git ref (synthesized in a temporary git worktree) with the working tree, or
 * two cdktf.out folders. Exit 0: reviewed; 1: error; 2: a dangerous change in a staging- or
 * prod-tier stack.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs, formatOption } from "./lib/args";
import { readCdktfOut, UsageError } from "./lib/cdktf-out";
import { renderJson, renderMarkdown, renderText, reviewOutputs } from "./lib/review";
import { environmentTiers } from "./lib/tiers";

const USAGE = `usage: npm run review -- --base <git-ref> [options]      base ref vs the working tree
       npm run review -- <before-dir> <after-dir> [options]  two cdktf.out folders

Synthesizes both sides (--base: the ref in a temporary git worktree, with its own app command,
and the working tree, both into temporary folders; ./cdktf.out is not touched) and lists per
stack the resources added, removed and changed, with attribute paths and before → after values.
Sensitive values are masked; embedded documents (policies, Helm values) are diffed key by key and
no value is cut. Flagged first: removal or replacement of a stateful resource, a rename without a
moved block, a backend moved, state/plan encryption or deletion protection off, prevent_destroy
dropped, a range change that replaces a subnet. Renames with a moved block show as moves.

options:
  --format text|md|json   terminal table (default), Markdown for a PR comment, JSON for tools
  --prod <env,...>        prod-tier environments (default: tier "prod" in the registry,
                          environments/ plus STRATA_ENV_FILE)
  --help                  this text

exit: 0 reviewed, 1 error, 2 a dangerous change in a staging- or prod-tier stack (CI: require approval)`;

function git(cwd: string, args: string[]) {
  return spawnSync("git", args, { cwd, encoding: "utf8" });
}

/**
 * Synthesizes the project in `dir` into `outdir` with the project's own app command:
 * scripts/run-app.mjs when present, else cdktf.json's "app".
 */
function synthesize(dir: string, outdir: string, label: string): void {
  const runApp = path.join(dir, "scripts", "run-app.mjs");
  let command: string;
  if (fs.existsSync(runApp)) command = `"${process.execPath}" scripts/run-app.mjs`;
  else {
    const cdktfJson = path.join(dir, "cdktf.json");
    if (!fs.existsSync(cdktfJson)) throw new UsageError(`${label} has no cdktf.json to synthesize`);
    const app = (JSON.parse(fs.readFileSync(cdktfJson, "utf8")) as { app?: string }).app;
    if (!app) throw new UsageError(`${cdktfJson} has no "app" command`);
    command = app;
  }
  const result = spawnSync(command, {
    cwd: dir,
    shell: true,
    encoding: "utf8",
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
    throw new UsageError(
      `synthesizing ${label} failed (exit ${result.status ?? result.signal}):\n${output}`,
    );
  }
}

/** Synthesizes `ref` in a temporary worktree and the working tree; returns both cdktf.out folders. */
function synthesizeBaseAndWorkingTree<T>(
  project: string,
  ref: string,
  use: (before: string, after: string) => T,
): T {
  const top = git(project, ["rev-parse", "--show-toplevel"]);
  if (top.status !== 0)
    throw new UsageError(`--base needs a git repository; ${project} is not in one`);
  const verify = git(project, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (verify.status !== 0) {
    throw new UsageError(
      `git ref "${ref}" does not exist in ${top.stdout.trim()}; check the name or fetch it (git fetch origin ${ref})`,
    );
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-review-"));
  const worktree = path.join(tmp, "base");
  try {
    const add = git(project, [
      "worktree",
      "add",
      "--detach",
      "--quiet",
      worktree,
      verify.stdout.trim(),
    ]);
    if (add.status !== 0) throw new UsageError(`git worktree add failed: ${add.stderr.trim()}`);
    // The base may sit in a subfolder of the repository, like the project does.
    const relative = path.relative(top.stdout.trim(), project);
    const baseProject = path.join(worktree, relative);
    const modules = path.join(project, "node_modules");
    if (fs.existsSync(modules) && !fs.existsSync(path.join(baseProject, "node_modules"))) {
      fs.symlinkSync(modules, path.join(baseProject, "node_modules"), "dir");
    }
    const before = path.join(tmp, "before");
    const after = path.join(tmp, "after");
    synthesize(baseProject, before, `base ref ${ref}`);
    synthesize(project, after, "the working tree");
    return use(before, after);
  } finally {
    git(project, ["worktree", "remove", "--force", worktree]);
    fs.rmSync(tmp, { recursive: true, force: true });
    git(project, ["worktree", "prune"]);
  }
}

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  const args = parseArgs(argv, ["base", "format", "prod"], ["help", "h"]);
  if (args.options.has("help") || args.options.has("h")) {
    console.log(USAGE);
    return 0;
  }
  const format = formatOption(args, ["text", "md", "json"] as const, "text");
  const prodOverride = args.options.get("prod");
  const tiers = environmentTiers(typeof prodOverride === "string" ? prodOverride : undefined);
  const base = args.options.get("base");

  const review = (beforeDir: string, afterDir: string, beforeLabel: string, afterLabel: string) => {
    const result = reviewOutputs(readCdktfOut(beforeDir), readCdktfOut(afterDir), {
      prodEnvironments: tiers.prod,
      stagingEnvironments: tiers.staging,
      knownEnvironments: tiers.known,
      beforeLabel,
      afterLabel,
    });
    const render = { text: renderText, md: renderMarkdown, json: renderJson }[format];
    process.stdout.write(render(result));
    return result.exitCode;
  };

  if (typeof base === "string") {
    if (args.positional.length > 0)
      throw new UsageError(`give --base or two folders, not both\n\n${USAGE}`);
    return synthesizeBaseAndWorkingTree(process.cwd(), base, (before, after) =>
      review(before, after, base, "working tree"),
    );
  }
  if (args.positional.length !== 2) throw new UsageError(USAGE);
  const [before, after] = args.positional;
  return review(before, after, before, after);
}
