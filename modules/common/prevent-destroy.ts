/**
 * Aspect: `lifecycle.prevent_destroy` on every stateful resource (STATEFUL_TYPES), in addition to
 * the cloud's own deletion protection. A plan that would destroy or replace one then fails before
 * anything is touched.
 *
 * Managed resources only: a data source's lifecycle takes only precondition/postcondition, and the
 * engine refuses any other argument when it loads the configuration ("Invalid data resource
 * lifecycle argument"; facts/opentofu.json). Data sources share type names with resources
 * (`digitalocean_kubernetes_cluster`), so the type alone does not tell them apart.
 */
import { TerraformResource, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { STATEFUL_TYPES } from "./policy/rules";

const STATEFUL = new Set<string>(STATEFUL_TYPES);

/** Adds prevent_destroy to stateful resources in a scope. */
export class PreventDestroy implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    if (!STATEFUL.has(node.terraformResourceType)) return;
    node.lifecycle = { ...(node.lifecycle ?? {}), preventDestroy: true };
  }
}
