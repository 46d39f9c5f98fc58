/**
 * How an environment's applications reach their cluster: `helm` (a helm_release per app, rolled
 * out by OpenTofu, the default) or `argocd` (an Argo CD Application per app, synced by Argo CD
 * from Git; OpenTofu keeps the ConfigMaps, Secrets and identities the app is wired to). Also the
 * hardening of the Argo CD that the cluster's owner installs (workloads.platform.argocd).
 *
 * Imports nothing from workloads.ts (which imports this file): no import cycle at load time.
 */
import { z } from "zod";
import { obj } from "./common";

const Cloud = z.enum(["gcp", "aws", "digitalocean"]);
type Cloud = z.infer<typeof Cloud>;

export const DeliveryMode = z.enum(["helm", "argocd"]);
export type DeliveryMode = z.infer<typeof DeliveryMode>;

/** https://host[/path], ssh://[user@]host/path or the scp form git@host:path. */
export const GIT_URL_RE =
  /^(https:\/\/[^\s/]+(\/\S*)?|ssh:\/\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+)$/;
const gitUrlError = (what: string) => ({
  error: (i: { input: unknown }) =>
    `${what} ${JSON.stringify(i.input)} is not an https:// or ssh Git URL (https://github.com/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git); Argo CD only gets credentials for those`,
});
/** A Git repository URL Argo CD can fetch with credentials: https or ssh. */
export const GitUrl = z.string().regex(GIT_URL_RE, gitUrlError("repository URL"));
/** A branch, tag or commit; no ranges. */
const Revision = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/, {
  error: "targetRevision must be a branch, tag or commit (e.g. main, v1.4.2, a 40-hex SHA)",
});
/** A Secret name in the argocd namespace (a DNS subdomain). */
const SecretName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
    error: "a Secret name (lowercase, digits, - and .)",
  })
  .max(253);
/** An SSO group as the identity provider sends it in the token's groups claim. */
const Group = z.string().regex(/^[^\s,]+$/, {
  error: "a group name without spaces or commas (Argo CD's policy.csv is comma-separated)",
});

/**
 * An application's values source in Git (its team's repository): `valueFiles` are layered under
 * the values Strata computes (Argo CD: valueFiles < valuesObject).
 */
export const AppGitSource = obj({
  repoURL: GitUrl,
  targetRevision: Revision,
  /** Values files in that repository, relative to its root (e.g. deploy/prod.yaml). @default [] */
  valueFiles: z
    .array(z.string().regex(/^[^/$\s][^\s]*\.ya?ml$/, { error: "a relative path to a .yaml file" }))
    .optional(),
});

/** Per-tier automated sync: prune deletes what left Git, selfHeal reverts drift. */
const SyncPolicy = obj({
  /** @default - true in dev and staging, false in prod (deletions wait for a manual sync) */
  prune: z.boolean().optional(),
  /** @default true */
  selfHeal: z.boolean().optional(),
});

/** Who may do what with the environment's Applications (an AppProject role per entry). */
export const ProjectAccess = obj({
  /** SSO group (the token's groups claim). */
  group: Group,
  /** read: get; sync: get, sync, action/*; admin: every application action. */
  role: z.enum(["read", "sync", "admin"]),
});

