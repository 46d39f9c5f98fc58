/**
 * `databases.clickhouse.engine` end to end: the apps' CLICKHOUSE_* contract on each engine, the
 * databases layer's releases and their construct ids (state addresses), the operator in the
 * cluster owner's platform layer watching the namespaces of the environments that use it (a guest
 * on a shared cluster included), and keepBitnami running both releases during a migration.
 */
import fs from "node:fs";
import type { EnvironmentInput } from "../../../environments/schema";
import type { WorkloadsInput } from "../../../environments/schema/workloads";
import { appWiring } from "../../../stacks/kubernetes/wiring";
import { synthesizeRealApp, type SynthesizedApp } from "../../support/app";
import { releasesOf } from "../../support/chart-values";
import { BITNAMI_IMAGES, envInput, testEnv, withImageWaivers } from "../../support/env";

type ClickhouseInput = NonNullable<WorkloadsInput["databases"]>["clickhouse"];
const report = { image: { repository: "ghcr.io/x/report", tag: "1.0.0" }, analytics: true };
const targets: EnvironmentInput["targets"] = {
  digitalocean: {
    region: "fra1",
    network: { ipRange: "10.200.0.0/20" },
    cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
  },
};
const wiring = (clickhouse: ClickhouseInput) => {
  const env = testEnv({
    targets,
    workloads: { images: BITNAMI_IMAGES, databases: { clickhouse }, apps: { report } },
  });
  const w = appWiring(env, "report", env.workloads.apps.report, "digitalocean");
  return {
    settings: Object.fromEntries(
      Object.entries(w.settings).filter(([k]) => k.startsWith("CLICKHOUSE_")),
    ),
    secrets: w.secrets.map((s) => `${s.variable} ← ${s.secretName}/${s.key} (${s.source})`),
  };
};

describe("the apps' ClickHouse contract", () => {
  test("altinity: the operator's Service clickhouse-<installation>, user app, generated Secret", () => {
    expect(wiring({})).toEqual({
      settings: {
        CLICKHOUSE_HOST: "clickhouse-analytics.test.svc.cluster.local",
        CLICKHOUSE_PORT: "8123",
        CLICKHOUSE_USER: "app",
      },
      secrets: ["CLICKHOUSE_PASSWORD ← clickhouse-analytics-credentials/password (clickhouse)"],
    });
    // keepBitnami changes nothing for the apps: they use the new installation.
    expect(wiring({ keepBitnami: true })).toEqual(wiring({}));
  });

  test("bitnami (deprecated): exactly today's names", () => {
    expect(wiring({ engine: "bitnami" })).toEqual({
      settings: {
        CLICKHOUSE_HOST: "analytics-clickhouse.test.svc.cluster.local",
        CLICKHOUSE_PORT: "8123",
        CLICKHOUSE_USER: "default",
      },
      secrets: [
        "CLICKHOUSE_PASSWORD ← analytics-clickhouse-credentials/admin-password (clickhouse)",
      ],
    });
  });
});

describe("the platform and databases layers per engine", () => {
  const apps = new Map<string, SynthesizedApp>();
  const synth = (key: string, clickhouse: ClickhouseInput) => {
    let app = apps.get(key);
    if (!app) {
      const input = envInput({
        targets,
        workloads: {
          images: BITNAMI_IMAGES,
          databases: { clickhouse },
          platform: { monitoring: { enabled: true } },
          apps: { report },
        },
      });
      app = synthesizeRealApp(undefined, { builtins: withImageWaivers([input]) });
      apps.set(key, app);
    }
    return app;
  };
  afterAll(() => apps.forEach((a) => fs.rmSync(a.outdir, { recursive: true, force: true })));
  const dataReleases = (app: SynthesizedApp) =>
    Object.keys(app.stacks.get("test-do-databases")!.resource!.helm_release)
      .filter((id) => !/^Monitoring_/.test(id))
      .map((id) => id.split("_")[0]);

  test("altinity: the operator in the platform layer, restricted, watching the namespace; the CR chart in the databases layer", () => {
    const app = synth("altinity", {});
    const platform = app.stacks.get("test-do-platform")!;
    const operator = releasesOf(platform).find((r) => r.chart === "altinity-clickhouse-operator")!;
    expect(operator).toMatchObject({
      repository: "https://helm.altinity.com",
      version: "0.25.6",
      name: "clickhouse-operator",
    });
    expect(operator.raw.namespace).toBe("clickhouse-operator");
    expect(operator.values).toMatchObject({
      crdHook: { enabled: false },
      secret: { create: false },
      configs: { files: { "config.yaml": { watch: { namespaces: ["test"] } } } },
    });
    const namespaces = Object.values(platform.resource!.kubernetes_namespace_v1) as Array<{
      metadata: { name: string; labels: Record<string, string> };
    }>;
    expect(
      namespaces.find((n) => n.metadata.name === "clickhouse-operator")!.metadata.labels[
        "pod-security.kubernetes.io/enforce"
      ],
    ).toBe("restricted");
    expect(dataReleases(app)).toEqual(["AltinityClickhouse"]);
    const chi = releasesOf(app.stacks.get("test-do-databases")!).find((r) =>
      r.chart.startsWith("./assets/ClickhouseClusterChart/"),
    )!;
    expect(chi.name).toBe("analytics-chi");
    expect(chi.values).toMatchObject({ name: "analytics", user: { name: "app" } });
    expect(JSON.stringify(app.stacks.get("test-do-databases")!.resource!.helm_release)).toContain(
      "analytics-altinity-clickhouse",
    );
  });

  test("bitnami: today's release at today's address (construct Clickhouse), and no operator", () => {
    const app = synth("bitnami", { engine: "bitnami" });
    expect(
      Object.keys(app.stacks.get("test-do-databases")!.resource!.helm_release).filter(
        (id) => !/^Monitoring_/.test(id),
      ),
    ).toEqual(
      // The address the seeds' ClickHouse had before the engine switch (__tests__/__snapshots__ history).
      ["Clickhouse_Chart_Release_2FED6C96"],
    );
    expect(releasesOf(app.stacks.get("test-do-platform")!).map((r) => r.chart)).not.toContain(
      "altinity-clickhouse-operator",
    );
  });

  test("keepBitnami: both releases, the Bitnami one at its old address", () => {
    const app = synth("keep", { keepBitnami: true });
    expect(dataReleases(app).sort()).toEqual(["AltinityClickhouse", "Clickhouse"]);
    expect(Object.keys(app.stacks.get("test-do-databases")!.resource!.helm_release)).toContain(
      "Clickhouse_Chart_Release_2FED6C96",
    );
  });
});

describe("a shared cluster", () => {
  test("the owner installs the operator for a guest's installation and watches the guest's namespace", () => {
    const host = envInput({ name: "host", targets, workloads: { images: BITNAMI_IMAGES } });
    const guest = envInput({
      name: "guest",
      targets: {},
      workloads: {
        images: BITNAMI_IMAGES,
        sharedCluster: { environment: "host", cloud: "digitalocean" },
        databases: { clickhouse: {} },
      },
    });
    const app = synthesizeRealApp(undefined, { builtins: [host, guest] });
    try {
      const operator = releasesOf(app.stacks.get("host-do-platform")!).find(
        (r) => r.chart === "altinity-clickhouse-operator",
      )!;
      expect(operator.values).toMatchObject({
        configs: { files: { "config.yaml": { watch: { namespaces: ["guest"] } } } },
      });
      expect(releasesOf(app.stacks.get("guest-do-platform")!).map((r) => r.chart)).not.toContain(
        "altinity-clickhouse-operator",
      );
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
