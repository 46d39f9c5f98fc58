/**
 * Delivery: where each stack's CI jobs run and which identities they need (scripts/lib/delivery.ts),
 * and the example workflows built on it — Helm-layer jobs on self-hosted runners in the cluster's
 * network, OIDC federation to GCP and AWS, DIGITALOCEAN_ACCESS_TOKEN for DigitalOcean, every
 * action pinned to a commit and every tool to an exact version (docs/delivery.md lists where each
 * pin comes from). The graph job's jq is run on the seeds' real graph when jq is installed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { readCdktfOut } from "../../scripts/lib/cdktf-out";
import { deliveryFacts, HOSTED_RUNNER, type StackDelivery } from "../../scripts/lib/delivery";
import { run as graphRun } from "../../scripts/graph";
import { realApp } from "../support/app";
import { invoke } from "../support/cli";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-delivery-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

type Step = {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};
type Job = {
  if?: string;
  uses?: string;
  "runs-on"?: unknown;
  environment?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  with?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps?: Step[];
};
type Workflow = {
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
};
const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");
const main = parse(text("strata.yml")) as Workflow;
const wave = parse(text("strata-wave.yml")) as Workflow;
const apply = wave.jobs.apply;
const step = (pred: (s: Step) => boolean) => apply.steps!.find(pred)!;

const facts = () => deliveryFacts(readCdktfOut(realApp().outdir));
const HELM_LAYERS = ["platform", "databases", "buses", "apps"];

describe("delivery facts of the seed stacks", () => {
  test("Helm layers run on the self-hosted runner of their cluster; the rest on GitHub's", () => {
    const all = Object.entries(facts());
    expect(all.length).toBeGreaterThan(40);
    for (const [name, f] of all) {
      if (HELM_LAYERS.includes(f.layer)) {
        expect([name, f.runsOn]).toEqual([name, ["self-hosted", `strata-${f.cluster!.name}`]]);
        expect(f.planRunsOn).toEqual(["self-hosted", `strata-${f.cluster!.name}-plan`]);
      } else {
        expect([name, f.cluster, f.runsOn, f.planRunsOn]).toEqual([
          name,
          null,
          HOSTED_RUNNER,
          HOSTED_RUNNER,
        ]);
      }
    }
    const f = facts();
    expect(f["prod-aws-apps"].runsOn).toEqual(["self-hosted", "strata-prod-eks"]);
    expect(f["prod-gcp-databases"].runsOn).toEqual(["self-hosted", "strata-prod-gke"]);
    // Staging's Helm layers run on prod's shared DOKS cluster, so on its runner.
    expect(f["staging-do-apps"].runsOn).toEqual(["self-hosted", "strata-prod-doks"]);
  });

  test("credentials: the stack's clouds and its state backend's", () => {
    const f = facts();
    const c = (s: string) => f[s].credentials;
    expect(c("prod-aws-network")).toEqual({ gcp: false, aws: true, digitalocean: false });
    // prod's state is in S3: GCP and DigitalOcean stacks need AWS for their state.
    expect(c("prod-gcp-apps")).toEqual({ gcp: true, aws: true, digitalocean: false });
    expect(c("prod-do-cluster")).toEqual({ gcp: false, aws: true, digitalocean: true });
    // staging's state is in GCS.
    expect(c("staging-do-apps")).toEqual({ gcp: true, aws: false, digitalocean: true });
  });
});

describe("the workflows", () => {
  /** Actions and the release each is pinned to (docs/delivery.md: where each SHA was read). */
  const PINS: Record<string, [string, string]> = {
    "actions/checkout": ["3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"],
    "actions/setup-node": ["820762786026740c76f36085b0efc47a31fe5020", "v7.0.0"],
    "opentofu/setup-opentofu": ["a1320f892987e89d278cc92dc5adc984fb93aca4", "v2.0.2"],
    "google-github-actions/auth": ["7c6bc770dae815cd3e89ee6cdf493a5fab2cc093", "v3.0.0"],
    "google-github-actions/setup-gcloud": ["aa5489c8933f4cc7a4f7d45035b3b1440c9c10db", "v3.0.1"],
    "aws-actions/configure-aws-credentials": ["e6de054238d6b7531b4efff3b6587d9aade6a06c", "v6.2.3"],
    "marocchino/sticky-pull-request-comment": [
      "5770ad5eb8f42dd2c4f34da00c94c5381e49af88",
      "v3.0.5",
    ],
  };

  test("every action is pinned to a commit SHA, with its release tag beside it", () => {
    const uses = [text("strata.yml"), text("strata-wave.yml")]
      .flatMap((t) => t.split("\n"))
      .map((l) => /^\s*(?:- )?uses: (\S+)(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && !m[1].startsWith("./"));
    expect(uses.length).toBeGreaterThanOrEqual(10);
    for (const [, ref, rest] of uses) {
      const [action, sha] = ref.split("@");
      expect([action, PINS[action]]).toEqual([action, [sha, rest.replace(/^\s*#\s*/, "")]]);
    }
  });

  test("tools at exact versions; node, OpenTofu, gcloud and its GKE plugin, AWS CLI, doctl, kubectl", () => {
    for (const v of [
      "TOFU_VERSION",
      "KUBECTL_VERSION",
      "GCLOUD_VERSION",
      "AWS_CLI_VERSION",
      "DOCTL_VERSION",
    ]) {
      expect([v, wave.env![v]]).toEqual([v, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
    }
    expect(step((s) => !!s.uses?.startsWith("opentofu/")).with!.tofu_version).toBe(
      "${{ env.TOFU_VERSION }}",
    );
    const gcloud = step((s) => !!s.uses?.startsWith("google-github-actions/setup-gcloud"));
    expect(gcloud.with).toEqual({
      version: "${{ env.GCLOUD_VERSION }}",
      install_components: "gke-gcloud-auth-plugin",
    });
    expect(gcloud.if).toBe("matrix.cluster.cloud == 'gcp'");
    const runOf = (name: string) => step((s) => s.name === name).run!;
    expect(runOf("AWS CLI v2")).toContain("awscli-exe-linux-x86_64-${AWS_CLI_VERSION}.zip");
    expect(runOf("doctl")).toMatch(
      /doctl-\$\{DOCTL_VERSION\}-checksums\.sha256[\s\S]*sha256sum --check/,
    );
    expect(runOf("kubectl")).toMatch(
      /v\$\{KUBECTL_VERSION\}[\s\S]*kubectl\.sha256[\s\S]*sha256sum --check/,
    );
    for (const job of [...Object.values(main.jobs), apply]) {
      for (const s of job.steps ?? []) {
        if (s.uses?.startsWith("actions/setup-node"))
          expect(s.with!["node-version"]).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
  });

  test("OIDC federation to GCP and AWS, a token for DigitalOcean, no long-lived cloud keys", () => {
    expect(apply.permissions ?? wave.permissions).toMatchObject({ "id-token": "write" });
    const auth = step((s) => !!s.uses?.startsWith("google-github-actions/auth"));
    expect(auth.if).toBe("matrix.credentials.gcp");
    expect(Object.keys(auth.with!).sort()).toEqual([
      "service_account",
      "workload_identity_provider",
    ]);
    const aws = step((s) => !!s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(aws.if).toBe("matrix.credentials.aws");
    expect(aws.with!["role-to-assume"]).toBe("${{ vars.AWS_ROLE_ARN }}");
    expect(apply.env!.DIGITALOCEAN_ACCESS_TOKEN).toMatch(
      /matrix\.credentials\.digitalocean && secrets\.DIGITALOCEAN_ACCESS_TOKEN/,
    );
    const both = text("strata.yml") + text("strata-wave.yml");
    for (const key of [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "GOOGLE_CREDENTIALS",
      "credentials_json",
      "secrets.DIGITALOCEAN_TOKEN",
    ]) {
      expect([key, both.includes(key)]).toEqual([key, false]);
    }
    // Every job calling the wave workflow grants it the OIDC token.
    for (const [name, job] of Object.entries(main.jobs).filter(([, j]) => j.uses)) {
      expect([name, job.permissions?.["id-token"]]).toEqual([name, "write"]);
    }
  });

  test("jobs run where the graph job says; plans only for same-repository pull requests", () => {
    expect(apply["runs-on"]).toBe("${{ matrix.runsOn }}");
    expect(main.jobs.plan.uses).toBe("./.github/workflows/strata-wave.yml");
    expect(main.jobs.plan.with).toEqual({
      steps: "${{ format('[{0}]', toJSON(matrix.stack)) }}",
      command: "plan",
    });
    expect(main.jobs.plan.if).toMatch(
      /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/,
    );
    const tofu = apply.steps!.filter((s) => /^tofu (plan|apply)$/.test(s.name ?? ""));
    expect(tofu.map((s) => [s.name, s.if])).toEqual([
      ["tofu plan", "inputs.command == 'plan'"],
      ["tofu apply", "inputs.command == 'apply'"],
    ]);
    // Tools and CLI configuration of a job stay in its $RUNNER_TEMP on a persistent runner.
    expect(step((s) => s.name === "Job-local tool folders and configuration").run).toMatch(
      /CLOUDSDK_CONFIG=\$RUNNER_TEMP\/gcloud[\s\S]*XDG_CONFIG_HOME=\$RUNNER_TEMP\/xdg[\s\S]*KUBECONFIG=\$RUNNER_TEMP/,
    );
  });

  const jq = spawnSync("jq", ["--version"]).status === 0;
  (jq ? test : test.skip)("the graph job's outputs on the seeds' graph (jq)", () => {
    const dir = fs.mkdtempSync(path.join(work, "graph-"));
    const graph = invoke(graphRun, [realApp().outdir, "--format", "json"], { cwd: ROOT });
    expect(graph.status).toBe(0);
    fs.writeFileSync(path.join(dir, "graph.expected.json"), graph.stdout);
    fs.writeFileSync(path.join(dir, "delivery.expected.json"), JSON.stringify(facts()));
    const script = main.jobs.graph
      .steps!.find((s) => s.id === "graph")!
      .run!.replace(
        "npm run --silent graph -- --format json > graph.json",
        "cp graph.expected.json graph.json",
      )
      .replace(
        "node scripts/run-app.mjs scripts/lib/delivery.ts cdktf.out > delivery.json",
        "cp delivery.expected.json delivery.json",
      );
    expect(script).not.toMatch(/npm run|run-app/);
    const r = spawnSync("bash", ["-euo", "pipefail", "-c", script], {
      cwd: dir,
      env: { ...process.env, GITHUB_OUTPUT: path.join(dir, "out") },
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const outputs = Object.fromEntries(
      fs
        .readFileSync(path.join(dir, "out"), "utf8")
        .trim()
        .split("\n")
        .map((l) => {
          const i = l.indexOf("=");
          return [l.slice(0, i), JSON.parse(l.slice(i + 1))];
        }),
    ) as Record<string, Array<Record<string, unknown> & StackDelivery>>;
    const plan = outputs.stacks.find((s) => s.stack === "prod-aws-databases")!;
    expect(plan).toMatchObject({
      environment: "prod-plan",
      dir: expect.stringMatching(/stacks\/prod-aws-databases$/),
      runsOn: ["self-hosted", "strata-prod-eks-plan"],
      credentials: { aws: true },
    });
    expect(outputs.stacks.some((s) => String(s.stack).startsWith("dev-"))).toBe(false);
    const applied = Object.entries(outputs)
      .filter(([k]) => k.startsWith("wave"))
      .flatMap(([, v]) => v);
    const db = applied.find((s) => s.stack === "prod-do-databases")!;
    expect(db).toMatchObject({
      environment: "prod",
      runsOn: ["self-hosted", "strata-prod-doks"],
      cluster: { cloud: "digitalocean", name: "prod-doks" },
      credentials: { aws: true, digitalocean: true, gcp: false },
      after: [expect.stringMatching(/^npm run -s rollout -- prod-do-databases .*--run$/)],
    });
    expect(applied.find((s) => s.stack === "prod-gcp-network")).toMatchObject({
      runsOn: HOSTED_RUNNER,
      cluster: null,
    });
  });
});
