/**
 * The policy report over a whole synthesized app: every stack judged with its environment's tier
 * and waivers. Used by `npm run policy` and by tests.
 */
import {
  evaluateStack,
  formatViolation,
  type PolicyTier,
  type StackJson,
  type Violation,
  type Waiver,
} from "./engine";
import { RULES } from "./rules";
import { STACK_SUFFIX_RE } from "../naming";

/** What the report needs to know of an environment. */
export interface PolicyEnvironment {
  readonly name: string;
  readonly tier: PolicyTier;
  readonly waivers: readonly Waiver[];
}

/** The report: violations, active waivers, and stacks no environment claims. */
export interface PolicyReport {
  readonly violations: readonly Violation[];
  readonly waived: ReadonlyArray<{ readonly violation: Violation; readonly waiver: Waiver }>;
  readonly unknownStacks: readonly string[];
  readonly stacks: number;
}

/** The environment a stack belongs to: `<env>-<cloud>-<layer>`. */
export function environmentOfStack<E extends { name: string }>(
  stack: string,
  envs: readonly E[],
): E | undefined {
  return envs.find(
    (e) => stack.startsWith(e.name) && STACK_SUFFIX_RE.exec(stack)?.index === e.name.length,
  );
}

/** Judges every stack. */
export function policyReport(
  stacks: ReadonlyMap<string, StackJson>,
  envs: readonly PolicyEnvironment[],
  today: string,
): PolicyReport {
  const violations: Violation[] = [];
  const waived: Array<{ violation: Violation; waiver: Waiver }> = [];
  const unknownStacks: string[] = [];
  for (const [stack, json] of stacks) {
    const env = environmentOfStack(stack, envs);
    if (!env) {
      unknownStacks.push(stack);
      continue;
    }
    const r = evaluateStack(json, {
      stack,
      tier: env.tier,
      waivers: env.waivers,
      today,
      rules: RULES,
    });
    violations.push(...r.violations);
    waived.push(...r.waived);
  }
  return { violations, waived, unknownStacks, stacks: stacks.size };
}

/** The report as text. */
export function formatReport(r: PolicyReport): string {
  const lines: string[] = [];
  lines.push(
    `Policy: ${r.stacks} stacks${r.unknownStacks.length ? ` (${r.unknownStacks.length} not judged)` : ""}, ${RULES.length} rules, ${r.violations.length} violation(s), ${r.waived.length} waived.`,
  );
  if (r.violations.length > 0)
    lines.push(
      "",
      "Violations:",
      ...r.violations.map((v) => `  ${formatViolation(v).replace(/\n/g, "\n  ")}`),
    );
  if (r.waived.length > 0) {
    lines.push("", "Active waivers:");
    for (const { violation, waiver } of r.waived) {
      lines.push(
        `  [${waiver.rule}] ${violation.address} — owner ${waiver.owner}, expires ${waiver.expires}: ${waiver.reason}`,
      );
    }
  }
  if (r.unknownStacks.length > 0)
    lines.push("", `Stacks of no known environment (not judged): ${r.unknownStacks.join(", ")}`);
  return lines.join("\n");
}

/** The report as JSON for CI. */
export function reportJson(r: PolicyReport): object {
  const v = (x: Violation) => ({
    rule: x.rule.id,
    title: x.rule.title,
    stack: x.stack,
    address: x.address,
    path: x.path,
    detail: x.detail,
    fix: x.rule.fix,
    expiredWaiver: x.expiredWaiver,
  });
  return {
    summary: {
      stacks: r.stacks,
      rules: RULES.length,
      violations: r.violations.length,
      waived: r.waived.length,
    },
    violations: r.violations.map(v),
    waived: r.waived.map(({ violation, waiver }) => ({ ...v(violation), waiver })),
    unknownStacks: r.unknownStacks,
  };
}
