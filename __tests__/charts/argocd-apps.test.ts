/**
 * charts/argocd-apps with the real helm binary: lint and render it with the values the seeds'
 * apps layers synthesize (prod and staging on the shared DOKS cluster), and check every rendered
 * AppProject and Application against the CRD schemas of the pinned argo-cd chart
 * (__tests__/fixtures/crds/argoproj.io_*.json, read from the chart's templates/crds at its tag).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { CHART_VERSIONS } from "../../environments/schema/workloads";
import { realApp } from "../support/app";
import { releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { crdFor, crdProblems as crdCheck } from "../support/crd-schema";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";

const CHART = path.join(__dirname, "..", "..", "charts", "argocd-apps");
const available = helmBinary() !== undefined;
if (!available) {
  console.warn(`skipping chart tests: no helm binary (${helmUnavailableReason()})`);
}
const describeWithHelm = available ? describe : describe.skip;

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    finalizers?: string[];
    labels: object;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
};
type Source = {
  repoURL: string;
  targetRevision: string;
  path?: string;
  ref?: string;
  helm?: { releaseName: string; valueFiles?: string[]; valuesObject: Record<string, unknown> };
};

let tmp: string;
let releases: Array<{ stack: string; release: SynthesizedRelease; docs: Obj[] }>;

function valuesFile(values: unknown): string {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

function render(name: string, values: unknown): Obj[] {
  const out = helm(["template", name, CHART, "-n", "argocd", "-f", valuesFile(values)]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
}

/** Problems of a rendered object against the CRD of its kind (fixtures of argo-cd at the pinned chart). */
function crdProblems(o: Obj): string[] {
  return crdCheck(o);
}

beforeAll(() => {
  if (!available) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-argocd-apps-"));
  releases = [...realApp().stacks].flatMap(([stack, tf]) =>
    releasesOf(tf)
      .filter((r) => r.chart.startsWith("./assets/ArgoCdAppsChart/"))
      .map((release) => ({ stack, release, docs: render(release.name, release.values) })),
  );
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the CRD fixture", () => {
  test("read from the pinned chart's CRDs", () => {
    for (const kind of ["Application", "AppProject"]) {
      const f = crdFor("argoproj.io/v1alpha1", kind);
      expect(f).toMatchObject({
        scope: "Namespaced",
        source: { repository: "argoproj/argo-helm", tag: `argo-cd-${CHART_VERSIONS.argocd}` },
      });
    }
  });

  test("the validator refuses unknown fields, wrong types and missing required fields", () => {
    const bad = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "x" },
      spec: {
        project: "p",
        destination: { namespace: "n" },
        sources: [{ repoURL: "https://x", helm: { valuesObject: { any: { thing: 1 } } } }],
        syncPolicy: { automated: { prunee: true, selfHeal: "yes" } },
      },
    };
    expect(crdCheck(bad)).toEqual([
      "Application/x .spec.syncPolicy.automated.prunee: unknown field (the API server would drop it)",
      'Application/x .spec.syncPolicy.automated.selfHeal: must be boolean, got string ("yes")',
    ]);
    expect(crdCheck({ ...bad, spec: { project: "p" } })).toEqual([
      "Application/x .spec: required field destination is missing",
    ]);
  });
});

