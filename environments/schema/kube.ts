/**
 * Kubernetes-level shapes the workload sections share: the clouds a cluster runs on, resource
 * quantities and requirements, workload sizes.
 */
import { z } from "zod";
import { obj } from "./common";

export const ConfigCloud = z.enum(["gcp", "aws", "digitalocean"]);
export type ConfigCloud = z.infer<typeof ConfigCloud>;

/** The config clouds, in the order stacks are built. */
export const CONFIG_CLOUDS: readonly ConfigCloud[] = ["gcp", "aws", "digitalocean"];

/** Workload size: picks resources and volume sizes per component. */
export const WorkloadSize = z.enum(["small", "medium", "large"]);
export type WorkloadSize = z.infer<typeof WorkloadSize>;

/**
 * A Kubernetes resource quantity: a decimal number with an optional binary (Ki…Ei) or decimal
 * (n, u, m, k, M, G, T, P, E) suffix, or an exponent.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export const QUANTITY_RE =
  /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export const Quantity = z.string().regex(QUANTITY_RE, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not a Kubernetes quantity; write it like 250m or 1 (CPU), 512Mi or 2Gi (memory, storage)`,
});

const CpuMemory = obj({ cpu: Quantity.optional(), memory: Quantity.optional() });

/** Container resources. */
export const Resources = obj({
  /** What the scheduler reserves. */
  requests: CpuMemory,
  /** Hard caps. @default - memory only (a CPU limit throttles; requests already share CPU fairly) */
  limits: CpuMemory.optional(),
});
export type Resources = z.output<typeof Resources>;
