/**
 * `npm run rollout -- <stack> --run` in the stack's own kube context, in-process: the cluster read
 * from each seed stack's JSON; per cloud the exact CLI command that writes a temporary kubeconfig
 * (KUBECONFIG = that file, never the ambient one) and kubectl run with `--kubeconfig <it>
 * --context <the CLI's context>`; a cluster that cannot be reached or refuses the credentials
 * reported as such (exit 3) with the likely fixes, distinct from a workload not ready in time
 * (exit 1). The commands go through an injected runner that records them; one case runs the real
 * command with fake CLIs on a temporary PATH.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readCdktfOut, readStack, type StackJson } from "../../scripts/lib/cdktf-out";
import {
  classifyFailure,
  stackCluster,
  type CommandRunner,
  type RunResult,
} from "../../scripts/lib/kube-context";
import { ROLLOUT_EXIT, rolloutTargets, runRollout } from "../../scripts/lib/rollout";
import { run } from "../../scripts/rollout";
import { realApp } from "../support/app";
import { invoke } from "../support/cli";
import { calls, fakeClis } from "./support/fake-clis";

const ROOT = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-rollout-context-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const out = () => readCdktfOut(realApp().outdir);
const cluster = (stack: string) => stackCluster(readStack(out(), stack), stack);

/** One recorded command: program, arguments and the KUBECONFIG it ran with. */
interface Call {
  readonly command: string;
  readonly args: readonly string[];
  readonly kubeconfig: string | undefined;
  readonly stream: boolean;
}

/**
 * A runner that records each command. The cloud CLIs write a kubeconfig with `context` to the
 * KUBECONFIG they are given (as the real ones do); kubectl answers with `kubectl(args)`.
 */
function recorder(
  context: string,
  kubectl: (args: readonly string[]) => Partial<RunResult> = () => ({}),
  cli: () => Partial<RunResult> = () => ({}),
) {
  const log: Call[] = [];
  const runner: CommandRunner = (command, args, { env, stream }) => {
    log.push({ command, args, kubeconfig: env.KUBECONFIG, stream });
    const done = (r: Partial<RunResult>): RunResult => ({
      status: 0,
      stdout: "",
      stderr: "",
      ...r,
    });
    if (command === "kubectl") return done(kubectl(args));
    const r = done(cli());
    if (r.status === 0 && !r.error) {
      fs.writeFileSync(
        env.KUBECONFIG!,
        `apiVersion: v1\nkind: Config\ncontexts:\n  - name: ${context}\n    context: { cluster: c, user: u }\ncurrent-context: ${context}\n`,
      );
    }
    return r;
  };
  return { runner, log };
}

/** runRollout for a seed stack with `runner`, output collected; KUBECONFIG ambient is set. */
function rollout(stack: string, runner: CommandRunner, extra: { context?: string } = {}) {
  const lines = { out: [] as string[], err: [] as string[] };
  const tmpRoot = fs.mkdtempSync(path.join(work, "tmp-"));
  const code = runRollout({
    stack,
    targets: rolloutTargets(out(), stack),
    cluster: cluster(stack),
    context: extra.context,
    runner,
    env: { PATH: process.env.PATH, KUBECONFIG: "/home/operator/.kube/config" },
    log: (l) => lines.out.push(l),
    error: (l) => lines.err.push(l),
    tmpRoot,
  });
  return { code, out: lines.out.join("\n"), err: lines.err.join("\n"), tmpRoot };
}

const line = (c: Call) => [c.command, ...c.args].join(" ");

