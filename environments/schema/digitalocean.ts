/**
 * The DigitalOcean target of an environment: region, VPC, DOKS cluster and managed databases.
 */
import { z } from "zod";
import { isPrivateCidr, parseCidr } from "../../modules/common/cidr";
import { DEFAULT_DOKS_VERSION_PREFIX } from "../../modules/common/kubernetes-versions";
import { NAME_RULES } from "../../modules/common/naming";
import { CidrText, named, obj, UnusedReason, type TierDefaults } from "./common";

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

/**
 * A Droplet or database size slug: lower-case words joined by hyphens (`s-2vcpu-4gb`, `c-4`,
 * `so1_5-2vcpu-16gb`, `db-s-1vcpu-2gb`). @see https://slugs.do-api.dev/
 */
export const DoSizeSlug = z.string().regex(/^[a-z][a-z0-9_]*(-[a-z0-9_]+)+$/, {
  error: (i) =>
    `size ${JSON.stringify(i.input)} is not a DigitalOcean size slug; write it like s-2vcpu-4gb (nodes) or db-s-1vcpu-2gb (databases), see doctl compute size list`,
});

const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** A UTC time of day, HH:MM. */
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
  error: (i) =>
    `start time ${JSON.stringify(i.input)} is not a UTC time of day; write HH:MM between 00:00 and 23:59`,
});

function weekday<const T extends readonly [string, ...string[]]>(days: T) {
  return z.enum(days, {
    error: (i) =>
      `day ${JSON.stringify(i.input)} is not a maintenance day; use one of ${days.join(", ")}`,
  });
}

/** Weekly maintenance window of a DOKS cluster (DigitalOcean upgrades patch versions in it). */
export const DoksMaintenanceWindow = obj({
  /** @default "sunday" */
  day: weekday([...WEEKDAYS, "any"]).default("sunday"),
  /** UTC, HH:MM. @default "03:00" */
  startTime: TimeOfDay.default("03:00"),
});

/**
 * Weekly maintenance window of a managed database. The default day differs from the cluster's so
 * a node-pool upgrade and a database failover never overlap.
 */
export const DoDatabaseMaintenanceWindow = obj({
  /** @default "saturday" */
  day: weekday(WEEKDAYS).default("saturday"),
  /** UTC, HH:MM. @default "03:00" */
  startTime: TimeOfDay.default("03:00"),
});

/** Kubernetes label key: an optional DNS-subdomain prefix and `/`, then a name of up to 63 characters. */
const K8sLabelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    {
      error: (i) =>
        `taint key ${JSON.stringify(i.input)} is not a Kubernetes label key; write it like workload or example.com/workload`,
    },
  );
/** Kubernetes label value: up to 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. */
const K8sLabelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
  error: (i) =>
    `label or taint value ${JSON.stringify(i.input)} is not a Kubernetes label value (up to 63 letters, digits, -, _ and ., starting and ending alphanumeric)`,
});

export const DoksTaint = obj({
  key: K8sLabelKey,
  value: K8sLabelValue,
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"], {
    error: (i) =>
      `taint effect ${JSON.stringify(i.input)} must be NoSchedule, PreferNoSchedule or NoExecute`,
  }),
});

/** Cluster-autoscaler bounds of a pool. DOKS needs at least one node in every pool. */
export const DoksAutoScale = obj({
  minNodes: z.number().int().min(1, { error: "autoScale.minNodes must be at least 1 (DOKS)" }),
  maxNodes: z.number().int().min(1).max(512),
}).superRefine((a, ctx) => {
  if (a.minNodes > a.maxNodes) {
    ctx.addIssue({
      code: "custom",
      path: ["minNodes"],
      message: `autoScale.minNodes (${a.minNodes}) must be <= maxNodes (${a.maxNodes}); lower minNodes or raise maxNodes`,
    });
  }
});

/** Fields of a node pool: the default pool and the extra pools. */
const poolFields = {
  /** Droplet size of the nodes. @default "s-2vcpu-4gb" */
  size: DoSizeSlug.default("s-2vcpu-4gb"),
  /**
   * Fixed number of nodes; leave it out when autoScale is set (the autoscaler owns the count).
   * @default - 3 with high availability, else 2 (without autoScale)
   */
  nodeCount: z.number().int().min(1).max(512).optional(),
  /** Let the cluster autoscaler size the pool. @default - fixed size */
  autoScale: DoksAutoScale.optional(),
  /** Kubernetes labels on the nodes. @default {} */
  labels: z
    .record(K8sLabelKey, K8sLabelValue, {
      error: (i) =>
        i.code === "invalid_key"
          ? `label key ${JSON.stringify(i.input)} is not a Kubernetes label key; write it like workload or example.com/workload`
          : undefined,
    })
    .default({}),
  /** Kubernetes taints on the nodes. @default [] */
  taints: z.array(DoksTaint).default([]),
};

