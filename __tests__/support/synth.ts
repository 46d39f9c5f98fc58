/** Helpers to read synthesized Terraform JSON in tests. */
import { Testing, type TerraformStack } from "cdktf";

/** Terraform JSON of a stack, parsed. */
export type TfJson = {
  terraform?: Record<string, unknown> & {
    required_providers?: Record<string, { source: string; version: string }>;
  };
  provider?: Record<string, Array<Record<string, unknown>>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
};

/** Synthesizes one stack and parses it. */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** All resources of one type in a synthesized stack. */
export function resourcesOf(tf: TfJson, type: string): Array<Record<string, unknown>> {
  return Object.values(tf.resource?.[type] ?? {});
}