export const DeliveryConfig = obj({
  /**
   * `helm` or `argocd`, for the whole environment or per cloud (`{ digitalocean: "argocd" }`); an
   * app's own `delivery` wins. @default - helm on every cloud
   */
  mode: z
    .union([
      DeliveryMode,
      obj({
        gcp: DeliveryMode.optional(),
        aws: DeliveryMode.optional(),
        digitalocean: DeliveryMode.optional(),
      }),
    ])
    .optional(),
  /** Settings of Argo CD delivery; required when anything is delivered by Argo CD. */
  argocd: obj({
    /**
     * The Git repository and revision holding Strata's charts (charts/service, charts/migration):
     * this repository or your fork. Needed when an Argo CD app uses the local service chart or has
     * a migration.
     */
    charts: obj({ repoURL: GitUrl, targetRevision: Revision }).optional(),
    /**
     * The only repositories the environment's AppProject lets its Applications use: Git
     * repositories and https Helm repositories. Credentials are a Secret in the argocd namespace
     * (label argocd.argoproj.io/secret-type: repository or repo-creds) named here, never a literal.
     */
    repositories: z
      .array(
        obj({
          url: z.string().refine((u) => GIT_URL_RE.test(u), gitUrlError("repositories[].url")),
          /** Secret holding the credentials (created outside Strata). @default - a public repository */
          credentialsSecretName: SecretName.optional(),
        }),
      )
      .min(1),
    /** @default - per tier: prune in dev and staging, selfHeal everywhere */
    sync: SyncPolicy.optional(),
    /** AppProject roles bound to SSO groups. @default [] (only Argo CD admins) */
    access: z.array(ProjectAccess).optional(),
    /**
     * Removing an app (or its Application) deletes what it deployed (Argo CD's
     * resources-finalizer). Off, a deleted Application leaves its workload running (orphaned).
     * @default - true in dev, false in staging and prod
     */
    cascadeDelete: z.boolean().optional(),
  }).optional(),
});
export type DeliveryInput = z.input<typeof DeliveryConfig>;

/** OIDC login for Argo CD; the client secret is a reference to a Secret key, never a value. */
export const ArgoCdSso = obj({
  /**
   * Where users open Argo CD, `https://<host>`; the identity provider must allow the redirect
   * `<url>/auth/callback`.
   */
  url: z.string().regex(/^https:\/\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/, {
    error: (i) =>
      `${JSON.stringify(i.input)} is not Argo CD's address; write https://<host> like https://argocd.example.com (no path)`,
  }),
  /** Name shown on the login button. @default "SSO" */
  name: z.string().min(1).optional(),
  issuer: z.string().regex(/^https:\/\/\S+$/, { error: "issuer must be an https:// URL" }),
  clientId: z.string().min(1),
  /** Secret in the argocd namespace (label app.kubernetes.io/part-of: argocd) and its key. */
  clientSecretRef: obj({ name: SecretName, key: z.string().regex(/^[-._a-zA-Z0-9]+$/) }),
  /** @default ["openid", "profile", "email", "groups"] */
  scopes: z.array(z.string().min(1)).optional(),
});

/** Argo CD hardening settings, beside the platform toggle's fields. */
export const argoCdHardening = {
  /** Clusters of the environment that get Argo CD. @default - every cluster it owns */
  clouds: z.array(Cloud).min(1).optional(),
  /**
   * Argo CD's local admin account. Off, Argo CD creates no initial admin password Secret; log in
   * with SSO. @default false
   */
  admin: z.boolean().optional(),
  /** OIDC single sign-on. @default - none (then only `argocd admin` from the cluster) */
  sso: ArgoCdSso.optional(),
  /** SSO groups that are Argo CD administrators (role:admin). @default [] */
  admins: z.array(Group).optional(),
};

/** What the tier picks when the environment does not say. */
export const DELIVERY_TIER_DEFAULTS = {
  dev: { prune: true, selfHeal: true, cascadeDelete: true },
  staging: { prune: true, selfHeal: true, cascadeDelete: false },
  prod: { prune: false, selfHeal: true, cascadeDelete: false },
} as const;

type DeliveryFields = z.output<typeof DeliveryConfig>;

/** The delivery section with every default filled in. */
export function resolveDelivery(
  d: DeliveryFields | undefined,
  tier: keyof typeof DELIVERY_TIER_DEFAULTS,
) {
  const t = DELIVERY_TIER_DEFAULTS[tier];
  const mode = d?.mode ?? "helm";
  const a = d?.argocd;
  return {
    mode:
      typeof mode === "string"
        ? { gcp: mode, aws: mode, digitalocean: mode }
        : {
            gcp: mode.gcp ?? ("helm" as const),
            aws: mode.aws ?? ("helm" as const),
            digitalocean: mode.digitalocean ?? ("helm" as const),
          },
    argocd: a && {
      charts: a.charts,
      repositories: a.repositories.map((r) => ({ ...r })),
      sync: { prune: a.sync?.prune ?? t.prune, selfHeal: a.sync?.selfHeal ?? t.selfHeal },
      access: a.access ?? [],
      cascadeDelete: a.cascadeDelete ?? t.cascadeDelete,
    },
  };
}
export type ResolvedDelivery = ReturnType<typeof resolveDelivery>;

