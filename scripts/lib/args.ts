/** A tiny argument parser for the scripts: `--name value`, `--name=value`, `--flag`, positionals. */
import { UsageError } from "./cdktf-out";

/** Parsed arguments. */
export interface Args {
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

/**
 * Parses `argv`. `valued` lists the options that take a value, `flags` those that do not; any
 * other `--option` is a UsageError naming the known ones.
 */
export function parseArgs(argv: readonly string[], valued: string[], flags: string[] = []): Args {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.replace(/^--?/, "").split(/=(.*)/s, 2);
    if (flags.includes(name)) options.set(name, true);
    else if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) {
        throw new UsageError(`--${name} needs a value`);
      }
      options.set(name, value);
    } else {
      const known = [...valued, ...flags]
        .map((o) => (o.length === 1 ? `-${o}` : `--${o}`))
        .join(", ");
      throw new UsageError(`unknown option ${arg}; known: ${known}`);
    }
  }
  return { positional, options };
}

/** The value of `--format`, checked against the allowed ones. */
export function formatOption<T extends string>(args: Args, allowed: readonly T[], fallback: T): T {
  const value = args.options.get("format");
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new UsageError(`--format must be one of ${allowed.join(", ")} (got "${String(value)}")`);
  }
  return value as T;
}
