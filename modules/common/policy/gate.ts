/**
 * The policy gate as a construct validation: cdktf runs a stack's validations after its aspects
 * and before writing it; the gate evaluates the stack's resolved Terraform JSON against the rules
 * for the environment's tier and waivers. A violation fails `app.synth()`, so nothing is published
 * (see stacks/synth.ts).
 */
import type { TerraformStack } from "cdktf";
import type { IValidation } from "constructs";
import {
  evaluateStack,
  formatViolation,
  type PolicyTier,
  type StackJson,
  type Waiver,
} from "./engine";
import { RULES } from "./rules";

/** Context key for "today" (YYYY-MM-DD) when judging waiver expiry; defaults to the real date. */
export const TODAY_CONTEXT = "strata:today";

/** Validation that runs the policy rules over a stack's synthesized JSON. */
export class PolicyGate implements IValidation {
  constructor(
    private readonly stack: TerraformStack,
    private readonly tier: PolicyTier,
    private readonly waivers: readonly Waiver[],
    /** The stack's resolved Terraform JSON. @default - stack.toTerraform() */
    private readonly terraform: () => unknown = () => stack.toTerraform(),
  ) {}

  validate(): string[] {
    const name = this.stack.node.id;
    const today =
      (this.stack.node.tryGetContext(TODAY_CONTEXT) as string | undefined) ??
      new Date().toISOString().slice(0, 10);
    const json = this.terraform() as StackJson;
    const { violations } = evaluateStack(json, {
      stack: name,
      tier: this.tier,
      waivers: this.waivers,
      today,
      rules: RULES,
    });
    return violations.map(formatViolation);
  }
}
