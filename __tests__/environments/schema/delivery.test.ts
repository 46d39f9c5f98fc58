/**
 * Delivery modes (environments/schema/delivery.ts): helm or argocd per environment, cloud or app,
 * the defaults each tier picks, and the bad input refused before anything is written.
 */
import { loadEnvironments } from "../../../environments";
import { ConfigError } from "../../../environments/errors";
import { EnvironmentSchema, type EnvironmentInput } from "../../../environments/schema";
import { deliveryOf } from "../../../environments/schema/delivery";
import { BITNAMI_IMAGES, envInput, problems } from "../../support/env";

const INFRA = "https://github.com/example/infra.git";
const DEPLOY = "git@github.com:example/deploy.git";
const git = (app: string) => ({
  repoURL: DEPLOY,
  targetRevision: "main",
  valueFiles: [`test/${app}.yaml`],
});
const ARGOCD = {
  charts: { repoURL: INFRA, targetRevision: "v1.2.0" },
  repositories: [{ url: INFRA }, { url: DEPLOY, credentialsSecretName: "deploy-repo" }],
};

/** A DigitalOcean-only environment with Argo CD and one app `web`. */
function gitops(
  over: {
    delivery?: unknown;
    app?: Record<string, unknown>;
    platform?: unknown;
    tier?: "dev" | "staging" | "prod";
  } = {},
): EnvironmentInput {
  return envInput({
    ...(over.tier === "prod"
      ? { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } }
      : over.tier
        ? { tier: over.tier, backend: { type: "gcs", bucket: "tf-state" } }
        : {}),
    targets: {
      digitalocean: {
        region: "fra1",
        network: { ipRange: "10.200.0.0/20" },
        cluster: { controlPlaneFirewall: { allowedAddresses: ["203.0.113.0/24"] } },
      },
    },
    workloads: {
      images: BITNAMI_IMAGES,
      platform: (over.platform ?? { argocd: { enabled: true } }) as never,
      delivery: (over.delivery ?? { mode: "argocd", argocd: ARGOCD }) as never,
      apps: {
        web: {
          image: { repository: "ghcr.io/example/web", tag: "1.0.0" },
          git: git("web"),
          ...over.app,
        },
      },
    },
  });
}

