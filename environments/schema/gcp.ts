/** The GCP target of an environment: network, GKE cluster, Bigtable event store, Pub/Sub bus, workload identities. */
import { z } from "zod";
import { cidrsOverlap, parseCidr, type Cidr } from "../../modules/common/cidr";
import { NAME_RULES } from "../../modules/common/naming";
import {
  DEFAULT_BIGTABLE_AUTOSCALING,
  DEFAULT_EVENT_STORE_TABLES,
} from "../../modules/gcp/bigtable-defaults";
import { PROJECT_NUMBER_RE } from "../../modules/gcp/iam";
import { CidrText, named, obj, UnusedReason, type TierDefaults } from "./common";

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

/** A Kubernetes taint on a node pool's nodes. */
export const GkeTaintConfig = obj({
  key: z.string().min(1),
  value: z.string(),
  effect: z.enum(["NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"]),
});

/** One GKE node pool. Autoscaling bounds are per zone. */
export const GkeNodePoolConfig = obj({
  /** Pool name, unique in the cluster. */
  name: named({ ...NAME_RULES.gcp, maxLength: 40, what: "node pool name" }),
  /** @default "e2-standard-4" */
  machineType: z.string().min(1).default("e2-standard-4"),
  /** Autoscaler minimum per zone. @default 1 */
  minNodes: z.number().int().min(0).max(1000).default(1),
  /** Autoscaler maximum per zone. @default 3 */
  maxNodes: z.number().int().min(1).max(1000).default(3),
  /** @default 100 */
  diskSizeGb: z.number().int().min(10).max(65536).default(100),
  /** @default "pd-balanced" */
  diskType: z.enum(["pd-standard", "pd-balanced", "pd-ssd"]).default("pd-balanced"),
  /** Spot VMs. @default false */
  spot: z.boolean().default(false),
  /** @default true */
  autoRepair: z.boolean().default(true),
  /** @default true */
  autoUpgrade: z.boolean().default(true),
  /** Extra nodes during upgrades. @default 1 */
  maxSurge: z.number().int().min(0).max(100).default(1),
  /** Nodes that may be down during upgrades. @default 0 */
  maxUnavailable: z.number().int().min(0).max(100).default(0),
  /** Kubernetes node labels. @default {} */
  labels: z.record(z.string(), z.string()).default({}),
  /** @default [] */
  taints: z.array(GkeTaintConfig).default([]),
}).superRefine((p, ctx) => {
  if (p.minNodes > p.maxNodes) {
    ctx.addIssue({
      code: "custom",
      path: ["minNodes"],
      message: `minNodes (${p.minNodes}) must be <= maxNodes (${p.maxNodes}); raise maxNodes or lower minNodes`,
    });
  }
  if (p.maxSurge + p.maxUnavailable === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["maxSurge"],
      message:
        "maxSurge and maxUnavailable are both 0, so upgrades cannot proceed; set maxSurge: 1",
    });
  }
});

/** A network allowed to reach the GKE control plane. */
export const GkeAuthorizedNetworkConfig = obj({
  /** IPv4 CIDR, e.g. "203.0.113.0/24". */
  cidr: CidrText,
  /** Shown in the console. */
  name: z.string().min(1).max(100),
});

/**
 * The GKE cluster of the environment. Its presence is what puts Helm layers on GCP. Private nodes,
 * workload identity, shielded nodes, no default node pool: see modules/gcp/gke-cluster.ts.
 */
