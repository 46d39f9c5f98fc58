/** The AWS target of an environment. Later layers (cluster, data, messaging) add their sections here. */
import { z } from "zod";
import { CidrText, obj, type TierDefaults } from "./common";

const AwsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, {
  error: (i) => `region ${JSON.stringify(i.input)} is not an AWS region; write it like eu-west-1`,
});

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const LogRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: (i) =>
      `log retention ${String(i.input)} days is not one CloudWatch accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
  });

export const AwsNetwork = obj({
  /** @default "10.30.0.0/16" */
  vpcCidr: CidrText.default("10.30.0.0/16"),
  /**
   * Availability zones, 2–6 (EKS needs at least 2).
   * @default - `<region>a`, `<region>b` (and `<region>c` with high availability)
   */
  availabilityZones: z
    .array(
      z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, {
        error: "availability zone must look like eu-west-1a",
      }),
    )
    .min(2, { error: "at least 2 availability zones are needed (EKS requires subnets in 2)" })
    .max(6)
    .optional(),
  /** One NAT gateway for all zones, or one per zone (survives a zone outage). @default - per-az with high availability, else single */
  natGateways: z.enum(["single", "per-az"]).optional(),
  /** VPC flow logs to CloudWatch Logs. @default - on, 90 days */
  flowLogs: obj({
    /** @default true */
    enabled: z.boolean().default(true),
    /** @default 90 */
    retentionDays: LogRetentionDays.default(90),
  }).prefault({}),
}).superRefine((net, ctx) => {
  const prefix = Number(net.vpcCidr.split("/")[1]);
  if (Number.isFinite(prefix) && (prefix < 16 || prefix > 20)) {
    ctx.addIssue({
      code: "custom",
      path: ["vpcCidr"],
      message: `vpcCidr ${net.vpcCidr} must be a /16 to /20 (AWS allows /16–/28; Strata carves public and private subnets for up to 6 zones out of it)`,
    });
  }
});

/** The EKS cluster of the environment (the cluster layer extends this section). */
export const EksClusterConfig = obj({});

export const AwsTarget = obj({
  region: AwsRegion,
  /** Refuse to apply against any other account. @default - any account the credentials reach */
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: "accountId must be the 12-digit AWS account id" })
    .optional(),
  /** @default - see AwsNetwork */
  network: AwsNetwork.prefault({}),
  /** @default - no cluster */
  cluster: EksClusterConfig.optional(),
}).superRefine((t, ctx) => {
  const seen = new Set<string>();
  (t.network.availabilityZones ?? []).forEach((az, i) => {
    const path = ["network", "availabilityZones", i];
    if (!new RegExp(`^${t.region}[a-z]$`).test(az)) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `availability zone ${az} is not in region ${t.region}; use ${t.region}a, ${t.region}b, …`,
      });
    }
    if (seen.has(az))
      ctx.addIssue({ code: "custom", path, message: `availability zone ${az} is listed twice` });
    seen.add(az);
  });
});

export type AwsTargetInput = z.input<typeof AwsTarget>;

/** Fills tier defaults into a parsed AWS target. */
export function resolveAws(t: z.output<typeof AwsTarget>, tier: TierDefaults) {
  const availabilityZones =
    t.network.availabilityZones ??
    (tier.highAvailability ? ["a", "b", "c"] : ["a", "b"]).map((z) => `${t.region}${z}`);
  const natGateways = t.network.natGateways ?? (tier.highAvailability ? "per-az" : "single");
  return { ...t, network: { ...t.network, availabilityZones, natGateways } };
}
export type AwsTargetConfig = ReturnType<typeof resolveAws>;
