import { Release } from "@cdktf/provider-helm/lib/release";
import {
  DatabaseMigration,
  migrationJobName,
  type DatabaseMigrationProps,
} from "../../../modules/helm/database-migration";
import { postgresqlConnection } from "../../../modules/helm/postgresql";
import { findLiteralSecrets } from "../../../modules/common/secrets";
import { releaseNamed } from "../../support/chart-values";
import { synthScope } from "./helpers";

const props: DatabaseMigrationProps = {
  name: "orders-migrate",
  namespace: "test",
  chart: { chart: "./assets/migration" },
  image: { repository: "docker.io/arigaio/atlas", tag: "0.36.0" },
  args: ["migrate", "apply", "--dir", "file:///migrations", "--url", "$(DATABASE_URL)"],
  connection: postgresqlConnection({ name: "db", namespace: "test" }),
};
const synth = (p: Partial<DatabaseMigrationProps> = {}) =>
  synthScope((scope) => new DatabaseMigration(scope, "Migration", { ...props, ...p }));

describe("DatabaseMigration", () => {
  test("the Job: image, arguments, deadline, retries, TTL, non-root", () => {
    const { values } = releaseNamed(synth(), "orders-migrate");
    expect(values).toMatchObject({
      jobName: "orders-migrate-0-36-0",
      image: { repository: "docker.io/arigaio/atlas", tag: "0.36.0" },
      args: props.args,
      command: [],
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 86400,
      securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      writablePaths: ["/tmp"],
    });
  });

  test("credentials from the database Secret (secretKeyRef), the URL expanded in the pod", () => {
    const tf = synth({ urlEnv: "ATLAS_URL", env: { ATLAS_ENV: "prod" } });
    const { values } = releaseNamed(tf, "orders-migrate");
    expect(values.env).toEqual([
      { name: "DB_HOST", value: "db-postgresql.test.svc.cluster.local" },
      { name: "DB_PORT", value: "5432" },
      { name: "DB_NAME", value: "app" },
      { name: "DB_USER", value: "app" },
      { name: "DB_PASSWORD", secretKeyRef: { name: "db-postgresql-credentials", key: "password" } },
      {
        name: "ATLAS_URL",
        value:
          "postgres://$(DB_USER):$(DB_PASSWORD)@$(DB_HOST):$(DB_PORT)/$(DB_NAME)?sslmode=disable",
      },
      { name: "ATLAS_ENV", value: "prod" },
    ]);
    // No literal secret anywhere in the stack (the policy gate's SEC-1 scan).
    expect(findLiteralSecrets(tf)).toEqual([]);
    expect(JSON.stringify(tf)).not.toMatch(/random_password|kubernetes_secret/);
  });

  test("a Helm release that waits for the hook: atomic, the deadline plus a margin", () => {
    const json = JSON.stringify(synth({ timeoutSeconds: 1800, dependsOn: [] }));
    expect(json).toHaveResourceWithProperties(Release, {
      name: "orders-migrate",
      atomic: true,
      wait: true,
      wait_for_jobs: true,
      cleanup_on_fail: true,
      timeout: 1920,
    });
  });

  test("a short deadline still gives Helm at least 60 s; a 4 h one is capped at 4 h", () => {
    expect(JSON.stringify(synth({ timeoutSeconds: 1 }))).toHaveResourceWithProperties(Release, {
      timeout: 121,
    });
    expect(JSON.stringify(synth({ timeoutSeconds: 14_400 }))).toHaveResourceWithProperties(
      Release,
      { timeout: 14_400 },
    );
  });

  test("depends on the releases it runs after", () => {
    const tf = synthScope((scope) => {
      const first = new DatabaseMigration(scope, "First", { ...props, name: "first" });
      new DatabaseMigration(scope, "Second", {
        ...props,
        name: "second",
        dependsOn: [first.release!.release],
      });
    });
    expect(releaseNamed(tf, "second").raw.depends_on).toEqual([
      expect.stringMatching(/^helm_release\.First_Chart_Release_/),
    ]);
  });

  describe("the Job's name follows the image tag", () => {
    test("a new tag, a new name; the same tag, the same name", () => {
      expect(migrationJobName("orders-migrate", "0.36.0")).toBe("orders-migrate-0-36-0");
      expect(migrationJobName("orders-migrate", "0.37.0")).toBe("orders-migrate-0-37-0");
      expect(migrationJobName("orders-migrate", "V1_2")).toBe("orders-migrate-v1-2");
    });

    test("a tag too long for a 63-character name: a hash of it", () => {
      const long = "2025.06.01-build.123456789-gabcdef0123456789-linux-amd64";
      const name = migrationJobName("orders-migrate", long);
      expect(name).toMatch(/^orders-migrate-[0-9a-f]{10}$/);
      expect(migrationJobName("orders-migrate", `${long}x`)).not.toBe(name);
    });
  });

  describe("validation", () => {
    test.each([
      [{ image: { repository: "x", tag: "" } }, /image\.tag is empty; pin a version/],
      [{ timeoutSeconds: 0 }, /timeoutSeconds \(0\) must be an integer from 1 to 14400/],
      [{ timeoutSeconds: 14_401 }, /timeoutSeconds \(14401\) must be an integer from 1 to 14400/],
      [{ env: { DB_PASSWORD: "hunter2" } }, /env\.DB_PASSWORD names a credential/],
      [{ env: { URL: "postgres://a:b@h/db" } }, /env\.URL looks like a URL with a password/],
      [{ name: "a".repeat(41) }, /name "a{41}" is 41 characters; at most 40/],
      [{ backoffLimit: -1 }, /backoffLimit \(-1\) must be an integer >= 0/],
    ])("%j", (p, message) => {
      expect(() => synth(p as Partial<DatabaseMigrationProps>)).toThrow(message);
    });
  });
});
