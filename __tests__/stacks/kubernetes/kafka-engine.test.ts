/**
 * `buses.kafka.engine` end to end: the apps' KAFKA_* contract on each engine, the buses layer's
 * releases and their construct ids (state addresses), the Bitnami release kept beside Strimzi
 * while migrating, the operator in the cluster owner's platform layer (also for a guest's Kafka),
 * and the monitors.
 */
import fs from "node:fs";
import type { EnvironmentInput } from "../../../environments/schema";
import type { WorkloadsInput } from "../../../environments/schema/workloads";
import { appWiring } from "../../../stacks/kubernetes/wiring";
import { findMoves, type MovableStack } from "../../../stacks/moves";
import { synthesizeRealApp, type SynthesizedApp } from "../../support/app";
import { releasesOf } from "../../support/chart-values";
import { BITNAMI_IMAGES, testEnv, withImageWaivers } from "../../support/env";

type KafkaInput = NonNullable<WorkloadsInput["buses"]>["kafka"];

const worker = { image: { repository: "ghcr.io/x/worker", tag: "1.0.0" }, bus: "kafka" as const };
const doTargets = (ipRange: string): EnvironmentInput["targets"] => ({
  digitalocean: {
    region: "fra1",
    network: { ipRange },
    cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
  },
});
const env = (name: string, ipRange: string, kafka: KafkaInput, monitoring = false) =>
  ({
    name,
    tier: "dev",
    owner: "platform",
    team: "core",
    targets: doTargets(ipRange),
    workloads: {
      images: BITNAMI_IMAGES,
      buses: { kafka },
      platform: { monitoring: { enabled: monitoring } },
      apps: { worker },
    },
  }) satisfies EnvironmentInput;

const wiring = (kafka: KafkaInput) => {
  const e = testEnv({
    targets: doTargets("10.200.0.0/20"),
    workloads: { images: BITNAMI_IMAGES, buses: { kafka }, apps: { worker } },
  });
  const w = appWiring(e, "worker", e.workloads.apps.worker, "digitalocean");
  return {
    settings: Object.fromEntries(
      Object.entries(w.settings).filter(([k]) => k.startsWith("KAFKA_")),
    ),
    secrets: w.secrets.map((s) => `${s.variable} ← ${s.secretName}/${s.key} (${s.source})`),
  };
};

describe("the apps' Kafka contract", () => {
  test("strimzi: the bootstrap Service, SCRAM-SHA-512, the KafkaUser and the password Strata generated", () => {
    expect(wiring({})).toEqual({
      settings: {
        KAFKA_BOOTSTRAP_SERVERS: "events-kafka-bootstrap.test.svc.cluster.local:9092",
        KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
        KAFKA_USERNAME: "events-app",
        KAFKA_TOPIC: "events",
      },
      secrets: ["KAFKA_PASSWORD ← events-app-password/password (kafka)"],
    });
  });

  test("migrating: both clusters run, and the apps use the engine's", () => {
    expect(wiring({ migrating: true })).toEqual(wiring({}));
    expect(wiring({ engine: "bitnami", migrating: true })).toEqual(wiring({ engine: "bitnami" }));
  });

  test("bitnami (deprecated): exactly today's names", () => {
    expect(wiring({ engine: "bitnami" })).toEqual({
      settings: {
        KAFKA_BOOTSTRAP_SERVERS: "events-kafka.test.svc.cluster.local:9092",
        KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
        KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
        KAFKA_USERNAME: "app",
        KAFKA_TOPIC: "events",
      },
      secrets: ["KAFKA_PASSWORD ← events-kafka-credentials/client-passwords (kafka)"],
    });
  });
});

