/**
 * `workloads.buses.rabbitmq.engine`: the RabbitMQ Cluster Operator by default, the deprecated
 * Bitnami release on request; the operator installed where it is needed (owner and guests).
 */
import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import { CHART_VERSIONS, type WorkloadsInput } from "../../environments/schema/workloads";
import { loadEnvironments } from "../../environments";
import { BITNAMI_IMAGES, envInput, problems } from "../support/env";

function input(workloads: WorkloadsInput, name = "test"): EnvironmentInput {
  return envInput({
    name,
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
    workloads,
  });
}
const resolve = (w: WorkloadsInput) => EnvironmentSchema.parse(input(w)).workloads;

describe("buses.rabbitmq.engine", () => {
  test("the operator by default: no Bitnami image location, the operator on the owner's cluster", () => {
    const w = resolve({ buses: { rabbitmq: {} } });
    expect(w.buses.rabbitmq).toMatchObject({
      engine: "operator",
      releaseName: "mq",
      replicas: 1,
      plugins: [],
      images: {},
    });
    expect(w.platform.rabbitmqOperator).toMatchObject({ enabled: true, replicas: 1 });
    expect(w.charts.rabbitmqOperator).toBe(CHART_VERSIONS.rabbitmqOperator);
    expect(CHART_VERSIONS.rabbitmqOperator).toBe("0.6.5");
    expect(problems(input({ buses: { rabbitmq: {} } }))).toEqual([]);
  });

  test("no RabbitMQ, no operator, unless asked for (a guest's RabbitMQ)", () => {
    expect(resolve({}).platform.rabbitmqOperator.enabled).toBe(false);
    expect(
      resolve({ platform: { rabbitmqOperator: { enabled: true } } }).platform.rabbitmqOperator
        .enabled,
    ).toBe(true);
  });

  test("bitnami keeps today's release, needs its image location, and no operator", () => {
    const w = resolve({ images: BITNAMI_IMAGES, buses: { rabbitmq: { engine: "bitnami" } } });
    expect(w.buses.rabbitmq).toMatchObject({
      engine: "bitnami",
      images: { registry: BITNAMI_IMAGES.bitnami.registry },
    });
    expect(w.platform.rabbitmqOperator.enabled).toBe(false);
    expect(problems(input({ buses: { rabbitmq: { engine: "bitnami" } } }))).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.images: no image location for a Bitnami chart/,
      ),
    ]);
  });

  test("an unknown engine names the choices", () => {
    expect(
      problems(input({ buses: { rabbitmq: { engine: "rabbitmq-ha" as "operator" } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.engine: rabbitmq engine "rabbitmq-ha" is not one of "operator" \(the RabbitMQ Cluster Operator; the default\) or "bitnami" \(deprecated\)/,
      ),
    ]);
  });

  test("settings of the other engine are refused with the fix", () => {
    expect(
      problems(input({ buses: { rabbitmq: { images: { registry: "mirror.example.com" } } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.images: images applies to the Bitnami engine only; .*docker\.io\/library\/rabbitmq:4\.3\.5/,
      ),
    ]);
    expect(
      problems(
        input({
          images: BITNAMI_IMAGES,
          buses: { rabbitmq: { engine: "bitnami", plugins: ["rabbitmq_shovel"] } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.plugins: plugins applies to the operator engine only/,
      ),
    ]);
  });

  test("keepBitnami keeps the Bitnami release beside the cluster: it needs the Bitnami image location", () => {
    expect(
      resolve({ images: BITNAMI_IMAGES, buses: { rabbitmq: { keepBitnami: true } } }).buses
        .rabbitmq,
    ).toMatchObject({
      engine: "operator",
      keepBitnami: true,
      images: { registry: BITNAMI_IMAGES.bitnami.registry },
    });
    expect(problems(input({ buses: { rabbitmq: { keepBitnami: true } } }))).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.images: no image location for a Bitnami chart/,
      ),
    ]);
    expect(
      problems(
        input({
          images: BITNAMI_IMAGES,
          buses: { rabbitmq: { engine: "bitnami", keepBitnami: true } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.keepBitnami: keepBitnami applies to the operator engine only/,
      ),
    ]);
  });

  test("a name too long for the `<name>-cluster` release is refused", () => {
    const name = "m".repeat(46);
    expect(problems(input({ buses: { rabbitmq: { releaseName: name } } }))).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.releaseName: .* at most 45 characters: choose a shorter releaseName/,
      ),
    ]);
    expect(problems(input({ buses: { rabbitmq: { releaseName: "m".repeat(45) } } }))).toEqual([]);
  });

  test("shovel and federation, for moving messages over, are the plugins one may add", () => {
    expect(
      resolve({ buses: { rabbitmq: { plugins: ["rabbitmq_shovel", "rabbitmq_federation"] } } })
        .buses.rabbitmq?.plugins,
    ).toEqual(["rabbitmq_shovel", "rabbitmq_federation"]);
    expect(
      problems(input({ buses: { rabbitmq: { plugins: ["rabbitmq_mqtt" as "rabbitmq_shovel"] } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.buses\.rabbitmq\.plugins\[0\]: plugin "rabbitmq_mqtt" is not one Strata enables; use "rabbitmq_shovel" or "rabbitmq_federation"/,
      ),
    ]);
  });
});

describe("a guest's RabbitMQ on a shared cluster", () => {
  const owner = (platform: WorkloadsInput["platform"]) => input({ platform }, "owner");
  const guest = (engine: "operator" | "bitnami") =>
    envInput({
      name: "guest",
      targets: {},
      workloads: {
        sharedCluster: { environment: "owner", cloud: "digitalocean" },
        images: BITNAMI_IMAGES,
        buses: { rabbitmq: { engine } },
      },
    });
  const load =
    (...builtins: EnvironmentInput[]) =>
    () =>
      loadEnvironments({ builtins });

  test("needs the operator on the owner's cluster, and says where to turn it on", () => {
    expect(load(owner(undefined), guest("operator"))).toThrow(
      /guest\.workloads\.buses\.rabbitmq\.engine: RabbitMQ with engine "operator" needs the RabbitMQ Cluster Operator on owner's digitalocean cluster, which owner does not install; set workloads\.platform\.rabbitmqOperator\.enabled: true in owner/,
    );
  });

  test("is fine once the owner installs it, or on the Bitnami engine", () => {
    expect(load(owner({ rabbitmqOperator: { enabled: true } }), guest("operator"))).not.toThrow();
    expect(load(owner(undefined), guest("bitnami"))).not.toThrow();
  });
});
