/** `databases.redis`: Valkey (CloudPirates' chart), or the deprecated bitnami/redis. */
import { Redis, redisConnection, type RedisConnection } from "../../../modules/helm/redis";
import { Valkey, valkeyConnection } from "../../../modules/helm/valkey";
import { bitnamiImages } from "./bitnami";
import type { DataService, ServiceSettings } from "./service";

/** Where apps reach the engine's servers (with Sentinel: the sentinels and the master set). */
function connectionOf(redis: ServiceSettings<"redis">, namespace: string): RedisConnection {
  return (redis.engine === "bitnami" ? redisConnection : valkeyConnection)({
    name: redis.releaseName,
    namespace,
    sentinel: redis.sentinel,
  });
}

export const redisService = {
  key: "redis",
  secretId: "RedisSecret",
  deploy(stack, redis) {
    const { charts } = stack.env.workloads;
    const set = {
      ...stack.releaseSettings("stateful"),
      name: redis.releaseName,
      storageClass: stack.storageClass,
      storage: redis.storage,
      resources: redis.resources,
      metrics: redis.metrics,
      sentinel: redis.sentinel,
      replicas: redis.replicas,
    };
    return redis.engine === "valkey"
      ? new Valkey(stack, "Valkey", { ...set, version: charts.valkey })
      : // Deprecated (CVE-2025-49844): the same construct id as before, so the state stays put.
        new Redis(stack, "Redis", {
          ...set,
          version: charts.redis,
          images: bitnamiImages(redis.images),
        });
  },
  monitored: (redis) => ({
    kind: redis.engine === "bitnami" ? "redis" : "valkey",
    release: redis.releaseName,
    topology: { replicated: redis.sentinel },
  }),
  connection: connectionOf,
  wire(redis, namespace) {
    const c = connectionOf(redis, namespace);
    return {
      settings: {
        REDIS_HOST: c.host,
        REDIS_PORT: String(c.port),
        ...(c.sentinel && {
          REDIS_SENTINEL_PORT: String(c.sentinel.port),
          REDIS_SENTINEL_MASTER: c.sentinel.masterSet,
        }),
      },
      secrets: [
        {
          variable: "REDIS_PASSWORD",
          source: "redis",
          secretName: c.secretName,
          key: c.passwordKey,
        },
      ],
    };
  },
} satisfies DataService<"redis", RedisConnection>;