export const GkeClusterConfig = obj({
  /** Regional control plane and nodes across the zones. @default - the tier's highAvailability */
  regional: z.boolean().optional(),
  /** @default "REGULAR" */
  releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
  /** /28 of the private control plane; must not overlap the subnet's ranges. @default "172.16.0.0/28" */
  controlPlaneCidr: CidrText.default("172.16.0.0/28"),
  /** Control plane reachable only on its private endpoint. @default false */
  privateEndpoint: z.boolean().default(false),
  /** Networks allowed to reach the control plane (besides the VPC). @default [] */
  authorizedNetworks: z.array(GkeAuthorizedNetworkConfig).default([]),
  /** Dataplane V2 (eBPF); false uses Calico network policy. @default true */
  dataplaneV2: z.boolean().default(true),
  /** Start of the daily 4-hour maintenance window, HH:MM UTC. @default "03:00" */
  maintenanceStartTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
      error: (i) =>
        `maintenanceStartTime ${JSON.stringify(i.input)} must be HH:MM in UTC, e.g. "03:00"`,
    })
    .default("03:00"),
  /**
   * Application-layer secrets encryption with the `gke-secrets` key of the environment's key ring.
   * @default - the environment's customerManagedKeys
   */
  secretsEncryption: z.boolean().optional(),
  /** @default - one pool "default" with the pool defaults */
  nodePools: z
    .array(GkeNodePoolConfig)
    .min(1)
    .prefault([{ name: "default" }]),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.nodePools.forEach((p, i) => {
    if (seen.has(p.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["nodePools", i, "name"],
        message: `node pool name ${p.name} is used twice`,
      });
    }
    seen.add(p.name);
  });
  const cp = parseCidr(c.controlPlaneCidr);
  if (cp && cp.prefix !== 28) {
    ctx.addIssue({
      code: "custom",
      path: ["controlPlaneCidr"],
      message: `controlPlaneCidr ${c.controlPlaneCidr} must be a /28 (GKE's private control-plane range), e.g. 172.16.0.0/28`,
    });
  }
});

const BigtableId = (what: string, maxLength: number) =>
  named({
    what,
    minLength: 6,
    maxLength,
    pattern: /^[a-z][-a-z0-9]*[a-z0-9]$/,
    charset:
      "lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit",
  });

/** GC rule of one column family. */
export const BigtableGcRuleConfig = obj({
  /** Keep the latest N versions of each cell. */
  maxVersions: z.number().int().min(1).optional(),
  /** Drop cells older than this many days. */
  maxAgeDays: z.number().int().min(1).optional(),
});

/** One Bigtable table. */
export const BigtableTableConfig = obj({
  columnFamilies: z.array(z.string().regex(/^[-_.a-zA-Z0-9]{1,64}$/)).min(1),
  /** GC rule per column family; a family not named keeps every version. @default {} */
  gc: z.record(z.string(), BigtableGcRuleConfig).default({}),
});

