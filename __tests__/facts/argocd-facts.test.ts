/**
 * facts/argocd.json: the Argo CD behaviours GitOps delivery relies on, each cited at the pinned
 * Argo CD release, chart tag or provider tag, and tied to the code and charts that rely on them.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { CHART_VERSIONS } from "../../environments/schema/workloads";
import {
  ArgoCdApplications,
  deliveryReleaseName,
  VALUES_REF,
} from "../../modules/helm/argocd-applications";
import { APPLICATION_CONDITIONS } from "../../scripts/lib/rollout";
import { PLATFORM_NAMESPACES } from "../../stacks/kubernetes/platform";
import { chartKeys, releaseNamed } from "../support/chart-values";
import { crdFor } from "../support/crd-schema";
import { synthScope } from "../modules/helm/helpers";

const ROOT = path.join(__dirname, "..", "..");
interface Fact {
  readonly id: string;
  readonly fact: string;
  readonly citation: string;
  readonly alsoCitation?: string;
  readonly value?: unknown;
}
const doc = JSON.parse(fs.readFileSync(path.join(ROOT, "facts", "argocd.json"), "utf8")) as {
  argoCd: { version: string; commit: string };
  chart: { version: string; commit: string };
  helm: { version: string; commit: string };
  facts: Fact[];
};
const fact = (id: string): Fact => {
  const f = doc.facts.find((x) => x.id === id);
  if (!f) throw new Error(`facts/argocd.json has no fact ${id}`);
  return f;
};
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("facts/argocd.json is well-formed", () => {
  test("read at the Argo CD version the pinned chart ships, each fact cited at a commit or tag", () => {
    const crd = crdFor("argoproj.io/v1alpha1", "Application")!;
    expect(doc.chart).toMatchObject({ version: CHART_VERSIONS.argocd, commit: crd.source.commit });
    const pinned = [
      `https://github.com/argoproj/argo-cd/blob/${doc.argoCd.commit}/`,
      `https://github.com/argoproj/argo-helm/blob/${doc.chart.commit}/`,
      "https://github.com/hashicorp/terraform-provider-helm/blob/v3.1.1/",
      `https://github.com/helm/helm/blob/${doc.helm.commit}/`,
    ];
    const ids = new Set<string>();
    for (const f of doc.facts) {
      expect(ids.has(f.id)).toBe(false);
      ids.add(f.id);
      for (const url of [f.citation, ...(f.alsoCitation ? [f.alsoCitation] : [])]) {
        expect({
          id: f.id,
          cited: pinned.some((p) => url.startsWith(p)) && /#L\d+/.test(url),
        }).toEqual({
          id: f.id,
          cited: true,
        });
      }
    }
  });
});

describe("the code follows the facts", () => {
  const apps = read("charts/argocd-apps/templates/applications.yaml");
  const migrationJob = read("charts/migration/templates/job.yaml");

  test("resources-finalizer: the exact finalizer name, set only with cascadeDelete", () => {
    expect(apps).toContain(`- ${fact("resources-finalizer").value as string}`);
    expect(apps).toMatch(/\{\{- if \.cascadeDelete \}\}\s*finalizers:/);
  });

  test("the migration Job's Helm hooks are ones Argo CD runs in PreSync, and no Argo CD hook turns them off", () => {
    const hooks = /helm\.sh\/hook: (.+)/.exec(migrationJob)![1].split(",");
    expect(hooks.length).toBeGreaterThan(0);
    for (const h of hooks) expect(fact("helm-hooks-map-to-presync").value).toContain(h.trim());
    expect(migrationJob).not.toMatch(/argocd\.argoproj\.io\/hook/);
    for (const chart of ["service", "migration", "argocd-apps"]) {
      const dir = path.join(ROOT, "charts", chart, "templates");
      for (const file of fs.readdirSync(dir))
        expect(fs.readFileSync(path.join(dir, file), "utf8")).not.toMatch(
          /argocd\.argoproj\.io\/hook/,
        );
    }
  });

  test("PruneLast is the sync option the Applications set", () => {
    expect(apps).toContain(`- ${fact("prune-last").value as string}`);
  });

  test("Strata's values go in valuesObject (above valueFiles), values files through the $values ref", () => {
    const tf = synthScope(
      (s) =>
        new ArgoCdApplications(s, "D", {
          environment: "prod",
          namespace: "argocd",
          destinationNamespace: "prod",
          chart: { chart: "./chart" },
          sourceRepos: ["https://git.example.com/infra.git", "https://git.example.com/deploy.git"],
          apps: [
            {
              name: "web",
              chart: {
                repoURL: "https://git.example.com/infra.git",
                targetRevision: "v1",
                path: "charts/service",
              },
              values: { replicaCount: 2 },
              git: {
                repoURL: "https://git.example.com/deploy.git",
                targetRevision: "main",
                valueFiles: ["prod/web.yaml", "prod/web-extra.yaml"],
              },
            },
          ],
          sync: { prune: false, selfHeal: true },
          cascadeDelete: false,
        }),
    );
    const values = releaseNamed(tf, deliveryReleaseName("prod")).values as {
      applications: Array<{ sources: Array<Record<string, unknown>> }>;
    };
    const [chart, ref] = values.applications[0].sources;
    expect(chart.helm).toEqual({
      releaseName: "web",
      valueFiles: ["$values/prod/web.yaml", "$values/prod/web-extra.yaml"],
      valuesObject: { replicaCount: 2 },
    });
    expect(chart.helm).not.toHaveProperty("parameters");
    expect(ref).toMatchObject({ ref: VALUES_REF });
    expect(fact("values-precedence").fact).toMatch(/valuesObject > values > valueFiles/);
  });

  test("rollout waits for the status values Argo CD writes, at fields of the pinned Application CRD", () => {
    const status = fact("status-synced-healthy").value as { sync: string; health: string };
    expect(APPLICATION_CONDITIONS).toEqual({
      sync: `jsonpath={.status.sync.status}=${status.sync}`,
      health: `jsonpath={.status.health.status}=${status.health}`,
    });
    type Schema = { type?: string; properties?: Record<string, Schema> };
    const schema = crdFor("argoproj.io/v1alpha1", "Application")!.versions.v1alpha1 as Schema;
    const at = (s: Schema, p: string[]): Schema | undefined =>
      p.reduce<Schema | undefined>((x, k) => x?.properties?.[k], s);
    expect(at(schema, ["status", "sync", "status"])?.type).toBe("string");
    expect(at(schema, ["status", "health", "status"])?.type).toBe("string");
  });

  test("the chart values Strata hardens exist in the pinned chart", () => {
    const keys = chartKeys("argo-cd", CHART_VERSIONS.argocd);
    for (const k of ["configs.cm.admin.enabled", "configs.rbac.policy.default", "dex.enabled"])
      expect(keys.has(k)).toBe(true);
    const values = parse(
      fs.readFileSync(
        path.join(
          ROOT,
          "__tests__",
          "fixtures",
          "chart-values",
          `argo-cd-${CHART_VERSIONS.argocd}.json`,
        ),
        "utf8",
      ),
    ) as { addedKeys: Record<string, string> };
    expect(Object.keys(values.addedKeys)).toEqual(["configs.cm.oidc.config"]);
  });

  test("the delivery release is replaced only by renaming the environment (name and namespace)", () => {
    expect(fact("helm-release-replacement").value).toEqual(["name", "namespace"]);
    expect(deliveryReleaseName("staging")).toBe("staging-apps");
    expect(PLATFORM_NAMESPACES.argocd).toBe("argocd");
  });

  test("charts/service labels its objects as Helm's whoever renders it (the mode switch relies on it)", () => {
    expect(fact("helm-library-version").value).toBe(doc.helm.version);
    expect(read("charts/service/templates/_helpers.tpl")).toMatch(
      /app\.kubernetes\.io\/managed-by: \{\{ \.Release\.Service \}\}/,
    );
    expect(fact("release-service-helm").fact).toMatch(/"Helm" in every render/);
    expect(fact("helm-adopts-owned-objects").value).toMatchObject({
      label: "app.kubernetes.io/managed-by=Helm",
    });
  });

  test("the AppProject allows no cluster-scoped object: an empty allow list", () => {
    expect(read("charts/argocd-apps/templates/appproject.yaml")).toMatch(
      /^ {2}clusterResourceWhitelist: \[\]$/m,
    );
    expect(fact("project-cluster-allow-list").fact).toMatch(/empty clusterResourceWhitelist/);
  });
});
