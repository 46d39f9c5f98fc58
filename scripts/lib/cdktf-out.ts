/**
 * Reading a synthesized cdktf.out folder (manifest.json + stacks/<stack>/cdk.tf.json) for the
 * review and graph scripts, with errors that name the file and what is wrong with it; and which
 * environment a stack belongs to.
 */
import fs from "node:fs";
import path from "node:path";
import { STACK_SUFFIX_RE } from "../../modules/common/naming";

/** An error the scripts print as is (no stack trace) and exit 1 with. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A stack's entry in manifest.json (the fields Strata's tools read). */
export interface ManifestStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly synthesizedStackPath: string;
  readonly workingDirectory: string;
}

/** Terraform JSON of one stack, as cdktf writes it. */
export interface StackJson {
  readonly "//"?: { metadata?: { backend?: string } };
  readonly terraform?: Record<string, unknown>;
  readonly provider?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, Record<string, unknown>>;
}

/** A cdktf.out folder: its manifest's stacks, by name. */
export interface CdktfOut {
  readonly dir: string;
  readonly stacks: ReadonlyMap<string, ManifestStack>;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads `dir/manifest.json`. Throws a UsageError when `dir` is not a cdktf.out folder. */
export function readCdktfOut(dir: string): CdktfOut {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${dir} is not a folder; give a cdktf.out folder (npm run synth)`);
  }
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    throw new UsageError(
      `${dir} is not a cdktf.out folder: it has no manifest.json (synthesize with npm run synth)`,
    );
  }
  const manifest = readJson(manifestFile, "manifest") as { stacks?: unknown };
  if (!manifest || typeof manifest.stacks !== "object" || manifest.stacks === null) {
    throw new UsageError(`${manifestFile} has no "stacks" object; is it a cdktf manifest?`);
  }
  const stacks = new Map<string, ManifestStack>();
  for (const [name, raw] of Object.entries(manifest.stacks as Record<string, unknown>)) {
    const entry = (raw ?? {}) as Partial<ManifestStack>;
    if (typeof entry.synthesizedStackPath !== "string") {
      throw new UsageError(`${manifestFile}: stack "${name}" has no synthesizedStackPath`);
    }
    stacks.set(name, {
      name,
      dependencies: Array.isArray(entry.dependencies) ? [...entry.dependencies] : [],
      synthesizedStackPath: entry.synthesizedStackPath,
      workingDirectory: entry.workingDirectory ?? path.dirname(entry.synthesizedStackPath),
    });
  }
  return { dir, stacks };
}

/** Reads and parses one stack's cdk.tf.json. A corrupt file names the file and the JSON error. */
export function readStack(out: CdktfOut, name: string): StackJson {
  const entry = out.stacks.get(name);
  if (!entry) throw new UsageError(`stack "${name}" is not in ${out.dir}/manifest.json`);
  const data = readJson(path.join(out.dir, entry.synthesizedStackPath), `stack ${name}:`);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new UsageError(
      `${path.join(out.dir, entry.synthesizedStackPath)} is not a Terraform JSON object`,
    );
  }
  return data as StackJson;
}

/** Environment, cloud and layer of a stack named `<env>-<cloud>-<layer>`. */
export interface StackParts {
  readonly env: string;
  readonly cloud?: string;
  readonly layer?: string;
}

/**
 * The environment a stack belongs to, by its name prefix: `prod-eu-gcp-network` → `prod-eu`.
 * A name outside the convention belongs to the longest known environment that prefixes it, or to
 * none (`env` is then the empty string).
 */
export function stackParts(name: string, knownEnvs: readonly string[] = []): StackParts {
  const m = STACK_SUFFIX_RE.exec(name);
  if (m) return { env: name.slice(0, m.index), cloud: m[1], layer: m[2] };
  const env = [...knownEnvs]
    .sort((a, b) => b.length - a.length)
    .find((e) => name.startsWith(`${e}-`));
  return { env: env ?? "" };
}

/** Every stack of a cdktf.out folder, parsed, by name. */
export function readAllStacks(out: CdktfOut): Map<string, StackJson> {
  return new Map([...out.stacks.keys()].map((name) => [name, readStack(out, name)]));
}
