/**
 * Readiness checks: the workloads of the seeds' Helm stacks in apply order with their release
 * timeouts, the post-apply hook of `npm run graph`, and `npm run rollout` printing offline or,
 * only with --run, building the cluster's own kubeconfig with the cloud's CLI and running kubectl
 * in it (fake CLIs on PATH, support/fake-clis.ts). Cases about kubectl spawn the command (it finds
 * the CLIs on the PATH it is given); the rest call its run(argv) in-process (support/cli.ts).
 * rollout-context.test.ts covers each cloud's commands and the failure reports in-process.
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
import { calls, fakeClis } from "./support/fake-clis";

const ROOT = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-rollout-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const out = () => readCdktfOut(realApp().outdir);
const commands = (stack: string) => rolloutTargets(out(), stack).map((t) => rolloutCommand(t));

describe("rollout targets of the seeds", () => {
  test("prod's apps on GCP (Helm releases): every Deployment, with the apps timeout", () => {
    expect(commands("prod-gcp-apps")).toEqual([
      "kubectl rollout status deployment/ai-service -n prod --timeout=900s",
      "kubectl rollout status deployment/angzarr -n prod --timeout=900s",
      "kubectl rollout status deployment/backend -n prod --timeout=900s",
      "kubectl rollout status deployment/scheduler -n prod --timeout=900s",
    ]);
  });

  test("prod's apps on DigitalOcean (Argo CD): each Application in sync, then healthy, in argocd", () => {
    const app = (name: string) => [
      `kubectl wait application.argoproj.io/prod-${name} -n argocd --for=jsonpath={.status.sync.status}=Synced --timeout=900s`,
      `kubectl wait application.argoproj.io/prod-${name} -n argocd --for=jsonpath={.status.health.status}=Healthy --timeout=900s`,
    ];
    expect(commands("prod-do-apps")).toEqual([
      // The repositories' credentials Secret (created outside Strata) first.
      "kubectl get secret/angzarr-github -n argocd -o name",
      ...["angzarr", "backend", "ai-service", "scheduler"].flatMap(app),
    ]);
  });

  test("prod's databases: ClickHouse hosts and Keeper nodes, Meilisearch, PostgreSQL HA and Redis Sentinel, 160 minutes", () => {
    expect(commands("prod-do-databases")).toEqual([
      "kubectl rollout status statefulset/chk-analytics-keeper-0-0 -n prod --timeout=9600s",
      "kubectl rollout status statefulset/chk-analytics-keeper-0-1 -n prod --timeout=9600s",
      "kubectl rollout status statefulset/chk-analytics-keeper-0-2 -n prod --timeout=9600s",
      "kubectl rollout status statefulset/chi-analytics-main-0-0 -n prod --timeout=9600s",
      "kubectl rollout status statefulset/chi-analytics-main-0-1 -n prod --timeout=9600s",
      "kubectl rollout status statefulset/search-meilisearch -n prod --timeout=9600s",
      "kubectl wait cluster.postgresql.cnpg.io/db -n prod --for=condition=Ready --timeout=9600s",
      "kubectl rollout status statefulset/cache-valkey -n prod --timeout=9600s",
    ]);
  });

  test("staging's single-node databases and dev's Kafka on Strimzi, with their tiers' timeouts", () => {
    expect(commands("staging-do-databases")).toEqual([
      "kubectl wait cluster.postgresql.cnpg.io/db -n staging --for=condition=Ready --timeout=1800s",
      "kubectl rollout status statefulset/cache-valkey -n staging --timeout=1800s",
    ]);
    expect(commands("dev-aws-buses")).toEqual([
      // Strimzi's custom resources: the operator reports each Ready once reconciled.
      "kubectl wait kafkas.kafka.strimzi.io/events -n dev --for=condition=Ready --timeout=900s",
      "kubectl wait kafkatopics.kafka.strimzi.io/events -n dev --for=condition=Ready --timeout=900s",
      "kubectl wait kafkausers.kafka.strimzi.io/events-app -n dev --for=condition=Ready --timeout=900s",
      "kubectl rollout status statefulset/mq-server -n dev --timeout=900s",
    ]);
  });

  test("under Argo CD the migration is a hook of the app's Application: no target of its own", () => {
    const targets = rolloutTargets(out(), "prod-do-apps");
    expect(targets.map((t) => t.release)).not.toContain("angzarr-migrate");
    expect(new Set(targets.map((t) => `${t.release} ${t.chart}`))).toEqual(
      new Set(["prod-apps argocd-apps"]),
    );
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
  /** The command, spawned as `npm run rollout` runs it, with the fake CLIs first on PATH. */
  const spawnRollout = (args: string[], bin: string) =>
    spawnScript("scripts/rollout.ts", args, { PATH: `${bin}:${process.env.PATH}` });
  /** The same command in-process (offline: it must not run kubectl). */
  const rollout = (args: string[]) => invoke(run, args, { cwd: ROOT });
  /** The temporary kubeconfig of a run: what the first call's KUBECONFIG was. */
  const kubeconfigOf = (bin: string) => /^KUBECONFIG=(\S+) /.exec(calls(bin)[0])![1];

  test("prints the commands offline and runs nothing", () => {
    const bin = fakeClis(work);
    const r = spawnRollout(
      ["prod-do-databases", realApp().outdir, "--context", "do-nyc3-prod-doks"],
      bin,
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")[0]).toBe(
      "kubectl --context do-nyc3-prod-doks rollout status statefulset/chk-analytics-keeper-0-0 -n prod --timeout=9600s",
    );
    expect(calls(bin)).toEqual([]);
  });

  test("--run builds the cluster's own kubeconfig with doctl, then runs kubectl in it, in order", () => {
    const bin = fakeClis(work);
    const r = spawnRollout(["prod-do-databases", realApp().outdir, "--run"], bin);
    expect(r.status).toBe(0);
    const kc = kubeconfigOf(bin);
    expect(path.basename(kc)).toBe("kubeconfig");
    expect(path.basename(path.dirname(kc))).toMatch(/^strata-kube-/);
    const k = `KUBECONFIG=${kc} kubectl --kubeconfig ${kc} --context prod-doks`;
    expect(calls(bin)).toEqual([
      `KUBECONFIG=${kc} doctl kubernetes cluster kubeconfig save prod-doks --alias prod-doks`,
      `${k} --request-timeout=30s get --raw=/readyz`,
      `${k} rollout status statefulset/chk-analytics-keeper-0-0 -n prod --timeout=9600s`,
      `${k} rollout status statefulset/chk-analytics-keeper-0-1 -n prod --timeout=9600s`,
      `${k} rollout status statefulset/chk-analytics-keeper-0-2 -n prod --timeout=9600s`,
      `${k} rollout status statefulset/chi-analytics-main-0-0 -n prod --timeout=9600s`,
      `${k} rollout status statefulset/chi-analytics-main-0-1 -n prod --timeout=9600s`,
      `${k} rollout status statefulset/search-meilisearch -n prod --timeout=9600s`,
      `${k} wait cluster.postgresql.cnpg.io/db -n prod --for=condition=Ready --timeout=9600s`,
      `${k} rollout status statefulset/cache-valkey -n prod --timeout=9600s`,
    ]);
    expect(r.stdout).toMatch(/prod-do-databases: 8 workloads ready/);
    expect(fs.existsSync(path.dirname(kc))).toBe(false); // the temporary kubeconfig is removed
  });

  test("--run stops at the first workload that is not ready, exit 1", () => {
    const bin = fakeClis(work, {
      failing: "cluster.postgresql.cnpg.io/db",
      stderr: "error: timed out waiting for the condition on clusters/db",
    });
    const r = spawnRollout(["prod-do-databases", realApp().outdir, "--run"], bin);
    expect(r.status).toBe(1);
    expect(calls(bin).filter((c) => / rollout status /.test(c))).toHaveLength(6);
    expect(r.stderr).toMatch(
      /prod-do-databases: cluster\/db \(release db\) in prod is not ready after 9600s; see kubectl -n prod describe cluster\.postgresql\.cnpg\.io\/db/,
    );
    expect(r.stderr).not.toMatch(/cannot be reached/);
  });

  test("--run reports a cluster it cannot reach as a connection failure, exit 3", () => {
    const bin = fakeClis(work, {
      failing: "--raw=/readyz",
      stderr: "Unable to connect to the server: dial tcp 203.0.113.7:443: i/o timeout",
    });
    const r = spawnRollout(["prod-do-apps", realApp().outdir, "--run"], bin);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      /prod-do-apps: the Kubernetes API of cluster prod-doks \(digitalocean\) cannot be reached \(a connection failure, not a workload that is not ready\)/,
    );
    expect(r.stderr).toMatch(/dial tcp 203\.0\.113\.7:443: i\/o timeout/);
    expect(r.stderr).toMatch(/controlPlaneFirewall\.allowedAddresses/);
    expect(r.stderr).toMatch(/strata-prod-doks/);
    expect(r.stderr).not.toMatch(/not ready after/);
    expect(calls(bin).some((c) => / rollout status /.test(c))).toBe(false);
  });

  test("--format json and usage errors", () => {
    const json = rollout(["prod-do-apps", realApp().outdir, "--format", "json"]);
    expect(JSON.parse(json.stdout).slice(0, 2)).toMatchObject([
      { kind: "secret", name: "angzarr-github", namespace: "argocd" },
      { kind: "application", name: "prod-angzarr", check: "sync" },
    ]);
    const none = rollout([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/usage: npm run rollout -- <stack>/);
  });
});
