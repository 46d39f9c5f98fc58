/**
 * The environment contract: one zod schema that is both the TypeScript types and the runtime
 * validation. `EnvironmentInput` is what environment files write; `Environment` is the resolved
 * form (tier defaults filled in) that stacks consume and `npm run config -- show` prints. A
 * resolved environment is itself a valid input and resolves to itself.
 */
import { z } from "zod";
import { findLiteralSecrets } from "../modules/common/secrets";
import { formatPath, type Problem } from "./errors";
import {
  Alerts,
  checkAlertRecipients,
  checkAlerts,
  resolveAlerts,
  type AlertCloud,
} from "./schema/alerts";
import { AwsTarget, checkAwsForTier, resolveAws } from "./schema/aws";
import { EnvName, LabelKey, LabelValue, obj, Tier, TIER_DEFAULTS } from "./schema/common";
import { checkDigitalOcean, DoTarget, resolveDigitalOcean } from "./schema/digitalocean";
import { checkGcpEnvironment, GcpTarget, resolveGcp } from "./schema/gcp";
import { Backend, StateEncryption } from "./schema/state";
import { checkCloudUsage } from "./schema/usage";
import { Waiver } from "./schema/waivers";
import {
  checkMonitoringRecipients,
  checkWorkloads,
  CONFIG_CLOUDS,
  resolveWorkloads,
  Workloads,
  type WorkloadContext,
} from "./schema/workloads";

export { TIER_DEFAULTS, Tier } from "./schema/common";

/** What an environment file may acknowledge changing in an environment it replaces. */
export const ACKNOWLEDGEMENTS = ["tier-downgrade", "backend-change", "protection-off"] as const;
export type Acknowledgement = (typeof ACKNOWLEDGEMENTS)[number];

const Targets = obj({
  gcp: GcpTarget.optional(),
  aws: AwsTarget.optional(),
  digitalocean: DoTarget.optional(),
});

const EnvironmentFields = obj({
  name: EnvName,
  tier: Tier,
  /** Who answers for this environment (label `owner`). */
  owner: LabelValue,
  /** The team that runs it (label `team`). */
  team: LabelValue,
  /** Extra labels/tags on every resource. @default {} */
  labels: z.record(LabelKey, LabelValue).optional(),
  /** Deletion protection on stateful resources. @default - the tier's (off in dev, on in staging and prod) */
  deletionProtection: z.boolean().optional(),
  /** Regional control planes, replication, per-zone NAT. @default - the tier's (prod only) */
  highAvailability: z.boolean().optional(),
  /** Customer-managed KMS keys for data at rest. @default - the tier's (prod only) */
  customerManagedKeys: z.boolean().optional(),
  /** `lifecycle.prevent_destroy` on stateful resources. @default - the tier's (prod only) */
  preventDestroy: z.boolean().optional(),
  /** Default workload replicas. @default - the tier's (1 / 2 / 3) */
  replicas: z.number().int().min(1).max(100).optional(),
  /** Terraform state backend. @default - local for dev; staging and prod must name gcs or s3 */
  backend: Backend.optional(),
  /** OpenTofu state encryption. @default - on outside dev, pbkdf2 passphrase from TF_VAR_strata_state_passphrase */
  stateEncryption: StateEncryption.optional(),
  targets: Targets,
  /** Where Helm layers run. @default - own clusters, namespace = name */
  workloads: Workloads.optional(),
  /** Alert channels, thresholds, severities and cloud backups (docs/alerts-and-backups.md). @default - the tier's, no channels */
  alerts: Alerts.optional(),
  /** Policy waivers: each names a rule, a resource pattern, why, who, and until when. @default [] */
  waivers: z.array(Waiver).optional(),
  /**
   * Changes this file makes on purpose to a staging or prod environment it replaces, each named:
   * `tier-downgrade`, `backend-change`, `protection-off`. Without the name, synthesis refuses the
   * change (environments/index.ts). @default []
   */
  acknowledge: z.array(z.enum(ACKNOWLEDGEMENTS)).optional(),
});

type Fields = z.output<typeof EnvironmentFields>;