describeWithHelm("charts/argocd-apps with helm", () => {
  test("the seeds deliver prod's and staging's apps on the shared DOKS cluster with it; dev stays on Helm", () => {
    expect(releases.map((r) => `${r.stack}/${r.release.name}`).sort()).toEqual([
      "prod-do-apps/prod-apps",
      "staging-do-apps/staging-apps",
    ]);
    expect(releases.every((r) => r.release.raw.namespace === "argocd")).toBe(true);
  });

  test("helm lint passes with each environment's values", () => {
    for (const { release } of releases) {
      expect(() =>
        helm(["lint", CHART, "--strict", "-f", valuesFile(release.values)]),
      ).not.toThrow();
    }
  });

  test("every rendered AppProject and Application is valid against the pinned CRD schemas", () => {
    for (const { docs } of releases) {
      expect(docs.map((d) => d.kind).sort()).toEqual([
        "AppProject",
        "Application",
        "Application",
        "Application",
        "Application",
      ]);
      expect(docs.flatMap(crdProblems)).toEqual([]);
    }
  });

  test("an AppProject per environment: its namespace only, the listed repositories, nothing cluster-scoped", () => {
    for (const { stack, docs } of releases) {
      const env = stack.split("-")[0];
      const project = docs.find((d) => d.kind === "AppProject")!;
      expect(project.metadata).toMatchObject({
        name: env,
        namespace: "argocd",
        // Where the repositories' credentials are (a Secret name, never the credentials).
        annotations: {
          "strata.dev/repository-credentials":
            "https://github.com/angzarr/deploy.git=angzarr-github,https://github.com/angzarr/infrastructure.git=angzarr-github",
        },
      });
      expect(project.spec).toMatchObject({
        destinations: [{ server: "https://kubernetes.default.svc", namespace: env }],
        sourceRepos: [
          "https://github.com/angzarr/deploy.git",
          "https://github.com/angzarr/infrastructure.git",
        ],
        clusterResourceWhitelist: [],
      });
      for (const app of docs.filter((d) => d.kind === "Application")) {
        expect(app.spec.project).toBe(env);
        expect(app.spec.destination).toEqual({
          server: "https://kubernetes.default.svc",
          namespace: env,
        });
      }
    }
  });

  test("Applications: chart and values from Git, Strata's values inline, automated sync per tier, no cascade finalizer", () => {
    for (const { stack, docs } of releases) {
      const env = stack.split("-")[0];
      for (const app of docs.filter((d) => d.kind === "Application")) {
        const name = app.metadata.name.slice(env.length + 1);
        const sources = app.spec.sources as Source[];
        expect(sources[0]).toMatchObject({
          repoURL: "https://github.com/angzarr/infrastructure.git",
          targetRevision: env === "prod" ? "v2026.11.0" : "main",
          path: "charts/service",
          helm: { releaseName: name, valueFiles: [`$values/${env}/${name}.yaml`] },
        });
        // The same wiring as under Helm: the ConfigMap and Secret Strata keeps.
        expect(sources[0].helm!.valuesObject).toMatchObject({
          envFrom: { configMaps: [`${name}-config`], secrets: [`${name}-credentials`] },
        });
        expect(sources[1]).toEqual({
          repoURL: "https://github.com/angzarr/deploy.git",
          targetRevision: "main",
          ref: "values",
        });
        expect(app.spec.syncPolicy).toMatchObject({
          automated: { prune: env !== "prod", selfHeal: true },
        });
        // staging and prod: deleting the Application orphans the workload (no finalizer).
        expect(app.metadata.finalizers).toBeUndefined();
      }
    }
  });

  test("angzarr's migration is a source of its Application: a Helm pre-install/pre-upgrade hook, Argo CD's PreSync", () => {
    for (const { stack, docs } of releases) {
      const env = stack.split("-")[0];
      const app = docs.find((d) => d.metadata.name === `${env}-angzarr`)!;
      const migration = (app.spec.sources as Source[]).find((s) => s.path === "charts/migration");
      expect(migration).toMatchObject({
        repoURL: "https://github.com/angzarr/infrastructure.git",
        helm: { releaseName: "angzarr-migrate" },
      });
      const job = parseAllDocuments(
        helm([
          "template",
          "angzarr-migrate",
          path.join(CHART, "..", "migration"),
          "-n",
          env,
          "-f",
          valuesFile(migration!.helm!.valuesObject),
        ]),
      )
        .map((d) => d.toJS() as Obj)
        .filter(Boolean);
      expect(job.map((d) => d.kind)).toEqual(["Job"]);
      // facts/argocd.json helm-hooks-map-to-presync: these annotations run it in PreSync.
      expect(job[0].metadata.annotations).toMatchObject({
        "helm.sh/hook": "pre-install,pre-upgrade",
      });
    }
  });

  test("cascadeDelete puts Argo CD's resources-finalizer on the Application", () => {
    const [{ release }] = releases;
    const values = release.values as { applications: Array<Record<string, unknown>> };
    const docs = render("x", {
      ...values,
      applications: values.applications.map((a) => ({ ...a, cascadeDelete: true })),
    });
    const apps = docs.filter((d) => d.kind === "Application");
    expect(apps.length).toBeGreaterThan(0);
    for (const a of apps)
      expect(a.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    expect(docs.flatMap(crdProblems)).toEqual([]);
  });
});
