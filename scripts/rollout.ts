/**
 * `npm run rollout -- <stack>`: the readiness checks of a Helm-layer stack (databases, buses,
 * apps), derived from its synthesized JSON: `kubectl rollout status` for each Deployment and
 * StatefulSet its releases create, in apply order, with each release's timeout. Prints them
 * (offline); `--run` runs them one after the other with kubectl and stops at the first that fails.
 * `--run` builds a kube context of its own for the stack's cluster (its name and location from the
 * stack's cluster data source): a temporary kubeconfig written by the cloud's CLI, never the
 * ambient one, unless `--context` names one.
 * Exit 0: printed, or all ready; 1: error or a workload not ready in time; 3: the cluster's API
 * could not be reached or refused the credentials.
 */
import { formatOption, parseArgs } from "./lib/args";
import { readCdktfOut, readStack, UsageError } from "./lib/cdktf-out";
import { stackCluster } from "./lib/kube-context";
import { rolloutCommand, rolloutTargets, runRollout, spawnRunner } from "./lib/rollout";

const USAGE = `usage: npm run rollout -- <stack> [cdktf.out] [--run] [--context <kubectl context>] [--format text|json]

Lists what a synthesized Helm-layer stack deploys (Deployments, StatefulSets), in apply order,
as kubectl rollout status commands with each release's timeout.
  --run              run them with kubectl, in order; stop at the first one not ready. The
                     kubeconfig is one of its own for the stack's cluster, in a temporary folder,
                     written by the cloud's CLI (gcloud container clusters get-credentials,
                     aws eks update-kubeconfig, doctl kubernetes cluster kubeconfig save;
                     doctl reads DIGITALOCEAN_ACCESS_TOKEN). CI: docs/delivery.md
  --context <name>   use this context of your own kubeconfig instead of building one
  --format json      the targets as JSON (kind, name, namespace, timeoutSeconds, release, chart)
  --help             this text

exit: 0 printed / all ready, 1 error or a workload not ready, 3 the cluster's API unreachable or
the credentials refused (see the likely fixes printed)`;

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  const args = parseArgs(argv, ["context", "format"], ["run", "help", "h"]);
  if (args.options.has("help") || args.options.has("h")) {
    console.log(USAGE);
    return 0;
  }
  const format = formatOption(args, ["text", "json"] as const, "text");
  const [stack, dir = "cdktf.out", ...rest] = args.positional;
  if (!stack || rest.length > 0) throw new UsageError(USAGE);
  const context = args.options.get("context");
  const ctx = typeof context === "string" ? context : undefined;
  const out = readCdktfOut(dir);
  const targets = rolloutTargets(out, stack);

  if (!args.options.has("run")) {
    if (format === "json") process.stdout.write(JSON.stringify(targets, null, 2) + "\n");
    else if (targets.length === 0) console.log(`# ${stack}: no Deployment or StatefulSet to check`);
    else for (const t of targets) console.log(rolloutCommand(t, ctx));
    return 0;
  }
  return runRollout({
    stack,
    targets,
    cluster: stackCluster(readStack(out, stack), stack),
    context: ctx,
    runner: spawnRunner,
    env: process.env,
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  });
}
