/**
 * Synthesis that never leaves a half-written cdktf.out: the app is synthesized into a fresh
 * folder beside the output, and only when that succeeds are the stacks moved into place. Files
 * that `tofu init` left in a stack folder (.terraform/, .terraform.lock.hcl, plans) are kept.
 */
import { App } from "cdktf";
import fs from "node:fs";
import path from "node:path";

/** What cdktf writes into a stack folder; everything else there belongs to the user or tofu. */
const MANAGED_ENTRIES = ["cdk.tf.json", "cdk.tf", "metadata.json", "assets"];

/** Options of {@link synthesizeAtomically}. */
export interface SynthOptions {
  /**
   * Remove stack folders of stacks no longer synthesized. The cdktf CLI does this itself after
   * the app exits, so under the CLI this is off. @default true
   */
  readonly removeOrphans?: boolean;
}

/** Result of a successful synthesis. */
export interface SynthResult {
  readonly stacks: readonly string[];
}

/**
 * Runs `build` on a fresh App and publishes its output to `outdir`. When `build` or synthesis
 * throws, `outdir` is exactly as it was.
 */
export function synthesizeAtomically(
  outdir: string,
  build: (app: App) => void,
  options: SynthOptions = {},
): SynthResult {
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.tmp-`);
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    build(app);
    app.synth();
    return publish(staging, target, options.removeOrphans ?? true);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function publish(staging: string, target: string, removeOrphans: boolean): SynthResult {
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