/** What the workloads section needs to know about its environment. */
function workloadContext(e: Fields): WorkloadContext {
  const shared = e.workloads?.sharedCluster;
  return {
    name: e.name,
    tier: e.tier,
    clouds: shared ? [shared.cloud] : CONFIG_CLOUDS.filter((c) => e.targets[c]?.cluster),
    targets: e.targets,
    highAvailability: e.highAvailability ?? TIER_DEFAULTS[e.tier].highAvailability,
  };
}

/** The clouds where this environment has resources Strata alerts on. */
function alertClouds(e: Fields): AlertCloud[] {
  const { gcp, aws, digitalocean } = e.targets;
  return [
    ...(gcp?.eventStore || gcp?.pubsub ? (["gcp"] as const) : []),
    ...(aws?.eventStore || aws?.messaging ? (["aws"] as const) : []),
    ...(digitalocean?.cluster || digitalocean?.databases ? (["digitalocean"] as const) : []),
  ];
}

/** Checks that need several fields of one environment. */
function checkEnvironment(e: Fields, ctx: z.RefinementCtx): void {
  if (e.tier !== "dev" && (e.backend === undefined || e.backend.type === "local")) {
    ctx.addIssue({
      code: "custom",
      path: ["backend"],
      message: `a ${e.tier}-tier environment needs a shared, locking backend: set backend to { type: "gcs", bucket } or { type: "s3", bucket, region }`,
    });
  }
  if (e.tier !== "dev" && e.stateEncryption?.enabled === false) {
    ctx.addIssue({
      code: "custom",
      path: ["stateEncryption", "enabled"],
      message: `state encryption cannot be turned off in a ${e.tier}-tier environment; remove enabled: false`,
    });
  }
  if (e.targets.digitalocean) {
    checkDigitalOcean(
      e.targets.digitalocean,
      {
        highAvailability: e.highAvailability ?? TIER_DEFAULTS[e.tier].highAvailability,
        sharedCloud: e.workloads?.sharedCluster?.cloud,
      },
      ctx,
    );
  }
  checkAwsForTier(e.targets.aws, e.tier, ctx);
  if (!e.targets.gcp && !e.targets.aws && !e.targets.digitalocean && !e.workloads?.sharedCluster) {
    ctx.addIssue({
      code: "custom",
      path: ["targets"],
      message:
        "an environment needs at least one target (gcp, aws or digitalocean) or workloads.sharedCluster",
    });
  }
  if (e.targets.gcp) {
    checkGcpEnvironment(
      e.targets.gcp,
      {
        name: e.name,
        customerManagedKeys: e.customerManagedKeys ?? TIER_DEFAULTS[e.tier].customerManagedKeys,
        sharedCluster: e.workloads?.sharedCluster,
      },
      ctx,
    );
  }
  checkWorkloads(e.workloads, workloadContext(e), (path, message) =>
    ctx.addIssue({ code: "custom", path: ["workloads", ...path], message }),
  );
  checkAlerts(e.alerts, { clouds: alertClouds(e) }, (path, message) =>
    ctx.addIssue({ code: "custom", path: ["alerts", ...path], message }),
  );
}

/** Fills every default the tier chooses. */
function resolveEnvironment(e: Fields) {
  const base = TIER_DEFAULTS[e.tier];
  const defaults = {
    deletionProtection: e.deletionProtection ?? base.deletionProtection,
    highAvailability: e.highAvailability ?? base.highAvailability,
    replicas: e.replicas ?? base.replicas,
    stateEncryption: e.stateEncryption?.enabled ?? base.stateEncryption,
    customerManagedKeys: e.customerManagedKeys ?? base.customerManagedKeys,
    preventDestroy: e.preventDestroy ?? base.preventDestroy,
    workloadSize: base.workloadSize,
    releaseTimeouts: base.releaseTimeouts,
    monitoring: base.monitoring,
  };
  return {
    name: e.name,
    tier: e.tier,
    owner: e.owner,
    team: e.team,
    labels: e.labels ?? {},
    deletionProtection: defaults.deletionProtection,
    highAvailability: defaults.highAvailability,
    customerManagedKeys: defaults.customerManagedKeys,
    preventDestroy: defaults.preventDestroy,
    replicas: defaults.replicas,
    backend: e.backend ?? { type: "local" as const, dir: ".tfstate" },
    stateEncryption: {
      enabled: defaults.stateEncryption,
      keyProvider: e.stateEncryption?.keyProvider ?? { type: "pbkdf2" as const },
    },
    targets: {
      gcp: e.targets.gcp && resolveGcp(e.targets.gcp, defaults),
      aws: e.targets.aws && resolveAws(e.targets.aws, defaults),
      digitalocean: e.targets.digitalocean && resolveDigitalOcean(e.targets.digitalocean, defaults),
    },
    workloads: resolveWorkloads(e.workloads, workloadContext(e), defaults),
    alerts: resolveAlerts(e.alerts, e.tier),
    waivers: e.waivers ?? [],
    acknowledge: e.acknowledge ?? [],
  };
}

