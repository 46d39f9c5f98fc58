/**
 * Synthesis as users run it, in child processes: `npm run synth`'s command and `cdktf synth`
 * produce the same output (jest's global setup runs both, at once, before the test files); bad
 * input exits non-zero and leaves a previous cdktf.out untouched; files `tofu init` leaves in
 * stack folders survive a new synthesis.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnvironments } from "../environments";
import { readTree, realApp } from "./support/app";
import { cliSynth } from "./support/cli-synth";

const ROOT = path.join(__dirname, "..");
const RUN_APP = path.join(ROOT, "scripts", "run-app.mjs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-synth-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the synth command in `cwd` (output: cwd/cdktf.out). */
function synth(cwd: string, env: Record<string, string> = {}) {
  const { STRATA_ENVS: _a, STRATA_ENV_FILE: _b, CDKTF_OUTDIR: _c, ...base } = process.env;
  return spawnSync(process.execPath, [RUN_APP], {
    cwd,
    env: { ...base, ...env },
    encoding: "utf8",
  });
}

describe("npm run synth", () => {
  const cwd = path.join(work, "project");
  const out = path.join(cwd, "cdktf.out");
  beforeAll(() => {
    fs.mkdirSync(cwd, { recursive: true });
    // Two environments are enough to see a stale one removed later (the CLI test below runs all).
    const first = synth(cwd, { STRATA_ENVS: "dev,staging" });
    expect(first.status).toBe(0);
  });

  test("bad input exits 1, prints every problem with its path, and leaves cdktf.out untouched", () => {
    const before = readTree(out);
    const file = path.join(work, "bad.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: "qa",
        tier: "prod",
        owner: "x",
        team: "y",
        targets: { gcp: { project: "Bad", region: "us-central1" } },
      }),
    );
    const result = synth(cwd, { STRATA_ENVS: "dev,nope", STRATA_ENV_FILE: file });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/nothing was synthesized/);
    expect(result.stderr).toMatch(/✗ STRATA_ENVS: unknown environment "nope"/);
    expect(result.stderr).toMatch(
      /✗ qa \(.*bad\.json\)\.targets\.gcp\.project: GCP project id "Bad"/,
    );
    expect(result.stderr).toMatch(
      /✗ qa \(.*bad\.json\)\.backend: a prod-tier environment needs a shared, locking backend/,
    );
    expect(readTree(out)).toEqual(before);
  });

  test("a policy violation exits 1 with the gate's report alone (no cdktf advice, no stack trace)", () => {
    const before = readTree(out);
    // dev, renamed and moved to free ranges, with an EKS endpoint open to the internet (NET-2).
    const qa = structuredClone(loadEnvironments().all.find((e) => e.name === "dev")!);
    const { gcp, aws, digitalocean } = qa.targets;
    Object.assign(qa, { name: "qa", workloads: { ...qa.workloads, namespace: "qa" } });
    Object.assign(aws!.network, { vpcCidr: "10.130.0.0/16" });
    Object.assign(aws!.cluster!, { publicEndpoint: { enabled: true, cidrs: ["0.0.0.0/0"] } });
    Object.assign(gcp!.network, {
      subnetCidr: "10.140.0.0/20",
      podsCidr: "10.144.0.0/14",
      servicesCidr: "10.148.0.0/20",
    });
    Object.assign(digitalocean!.network, { ipRange: "10.201.0.0/20" });
    const file = path.join(work, "qa.json");
    fs.writeFileSync(file, JSON.stringify(qa));
    const result = synth(cwd, { STRATA_ENVS: "qa", STRATA_ENV_FILE: file });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\[qa-aws-cluster\] \[NET-2\]/);
    expect(result.stderr).not.toMatch(/If you wish to ignore these validations/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readTree(out)).toEqual(before);
  });

  test("files tofu leaves in a stack folder survive a new synthesis; stale stacks are removed", () => {
    const stackDir = path.join(out, "stacks", "dev-gcp-network");
    fs.mkdirSync(path.join(stackDir, ".terraform"), { recursive: true });
    fs.writeFileSync(path.join(stackDir, ".terraform.lock.hcl"), "# lock");
    const result = synth(cwd, { STRATA_ENVS: "dev" });
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8")).toBe("# lock");
    expect(fs.readdirSync(path.join(out, "stacks")).every((s) => s.startsWith("dev-"))).toBe(true);
  });
});

describe("cdktf synth", () => {
  test("the cdktf CLI produces the same cdktf.out as npm run synth", () => {
    const cli = cliSynth();
    // The CLI's own output is shown only when it failed.
    expect({ status: cli.status, output: cli.status === 0 ? "" : cli.stdout + cli.stderr }).toEqual(
      { status: 0, output: "" },
    );
    expect(readTree(cli.outdir)).toEqual(readTree(realApp().outdir));
  });
});
