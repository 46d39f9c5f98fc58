/**
 * The AWS target of an environment: network, EKS cluster, DynamoDB event store, SNS/SQS
 * messaging, and the IAM identities of applications.
 */
import { z } from "zod";
import { DEFAULT_EKS_VERSION } from "../../modules/common/kubernetes-versions";
import { NAME_RULES } from "../../modules/common/naming";
import { CidrText, named, obj, UnusedReason, type Tier, type TierDefaults } from "./common";

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

/** Control-plane log types EKS can send to CloudWatch Logs. */
const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const KubernetesVersion = z.string().regex(/^1\.\d{2}$/, {
  error: (i) =>
    `Kubernetes version ${JSON.stringify(i.input)} is not a supported format; write the minor version like "1.36" (no patch, no "v")`,
});

const AddonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, {
  error: (i) =>
    `add-on version ${JSON.stringify(i.input)} must look like v1.19.5-eksbuild.1 (see aws eks describe-addon-versions)`,
});

const IamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not an IAM role ARN; write it like arn:aws:iam::123456789012:role/platform-admin`,
});

/** A Kubernetes label key or value on nodes (prefix/name, 63-character segments). */
const NodeLabel = z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9._/-]{0,251}[a-zA-Z0-9])?$/, {
  error: (i) => `node label/taint ${JSON.stringify(i.input)} is not a valid Kubernetes label`,
});

/** A managed node group in the private subnets. */
export const EksNodeGroupConfig = obj({
  /** Node group name, unique in the cluster. */
  name: named(NAME_RULES.dnsLabel),
  /** EC2 instance types (several spread spot capacity). @default ["m6i.large"] */
  instanceTypes: z
    .array(
      z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, {
        error: (i) => `instance type ${JSON.stringify(i.input)} must look like m6i.large`,
      }),
    )
    .min(1, {
      error: 'instanceTypes is empty; list at least one EC2 instance type, e.g. ["m6i.large"]',
    })
    .default(["m6i.large"]),
  /** @default "ON_DEMAND" */
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  /** @default 1 */
  minSize: z.number().int().min(0).max(450).default(1),
  /** @default 2 */
  desiredSize: z.number().int().min(0).max(450).default(2),
  /** @default 3 */
  maxSize: z.number().int().min(1).max(450).default(3),
  /** Nodes replaced at once during an update. @default 1 */
  maxUnavailable: z.number().int().min(1).max(100).default(1),
  /** Kubernetes labels on the nodes. @default {} */
  labels: z.record(NodeLabel, NodeLabel).default({}),
  /** Kubernetes taints on the nodes. @default [] */
  taints: z
    .array(
      obj({
        key: NodeLabel,
        /** @default - no value */
        value: NodeLabel.optional(),
        effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
      }),
    )
    .default([]),
  /**
   * The cluster autoscaler owns the node count: desiredSize is ignored after creation.
   * @default false
   */
  autoscaled: z.boolean().default(false),
  /** @default "AL2023_x86_64_STANDARD" */
  amiType: z
    .enum([
      "AL2023_x86_64_STANDARD",
      "AL2023_ARM_64_STANDARD",
      "AL2023_x86_64_NVIDIA",
      "BOTTLEROCKET_x86_64",
      "BOTTLEROCKET_ARM_64",
    ])
    .default("AL2023_x86_64_STANDARD"),
}).superRefine((ng, ctx) => {
  if (!(ng.minSize <= ng.desiredSize && ng.desiredSize <= ng.maxSize)) {
    ctx.addIssue({
      code: "custom",
      path: ["desiredSize"],
      message: `node group sizes must satisfy minSize <= desiredSize <= maxSize; got minSize ${ng.minSize}, desiredSize ${ng.desiredSize}, maxSize ${ng.maxSize}`,
    });
  }
});

/**
 * The EKS cluster of the environment (`<env>-eks`). Its presence is what puts Helm layers on AWS
 * and what lets workload identities assume IAM roles (IRSA).
 */
export const EksClusterConfig = obj({
  /**
   * Kubernetes minor version. Synthesis warns 90 days before its end of standard support on EKS
   * and fails after it (facts/kubernetes-support.json). @default "1.36" (standard support to 2027-08-02)
   */
  version: KubernetesVersion.default(DEFAULT_EKS_VERSION),
  /**
   * What EKS does at the end of standard support: STANDARD upgrades the control plane to the next
   * minor; EXTENDED keeps it and bills extended support per cluster hour (AWS's own default).
   * @default "STANDARD"
   */
  supportType: z.enum(["STANDARD", "EXTENDED"]).default("STANDARD"),
  /**
   * Networks that reach the private API endpoint (HTTPS through the cluster security group, which
   * otherwise admits only itself): where the Helm layers are applied from.
   * @default - the VPC's range
   */
  privateAccessCidrs: z.array(CidrText).optional(),
  /**
   * The public API endpoint. The private endpoint is always on. A prod-tier environment must list
   * CIDRs when it turns the public endpoint on.
   * @default - off
   */
  publicEndpoint: obj({
    /** @default false */
    enabled: z.boolean().default(false),
    /** CIDRs allowed to reach it. @default - [] (with enabled, resolved to ["0.0.0.0/0"] outside prod) */
    cidrs: z.array(CidrText).default([]),
  }).prefault({}),
  /** Control-plane logs to CloudWatch. @default ["api", "audit", "authenticator"] */
  logTypes: z
    .array(z.enum(EKS_LOG_TYPES))
    .min(1, { error: "logTypes is empty; keep at least api, audit and authenticator" })
    .default(["api", "audit", "authenticator"]),
  /** @default 90 */
  logRetentionDays: LogRetentionDays.default(90),
  /** IAM roles given cluster-admin through EKS access entries. @default [] */
  adminRoleArns: z.array(IamRoleArn).default([]),
  /** Cluster-admin for whoever creates the cluster (to apply the Helm layers). @default true */
  bootstrapCreatorAdmin: z.boolean().default(true),
  /** Managed node groups. @default - one group "default": m6i.large on demand, 1/2/3 nodes */
  nodeGroups: z
    .array(EksNodeGroupConfig)
    .min(1, { error: "nodeGroups is empty; give at least one managed node group" })
    .prefault([{ name: "default" }]),
  /**
   * Pinned versions of the managed add-ons. @default - each add-on at the version EKS marks as the
   * default for the cluster's Kubernetes version (the aws_eks_addon_version data source), so the
   * add-ons follow the cluster version
   */
  addons: obj({
    vpcCni: AddonVersion.optional(),
    coredns: AddonVersion.optional(),
    kubeProxy: AddonVersion.optional(),
    ebsCsiDriver: AddonVersion.optional(),
  }).prefault({}),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.nodeGroups.forEach((ng, i) => {
    if (seen.has(ng.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["nodeGroups", i, "name"],
        message: `node group name "${ng.name}" is used twice; names are unique per cluster`,
      });
    }
    seen.add(ng.name);
  });
  if (!c.publicEndpoint.enabled && c.publicEndpoint.cidrs.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["publicEndpoint", "enabled"],
      message:
        "publicEndpoint.cidrs are listed but the public endpoint is off; set enabled: true or remove the cidrs",
    });
  }
});

const KeyAttribute = obj({
  name: z.string().regex(/^[a-zA-Z0-9_.-]{1,255}$/, {
    error: "key attribute names are 1–255 letters, digits, _, . or -",
  }),
  type: z.enum(["S", "N", "B"], {
    error: (i) =>
      `key attribute type ${JSON.stringify(i.input)} is not one DynamoDB accepts; use S (string), N (number) or B (binary)`,
  }),
});

const TableKeys = obj({ partitionKey: KeyAttribute, sortKey: KeyAttribute.optional() });

const ScaledCapacity = obj({
  /** Lowest capacity units (also the initial capacity). */
  min: z.number().int().min(1),
  /** Highest capacity units. */
  max: z.number().int().min(1),
  /** @default 70 */
  targetUtilization: z.number().min(20).max(90).default(70),
}).superRefine((c, ctx) => {
  if (c.min > c.max) {
    ctx.addIssue({
      code: "custom",
      path: ["max"],
      message: `max (${c.max}) must be >= min (${c.min})`,
    });
  }
});

/** The DynamoDB event store: tables `<env>-events`, `<env>-positions`, `<env>-snapshots`. */
export const AwsEventStoreConfig = obj({
  /** Why it exists though no app of this environment uses it. @default - an app must use it */
  reason: UnusedReason,
  /** @default { mode: "on-demand" } */
  billing: z
    .discriminatedUnion("mode", [
      obj({ mode: z.literal("on-demand") }),
      obj({ mode: z.literal("provisioned"), read: ScaledCapacity, write: ScaledCapacity }),
    ])
    .prefault({ mode: "on-demand" }),
  /** @default true */
  pointInTimeRecovery: z.boolean().default(true),
  /** Epoch-seconds expiry attribute on snapshots; TTL on when set. @default - no TTL */
  snapshotTtlAttribute: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,255}$/)
    .optional(),
  /** DynamoDB Streams on events, for projections. @default - off */
  eventStream: z.enum(["NEW_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]).optional(),
  /** Key schema overrides. @default - see DEFAULT_EVENT_STORE_KEYS in modules/aws/dynamodb-event-store.ts */
  keys: obj({
    events: TableKeys.optional(),
    positions: TableKeys.optional(),
    snapshots: TableKeys.optional(),
  }).optional(),
});

/** A logical name of a topic or consumer: physical names are `<env>-<name>` (+ `.fifo`). */
const BusName = named({ ...NAME_RULES.dnsLabel, maxLength: 40, what: "topic/consumer name" });

/** SNS topics fanning out to one SQS queue per consumer. */
export const AwsMessagingConfig = obj({
  /** Why it exists though no app of this environment uses it. @default - an app must use it */
  reason: UnusedReason,
  topics: z
    .array(
      obj({
        name: BusName,
        /** FIFO topic (content-based deduplication) with FIFO queues. @default false */
        fifo: z.boolean().default(false),
      }),
    )
    .min(1, { error: "topics is empty; give at least one topic" }),
  /** @default [] */
  consumers: z
    .array(
      obj({
        name: BusName,
        /** The topic it subscribes to. */
        topic: z.string(),
        /** SNS filter policy. @default - every message */
        filterPolicy: z.record(z.string(), z.unknown()).optional(),
        /** @default - "MessageAttributes" */
        filterPolicyScope: z.enum(["MessageAttributes", "MessageBody"]).optional(),
        /** @default 5 */
        maxReceiveCount: z
          .number()
          .int()
          .min(1, { error: "maxReceiveCount must be 1–1000 (SQS redrive limit)" })
          .max(1000, { error: "maxReceiveCount must be 1–1000 (SQS redrive limit)" })
          .default(5),
        /** @default 30 */
        visibilityTimeoutSeconds: z
          .number()
          .int()
          .min(0, { error: "visibilityTimeoutSeconds must be 0–43200 (12 hours, the SQS limit)" })
          .max(43_200, {
            error: "visibilityTimeoutSeconds must be 0–43200 (12 hours, the SQS limit)",
          })
          .default(30),
        /** @default 345600 (4 days) */
        retentionSeconds: z
          .number()
          .int()
          .min(60, {
            error: "retentionSeconds must be 60–1209600 (1 minute to 14 days, the SQS limits)",
          })
          .max(1_209_600, {
            error: "retentionSeconds must be 60–1209600 (1 minute to 14 days, the SQS limits)",
          })
          .default(345_600),
      }),
    )
    .default([]),
}).superRefine((m, ctx) => {
  const topics = new Set<string>();
  m.topics.forEach((t, i) => {
    if (topics.has(t.name))
      ctx.addIssue({
        code: "custom",
        path: ["topics", i, "name"],
        message: `topic "${t.name}" is listed twice`,
      });
    topics.add(t.name);
  });
  const consumers = new Set<string>();
  m.consumers.forEach((c, i) => {
    if (consumers.has(c.name))
      ctx.addIssue({
        code: "custom",
        path: ["consumers", i, "name"],
        message: `consumer "${c.name}" is listed twice`,
      });
    consumers.add(c.name);
    if (!topics.has(c.topic)) {
      ctx.addIssue({
        code: "custom",
        path: ["consumers", i, "topic"],
        message: `consumer "${c.name}" subscribes to unknown topic "${c.topic}"; topics: ${[...topics].join(", ")}`,
      });
    }
  });
});

/**
 * A cloud-side identity for an application (defined by the apps layer): an IAM role only its
 * Kubernetes service account can assume (IRSA), with least-privilege grants.
 */
export const AwsWorkloadIdentity = obj({
  /** The application; the role is `<env>-<app>`. */
  app: named(NAME_RULES.dnsLabel),
  /** @default - the app name */
  kubernetesServiceAccount: named(NAME_RULES.dnsLabel).optional(),
  /** Access to the event store. @default - none */
  eventStore: z.enum(["read-write", "read"]).optional(),
  /** Topics it may publish to. @default [] */
  publishes: z.array(z.string()).default([]),
  /** Consumers whose queues it may receive from. @default [] */
  consumes: z.array(z.string()).default([]),
});

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
  /** DynamoDB event store. @default - none */
  eventStore: AwsEventStoreConfig.optional(),
  /** SNS topics and SQS queues. @default - none */
  messaging: AwsMessagingConfig.optional(),
  /** IAM roles for applications (IRSA; needs `cluster`). @default [] */
  workloadIdentities: z.array(AwsWorkloadIdentity).default([]),
}).superRefine((t, ctx) => {
  checkWorkloadIdentities(t, ctx);
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
type AwsTargetParsed = z.output<typeof AwsTarget>;

/** Workload identities refer to what the target defines, and need a cluster to trust. */
function checkWorkloadIdentities(t: AwsTargetParsed, ctx: z.RefinementCtx): void {
  const topics = new Set((t.messaging?.topics ?? []).map((x) => x.name));
  const consumers = new Set((t.messaging?.consumers ?? []).map((x) => x.name));
  const apps = new Set<string>();
  t.workloadIdentities.forEach((w, i) => {
    const issue = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: "custom", path: ["workloadIdentities", i, ...path], message });
    if (apps.has(w.app)) issue(["app"], `app "${w.app}" has two workload identities; merge them`);
    apps.add(w.app);
    if (!t.cluster) {
      issue(
        ["app"],
        `workload identity "${w.app}" needs targets.aws.cluster: its IAM role trusts this environment's EKS cluster (IRSA); remove it or add a cluster`,
      );
    }
    if (w.eventStore && !t.eventStore) {
      issue(
        ["eventStore"],
        `app "${w.app}" uses the event store but targets.aws.eventStore is not defined`,
      );
    }
    w.publishes.forEach((p, j) => {
      if (!topics.has(p))
        issue(
          ["publishes", j],
          `app "${w.app}" publishes to unknown topic "${p}"; topics: ${[...topics].join(", ") || "(none)"}`,
        );
    });
    w.consumes.forEach((c, j) => {
      if (!consumers.has(c))
        issue(
          ["consumes", j],
          `app "${w.app}" consumes unknown consumer queue "${c}"; consumers: ${[...consumers].join(", ") || "(none)"}`,
        );
    });
    if (!w.eventStore && w.publishes.length === 0 && w.consumes.length === 0) {
      issue(
        ["app"],
        `workload identity "${w.app}" grants nothing; give eventStore, publishes or consumes, or remove it`,
      );
    }
  });
}