describe("the cluster of each seed Helm stack, from its JSON", () => {
  test("GKE: name, location and project of the data source; EKS: region; DOKS: name", () => {
    expect(cluster("prod-gcp-databases")).toEqual({
      cloud: "gcp",
      name: "prod-gke",
      location: "us-central1",
      project: "angzarr-prod",
      internalIp: false,
    });
    expect(cluster("prod-aws-apps")).toEqual({
      cloud: "aws",
      name: "prod-eks",
      region: "us-east-1",
    });
    expect(cluster("prod-do-platform")).toEqual({ cloud: "digitalocean", name: "prod-doks" });
    // Staging's Helm layers run on prod's shared DigitalOcean cluster.
    expect(cluster("staging-do-apps")).toEqual({ cloud: "digitalocean", name: "prod-doks" });
  });

  test("stacks that talk to no cluster have none", () => {
    for (const s of ["prod-gcp-network", "prod-aws-cluster", "prod-do-cluster", "prod-gcp-data"]) {
      expect(cluster(s)).toBeUndefined();
    }
  });

  test("providers on GKE's internal endpoint get credentials with --internal-ip", () => {
    const json = readStack(out(), "prod-gcp-apps");
    const host =
      "https://${data.google_container_cluster.Cluster.private_cluster_config[0].private_endpoint}";
    const internal: StackJson = {
      ...json,
      provider: { ...json.provider, kubernetes: [{ host }], helm: [{ kubernetes: { host } }] },
    };
    expect(stackCluster(internal, "prod-gcp-apps")).toMatchObject({ internalIp: true });
    const { runner, log } = recorder("gke_angzarr-prod_us-central1_prod-gke");
    runRollout({
      stack: "prod-gcp-apps",
      targets: rolloutTargets(out(), "prod-gcp-apps"),
      cluster: stackCluster(internal, "prod-gcp-apps"),
      runner,
      env: {},
      log: () => undefined,
      error: () => undefined,
      tmpRoot: work,
    });
    expect(line(log[0])).toBe(
      "gcloud container clusters get-credentials prod-gke --location us-central1 --project angzarr-prod --internal-ip",
    );
  });
});

