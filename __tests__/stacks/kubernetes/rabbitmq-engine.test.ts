/**
 * `buses.rabbitmq.engine` end to end: the apps' AMQP_* contract on each engine, the buses layer's
 * release and its construct id (a state address), the operator in the platform layer, monitors.
 */
import fs from "node:fs";
import type { EnvironmentInput } from "../../../environments/schema";
import type { WorkloadsInput } from "../../../environments/schema/workloads";
import { appWiring } from "../../../stacks/kubernetes/wiring";
import { findMoves, type MovableStack } from "../../../stacks/moves";
import { synthesizeRealApp, type SynthesizedApp } from "../../support/app";
import { releasesOf } from "../../support/chart-values";
import { BITNAMI_IMAGES, envInput, testEnv, withImageWaivers } from "../../support/env";

const web = { image: { repository: "ghcr.io/x/web", tag: "1.0.0" }, bus: "rabbitmq" as const };
const targets: EnvironmentInput["targets"] = {
  digitalocean: {
    region: "fra1",
    network: { ipRange: "10.200.0.0/20" },
    cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
  },
};
type Mq = NonNullable<WorkloadsInput["buses"]>["rabbitmq"];
const wiring = (rabbitmq: Mq) => {
  const env = testEnv({
    targets,
    workloads: { images: BITNAMI_IMAGES, buses: { rabbitmq }, apps: { web } },
  });
  const w = appWiring(env, "web", env.workloads.apps.web, "digitalocean");
  return {
    settings: Object.fromEntries(Object.entries(w.settings).filter(([k]) => k.startsWith("AMQP_"))),
    secrets: w.secrets.map(
      (s) => `${s.variable} ← ${s.secretName}/${s.key}${s.format ? " (formatted)" : ""}`,
    ),
  };
};

describe("the apps' AMQP contract", () => {
  test("operator: the client Service <name>.<ns>.svc, every credential from <name>-default-user", () => {
    expect(wiring({})).toEqual({
      settings: { AMQP_HOST: "mq.test.svc", AMQP_PORT: "5672", AMQP_EXCHANGE: "events" },
      secrets: [
        "AMQP_USER ← mq-default-user/username",
        "AMQP_PASSWORD ← mq-default-user/password",
        "AMQP_URL ← mq-default-user/connection_string",
      ],
    });
  });

  test("bitnami (deprecated): exactly today's names", () => {
    expect(wiring({ engine: "bitnami" })).toEqual({
      settings: {
        AMQP_HOST: "mq-rabbitmq.test.svc.cluster.local",
        AMQP_PORT: "5672",
        AMQP_USER: "app",
        AMQP_EXCHANGE: "events",
      },
      secrets: [
        "AMQP_PASSWORD ← mq-rabbitmq-credentials/rabbitmq-password",
        "AMQP_URL ← mq-rabbitmq-credentials/rabbitmq-password (formatted)",
      ],
    });
  });
});

