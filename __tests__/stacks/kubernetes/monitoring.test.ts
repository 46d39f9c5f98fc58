/**
 * Monitoring in the Helm layers: kube-prometheus-stack on clusters the environment owns, the
 * monitors and rules of each layer, guests following their cluster's owner.
 */
import fs from "node:fs";
import { parse } from "yaml";
import type { EnvironmentInput } from "../../../environments/schema";
import { synthesizeRealApp, type SynthesizedApp } from "../../support/app";
import { releasesOf } from "../../support/chart-values";
import { BITNAMI_IMAGES, envInput, withImageWaivers } from "../../support/env";
import type { TfJson } from "../../support/synth";

const backend = { type: "gcs", bucket: "strata-state", prefix: "x" } as const;
const bitnami = { images: BITNAMI_IMAGES };

/** A prod-tier owner of a DOKS cluster with PostgreSQL HA, Redis, RabbitMQ, Kafka and two apps. */
function owner(monitoring: object = {}): EnvironmentInput {
  return envInput({
    name: "shop",
    tier: "prod",
    backend,
    // A prod-tier environment needs a channel for critical cloud alerts (environments/schema/alerts.ts).
    alerts: { channels: { oncall: { type: "email", address: "oncall@example.com" } } },
    targets: {
      digitalocean: {
        region: "fra1",
        network: { ipRange: "10.200.0.0/20" },
        cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
      },
    },
    workloads: {
      ...bitnami,
      // A prod-tier cluster's in-cluster alerts need a receiver (checkMonitoringRecipients).
      platform: {
        monitoring: {
          receivers: { pager: { type: "pagerduty", secret: { name: "pd", key: "routingKey" } } },
          ...monitoring,
        },
      },
      databases: { postgresql: {}, redis: { metrics: false } },
      buses: { rabbitmq: {}, kafka: {} },
      apps: {
        web: {
          image: { repository: "ghcr.io/x/web", tag: "1.0.0" },
          database: true,
          metrics: { path: "/internal/metrics" },
        },
        worker: { image: { repository: "ghcr.io/x/worker", tag: "1.0.0" }, bus: "rabbitmq" },
      },
    },
  });
}

/** A staging-tier guest on the owner's cluster. */
function guest(monitoring: object = {}): EnvironmentInput {
  return envInput({
    name: "shopstg",
    tier: "staging",
    backend,
    targets: { digitalocean: { region: "fra1", network: { ipRange: "10.201.0.0/20" } } },
    workloads: {
      ...bitnami,
      sharedCluster: { environment: "shop", cloud: "digitalocean" },
      platform: { monitoring },
      databases: { postgresql: {} },
    },
  });
}

const apps: SynthesizedApp[] = [];
function synth(envs: EnvironmentInput[]): SynthesizedApp {
  const app = synthesizeRealApp(undefined, { builtins: withImageWaivers(envs) });
  apps.push(app);
  return app;
}
afterAll(() => apps.forEach((a) => fs.rmSync(a.outdir, { recursive: true, force: true })));

const stack = (app: SynthesizedApp, name: string): TfJson => {
  const tf = app.stacks.get(name);
  if (!tf) throw new Error(`no stack ${name}`);
  return tf;
};
const release = (tf: TfJson, name: string) => releasesOf(tf).find((r) => r.name === name);
interface MonitoringValues {
  serviceMonitors: Array<{ name: string; path: string }>;
  podMonitors: Array<{ name: string; path: string }>;
  ruleGroups: Array<{ name: string; rules: Array<{ alert: string }> }>;
}
const monitoringValues = (tf: TfJson, name: string) =>
  release(tf, name)?.values as unknown as MonitoringValues | undefined;

