/** The seed environments synthesize their Helm layers on each of their clusters, in order. */
import fs from "node:fs";
import { placements } from "../environments";
import prod from "../environments/prod";
import type { EnvironmentInput } from "../environments/schema";
import { CLOUD_CODE } from "../stacks/kubernetes/cluster-ref";
import { realApp, synthesizeRealApp, type SynthesizedApp } from "./support/app";
import { applicationReleasesOf, releasesOf, unknownValuePaths } from "./support/chart-values";

let app: SynthesizedApp;
beforeAll(() => {
  app = realApp();
});

describe("the seeds' Helm layers", () => {
  test("dev, staging and prod have all four layers on each cluster they run on", () => {
    const layers = Object.fromEntries(
      app.registry.all.map((env) => [
        env.name,
        placements(env).map((p) =>
          ["platform", "databases", "buses", "apps"]
            .map((l) => `${env.name}-${CLOUD_CODE[p.cloud]}-${l}`)
            .filter((s) => app.stacks.has(s)),
        ),
      ]),
    );
    expect(layers).toEqual({
      dev: ["gcp", "aws", "do"].map((c) =>
        ["platform", "databases", "buses", "apps"].map((l) => `dev-${c}-${l}`),
      ),
      staging: [["platform", "databases", "buses", "apps"].map((l) => `staging-do-${l}`)],
      prod: ["gcp", "aws", "do"].map((c) =>
        ["platform", "databases", "buses", "apps"].map((l) => `prod-${c}-${l}`),
      ),
    });
  });

  test("each layer depends on the one before; staging's platform waits for prod's", () => {
    const deps = (s: string) => app.manifest.stacks[s].dependencies;
    for (const prefix of [
      "dev-gcp",
      "dev-aws",
      "dev-do",
      "prod-gcp",
      "prod-aws",
      "prod-do",
      "staging-do",
    ]) {
      // PostgreSQL backups (staging and prod): their bucket and identity come from the data stack.
      const backups = !prefix.startsWith("dev-");
      expect(deps(`${prefix}-databases`)).toEqual([
        `${prefix}-platform`,
        ...(backups ? [`${prefix}-data`] : []),
      ]);
      expect(deps(`${prefix}-buses`)).toEqual([`${prefix}-databases`]);
      // Apps wait for the buses layer, and for the cloud-native data and messaging stacks they use.
      expect(deps(`${prefix}-apps`)[0]).toBe(`${prefix}-buses`);
      for (const dep of deps(`${prefix}-apps`).slice(1)) {
        expect(dep).toMatch(new RegExp(`^${prefix}-(data|messaging)$`));
      }
    }
    // And staging's own data stack: the Space of its PostgreSQL backups, which its key names.
    expect(deps("staging-do-platform")).toEqual([
      "prod-do-cluster",
      "prod-do-platform",
      "staging-do-data",
    ]);
  });

  test("staging's Helm stacks run on prod's DOKS cluster, in a namespace of their own", () => {
    const platform = app.stacks.get("staging-do-platform")!;
    expect(Object.values(platform.data!.digitalocean_kubernetes_cluster)).toEqual([
      expect.objectContaining({ name: "prod-doks" }),
    ]);
    const namespaces = Object.values(platform.resource!.kubernetes_namespace_v1) as Array<{
      metadata: { name: string };
    }>;
    expect(namespaces.map((n) => n.metadata.name)).toEqual(["staging"]);
    for (const layer of ["databases", "buses", "apps"]) {
      for (const r of releasesOf(app.stacks.get(`staging-do-${layer}`)!)) {
        // Argo CD delivers staging's apps: their AppProject and Applications live in argocd,
        // and the project's only destination is the staging namespace.
        const delivery = r.name === "staging-apps";
        expect({ release: r.name, namespace: r.raw.namespace }).toEqual({
          release: r.name,
          namespace: delivery ? "argocd" : "staging",
        });
        if (delivery) {
          expect(r.values.project).toMatchObject({ destination: { namespace: "staging" } });
        }
      }
    }
    expect(app.stacks.has("staging-do-cluster")).toBe(false);
  });

  test("every release of every environment sets only keys its pinned chart has", () => {
    const unknown = [...app.stacks].flatMap(([name, tf]) =>
      releasesOf(tf)
        .filter((r) => r.repository !== undefined)
        .flatMap((r) =>
          unknownValuePaths(r.chart, r.version!, r.values).map((p) => `${name}/${r.name}: ${p}`),
        ),
    );
    expect(unknown).toEqual([]);
  });

  test("prod: PostgreSQL HA, Sentinel, a 3-node RabbitMQ cluster, autoscaling and PDBs", () => {
    const byName = (stack: string) =>
      Object.fromEntries(releasesOf(app.stacks.get(stack)!).map((r) => [r.name, r]));
    const db = byName("prod-gcp-databases");
    // CloudNativePG: 3 instances, quorum synchronous replication, spread across zones.
    expect(db.db.chart).toMatch(/assets\/PostgresClusterChart\//);
    expect(db.db.values).toMatchObject({
      cluster: {
        instances: 3,
        synchronous: { method: "any", number: 1, dataDurability: "required" },
        spreadAcrossZones: true,
      },
    });
    expect(db.cache.chart).toBe("valkey");
    expect(db.cache.values).toMatchObject({
      architecture: "replication",
      sentinel: { enabled: true, quorum: 2 },
      replicaCount: 3,
    });
    expect(byName("prod-gcp-buses")["mq-cluster"].values).toMatchObject({
      name: "mq",
      replicas: 3,
    });
    expect(byName("prod-gcp-apps").backend.values).toMatchObject({
      autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10 },
      podDisruptionBudget: { enabled: true },
    });
    const staging = Object.fromEntries(
      applicationReleasesOf(app.stacks.get("staging-do-apps")!, "charts/service").map((r) => [
        r.name,
        r,
      ]),
    );
    expect(staging.backend.values).toMatchObject({
      replicaCount: 2,
      autoscaling: { enabled: false },
      podDisruptionBudget: { enabled: false },
    });
  });
});

