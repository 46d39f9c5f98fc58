/**
 * `npm run policy`: the policy report for what is in cdktf.out (or --dir), judged with each
 * stack's environment (tier, waivers) from the registry. Exit 0 when clean, 1 on violations or
 * errors, 2 on bad usage.
 */
import fs from "node:fs";
import path from "node:path";
import { loadEnvironments } from "../environments";
import type { StackJson } from "../modules/common/policy/engine";
import { formatReport, policyReport, reportJson } from "../modules/common/policy/report";

const USAGE = `usage: npm run policy -- [--dir cdktf.out] [--format text|json] [--today YYYY-MM-DD]
  Judges every synthesized stack against the policy rules with its environment's tier and waivers.`;

function run(argv: string[]): number {
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
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    console.error(`${dir} is not a cdktf.out folder (no manifest.json); run npm run synth first`);
    return 1;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const stacks = new Map<string, StackJson>();
  for (const [name, s] of Object.entries(manifest.stacks)) {
    const file = path.join(dir, s.synthesizedStackPath);
    try {
      stacks.set(name, JSON.parse(fs.readFileSync(file, "utf8")) as StackJson);
    } catch (e) {
      console.error(`${file}: ${(e as Error).message}`);
      return 1;
    }
  }
  const { all } = loadEnvironments({ envFile: process.env.STRATA_ENV_FILE });
  const report = policyReport(stacks, all, today);
  console.log(
    format === "json" ? JSON.stringify(reportJson(report), null, 2) : formatReport(report),
  );
  return report.violations.length > 0 ? 1 : 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
}
