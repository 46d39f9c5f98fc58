import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { TerraformStack, Testing } from "cdktf";
import {
  Postgresql,
  postgresqlConnection,
  type PostgresqlProps,
} from "../../../modules/helm/postgresql";
import { PostgresqlHa, type PostgresqlHaProps } from "../../../modules/helm/postgresql-ha";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { BITNAMI, imagesIn, synthScope } from "./helpers";

const props: PostgresqlProps = { ...BITNAMI, name: "db" };
const haProps: PostgresqlHaProps = { ...BITNAMI, name: "db" };
const synth = (p: Partial<PostgresqlProps> = {}) =>
  synthScope((scope) => new Postgresql(scope, "Pg", { ...props, ...p }));
const synthHa = (p: Partial<PostgresqlHaProps> = {}) =>
  synthScope((scope) => new PostgresqlHa(scope, "Pg", { ...haProps, ...p }));

describe("Postgresql (bitnami/postgresql)", () => {
  test("pinned chart from the Bitnami OCI repository", () => {
    const r = releaseNamed(synth(), "db");
    expect(r).toMatchObject({
      repository: "oci://registry-1.docker.io/bitnamicharts",
      chart: "postgresql",
      version: "16.7.27",
    });
  });

  test("every values key exists in the pinned chart (default, metrics on)", () => {
    for (const tf of [synth(), synth({ metrics: true })]) {
      const r = releaseNamed(tf, "db");
      expect(unknownValuePaths("postgresql", r.version!, r.values)).toEqual([]);
    }
  });

  test("every image comes from the configured location, never the chart default", () => {
    const { values } = releaseNamed(synth(), "db");
    const images = imagesIn(values);
    expect(images.map(([p]) => p).sort()).toEqual(
      ["image", "metrics.image", "volumePermissions.image"].sort(),
    );
    for (const [, image] of images) {
      expect(image.registry).toBe("registry.example.com");
      expect(image.repository).toMatch(/^mirror\//);
    }
    expect(values.global).toEqual({
      defaultStorageClass: "standard-rwo",
      security: { allowInsecureImages: true },
    });
  });

  test("passwords are generated into a Secret the chart reads by name", () => {
    const tf = synth();
    const { values } = releaseNamed(tf, "db");
    expect(values.auth).toEqual({
      username: "app",
      database: "app",
      existingSecret: "db-postgresql-credentials",
      secretKeys: {
        adminPasswordKey: "postgres-password",
        userPasswordKey: "password",
        replicationPasswordKey: "replication-password",
      },
    });
    expect(JSON.stringify(tf)).toHaveResourceWithProperties(SecretV1, {
      metadata: expect.objectContaining({ name: "db-postgresql-credentials", namespace: "test" }),
      data: {
        "postgres-password": expect.stringMatching(/^\$\{random_password\..*\.result\}$/),
        password: expect.stringMatching(/^\$\{random_password\..*\.result\}$/),
        "replication-password": expect.stringMatching(/^\$\{random_password\..*\.result\}$/),
      },
    });
    expect(Object.values(tf.resource!.random_password)).toHaveLength(3);
    expect(Object.values(tf.resource!.random_password)[0]).toMatchObject({
      length: 32,
      special: false,
    });
  });

  test("the release waits for its Secret", () => {
    const r = releaseNamed(synth(), "db");
    expect(r.raw.depends_on).toEqual([expect.stringMatching(/^kubernetes_secret_v1\./)]);
  });

  test("persistence with size and storage class, PVCs retained, explicit resources", () => {
    const { values } = releaseNamed(synth({ storage: "50Gi" }), "db");
    expect(values.primary).toEqual({
      resourcesPreset: "none",
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      persistence: { enabled: true, size: "50Gi", storageClass: "standard-rwo" },
      persistentVolumeClaimRetentionPolicy: {
        enabled: true,
        whenDeleted: "Retain",
        whenScaled: "Retain",
      },
    });
    expect(values.architecture).toBe("standalone");
  });

  test("connection: the service host, port and the Secret, the same as the standalone derivation", () => {
    const scope = Testing.app();
    const stack = new TerraformStack(scope, "s");
    const pg = new Postgresql(stack, "Pg", props);
    expect(pg.connection).toEqual({
      host: "db-postgresql.test.svc.cluster.local",
      port: 5432,
      database: "app",
      username: "app",
      secretName: "db-postgresql-credentials",
      passwordKey: "password",
    });
    expect(postgresqlConnection(props)).toEqual(pg.connection);
  });

  test("a release named after the chart is not doubled", () => {
    expect(postgresqlConnection({ ...props, name: "postgresql" }).host).toBe(
      "postgresql.test.svc.cluster.local",
    );
  });

  test("a storage size that is not a Kubernetes quantity", () => {
    expect(() => synth({ storage: "8 GB" })).toThrow(
      /storage "8 GB" is not a Kubernetes quantity; write it like .*2Gi/,
    );
  });

  test("a resource that is not a Kubernetes quantity", () => {
    expect(() => synth({ resources: { requests: { cpu: "half" } } })).toThrow(
      /resources.requests.cpu "half" is not a Kubernetes quantity/,
    );
  });
});

describe("PostgresqlHa (bitnami/postgresql-ha)", () => {
  test("pinned 16.3.2; every values key exists in it", () => {
    for (const tf of [synthHa(), synthHa({ metrics: true, pgpoolReplicas: 1 })]) {
      const r = releaseNamed(tf, "db");
      expect(r).toMatchObject({ chart: "postgresql-ha", version: "16.3.2" });
      expect(unknownValuePaths("postgresql-ha", r.version!, r.values)).toEqual([]);
    }
  });

  test("primary + replicas + pgpool, each component's image from the configured location", () => {
    const { values } = releaseNamed(synthHa(), "db");
    expect(values.postgresql).toMatchObject({
      replicaCount: 3,
      existingSecret: "db-postgresql-ha-credentials",
    });
    expect(values.pgpool).toMatchObject({
      replicaCount: 2,
      existingSecret: "db-postgresql-ha-pgpool-credentials",
      pdb: { create: true, minAvailable: 1 },
    });
    expect(
      imagesIn(values)
        .map(([p, i]) => `${p}=${String(i.repository)}`)
        .sort(),
    ).toEqual([
      "metrics.image=mirror/postgres-exporter",
      "pgpool.image=mirror/pgpool",
      "postgresql.image=mirror/postgresql-repmgr",
      "volumePermissions.image=mirror/os-shell",
    ]);
    expect(values).not.toHaveProperty("auth");
  });

  test("the fixed Secret keys of postgresql-ha", () => {
    const tf = synthHa();
    const secrets = Object.values(tf.resource!.kubernetes_secret_v1).map((s) => ({
      name: (s.metadata as { name: string }).name,
      keys: Object.keys(s.data as object).sort(),
    }));
    expect(secrets).toEqual([
      {
        name: "db-postgresql-ha-credentials",
        keys: ["password", "postgres-password", "repmgr-password"],
      },
      {
        name: "db-postgresql-ha-pgpool-credentials",
        keys: ["admin-password", "sr-check-password"],
      },
    ]);
  });

  test("applications connect through Pgpool", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const pg = new PostgresqlHa(stack, "Pg", haProps);
    expect(pg.connection.host).toBe("db-postgresql-ha-pgpool.test.svc.cluster.local");
  });

  test("persistence and PVC retention are top-level in this chart", () => {
    const { values } = releaseNamed(synthHa({ storage: "20Gi" }), "db");
    expect(values.persistence).toEqual({
      enabled: true,
      size: "20Gi",
      storageClass: "standard-rwo",
    });
    expect(values.persistentVolumeClaimRetentionPolicy).toMatchObject({ whenDeleted: "Retain" });
  });

  test("fewer than 2 PostgreSQL nodes is not HA", () => {
    expect(() => synthHa({ replicas: 1 })).toThrow(
      /replicas \(1\) must be an integer >= 2: PostgreSQL HA needs a standby/,
    );
  });
});