describe("managed databases (DigitalOcean)", () => {
  test("prod's platform layer puts each managed database user's connection into a Secret, read by name", () => {
    const withManaged: EnvironmentInput = {
      ...prod,
      targets: {
        ...prod.targets,
        digitalocean: {
          ...prod.targets.digitalocean!,
          databases: {
            reason: "read by the finance team's reporting job through its Secret",
            postgres: { size: "db-s-2vcpu-4gb", databases: [{ name: "app", user: "app" }] },
          },
        },
      },
    };
    const managed = synthesizeRealApp(undefined, { builtins: [withManaged] });
    const platform = managed.stacks.get("prod-do-platform")!;
    // The managed databases' Secrets (not the ClickHouse operator's login, in its own namespace).
    const secrets = (
      Object.values(platform.resource!.kubernetes_secret_v1) as Array<{
        metadata: { name: string; namespace: string };
        data: Record<string, string>;
      }>
    ).filter((s) => s.metadata.namespace === "prod") as Array<{
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    }>;
    expect(secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual([
      "prod/managed-postgres-app",
      // The Spaces key of the in-cluster PostgreSQL's backups (docs/data-services.md#backups).
      "prod/db-backup-credentials",
    ]);
    const data = secrets[0].data;
    expect(data.password).toMatch(/^\$\{data\.digitalocean_database_user\.[^}]+\.password\}$/);
    expect(data.host).toMatch(/^\$\{data\.digitalocean_database_cluster\.[^}]+\.private_host\}$/);
    expect(Object.values(platform.data!.digitalocean_database_cluster)).toEqual([
      expect.objectContaining({ name: "prod-postgres" }),
    ]);
    expect(managed.manifest.stacks["prod-do-platform"].dependencies).toContain("prod-do-data");
    fs.rmSync(managed.outdir, { recursive: true, force: true });
  });
});