function loadProblems(...envs: EnvironmentInput[]): string[] {
  try {
    loadEnvironments({ builtins: envs });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe("resolution", () => {
  test("helm by default; argocd for the environment, one cloud, or one app", () => {
    const plain = EnvironmentSchema.parse(envInput()).workloads;
    expect(plain.delivery).toEqual({
      mode: { gcp: "helm", aws: "helm", digitalocean: "helm" },
      argocd: undefined,
    });
    const env = EnvironmentSchema.parse(
      gitops({ delivery: { mode: { digitalocean: "argocd" }, argocd: ARGOCD } }),
    ).workloads;
    expect(env.delivery.mode).toEqual({ gcp: "helm", aws: "helm", digitalocean: "argocd" });
    expect(deliveryOf(env.apps.web, env.delivery, "digitalocean")).toBe("argocd");
    expect(deliveryOf({ delivery: "helm" }, env.delivery, "digitalocean")).toBe("helm");
  });

  test("per tier: prune in dev and staging, not in prod; selfHeal everywhere; cascade only in dev", () => {
    const sync = (tier: "dev" | "staging" | "prod") => {
      const d = EnvironmentSchema.parse(gitops({ tier })).workloads.delivery.argocd!;
      return { ...d.sync, cascadeDelete: d.cascadeDelete };
    };
    expect(sync("dev")).toEqual({ prune: true, selfHeal: true, cascadeDelete: true });
    expect(sync("staging")).toEqual({ prune: true, selfHeal: true, cascadeDelete: false });
    expect(sync("prod")).toEqual({ prune: false, selfHeal: true, cascadeDelete: false });
  });

  test("Argo CD hardening defaults: no local admin, no admin groups, every cluster", () => {
    const argocd = EnvironmentSchema.parse(gitops()).workloads.platform.argocd;
    expect(argocd).toMatchObject({ enabled: true, admin: false, admins: [] });
    expect(argocd.clouds).toBeUndefined();
  });
});

describe("bad input", () => {
  test("a valid Argo CD environment has no problems", () => {
    expect(problems(gitops())).toEqual([]);
    expect(loadProblems(gitops())).toEqual([]);
  });

  test("an app delivered by Argo CD without a Git source", () => {
    expect(problems(gitops({ app: { git: undefined } }))).toEqual([
      'test.workloads.apps.web.git: web is delivered by Argo CD, which syncs from Git, but has no Git source; add git: { repoURL, targetRevision, valueFiles } (its team\'s repository) or set delivery: "helm"',
    ]);
  });

  test("a repository URL that is neither https nor ssh", () => {
    const p = problems(
      gitops({
        app: {
          git: { repoURL: "http://git.example.com/deploy.git", targetRevision: "main" },
        },
      }),
    );
    expect(p).toEqual([
      expect.stringMatching(
        /^test\.workloads\.apps\.web\.git\.repoURL: repository URL "http:\/\/git\.example\.com\/deploy\.git" is not an https:\/\/ or ssh Git URL/,
      ),
    ]);
    expect(
      problems(
        gitops({
          delivery: {
            mode: "argocd",
            argocd: { ...ARGOCD, repositories: [{ url: "file:///srv/git" }] },
          },
        }),
      ),
    ).toContainEqual(
      expect.stringMatching(
        /^test\.workloads\.delivery\.argocd\.repositories\[0\]\.url: repositories\[\]\.url "file:\/\/\/srv\/git" is not an https:\/\/ or ssh Git URL/,
      ),
    );
  });

  test("a repository the AppProject would refuse, and no charts repository", () => {
    expect(
      problems(
        gitops({ delivery: { mode: "argocd", argocd: { repositories: [{ url: DEPLOY }] } } }),
      ),
    ).toEqual([
      "test.workloads.delivery.argocd.charts: Argo CD renders charts/service and charts/migration from Git for web; set delivery.argocd.charts: { repoURL, targetRevision } to the repository holding Strata's charts/ (this repository or your fork)",
    ]);
    expect(
      problems(
        gitops({
          delivery: { mode: "argocd", argocd: { ...ARGOCD, repositories: [{ url: INFRA }] } },
        }),
      ),
    ).toEqual([
      `test.workloads.apps.web.git.repoURL: repository ${DEPLOY} is not in delivery.argocd.repositories, so the environment's AppProject refuses it; add { url: "${DEPLOY}" } there`,
    ]);
  });

  test("argocd without delivery.argocd; an oci chart under Argo CD", () => {
    expect(problems(gitops({ delivery: { mode: "argocd" } }))).toEqual([
      'test.workloads.delivery.argocd: web is delivered by Argo CD but delivery.argocd is missing; add delivery.argocd: { charts: { repoURL, targetRevision }, repositories: [{ url }] } (or set delivery: "helm" on the app)',
    ]);
    expect(
      problems(
        gitops({
          app: {
            chart: { repository: "oci://ghcr.io/example/charts", name: "web", version: "1.0.0" },
          },
        }),
      ),
    ).toContainEqual(
      'test.workloads.apps.web.chart.repository: web is delivered by Argo CD, which Strata points at https Helm repositories only; use an https:// chart repository or delivery: "helm"',
    );
  });

  test("a migration ordered after another under Argo CD", () => {
    const p = problems(
      gitops({
        app: {
          database: true,
          migration: {
            image: { repository: "ghcr.io/example/web-migrate", tag: "1.0.0" },
            after: ["other-migrate"],
          },
        },
      }),
    );
    expect(p).toContainEqual(
      "test.workloads.apps.web.migration.after: Argo CD runs web's migration as a PreSync hook of web's own Application, so it cannot wait for another migration; remove after (the database's own migration always runs first, from OpenTofu) or deliver web with delivery: \"helm\"",
    );
  });

  test("a Helm-delivered migration after one Argo CD runs", () => {
    const env = gitops({
      app: {
        database: true,
        migration: { image: { repository: "ghcr.io/example/web-migrate", tag: "1.0.0" } },
      },
    });
    const workloads = env.workloads!;
    const withApi: EnvironmentInput = {
      ...env,
      workloads: {
        ...workloads,
        databases: { postgresql: {} },
        apps: {
          ...workloads.apps,
          api: {
            image: { repository: "ghcr.io/example/api", tag: "1.0.0" },
            delivery: "helm",
            database: true,
            migration: {
              image: { repository: "ghcr.io/example/api-migrate", tag: "1.0.0" },
              after: ["web-migrate"],
            },
          },
        },
      },
    };
    expect(problems(withApi)).toEqual([
      "test.workloads.apps.api.migration.after[0]: api's migration waits for web-migrate, which Argo CD runs as a hook of web's Application, outside OpenTofu's order; deliver both apps the same way or remove \"web-migrate\" from after",
    ]);
  });

  test("Argo CD on a cloud without a cluster of the environment", () => {
    expect(problems(gitops({ platform: { argocd: { enabled: true, clouds: ["gcp"] } } }))).toEqual([
      "test.workloads.platform.argocd.clouds[0]: no gcp cluster runs this environment's workloads (they run on [digitalocean]); remove gcp or add its cluster",
    ]);
  });

  test("an environment delivering with Argo CD where its platform installs none", () => {
    expect(loadProblems(gitops({ platform: {} }))).toEqual([
      'test.workloads.delivery: apps on digitalocean are delivered by Argo CD, but this environment\'s platform does not install it there; set workloads.platform.argocd: { enabled: true } (clouds including digitalocean) or delivery mode "helm"',
    ]);
  });

  test("a guest delivering with Argo CD on a host without it", () => {
    const host = envInput({
      name: "host",
      targets: {
        digitalocean: {
          region: "fra1",
          network: { ipRange: "10.210.0.0/20" },
          cluster: { controlPlaneFirewall: { allowedAddresses: ["203.0.113.0/24"] } },
        },
      },
    });
    const guest = gitops({ platform: {} });
    const sharing: EnvironmentInput = {
      ...guest,
      targets: { digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" } } },
      workloads: {
        ...guest.workloads,
        sharedCluster: { environment: "host", cloud: "digitalocean" },
      },
    };
    expect(loadProblems(host, sharing)).toEqual([
      'test.workloads.delivery: apps on host\'s digitalocean cluster are delivered by Argo CD, but host does not install Argo CD there; set host.workloads.platform.argocd: { enabled: true } or delivery mode "helm"',
    ]);
    const withArgo: EnvironmentInput = {
      ...host,
      workloads: { platform: { argocd: { enabled: true } } },
    };
    expect(loadProblems(withArgo, sharing)).toEqual([]);
  });

  test("an SSO client secret is a Secret reference; a literal is refused", () => {
    const sso = (clientSecretRef: unknown) =>
      problems(
        gitops({
          platform: {
            argocd: {
              enabled: true,
              sso: {
                url: "https://argocd.example.com",
                issuer: "https://login.example.com",
                clientId: "argocd",
                clientSecretRef,
              },
            },
          },
        }),
      );
    expect(sso({ name: "argocd-oidc", key: "clientSecret" })).toEqual([]);
    expect(sso("s3cr3t-value")).toEqual([
      expect.stringMatching(/^test\.workloads\.platform\.argocd\.sso\.clientSecretRef: /),
    ]);
    expect(
      problems(
        gitops({
          platform: {
            argocd: {
              enabled: true,
              sso: {
                issuer: "https://login.example.com",
                clientId: "argocd",
                clientSecret: "s3cr3t-value",
              },
            },
          },
        }),
      ),
    ).toContainEqual(
      expect.stringMatching(
        /^test\.workloads\.platform\.argocd\.sso\.clientSecret: .*literal secret/,
      ),
    );
    // SSO needs the address users open Argo CD at (its redirect), and refuses one with a path.
    const url = (u?: string) =>
      problems(
        gitops({
          platform: {
            argocd: {
              enabled: true,
              sso: {
                ...(u === undefined ? {} : { url: u }),
                issuer: "https://login.example.com",
                clientId: "argocd",
                clientSecretRef: { name: "argocd-oidc", key: "clientSecret" },
              },
            },
          },
        }),
      ).join("\n");
    expect(url()).toMatch(/argocd\.sso\.url/);
    expect(url("https://argocd.example.com/ui")).toMatch(
      /is not Argo CD's address; write https:\/\/<host>/,
    );
  });
});