/** The contract: validation + tier defaults. */
export const EnvironmentSchema =
  EnvironmentFields.superRefine(checkEnvironment).transform(resolveEnvironment);

/** What an environment file writes. */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** A validated environment with every default filled in. */
export type Environment = z.output<typeof EnvironmentSchema>;

/** Typed identity for environment files: `export default defineEnvironment({ ... })`. */
export function defineEnvironment(input: EnvironmentInput): EnvironmentInput {
  return input;
}

/** Checks that read the raw input, so they report even when other fields are invalid. */
function checkRaw(raw: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const problems: Array<{ path: PropertyKey[]; message: string }> = findLiteralSecrets(raw).map(
    (f) => ({
      path: [...f.path],
      message: `${f.reason}; secrets never go in config. Reference a secret instead (a Kubernetes Secret name, a secret-manager id, or TF_VAR_* at apply time)`,
    }),
  );
  const tier = (raw as { tier?: unknown } | null)?.tier;
  if (tier === "prod") {
    const walk = (v: unknown, path: PropertyKey[]): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v !== null && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "deletionProtection" && x === false) {
            problems.push({
              path: [...path, k],
              message:
                "a prod-tier environment cannot turn deletion protection off; remove deletionProtection: false (or change the tier)",
            });
          } else walk(x, [...path, k]);
        }
      }
    };
    walk(raw, []);
  }
  return problems;
}

/**
 * Whether each cloud section, identity and queue has a user (schema/usage.ts). Checked where
 * environments are loaded for synthesis (validateEnvironment), not by EnvironmentSchema alone, so
 * a module or stack test can describe a section without writing the apps that would use it.
 */
function usageProblems(raw: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const e = EnvironmentFields.parse(raw);
  const problems: Array<{ path: PropertyKey[]; message: string }> = [];
  checkCloudUsage(e.targets, e.workloads, workloadContext(e), (path, message) =>
    problems.push({ path, message }),
  );
  checkAlertRecipients(e.alerts, { tier: e.tier, clouds: alertClouds(e) }, (path, message) =>
    problems.push({ path: ["alerts", ...path], message }),
  );
  // Only an environment with clusters of its own runs the metrics stack.
  if (workloadContext(e).clouds.length > 0) {
    checkMonitoringRecipients(e.workloads, e.tier, (path, message) =>
      problems.push({ path: ["workloads", ...path], message }),
    );
  }
  return problems;
}

/**
 * Validates one environment. Returns the resolved environment, or every problem found with
 * paths prefixed by `label` (the environment's name, or the file it came from).
 */
export function validateEnvironment(
  raw: unknown,
  label: string,
): { ok: true; env: Environment } | { ok: false; problems: Problem[] } {
  const result = EnvironmentSchema.safeParse(raw);
  const issues: Array<{ path: readonly PropertyKey[]; message: string }> = [
    ...checkRaw(raw),
    ...(result.success ? usageProblems(raw) : result.error.issues),
  ];
  if (issues.length === 0 && result.success) return { ok: true, env: result.data };
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = formatPath([label, ...issue.path]);
    const key = `${path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ path, message: issue.message });
    }
  }
  return { ok: false, problems };
}
