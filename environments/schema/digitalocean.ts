/** The DigitalOcean target of an environment. The cluster layer adds its section here. */
import { z } from "zod";
import { isPrivateCidr, parseCidr } from "../../modules/common/cidr";
import { CidrText, obj, type TierDefaults } from "./common";

export const DoRegion = z.string().regex(/^[a-z]{3}\d$/, {
  error: (i) =>
    `region ${JSON.stringify(i.input)} is not a DigitalOcean region slug; write it like nyc3, fra1, ams3`,
});

export const DoNetwork = obj({
  /** The VPC's private range; must not overlap other VPCs in the same region. */
  ipRange: CidrText.superRefine((value, ctx) => {
    const c = parseCidr(value);
    if (c && !isPrivateCidr(c)) {
      ctx.addIssue({
        code: "custom",
        message: `ipRange ${value} is not a private (RFC 1918) range; use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
      });
    }
    if (c && (c.prefix < 16 || c.prefix > 24)) {
      ctx.addIssue({
        code: "custom",
        message: `ipRange ${value} must be a /16 to /24 (DigitalOcean VPC limits)`,
      });
    }
  }),
});

/** The DOKS cluster of the environment (the cluster layer extends this section). */
export const DoksClusterConfig = obj({});

export const DoTarget = obj({
  region: DoRegion,
  network: DoNetwork,
  /** @default - no cluster */
  cluster: DoksClusterConfig.optional(),
});

export type DoTargetInput = z.input<typeof DoTarget>;

/** Fills tier defaults into a parsed DigitalOcean target. */
export function resolveDigitalOcean(t: z.output<typeof DoTarget>, _tier: TierDefaults) {
  return { ...t };
}
export type DoTargetConfig = ReturnType<typeof resolveDigitalOcean>;