describe("an owner with monitoring on (prod tier)", () => {
  const app = synth([owner(), guest()]);
  const platform = stack(app, "shop-do-platform");

  test("kube-prometheus-stack in namespace monitoring, Pod Security restricted", () => {
    const kps = release(platform, "kube-prometheus-stack")!;
    expect(kps.raw).toMatchObject({
      namespace: "monitoring",
      version: "88.5.3",
      atomic: true,
      depends_on: [expect.stringMatching(/^kubernetes_namespace_v1\.MonitoringNamespace_/)],
    });
    const ns = Object.entries(platform.resource!.kubernetes_namespace_v1).find(([id]) =>
      id.startsWith("MonitoringNamespace_"),
    )![1];
    expect((ns.metadata as { name: string; labels: Record<string, string> }).labels).toMatchObject({
      "kubernetes.io/metadata.name": "monitoring",
      "pod-security.kubernetes.io/enforce": "restricted",
    });
  });

  test("namespace and cluster rules after the stack's CRDs; the guest's namespace rules only", () => {
    const alerts = release(platform, "strata-alerts")!;
    expect(alerts.raw.namespace).toBe("shop");
    expect(alerts.raw.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.KubePrometheusStack_/)]),
    );
    expect(monitoringValues(platform, "strata-alerts")!.ruleGroups.map((g) => g.name)).toEqual([
      "shop.kubernetes",
      "cluster.capacity",
    ]);
    const guestPlatform = stack(app, "shopstg-do-platform");
    expect(release(guestPlatform, "kube-prometheus-stack")).toBeUndefined();
    expect(monitoringValues(guestPlatform, "strata-alerts")!.ruleGroups.map((g) => g.name)).toEqual(
      ["shopstg.kubernetes"],
    );
    // The guest's platform layer runs after the owner's (CRDs first).
    expect(app.manifest.stacks["shopstg-do-platform"].dependencies).toContain("shop-do-platform");
  });

  test("a monitor and rules per service whose exporter is on (Redis's is off here)", () => {
    const db = monitoringValues(stack(app, "shop-do-databases"), "strata-databases-monitoring")!;
    // CloudNativePG: a PodMonitor on the instance pods (they serve their own metrics).
    expect(db.serviceMonitors.map((m) => m.name)).toEqual([]);
    expect(db.podMonitors.map((m) => m.name)).toEqual(["db-cloudnativepg"]);
    expect(db.ruleGroups.map((g) => g.name)).toEqual(["shop.db"]);
    expect(db.ruleGroups[0].rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "PostgresqlDown",
        "PostgresqlWalArchiveFailing",
        "PostgresqlReplicationLag",
        "PostgresqlNoPrimary",
      ]),
    );
    const buses = monitoringValues(stack(app, "shop-do-buses"), "strata-buses-monitoring")!;
    expect(buses.serviceMonitors.map((m) => m.name)).toEqual(["mq-rabbitmq-cluster"]);
    // Kafka on Strimzi (the default engine): a PodMonitor of its nodes.
    expect(buses.podMonitors.map((m) => m.name)).toEqual(["events-strimzi"]);
    // The exporters the monitors scrape are on in the charts.
    const pg = release(stack(app, "shop-do-databases"), "db")!;
    expect(pg.chart).toMatch(/assets\/PostgresClusterChart\//);
  });

  test("an app with metrics gets a PodMonitor, and its NetworkPolicy admits namespace monitoring", () => {
    const appsTf = stack(app, "shop-do-apps");
    const m = monitoringValues(appsTf, "strata-apps-monitoring")!;
    expect(m.podMonitors).toEqual([
      expect.objectContaining({ name: "web-app", path: "/internal/metrics" }),
    ]);
    const web = release(appsTf, "web")!;
    expect(web.values.networkPolicy).toEqual({
      enabled: true,
      allowFromNamespaces: ["monitoring"],
      allowFrom: [],
    });
    expect(release(appsTf, "worker")!.values.networkPolicy).toEqual({
      enabled: true,
      allowFromNamespaces: [],
      allowFrom: [],
    });
  });

  test("no receiver credential in any stack: only file paths under the Secrets' mount", () => {
    const withReceivers = synth([
      owner({
        receivers: { pager: { type: "pagerduty", secret: { name: "pagerduty", key: "key" } } },
      }),
    ]);
    const kps = release(stack(withReceivers, "shop-do-platform"), "kube-prometheus-stack")!;
    const config = (kps.values.alertmanager as { config: { receivers: unknown[] } }).config;
    expect(config.receivers).toContainEqual({
      name: "pager",
      pagerduty_configs: [
        { send_resolved: true, routing_key_file: "/etc/alertmanager/receivers/pagerduty/key" },
      ],
    });
    expect(parse((kps.raw.values as string[])[0])).toEqual(kps.values);
  });
});

describe("monitoring off", () => {
  test("an owner with it off: no stack, no monitors, and its guest's monitors are left out too", () => {
    const app = synth([owner({ enabled: false }), guest({ enabled: true })]);
    for (const [name, tf] of app.stacks) {
      const names = releasesOf(tf).map((r) => r.name);
      expect([name, names.filter((n) => /^strata-|prometheus/.test(n))]).toEqual([name, []]);
    }
  });

  test("dev tier: off unless turned on", () => {
    const dev = envInput({
      targets: {
        digitalocean: {
          region: "fra1",
          network: { ipRange: "10.200.0.0/20" },
          cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
        },
      },
      workloads: { ...bitnami, databases: { postgresql: {} } },
    });
    const app = synth([dev]);
    expect(releasesOf(stack(app, "test-do-platform")).map((r) => r.name)).not.toContain(
      "kube-prometheus-stack",
    );
    const on = synth([
      { ...dev, workloads: { ...dev.workloads, platform: { monitoring: { enabled: true } } } },
    ]);
    expect(releasesOf(stack(on, "test-do-platform")).map((r) => r.name)).toEqual(
      expect.arrayContaining(["kube-prometheus-stack", "strata-alerts"]),
    );
    const pg = monitoringValues(stack(on, "test-do-databases"), "strata-databases-monitoring")!;
    expect(pg.podMonitors.map((m) => m.name)).toEqual(["db-cloudnativepg"]);
  });
});
