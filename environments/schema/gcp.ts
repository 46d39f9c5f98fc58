/** The GCP target of an environment. Later layers (cluster, data, messaging) add their sections here. */
import { z } from "zod";
import { cidrsOverlap, parseCidr, type Cidr } from "../../modules/common/cidr";
import { NAME_RULES } from "../../modules/common/naming";
import { CidrText, named, obj, type TierDefaults } from "./common";

const GcpRegion = z.string().regex(/^[a-z]+-[a-z]+\d+$/, {
  error: (i) => `region ${JSON.stringify(i.input)} is not a GCP region; write it like us-central1`,
});
const GcpZone = z.string().regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, {
  error: (i) => `zone ${JSON.stringify(i.input)} is not a GCP zone; write it like us-central1-a`,
});

export const GcpFlowLogs = obj({
  /** @default true */
  enabled: z.boolean().default(true),
  /** Fraction of packets sampled, 0–1. @default 0.5 */
  sampling: z.number().min(0).max(1).default(0.5),
  /** @default "INTERVAL_5_SEC" */
  aggregationInterval: z
    .enum([
      "INTERVAL_5_SEC",
      "INTERVAL_30_SEC",
      "INTERVAL_1_MIN",
      "INTERVAL_5_MIN",
      "INTERVAL_10_MIN",
      "INTERVAL_15_MIN",
    ])
    .default("INTERVAL_5_SEC"),
});

export const GcpNetwork = obj({
  /** Primary range of the subnet (nodes). @default "10.10.0.0/20" */
  subnetCidr: CidrText.default("10.10.0.0/20"),
  /** Secondary range `pods`. @default "10.16.0.0/14" */
  podsCidr: CidrText.default("10.16.0.0/14"),
  /** Secondary range `services`. @default "10.20.0.0/20" */
  servicesCidr: CidrText.default("10.20.0.0/20"),
  /** VPC flow logs on the subnet. @default - on, 50 % sampling, 5 s aggregation */
  flowLogs: GcpFlowLogs.prefault({}),
  /** Cloud Router + Cloud NAT so private nodes reach the internet. @default true */
  nat: z.boolean().default(true),
}).superRefine((net, ctx) => {
  const ranges: Array<[keyof typeof net, Cidr | undefined]> = [
    ["subnetCidr", parseCidr(net.subnetCidr)],
    ["podsCidr", parseCidr(net.podsCidr)],
    ["servicesCidr", parseCidr(net.servicesCidr)],
  ];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [a, ca] = ranges[i];
      const [b, cb] = ranges[j];
      if (ca && cb && cidrsOverlap(ca, cb)) {
        ctx.addIssue({
          code: "custom",
          path: [b],
          message: `${b} ${net[b] as string} overlaps ${a} ${net[a] as string}; pick non-overlapping ranges (pods and services are secondary ranges of the subnet)`,
        });
      }
    }
  }
});

/**
 * The GKE cluster of the environment (the cluster layer extends this section). Its presence is
 * what puts Helm layers on GCP.
 */
export const GkeClusterConfig = obj({
  /** Regional control plane and nodes across the zones. @default - the tier's highAvailability */
  regional: z.boolean().optional(),
});

export const GcpTarget = obj({
  project: named(NAME_RULES.gcpProject),
  region: GcpRegion,
  /** Zones for zonal resources. @default - `<region>-a` (and -b, -c with high availability) */
  zones: z.array(GcpZone).min(1).optional(),
  /** @default - see GcpNetwork */
  network: GcpNetwork.prefault({}),
  /** @default - no cluster */
  cluster: GkeClusterConfig.optional(),
}).superRefine((t, ctx) => {
  const seen = new Set<string>();
  (t.zones ?? []).forEach((zone, i) => {
    if (!zone.startsWith(`${t.region}-`)) {
      ctx.addIssue({
        code: "custom",
        path: ["zones", i],
        message: `zone ${zone} is not in region ${t.region}; use ${t.region}-a, ${t.region}-b, …`,
      });
    }
    if (seen.has(zone)) {
      ctx.addIssue({ code: "custom", path: ["zones", i], message: `zone ${zone} is listed twice` });
    }
    seen.add(zone);
  });
});

export type GcpTargetInput = z.input<typeof GcpTarget>;

/** Fills tier defaults into a parsed GCP target. */
export function resolveGcp(t: z.output<typeof GcpTarget>, tier: TierDefaults) {
  const zones =
    t.zones ?? (tier.highAvailability ? ["a", "b", "c"] : ["a"]).map((z) => `${t.region}-${z}`);
  const cluster = t.cluster && {
    ...t.cluster,
    regional: t.cluster.regional ?? tier.highAvailability,
  };
  return { ...t, zones, cluster };
}
export type GcpTargetConfig = ReturnType<typeof resolveGcp>;
