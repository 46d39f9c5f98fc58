import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import type { WorkloadsInput } from "../../environments/schema/workloads";
import { BITNAMI_IMAGES, envInput, problems } from "../support/env";

const app = { image: { repository: "ghcr.io/x/app", tag: "1.0.0" } };

function input(
  workloads: WorkloadsInput,
  overrides: Partial<EnvironmentInput> = {},
): EnvironmentInput {
  return envInput({
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
      aws: { region: "eu-west-1", cluster: {} },
    },
    workloads: { images: BITNAMI_IMAGES, ...workloads },
    ...overrides,
  });
}
const parse = (w: WorkloadsInput, o: Partial<EnvironmentInput> = {}) =>
  EnvironmentSchema.parse(input(w, o)).workloads;
const PROD = {
  tier: "prod",
  backend: { type: "s3", bucket: "tf-state", region: "eu-west-1" },
} as const;

describe("ClickHouse and Meilisearch defaults", () => {
  test("dev: one ClickHouse server without Keeper, Meilisearch at the pin's image; charts pinned", () => {
    const w = parse({ databases: { clickhouse: {}, meilisearch: {} } });
    expect(w.charts).toMatchObject({
      clickhouse: "9.4.7",
      clickhouseOperator: "0.25.6",
      meilisearch: "0.34.0",
    });
    expect(w.databases.clickhouse).toMatchObject({
      releaseName: "analytics",
      engine: "altinity",
      keepBitnami: false,
      shards: 1,
      replicas: 1,
      keeperReplicas: 0,
      username: "app",
      storage: "8Gi",
      // The Altinity engine's images are Strata's pins: no Bitnami location applies.
      images: { registry: undefined, namespace: undefined },
    });
    const bitnami = parse({ databases: { clickhouse: { engine: "bitnami" } } });
    expect(bitnami.databases.clickhouse).toMatchObject({
      engine: "bitnami",
      username: "default",
      images: { registry: "docker.io", namespace: "bitnamilegacy" },
    });
    expect(w.databases.meilisearch).toMatchObject({
      releaseName: "search",
      image: { repository: "docker.io/getmeili/meilisearch", tag: "v1.48.3" },
      storage: "5Gi",
    });
  });

  test("prod: 1 shard × 2 replicas with a 3-node Keeper, large sizes", () => {
    const w = parse({ databases: { clickhouse: {}, meilisearch: {} } }, PROD);
    expect(w.databases.clickhouse).toMatchObject({
      shards: 1,
      replicas: 2,
      keeperReplicas: 3,
      storage: "100Gi",
      keeperResources: { requests: { cpu: "250m" } },
    });
    expect(w.databases.meilisearch).toMatchObject({ storage: "50Gi" });
  });

  test("prod with keeperReplicas 0 opts out of replication", () => {
    const w = parse({ databases: { clickhouse: { keeperReplicas: 0 } } }, PROD);
    expect(w.databases.clickhouse).toMatchObject({ replicas: 1, keeperReplicas: 0 });
  });

  test("apps: analytics and search off by default, placed where they exist", () => {
    const w = parse({
      databases: { clickhouse: { clouds: ["aws"] }, meilisearch: {} },
      apps: { plain: app, report: { ...app, analytics: true }, find: { ...app, search: true } },
    });
    expect(w.apps.plain).toMatchObject({ analytics: false, search: false });
    expect(w.apps.report.clouds).toEqual(["aws"]);
    expect(w.apps.find.clouds).toEqual(["aws", "digitalocean"]);
  });

  test("a resolved environment with both resolves to itself", () => {
    const once = EnvironmentSchema.parse(
      input(
        {
          databases: { clickhouse: {}, meilisearch: {} },
          apps: { web: { ...app, analytics: true, search: true } },
        },
        PROD,
      ),
    );
    expect(EnvironmentSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe("ClickHouse and Meilisearch bad input", () => {
  test("an even Keeper", () => {
    expect(problems(input({ databases: { clickhouse: { keeperReplicas: 2 } } }))).toEqual([
      expect.stringMatching(
        /databases\.clickhouse\.keeperReplicas: ClickHouse Keeper \(Raft\) needs an odd number of nodes for a majority, got 2; use 1, 3 or 5/,
      ),
    ]);
  });

  test("replicas without Keeper", () => {
    expect(
      problems(input({ databases: { clickhouse: { replicas: 2, keeperReplicas: 0 } } })),
    ).toEqual([
      expect.stringMatching(
        /databases\.clickhouse\.keeperReplicas: ClickHouse with 2 replicas per shard needs ClickHouse Keeper/,
      ),
    ]);
  });

  test("ClickHouse on the Altinity engine: no user default, no Bitnami images, keepBitnami only while migrating", () => {
    expect(problems(input({ databases: { clickhouse: { username: "default" } } }))).toEqual([
      expect.stringMatching(
        /databases\.clickhouse\.username: the Altinity operator keeps the user "default"/,
      ),
    ]);
    expect(
      problems(input({ databases: { clickhouse: { images: { namespace: "mirror" } } } })),
    ).toEqual([
      expect.stringMatching(
        /databases\.clickhouse\.images: images applies to the Bitnami engine only/,
      ),
    ]);
    expect(
      problems(input({ databases: { clickhouse: { engine: "bitnami", keepBitnami: true } } })),
    ).toEqual([
      expect.stringMatching(
        /databases\.clickhouse\.keepBitnami: keepBitnami keeps the Bitnami release/,
      ),
    ]);
    expect(problems(input({ databases: { clickhouse: { keepBitnami: true } } }))).toEqual([]);
    expect(
      problems(input({ databases: { clickhouse: { engine: "bogus" as "altinity" } } })),
    ).toEqual([expect.stringMatching(/clickhouse engine "bogus" is not one of "altinity"/)]);
  });

  test("ClickHouse without a Bitnami image location", () => {
    expect(
      problems({
        ...input({ databases: { clickhouse: { engine: "bitnami" } } }),
        workloads: { databases: { clickhouse: { engine: "bitnami" } } },
      }),
    ).toEqual([
      expect.stringMatching(/databases\.clickhouse\.images: no image location for a Bitnami chart/),
    ]);
  });

  test("a Meilisearch image without its registry", () => {
    expect(
      problems(
        input({ databases: { meilisearch: { image: { repository: "meilisearch", tag: "v1" } } } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /databases\.meilisearch\.image\.repository: meilisearch image repository "meilisearch" must include its registry/,
      ),
    ]);
  });

  test("an app asking for analytics the environment does not have", () => {
    expect(problems(input({ apps: { web: { ...app, analytics: true } } }))).toEqual([
      expect.stringMatching(
        /apps\.web: .*its analytics database \(ClickHouse\) is not installed on aws \(workloads\.databases\.clickhouse is not configured\)/,
      ),
    ]);
  });

  test("an app pinned to a cloud without Meilisearch", () => {
    expect(
      problems(
        input({
          databases: { meilisearch: { clouds: ["aws"] } },
          apps: { web: { ...app, search: true, clouds: ["digitalocean"] } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.web\.clouds\[0\]: web cannot run on digitalocean: its search engine \(Meilisearch\) is not installed on digitalocean \(workloads\.databases\.meilisearch\.clouds is \[aws\]\)/,
      ),
    ]);
  });
});
