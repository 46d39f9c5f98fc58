/** Configuration problems, collected and reported together before anything is written. */

/** One problem: where in the configuration, and what to do about it. */
export interface Problem {
  /** Dotted config path starting with the environment name, e.g. `prod.targets.gcp.zones[1]`. */
  readonly path: string;
  readonly message: string;
}

/** Formats a path array as `a.b[2].c`. */
export function formatPath(parts: ReadonlyArray<PropertyKey>): string {
  return parts
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/** Thrown when configuration is invalid; lists every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `Invalid Strata configuration: ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was synthesized.\n` +
        problems.map((p) => `  ✗ ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
