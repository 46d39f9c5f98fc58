/**
 * `npm run policy`: the policy report for what is in cdktf.out (or --dir), judged with each
 * stack's environment (tier, waivers) from the registry. Exit 0 when clean, 1 on violations, on
 * stacks it could not judge (no known environment) or errors, 2 on bad usage.
 */
import { loadEnvironments } from "../environments";
import { formatReport, policyReport, reportJson } from "../modules/common/policy/report";
import { readAllStacks, readCdktfOut } from "./lib/cdktf-out";

const USAGE = `usage: npm run policy -- [--dir cdktf.out] [--format text|json] [--today YYYY-MM-DD]
  Judges every synthesized stack against the policy rules with its environment's tier and waivers.`;

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  let dir = "cdktf.out";
  let format = "text";
  let today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return 0;
    } else if (a === "--dir") dir = argv[++i] ?? "";
    else if (a === "--format") format = argv[++i] ?? "";
    else if (a === "--today") today = argv[++i] ?? "";
    else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!["text", "json"].includes(format) || !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    console.error(USAGE);
    return 2;
  }
  const stacks = readAllStacks(readCdktfOut(dir));
  const { all } = loadEnvironments({ envFile: process.env.STRATA_ENV_FILE });
  const report = policyReport(stacks, all, today);
  console.log(
    format === "json" ? JSON.stringify(reportJson(report), null, 2) : formatReport(report),
  );
  if (report.unknownStacks.length > 0) {
    console.error(
      `strata: ${report.unknownStacks.length} stack(s) were not judged (no known environment): ${report.unknownStacks.join(", ")}. Synthesize with the same STRATA_ENV_FILE, or remove the stale stack folders.`,
    );
  }
  return report.violations.length > 0 || report.unknownStacks.length > 0 ? 1 : 0;
}
