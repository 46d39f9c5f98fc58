/**
 * Building blocks of the environment contract: strict objects with helpful unknown-key messages,
 * CIDRs, names, tiers and the defaults each tier picks.
 */
import { z } from "zod";
import { isNetworkAligned, parseCidr } from "../../modules/common/cidr";
import { NAME_RULES, type NameRule } from "../../modules/common/naming";

/** Edit distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
    }
  }
  return d[a.length][b.length];
}

/** Suggests the closest allowed key, if any is close. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of allowed) {
    const score = distance(key, candidate);
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(key.length / 3))
    ? best
    : undefined;
}

/**
 * A strict object: unknown keys (typos) are errors that name the key, the closest allowed key and
 * the full list.
 */
export function obj<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      return issue.keys
        .map((k) => {
          const hint = didYouMean(k, allowed);
          return `unknown key "${k}"${hint ? ` — did you mean "${hint}"?` : ""} (allowed: ${allowed.join(", ")})`;
        })
        .join("; ");
    },
  });
}

/** An IPv4 CIDR block whose address is the network address (10.0.0.0/16, not 10.0.1.0/16). */
export const CidrText = z.string().superRefine((value, ctx) => {
  const c = parseCidr(value);
  if (!c) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not an IPv4 CIDR; write it like 10.0.0.0/16`,
    });
  } else if (!isNetworkAligned(c)) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" has host bits set; use the network address of the block (e.g. the /${c.prefix} that contains it)`,
    });
  }
});

/** A string that follows one of the clouds' naming rules. */
export function named(rule: NameRule) {
  return z.string().superRefine((value, ctx) => {
    if (value.length < rule.minLength || value.length > rule.maxLength) {
      ctx.addIssue({
        code: "custom",
        message: `${rule.what} "${value}" is ${value.length} characters; it must be ${rule.minLength}–${rule.maxLength}`,
      });
    } else if (!rule.pattern.test(value)) {
      ctx.addIssue({
        code: "custom",
        message: `${rule.what} "${value}" may contain only ${rule.charset}`,
      });
    }
  });
}

/** Environment name: short, because it prefixes every stack and resource name. */
export const EnvName = z.string().regex(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/, {
  error: (i) =>
    `environment name ${JSON.stringify(i.input)} must be 2–16 lower-case letters, digits or hyphens, starting with a letter (it prefixes every stack and resource name)`,
});

/** A label value valid on every cloud (GCP is the strictest). */
export const LabelValue = named({ ...NAME_RULES.gcpLabel, minLength: 1, what: "label value" });

/** A label key valid on every cloud. */
export const LabelKey = named({
  ...NAME_RULES.gcpLabel,
  minLength: 1,
  what: "label key",
  pattern: /^[a-z][a-z0-9_-]*$/,
  charset: "lower-case letters, digits, underscores and hyphens, starting with a letter",
});

/** The tiers, from least to most protected. */
export const Tier = z.enum(["dev", "staging", "prod"]);
export type Tier = z.infer<typeof Tier>;

/** A tier's place from least (0, dev) to most protected (2, prod). */
export function tierRank(tier: Tier): number {
  return Tier.options.indexOf(tier);
}

/**
 * What each tier chooses when the environment file is silent. The only place a tier turns into
 * numbers; stacks and modules never look at the tier.
 */
export const TIER_DEFAULTS = {
  dev: {
    deletionProtection: false,
    highAvailability: false,
    replicas: 1,
    stateEncryption: false,
    customerManagedKeys: false,
    preventDestroy: false,
    workloadSize: "small",
    releaseTimeouts: { platform: 600, stateful: 900, apps: 600 },
    monitoring: {
      enabled: false,
      retention: "3d",
      thresholds: {
        pvcUsagePercent: 90,
        podNotReadyMinutes: 30,
        nodeRequestsPercent: 95,
        replicationLagSeconds: 300,
        queueDepthMessages: 100000,
      },
    },
  },
  staging: {
    deletionProtection: true,
    highAvailability: false,
    replicas: 2,
    stateEncryption: true,
    customerManagedKeys: false,
    preventDestroy: false,
    workloadSize: "medium",
    releaseTimeouts: { platform: 600, stateful: 1800, apps: 600 },
    monitoring: {
      enabled: true,
      retention: "7d",
      thresholds: {
        pvcUsagePercent: 85,
        podNotReadyMinutes: 15,
        nodeRequestsPercent: 90,
        replicationLagSeconds: 120,
        queueDepthMessages: 10000,
      },
    },
  },
  prod: {
    deletionProtection: true,
    highAvailability: true,
    replicas: 3,
    stateEncryption: true,
    customerManagedKeys: true,
    preventDestroy: true,
    workloadSize: "large",
    releaseTimeouts: { platform: 900, stateful: 3600, apps: 900 },
    monitoring: {
      enabled: true,
      retention: "15d",
      thresholds: {
        pvcUsagePercent: 80,
        podNotReadyMinutes: 10,
        nodeRequestsPercent: 85,
        replicationLagSeconds: 30,
        queueDepthMessages: 10000,
      },
    },
  },
} as const satisfies Record<Tier, TierDefaults>;

/** The defaults a tier picks. */
export interface TierDefaults {
  /** Cloud-side deletion protection on stateful resources. */
  readonly deletionProtection: boolean;
  /** Regional/multi-zone control planes, replication, NAT per zone. */
  readonly highAvailability: boolean;
  /** Default replica count for workloads. */
  readonly replicas: number;
  /** OpenTofu state encryption. */
  readonly stateEncryption: boolean;
  /** Customer-managed encryption keys (Cloud KMS / AWS KMS) for data at rest. */
  readonly customerManagedKeys: boolean;
  /** `lifecycle.prevent_destroy` on stateful resources. */
  readonly preventDestroy: boolean;
  /** Resources and volume sizes of Helm workloads (environments/schema/workloads.ts WORKLOAD_SIZES). */
  readonly workloadSize: "small" | "medium" | "large";
  /**
   * Helm timeout per release, seconds, by layer: `platform` (cert-manager, ingress, Argo CD),
   * `stateful` (databases and buses: volumes provisioned, replicas joined one by one, first
   * initialization) and `apps` (Deployments rolling). Larger HA topologies start more pods in
   * sequence, hence the longer prod defaults.
   */
  readonly releaseTimeouts: {
    readonly platform: number;
    readonly stateful: number;
    readonly apps: number;
  };
  /**
   * In-cluster monitoring (`workloads.platform.monitoring`): kube-prometheus-stack on the
   * environment's own clusters, monitors and alert rules for its services; Prometheus retention;
   * alert thresholds (ranges in environments/schema/monitoring.ts). Stricter tiers alert sooner.
   */
  readonly monitoring: {
    readonly enabled: boolean;
    readonly retention: string;
    readonly thresholds: {
      readonly pvcUsagePercent: number;
      readonly podNotReadyMinutes: number;
      readonly nodeRequestsPercent: number;
      readonly replicationLagSeconds: number;
      readonly queueDepthMessages: number;
    };
  };
}

/**
 * Why a cloud section (event store, bus, managed databases) exists though no app of this
 * environment uses it; without it, an unused section is an error (schema/usage.ts).
 */
export const UnusedReason = z
  .string()
  .trim()
  .min(10, {
    error:
      'reason must say why this exists though no app here uses it (at least 10 characters), e.g. "read by the analytics team\'s Dataflow job"',
  })
  .optional();
