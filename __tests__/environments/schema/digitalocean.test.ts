import { EnvironmentSchema, type EnvironmentInput } from "../../../environments/schema";
import type { DoTargetInput } from "../../../environments/schema/digitalocean";
import { envInput, problems } from "../../support/env";

const PROD = { tier: "prod", backend: { type: "gcs", bucket: "tf-state" } } as const;

/** An environment whose DigitalOcean target is `do` (fra1 and a private range unless given). */
function withDo(target: Partial<DoTargetInput>, overrides: Partial<EnvironmentInput> = {}) {
  return envInput({
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, ...target },
    },
    ...overrides,
  });
}
const resolve = (raw: EnvironmentInput) => EnvironmentSchema.parse(raw).targets.digitalocean!;

describe("DOKS cluster defaults", () => {
  test("dev tier: no HA, 2 default nodes, latest 1.36, upgrades on, Sunday 03:00", () => {
    expect(resolve(withDo({ cluster: {} })).cluster).toEqual({
      versionPrefix: "1.36.",
      highAvailability: false,
      autoUpgrade: true,
      surgeUpgrade: true,
      maintenanceWindow: { day: "sunday", startTime: "03:00" },
      defaultPool: { size: "s-2vcpu-4gb", nodeCount: 2, labels: {}, taints: [] },
      pools: [],
      registryIntegration: false,
      tags: [],
    });
  });

  test("prod tier: HA control plane and 3 default nodes", () => {
    expect(resolve(withDo({ cluster: {} }, PROD)).cluster).toMatchObject({
      highAvailability: true,
      defaultPool: { nodeCount: 3 },
    });
  });

  test("opt-outs: HA off in prod, a pinned version, autoscaled pools keep no nodeCount", () => {
    const cluster = resolve(
      withDo(
        {
          cluster: {
            highAvailability: false,
            version: "1.32.2-do.0",
            autoUpgrade: false,
            defaultPool: { autoScale: { minNodes: 1, maxNodes: 3 } },
            pools: [{ name: "work", autoScale: { minNodes: 2, maxNodes: 4 } }],
          },
        },
        PROD,
      ),
    ).cluster!;
    expect(cluster.highAvailability).toBe(false);
    expect(cluster.version).toBe("1.32.2-do.0");
    expect(cluster.versionPrefix).toBeUndefined();
    expect(cluster.defaultPool.nodeCount).toBeUndefined();
    expect(cluster.pools[0].nodeCount).toBeUndefined();
  });

  test("a resolved environment with a cluster and databases resolves to itself", () => {
    const once = EnvironmentSchema.parse(
      withDo(
        {
          cluster: { pools: [{ name: "work", autoScale: { minNodes: 1, maxNodes: 2 } }] },
          databases: {
            postgres: { databases: [{ name: "orders", user: "orders" }] },
            redis: {},
            kafka: { users: [{ name: "orders" }] },
          },
        },
        PROD,
      ),
    );
    expect(EnvironmentSchema.parse(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });
});

describe("managed database defaults", () => {
  test("dev: single nodes; Postgres 17, Valkey 8, Kafka 3.8 on 3 brokers; Saturday window", () => {
    const dbs = resolve(
      withDo({ cluster: {}, databases: { postgres: {}, redis: {}, kafka: {} } }),
    ).databases!;
    expect(dbs.postgres).toEqual({
      version: "17",
      size: "db-s-1vcpu-2gb",
      nodeCount: 1,
      maintenanceWindow: { day: "saturday", startTime: "03:00" },
      databases: [],
    });
    expect(dbs.redis).toMatchObject({ version: "8", nodeCount: 1 });
    expect(dbs.kafka).toMatchObject({ version: "3.8", nodeCount: 3, users: [] });
  });

  test("prod: a standby for PostgreSQL and Redis", () => {
    const dbs = resolve(
      withDo({ cluster: {}, databases: { postgres: {}, redis: {} } }, PROD),
    ).databases!;
    expect(dbs.postgres?.nodeCount).toBe(2);
    expect(dbs.redis?.nodeCount).toBe(2);
  });

  test("Kafka users default to produce+consume on every topic", () => {
    const dbs = resolve(
      withDo({ cluster: {}, databases: { kafka: { users: [{ name: "app" }] } } }),
    ).databases!;
    expect(dbs.kafka?.users).toEqual([{ name: "app", topic: "*", permission: "produceconsume" }]);
  });

  test("a guest on another environment's DOKS cluster may have databases", () => {
    const raw = withDo(
      { databases: { postgres: {}, reason: "read by the reporting job outside Strata" } },
      { workloads: { sharedCluster: { environment: "owner", cloud: "digitalocean" } } },
    );
    expect(problems(raw)).toEqual([]);
  });

  test("managed databases no app uses need a reason", () => {
    const raw = withDo(
      { databases: { postgres: {} } },
      { workloads: { sharedCluster: { environment: "owner", cloud: "digitalocean" } } },
    );
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.databases: managed postgres on DigitalOcean: no app is wired to managed databases .* say who reads its Secret with reason/,
      ),
    ]);
  });
});

