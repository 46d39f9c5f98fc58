/**
 * Which environments are prod-tier, from the registry (environments/index.ts, honouring
 * STRATA_ENV_FILE like synthesis), or from an explicit `--prod a,b` list.
 */
import { loadEnvironments } from "../../environments";

/** Known environment names and the prod-tier ones among them. */
export interface Tiers {
  readonly known: readonly string[];
  readonly prod: readonly string[];
  /** Staging-tier environments (dangerous changes there need approval too). */
  readonly staging: readonly string[];
}

/** Tiers from the registry; `prodOverride` (comma-separated) replaces the prod list when given. */
export function environmentTiers(prodOverride?: string): Tiers {
  const { all } = loadEnvironments({ envFile: process.env.STRATA_ENV_FILE });
  const known = all.map((e) => e.name);
  const prod =
    prodOverride !== undefined
      ? prodOverride
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : all.filter((e) => e.tier === "prod").map((e) => e.name);
  const staging = all
    .filter((e) => e.tier === "staging" && !prod.includes(e.name))
    .map((e) => e.name);
  return { known: [...new Set([...known, ...prod])], prod, staging };
}