/** The event store: one Bigtable instance. See modules/gcp/bigtable-event-store.ts. */
export const BigtableEventStoreConfig = obj({
  /** Why it exists though no app of this environment uses it. @default - an app must use it */
  reason: UnusedReason,
  /** Instance id, 6–33 characters; each cluster is `<instanceId>-<zone letter>` (at most 30). */
  instanceId: BigtableId("Bigtable instance id", 33),
  /** One cluster per zone (two or more replicate). @default - the target's zones with highAvailability, else its first zone */
  zones: z.array(GcpZone).min(1).max(8).optional(),
  /** @default "SSD" */
  storageType: z.enum(["SSD", "HDD"]).default("SSD"),
  /** Fixed nodes per cluster instead of autoscaling. @default - autoscaling */
  nodes: z.number().int().min(1).max(1000).optional(),
  /** @default - { minNodes: 1, maxNodes: 3, cpuTarget: 60 } unless nodes is set */
  autoscaling: obj({
    /** @default 1 */
    minNodes: z.number().int().min(1).max(1000).default(1),
    /** @default 3 */
    maxNodes: z.number().int().min(1).max(1000).default(3),
    /** CPU utilization target, percent. @default 60 */
    cpuTarget: z.number().int().default(60),
  }).optional(),
  /** @default - events (e, every version), positions (p, latest 1), snapshots (s, latest 3) */
  tables: z.record(z.string().regex(/^[-_.a-zA-Z0-9]{1,50}$/), BigtableTableConfig).optional(),
  /** Change streams on every table, kept this many hours (1–168). @default - off */
  changeStreamRetentionHours: z.number().int().min(1).max(168).optional(),
  /** App profile of the applications (single-cluster routing). @default "applications" */
  appProfileId: z
    .string()
    .regex(/^[a-z][-_a-z0-9]{0,49}$/)
    .default("applications"),
}).superRefine((s, ctx) => {
  if (s.nodes !== undefined && s.autoscaling !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["nodes"],
      message: "set either nodes (fixed) or autoscaling, not both",
    });
  }
  const a = s.autoscaling;
  if (a && a.minNodes > a.maxNodes) {
    ctx.addIssue({
      code: "custom",
      path: ["autoscaling", "minNodes"],
      message: `autoscaling.minNodes (${a.minNodes}) must be <= autoscaling.maxNodes (${a.maxNodes}); raise maxNodes or lower minNodes`,
    });
  }
  if (a && (a.cpuTarget < 10 || a.cpuTarget > 80)) {
    ctx.addIssue({
      code: "custom",
      path: ["autoscaling", "cpuTarget"],
      message: `autoscaling.cpuTarget (${a.cpuTarget}) must be between 10 and 80 (percent CPU)`,
    });
  }
  for (const [table, spec] of Object.entries(s.tables ?? {})) {
    for (const [family, rule] of Object.entries(spec.gc)) {
      if (!spec.columnFamilies.includes(family)) {
        ctx.addIssue({
          code: "custom",
          path: ["tables", table, "gc", family],
          message: `GC rule for column family "${family}", which table ${table} does not define (families: ${spec.columnFamilies.join(", ")}); add it to columnFamilies or remove the rule`,
        });
      }
      if (rule.maxVersions === undefined && rule.maxAgeDays === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["tables", table, "gc", family],
          message:
            "the rule sets neither maxVersions nor maxAgeDays; set one, or remove the rule to keep every version",
        });
      }
    }
  }
});

/** A Pub/Sub topic. */
export const PubsubTopicConfig = obj({
  /** Replay window (seek), 600 s–31 days. @default 86400 */
  messageRetentionSeconds: z.number().int().min(600).max(2678400).default(86400),
  /** @default - no schema */
  schema: obj({
    type: z.enum(["AVRO", "PROTOCOL_BUFFER"]),
    definition: z.string().min(1),
    /** @default "BINARY" */
    encoding: z.enum(["JSON", "BINARY"]).default("BINARY"),
  }).optional(),
});

const inRange = (what: string, min: number, max: number, unit = "") =>
  z
    .number()
    .int()
    .refine((n) => n >= min && n <= max, {
      error: (i) => `${what} (${String(i.input)}) must be between ${min} and ${max}${unit}`,
    });

/** One consumer's subscription. */
export const PubsubSubscriptionConfig = obj({
  /** Name of a topic in pubsub.topics. */
  topic: z.string(),
  /** @default 60 */
  ackDeadlineSeconds: inRange("ackDeadlineSeconds", 10, 600, " seconds").default(60),
  /** Unacked messages kept. @default 604800 (7 days) */
  messageRetentionSeconds: inRange("messageRetentionSeconds", 600, 604800, " seconds").default(
    604800,
  ),
  /** @default false */
  retainAckedMessages: z.boolean().default(false),
  /** @default 10 */
  minimumBackoffSeconds: inRange("minimumBackoffSeconds", 0, 600, " seconds").default(10),
  /** @default 600 */
  maximumBackoffSeconds: inRange("maximumBackoffSeconds", 0, 600, " seconds").default(600),
  /** @default false */
  exactlyOnceDelivery: z.boolean().default(false),
  /** @default false */
  messageOrdering: z.boolean().default(false),
  /** Subscription filter. @default - every message */
  filter: z.string().optional(),
  /** Dead-lettering; `false` turns it off. @default - a `<subscription>-dlq` topic, 10 attempts */
  deadLetter: z
    .union([
      z.literal(false),
      obj({
        /** @default 10 */
        maxDeliveryAttempts: inRange("maxDeliveryAttempts", 5, 100).default(10),
        /** A topic in pubsub.topics shared as dead-letter topic. @default - a topic of its own */
        topic: z.string().optional(),
      }),
    ])
    .prefault({}),
});

