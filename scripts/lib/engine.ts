/**
 * The real engine in the loop: every synthesized stack is loaded by OpenTofu or Terraform, and the
 * stacks whose providers are at hand (a filesystem mirror, or OpenTofu with provider access) are
 * validated against the providers' schemas. Tests that encode what we believe the engine does
 * cannot catch a wrong belief; this asks the engine.
 *
 * - Load (`<engine> providers`): the core rules that apply before any provider is needed —
 *   lifecycle arguments, meta-arguments, block types, references in depends_on. No provider, no
 *   network.
 * - Validate (`<engine> init -backend=false` + `validate -json`): argument names and types,
 *   required arguments, references, against the provider schemas. Stacks are validated together as
 *   modules of one root, so each provider's schema loads once.
 *
 * What the copy given to the engine leaves out, and why:
 * - `terraform.backend`: loading and validating are offline; the backend is initialized by
 *   `tofu init` at apply time (validate runs with -backend=false).
 * - `terraform.encryption` under Terraform: OpenTofu-only syntax that Terraform cannot load. It is
 *   checked against OpenTofu's own rules instead (facts/opentofu.json, scripts/lib/tofu-encryption.ts).
 *   Under OpenTofu it stays for the load check.
 * - Under a mirrored provider older than the pinned one: the arguments that facts/engine-mirror.json
 *   lists as added since the mirrored version (each with its CHANGELOG entry), and nothing else.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { StackJson } from "./cdktf-out";

/** An engine binary found on PATH. */
export interface Engine {
  readonly binary: string;
  readonly kind: "tofu" | "terraform";
  readonly version: string;
}

/** One problem the engine reported, attributed to a stack. */
export interface EngineDiagnostic {
  readonly stack: string;
  readonly summary: string;
  readonly detail: string;
  /** The block the engine names (`data.aws_vpc.Vpc.lifecycle`), where it names one. */
  readonly where?: string;
}

/** A provider version present in a filesystem mirror (`<mirror>/<host>/<namespace>/<type>/<version>/<os_arch>`). */
export interface MirroredProvider {
  readonly source: string; // "hashicorp/aws"
  readonly version: string;
  readonly mirror: string;
}

/** An argument the pinned provider has and an older mirrored one lacks (facts/engine-mirror.json). */
export interface MirrorGap {
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly argument: string;
  /** The first provider version that has the argument. */
  readonly since: string;
  readonly source: string;
}

/** facts/engine-mirror.json: per provider source, the arguments added since older releases. */
export type MirrorGaps = Readonly<Record<string, readonly MirrorGap[]>>;

const ROOT = path.join(__dirname, "..", "..");
export const MIRROR_GAPS_FILE = path.join(ROOT, "facts", "engine-mirror.json");

/** Loads facts/engine-mirror.json. */
export function readMirrorGaps(file = MIRROR_GAPS_FILE): MirrorGaps {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { providers: MirrorGaps };
  return json.providers;
}

/**
 * The engine to use: $STRATA_ENGINE if set, else `tofu`, else `terraform`. A string when none
 * answers `version`: the reason, for a skip message.
 */
export function findEngine(env: NodeJS.ProcessEnv = process.env): Engine | string {
  const candidates = env.STRATA_ENGINE ? [env.STRATA_ENGINE] : ["tofu", "terraform"];
  for (const binary of candidates) {
    const r = spawnSync(binary, ["version"], {
      encoding: "utf8",
      env: { ...env, CHECKPOINT_DISABLE: "1" },
    });
    const m = /^(OpenTofu|Terraform) v(\S+)/.exec(`${r.stdout ?? ""}`.trim());
    if (r.status === 0 && m) {
      return { binary, kind: m[1] === "OpenTofu" ? "tofu" : "terraform", version: m[2] };
    }
  }
  return `no engine on PATH (tried ${candidates.join(", ")}; set STRATA_ENGINE to a tofu or terraform binary)`;
}

/** Default mirror folders: $STRATA_TF_MIRROR (colon-separated), else the usual implied locations. */
export function mirrorDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.STRATA_TF_MIRROR) return env.STRATA_TF_MIRROR.split(":").filter(Boolean);
  const home = os.homedir();
  return [
    "/opt/tf-plugins",
    path.join(home, ".terraform.d", "plugins"),
    path.join(home, ".local", "share", "terraform", "plugins"),
    "/usr/share/terraform/plugins",
  ];
}

const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/** Providers available in unpacked filesystem mirrors for this platform, by source ("hashicorp/aws"). */
export function mirroredProviders(dirs = mirrorDirs()): Map<string, MirroredProvider> {
  const found = new Map<string, MirroredProvider>();
  const ls = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  for (const mirror of dirs) {
    const host = path.join(mirror, "registry.terraform.io");
    for (const ns of ls(host))
      for (const type of ls(path.join(host, ns)))
        for (const version of ls(path.join(host, ns, type))) {
          if (!fs.existsSync(path.join(host, ns, type, version, PLATFORM))) continue;
          const source = `${ns}/${type}`;
          const known = found.get(source);
          if (!known || compareVersions(version, known.version) > 0)
            found.set(source, { source, version, mirror });
        }
  }
  return found;
}

