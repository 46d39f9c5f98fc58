import { TerraformStack, Testing } from "cdktf";
import { Redis, redisConnection, type RedisProps } from "../../../modules/helm/redis";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { BITNAMI, imagesIn, synthScope } from "./helpers";

const props: RedisProps = { ...BITNAMI, name: "cache" };
const synth = (p: Partial<RedisProps> = {}) =>
  synthScope((scope) => new Redis(scope, "Redis", { ...props, ...p }));

describe("Redis (bitnami/redis)", () => {
  test("pinned 23.1.1; every values key exists in it (sentinel, standalone, metrics)", () => {
    for (const tf of [synth(), synth({ sentinel: false }), synth({ metrics: true })]) {
      const r = releaseNamed(tf, "cache");
      expect(r).toMatchObject({ chart: "redis", version: "23.1.1" });
      expect(unknownValuePaths("redis", r.version!, r.values)).toEqual([]);
    }
  });

  test("Sentinel by default: replication with 3 nodes, password on the sentinels too", () => {
    const { values } = releaseNamed(synth(), "cache");
    expect(values.architecture).toBe("replication");
    expect(values.sentinel).toMatchObject({ enabled: true, masterSet: "mymaster" });
    expect(values.replica).toMatchObject({ replicaCount: 3 });
    expect(values.auth).toEqual({
      enabled: true,
      sentinel: true,
      existingSecret: "cache-redis-credentials",
      existingSecretPasswordKey: "redis-password",
    });
  });

  test("every image (redis, sentinel, exporter, os-shell, kubectl) from the configured location", () => {
    const { values } = releaseNamed(synth(), "cache");
    expect(
      imagesIn(values)
        .map(([p, i]) => `${p}=${String(i.registry)}/${String(i.repository)}`)
        .sort(),
    ).toEqual([
      "image=registry.example.com/mirror/redis",
      "kubectl.image=registry.example.com/mirror/kubectl",
      "metrics.image=registry.example.com/mirror/redis-exporter",
      "sentinel.image=registry.example.com/mirror/redis-sentinel",
      "sysctl.image=registry.example.com/mirror/os-shell",
      "volumePermissions.image=registry.example.com/mirror/os-shell",
    ]);
  });

  test("volumes per node, retained", () => {
    const { values } = releaseNamed(synth({ storage: "4Gi" }), "cache");
    for (const role of ["master", "replica"]) {
      expect(values[role]).toMatchObject({
        persistence: { enabled: true, size: "4Gi", storageClass: "standard-rwo" },
        persistentVolumeClaimRetentionPolicy: { enabled: true, whenDeleted: "Retain" },
      });
    }
  });

  test("sentinel: false is one standalone master", () => {
    const { values } = releaseNamed(synth({ sentinel: false }), "cache");
    expect(values.architecture).toBe("standalone");
    expect(values.replica).toMatchObject({ replicaCount: 0 });
    expect(redisConnection({ ...props, sentinel: false }).host).toBe(
      "cache-redis-master.test.svc.cluster.local",
    );
  });

  test("connection: the sentinel-aware service with both ports", () => {
    const redis = new Redis(new TerraformStack(Testing.app(), "s"), "Redis", props);
    expect(redis.connection).toEqual({
      host: "cache-redis.test.svc.cluster.local",
      port: 6379,
      sentinel: { port: 26379, masterSet: "mymaster" },
      secretName: "cache-redis-credentials",
      passwordKey: "redis-password",
    });
    expect(redisConnection(props)).toEqual(redis.connection);
  });

  test("Sentinel with fewer than 3 nodes", () => {
    expect(() => synth({ replicas: 2 })).toThrow(
      /replicas \(2\) must be an integer >= 3: Sentinel/,
    );
  });
});
