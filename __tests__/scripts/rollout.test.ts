/**
 * Readiness checks: the workloads of the seeds' Helm stacks in apply order with their release
 * timeouts, the post-apply hook of `npm run graph`, and `npm run rollout` printing offline or
 * running kubectl (a fake one on PATH) only with --run. Cases about kubectl spawn the command (it
 * finds kubectl on the PATH it is given); the rest call its run(argv) in-process (support/cli.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readCdktfOut } from "../../scripts/lib/cdktf-out";
import { applyPlan, buildGraph, readinessHook } from "../../scripts/lib/graph";
import { rolloutCommand, rolloutTargets } from "../../scripts/lib/rollout";
import { run } from "../../scripts/rollout";
import { realApp } from "../support/app";
import { invoke, spawnScript } from "../support/cli";

const ROOT = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-rollout-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const out = () => readCdktfOut(realApp().outdir);
const commands = (stack: string) => rolloutTargets(out(), stack).map((t) => rolloutCommand(t));

describe("rollout targets of the seeds", () => {
  test("prod's apps on DigitalOcean: every Deployment, with the apps timeout", () => {
    expect(commands("prod-do-apps")).toEqual([
      "kubectl rollout status deployment/ai-service -n prod --timeout=900s",
      "kubectl rollout status deployment/angzarr -n prod --timeout=900s",
      "kubectl rollout status deployment/backend -n prod --timeout=900s",
      "kubectl rollout status deployment/scheduler -n prod --timeout=900s",
    ]);
  });

  test("prod's databases: PostgreSQL HA and Redis Sentinel StatefulSets, 160 minutes", () => {
    expect(commands("prod-do-databases")).toEqual([
      "kubectl rollout status statefulset/db-postgresql-ha-postgresql -n prod --timeout=9600s",
      "kubectl rollout status deployment/db-postgresql-ha-pgpool -n prod --timeout=9600s",
      "kubectl rollout status statefulset/cache-redis-node -n prod --timeout=9600s",
    ]);
  });

  test("staging's single-node databases and dev's KRaft Kafka, with their tiers' timeouts", () => {
    expect(commands("staging-do-databases")).toEqual([
      "kubectl rollout status statefulset/db-postgresql -n staging --timeout=1800s",
      "kubectl rollout status statefulset/cache-redis-master -n staging --timeout=1800s",
    ]);
    expect(commands("dev-aws-buses")).toEqual([
      "kubectl rollout status statefulset/events-kafka-controller -n dev --timeout=900s",
      "kubectl rollout status statefulset/mq-rabbitmq -n dev --timeout=900s",
    ]);
  });

  test("a release after the release it depends on (the migration hook has no workload)", () => {
    const targets = rolloutTargets(out(), "prod-do-apps");
    expect(targets.map((t) => t.release)).not.toContain("angzarr-migrate");
    expect(targets.find((t) => t.release === "angzarr")?.chart).toBe("service");
  });

  test("an unknown stack is an error naming it", () => {
    expect(() => rolloutTargets(out(), "nope-do-apps")).toThrow(/stack "nope-do-apps" is not in/);
  });
});

describe("the graph's post-apply hook", () => {
  test("after each databases, buses and apps stack, none after the others", () => {
    const g = buildGraph(out(), { environments: ["prod"], prodEnvironments: ["prod"] });
    const after = new Map(
      applyPlan(g)
        .flat()
        .map((s) => [s.stack, s.after]),
    );
    expect(after.get("prod-do-apps")).toEqual(["npm run -s rollout -- prod-do-apps --run"]);
    expect(after.get("prod-gcp-databases")).toEqual([
      "npm run -s rollout -- prod-gcp-databases --run",
    ]);
    expect(after.get("prod-do-buses")).toHaveLength(1);
    expect(after.get("prod-do-platform")).toEqual([]);
    expect(after.get("prod-gcp-network")).toEqual([]);
  });

  test("names a cdktf.out folder other than the default", () => {
    expect(
      readinessHook({
        name: "prod-do-apps",
        environment: "prod",
        cloud: "do",
        layer: "apps",
        prod: true,
        dependencies: [],
        workingDirectory: "out/after/stacks/prod-do-apps",
      }),
    ).toEqual(["npm run -s rollout -- prod-do-apps out/after --run"]);
  });
});

describe("npm run rollout", () => {
  /** A fake kubectl that logs its arguments and fails for `failing` workloads. */
  function fakeKubectl(failing = "none"): string {
    const bin = fs.mkdtempSync(path.join(work, "bin-"));
    fs.writeFileSync(
      path.join(bin, "kubectl"),
      `#!/bin/sh\necho "$@" >> "${bin}/calls"\ncase "$*" in *${failing}*) exit 1;; esac\n`,
      { mode: 0o755 },
    );
    return bin;
  }
  const searchPath = (bin?: string) => `${bin ?? fakeKubectl()}:${process.env.PATH}`;
  /** The command, spawned as `npm run rollout` runs it. */
  const spawnRollout = (args: string[], bin?: string) =>
    spawnScript("scripts/rollout.ts", args, { PATH: searchPath(bin) });
  /** The same command in-process (offline: it must not run kubectl). */
  const rollout = (args: string[]) => invoke(run, args, { cwd: ROOT });
  const calls = (bin: string) =>
    fs.existsSync(path.join(bin, "calls"))
      ? fs.readFileSync(path.join(bin, "calls"), "utf8").trim().split("\n")
      : [];

  test("prints the commands offline and runs nothing", () => {
    const bin = fakeKubectl();
    const r = spawnRollout(
      ["prod-do-databases", realApp().outdir, "--context", "do-nyc3-prod-doks"],
      bin,
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")[0]).toBe(
      "kubectl --context do-nyc3-prod-doks rollout status statefulset/db-postgresql-ha-postgresql -n prod --timeout=9600s",
    );
    expect(calls(bin)).toEqual([]);
  });

  test("--run runs kubectl for each workload, in order", () => {
    const bin = fakeKubectl();
    const r = spawnRollout(["prod-do-databases", realApp().outdir, "--run"], bin);
    expect(r.status).toBe(0);
    expect(calls(bin)).toEqual([
      "rollout status statefulset/db-postgresql-ha-postgresql -n prod --timeout=9600s",
      "rollout status deployment/db-postgresql-ha-pgpool -n prod --timeout=9600s",
      "rollout status statefulset/cache-redis-node -n prod --timeout=9600s",
    ]);
    expect(r.stdout).toMatch(/prod-do-databases: 3 workloads ready/);
  });

  test("--run stops at the first workload that is not ready, exit 1", () => {
    const bin = fakeKubectl("pgpool");
    const r = spawnRollout(["prod-do-databases", realApp().outdir, "--run"], bin);
    expect(r.status).toBe(1);
    expect(calls(bin)).toHaveLength(2);
    expect(r.stderr).toMatch(
      /prod-do-databases: deployment\/db-postgresql-ha-pgpool \(release db\) in prod is not ready after 9600s/,
    );
  });

  test("--format json and usage errors", () => {
    const json = rollout(["prod-do-apps", realApp().outdir, "--format", "json"]);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ kind: "deployment", name: "ai-service" });
    const none = rollout([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/usage: npm run rollout -- <stack>/);
  });
});
