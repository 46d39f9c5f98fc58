/**
 * Synthesis that never leaves a half-written cdktf.out: the app is synthesized into a fresh
 * folder beside the output, and only when that succeeds are the stacks moved into place. Files
 * that `tofu init` left in a stack folder (.terraform/, .terraform.lock.hcl, plans) are kept.
 */
import { App, Manifest, type IManifest, type StackManifest } from "cdktf";
import fs from "node:fs";
import path from "node:path";
import {
  addresses,
  findCrossStackMoves,
  findMoves,
  withMoves,
  type CrossStackMove,
  type MovableStack,
  type Move,
} from "./moves";

/** What cdktf writes into a stack folder; everything else there belongs to the user or tofu. */
const MANAGED_ENTRIES = ["cdk.tf.json", "cdk.tf", "metadata.json", "assets"];

/** Options of {@link synthesizeAtomically}. */
export interface SynthOptions {
  /**
   * Remove stack folders of stacks no longer synthesized. The cdktf CLI does this itself after
   * the app exits, so under the CLI this is off. @default true
   */
  readonly removeOrphans?: boolean;
  /**
   * The cdktf.out of the last applied synthesis (may be the output folder itself): resources
   * whose address changed since get `moved` blocks (stacks/moves.ts). @default - none
   */
  readonly base?: string;
}

/** Result of a successful synthesis. */
export interface SynthResult {
  readonly stacks: readonly string[];
  /** With a base: the moves emitted, by stack, and those across stacks (state surgery). */
  readonly moves: ReadonlyMap<string, readonly Move[]>;
  readonly crossStackMoves: readonly CrossStackMove[];
}

/** Builds the stacks of one group on a fresh App. */
export type BuildGroup = (app: App) => void;

/**
 * Runs each build on a fresh App, one after another, and publishes their stacks together to
 * `outdir`. Stacks of different groups must not depend on each other (a group is a set of
 * environments linked by shared clusters). Each App is dropped before the next is built, so
 * memory is bounded by the largest group, not by the whole output. When a build or a synthesis
 * throws, `outdir` is exactly as it was.
 */
