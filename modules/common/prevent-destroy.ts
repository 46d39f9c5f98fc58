/**
 * Aspect: `lifecycle.prevent_destroy` on every stateful resource (STATEFUL_TYPES), in addition to
 * the cloud's own deletion protection. A plan that would destroy or replace one then fails before
 * anything is touched.
 */
import type { IAspect, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { STATEFUL_TYPES } from "./policy/rules";

const STATEFUL = new Set<string>(STATEFUL_TYPES);

/** Adds prevent_destroy to stateful resources in a scope. */
export class PreventDestroy implements IAspect {
  visit(node: IConstruct): void {
    const type = (node as { terraformResourceType?: string }).terraformResourceType;
    if (type === undefined || !STATEFUL.has(type) || !("lifecycle" in node)) return;
    const resource = node as TerraformResource;
    resource.lifecycle = { ...(resource.lifecycle ?? {}), preventDestroy: true };
  }
}
