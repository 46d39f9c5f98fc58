import { EnvironmentSchema } from "../../environments/schema";
import { envInput, problems } from "../support/env";

describe("valid environments", () => {
  test("a minimal environment resolves with its tier's defaults", () => {
    const env = EnvironmentSchema.parse(envInput());
    expect(env).toMatchObject({
      deletionProtection: false,
      highAvailability: false,
      replicas: 1,
      customerManagedKeys: false,
    });
    expect(env.backend).toEqual({ type: "local", dir: ".tfstate" });
    expect(env.stateEncryption.enabled).toBe(false);
    expect(env.targets.gcp?.zones).toEqual(["europe-west1-a"]);
    expect(env.targets.aws?.network).toMatchObject({
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      natGateways: "single",
    });
    expect(env.workloads.namespace).toBe("test");
  });

  test("prod tier picks HA, protection, CMEK, encryption and three zones", () => {
    const env = EnvironmentSchema.parse(
      envInput({ tier: "prod", backend: { type: "gcs", bucket: "tf-state" } }),
    );
    expect(env).toMatchObject({
      deletionProtection: true,
      highAvailability: true,
      replicas: 3,
      customerManagedKeys: true,
    });
    expect(env.stateEncryption).toEqual({ enabled: true, keyProvider: { type: "pbkdf2" } });
    expect(env.targets.gcp?.zones).toHaveLength(3);
    expect(env.targets.aws?.network.natGateways).toBe("per-az");
  });

  test("a resolved environment is a valid input and resolves to itself", () => {
    const once = EnvironmentSchema.parse(
      envInput({
        tier: "staging",
        backend: { type: "s3", bucket: "tf-state", region: "eu-west-1" },
      }),
    );
    const twice = EnvironmentSchema.parse(JSON.parse(JSON.stringify(once)));
    expect(twice).toEqual(once);
  });
});

describe("bad input", () => {
  test("unknown keys name the key, the closest allowed key and the path", () => {
    const raw = envInput({
      targets: { gcp: { project: "strata-test", region: "europe-west1", zonez: ["x"] } as never },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(/^test\.targets\.gcp: unknown key "zonez" — did you mean "zones"\?/),
    ]);
  });

  test("invalid and host-bit CIDRs", () => {
    const raw = envInput({
      targets: { digitalocean: { region: "fra1", network: { ipRange: "10.200.0.1/20" } } },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.digitalocean\.network\.ipRange: "10\.200\.0\.1\/20" has host bits set/,
      ),
    ]);
    const bad = envInput({
      targets: { aws: { region: "eu-west-1", network: { vpcCidr: "10.0.0/16" } } },
    });
    expect(problems(bad)).toEqual([
      expect.stringMatching(
        /vpcCidr: "10\.0\.0\/16" is not an IPv4 CIDR; write it like 10\.0\.0\.0\/16/,
      ),
    ]);
  });

  test("overlapping VPC and pod/service ranges", () => {
    const raw = envInput({
      targets: {
        gcp: {
          project: "strata-test",
          region: "europe-west1",
          network: { subnetCidr: "10.0.0.0/16", podsCidr: "10.0.128.0/17" },
        },
      },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.targets\.gcp\.network\.podsCidr: podsCidr 10\.0\.128\.0\/17 overlaps subnetCidr 10\.0\.0\.0\/16/,
      ),
    ]);
  });

  test("names that break cloud naming rules", () => {
    const raw = envInput({
      name: "Prod_EU",
      targets: { gcp: { project: "x1", region: "europe-west1" } },
    });
    const out = problems(raw);
    expect(out).toContainEqual(
      expect.stringMatching(
        /^test\.name: environment name "Prod_EU" must be 2–16 lower-case letters/,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(
        /^test\.targets\.gcp\.project: GCP project id "x1" is 2 characters; it must be 6–30/,
      ),
    );
  });

  test("zones outside their region, and duplicates", () => {
    const raw = envInput({
      targets: {
        gcp: {
          project: "strata-test",
          region: "europe-west1",
          zones: ["europe-west1-b", "us-central1-a", "europe-west1-b"],
        },
        aws: {
          region: "eu-west-1",
          network: { availabilityZones: ["eu-west-1a", "eu-central-1b"] },
        },
      },
    });
    expect(problems(raw)).toEqual([
      "test.targets.gcp.zones[1]: zone us-central1-a is not in region europe-west1; use europe-west1-a, europe-west1-b, …",
      "test.targets.gcp.zones[2]: zone europe-west1-b is listed twice",
      "test.targets.aws.network.availabilityZones[1]: availability zone eu-central-1b is not in region eu-west-1; use eu-west-1a, eu-west-1b, …",
    ]);
  });

  test("min > max style bounds: too few availability zones, replicas out of range", () => {
    const raw = envInput({
      replicas: 0,
      targets: { aws: { region: "eu-west-1", network: { availabilityZones: ["eu-west-1a"] } } },
    });
    const out = problems(raw);
    expect(out).toContainEqual(expect.stringMatching(/^test\.replicas: /));
    expect(out).toContainEqual(
      expect.stringMatching(/availabilityZones: at least 2 availability zones are needed/),
    );
  });

  test("a literal secret anywhere, by key or by shape", () => {
    const raw = { ...envInput(), labels: { token: "abc123" } } as Record<string, unknown>;
    (raw.targets as Record<string, unknown>).gcp = {
      project: "strata-test",
      region: "europe-west1",
      dbUrl: "postgres://u:p@h/db",
    };
    const out = problems(raw);
    expect(out).toContainEqual(
      expect.stringMatching(
        /^test\.labels\.token: "token" holds a literal secret; secrets never go in config/,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/^test\.targets\.gcp\.dbUrl: looks like a URL with a password/),
    );
  });

  test("a prod-tier environment that turns deletion protection off", () => {
    const raw = envInput({
      tier: "prod",
      deletionProtection: false,
      backend: { type: "gcs", bucket: "tf-state" },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.deletionProtection: a prod-tier environment cannot turn deletion protection off/,
      ),
    ]);
  });

  test("staging and prod need a locking remote backend and keep state encryption on", () => {
    expect(problems(envInput({ tier: "staging" }))).toEqual([
      expect.stringMatching(
        /^test\.backend: a staging-tier environment needs a shared, locking backend/,
      ),
    ]);
    const raw = envInput({
      tier: "prod",
      backend: { type: "gcs", bucket: "tf-state" },
      stateEncryption: { enabled: false },
    });
    expect(problems(raw)).toEqual([
      expect.stringMatching(
        /^test\.stateEncryption\.enabled: state encryption cannot be turned off/,
      ),
    ]);
  });

  test("every problem is reported at once", () => {
    const raw = envInput({
      tier: "banana" as never,
      owner: "Platform Team",
      targets: { aws: { region: "mars-1" } },
    });
    expect(problems(raw).length).toBeGreaterThanOrEqual(3);
  });
});