export function synthesizeAtomically(
  outdir: string,
  build: BuildGroup | readonly BuildGroup[],
  options: SynthOptions = {},
): SynthResult {
  const builds: readonly BuildGroup[] = typeof build === "function" ? [build] : build;
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.tmp-`);
  try {
    if (builds.length === 1) synthesizeGroup(builds[0], staging);
    else synthesizeGroups(builds, staging);
    const moves = options.base ? addMoves(staging, path.resolve(options.base)) : undefined;
    return {
      ...publish(staging, target, options.removeOrphans ?? true),
      moves: moves?.inside ?? new Map(),
      crossStackMoves: moves?.across ?? [],
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function synthesizeGroup(build: BuildGroup, outdir: string): void {
  const app = new App({ outdir, stackTraces: false });
  build(app);
  app.synth();
}

/** cdktf's process-wide token registry (cdktf/lib/tokens/private/token-map.js). */
interface TokenRegistry {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/**
 * cdktf registers every token (every attribute reference) in a process-wide map that is never
 * emptied, so each synthesized App stays reachable through its tokens. Returns a function that
 * forgets the tokens registered since this call — called once a group is written, when none of
 * them can be resolved again. Without it memory grows with every group (~0.3 MB per stack).
 * A no-op when cdktf keeps its tokens elsewhere.
 */
function tokenCheckpoint(): () => void {
  const registry = (globalThis as { __cdktfTokenMap?: TokenRegistry }).__cdktfTokenMap;
  if (!(registry?.stringTokenMap instanceof Map) || !(registry.numberTokenMap instanceof Map)) {
    return () => undefined;
  }
  const keep = [registry.stringTokenMap.size, registry.numberTokenMap.size] as const;
  const trim = <K>(map: Map<K, unknown>, size: number) => {
    // Maps iterate in insertion order: everything after the first `size` entries is new.
    [...map.keys()].slice(size).forEach((k) => map.delete(k));
  };
  return () => {
    trim(registry.stringTokenMap, keep[0]);
    trim(registry.numberTokenMap, keep[1]);
  };
}

/** Synthesizes each group into a folder of its own, then merges stacks and manifests. */
function synthesizeGroups(builds: readonly BuildGroup[], staging: string): void {
  const stacks: Record<string, StackManifest> = {};
  let version = "";
  fs.mkdirSync(path.join(staging, Manifest.stacksFolder));
  builds.forEach((build, i) => {
    const dir = path.join(staging, `.group-${i}`);
    const forgetTokens = tokenCheckpoint();
    synthesizeGroup(build, dir);
    forgetTokens();
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, Manifest.fileName), "utf8"),
    ) as IManifest;
    version = manifest.version;
    for (const [name, entry] of Object.entries(manifest.stacks)) {
      if (stacks[name]) throw new Error(`stack ${name} is synthesized by two groups`);
      stacks[name] = entry;
      fs.renameSync(
        path.join(dir, Manifest.stacksFolder, name),
        path.join(staging, Manifest.stacksFolder, name),
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // cdktf's own Manifest writes the file, so it is byte-identical to a single App's.
  const merged = new Manifest(version, staging, false);
  Object.assign(merged.stacks, stacks);
  merged.writeToFile();
}

function readStacks(dir: string): Map<string, MovableStack> {
  const stacksDir = path.join(dir, Manifest.stacksFolder);
  const out = new Map<string, MovableStack>();
  if (!fs.existsSync(stacksDir)) return out;
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (fs.existsSync(file))
      out.set(name, JSON.parse(fs.readFileSync(file, "utf8")) as MovableStack);
  }
  return out;
}

/**
 * Adds `moved` blocks to each staged stack for what moved since the base, keeping the base's own
 * moves that still apply (so synthesizing again against the same base loses none before apply).
 */
function addMoves(staging: string, base: string) {
  if (!fs.existsSync(path.join(base, Manifest.stacksFolder))) {
    throw new Error(`STRATA_BASE ${base} is not a cdktf.out folder (no stacks/ in it)`);
  }
  const before = readStacks(base);
  const after = readStacks(staging);
  const inside = new Map<string, Move[]>();
  for (const [name, tf] of after) {
    const old = before.get(name);
    if (!old) continue;
    const now = addresses(tf);
    const found = findMoves(old, tf);
    const kept = (old.moved ?? [])
      .filter((m) => !now.has(m.from) && now.has(m.to) && !found.some((f) => f.from === m.from))
      .map((m): Move => ({ ...m, by: "configuration" }));
    const moves = [...kept, ...found].sort(
      (a, b) => a.to.localeCompare(b.to) || a.from.localeCompare(b.from),
    );
    if (moves.length === 0) continue;
    inside.set(name, moves);
    const file = path.join(staging, Manifest.stacksFolder, name, "cdk.tf.json");
    fs.writeFileSync(file, `${JSON.stringify(withMoves(tf, moves), null, 2)}`);
  }
  return { inside, across: findCrossStackMoves(before, after, inside) };
}

function publish(
  staging: string,
  target: string,
  removeOrphans: boolean,
): Pick<SynthResult, "stacks"> {
  const stacks = fs.readdirSync(path.join(staging, "stacks")).sort();
  const targetStacks = path.join(target, "stacks");
  fs.mkdirSync(targetStacks, { recursive: true });
  for (const stack of stacks) {
    const from = path.join(staging, "stacks", stack);
    const to = path.join(targetStacks, stack);
    fs.mkdirSync(to, { recursive: true });
    for (const entry of MANAGED_ENTRIES)
      fs.rmSync(path.join(to, entry), { recursive: true, force: true });
    for (const entry of fs.readdirSync(from))
      fs.renameSync(path.join(from, entry), path.join(to, entry));
  }
  if (removeOrphans) {
    for (const existing of fs.readdirSync(targetStacks)) {
      if (!stacks.includes(existing))
        fs.rmSync(path.join(targetStacks, existing), { recursive: true, force: true });
    }
  }
  fs.renameSync(path.join(staging, "manifest.json"), path.join(target, "manifest.json"));
  return { stacks };
}