/** The message bus: topics and a subscription per consumer. Physical names are `<env>-<name>`. */
export const PubsubConfig = obj({
  /** Why it exists though no app of this environment uses it. @default - an app must use it */
  reason: UnusedReason,
  /** @default {} */
  topics: z.record(z.string(), PubsubTopicConfig).default({}),
  /** @default {} */
  subscriptions: z.record(z.string(), PubsubSubscriptionConfig).default({}),
}).superRefine((p, ctx) => {
  const topics = Object.keys(p.topics);
  for (const [name, s] of Object.entries(p.subscriptions)) {
    if (!p.topics[s.topic]) {
      ctx.addIssue({
        code: "custom",
        path: ["subscriptions", name, "topic"],
        message: `subscription ${name} reads unknown topic "${s.topic}" (topics: ${topics.join(", ") || "none"}); add it to pubsub.topics or fix the name`,
      });
    }
    if (s.minimumBackoffSeconds > s.maximumBackoffSeconds) {
      ctx.addIssue({
        code: "custom",
        path: ["subscriptions", name, "minimumBackoffSeconds"],
        message: `minimumBackoffSeconds (${s.minimumBackoffSeconds}) must be <= maximumBackoffSeconds (${s.maximumBackoffSeconds})`,
      });
    }
    const shared = s.deadLetter === false ? undefined : s.deadLetter.topic;
    if (shared !== undefined && !p.topics[shared]) {
      ctx.addIssue({
        code: "custom",
        path: ["subscriptions", name, "deadLetter", "topic"],
        message: `dead-letter topic "${shared}" is not in pubsub.topics (topics: ${topics.join(", ")})`,
      });
    } else if (
      shared !== undefined &&
      !Object.values(p.subscriptions).some((o) => o.topic === shared)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["subscriptions", name, "deadLetter", "topic"],
        message: `dead-letter topic "${shared}" has no subscription, so dead-lettered messages would be dropped; add a subscription on it`,
      });
    }
  }
});

/** Cloud identity of one application: a Google service account bound to its Kubernetes service account. */
export const GcpWorkloadIdentityConfig = obj({
  /** Application name (the service account is `<env>-<app>`, 6–30 characters). */
  app: named({ ...NAME_RULES.dnsLabel, maxLength: 25, what: "application name" }),
  /** @default - the app name */
  kubernetesServiceAccount: named(NAME_RULES.dnsLabel).optional(),
  /** Access to the event store (`roles/bigtable.user` / `roles/bigtable.reader` on the instance). @default - none */
  eventStore: z.enum(["read-write", "read"]).optional(),
  /** Topics it publishes to. @default [] */
  publishes: z.array(z.string()).default([]),
  /** Subscriptions it consumes. @default [] */
  subscribes: z.array(z.string()).default([]),
});

