/** `workloads.buses.kafka.engine`: Strimzi by default, the deprecated Bitnami release on request. */
import { EnvironmentSchema } from "../../environments/schema";
import { CHART_VERSIONS } from "../../environments/schema/workloads";
import { BITNAMI_IMAGES, clusterInput, clusterWorkloads, problems } from "../support/env";

describe("buses.kafka.engine", () => {
  test("Strimzi by default, with no Bitnami image location to give", () => {
    const w = clusterWorkloads({ buses: { kafka: {} } });
    expect(w.buses.kafka).toMatchObject({
      engine: "strimzi",
      migrating: false,
      releaseName: "events",
      controllers: 1,
      brokers: 0,
      images: {},
    });
    expect(w.charts.strimzi).toBe(CHART_VERSIONS.strimzi);
    expect(CHART_VERSIONS.strimzi).toBe("1.2.0");
    expect(problems(clusterInput({ buses: { kafka: {} } }))).toEqual([]);
  });

  test("bitnami keeps today's release and still needs its image location", () => {
    const w = clusterWorkloads({ images: BITNAMI_IMAGES, buses: { kafka: { engine: "bitnami" } } });
    expect(w.buses.kafka).toMatchObject({
      engine: "bitnami",
      images: { registry: BITNAMI_IMAGES.bitnami.registry },
    });
    expect(problems(clusterInput({ buses: { kafka: { engine: "bitnami" } } }))).toEqual([
      expect.stringMatching(
        /workloads\.buses\.kafka\.images: no image location for a Bitnami chart/,
      ),
    ]);
  });

  test("migrating: the Bitnami release still runs, so it still needs its images (either engine)", () => {
    for (const engine of ["strimzi", "bitnami"] as const) {
      expect(problems(clusterInput({ buses: { kafka: { engine, migrating: true } } }))).toEqual([
        expect.stringMatching(
          /workloads\.buses\.kafka\.images: no image location for a Bitnami chart/,
        ),
      ]);
    }
    const w = clusterWorkloads({ images: BITNAMI_IMAGES, buses: { kafka: { migrating: true } } });
    expect(w.buses.kafka).toMatchObject({ engine: "strimzi", migrating: true });
    expect(w.buses.kafka!.images.registry).toBe("docker.io");
  });

  test("images on a Strimzi service is refused with the fix", () => {
    expect(
      problems(clusterInput({ buses: { kafka: { images: { registry: "mirror.example.com" } } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.kafka\.images: images applies to the Bitnami release only; Strimzi's Kafka image is the operator's .*set engine: "bitnami" \(deprecated\) or migrating: true/,
      ),
    ]);
  });

  test("an unknown engine names the choices", () => {
    expect(
      problems(clusterInput({ buses: { kafka: { engine: "redpanda" as "strimzi" } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.kafka\.engine: kafka engine "redpanda" is not one of "strimzi" \(maintained; the default\) or "bitnami" \(deprecated\)/,
      ),
    ]);
  });

  test.each(["strimzi", "bitnami"] as const)(
    "%s: an even controller count is refused",
    (engine) => {
      expect(
        problems(
          clusterInput({ images: BITNAMI_IMAGES, buses: { kafka: { engine, controllers: 2 } } }),
        ),
      ).toEqual([expect.stringMatching(/buses\.kafka\.controllers: KRaft needs an odd number/)]);
    },
  );

  test("a Strimzi below the CVE floor 1.0.1 is refused; the Bitnami engine does not care", () => {
    expect(problems(clusterInput({ charts: { strimzi: "1.0.0" }, buses: { kafka: {} } }))).toEqual([
      expect.stringMatching(
        /workloads\.charts\.strimzi: Strimzi 1\.0\.0 is below 1\.0\.1: it lacks the fixes for CVE-2026-55225 and CVE-2026-55226 .*pin 1\.2\.0 or later/,
      ),
    ]);
    expect(problems(clusterInput({ charts: { strimzi: "1.0.1" }, buses: { kafka: {} } }))).toEqual(
      [],
    );
    expect(
      problems(
        clusterInput({
          images: BITNAMI_IMAGES,
          charts: { strimzi: "0.49.1" },
          buses: { kafka: { engine: "bitnami" } },
        }),
      ),
    ).toEqual([]);
  });

  test("a resolved Strimzi configuration parses again to itself", () => {
    const env = EnvironmentSchema.parse(
      clusterInput({ buses: { kafka: { controllers: 3, brokers: 3 } } }),
    );
    const again = EnvironmentSchema.parse(JSON.parse(JSON.stringify(env)));
    expect(again.workloads.buses.kafka).toEqual(env.workloads.buses.kafka);
  });
});