/** Compares dotted numeric versions ("5.100.0" < "6.9.0"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

interface RequiredProvider {
  source?: string;
  version?: string;
}

function requiredProviders(tf: StackJson): Record<string, RequiredProvider> {
  return (tf.terraform?.required_providers ?? {}) as Record<string, RequiredProvider>;
}

/** The copy of a stack the engine is given (see the header for what it leaves out). */
export function engineCopy(tf: StackJson, engine: Pick<Engine, "kind">): StackJson {
  const copy = structuredClone(tf) as { terraform?: Record<string, unknown> };
  if (copy.terraform) {
    delete copy.terraform.backend;
    if (engine.kind === "terraform") delete copy.terraform.encryption;
  }
  return copy as StackJson;
}

/**
 * Points a stack copy at mirrored provider versions, leaving out exactly the arguments the mirror's
 * older versions lack (facts/engine-mirror.json). Returns the gaps it applied.
 */
export function pinToMirror(
  tf: StackJson,
  mirrored: ReadonlyMap<string, MirroredProvider>,
  gaps: MirrorGaps,
): MirrorGap[] {
  const applied: MirrorGap[] = [];
  for (const req of Object.values(requiredProviders(tf))) {
    // An unqualified source ("aws") means the hashicorp namespace, as the engine reads it.
    const source = req.source?.includes("/") ? req.source : req.source && `hashicorp/${req.source}`;
    const have = source ? mirrored.get(source) : undefined;
    if (!have || !source) continue;
    req.version = have.version;
    for (const gap of gaps[source] ?? []) {
      if (compareVersions(have.version, gap.since) >= 0) continue;
      const blocks = (gap.kind === "resource" ? tf.resource : tf.data)?.[gap.type] ?? {};
      for (const block of Object.values(blocks)) {
        if (gap.argument in block) {
          delete block[gap.argument];
          applied.push(gap);
        }
      }
    }
  }
  return applied;
}

function runEngine(engine: Engine, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync(engine.binary, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A placeholder for each declared variable, so nothing waits for input. */
function variableEnv(tf: StackJson): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.keys(tf.variable ?? {}).map((name) => [`TF_VAR_${name}`, "strata-engine-check-value"]),
  );
}

// "Error: <summary>" then "  on <file> line N, in <where>:" then the source line, then the detail.
const ERROR_RE = /^Error: (.+)$/;
const ON_RE = /^\s*on (\S+) line \d+(?:, in (.+?))?:$/;

/**
 * Parses the engine's human-readable errors (the `providers` command has no -json). An error in a
 * module's file (`<stack>/cdk.tf.json`) is attributed to that stack.
 */
export function parseErrors(stack: string, text: string): EngineDiagnostic[] {
  const lines = text
    .replace(/\u001b\[[0-9;]*m/g, "")
    .replace(/[│╷╵]/gu, "")
    .split("\n");
  const out: EngineDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = ERROR_RE.exec(lines[i].trim());
    if (!m) continue;
    let where: string | undefined;
    let owner = stack;
    const detail: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !ERROR_RE.test(lines[j].trim()); j++) {
      const on = ON_RE.exec(lines[j]);
      if (on) {
        where = on[2];
        if (on[1].includes("/")) owner = on[1].split("/")[0];
        j++; // the source line that follows
        continue;
      }
      if (lines[j].trim()) detail.push(lines[j].trim());
    }
    out.push({ stack: owner, summary: m[1], detail: detail.join(" "), where });
    i = j - 1;
  }
  return out;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

/** Loads every stack's configuration with the engine (`providers`: no plugins, no network). */
export function loadStacks(
  engine: Engine,
  stacks: ReadonlyMap<string, StackJson>,
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), "strata-engine-load-")),
): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  for (const [name, tf] of stacks) {
    const dir = path.join(workdir, name);
    writeJson(path.join(dir, "cdk.tf.json"), engineCopy(tf, engine));
    const r = runEngine(engine, ["providers", "-no-color"], dir, variableEnv(tf));
    if (r.status !== 0) {
      const found = parseErrors(name, `${r.stdout}\n${r.stderr}`);
      out.push(
        ...(found.length > 0
          ? found
          : [{ stack: name, summary: `${engine.binary} providers failed`, detail: r.stderr }]),
      );
    }
  }
  return out;
}

/** What validateStacks did. */
export interface ValidateResult {
  readonly validated: string[];
  /** Stacks left out, with the reason (a provider neither mirrored nor downloadable here). */
  readonly skipped: Array<{ stack: string; reason: string }>;
  readonly gapsApplied: MirrorGap[];
  readonly diagnostics: EngineDiagnostic[];
}

