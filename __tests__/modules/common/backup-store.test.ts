import type { EnvironmentInput } from "../../../environments/schema";
import { loadEnvironments } from "../../../environments";
import { ConfigError } from "../../../environments/errors";
import {
  postgresBackupClouds,
  postgresBackupProblems,
  postgresBackupStore,
  retentionDays,
  SPACES_REGIONS,
} from "../../../modules/common/backup-store";
import { BITNAMI_IMAGES, BITNAMI_TEST_WAIVERS, envInput, testEnv } from "../../support/env";

/** Clusters on all three clouds; PostgreSQL on all of them with backups on (a dev environment). */
export const BACKUP_TARGETS = {
  gcp: {
    project: "strata-test",
    projectNumber: "123456789012",
    region: "europe-west1",
    cluster: {},
  },
  aws: { region: "eu-west-1", accountId: "123456789012", cluster: {} },
  digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
} as const satisfies EnvironmentInput["targets"];

type BackupInput = NonNullable<
  NonNullable<NonNullable<EnvironmentInput["workloads"]>["databases"]>["postgresql"]
>["backup"];

export function backupEnv(
  backup: BackupInput = { enabled: true },
  overrides: Partial<EnvironmentInput> = {},
) {
  return testEnv({
    targets: BACKUP_TARGETS,
    workloads: { images: BITNAMI_IMAGES, databases: { postgresql: { backup } } },
    waivers: BITNAMI_TEST_WAIVERS,
    ...overrides,
  });
}

describe("postgresBackupStore: the names both layers use", () => {
  test("one store per cloud, each named after something only this environment has", () => {
    const env = backupEnv();
    expect(postgresBackupClouds(env)).toEqual(["gcp", "aws", "digitalocean"]);
    expect(postgresBackupStore(env, "gcp")).toMatchObject({
      bucket: "strata-test-test-pg-backups",
      region: "europe-west1",
      destinationPath: "gs://strata-test-test-pg-backups/test/db",
      namespace: "test",
      serviceAccount: "db",
      credentials: {
        kind: "gke-workload-identity",
        serviceAccountId: "test-pg-backup",
        serviceAccountEmail: "test-pg-backup@strata-test.iam.gserviceaccount.com",
      },
    });
    expect(postgresBackupStore(env, "aws")).toMatchObject({
      bucket: "test-pg-backups-123456789012",
      destinationPath: "s3://test-pg-backups-123456789012/test/db",
      credentials: { kind: "aws-irsa", roleName: "test-pg-backup" },
    });
    expect(postgresBackupStore(env, "digitalocean")).toMatchObject({
      bucket: "core-test-pg-backups",
      endpointUrl: "https://fra1.digitaloceanspaces.com",
      destinationPath: "s3://core-test-pg-backups/test/db",
      credentials: {
        kind: "secret",
        secretName: "db-backup-credentials",
        accessKeyIdKey: "ACCESS_KEY_ID",
        secretAccessKeyKey: "ACCESS_SECRET_KEY",
        spacesKeyName: "test-pg-backup",
      },
    });
  });

  test("without an AWS account id the S3 name carries the team and the region", () => {
    const env = backupEnv(
      { enabled: true },
      { targets: { ...BACKUP_TARGETS, aws: { region: "eu-west-1", cluster: {} } } },
    );
    expect(postgresBackupStore(env, "aws")?.bucket).toBe("core-test-pg-backups-eu-west-1");
  });

  test("backup.bucket names the bucket on every cloud; retention follows backup.retention", () => {
    const env = backupEnv({ enabled: true, bucket: "acme-db-backups", retention: "4w" });
    for (const cloud of ["gcp", "aws", "digitalocean"] as const) {
      const store = postgresBackupStore(env, cloud);
      expect(store).toMatchObject({
        bucket: "acme-db-backups",
        retention: "4w",
        retentionDays: 28,
      });
    }
  });

  test("off: backups disabled, the dev default, or no PostgreSQL on that cloud", () => {
    expect(postgresBackupClouds(backupEnv({ enabled: false }))).toEqual([]);
    expect(postgresBackupClouds(backupEnv({}))).toEqual([]);
    const gcpOnly = testEnv({
      targets: BACKUP_TARGETS,
      workloads: {
        images: BITNAMI_IMAGES,
        databases: { postgresql: { clouds: ["gcp"], backup: { enabled: true } } },
      },
      waivers: BITNAMI_TEST_WAIVERS,
    });
    expect(postgresBackupClouds(gcpOnly)).toEqual(["gcp"]);
  });

  test("retention in days: a month counts 31", () => {
    expect(retentionDays("30d")).toBe(30);
    expect(retentionDays("2w")).toBe(14);
    expect(retentionDays("3m")).toBe(93);
    expect(() => retentionDays("30")).toThrow(/count and a unit/);
  });
});

