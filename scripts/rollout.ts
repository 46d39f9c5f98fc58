/**
 * `npm run rollout -- <stack>`: the readiness checks of a Helm-layer stack (databases, buses,
 * apps), derived from its synthesized JSON: `kubectl rollout status` for each Deployment and
 * StatefulSet its releases create, in apply order, with each release's timeout. Prints them
 * (offline); `--run` runs them one after the other with kubectl and stops at the first that fails.
 * Exit 0: printed, or all ready; 1: error or a workload not ready in time.
 */
import { spawnSync } from "node:child_process";
import { formatOption, parseArgs } from "./lib/args";
import { readCdktfOut, UsageError } from "./lib/cdktf-out";
import { rolloutArgs, rolloutCommand, rolloutTargets } from "./lib/rollout";

const USAGE = `usage: npm run rollout -- <stack> [cdktf.out] [--run] [--context <kubectl context>] [--format text|json]

Lists what a synthesized Helm-layer stack deploys (Deployments, StatefulSets), in apply order,
as kubectl rollout status commands with each release's timeout.
  --run              run them with kubectl, in order; stop at the first one not ready
  --context <name>   kubectl context of the stack's cluster (default: kubectl's current context)
  --format json      the targets as JSON (kind, name, namespace, timeoutSeconds, release, chart)
  --help             this text

exit: 0 printed / all ready, 1 error or a workload not ready`;

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
  const targets = rolloutTargets(readCdktfOut(dir), stack);

  if (!args.options.has("run")) {
    if (format === "json") process.stdout.write(JSON.stringify(targets, null, 2) + "\n");
    else if (targets.length === 0) console.log(`# ${stack}: no Deployment or StatefulSet to check`);
    else for (const t of targets) console.log(rolloutCommand(t, ctx));
    return 0;
  }
  for (const t of targets) {
    console.log(`$ ${rolloutCommand(t, ctx)}`);
    const result = spawnSync("kubectl", rolloutArgs(t, ctx), { stdio: "inherit" });
    if (result.error) {
      throw new UsageError(
        `cannot run kubectl (${(result.error as NodeJS.ErrnoException).code ?? result.error.message}); install it and point it at the cluster (gcloud container clusters get-credentials, aws eks update-kubeconfig, doctl kubernetes cluster kubeconfig save)`,
      );
    }
    if (result.status !== 0) {
      console.error(
        `${stack}: ${t.kind}/${t.name} (release ${t.release}) in ${t.namespace} is not ready after ${t.timeoutSeconds}s; see kubectl -n ${t.namespace} describe ${t.kind}/${t.name} and its pods' events`,
      );
      return 1;
    }
  }
  console.log(`${stack}: ${targets.length} workload${targets.length === 1 ? "" : "s"} ready`);
  return 0;
}
