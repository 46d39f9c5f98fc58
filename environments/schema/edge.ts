/**
 * The edge: how applications are reached from outside their cluster. An app that declares
 * `hosts` gets an HTTPRoute on its environment's Gateway (Gateway API, implemented by Envoy
 * Gateway) with an HTTPS listener and a Let's Encrypt certificate per host (cert-manager). The
 * rules on hosts and paths are the Gateway API CRDs' own (v1.6.1, checked against the CRD
 * fixtures in __tests__/fixtures/crds), applied here so bad input fails before anything is written.
 */
import { z } from "zod";
import { obj } from "./common";
import { CONFIG_CLOUDS, type ConfigCloud } from "./kube";

/** Hosts an HTTPRoute may list (`spec.hostnames` maxItems, gateway-api v1.6.1). */
export const MAX_ROUTE_HOSTS = 16;
/** Matches per route rule (`spec.rules[].matches` maxItems, gateway-api v1.6.1). */
export const MAX_ROUTE_PATHS = 64;
/** A Gateway's listeners (`spec.listeners` maxItems, gateway-api v1.6.1): one is plain HTTP. */
export const MAX_GATEWAY_HOSTS = 63;

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Why `host` is not a name Strata can route and certify, or undefined. */
export function hostProblem(host: string): string | undefined {
  const fix = "write a lower-case DNS name like api.example.com";
  if (host.startsWith("*.")) {
    return `${JSON.stringify(host)} is a wildcard: Let's Encrypt issues wildcard certificates only through DNS-01, and Strata's issuer answers HTTP-01; list each host`;
  }
  if (host.length > 253) return `${JSON.stringify(host)} is longer than 253 characters`;
  const labels = host.split(".");
  if (labels.length < 2) return `${JSON.stringify(host)} has no domain; ${fix}`;
  const bad = labels.find((l) => !HOST_LABEL.test(l));
  if (bad !== undefined) {
    return `${JSON.stringify(host)} is not a DNS name (label ${JSON.stringify(bad)}: lower-case letters, digits and hyphens, 1–63 characters, starting and ending alphanumeric); ${fix}`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) {
    return `${JSON.stringify(host)} is an IP address; routes and certificates need a DNS name`;
  }
  return undefined;
}

