/**
 * Kubernetes-level shapes the workload sections share: the clouds a cluster runs on, resource
 * quantities and requirements, workload sizes, chart versions, release names, image locations
 * and environment variable names.
 */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import { named, obj } from "./common";

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

/** One or more clouds, for `clouds` lists. */
export const Clouds = z.array(ConfigCloud).min(1);

/** An exact chart version: no ranges, no `latest`. */
export const EXACT_VERSION_RE = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const ChartVersion = z.string().regex(EXACT_VERSION_RE, {
  error: (i) =>
    `chart version ${JSON.stringify(i.input)} is not pinned; write an exact version like 16.7.27 (no ranges such as ^1.2 or 1.x, no "latest")`,
});

/** Helm release names: DNS labels of at most 53 characters (Helm's limit). */
export const RELEASE_NAME_MAX = 53;
export const ReleaseName = named({
  ...NAME_RULES.dnsLabel,
  what: "Helm release name",
  maxLength: RELEASE_NAME_MAX,
});

/**
 * Where a chart's images come from. `namespace` replaces the chart's default image namespace
 * (`bitnami` → `bitnamilegacy`, `jetstack` → your mirror's); `registry` the default registry.
 */
export const ImageSource = obj({
  /** @default - the environment's (Bitnami charts) or the chart's own registry */
  registry: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/, {
      error: (i) =>
        `image registry ${JSON.stringify(i.input)} must be a host such as docker.io or europe-docker.pkg.dev/my-project`,
    })
    .optional(),
  /** @default - the environment's (Bitnami charts) or the chart's own namespace */
  namespace: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/, {
      error: (i) => `image namespace ${JSON.stringify(i.input)} must look like bitnamilegacy`,
    })
    .optional(),
});
export type ImageSource = z.output<typeof ImageSource>;

/** An environment variable name. */
export const EnvVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an environment variable name; use UPPER_SNAKE_CASE`,
});

/** The store or bus an app uses on one cloud. */
export function choiceOn<T extends string>(
  choice: T | Partial<Record<ConfigCloud, T>> | undefined,
  cloud: ConfigCloud,
): T | undefined {
  return typeof choice === "object" ? choice[cloud] : choice;
}