describe("postgresBackupProblems: names checked before anything is written", () => {
  const field = "test.workloads.databases.postgresql.backup";

  test("the seeds have none, and their stores are where their PostgreSQL is", () => {
    const { all } = loadEnvironments();
    expect(all.flatMap(postgresBackupProblems)).toEqual([]);
    const byName = new Map(all.map((e) => [e.name, e]));
    expect(postgresBackupClouds(byName.get("prod")!)).toEqual(["gcp", "aws", "digitalocean"]);
    expect(postgresBackupClouds(byName.get("staging")!)).toEqual(["digitalocean"]);
    expect(postgresBackupClouds(byName.get("dev")!)).toEqual([]);
  });

  test("a name too long for the cloud names backup.bucket and says what to do", () => {
    const long = "x".repeat(64);
    const problems = postgresBackupProblems(backupEnv({ enabled: true, bucket: long }));
    expect(problems).toHaveLength(3);
    for (const p of problems) {
      expect(p.path).toBe(`${field}.bucket`);
      expect(p.message).toMatch(/is 64 characters; it must be 3–63; choose another name \(https:/);
    }
    expect(() => postgresBackupStore(backupEnv({ enabled: true, bucket: long }), "gcp")).toThrow(
      /backup\.bucket: GCS bucket name/,
    );
  });

  test("Strata's own name, when too long, asks for backup.bucket", () => {
    // Without an account id, the S3 name carries the team, which may be long (a label value).
    const env = backupEnv(
      { enabled: true },
      {
        team: "platform-engineering-and-operations-group",
        targets: { ...BACKUP_TARGETS, aws: { region: "eu-west-1", cluster: {} } },
      },
    );
    expect(postgresBackupProblems(env)).toEqual([
      {
        path: `${field}.bucket`,
        message: expect.stringMatching(
          /^S3 bucket name "platform-.*-eu-west-1" is \d+ characters.*set backup\.bucket to a name of your own \(https:/,
        ),
      },
    ]);
  });

  test("characters, reserved words and reserved prefixes are refused per cloud", () => {
    const msgs = (bucket: string) =>
      postgresBackupProblems(backupEnv({ enabled: true, bucket })).map((p) => p.message);
    expect(msgs("Backups")).toEqual([
      expect.stringMatching(/^GCS bucket name "Backups" may contain only lower-case/),
      expect.stringMatching(/^S3 bucket name "Backups" may contain only lower-case/),
      expect.stringMatching(/^Spaces bucket name "Backups" may contain only lower-case/),
    ]);
    expect(msgs("my.backups")).toHaveLength(3);
    expect(msgs("google-backups")).toEqual([expect.stringMatching(/contain "google"/)]);
    expect(msgs("xn--backups")).toEqual([expect.stringMatching(/reserved "xn--"/)]);
    expect(msgs("backups-s3alias")).toEqual([expect.stringMatching(/reserved "-s3alias"/)]);
  });

  test("a release name too long for the Secret's name names releaseName", () => {
    const releaseName = "p".repeat(50);
    const env = testEnv({
      targets: BACKUP_TARGETS,
      workloads: {
        images: BITNAMI_IMAGES,
        databases: { postgresql: { releaseName, backup: { enabled: true } } },
      },
      waivers: BITNAMI_TEST_WAIVERS,
    });
    expect(postgresBackupProblems(env)).toEqual([
      {
        path: "test.workloads.databases.postgresql.releaseName",
        message: expect.stringMatching(
          /^Secret name "p{50}-backup-credentials" is 69 characters.*; shorten releaseName$/,
        ),
      },
    ]);
  });

  test("a DigitalOcean region without Spaces names backup.enabled", () => {
    const env = backupEnv(
      { enabled: true },
      {
        targets: {
          ...BACKUP_TARGETS,
          digitalocean: { ...BACKUP_TARGETS.digitalocean, region: "nyc1" },
        },
      },
    );
    expect(SPACES_REGIONS).not.toContain("nyc1");
    expect(postgresBackupProblems(env)).toEqual([
      {
        path: `${field}.enabled`,
        message: expect.stringMatching(/"nyc1" \(targets\.digitalocean\.region\) has no Spaces/),
      },
    ]);
  });

  test("a guest without a target on the shared cluster's cloud is told to add one", () => {
    const guest = testEnv({
      targets: {},
      workloads: {
        sharedCluster: { environment: "owner", cloud: "gcp" },
        images: BITNAMI_IMAGES,
        databases: { postgresql: { backup: { enabled: true } } },
      },
      waivers: BITNAMI_TEST_WAIVERS,
    });
    expect(postgresBackupProblems(guest)).toEqual([
      {
        path: `${field}.enabled`,
        message: expect.stringMatching(
          /need targets\.gcp: .*add targets\.gcp, or set backup\.enabled: false/,
        ),
      },
    ]);
  });

  test("the registry reports them with every other problem, before anything is built", () => {
    const input = envInput({
      targets: BACKUP_TARGETS,
      workloads: {
        images: BITNAMI_IMAGES,
        databases: { postgresql: { backup: { enabled: true, bucket: "Not_A_Bucket" } } },
      },
      waivers: BITNAMI_TEST_WAIVERS,
    });
    let error: unknown;
    try {
      loadEnvironments({ builtins: [input] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.path)).toEqual([
      `${field}.bucket`,
      `${field}.bucket`,
      `${field}.bucket`,
    ]);
  });
});