/** How one app is delivered on one cloud. */
export function deliveryOf(
  app: { readonly delivery?: DeliveryMode },
  delivery: ResolvedDelivery,
  cloud: Cloud,
): DeliveryMode {
  return app.delivery ?? delivery.mode[cloud];
}

/** What the checks need of an app (raw or resolved). */
interface AppLike {
  readonly delivery?: DeliveryMode;
  readonly git?: z.output<typeof AppGitSource>;
  readonly chart?: { readonly local?: string; readonly repository?: string };
  readonly migration?: { readonly name?: string; readonly after?: readonly string[] };
  readonly clouds?: readonly Cloud[];
}

/**
 * Checks of one environment's delivery settings (its apps on `clouds`, the clouds its workloads
 * run on): every Argo CD app has a Git source, the charts repository is there when needed, and
 * every repository used is one the AppProject allows.
 */
export function checkDelivery(
  d: DeliveryFields | undefined,
  apps: Readonly<Record<string, AppLike>>,
  clouds: readonly Cloud[],
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const modeOn = (app: AppLike, cloud: Cloud): DeliveryMode => {
    if (app.delivery) return app.delivery;
    const m = d?.mode ?? "helm";
    return typeof m === "string" ? m : (m[cloud] ?? "helm");
  };
  const argoOn = (app: AppLike) =>
    (app.clouds ?? clouds).some((c) => clouds.includes(c) && modeOn(app, c) === "argocd");
  const byArgo = Object.entries(apps).filter(([, app]) => argoOn(app));
  if (byArgo.length === 0) return;
  // A Helm-delivered migration cannot wait for one Argo CD runs (in another Application's sync).
  const argoMigrations = new Map(
    byArgo
      .filter(([, app]) => app.migration)
      // The default name is workloads.ts defaultMigrationName's (not imported: no import cycle).
      .map(([name, app]) => [app.migration!.name ?? `${name}-migrate`, name]),
  );
  for (const [name, app] of Object.entries(apps)) {
    if (argoOn(app)) continue;
    (app.migration?.after ?? []).forEach((d, i) => {
      const owner = argoMigrations.get(d);
      if (owner) {
        issue(
          ["apps", name, "migration", "after", i],
          `${name}'s migration waits for ${d}, which Argo CD runs as a hook of ${owner}'s Application, outside OpenTofu's order; deliver both apps the same way or remove "${d}" from after`,
        );
      }
    });
  }
  const names = byArgo.map(([n]) => n).join(", ");
  const a = d?.argocd;
  if (!a) {
    issue(
      ["delivery", "argocd"],
      `${names} ${byArgo.length === 1 ? "is" : "are"} delivered by Argo CD but delivery.argocd is missing; add delivery.argocd: { charts: { repoURL, targetRevision }, repositories: [{ url }] } (or set delivery: "helm" on the app)`,
    );
    return;
  }
  const allowed = new Set(a.repositories.map((r) => r.url));
  const needsListing = (path: PropertyKey[], url: string, what: string) => {
    // A URL that is not https/ssh is reported by its own field's check.
    if (!allowed.has(url) && GIT_URL_RE.test(url)) {
      issue(
        path,
        `${what} ${url} is not in delivery.argocd.repositories, so the environment's AppProject refuses it; add { url: "${url}" } there`,
      );
    }
  };
  const seen = new Set<string>();
  a.repositories.forEach((r, i) => {
    if (seen.has(r.url)) {
      issue(["delivery", "argocd", "repositories", i, "url"], `${r.url} is listed twice`);
    }
    seen.add(r.url);
  });
  let needCharts = false;
  for (const [name, app] of byArgo) {
    const at = ["apps", name];
    if (!app.git) {
      issue(
        [...at, "git"],
        `${name} is delivered by Argo CD, which syncs from Git, but has no Git source; add git: { repoURL, targetRevision, valueFiles } (its team's repository) or set delivery: "helm"`,
      );
    } else {
      needsListing([...at, "git", "repoURL"], app.git.repoURL, "repository");
    }
    const repo = app.chart?.repository;
    if (repo !== undefined) {
      if (!/^https:\/\//.test(repo)) {
        issue(
          [...at, "chart", "repository"],
          `${name} is delivered by Argo CD, which Strata points at https Helm repositories only; use an https:// chart repository or delivery: "helm"`,
        );
      } else needsListing([...at, "chart", "repository"], repo, "chart repository");
    } else needCharts = true;
    if (app.migration) needCharts = true;
    if (app.migration?.after?.length) {
      issue(
        [...at, "migration", "after"],
        `Argo CD runs ${name}'s migration as a PreSync hook of ${name}'s own Application, so it cannot wait for another migration; remove after (the database's own migration always runs first, from OpenTofu) or deliver ${name} with delivery: "helm"`,
      );
    }
  }
  if (needCharts) {
    if (!a.charts) {
      issue(
        ["delivery", "argocd", "charts"],
        `Argo CD renders charts/service and charts/migration from Git for ${names}; set delivery.argocd.charts: { repoURL, targetRevision } to the repository holding Strata's charts/ (this repository or your fork)`,
      );
    } else {
      needsListing(["delivery", "argocd", "charts", "repoURL"], a.charts.repoURL, "repository");
    }
  }
}