/**
 * Checks of the AWS target that depend on the tier (called from the environment's superRefine,
 * which knows the tier). Paths are relative to the environment.
 */
export function checkAwsForTier(
  t: AwsTargetParsed | undefined,
  tier: Tier,
  ctx: z.RefinementCtx,
): void {
  const endpoint = t?.cluster?.publicEndpoint;
  if (tier === "prod" && endpoint?.enabled && endpoint.cidrs.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["targets", "aws", "cluster", "publicEndpoint", "cidrs"],
      message:
        "a prod-tier EKS cluster cannot open its public endpoint to the internet; list the allowed cidrs or set enabled: false (the private endpoint is always on)",
    });
  }
}

/** Fills tier defaults into a parsed AWS target. */
export function resolveAws(t: z.output<typeof AwsTarget>, tier: TierDefaults) {
  const availabilityZones =
    t.network.availabilityZones ??
    (tier.highAvailability ? ["a", "b", "c"] : ["a", "b"]).map((z) => `${t.region}${z}`);
  const natGateways = t.network.natGateways ?? (tier.highAvailability ? "per-az" : "single");
  const cluster = t.cluster && {
    ...t.cluster,
    publicEndpoint: {
      enabled: t.cluster.publicEndpoint.enabled,
      cidrs:
        t.cluster.publicEndpoint.enabled && t.cluster.publicEndpoint.cidrs.length === 0
          ? ["0.0.0.0/0"]
          : t.cluster.publicEndpoint.cidrs,
    },
  };
  const workloadIdentities = t.workloadIdentities.map((w) => ({
    ...w,
    kubernetesServiceAccount: w.kubernetesServiceAccount ?? w.app,
  }));
  return {
    ...t,
    network: { ...t.network, availabilityZones, natGateways },
    cluster,
    workloadIdentities,
  };
}
export type AwsTargetConfig = ReturnType<typeof resolveAws>;