export const GcpTarget = obj({
  project: named(NAME_RULES.gcpProject),
  /**
   * The project's number (digits): service agents are named after it. Required with dead-lettering
   * or customer-managed keys. @default - none
   */
  projectNumber: z
    .string()
    .regex(PROJECT_NUMBER_RE, {
      error: (i) =>
        `projectNumber ${JSON.stringify(i.input)} must be the project's number, digits only (gcloud projects describe <project> --format='value(projectNumber)')`,
    })
    .optional(),
  region: GcpRegion,
  /** Zones for zonal resources. @default - `<region>-a` (and -b, -c with high availability) */
  zones: z.array(GcpZone).min(1).optional(),
  /** @default - see GcpNetwork */
  network: GcpNetwork.prefault({}),
  /** @default - no cluster */
  cluster: GkeClusterConfig.optional(),
  /** Bigtable event store (stack `<env>-gcp-data`). @default - none */
  eventStore: BigtableEventStoreConfig.optional(),
  /** Pub/Sub bus (stack `<env>-gcp-messaging`). @default - none */
  pubsub: PubsubConfig.optional(),
  /** Application identities (workload identity; needs this environment's GKE cluster). @default [] */
  workloadIdentities: z.array(GcpWorkloadIdentityConfig).default([]),
}).superRefine((t, ctx) => {
  const zoneInRegion = (zone: string, path: PropertyKey[]) => {
    if (!zone.startsWith(`${t.region}-`)) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `zone ${zone} is not in region ${t.region}; use ${t.region}-a, ${t.region}-b, …`,
      });
    }
  };
  const seen = new Set<string>();
  (t.zones ?? []).forEach((zone, i) => {
    zoneInRegion(zone, ["zones", i]);
    if (seen.has(zone)) {
      ctx.addIssue({ code: "custom", path: ["zones", i], message: `zone ${zone} is listed twice` });
    }
    seen.add(zone);
  });
  const storeZones = new Set<string>();
  (t.eventStore?.zones ?? []).forEach((zone, i) => {
    zoneInRegion(zone, ["eventStore", "zones", i]);
    if (storeZones.has(zone)) {
      ctx.addIssue({
        code: "custom",
        path: ["eventStore", "zones", i],
        message: `zone ${zone} is listed twice`,
      });
    }
    storeZones.add(zone);
  });
  if (t.cluster) {
    const cp = parseCidr(t.cluster.controlPlaneCidr);
    for (const key of ["subnetCidr", "podsCidr", "servicesCidr"] as const) {
      const r = parseCidr(t.network[key]);
      if (cp && r && cidrsOverlap(cp, r)) {
        ctx.addIssue({
          code: "custom",
          path: ["cluster", "controlPlaneCidr"],
          message: `controlPlaneCidr ${t.cluster.controlPlaneCidr} overlaps network.${key} ${t.network[key]}; choose a /28 outside the VPC's ranges`,
        });
      }
    }
  }
  const deadLettering = Object.values(t.pubsub?.subscriptions ?? {}).some(
    (s) => s.deadLetter !== false,
  );
  if (deadLettering && t.projectNumber === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["projectNumber"],
      message:
        "projectNumber is required for dead-lettering: the Pub/Sub service agent service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com is granted publish on the dead-letter topics; set it (gcloud projects describe <project> --format='value(projectNumber)') or set deadLetter: false",
    });
  }
  const apps = new Set<string>();
  const ksas = new Set<string>();
  t.workloadIdentities.forEach((w, i) => {
    const at = ["workloadIdentities", i];
    if (apps.has(w.app)) {
      ctx.addIssue({
        code: "custom",
        path: [...at, "app"],
        message: `application ${w.app} has two workload identities; merge them`,
      });
    }
    apps.add(w.app);
    const ksa = w.kubernetesServiceAccount ?? w.app;
    if (ksas.has(ksa)) {
      ctx.addIssue({
        code: "custom",
        path: [...at, "kubernetesServiceAccount"],
        message: `Kubernetes service account ${ksa} is bound to two applications; give each its own`,
      });
    }
    ksas.add(ksa);
    if (w.eventStore && !t.eventStore) {
      ctx.addIssue({
        code: "custom",
        path: [...at, "eventStore"],
        message: `${w.app} asks for event store access but the target has no eventStore; add targets.gcp.eventStore or remove eventStore`,
      });
    }
    const topics = Object.keys(t.pubsub?.topics ?? {});
    const subs = Object.keys(t.pubsub?.subscriptions ?? {});
    const check = (list: string[], known: string[], field: string, kind: string) =>
      list.forEach((name, j) => {
        if (!known.includes(name)) {
          ctx.addIssue({
            code: "custom",
            path: [...at, field, j],
            message: `${w.app} ${field} unknown ${kind} "${name}" (known: ${known.join(", ") || "none"}); add it to pubsub.${kind === "topic" ? "topics" : "subscriptions"} or fix the name`,
          });
        }
        if (list.indexOf(name) !== j) {
          ctx.addIssue({
            code: "custom",
            path: [...at, field, j],
            message: `${kind} "${name}" is listed twice`,
          });
        }
      });
    check(w.publishes, topics, "publishes", "topic");
    check(w.subscribes, subs, "subscribes", "subscription");
  });
});