/** Options for validateStacks. */
export interface ValidateOptions {
  /** Providers from filesystem mirrors only (no registry); stacks needing others are skipped. */
  readonly mirrorOnly: boolean;
  readonly mirrored?: ReadonlyMap<string, MirroredProvider>;
  readonly gaps?: MirrorGaps;
  readonly workdir?: string;
  /** Shared plugin cache, so a mirror's providers are linked, not copied, into each run. */
  readonly pluginCacheDir?: string;
}

/**
 * `init -backend=false` + `validate -json` over the stacks, as modules of one root. With
 * mirrorOnly, only the stacks whose every provider is mirrored take part.
 */
export function validateStacks(
  engine: Engine,
  stacks: ReadonlyMap<string, StackJson>,
  options: ValidateOptions,
): ValidateResult {
  const mirrored = options.mirrored ?? mirroredProviders();
  const gaps = options.gaps ?? readMirrorGaps();
  const workdir =
    options.workdir ?? fs.mkdtempSync(path.join(os.tmpdir(), "strata-engine-validate-"));
  const validated: string[] = [];
  const skipped: ValidateResult["skipped"] = [];
  const gapsApplied: MirrorGap[] = [];
  const modules: Record<string, Record<string, string>> = {};
  const rootProviders: Record<string, unknown> = {};
  for (const [name, tf] of stacks) {
    const missing = Object.values(requiredProviders(tf))
      .map((req) => req.source ?? "?")
      .filter((source) => !mirrored.has(source));
    if (options.mirrorOnly && missing.length > 0) {
      skipped.push({ stack: name, reason: `not mirrored here: ${missing.join(", ")}` });
      continue;
    }
    const copy = engineCopy(tf, engine) as StackJson & { provider?: Record<string, unknown> };
    // Modules take no encryption block; the root-only OpenTofu syntax is checked on its own.
    delete (copy.terraform as Record<string, unknown> | undefined)?.encryption;
    gapsApplied.push(...pinToMirror(copy, mirrored, gaps));
    // One provider configuration per type, in the root: the engine starts a plugin process per
    // configuration, and seven copies of the AWS provider hold ~1.6 GB. The modules inherit it;
    // the first stack's configuration of each type is the one validated.
    for (const [type, config] of Object.entries(copy.provider ?? {}))
      rootProviders[type] ??= config;
    delete copy.provider;
    writeJson(path.join(workdir, name, "cdk.tf.json"), copy);
    modules[name] = {
      source: `./${name}`,
      ...Object.fromEntries(Object.keys(tf.variable ?? {}).map((v) => [v, "strata-check-value"])),
    };
    validated.push(name);
  }
  if (validated.length === 0) return { validated, skipped, gapsApplied, diagnostics: [] };
  writeJson(path.join(workdir, "main.tf.json"), { module: modules, provider: rootProviders });

  const cliConfig = path.join(workdir, "engine.tfrc");
  const mirrors = [...new Set([...mirrored.values()].map((m) => m.mirror))];
  const include = [...mirrored.keys()].map((s) => `"registry.terraform.io/${s}"`).join(", ");
  fs.writeFileSync(
    cliConfig,
    [
      options.pluginCacheDir ? `plugin_cache_dir = ${JSON.stringify(options.pluginCacheDir)}` : "",
      "provider_installation {",
      ...mirrors.map(
        (m) =>
          `  filesystem_mirror {\n    path = ${JSON.stringify(m)}\n    include = [${include}]\n  }`,
      ),
      options.mirrorOnly ? "" : `  direct {\n    exclude = [${include}]\n  }`,
      "}",
    ].join("\n"),
  );
  if (options.pluginCacheDir) fs.mkdirSync(options.pluginCacheDir, { recursive: true });
  const env = { TF_CLI_CONFIG_FILE: cliConfig };
  const init = runEngine(
    engine,
    ["init", "-backend=false", "-input=false", "-no-color"],
    workdir,
    env,
  );
  if (init.status !== 0) {
    const found = parseErrors("(init)", `${init.stdout}\n${init.stderr}`);
    return { validated, skipped, gapsApplied, diagnostics: found };
  }
  const r = runEngine(engine, ["validate", "-json", "-no-color"], workdir, env);
  const report = JSON.parse(r.stdout) as {
    diagnostics: Array<{
      severity: string;
      summary: string;
      detail?: string;
      address?: string;
      range?: { filename?: string };
    }>;
  };
  const diagnostics = report.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({
      stack: d.range?.filename?.split("/")[0] ?? d.address?.split(".")[1] ?? "(root)",
      summary: d.summary,
      detail: d.detail ?? "",
      where: d.address,
    }));
  return { validated, skipped, gapsApplied, diagnostics };
}

/** One line per diagnostic, for a failure message or the CLI. */
export function formatDiagnostics(diagnostics: readonly EngineDiagnostic[]): string {
  return diagnostics
    .map(
      (d) =>
        `${d.stack}${d.where ? ` ${d.where}` : ""}: ${d.summary}${d.detail ? ` — ${d.detail}` : ""}`,
    )
    .join("\n");
}