describe("the layers per engine", () => {
  const apps = new Map<string, SynthesizedApp>();
  const synth = (engine: "operator" | "bitnami" | "keepBitnami") => {
    let app = apps.get(engine);
    if (!app) {
      const input = envInput({
        targets,
        workloads: {
          images: BITNAMI_IMAGES,
          buses: {
            rabbitmq:
              engine === "keepBitnami"
                ? { keepBitnami: true, plugins: ["rabbitmq_shovel"], replicas: 3 }
                : { engine, replicas: 3 },
          },
          platform: { monitoring: { enabled: true } },
          apps: { web },
        },
      });
      // The Bitnami engine runs frozen images: waived, as an environment would (IMG-1, IMG-3).
      app = synthesizeRealApp(undefined, { builtins: withImageWaivers([input]) });
      apps.set(engine, app);
    }
    return app;
  };
  afterAll(() => apps.forEach((a) => fs.rmSync(a.outdir, { recursive: true, force: true })));
  const data = (engine: "operator" | "bitnami" | "keepBitnami") =>
    Object.entries(synth(engine).stacks.get("test-do-buses")!.resource!.helm_release).filter(
      ([id]) => !/^Monitoring_/.test(id),
    );

  test("operator: charts/rabbitmq-cluster as release <name>-cluster under construct RabbitmqCluster", () => {
    expect(data("operator").map(([id, r]) => [id.split("_")[0], r.name])).toEqual([
      ["RabbitmqCluster", "mq-cluster"],
    ]);
    expect(String(data("operator")[0][1].chart)).toMatch(/^\.\/assets\/RabbitmqClusterChart\//);
  });

  test("operator: the platform layer installs the operator in rabbitmq-system, restricted", () => {
    const platform = synth("operator").stacks.get("test-do-platform")!;
    const release = releasesOf(platform).find((r) => r.chart === "rabbitmq-cluster-operator");
    expect(release).toMatchObject({
      repository: "oci://registry-1.docker.io/cloudpirates",
      version: "0.6.5",
      raw: expect.objectContaining({ namespace: "rabbitmq-system" }),
      values: expect.objectContaining({
        msgTopologyOperator: { enabled: false },
        clusterOperator: expect.objectContaining({ webhook: { enabled: false } }),
      }),
    });
    const ns = Object.values(platform.resource!.kubernetes_namespace_v1 ?? {}).find(
      (n) =>
        (n.metadata as Array<{ name: string }> | { name: string }) &&
        JSON.stringify(n.metadata).includes('"name":"rabbitmq-system"'),
    );
    expect(JSON.stringify(ns)).toContain('"pod-security.kubernetes.io/enforce":"restricted"');
    expect(
      releasesOf(synth("bitnami").stacks.get("test-do-platform")!).map((r) => r.chart),
    ).not.toContain("rabbitmq-cluster-operator");
  });

  test("bitnami: today's release at today's address (construct Rabbitmq), so its state stays", () => {
    expect(data("bitnami").map(([id]) => id)).toEqual(
      // The address the seeds' RabbitMQ had before the engine switch (__tests__/__snapshots__ history).
      ["Rabbitmq_Chart_Release_3649EF92"],
    );
  });

  test("bitnami → operator moves nothing: a new cluster beside the old one (blue-green), never an in-place swap", () => {
    const layer = (engine: "operator" | "bitnami") =>
      synth(engine).stacks.get("test-do-buses") as unknown as MovableStack;
    expect(findMoves(layer("bitnami"), layer("operator"))).toEqual([]);
    // Different Helm release names: the plan may create one and destroy the other in any order.
    expect(data("bitnami")[0][1].name).not.toBe(data("operator")[0][1].name);
  });

  test("keepBitnami: both side by side while messages move (the old one at its address), the shovel plugin on", () => {
    expect(data("keepBitnami").map(([id, r]) => [id, r.name])).toEqual([
      [expect.stringMatching(/^RabbitmqCluster_Chart_Release_/), "mq-cluster"],
      ["Rabbitmq_Chart_Release_3649EF92", "mq"],
    ]);
    expect(String(data("keepBitnami")[0][1].values)).toContain("- rabbitmq_shovel");
    const layer = (engine: "operator" | "keepBitnami") =>
      synth(engine).stacks.get("test-do-buses") as unknown as MovableStack;
    expect(findMoves(layer("keepBitnami"), layer("operator"))).toEqual([]);
  });

  test("monitors select the engine's metrics Service", () => {
    const monitors = (engine: "operator" | "bitnami") =>
      JSON.stringify(synth(engine).stacks.get("test-do-buses")!.resource!.helm_release);
    expect(monitors("operator")).toContain("port: prometheus");
    expect(monitors("operator")).toContain("strata_kind: rabbitmq-cluster");
    expect(monitors("bitnami")).toContain("strata_kind: rabbitmq\\n");
  });
});