function checkPoolCount(
  p: { nodeCount?: number; autoScale?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (p.nodeCount !== undefined && p.autoScale !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["nodeCount"],
      message: `nodeCount (${p.nodeCount}) is owned by the autoscaler when autoScale is set; remove nodeCount, or remove autoScale to pin the pool's size`,
    });
  }
}

/**
 * The default pool, created with the cluster. Its size is applied at creation only (DigitalOcean
 * replaces the whole cluster to resize it), so keep it small and put workloads on extra pools.
 */
export const DoksDefaultPool = obj(poolFields).superRefine(checkPoolCount);

export { DEFAULT_DOKS_VERSION_PREFIX };

/** Name of the default pool; extra pools cannot use it. */
export const DOKS_DEFAULT_POOL_NAME = "default";

/** An extra node pool (its own resource: changing it never touches the cluster). */
export const DoksNodePool = obj({
  /** Pool name, unique in the cluster; also the pool's state address, so renaming replaces it. */
  name: named({ ...NAME_RULES.dnsLabel, what: "node pool name" }),
  ...poolFields,
}).superRefine(checkPoolCount);

/** An IPv4 address or CIDR allowed to reach the control plane. */
const AllowedAddress = z.string().superRefine((value, ctx) => {
  const c = parseCidr(value.includes("/") ? value : `${value}/32`);
  if (!c) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not an IPv4 address or CIDR; write it like 203.0.113.7 or 203.0.113.0/24`,
    });
  }
});

/** DigitalOcean tag: letters, digits, `:`, `-`, `_`, up to 255 characters. */
const DoTag = z.string().regex(/^[A-Za-z0-9:_-]{1,255}$/, {
  error: (i) =>
    `tag ${JSON.stringify(i.input)} may contain only letters, digits, colons, hyphens and underscores (1–255)`,
});

/** The DOKS cluster of the environment. Its presence is what puts Helm layers on DigitalOcean. */
export const DoksClusterConfig = obj({
  /**
   * Exact Kubernetes version slug (`1.33.1-do.0`, see `doctl kubernetes options versions`). Needs
   * `autoUpgrade: false`: DigitalOcean moves auto-upgraded clusters to newer patches, and the next
   * plan would try to downgrade. @default - the latest version matching versionPrefix
   */
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+-do\.\d+$/, {
      error: (i) =>
        `version ${JSON.stringify(i.input)} is not a DOKS version slug; write it like 1.36.1-do.0 (or use versionPrefix)`,
    })
    .optional(),
  /**
   * Minor version prefix resolved with the `digitalocean_kubernetes_versions` data source.
   * @default "1.36." (unless version is set)
   */
  versionPrefix: z
    .string()
    .regex(/^\d+\.\d+\.$/, {
      error: (i) =>
        `versionPrefix ${JSON.stringify(i.input)} must be a minor version with a trailing dot, like 1.36.`,
    })
    .optional(),
  /** Highly available control plane (cannot be turned off again). @default - the tier's highAvailability */
  highAvailability: z.boolean().optional(),
  /** Patch upgrades in the maintenance window. @default true */
  autoUpgrade: z.boolean().default(true),
  /** Upgrade with extra nodes so workloads move before old nodes drain. @default true */
  surgeUpgrade: z.boolean().default(true),
  /** @default { day: "sunday", startTime: "03:00" } */
  maintenanceWindow: DoksMaintenanceWindow.prefault({}),
  /** @default - s-2vcpu-4gb, 2 nodes (3 with high availability) */
  defaultPool: DoksDefaultPool.prefault({}),
  /** Extra pools for workloads. @default [] */
  pools: z.array(DoksNodePool).default([]),
  /**
   * Restrict the Kubernetes API to these addresses (the CI runners that apply the Helm layers must
   * be among them). @default - no firewall: the API is public and needs credentials
   */
  controlPlaneFirewall: obj({
    allowedAddresses: z.array(AllowedAddress).min(1, {
      error:
        "allowedAddresses needs at least one address; remove controlPlaneFirewall to leave the API open",
    }),
  }).optional(),
  /** Let the cluster pull from the account's DigitalOcean Container Registry. @default false */
  registryIntegration: z.boolean().default(false),
  /** Extra DigitalOcean tags on the cluster (the standard labels are always added). @default [] */
  tags: z.array(DoTag).default([]),
}).superRefine((c, ctx) => {
  if (c.version !== undefined && c.versionPrefix !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["versionPrefix"],
      message: `set either version (${c.version}) or versionPrefix (${c.versionPrefix}), not both`,
    });
  }
  if (c.version !== undefined && c.autoUpgrade) {
    ctx.addIssue({
      code: "custom",
      path: ["autoUpgrade"],
      message: `a pinned version (${c.version}) needs autoUpgrade: false (auto-upgrades move the cluster past it and the next plan would downgrade); set autoUpgrade: false or use versionPrefix`,
    });
  }
  const seen = new Set<string>([DOKS_DEFAULT_POOL_NAME]);
  c.pools.forEach((p, i) => {
    if (seen.has(p.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["pools", i, "name"],
        message:
          p.name === DOKS_DEFAULT_POOL_NAME
            ? `pool name "${p.name}" is the default pool's; choose another name`
            : `pool name "${p.name}" is used twice; pool names must be unique`,
      });
    }
    seen.add(p.name);
  });
});

