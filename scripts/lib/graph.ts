/**
 * The stack dependency graph of a cdktf.out manifest: edges, apply waves (Kahn layering: every
 * stack of a wave depends only on earlier waves, so a wave applies in parallel), cycles named
 * stack by stack, a Mermaid diagram, and the commands that apply each wave.
 */
import path from "node:path";
import { readStack, stackParts, UsageError, type CdktfOut } from "./cdktf-out";
import { ROLLOUT_LAYERS } from "./rollout";

/** One stack in the graph. */
export interface GraphStack {
  readonly name: string;
  readonly environment: string;
  readonly cloud?: string;
  readonly layer?: string;
  /** Backend type from cdktf metadata (`local`, `gcs`, `s3`): CI applies only shared backends. */
  readonly backend?: string;
  readonly prod: boolean;
  readonly dependencies: readonly string[];
  /** Folder where `tofu` runs, relative to the project (`cdktf.out/stacks/<stack>`). */
  readonly workingDirectory: string;
}

/** `from` must be applied before `to`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}

/** The graph of the selected stacks. */
export interface StackGraph {
  readonly stacks: readonly GraphStack[];
  readonly edges: readonly GraphEdge[];
  /** Stack names per wave, in apply order; sorted inside a wave. */
  readonly waves: readonly (readonly string[])[];
  /** Dependencies on stacks outside the selection (assumed applied already). */
  readonly external: readonly GraphEdge[];
}

/** Options of {@link buildGraph}. */
export interface GraphOptions {
  /** Only stacks of these environments. @default - every stack */
  readonly environments?: readonly string[];
  readonly prodEnvironments?: readonly string[];
  readonly knownEnvironments?: readonly string[];
  /** Prefix of working directories in output. @default "cdktf.out" */
  readonly outLabel?: string;
}

