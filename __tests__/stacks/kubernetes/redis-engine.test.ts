/**
 * `databases.redis.engine` end to end: the apps' REDIS_* contract on each engine, the databases
 * layer's release and its construct id (a state address), and the monitors.
 */
import fs from "node:fs";
import type { EnvironmentInput } from "../../../environments/schema";
import type { WorkloadsInput } from "../../../environments/schema/workloads";
import { appWiring } from "../../../stacks/kubernetes/wiring";
import { findMoves, type MovableStack } from "../../../stacks/moves";
import { synthesizeRealApp, type SynthesizedApp } from "../../support/app";
import { releasesOf } from "../../support/chart-values";
import { BITNAMI_IMAGES, envInput, testEnv, withImageWaivers } from "../../support/env";

const web = { image: { repository: "ghcr.io/x/web", tag: "1.0.0" }, cache: true };
const targets: EnvironmentInput["targets"] = {
  digitalocean: {
    region: "fra1",
    network: { ipRange: "10.200.0.0/20" },
    cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
  },
};
const redisEnv = (redis: NonNullable<WorkloadsInput["databases"]>["redis"]) =>
  testEnv({
    targets,
    workloads: { images: BITNAMI_IMAGES, databases: { redis }, apps: { web } },
  });
const wiring = (redis: NonNullable<WorkloadsInput["databases"]>["redis"]) => {
  const env = redisEnv(redis);
  const w = appWiring(env, "web", env.workloads.apps.web, "digitalocean");
  return {
    settings: Object.fromEntries(
      Object.entries(w.settings).filter(([k]) => k.startsWith("REDIS_")),
    ),
    secrets: w.secrets.map((s) => `${s.variable} ← ${s.secretName}/${s.key} (${s.source})`),
  };
};

describe("the apps' Redis contract", () => {
  test("Valkey with Sentinel: nodes and sentinels on the headless Service, master set mymaster", () => {
    expect(wiring({ sentinel: true })).toEqual({
      settings: {
        REDIS_HOST: "cache-valkey-headless.test.svc.cluster.local",
        REDIS_PORT: "6379",
        REDIS_SENTINEL_PORT: "26379",
        REDIS_SENTINEL_MASTER: "mymaster",
      },
      secrets: ["REDIS_PASSWORD ← cache-valkey-credentials/password (redis)"],
    });
  });

  test("Valkey standalone: the one node's Service", () => {
    expect(wiring({ sentinel: false })).toEqual({
      settings: { REDIS_HOST: "cache-valkey.test.svc.cluster.local", REDIS_PORT: "6379" },
      secrets: ["REDIS_PASSWORD ← cache-valkey-credentials/password (redis)"],
    });
  });

  test("bitnami (deprecated): exactly today's names", () => {
    expect(wiring({ engine: "bitnami", sentinel: true })).toEqual({
      settings: {
        REDIS_HOST: "cache-redis.test.svc.cluster.local",
        REDIS_PORT: "6379",
        REDIS_SENTINEL_PORT: "26379",
        REDIS_SENTINEL_MASTER: "mymaster",
      },
      secrets: ["REDIS_PASSWORD ← cache-redis-credentials/redis-password (redis)"],
    });
    expect(wiring({ engine: "bitnami", sentinel: false }).settings.REDIS_HOST).toBe(
      "cache-redis-master.test.svc.cluster.local",
    );
  });
});

describe("the databases layer per engine", () => {
  const apps = new Map<string, SynthesizedApp>();
  const synth = (engine: "valkey" | "bitnami") => {
    let app = apps.get(engine);
    if (!app) {
      const input = envInput({
        targets,
        workloads: {
          images: BITNAMI_IMAGES,
          databases: { redis: { engine, sentinel: true } },
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

  test("valkey: the CloudPirates release under construct Valkey", () => {
    const tf = synth("valkey").stacks.get("test-do-databases")!;
    const data = Object.entries(tf.resource!.helm_release).filter(
      ([id]) => !/^Monitoring_/.test(id),
    );
    expect(data.map(([id, r]) => [id.split("_")[0], r.chart])).toEqual([["Valkey", "valkey"]]);
    expect(releasesOf(tf).find((r) => r.chart === "valkey")).toMatchObject({
      repository: "oci://registry-1.docker.io/cloudpirates",
      version: "0.25.5",
    });
  });

  test("bitnami: today's release at today's address (construct Redis), so its state stays", () => {
    const tf = synth("bitnami").stacks.get("test-do-databases")!;
    expect(Object.keys(tf.resource!.helm_release).filter((id) => !/^Monitoring_/.test(id))).toEqual(
      // The address the seeds' Redis had before the engine switch (__tests__/__snapshots__ history).
      ["Redis_Chart_Release_4623C724"],
    );
    expect(releasesOf(tf).find((r) => r.chart === "redis")).toMatchObject({ version: "23.1.1" });
  });

  test("bitnami → valkey against STRATA_BASE: the release and its password move (an in-place Helm upgrade)", () => {
    const layer = (engine: "valkey" | "bitnami") =>
      synth(engine).stacks.get("test-do-databases") as unknown as MovableStack;
    expect(
      findMoves(layer("bitnami"), layer("valkey"))
        .map((m) => `${m.from} → ${m.to}`)
        .sort(),
    ).toEqual([
      "helm_release.Redis_Chart_Release_4623C724 → helm_release.Valkey_Chart_Release_B0CE1891",
      expect.stringMatching(
        /^random_password\.Redis_Credentials_RedisPassword_\w+ → random_password\.Valkey_Credentials_Password_\w+$/,
      ),
    ]);
  });

  test("monitors select the engine's metrics Service", () => {
    const monitors = (engine: "valkey" | "bitnami") =>
      JSON.stringify(synth(engine).stacks.get("test-do-databases")!.resource!.helm_release);
    expect(monitors("valkey")).toContain("cache-valkey");
    expect(monitors("valkey")).toContain("ValkeyMasterCount");
    expect(monitors("bitnami")).toContain("RedisMasterCount");
  });
});