describe("a kube context of its own, per cloud", () => {
  test("GKE: gcloud get-credentials into a temporary KUBECONFIG, kubectl in gcloud's context", () => {
    const ctx = "gke_angzarr-prod_us-central1_prod-gke";
    const { runner, log } = recorder(ctx);
    const r = rollout("prod-gcp-databases", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.ready);
    const kc = log[0].kubeconfig!;
    expect(kc).toBe(path.join(path.dirname(kc), "kubeconfig"));
    expect(path.dirname(path.dirname(kc))).toBe(r.tmpRoot);
    expect(log.map(line)).toEqual([
      "gcloud container clusters get-credentials prod-gke --location us-central1 --project angzarr-prod",
      `kubectl --kubeconfig ${kc} --context ${ctx} --request-timeout=30s get --raw=/readyz`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/chk-analytics-keeper-0-0 -n prod --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/chk-analytics-keeper-0-1 -n prod --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/chk-analytics-keeper-0-2 -n prod --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/chi-analytics-main-0-0 -n prod --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/chi-analytics-main-0-1 -n prod --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/search-meilisearch -n prod --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} wait cluster.postgresql.cnpg.io/db -n prod --for=condition=Ready --timeout=9600s`,
      `kubectl --kubeconfig ${kc} --context ${ctx} rollout status statefulset/cache-valkey -n prod --timeout=9600s`,
    ]);
    // Every command ran with KUBECONFIG = the temporary file, never the ambient one.
    expect(new Set(log.map((c) => c.kubeconfig))).toEqual(new Set([kc]));
    expect(r.out).toMatch(/prod-gcp-databases: 8 workloads ready/);
    expect(fs.existsSync(path.dirname(kc))).toBe(false);
  });

  test("EKS: aws eks update-kubeconfig --kubeconfig <temporary file> --alias <cluster>", () => {
    const { runner, log } = recorder("prod-eks");
    const r = rollout("prod-aws-buses", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.ready);
    const kc = log[0].kubeconfig!;
    expect(kc).not.toBe("/home/operator/.kube/config");
    expect(log.map(line)).toEqual([
      `aws eks update-kubeconfig --name prod-eks --region us-east-1 --kubeconfig ${kc} --alias prod-eks`,
      `kubectl --kubeconfig ${kc} --context prod-eks --request-timeout=30s get --raw=/readyz`,
      `kubectl --kubeconfig ${kc} --context prod-eks rollout status statefulset/mq-server -n prod --timeout=9600s`,
    ]);
    expect(log.every((c) => c.kubeconfig === kc)).toBe(true);
  });

  test("DOKS: doctl kubeconfig save --alias with KUBECONFIG=<temporary file>", () => {
    const { runner, log } = recorder("prod-doks");
    const r = rollout("staging-do-apps", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.ready);
    const kc = log[0].kubeconfig!;
    expect(line(log[0])).toBe(
      "doctl kubernetes cluster kubeconfig save prod-doks --alias prod-doks",
    );
    expect(log.slice(1).every((c) => c.command === "kubectl" && c.kubeconfig === kc)).toBe(true);
    expect(log.slice(2).map((c) => c.args.slice(0, 4).join(" "))).toEqual(
      Array(log.length - 2).fill(`--kubeconfig ${kc} --context prod-doks`),
    );
  });

  test("--context: kubectl in that context of the ambient kubeconfig, no CLI run", () => {
    const { runner, log } = recorder("unused");
    const r = rollout("prod-do-apps", runner, { context: "my-tunnel" });
    expect(r.code).toBe(ROLLOUT_EXIT.ready);
    expect(log.every((c) => c.command === "kubectl")).toBe(true);
    expect(log[1].args).toEqual([
      "--context",
      "my-tunnel",
      "get",
      "secret/angzarr-github",
      "-n",
      "argocd",
      "-o",
      "name",
    ]);
    expect(log[2].args).toEqual([
      "--context",
      "my-tunnel",
      "wait",
      "application.argoproj.io/prod-angzarr",
      "-n",
      "argocd",
      "--for=jsonpath={.status.sync.status}=Synced",
      "--timeout=900s",
    ]);
    expect(log[0].kubeconfig).toBe("/home/operator/.kube/config");
  });

  test("a CLI that writes another context than expected is an error naming both", () => {
    const { runner } = recorder("arn:aws:eks:us-east-1:123456789012:cluster/prod-eks");
    const r = rollout("prod-aws-apps", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.unreachable);
    expect(r.err).toMatch(
      /did not write context prod-eks to .*kubeconfig \(it has: arn:aws:eks:us-east-1:123456789012:cluster\/prod-eks\)/,
    );
  });
});

describe("failures: unreachable or refused (exit 3) versus not ready (exit 1)", () => {
  const unreachable = "Unable to connect to the server: dial tcp 172.16.0.2:443: i/o timeout";

  test("the API cannot be reached: a connection failure naming the cluster and the fixes", () => {
    const { runner, log } = recorder("gke_angzarr-prod_us-central1_prod-gke", () => ({
      status: 1,
      stderr: unreachable,
    }));
    const r = rollout("prod-gcp-apps", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.unreachable);
    expect(r.err).toMatch(
      /prod-gcp-apps: the Kubernetes API of cluster prod-gke \(gcp, project angzarr-prod, us-central1\) cannot be reached \(a connection failure, not a workload that is not ready\)/,
    );
    expect(r.err).toContain(unreachable);
    expect(r.err).toMatch(/authorizedNetworks/);
    expect(r.err).toMatch(/self-hosted runner labelled strata-prod-gke/);
    expect(r.err).not.toMatch(/not ready after/);
    // Only the reachability check ran: no rollout status waited on an unreachable API.
    expect(log.filter((c) => c.command === "kubectl")).toHaveLength(1);
  });

  test("the connection drops while waiting: still a connection failure, not 'not ready'", () => {
    const { runner } = recorder("prod-eks", (args) =>
      args.includes("rollout")
        ? {
            status: 1,
            stderr:
              "The connection to the server 10.70.4.1:443 was refused - did you specify the right host or port?",
          }
        : {},
    );
    const r = rollout("prod-aws-apps", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.unreachable);
    expect(r.err).toMatch(/cannot be reached \(a connection failure/);
    expect(r.err).toMatch(/run from inside the VPC/);
    expect(r.err).not.toMatch(/not ready after/);
  });

  test("credentials refused: exit 3 with the credential fixes for the cloud", () => {
    const { runner } = recorder("prod-doks", () => ({
      status: 1,
      stderr: "error: You must be logged in to the server (Unauthorized)",
    }));
    const r = rollout("prod-do-databases", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.unreachable);
    expect(r.err).toMatch(/refused or could not get the credentials/);
    expect(r.err).toMatch(/DIGITALOCEAN_ACCESS_TOKEN/);
  });

  test("the cloud CLI fails to get credentials: exit 3, kubectl never runs", () => {
    const { runner, log } = recorder(
      "unused",
      () => ({}),
      () => ({
        status: 1,
        stderr:
          'ERROR: (gcloud.container.clusters.get-credentials) ResponseError: code=403, message=Required "container.clusters.get" permission(s)',
      }),
    );
    const r = rollout("prod-gcp-buses", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.unreachable);
    expect(r.err).toMatch(/gcloud could not get the credentials of cluster prod-gke/);
    expect(r.err).toMatch(/container\.clusters\.get/);
    expect(log.some((c) => c.command === "kubectl")).toBe(false);
  });

  test("a CLI that is not installed is an error naming it", () => {
    const { runner } = recorder(
      "unused",
      () => ({}),
      () => ({
        status: null,
        error: Object.assign(new Error("spawn doctl ENOENT"), { code: "ENOENT" }),
      }),
    );
    expect(() => rollout("prod-do-apps", runner)).toThrow(/cannot run doctl \(ENOENT\)/);
  });

  test("Argo CD: a missing repository credentials Secret is named with the fix, exit 1, before any Application", () => {
    const { runner, log } = recorder("prod-doks", (args) =>
      args.includes("secret/angzarr-github")
        ? {
            status: 1,
            stderr: 'Error from server (NotFound): secrets "angzarr-github" not found',
          }
        : {},
    );
    const r = rollout("prod-do-apps", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.notReady);
    expect(r.err).toMatch(
      /prod-do-apps: Secret angzarr-github \(credentials of https:\/\/github\.com\/angzarr\/deploy\.git, https:\/\/github\.com\/angzarr\/infrastructure\.git\) in argocd is missing or unreadable: .*NotFound.*; create it in argocd with the label argocd\.argoproj\.io\/secret-type: repository/,
    );
    expect(log.some((c) => c.args.includes("wait"))).toBe(false);
  });

  test("Argo CD: an Application that does not become healthy in time names how to inspect it", () => {
    const { runner } = recorder("prod-doks", (args) =>
      args.includes("application.argoproj.io/prod-backend") &&
      args.some((a) => a.includes("health"))
        ? {
            status: 1,
            stderr: "error: timed out waiting for the condition on applications/prod-backend",
          }
        : {},
    );
    const r = rollout("prod-do-apps", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.notReady);
    expect(r.err).toMatch(
      /prod-do-apps: Argo CD Application prod-backend \(health Healthy\) in argocd not reached after 900s; see kubectl -n argocd get application\.argoproj\.io\/prod-backend -o yaml/,
    );
  });

  test("a real timeout is still 'not ready after N s', exit 1", () => {
    const { runner, log } = recorder("prod-doks", (args) =>
      args.some((a) => a.includes("cluster.postgresql.cnpg.io"))
        ? {
            status: 1,
            stderr: "error: timed out waiting for the condition on clusters/db",
          }
        : {},
    );
    const r = rollout("prod-do-databases", runner);
    expect(r.code).toBe(ROLLOUT_EXIT.notReady);
    expect(r.err).toMatch(
      /prod-do-databases: cluster\/db \(release db\) in prod is not ready after 9600s; see kubectl -n prod describe cluster\.postgresql\.cnpg\.io\/db/,
    );
    expect(r.err).not.toMatch(/cannot be reached|credentials/);
    expect(log.filter((c) => c.args.includes("rollout"))).toHaveLength(6);
    expect(log.filter((c) => c.args.includes("rollout")).every((c) => c.stream)).toBe(true);
  });

  test("classifies kubectl's error output", () => {
    expect(classifyFailure("error: timed out waiting for the condition")).toBe("timeout");
    expect(classifyFailure('error: deployment "x" exceeded its progress deadline')).toBe("timeout");
    expect(
      classifyFailure("Unable to connect to the server: dial tcp: lookup x: no such host"),
    ).toBe("connection");
    expect(classifyFailure("dial tcp 10.0.0.1:443: connect: connection refused")).toBe(
      "connection",
    );
    expect(classifyFailure("net/http: TLS handshake timeout")).toBe("connection");
    expect(
      classifyFailure("getting credentials: exec: executable gke-gcloud-auth-plugin not found"),
    ).toBe("credentials");
    expect(classifyFailure("error: You must be logged in to the server (Unauthorized)")).toBe(
      "credentials",
    );
    expect(classifyFailure('Error from server (NotFound): deployments.apps "x" not found')).toBe(
      "other",
    );
  });
});

describe("npm run rollout --run in-process, with fake CLIs on a temporary PATH", () => {
  test("gcloud then kubectl, found on the PATH given, in a temporary KUBECONFIG", () => {
    const bin = fakeClis(work);
    const r = invoke(run, ["prod-gcp-apps", realApp().outdir, "--run"], {
      cwd: ROOT,
      env: { PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: "/nonexistent/ambient" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const log = calls(bin);
    const kc = /^KUBECONFIG=(\S+) /.exec(log[0])![1];
    expect(kc).not.toBe("/nonexistent/ambient");
    expect(log[0]).toBe(
      `KUBECONFIG=${kc} gcloud container clusters get-credentials prod-gke --location us-central1 --project angzarr-prod`,
    );
    expect(
      log
        .slice(1)
        .every((c) =>
          c.startsWith(
            `KUBECONFIG=${kc} kubectl --kubeconfig ${kc} --context gke_angzarr-prod_us-central1_prod-gke `,
          ),
        ),
    ).toBe(true);
    expect(r.stdout).toMatch(/prod-gcp-apps: \d+ workloads ready/);
  });
});
