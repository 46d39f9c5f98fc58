import {
  ArgoCdApplications,
  applicationName,
  type ArgoCdApplicationsProps,
} from "../../../modules/helm/argocd-applications";
import { releaseNamed } from "../../support/chart-values";
import { synthScope } from "./helpers";

const INFRA = "https://git.example.com/infra.git";
const DEPLOY = "ssh://git@git.example.com/deploy.git";
const props = (p: Partial<ArgoCdApplicationsProps> = {}): ArgoCdApplicationsProps => ({
  environment: "prod",
  namespace: "argocd",
  destinationNamespace: "prod",
  chart: { chart: "./chart" },
  sourceRepos: [INFRA, DEPLOY],
  apps: [
    {
      name: "web",
      chart: { repoURL: INFRA, targetRevision: "v1", path: "charts/service" },
      values: { replicaCount: 2 },
      git: { repoURL: DEPLOY, targetRevision: "main", valueFiles: [] },
      migration: {
        name: "web-migrate",
        chart: { repoURL: INFRA, targetRevision: "v1", path: "charts/migration" },
        values: { jobName: "web-migrate-1" },
      },
    },
  ],
  sync: { prune: false, selfHeal: true },
  cascadeDelete: false,
  ...p,
});
const values = (p: Partial<ArgoCdApplicationsProps> = {}) =>
  releaseNamed(
    synthScope((s) => new ArgoCdApplications(s, "D", props(p))),
    "prod-apps",
  );

describe("ArgoCdApplications", () => {
  test("one release in Argo CD's namespace: the project, and an Application per app with its migration as a source", () => {
    const r = values();
    expect(r.raw).toMatchObject({ name: "prod-apps", namespace: "argocd", atomic: true });
    expect(r.values).toMatchObject({
      project: {
        name: "prod",
        destination: { server: "https://kubernetes.default.svc", namespace: "prod" },
        sourceRepos: [INFRA, DEPLOY].sort(),
        roles: [],
      },
      applications: [
        {
          name: applicationName("prod", "web"),
          cascadeDelete: false,
          syncPolicy: { prune: false, selfHeal: true },
          sources: [
            {
              path: "charts/service",
              helm: { releaseName: "web", valuesObject: { replicaCount: 2 } },
            },
            { repoURL: DEPLOY, ref: "values" },
            { path: "charts/migration", helm: { releaseName: "web-migrate" } },
          ],
        },
      ],
    });
    // No values files: no valueFiles key (Argo CD would look for none anyway).
    const apps = r.values.applications as Array<{ sources: Array<{ helm?: object }> }>;
    expect(apps[0].sources[0].helm).not.toHaveProperty("valueFiles");
  });

  test("a chart from an https Helm repository: chart and version, not a path", () => {
    const r = values({
      sourceRepos: ["https://charts.example.com", DEPLOY],
      apps: [
        {
          name: "web",
          chart: { repository: "https://charts.example.com", chart: "web", version: "2.0.1" },
          values: {},
          git: { repoURL: DEPLOY, targetRevision: "main", valueFiles: ["prod.yaml"] },
        },
      ],
    });
    const apps = r.values.applications as Array<{ sources: object[] }>;
    expect(apps[0].sources[0]).toEqual({
      repoURL: "https://charts.example.com",
      chart: "web",
      targetRevision: "2.0.1",
      helm: { releaseName: "web", valueFiles: ["$values/prod.yaml"], valuesObject: {} },
    });
  });

  test("project roles per access level, groups deduplicated and sorted", () => {
    const r = values({
      access: [
        { group: "devs", role: "sync" },
        { group: "auditors", role: "read" },
        { group: "ops", role: "sync" },
        { group: "devs", role: "sync" },
      ],
    });
    expect((r.values.project as { roles: unknown }).roles).toEqual([
      {
        name: "read",
        description: "read access to prod's applications",
        groups: ["auditors"],
        policies: ["p, proj:prod:read, applications, get, prod/*, allow"],
      },
      {
        name: "sync",
        description: "sync access to prod's applications",
        groups: ["devs", "ops"],
        policies: [
          "p, proj:prod:sync, applications, get, prod/*, allow",
          "p, proj:prod:sync, applications, sync, prod/*, allow",
          "p, proj:prod:sync, applications, action/*, prod/*, allow",
        ],
      },
    ]);
  });

  test("a repository the project does not allow is an error naming it", () => {
    expect(() => values({ sourceRepos: [INFRA] })).toThrow(
      /web's values repository ssh:\/\/git@git\.example\.com\/deploy\.git is not among the project's sourceRepos/,
    );
  });
});
