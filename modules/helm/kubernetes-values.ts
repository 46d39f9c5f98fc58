/**
 * Kubernetes value types shared by the Helm modules, and their checks: quantities, resources,
 * names. Messages name the prop, the value, the rule and the fix.
 */
import { checkName, NAME_RULES } from "../common/naming";

/** CPU and memory of one side (requests or limits). */
export interface CpuMemory {
  readonly cpu?: string;
  readonly memory?: string;
}

/** Container resources, as Kubernetes writes them. */
export interface ResourceRequirements {
  readonly requests?: CpuMemory;
  readonly limits?: CpuMemory;
}

/** Standard labels put on every Kubernetes object Strata creates. */
export type KubernetesLabels = Readonly<Record<string, string>>;

/**
 * A Kubernetes quantity.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
const QUANTITY_RE = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * The longest Helm or migration wait: 4 h. The seeds allow 160 minutes for a database's first
 * initialization; anything longer should be split or fixed rather than waited for.
 */
export const MAX_TIMEOUT_SECONDS = 14_400;

/** Helm's limit on release names (names of generated objects append suffixes up to 63). */
export const MAX_RELEASE_NAME = 53;

/** Throws when `value` is not a Kubernetes quantity. */
export function checkQuantity(path: string, prop: string, value: string | undefined): void {
  if (value !== undefined && !QUANTITY_RE.test(value)) {
    throw new Error(
      `${path}: ${prop} "${value}" is not a Kubernetes quantity; write it like 250m or 1 (CPU), 512Mi or 2Gi (memory, storage)`,
    );
  }
}

/** Throws when a quantity in `resources` is malformed. */
export function checkResources(path: string, prop: string, resources?: ResourceRequirements): void {
  for (const side of ["requests", "limits"] as const) {
    for (const kind of ["cpu", "memory"] as const) {
      checkQuantity(path, `${prop}.${side}.${kind}`, resources?.[side]?.[kind]);
    }
  }
}

/** Throws when `name` is not a Helm release name (DNS label, at most 53 characters). */
export function checkReleaseName(path: string, name: string): void {
  const problem = checkName(name, {
    ...NAME_RULES.dnsLabel,
    what: "Helm release name",
    maxLength: MAX_RELEASE_NAME,
  });
  if (problem) throw new Error(`${path}: name: ${problem}; choose a shorter release name`);
}

/** Throws when `namespace` is not a DNS label. */
export function checkNamespace(path: string, namespace: string): void {
  const problem = checkName(namespace, { ...NAME_RULES.dnsLabel, what: "namespace" });
  if (problem) throw new Error(`${path}: namespace: ${problem}`);
}

/** Throws when `value` is below `min`, naming why the minimum exists. */
export function checkMinimum(
  path: string,
  prop: string,
  value: number,
  min: number,
  why: string,
): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${path}: ${prop} (${value}) must be an integer >= ${min}: ${why}`);
  }
}
