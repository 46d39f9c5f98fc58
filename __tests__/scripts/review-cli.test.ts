/**
 * `npm run review` as CI runs it: exit codes, formats, bad input, and `--base <ref>` in a
 * throwaway git repository (the temporary worktree is always removed). The command is spawned for
 * the exit-2 and a usage-error case; the rest call its run(argv) in-process (support/cli.ts).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "../../scripts/review";
import { invoke, spawnScript } from "../support/cli";
import { SECRET_VALUE, synthSide } from "./support/review-apps";

const ROOT = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-review-cli-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const before = synthSide("before", work);
const after = synthSide("after", work);

/** The command, spawned as `npm run review` runs it. */
const reviewCommand = (args: string[]) =>
  spawnScript("scripts/review.ts", args, { STRATA_ENV_FILE: undefined });

/** The same command in-process. */
function review(args: string[], cwd = ROOT) {
  return invoke(run, args, { cwd, env: { STRATA_ENV_FILE: undefined } });
}

describe("two folders", () => {
  test("a dangerous change in prod exits 2 (prod tier from the registry)", () => {
    const result = reviewCommand([before, after]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^!! 3 dangerous changes \(2 in staging\/prod/m);
    expect(result.stdout).not.toContain(SECRET_VALUE);
  });

  test("with no prod-tier environment the same change exits 0", () => {
    const result = review([before, after, "--prod="]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^!! 3 dangerous changes$/m);
  });

  test("--format md and --format json", () => {
    expect(review([before, after, "--format", "md"]).stdout).toMatch(/^## Strata review$/m);
    const json = JSON.parse(review([before, after, "--format=json"]).stdout);
    expect(json.exitCode).toBe(2);
    expect(json.summary).toMatchObject({ stacksAdded: 1, stacksRemoved: 1 });
  });

  test("--help exits 0", () => {
    const result = review(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--base <git-ref>/);
  });
});

describe("bad input exits 1 with a clear message", () => {
  test("a folder that does not exist", () => {
    const result = review([path.join(work, "nope"), after]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/nope is not a folder; give a cdktf\.out folder/);
  });

  test("a folder that is not a cdktf.out", () => {
    const result = review([work, after]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is not a cdktf\.out folder: it has no manifest\.json/);
  });

  test("a corrupt cdk.tf.json: names the file and the JSON error", () => {
    const corrupt = path.join(work, "corrupt");
    fs.cpSync(after, corrupt, { recursive: true });
    const file = path.join(corrupt, "stacks", "prod-gcp-data", "cdk.tf.json");
    fs.writeFileSync(file, '{ "resource": { ');
    const result = review([before, corrupt]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} is not valid JSON:`);
    expect(result.stderr).toMatch(/JSON/);
  });

  test("an unknown option or a wrong format", () => {
    const unknown = reviewCommand([before, after, "--colour"]);
    expect(unknown.status).toBe(1);
    // The message alone, no stack trace.
    expect(unknown.stderr).toBe(
      "unknown option --colour; known: --base, --format, --prod, --help, -h\n",
    );
    expect(review([before, after, "--format", "html"]).stderr).toMatch(
      /--format must be one of text, md, json \(got "html"\)/,
    );
  });
});

describe("--base <git-ref>", () => {
  const repo = path.join(work, "repo");
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: repo,
      encoding: "utf8",
    });
  const worktrees = () =>
    git("worktree", "list", "--porcelain").stdout.match(/^worktree /gm)!.length;

  beforeAll(() => {
    // A project whose cdktf.json app copies ./fixture into CDKTF_OUTDIR: base = before, working tree = after.
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, "cdktf.json"), JSON.stringify({ app: "node synth.js" }));
    fs.writeFileSync(
      path.join(repo, "synth.js"),
      'require("fs").cpSync("fixture", process.env.CDKTF_OUTDIR, { recursive: true });\n',
    );
    fs.cpSync(before, path.join(repo, "fixture"), { recursive: true });
    expect(git("init", "-q").status).toBe(0);
    git("add", ".");
    expect(git("commit", "-qm", "before").status).toBe(0);
    fs.rmSync(path.join(repo, "fixture"), { recursive: true });
    fs.cpSync(after, path.join(repo, "fixture"), { recursive: true });
  });

  test("synthesizes the ref in a temporary worktree and compares it with the working tree", () => {
    const result = review(["--base", "HEAD"], repo);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^Strata review: HEAD → working tree$/m);
    expect(result.stdout).toMatch(/staging-gcp-cluster: stack added/);
    expect(worktrees()).toBe(1);
  });

  test("a ref that does not exist", () => {
    const result = review(["--base", "no-such-branch"], repo);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /git ref "no-such-branch" does not exist in .*; check the name or fetch it/,
    );
  });

  test("a base that fails to synthesize is reported, and its worktree removed", () => {
    fs.writeFileSync(
      path.join(repo, "synth.js"),
      'console.error("boom in base"); process.exit(3);\n',
    );
    git("commit", "-qam", "broken synth");
    fs.writeFileSync(
      path.join(repo, "synth.js"),
      'require("fs").cpSync("fixture", process.env.CDKTF_OUTDIR, { recursive: true });\n',
    );
    const result = review(["--base", "HEAD"], repo);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/synthesizing base ref HEAD failed \(exit 3\):\nboom in base/);
    expect(worktrees()).toBe(1);
  });

  test("outside a git repository", () => {
    const result = review(["--base", "HEAD"], work);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--base needs a git repository/);
  });
});
