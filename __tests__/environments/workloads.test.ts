import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import type { WorkloadsInput } from "../../environments/schema/workloads";
import { BITNAMI_IMAGES, envInput, GCP_DO_CLUSTERS, problems } from "../support/env";

function input(
  workloads: WorkloadsInput,
  overrides: Partial<EnvironmentInput> = {},
): EnvironmentInput {
  return envInput({
    targets: {
      gcp: {
        project: "strata-test",
        projectNumber: "123456789012",
        region: "europe-west1",
        cluster: {},
        eventStore: { instanceId: "test-events", nodes: 1 },
        workloadIdentities: [{ app: "core", eventStore: "read-write" }],
      },
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
    workloads,
    ...overrides,
  });
}
const app = { image: { repository: "ghcr.io/x/app", tag: "1.0.0" } };
/** {@link input}'s clusters without the event store and identity (for workloads that use neither). */
const NO_NATIVE: Partial<EnvironmentInput> = {
  targets: GCP_DO_CLUSTERS,
};

describe("workloads defaults", () => {
  test("dev: small, single nodes, exec auth, pinned charts, per-cloud storage classes", () => {
    const w = EnvironmentSchema.parse(
      input({
        images: BITNAMI_IMAGES,
        databases: { postgresql: {}, redis: {} },
        buses: { rabbitmq: {}, kafka: {} },
      }),
    ).workloads;
    expect(w).toMatchObject({
      namespace: "test",
      size: "small",
      clusterAuth: "exec",
      timeoutSeconds: { platform: 600, stateful: 900, apps: 600 },
      maxHistory: 10,
      charts: {
        postgresql: "16.7.27",
        postgresqlHa: "16.3.2",
        redis: "23.1.1",
        rabbitmq: "16.0.14",
        kafka: "32.4.3",
      },
      storageClasses: { gcp: "standard-rwo", aws: "gp3", digitalocean: "do-block-storage" },
      platform: {
        certManager: { enabled: true, replicas: 1 },
        envoyGateway: { enabled: true },
        argocd: { enabled: false },
        podSecurity: "restricted",
      },
    });
    expect(w.databases.postgresql).toMatchObject({
      ha: false,
      replicas: 1,
      releaseName: "db",
      clouds: ["gcp", "digitalocean"],
      engine: "cloudnativepg",
      // CloudNativePG's image is Strata's pin; the Bitnami location does not apply.
      images: { registry: undefined, namespace: undefined },
      storage: "8Gi",
      resources: { requests: { cpu: "100m", memory: "256Mi" } },
    });
    expect(w.databases.redis).toMatchObject({ sentinel: false, replicas: 1 });
    expect(w.buses.rabbitmq).toMatchObject({ replicas: 1 });
    expect(w.buses.kafka).toMatchObject({ controllers: 1, brokers: 0 });
  });

  test("prod: large, PostgreSQL HA with 3 nodes, Sentinel, 3-node RabbitMQ, dedicated KRaft controllers, PDBs", () => {
    const w = EnvironmentSchema.parse(
      input(
        {
          images: BITNAMI_IMAGES,
          databases: { postgresql: {}, redis: {} },
          buses: { rabbitmq: {}, kafka: {} },
          apps: { web: { ...app, database: true } },
        },
        { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } },
      ),
    ).workloads;
    expect(w.size).toBe("large");
    expect(w.databases.postgresql).toMatchObject({
      ha: true,
      replicas: 3,
      engine: "cloudnativepg",
      storage: "100Gi",
    });
    expect(w.databases.redis).toMatchObject({ sentinel: true, replicas: 3 });
    expect(w.buses.rabbitmq).toMatchObject({ replicas: 3 });
    expect(w.buses.kafka).toMatchObject({ controllers: 3, brokers: 3 });
    expect(w.apps.web).toMatchObject({
      replicas: 3,
      pdb: true,
      resources: { requests: { cpu: "250m" } },
    });
    expect(w.platform.certManager.replicas).toBe(3);
  });

  test("apps are placed where what they use exists; explicit clouds are kept", () => {
    const w = EnvironmentSchema.parse(
      input({
        images: BITNAMI_IMAGES,
        databases: { postgresql: { clouds: ["digitalocean"] } },
        apps: {
          core: { ...app, eventStore: "bigtable" },
          web: { ...app, database: true },
          plain: { ...app },
          pinned: { ...app, clouds: ["gcp"] },
        },
      }),
    ).workloads;
    expect(w.apps.core.clouds).toEqual(["gcp"]);
    expect(w.apps.web.clouds).toEqual(["digitalocean"]);
    expect(w.apps.plain.clouds).toEqual(["gcp", "digitalocean"]);
    expect(w.apps.pinned.clouds).toEqual(["gcp"]);
    expect(w.apps.web).toMatchObject({
      chart: { local: "service" },
      port: 8080,
      logLevel: "info",
      pdb: false,
    });
  });

  test("databaseUrlEnv implies the database", () => {
    const w = EnvironmentSchema.parse(
      input({
        images: BITNAMI_IMAGES,
        databases: { postgresql: {} },
        apps: { cron: { ...app, databaseUrlEnv: "DATABASE_URL" } },
      }),
    ).workloads;
    expect(w.apps.cron.database).toBe(true);
  });

  test("a resolved environment with workloads resolves to itself", () => {
    const once = EnvironmentSchema.parse(
      input(
        {
          images: BITNAMI_IMAGES,
          databases: { postgresql: {}, redis: {} },
          buses: { rabbitmq: {} },
          apps: {
            core: {
              ...app,
              eventStore: { gcp: "bigtable", digitalocean: "postgres" },
              bus: "rabbitmq",
              autoscaling: { maxReplicas: 5 },
            },
          },
        },
        { tier: "staging", backend: { type: "gcs", bucket: "tf-state" } },
      ),
    );
    expect(EnvironmentSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe("workloads bad input", () => {
  test("an app using a store the environment does not provide", () => {
    expect(problems(input({ apps: { core: { ...app, eventStore: "dynamodb" } } }))).toEqual([
      expect.stringMatching(
        /^test\.workloads\.apps\.core: core uses a store or bus this environment does not provide on any of its clusters \(gcp: dynamodb is only reachable from aws clusters; digitalocean: dynamodb is only reachable from aws clusters\)/,
      ),
    ]);
  });

  test("an app using an in-cluster bus that is not configured", () => {
    expect(problems(input({ apps: { core: { ...app, bus: "kafka" } } }))).toEqual([
      expect.stringMatching(
        /apps\.core: .*kafka is not installed on gcp \(workloads\.buses\.kafka is not configured\)/,
      ),
    ]);
  });

  test("an app pinned to a cloud where its store is missing", () => {
    expect(
      problems(
        input({ apps: { core: { ...app, eventStore: "bigtable", clouds: ["digitalocean"] } } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.core\.clouds\[0\]: core cannot run on digitalocean: bigtable is only reachable from gcp clusters/,
      ),
    ]);
  });

  test("a cloud without a cluster", () => {
    expect(problems(input({ apps: { core: { ...app, clouds: ["aws"] } } }))).toEqual([
      expect.stringMatching(
        /apps\.core\.clouds\[0\]: aws has no cluster for this environment; the environment's workloads run on \[gcp, digitalocean\]/,
      ),
    ]);
  });

  test("workloads without any cluster", () => {
    expect(
      problems(
        input(
          { apps: { core: app } },
          { targets: { gcp: { project: "strata-test", region: "europe-west1" } } },
        ),
      ),
    ).toEqual([
      expect.stringMatching(/^test\.workloads: databases, buses and apps need a cluster/),
    ]);
  });

  test("a Bitnami chart without an explicit image location", () => {
    expect(
      problems(input({ databases: { postgresql: { engine: "bitnami" } } }, NO_NATIVE)),
    ).toEqual([
      expect.stringMatching(
        /databases\.postgresql\.images: no image location for a Bitnami chart: Bitnami moved its versioned images to docker\.io\/bitnamilegacy .*set workloads\.images\.bitnami/,
      ),
    ]);
    expect(
      problems(
        input(
          {
            databases: {
              postgresql: {
                engine: "bitnami",
                images: { registry: "docker.io", namespace: "bitnamilegacy" },
              },
            },
          },
          NO_NATIVE,
        ),
      ),
    ).toEqual([]);
  });

  test("a chart without a pinned version", () => {
    for (const version of ["latest", "^16.7.0", "16.x", ""]) {
      expect(problems(input({ charts: { postgresql: version } }))).toEqual([
        expect.stringMatching(
          /charts\.postgresql: chart version .* is not pinned; write an exact version/,
        ),
      ]);
    }
    expect(
      problems(
        input({
          apps: {
            core: {
              ...app,
              chart: { repository: "https://charts.example.com", name: "svc", version: "~1.2" },
            },
          },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/apps\.core\.chart\.version: chart version "~1\.2" is not pinned/),
    ]);
    expect(
      problems(
        input({
          apps: {
            core: { ...app, chart: { repository: "https://charts.example.com", name: "svc" } },
          },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.core\.chart\.version: chart svc from https:\/\/charts\.example\.com has no pinned version; add version/,
      ),
    ]);
  });

  test("a release name over 53 characters", () => {
    expect(
      problems(
        input({
          images: BITNAMI_IMAGES,
          databases: { postgresql: { releaseName: "a".repeat(54) } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /databases\.postgresql\.releaseName: Helm release name "a{54}" is 54 characters; it must be 1–53/,
      ),
    ]);
  });

  test("a namespace that is not a DNS label", () => {
    expect(problems(input({ namespace: "Team_A" }))).toEqual([
      expect.stringMatching(/workloads\.namespace: DNS label "Team_A" may contain only/),
    ]);
  });

  test("HA replica minimums: PostgreSQL-HA < 2, Sentinel < 3, RabbitMQ cluster of 2, even KRaft quorum", () => {
    expect(
      problems(
        input({
          images: BITNAMI_IMAGES,
          databases: {
            postgresql: { ha: true, replicas: 1 },
            redis: { sentinel: true, replicas: 2 },
          },
          buses: { rabbitmq: { replicas: 2 }, kafka: { controllers: 2 } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /databases\.postgresql\.replicas: PostgreSQL HA \(bitnami\/postgresql-ha\) needs at least 2 nodes, got 1/,
      ),
      expect.stringMatching(
        /databases\.redis\.replicas: Redis with Sentinel needs at least 3 nodes \(quorum 2\), got 2/,
      ),
      expect.stringMatching(
        /buses\.rabbitmq\.replicas: a RabbitMQ cluster of 2 .*use 1 \(no cluster\) or an odd number ≥ 3/,
      ),
      expect.stringMatching(/buses\.kafka\.controllers: KRaft needs an odd number of controllers/),
    ]);
  });

  test("a resource quantity that is not a Kubernetes quantity", () => {
    expect(
      problems(
        input({ apps: { core: { ...app, resources: { requests: { memory: "512MB!" } } } } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.core\.resources\.requests\.memory: "512MB!" is not a Kubernetes quantity/,
      ),
    ]);
    expect(
      problems(
        input({ images: BITNAMI_IMAGES, databases: { postgresql: { storage: "ten gigs" } } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /databases\.postgresql\.storage: "ten gigs" is not a Kubernetes quantity/,
      ),
    ]);
  });

  test("a third-party app configured against its contract: a URL it does not read, a variable Strata sets", () => {
    const n8n = { image: { repository: "docker.io/n8nio/n8n", tag: "2.41.3" } };
    expect(
      problems(
        input(
          {
            images: BITNAMI_IMAGES,
            databases: { postgresql: {} },
            apps: {
              scheduler: { ...n8n, databaseUrlEnv: "DATABASE_URL", env: { DB_TYPE: "postgresdb" } },
            },
          },
          NO_NATIVE,
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.scheduler\.databaseUrlEnv: n8n does not read a connection URL .*set database: true/,
      ),
      expect.stringMatching(
        /apps\.scheduler\.env\.DB_TYPE: DB_TYPE is set by Strata from n8n's contract \(facts\/apps\/n8n\.json\)/,
      ),
    ]);
  });

  test("a contract's defaults: n8n's port, probe, user and writable paths", () => {
    const w = EnvironmentSchema.parse(
      input(
        {
          images: BITNAMI_IMAGES,
          databases: { postgresql: {} },
          apps: {
            scheduler: { image: { repository: "n8nio/n8n", tag: "2.41.3" }, database: true },
          },
        },
        NO_NATIVE,
      ),
    ).workloads;
    expect(w.apps.scheduler).toMatchObject({
      port: 5678,
      healthPath: "/healthz",
      runAsUser: 1000,
      writablePaths: ["/home/node/.n8n", "/home/node/.cache", "/tmp"],
    });
  });

  test("image tag latest in prod", () => {
    expect(
      problems(
        input(
          { apps: { core: { image: { repository: "ghcr.io/x/core", tag: "latest" } } } },
          { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } },
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.core\.image\.tag: a prod-tier environment cannot run image tag "latest"/,
      ),
    ]);
    expect(
      problems(
        input(
          { apps: { core: { image: { repository: "ghcr.io/x/core", tag: "latest" } } } },
          NO_NATIVE,
        ),
      ),
    ).toEqual([]);
  });

  test("an application name too long for its GCP service account", () => {
    expect(
      problems(
        input({ apps: { "a-very-long-application-name": { ...app, eventStore: "bigtable" } } }),
      ),
    ).toContainEqual(
      expect.stringMatching(
        /the GCP service account id "test-a-very-long-application-name" is 33 characters/,
      ),
    );
  });

  test("a cloud-native store needs the section that creates it and the app's workload identity", () => {
    expect(problems(input({ apps: { web: { ...app, eventStore: "bigtable" } } }))).toEqual([
      expect.stringMatching(
        /apps\.web: .*gcp: bigtable needs a workload identity for "web" in targets\.gcp\.workloadIdentities/,
      ),
    ]);
    const noStore = input({ apps: { core: { ...app, bus: "pubsub" } } });
    expect(problems(noStore)).toEqual([
      expect.stringMatching(
        /apps\.core: .*gcp: pubsub needs targets\.gcp\.pubsub, the layer that creates it/,
      ),
    ]);
  });

  test("autoscaling min above max", () => {
    expect(
      problems(
        input({ apps: { core: { ...app, autoscaling: { minReplicas: 5, maxReplicas: 2 } } } }),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.core\.autoscaling\.minReplicas: minReplicas \(5\) must be <= maxReplicas \(2\)/,
      ),
    ]);
  });

  test("a literal credential in an app's settings", () => {
    expect(
      problems(input({ apps: { core: { ...app, env: { DB_PASSWORD: "hunter2" } } } }, NO_NATIVE)),
    ).toEqual([
      expect.stringMatching(/apps\.core\.env\.DB_PASSWORD: "DB_PASSWORD" holds a literal secret/),
    ]);
  });

  test("a typo in a workloads key", () => {
    expect(problems(input({ databses: {} } as never))).toEqual([
      expect.stringMatching(/workloads: unknown key "databses" — did you mean "databases"\?/),
    ]);
  });
});
