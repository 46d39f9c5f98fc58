/** Policy waivers: an accepted exception to one rule for named resources, until a date. */
import { z } from "zod";
import { RULES } from "../../modules/common/policy/rules";
import { obj } from "./common";

const RULE_IDS = RULES.map((r) => r.id);

export const Waiver = obj({
  /** Rule id, e.g. "DEL-3". */
  rule: z.string().refine((id) => RULE_IDS.includes(id), {
    error: (i) => `unknown rule ${JSON.stringify(i.input)}; rules: ${RULE_IDS.join(", ")}`,
  }),
  /** Glob on the address `<stack>/<type>.<name>` or the construct path (`*` matches anything). */
  resource: z.string().min(1),
  /** Why the exception is acceptable (at least a sentence). */
  reason: z.string().min(10, { error: "reason must say why (at least 10 characters)" }),
  /** Who answers for it. */
  owner: z.string().min(1),
  /** Last day the waiver holds, YYYY-MM-DD; after it the violation fails synthesis again. */
  expires: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expires must be a date like 2027-03-31" })
    .refine(
      (d) =>
        !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
        new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
      {
        error: (i) => `expires ${JSON.stringify(i.input)} is not a real date`,
      },
    ),
});
