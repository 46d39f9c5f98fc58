/** The real app, synthesized for app-level tests. */
import type { App } from "cdktf";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnvironments, type Registry, type Selection } from "../../environments";
import { buildGroups } from "../../stacks/app";
import { synthesizeAtomically } from "../../stacks/synth";
import type { TfJson } from "./synth";

/** A synthesized app: its manifest and every stack's Terraform JSON. */
export interface SynthesizedApp {
  readonly outdir: string;
  readonly registry: Registry;
  readonly manifest: {
    stacks: Record<string, { name: string; dependencies: string[]; synthesizedStackPath: string }>;
  };
  readonly stacks: ReadonlyMap<string, TfJson>;
  /** Raw text of every stack file, by stack name. */
  readonly files: ReadonlyMap<string, string>;
}

/** Synthesizes every built-in environment (or a selection) into a folder (a new temporary one by default). */
export function synthesizeRealApp(
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "strata-app-")),
  selection: Selection = {},
  before?: (app: App) => void,
): SynthesizedApp {
  const registry = loadEnvironments(selection);
  synthesizeAtomically(outdir, buildGroups(registry.selected, registry.all, before));
  return readApp(outdir, registry);
}

let shared: SynthesizedApp | undefined;

/**
 * The real app as jest's global setup synthesized it once for the whole run (read once per test
 * file). Synthesizes it when a test file runs outside that setup.
 */
export function realApp(): SynthesizedApp {
  const dir = process.env.STRATA_TEST_APP_DIR;
  shared ??=
    dir && fs.existsSync(path.join(dir, "manifest.json")) ? readApp(dir) : synthesizeRealApp();
  return shared;
}

/** Reads a synthesized cdktf.out folder. */
export function readApp(outdir: string, registry: Registry = loadEnvironments()): SynthesizedApp {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"),
  ) as SynthesizedApp["manifest"];
  const files = new Map<string, string>();
  const stacks = new Map<string, TfJson>();
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    const text = fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8");
    files.set(name, text);
    stacks.set(name, JSON.parse(text) as TfJson);
  }
  return { outdir, registry, manifest, stacks, files };
}

/** Every file below a folder, relative path → content, for byte-for-byte comparison. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return out;
}