/** Finds one cycle among `nodes` (each has a dependency inside the set) and names it. */
function findCycle(nodes: Set<string>, deps: (n: string) => readonly string[]): string[] {
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (n: string): string[] | undefined => {
    const at = visiting.indexOf(n);
    if (at >= 0) return [...visiting.slice(at), n];
    if (done.has(n)) return undefined;
    visiting.push(n);
    for (const d of deps(n).filter((x) => nodes.has(x))) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(n);
    return undefined;
  };
  for (const n of [...nodes].sort()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return [...nodes];
}

/**
 * Kahn layering of `names` by `deps` (dependencies outside `names` count as applied). Throws a
 * UsageError naming the stacks of a cycle.
 */
export function applyWaves(
  names: readonly string[],
  deps: (name: string) => readonly string[],
): string[][] {
  const inside = new Set(names);
  const remaining = new Set(names);
  const waves: string[][] = [];
  while (remaining.size > 0) {
    const wave = [...remaining]
      .filter((n) => deps(n).every((d) => !inside.has(d) || !remaining.has(d)))
      .sort();
    if (wave.length === 0) {
      const cycle = findCycle(remaining, deps);
      throw new UsageError(
        `dependency cycle between stacks: ${cycle.join(" → ")} (each depends on the next); remove one of these addDependency calls`,
      );
    }
    for (const n of wave) remaining.delete(n);
    waves.push(wave);
  }
  return waves;
}

/** Builds the graph of a cdktf.out folder's manifest. */
export function buildGraph(out: CdktfOut, options: GraphOptions = {}): StackGraph {
  const prod = new Set(options.prodEnvironments ?? []);
  const known = options.knownEnvironments ?? [];
  const label = options.outLabel ?? "cdktf.out";
  for (const s of out.stacks.values()) {
    for (const d of s.dependencies) {
      if (!out.stacks.has(d)) {
        throw new UsageError(
          `${out.dir}/manifest.json: stack "${s.name}" depends on "${d}", which is not in the manifest`,
        );
      }
    }
  }
  const all = [...out.stacks.values()].map((s): GraphStack => {
    const parts = stackParts(s.name, known);
    return {
      name: s.name,
      environment: parts.env,
      ...(parts.cloud ? { cloud: parts.cloud, layer: parts.layer } : {}),
      backend: readStack(out, s.name)["//"]?.metadata?.backend,
      prod: prod.has(parts.env),
      dependencies: [...s.dependencies].sort(),
      workingDirectory: path.posix.join(label, s.workingDirectory),
    };
  });
  const wanted = options.environments;
  const stacks = all
    .filter((s) => !wanted || wanted.includes(s.environment))
    .sort((a, b) => a.name.localeCompare(b.name));
  const selected = new Set(stacks.map((s) => s.name));
  const byName = new Map(all.map((s) => [s.name, s]));
  const edges: GraphEdge[] = [];
  const external: GraphEdge[] = [];
  for (const s of stacks) {
    for (const d of s.dependencies)
      (selected.has(d) ? edges : external).push({ from: d, to: s.name });
  }
  // Cycles are checked over the whole manifest, so a cycle is reported whatever the selection.
  applyWaves(
    all.map((s) => s.name),
    (n) => byName.get(n)!.dependencies,
  );
  const waves = applyWaves(
    stacks.map((s) => s.name),
    (n) => byName.get(n)!.dependencies,
  );
  return { stacks, edges, waves, external };
}

/** Mermaid id: letters, digits and underscores. */
function nodeId(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/** A Mermaid flowchart: one subgraph per environment, an arrow from each stack to its dependents. */
export function renderMermaid(g: StackGraph): string {
  const lines = ["flowchart LR"];
  const envs = [...new Set(g.stacks.map((s) => s.environment))];
  for (const env of envs) {
    const members = g.stacks.filter((s) => s.environment === env);
    const title = env || "other";
    const prod = members.some((s) => s.prod) ? " (prod)" : "";
    lines.push(`  subgraph env_${nodeId(title)}["${title}${prod}"]`);
    for (const s of members) lines.push(`    ${nodeId(s.name)}["${s.name}"]`);
    lines.push("  end");
  }
  for (const e of g.external) lines.push(`  ${nodeId(e.from)}["${e.from}"]:::external`);
  for (const e of [...g.edges, ...g.external])
    lines.push(`  ${nodeId(e.from)} --> ${nodeId(e.to)}`);
  if (g.external.length > 0) lines.push("  classDef external stroke-dasharray: 4 4");
  return lines.join("\n") + "\n";
}

/** Commands to run in a stack's folder after its apply; other layers register theirs here. */
export type PostApplyHook = (stack: GraphStack) => readonly string[];

/**
 * After a databases, buses or apps stack: wait for each Deployment and StatefulSet it deployed,
 * in order (`npm run rollout`, scripts/rollout.ts). npm runs it from the project root, so the
 * cdktf.out folder is named relative to it.
 */
export const readinessHook: PostApplyHook = (stack) => {
  if (!stack.layer || !ROLLOUT_LAYERS.includes(stack.layer)) return [];
  const out = stack.workingDirectory.replace(/\/stacks\/[^/]+$/, "");
  const dir = out === "cdktf.out" ? "" : ` ${out}`;
  return [`npm run -s rollout -- ${stack.name}${dir} --run`];
};

/** Post-apply hooks, in order. */
export const POST_APPLY_HOOKS: PostApplyHook[] = [readinessHook];

/** How to apply one stack: its folder, the commands there, then the post-apply commands. */
export interface ApplyStep {
  readonly stack: string;
  readonly environment: string;
  readonly prod: boolean;
  readonly backend?: string;
  readonly dir: string;
  readonly commands: readonly string[];
  readonly after: readonly string[];
}

/** Every wave's apply steps. */
export function applyPlan(
  g: StackGraph,
  hooks: readonly PostApplyHook[] = POST_APPLY_HOOKS,
): ApplyStep[][] {
  const byName = new Map(g.stacks.map((s) => [s.name, s]));
  return g.waves.map((wave) =>
    wave.map((name) => {
      const s = byName.get(name)!;
      return {
        stack: name,
        environment: s.environment,
        prod: s.prod,
        ...(s.backend ? { backend: s.backend } : {}),
        dir: s.workingDirectory,
        commands: ["tofu init -input=false", "tofu apply -input=false"],
        after: hooks.flatMap((h) => h(s)),
      };
    }),
  );
}

/** Terminal rendering: waves with their commands, dependencies outside the selection. */
export function renderWaves(g: StackGraph, plan: ApplyStep[][] = applyPlan(g)): string {
  const lines: string[] = [];
  if (g.external.length > 0) {
    lines.push("Applied already (outside the selection):");
    for (const e of g.external) lines.push(`  ${e.from}  (needed by ${e.to})`);
    lines.push("");
  }
  plan.forEach((wave, i) => {
    lines.push(`Wave ${i + 1} (${wave.length} stack${wave.length === 1 ? "" : "s"}, in parallel):`);
    for (const step of wave) {
      lines.push(`  (cd ${step.dir} && ${step.commands.join(" && ")})`);
      for (const c of step.after) lines.push(`    then: ${c}`);
    }
    lines.push("");
  });
  return lines.join("\n");
}
