/**
 * `npm run graph`: the stacks of cdktf.out/manifest.json and their dependencies, as a Mermaid
 * diagram and as apply waves (stacks of one wave apply in parallel, waves in order), with the
 * commands per stack. `--format json` prints { stacks, edges, waves, external, plan } for CI.
 * Exit 0: ok; 1: error (no cdktf.out, unknown dependency, a dependency cycle).
 */
import { formatOption, parseArgs } from "./lib/args";
import { readCdktfOut, UsageError } from "./lib/cdktf-out";
import { applyPlan, buildGraph, renderMermaid, renderWaves } from "./lib/graph";
import { environmentTiers } from "./lib/tiers";

const USAGE = `usage: npm run graph -- [cdktf.out] [--env <env,...>] [--format text|mermaid|json]

Reads the manifest of a synthesized cdktf.out (default ./cdktf.out; run npm run synth first).
  --env <env,...>   only these environments' stacks (dependencies on others are listed as
                    already applied)
  --format text     the Mermaid diagram and the apply waves with their commands (default)
  --format mermaid  the diagram only (for a README or a PR)
  --format json     { stacks, edges, waves, external, plan } for tools and CI matrices
  --help            this text

exit: 0 ok, 1 error (not a cdktf.out, unknown dependency, dependency cycle)`;

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  const args = parseArgs(argv, ["env", "format"], ["help", "h"]);
  if (args.options.has("help") || args.options.has("h")) {
    console.log(USAGE);
    return 0;
  }
  const format = formatOption(args, ["text", "mermaid", "json"] as const, "text");
  if (args.positional.length > 1) throw new UsageError(USAGE);
  const dir = args.positional[0] ?? "cdktf.out";
  const tiers = environmentTiers();
  const env = args.options.get("env");
  const environments = typeof env === "string" ? env.split(",").map((s) => s.trim()) : undefined;
  const out = readCdktfOut(dir);
  const graph = buildGraph(out, {
    environments,
    prodEnvironments: tiers.prod,
    knownEnvironments: tiers.known,
    outLabel: dir,
  });
  if (graph.stacks.length === 0) {
    const known = [...new Set([...out.stacks.keys()].map((n) => n.split("-")[0]))].join(", ");
    throw new UsageError(
      `no stacks of ${environments?.join(", ")} in ${dir}; stacks there start with: ${known}`,
    );
  }
  const plan = applyPlan(graph);
  if (format === "json") {
    process.stdout.write(JSON.stringify({ ...graph, plan }, null, 2) + "\n");
  } else if (format === "mermaid") {
    process.stdout.write(renderMermaid(graph));
  } else {
    process.stdout.write(
      "```mermaid\n" + renderMermaid(graph) + "```\n\n" + renderWaves(graph, plan),
    );
  }
  return 0;
}