export const HostName = z.string().superRefine((host, ctx) => {
  const problem = hostProblem(host);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * What the HTTPRoute CRD forbids in a PathPrefix value (`spec.rules[].matches[].path`
 * x-kubernetes-validations, gateway-api v1.6.1 config/crd/standard/
 * gateway.networking.k8s.io_httproutes.yaml); the test beside it reads the CRD's rules and fails
 * when upstream adds one.
 */
export const PATH_FORBIDDEN = {
  contains: ["//", "/./", "/../", "%2f", "%2F", "#"],
  endsWith: ["/..", "/."],
} as const;

/** Why `path` is not a route path prefix, or undefined. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith("/")) return `path ${JSON.stringify(path)} must start with /`;
  if (path.length > 1024) return `path ${JSON.stringify(path)} is longer than 1024 characters`;
  const bad =
    PATH_FORBIDDEN.contains.find((s) => path.includes(s)) ??
    PATH_FORBIDDEN.endsWith.find((s) => path.endsWith(s));
  if (bad)
    return `path ${JSON.stringify(path)} contains ${JSON.stringify(bad)}, which a route path may not (Gateway API)`;
  if (path.length > 1 && path.endsWith("/")) {
    return `path ${JSON.stringify(path)} ends with /; write ${JSON.stringify(path.replace(/\/+$/, ""))} (a prefix matches whole path segments: /api matches /api and /api/v1, not /apiv1)`;
  }
  return undefined;
}

export const RoutePath = z.string().superRefine((path, ctx) => {
  const problem = pathProblem(path);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const HostList = z
  .array(HostName)
  .min(1)
  .max(MAX_ROUTE_HOSTS, {
    error: `an app takes at most ${MAX_ROUTE_HOSTS} hosts per cluster (an HTTPRoute's hostnames)`,
  })
  .refine((h) => new Set(h).size === h.length, { error: "hosts lists a host twice" });

/** The app fields of the edge. */
export const appEdgeFields = {
  /**
   * Host names the app is reached at over HTTPS from outside the cluster: one list for every
   * cluster the app runs on (when it runs on one), or a list per cloud. A host name points at one
   * load balancer, so an app on several clusters names its hosts per cloud.
   * @default - none: the app is internal
   */
  hosts: z
    .union([
      HostList,
      obj({
        gcp: HostList.optional(),
        aws: HostList.optional(),
        digitalocean: HostList.optional(),
      }),
    ])
    .optional(),
  /** Path prefixes routed to the app on its hosts. @default ["/"] */
  paths: z
    .array(RoutePath)
    .min(1)
    .max(MAX_ROUTE_PATHS)
    .refine((p) => new Set(p).size === p.length, { error: "paths lists a path twice" })
    .optional(),
  /**
   * What the app speaks on its port: `http`, or `tcp` for anything else (a TCP probe, no routes).
   * @default "http"
   */
  protocol: z.enum(["http", "tcp"]).optional(),
};

const AnnotationKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a Kubernetes annotation key (prefix/name)`,
  });

const lbCommon = {
  /** Reachable inside the VPC only. @default false */
  internal: z.boolean().optional(),
  /**
   * More annotations of the load balancer Service, as the cloud's controller reads them
   * (facts/load-balancers.json lists them; an unknown key under the cloud's prefix is an error).
   * @default {}
   */
  annotations: z.record(AnnotationKey, z.string()).optional(),
};

/** The Gateway's load balancers: GKE's, EKS's (an NLB) and DigitalOcean's. */
export const LoadBalancers = obj({
  gcp: obj({
    ...lbCommon,
    /**
     * Name of a reserved regional address (external, or internal with `internal`) in the
     * cluster's region and project. @default - GKE assigns one
     */
    addressName: z
      .string()
      .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
        error: (i) => `${JSON.stringify(i.input)} is not a GCP address name`,
      })
      .optional(),
  }).optional(),
  aws: obj({
    ...lbCommon,
    /** Elastic IP allocations, one per public subnet (internet-facing only). @default - AWS assigns addresses */
    eipAllocations: z
      .array(
        z.string().regex(/^eipalloc-[0-9a-f]{8,17}$/, {
          error: (i) =>
            `${JSON.stringify(i.input)} is not an Elastic IP allocation id (eipalloc-…)`,
        }),
      )
      .min(1)
      .optional(),
  }).optional(),
  digitalocean: obj({
    ...lbCommon,
    /** Load balancer nodes (size units). @default 1 */
    sizeUnit: z.number().int().min(1).max(100).optional(),
  }).optional(),
});

/** The environment's edge. */
export const EdgeConfig = obj({
  /**
   * DNS zone every host must lie in (the zone the environment's records live in), e.g.
   * `dev.example.com`. @default - none: hosts are not checked against a zone
   */
  zone: HostName.optional(),
  /** Let's Encrypt (ACME) account of the environment's ClusterIssuer. Required with hosts. */
  acme: obj({
    /** Contact address for expiry and account notices. */
    email: z.email({ error: (i) => `${JSON.stringify(i.input)} is not an email address` }),
    /**
     * Let's Encrypt's `staging` directory (untrusted certificates, generous rate limits) or
     * `production`. @default - staging for the dev tier, production for staging and prod
     */
    server: z.enum(["staging", "production"]).optional(),
  }).optional(),
  /**
   * The Gateway's load balancer per cloud.
   * @default - external, no more annotations, on DigitalOcean 1 size unit
   */
  loadBalancer: LoadBalancers.optional(),
  /** Envoy proxies per Gateway. @default - the tier's replicas */
  replicas: z.number().int().min(1).max(20).optional(),
});
export type EdgeInput = z.input<typeof EdgeConfig>;

/** Let's Encrypt's ACME directories. */
export const ACME_SERVERS = {
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
  production: "https://acme-v02.api.letsencrypt.org/directory",
} as const;

type AppEdge = {
  readonly hosts?: readonly string[] | Partial<Record<ConfigCloud, readonly string[]>>;
  readonly paths?: readonly string[];
  readonly protocol?: "http" | "tcp";
  readonly chart?: { readonly local?: string };
};

/** An app's hosts on one cloud. */
export function hostsOn(app: AppEdge, cloud: ConfigCloud): readonly string[] {
  const hosts = app.hosts;
  if (!hosts) return [];
  return Array.isArray(hosts)
    ? hosts
    : ((hosts as Partial<Record<ConfigCloud, readonly string[]>>)[cloud] ?? []);
}

/** Whether `host` is `zone` or lies in it. */
export function inZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

/**
 * Checks across apps and the environment: hosts on clusters the app runs on, one owner per host
 * and path on a cluster, hosts in the zone, an ACME account, HTTP apps only.
 */
export function checkEdge(
  edge: z.output<typeof EdgeConfig> | undefined,
  apps: Readonly<Record<string, AppEdge>>,
  appClouds: (name: string) => readonly ConfigCloud[],
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const claimed = new Map<string, string>();
  let anyHost = false;
  const perCloud = new Map<ConfigCloud, Set<string>>();
  for (const [name, app] of Object.entries(apps)) {
    const path = ["apps", name];
    if (!app.hosts) {
      if (app.paths)
        issue([...path, "paths"], `paths without hosts route nothing; add hosts, or remove paths`);
      continue;
    }
    anyHost = true;
    if (app.protocol === "tcp") {
      issue(
        [...path, "hosts"],
        `${name} has protocol "tcp": it has no HTTP port to route to; remove hosts, or set protocol: "http" if it serves HTTP`,
      );
      continue;
    }
    if (app.chart && app.chart.local === undefined) {
      issue(
        [...path, "hosts"],
        `${name} runs a chart from a repository, whose Service Strata does not know; routes are made for the service chart (chart: { local: "service" }). Expose it through that chart's own settings, or remove hosts`,
      );
      continue;
    }
    const clouds = appClouds(name);
    if (Array.isArray(app.hosts)) {
      if (clouds.length > 1) {
        issue(
          [...path, "hosts"],
          `${name} runs on ${clouds.join(", ")}, and a host name points at one load balancer; give hosts per cloud, e.g. { ${clouds[0]}: [...] }`,
        );
        continue;
      }
    } else {
      for (const cloud of CONFIG_CLOUDS) {
        if (
          (app.hosts as Partial<Record<ConfigCloud, unknown>>)[cloud] &&
          !clouds.includes(cloud)
        ) {
          issue(
            [...path, "hosts", cloud],
            `${name} does not run on ${cloud} (it runs on ${clouds.join(", ") || "no cluster"}); remove hosts.${cloud}`,
          );
        }
      }
    }
    for (const cloud of clouds) {
      const hosts = hostsOn(app, cloud);
      const where = Array.isArray(app.hosts) ? [...path, "hosts"] : [...path, "hosts", cloud];
      for (const host of hosts) {
        if (edge?.zone && !inZone(host, edge.zone)) {
          issue(
            where,
            `${host} is outside the environment's zone ${edge.zone} (workloads.edge.zone); use a name under ${edge.zone}`,
          );
        }
        const set = perCloud.get(cloud) ?? new Set<string>();
        set.add(host);
        perCloud.set(cloud, set);
        for (const p of app.paths ?? ["/"]) {
          const key = `${host}${p === "/" ? "" : p}`;
          const other = claimed.get(`${cloud} ${key}`);
          if (other && other !== name) {
            issue(
              where,
              `${name} and ${other} both claim ${host}${p} on ${cloud}; give one of them another host or path`,
            );
          }
          claimed.set(`${cloud} ${key}`, name);
        }
      }
    }
  }
  for (const [cloud, hosts] of perCloud) {
    if (hosts.size > MAX_GATEWAY_HOSTS) {
      issue(
        ["edge"],
        `${hosts.size} hosts on ${cloud}: a Gateway takes ${MAX_GATEWAY_HOSTS} HTTPS listeners; split the apps across environments`,
      );
    }
  }
  if (anyHost && !edge?.acme) {
    issue(
      ["edge", "acme"],
      `apps with hosts need certificates: set workloads.edge.acme.email (the Let's Encrypt account's contact)`,
    );
  }
}