describe("the buses and platform layers per engine", () => {
  let app: SynthesizedApp;
  beforeAll(() => {
    const host: EnvironmentInput = {
      name: "host",
      tier: "dev",
      owner: "platform",
      team: "core",
      targets: doTargets("10.210.0.0/20"),
      workloads: {
        images: BITNAMI_IMAGES,
        apps: { web: { image: { repository: "ghcr.io/x/web", tag: "1" } } },
      },
    };
    const guest: EnvironmentInput = {
      name: "guest",
      tier: "dev",
      owner: "platform",
      team: "core",
      targets: { gcp: { project: "strata-guest", region: "europe-west1" } },
      workloads: {
        sharedCluster: { environment: "host", cloud: "digitalocean" },
        buses: { kafka: {} },
        platform: { monitoring: { enabled: true } },
        apps: { worker },
      },
    };
    app = synthesizeRealApp(undefined, {
      builtins: withImageWaivers([
        host,
        guest,
        env("old", "10.220.0.0/20", { engine: "bitnami" }),
        env("mid", "10.230.0.0/20", { migrating: true }),
        env("pre", "10.250.0.0/20", { engine: "bitnami", migrating: true }),
        env("new", "10.240.0.0/20", { controllers: 3, brokers: 3 }, true),
      ]),
    });
  });
  afterAll(() => fs.rmSync(app.outdir, { recursive: true, force: true }));
  const stack = (name: string) => app.stacks.get(name)!;
  const dataReleases = (name: string) =>
    Object.entries(stack(name).resource!.helm_release)
      .filter(([id]) => !/^Monitoring_/.test(id))
      .map(([id, r]) => [id, r.name]);

  test("strimzi: the custom resources' release under construct KafkaCluster, its password beside it", () => {
    expect(dataReleases("new-do-buses")).toEqual([
      [expect.stringMatching(/^KafkaCluster_Chart_Release_/), "events-strimzi"],
    ]);
    const r = releasesOf(stack("new-do-buses")).find((x) => x.name === "events-strimzi")!;
    expect(r.chart).toMatch(/^\.\/assets\/KafkaClusterChart\//);
    expect(r.values).toMatchObject({
      name: "events",
      kafka: {
        // DOKS nodes carry no zone label (stacks/kubernetes/layer.ts nodesHaveZones): no rack awareness.
        rackTopologyKey: "",
        metrics: true,
        config: { "default.replication.factor": 3, "min.insync.replicas": 2 },
      },
      nodePools: [
        { name: "controllers", roles: ["controller"], replicas: 3 },
        { name: "brokers", roles: ["broker"], replicas: 3 },
      ],
      topic: { name: "events", replicas: 3 },
      user: { name: "events-app", passwordSecret: { name: "events-app-password" } },
    });
    expect(r.raw.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_secret_v1\.KafkaCluster_/),
    ]);
  });

  test("bitnami: today's release at today's address (construct Kafka), so its state stays", () => {
    // The address the seeds' Kafka had before the engine switch (__tests__/__snapshots__ history).
    expect(dataReleases("old-do-buses")).toEqual([["Kafka_Chart_Release_6A221DFE", "events"]]);
  });

  test("migrating (either engine): the Bitnami release stays at its address beside the Strimzi cluster", () => {
    for (const name of ["mid-do-buses", "pre-do-buses"]) {
      expect(dataReleases(name).sort()).toEqual([
        ["KafkaCluster_Chart_Release_7ADA1722", "events-strimzi"],
        ["Kafka_Chart_Release_6A221DFE", "events"],
      ]);
    }
    // The operator comes with the Strimzi cluster, whichever engine the apps use.
    expect(
      releasesOf(stack("pre-do-platform")).filter((r) => r.chart === "strimzi-kafka-operator"),
    ).toHaveLength(1);
  });

  test("bitnami → strimzi is a new cluster, never a move of the Bitnami release or its passwords", () => {
    const layer = (name: string) => stack(name) as unknown as MovableStack;
    expect(findMoves(layer("old-do-buses"), layer("new-do-buses"))).toEqual([]);
    expect(findMoves(layer("old-do-buses"), layer("pre-do-buses"))).toEqual([]);
    expect(findMoves(layer("pre-do-buses"), layer("mid-do-buses"))).toEqual([]);
  });

  test("the operator runs in the cluster owner's platform layer, also when only a guest uses it", () => {
    const operator = (name: string) =>
      releasesOf(stack(name)).filter((r) => r.chart === "strimzi-kafka-operator");
    const [op] = operator("host-do-platform");
    expect(op.raw.namespace).toBe("strimzi");
    expect(op).toMatchObject({
      name: "strimzi",
      repository: "oci://quay.io/strimzi-helm",
      version: "1.2.0",
      values: {
        watchAnyNamespace: true,
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
      },
    });
    expect(operator("guest-do-platform")).toEqual([]);
    expect(operator("new-do-platform")).toHaveLength(1);
    // Bitnami only: no operator.
    expect(operator("old-do-platform")).toEqual([]);
    // The guest's Kafka comes after the owner's platform layer (the CRDs and the operator).
    expect(app.manifest.stacks["guest-do-platform"].dependencies).toContain("host-do-platform");
    expect(dataReleases("guest-do-buses")).toEqual([
      [expect.stringMatching(/^KafkaCluster_/), "events-strimzi"],
    ]);
  });

  test("the operator's namespace enforces Pod Security restricted", () => {
    const ns = Object.values(stack("host-do-platform").resource!.kubernetes_namespace_v1).find(
      (n) => (n.metadata as { name: string }).name === "strimzi",
    ) as { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("monitors select the Strimzi pods and use the Strimzi Metrics Reporter's names", () => {
    const monitors = JSON.stringify(stack("new-do-buses").resource!.helm_release);
    expect(monitors).toContain("events-strimzi");
    expect(monitors).toContain("tcp-prometheus");
    expect(monitors).toContain("kafka_server_replicamanager_underreplicatedpartitions");
    expect(monitors).not.toContain("_value{");
  });
});