describe("bad DigitalOcean input", () => {
  test("a region that is not a slug", () => {
    expect(problems(withDo({ region: "NYC-3" }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.region: region "NYC-3" is not a DigitalOcean region slug/,
      ),
    ]);
  });

  test("a VPC range that is not private", () => {
    expect(problems(withDo({ network: { ipRange: "100.64.0.0/20" } }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.network\.ipRange: ipRange 100\.64\.0\.0\/20 is not a private \(RFC 1918\) range/,
      ),
    ]);
  });

  test("node sizes that are not slugs", () => {
    const raw = withDo({
      cluster: { defaultPool: { size: "2 vCPU" }, pools: [{ name: "big", size: "Large" }] },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.cluster\.defaultPool\.size: size "2 vCPU" is not a DigitalOcean size slug/,
      ),
      expect.stringMatching(/cluster\.pools\[0\]\.size: size "Large" is not/),
    ]);
  });

  test("autoscale min > max, min 0, and nodeCount beside autoScale", () => {
    const raw = withDo({
      cluster: {
        pools: [
          { name: "a", autoScale: { minNodes: 5, maxNodes: 3 } },
          { name: "b", autoScale: { minNodes: 0, maxNodes: 3 } },
          { name: "c", nodeCount: 2, autoScale: { minNodes: 1, maxNodes: 3 } },
        ],
      },
    });
    expect(problems(raw)).toEqual([
      "test.targets.digitalocean.cluster.pools[0].autoScale.minNodes: autoScale.minNodes (5) must be <= maxNodes (3); lower minNodes or raise maxNodes",
      "test.targets.digitalocean.cluster.pools[1].autoScale.minNodes: autoScale.minNodes must be at least 1 (DOKS)",
      expect.stringMatching(
        /^test\.targets\.digitalocean\.cluster\.pools\[2\]\.nodeCount: nodeCount \(2\) is owned by the autoscaler/,
      ),
    ]);
  });

  test("maintenance windows with an invalid day or hour", () => {
    const raw = withDo({
      cluster: { maintenanceWindow: { day: "funday" as never, startTime: "24:00" } },
      databases: { postgres: { maintenanceWindow: { day: "any" as never, startTime: "3:00" } } },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.cluster\.maintenanceWindow\.day: day "funday" is not a maintenance day; use one of monday, .*, sunday, any$/,
      ),
      expect.stringMatching(
        /cluster\.maintenanceWindow\.startTime: start time "24:00" is not a UTC time of day; write HH:MM/,
      ),
      expect.stringMatching(/databases\.postgres\.maintenanceWindow\.day: day "any" is not/),
      expect.stringMatching(/databases\.postgres\.maintenanceWindow\.startTime: start time "3:00"/),
    ]);
  });

  test("version and versionPrefix together, a pinned version with auto-upgrades, bad formats", () => {
    expect(
      problems(withDo({ cluster: { version: "1.33.1-do.0", versionPrefix: "1.33." } })),
    ).toEqual([
      expect.stringMatching(/cluster\.versionPrefix: set either version .* or versionPrefix/),
      expect.stringMatching(
        /cluster\.autoUpgrade: a pinned version \(1\.33\.1-do\.0\) needs autoUpgrade: false/,
      ),
    ]);
    const formats = problems(withDo({ cluster: { version: "1.33", versionPrefix: "1.33" } }));
    expect(formats).toContainEqual(
      expect.stringMatching(/cluster\.version: version "1\.33" is not a DOKS version slug/),
    );
    expect(formats).toContainEqual(
      expect.stringMatching(
        /cluster\.versionPrefix: versionPrefix "1\.33" must be a minor version with a trailing dot/,
      ),
    );
  });

  test("duplicate pool names and the default pool's name", () => {
    const raw = withDo({ cluster: { pools: [{ name: "default" }, { name: "w" }, { name: "w" }] } });
    expect(problems(raw)).toEqual([
      expect.stringMatching(/pools\[0\]\.name: pool name "default" is the default pool's/),
      expect.stringMatching(/pools\[2\]\.name: pool name "w" is used twice/),
    ]);
  });

  test("labels, taints, firewall addresses and tags Kubernetes or DigitalOcean refuse", () => {
    const raw = withDo({
      cluster: {
        defaultPool: {
          labels: { "bad key!": "x" },
          taints: [{ key: "k", value: "v", effect: "Sometimes" as never }],
        },
        controlPlaneFirewall: { allowedAddresses: ["office-vpn"] },
        tags: ["has space"],
      },
    });
    const out = problems(raw);
    expect(out).toContainEqual(
      expect.stringMatching(
        /defaultPool\.labels\.bad key!: label key "bad key!" is not a Kubernetes label key/,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/taints\[0\]\.effect: taint effect "Sometimes" must be NoSchedule/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/allowedAddresses\[0\]: "office-vpn" is not an IPv4 address or CIDR/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/tags\[0\]: tag "has space" may contain only/),
    );
    expect(
      problems(withDo({ cluster: { controlPlaneFirewall: { allowedAddresses: [] } } })),
    ).toEqual([expect.stringMatching(/allowedAddresses needs at least one address/)]);
  });

  test("managed databases with no DOKS cluster to admit", () => {
    expect(problems(withDo({ databases: { postgres: {} } }))).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.databases: managed databases admit only the DOKS cluster the workloads run on/,
      ),
    ]);
    const onGke = withDo(
      { databases: { redis: {} } },
      { workloads: { sharedCluster: { environment: "owner", cloud: "gcp" } } },
    );
    expect(problems(onGke)).toEqual([expect.stringMatching(/managed databases admit only/)]);
  });

  test("with high availability, a database without a standby", () => {
    const raw = withDo({ cluster: {}, databases: { postgres: { nodeCount: 1 } } }, PROD);
    expect(problems(raw)).toEqual([
      "test.targets.digitalocean.databases.postgres.nodeCount: nodeCount 1 has no standby; with highAvailability use 2 or 3 (or turn highAvailability off)",
    ]);
    expect(
      problems(
        withDo(
          { cluster: {}, databases: { postgres: { nodeCount: 1 } } },
          { ...PROD, highAvailability: true, tier: "staging" },
        ),
      ),
    ).toHaveLength(1);
  });

  test("database sizes, Kafka brokers, reserved and duplicate names", () => {
    const raw = withDo({
      cluster: {},
      databases: {
        postgres: {
          size: "tiny",
          databases: [
            { name: "orders", user: "doadmin" },
            { name: "orders", user: "orders" },
          ],
        },
        kafka: { nodeCount: 1, users: [{ name: "a" }, { name: "a" }] },
      },
    });
    const out = problems(raw);
    expect(out).toContainEqual(
      expect.stringMatching(/postgres\.size: size "tiny" is not a DigitalOcean size slug/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/postgres\.databases\[0\]\.user: "doadmin" is reserved/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/postgres\.databases\[1\]\.name: database "orders" is listed twice/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/kafka\.nodeCount: Kafka needs nodeCount >= 3/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/kafka\.users\[1\]\.name: user "a" is listed twice/),
    );
  });
});
