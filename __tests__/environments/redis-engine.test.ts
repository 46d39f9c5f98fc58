/** `workloads.databases.redis.engine`: Valkey by default, the deprecated Bitnami release on request. */
import { EnvironmentSchema } from "../../environments/schema";
import { CHART_VERSIONS } from "../../environments/schema/workloads";
import { BITNAMI_IMAGES, clusterInput, clusterWorkloads, problems } from "../support/env";

describe("databases.redis.engine", () => {
  test("Valkey by default, with no Bitnami image location to give", () => {
    const w = clusterWorkloads({ databases: { redis: {} } });
    expect(w.databases.redis).toMatchObject({
      engine: "valkey",
      releaseName: "cache",
      sentinel: false,
      replicas: 1,
      images: {},
    });
    expect(w.charts.valkey).toBe(CHART_VERSIONS.valkey);
    expect(CHART_VERSIONS.valkey).toBe("0.25.5");
  });

  test("bitnami keeps today's release and still needs its image location", () => {
    const w = clusterWorkloads({
      images: BITNAMI_IMAGES,
      databases: { redis: { engine: "bitnami" } },
    });
    expect(w.databases.redis).toMatchObject({
      engine: "bitnami",
      images: { registry: BITNAMI_IMAGES.bitnami.registry },
    });
    expect(problems(clusterInput({ databases: { redis: { engine: "bitnami" } } }))).toEqual([
      expect.stringMatching(
        /workloads\.databases\.redis\.images: no image location for a Bitnami chart/,
      ),
    ]);
  });

  test("Valkey needs no Bitnami image location, even where the other services do", () => {
    expect(problems(clusterInput({ databases: { redis: {} } }))).toEqual([]);
  });

  test("an unknown engine names the choices", () => {
    expect(
      problems(clusterInput({ databases: { redis: { engine: "redis-stack" as "valkey" } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.redis\.engine: redis engine "redis-stack" is not one of "valkey" \(maintained; the default\) or "bitnami" \(deprecated\)/,
      ),
    ]);
  });

  test("images on a Valkey service is refused with the fix", () => {
    expect(
      problems(
        clusterInput({ databases: { redis: { images: { registry: "mirror.example.com" } } } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.redis\.images: images applies to the Bitnami engine only; Valkey's image is pinned by Strata \(docker\.io\/valkey\/valkey:9\.1\.1\): remove images, or set engine: "bitnami"/,
      ),
    ]);
  });

  test.each(["valkey", "bitnami"] as const)(
    "%s: Sentinel with 2 nodes is refused (quorum 2 needs 3)",
    (engine) => {
      expect(
        problems(
          clusterInput({
            images: BITNAMI_IMAGES,
            databases: { redis: { engine, sentinel: true, replicas: 2 } },
          }),
        ),
      ).toEqual([
        expect.stringMatching(
          /databases\.redis\.replicas: Redis with Sentinel needs at least 3 nodes \(quorum 2\), got 2/,
        ),
      ]);
    },
  );

  test("a resolved Valkey configuration parses again to itself", () => {
    const env = EnvironmentSchema.parse(clusterInput({ databases: { redis: { sentinel: true } } }));
    const again = EnvironmentSchema.parse(JSON.parse(JSON.stringify(env)));
    expect(again.workloads.databases.redis).toEqual(env.workloads.databases.redis);
  });
});
