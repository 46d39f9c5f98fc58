/**
 * The apps layer under each delivery mode, on the seeds: the same ConfigMaps, Secrets and values
 * whoever rolls the app out; under Argo CD one release of charts/argocd-apps instead of a release
 * per app, after everything the apps read.
 */
import fs from "node:fs";
import prod from "../../../environments/prod";
import type { EnvironmentInput } from "../../../environments/schema";
import { realApp, synthesizeRealApp } from "../../support/app";
import { applicationReleasesOf, releaseNamed, releasesOf } from "../../support/chart-values";
import type { TfJson } from "../../support/synth";

const app = realApp();
const stack = (name: string): TfJson => app.stacks.get(name)!;

describe("delivery modes on the seeds", () => {
  test("dev, and prod on GKE and EKS, keep Helm releases; prod and staging on DOKS use Argo CD", () => {
    for (const s of ["dev-do-apps", "dev-gcp-apps", "prod-gcp-apps", "prod-aws-apps"]) {
      expect(releasesOf(stack(s)).some((r) => r.chart.startsWith("./assets/ServiceChart/"))).toBe(
        true,
      );
      expect(applicationReleasesOf(stack(s), "charts/service")).toEqual([]);
    }
    for (const s of ["prod-do-apps", "staging-do-apps"]) {
      expect(releasesOf(stack(s)).map((r) => r.name)).toEqual([`${s.split("-")[0]}-apps`]);
      // No copy of charts/service or charts/migration in the stack: Argo CD renders them from Git.
      expect(JSON.stringify(stack(s))).not.toMatch(/ServiceChart|MigrationChart/);
    }
  });

  test("moving prod's DOKS apps back to Helm changes who rolls out, not the wiring: same resources at the same addresses, same values", () => {
    const helmProd: EnvironmentInput = {
      ...prod,
      workloads: {
        ...prod.workloads,
        delivery: { ...prod.workloads!.delivery, mode: "helm" },
      },
    };
    const other = synthesizeRealApp(undefined, { builtins: [helmProd] });
    try {
      const helm = other.stacks.get("prod-do-apps")!;
      const argo = stack("prod-do-apps");
      for (const type of ["kubernetes_config_map_v1", "kubernetes_secret_v1", "random_password"]) {
        expect(argo.resource![type]).toEqual(helm.resource![type]);
      }
      const viaHelm = Object.fromEntries(
        releasesOf(helm)
          .filter((r) => !r.chart.startsWith("./assets/MigrationChart/"))
          .map((r) => [r.name, r.values]),
      );
      const viaArgo = applicationReleasesOf(argo, "charts/service");
      expect(viaArgo.map((r) => r.name).sort()).toEqual(Object.keys(viaHelm).sort());
      for (const r of viaArgo) expect(r.values).toEqual(viaHelm[r.name]);
      const [migration] = applicationReleasesOf(argo, "charts/migration");
      expect(migration.values).toEqual(releaseNamed(helm, "angzarr-migrate").values);
    } finally {
      fs.rmSync(other.outdir, { recursive: true, force: true });
    }
  });

  test("the Applications' release waits for every ConfigMap and Secret the apps read", () => {
    const tf = stack("staging-do-apps");
    const [release] = releasesOf(tf);
    const deps = release.raw.depends_on as string[];
    for (const type of ["kubernetes_config_map_v1", "kubernetes_secret_v1"]) {
      for (const id of Object.keys(tf.resource![type])) expect(deps).toContain(`${type}.${id}`);
    }
  });
});