/** A database name or user name in a managed cluster. */
const DbIdentifier = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not a database or user name; use 1–63 lower-case letters, digits and underscores, starting with a letter`,
});

/** Users and databases DigitalOcean creates itself. */
const RESERVED_DB_NAMES = ["doadmin", "defaultdb", "postgres", "template0", "template1", "default"];

/** Engine version: a major, or major.minor, version. */
const DbVersion = z.string().regex(/^\d+(\.\d+)?$/, {
  error: (i) =>
    `version ${JSON.stringify(i.input)} must be a major (or major.minor) version, like 17 or 3.8`,
});

/** Managed PostgreSQL. */
export const DoPostgres = obj({
  /** @default "17" */
  version: DbVersion.default("17"),
  /** @default "db-s-1vcpu-2gb" */
  size: DoSizeSlug.default("db-s-1vcpu-2gb"),
  /** Nodes: 1 primary plus up to 2 standbys. @default - 2 with high availability, else 1 */
  nodeCount: z.number().int().min(1).max(3).optional(),
  /** @default { day: "saturday", startTime: "03:00" } */
  maintenanceWindow: DoDatabaseMaintenanceWindow.prefault({}),
  /** A database and its user for each application. @default [] */
  databases: z
    .array(obj({ name: DbIdentifier, user: DbIdentifier }))
    .default([])
    .superRefine((dbs, ctx) => {
      const seen = new Set<string>();
      dbs.forEach((db, i) => {
        if (seen.has(db.name)) {
          ctx.addIssue({
            code: "custom",
            path: [i, "name"],
            message: `database "${db.name}" is listed twice`,
          });
        }
        seen.add(db.name);
        for (const key of ["name", "user"] as const) {
          if (RESERVED_DB_NAMES.includes(db[key])) {
            ctx.addIssue({
              code: "custom",
              path: [i, key],
              message: `"${db[key]}" is reserved by DigitalOcean or PostgreSQL; choose another ${key}`,
            });
          }
        }
      });
    }),
});

/** Managed Redis-compatible store: DigitalOcean's Valkey engine (Managed Redis was retired in 2025). */
export const DoRedis = obj({
  /** Valkey version. @default "8" */
  version: DbVersion.default("8"),
  /** @default "db-s-1vcpu-2gb" */
  size: DoSizeSlug.default("db-s-1vcpu-2gb"),
  /** Nodes: 1 primary plus up to 2 standbys. @default - 2 with high availability, else 1 */
  nodeCount: z.number().int().min(1).max(3).optional(),
  /** @default { day: "saturday", startTime: "03:00" } */
  maintenanceWindow: DoDatabaseMaintenanceWindow.prefault({}),
});

/** Managed Kafka. */
export const DoKafka = obj({
  /** @default "3.8" */
  version: DbVersion.default("3.8"),
  /** @default "db-s-2vcpu-2gb" */
  size: DoSizeSlug.default("db-s-2vcpu-2gb"),
  /** Brokers; DigitalOcean runs Kafka on 3 nodes or more. @default 3 */
  nodeCount: z
    .number()
    .int()
    .min(3, { error: "Kafka needs nodeCount >= 3 (DigitalOcean runs at least 3 brokers)" })
    .max(15)
    .default(3),
  /** @default { day: "saturday", startTime: "03:00" } */
  maintenanceWindow: DoDatabaseMaintenanceWindow.prefault({}),
  /** A user for each application, with its topic ACL. @default [] */
  users: z
    .array(
      obj({
        name: DbIdentifier,
        /** Topic name or prefix pattern the ACL covers. @default "*" */
        topic: z.string().min(1).default("*"),
        /** @default "produceconsume" */
        permission: z
          .enum(["admin", "consume", "produce", "produceconsume"])
          .default("produceconsume"),
      }),
    )
    .default([])
    .superRefine((users, ctx) => {
      const seen = new Set<string>();
      users.forEach((u, i) => {
        if (seen.has(u.name)) {
          ctx.addIssue({
            code: "custom",
            path: [i, "name"],
            message: `user "${u.name}" is listed twice`,
          });
        }
        seen.add(u.name);
      });
    }),
});

/** DigitalOcean managed databases, an alternative to in-cluster PostgreSQL, Redis and Kafka. */
export const DoDatabases = obj({
  /** Who uses these databases (their Secrets), since no app is wired to them. @default - an error: none uses them */
  reason: UnusedReason,
  /** @default - none */
  postgres: DoPostgres.optional(),
  /** @default - none */
  redis: DoRedis.optional(),
  /** @default - none */
  kafka: DoKafka.optional(),
});

export const DoTarget = obj({
  region: DoRegion,
  network: DoNetwork,
  /** @default - no cluster */
  cluster: DoksClusterConfig.optional(),
  /**
   * Managed databases in the VPC of the cluster the workloads run on, admitting only that cluster.
   * @default - none
   */
  databases: DoDatabases.optional(),
});

export type DoTargetInput = z.input<typeof DoTarget>;

/** What {@link checkDigitalOcean} needs from the rest of the environment. */
export interface DoEnvironmentContext {
  /** The environment's resolved highAvailability. */
  readonly highAvailability: boolean;
  /** The cloud of workloads.sharedCluster, if the environment shares a cluster. */
  readonly sharedCloud?: string;
}

/** Checks between the DigitalOcean target and the rest of the environment (paths from the environment). */
export function checkDigitalOcean(
  t: z.output<typeof DoTarget>,
  env: DoEnvironmentContext,
  ctx: z.RefinementCtx,
): void {
  const dbs = t.databases;
  if (!dbs) return;
  const path = ["targets", "digitalocean", "databases"];
  if (!t.cluster && env.sharedCloud !== "digitalocean" && Object.values(dbs).some(Boolean)) {
    ctx.addIssue({
      code: "custom",
      path,
      message:
        "managed databases admit only the DOKS cluster the workloads run on; add targets.digitalocean.cluster, or set workloads.sharedCluster to a digitalocean cluster",
    });
  }
  if (env.highAvailability) {
    for (const engine of ["postgres", "redis"] as const) {
      const n = dbs[engine]?.nodeCount;
      if (n !== undefined && n < 2) {
        ctx.addIssue({
          code: "custom",
          path: [...path, engine, "nodeCount"],
          message: `nodeCount ${n} has no standby; with highAvailability use 2 or 3 (or turn highAvailability off)`,
        });
      }
    }
  }
}

/** Fills tier defaults into a parsed DigitalOcean target. */
export function resolveDigitalOcean(t: z.output<typeof DoTarget>, tier: TierDefaults) {
  const c = t.cluster;
  const cluster = c && {
    ...c,
    versionPrefix:
      c.version === undefined ? (c.versionPrefix ?? DEFAULT_DOKS_VERSION_PREFIX) : undefined,
    highAvailability: c.highAvailability ?? tier.highAvailability,
    defaultPool: {
      ...c.defaultPool,
      nodeCount:
        c.defaultPool.autoScale === undefined
          ? (c.defaultPool.nodeCount ?? (tier.highAvailability ? 3 : 2))
          : undefined,
    },
    pools: c.pools.map((p) => ({
      ...p,
      nodeCount:
        p.autoScale === undefined ? (p.nodeCount ?? (tier.highAvailability ? 3 : 2)) : undefined,
    })),
  };
  const standbys = (n: number | undefined) => n ?? (tier.highAvailability ? 2 : 1);
  const d = t.databases;
  const databases = d && {
    postgres: d.postgres && { ...d.postgres, nodeCount: standbys(d.postgres.nodeCount) },
    redis: d.redis && { ...d.redis, nodeCount: standbys(d.redis.nodeCount) },
    kafka: d.kafka,
  };
  return { ...t, cluster, databases };
}
export type DoTargetConfig = ReturnType<typeof resolveDigitalOcean>;
export type DoksClusterSettings = NonNullable<DoTargetConfig["cluster"]>;
export type DoDatabasesSettings = NonNullable<DoTargetConfig["databases"]>;