export type GcpTargetInput = z.input<typeof GcpTarget>;

/**
 * Checks that need the environment around the GCP target (its name, tier and workloads): called
 * by the environment schema.
 */
export function checkGcpEnvironment(
  t: z.output<typeof GcpTarget>,
  e: {
    readonly name: string;
    readonly customerManagedKeys: boolean;
    readonly sharedCluster?: { readonly environment: string; readonly cloud: string };
  },
  ctx: z.RefinementCtx,
): void {
  const path = ["targets", "gcp"];
  const cmekUsers = [
    t.cluster && "cluster",
    t.eventStore && "eventStore",
    t.pubsub && "pubsub",
  ].filter(Boolean);
  if (e.customerManagedKeys && cmekUsers.length > 0 && t.projectNumber === undefined) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "projectNumber"],
      message: `projectNumber is required with customer-managed keys: the service agents of ${cmekUsers.join(", ")} (service-<number>@…) are granted the keys; set it (gcloud projects describe <project> --format='value(projectNumber)')`,
    });
  }
  if (t.cluster?.secretsEncryption === true && !e.customerManagedKeys) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "cluster", "secretsEncryption"],
      message:
        "secretsEncryption uses the gke-secrets key of the key ring that exists only with customerManagedKeys; set customerManagedKeys: true or remove secretsEncryption",
    });
  }
  if (t.workloadIdentities.length > 0 && !t.cluster) {
    const where = e.sharedCluster
      ? `its workloads run on ${e.sharedCluster.environment}'s ${e.sharedCluster.cloud} cluster`
      : "it has no GKE cluster";
    ctx.addIssue({
      code: "custom",
      path: [...path, "workloadIdentities"],
      message: `workload identities bind Kubernetes service accounts of this environment's GKE cluster, but ${where}; add targets.gcp.cluster or remove workloadIdentities`,
    });
  }
  t.workloadIdentities.forEach((w, i) => {
    const id = `${e.name}-${w.app}`;
    if (id.length < 6 || id.length > 30) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "workloadIdentities", i, "app"],
        message: `the service account id ${id} (<env>-<app>) is ${id.length} characters; it must be 6–30: ${id.length < 6 ? "lengthen" : "shorten"} the application name`,
      });
    }
  });
}

/** Fills tier defaults into a parsed GCP target. */
export function resolveGcp(t: z.output<typeof GcpTarget>, tier: TierDefaults) {
  const zones =
    t.zones ?? (tier.highAvailability ? ["a", "b", "c"] : ["a"]).map((z) => `${t.region}-${z}`);
  const cluster = t.cluster && {
    ...t.cluster,
    regional: t.cluster.regional ?? tier.highAvailability,
    secretsEncryption: t.cluster.secretsEncryption ?? tier.customerManagedKeys,
  };
  const eventStore = t.eventStore && {
    ...t.eventStore,
    zones: t.eventStore.zones ?? (tier.highAvailability ? zones : [zones[0]]),
    autoscaling:
      t.eventStore.nodes === undefined
        ? (t.eventStore.autoscaling ?? { ...DEFAULT_BIGTABLE_AUTOSCALING })
        : undefined,
    tables: t.eventStore.tables ?? resolvedTables(),
  };
  const workloadIdentities = t.workloadIdentities.map((w) => ({
    ...w,
    kubernetesServiceAccount: w.kubernetesServiceAccount ?? w.app,
  }));
  return { ...t, zones, cluster, eventStore, workloadIdentities };
}
export type GcpTargetConfig = ReturnType<typeof resolveGcp>;

function resolvedTables() {
  return Object.fromEntries(
    Object.entries(DEFAULT_EVENT_STORE_TABLES).map(([name, spec]) => [
      name,
      {
        columnFamilies: [...spec.columnFamilies],
        gc: Object.fromEntries(Object.entries(spec.gc ?? {}).map(([f, r]) => [f, { ...r }])),
      },
    ]),
  );
}