/** `platform.argocd.clouds` names only clusters the environment's workloads run on. */
export function checkArgoCdClouds(
  clouds: readonly Cloud[] | undefined,
  workloadClouds: readonly Cloud[],
  issue: (path: PropertyKey[], message: string) => void,
): void {
  (clouds ?? []).forEach((c, i) => {
    if (!workloadClouds.includes(c)) {
      issue(
        ["platform", "argocd", "clouds", i],
        `no ${c} cluster runs this environment's workloads (they run on [${workloadClouds.join(", ")}]); remove ${c} or add its cluster`,
      );
    }
  });
}

/** An environment as the cross-environment check sees it. */
export interface DeliveryEnvironment {
  readonly name: string;
  readonly workloads: {
    readonly sharedCluster?: { readonly environment: string; readonly cloud: Cloud };
    readonly delivery: ResolvedDelivery;
    readonly platform: {
      readonly argocd: { readonly enabled: boolean; readonly clouds?: readonly Cloud[] };
    };
    readonly apps: Readonly<
      Record<string, { readonly delivery?: DeliveryMode; readonly clouds: readonly Cloud[] }>
    >;
  };
}

/**
 * An environment delivering with Argo CD on a cluster needs Argo CD installed there: by itself
 * when it owns the cluster, by the cluster's owner when it shares one.
 */
export function checkArgoCdInstalled(
  all: readonly DeliveryEnvironment[],
): Array<{ path: string; message: string }> {
  const byName = new Map(all.map((e) => [e.name, e]));
  const problems: Array<{ path: string; message: string }> = [];
  for (const env of all) {
    const w = env.workloads;
    const clouds = new Set<Cloud>();
    for (const app of Object.values(w.apps)) {
      for (const c of app.clouds) if (deliveryOf(app, w.delivery, c) === "argocd") clouds.add(c);
    }
    for (const cloud of clouds) {
      const owner = w.sharedCluster ? byName.get(w.sharedCluster.environment) : env;
      if (!owner) continue; // unknown host: reported by the shared-cluster checks
      const argo = owner.workloads.platform.argocd;
      const installed = argo.enabled && (argo.clouds ?? [cloud]).includes(cloud);
      if (!installed) {
        problems.push({
          path: `${env.name}.workloads.delivery`,
          message:
            owner === env
              ? `apps on ${cloud} are delivered by Argo CD, but this environment's platform does not install it there; set workloads.platform.argocd: { enabled: true } (clouds including ${cloud}) or delivery mode "helm"`
              : `apps on ${owner.name}'s ${cloud} cluster are delivered by Argo CD, but ${owner.name} does not install Argo CD there; set ${owner.name}.workloads.platform.argocd: { enabled: true } or delivery mode "helm"`,
        });
      }
    }
  }
  return problems;
}
