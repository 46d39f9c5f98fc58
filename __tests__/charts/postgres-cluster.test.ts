/**
 * charts/postgres-cluster with the real helm: the CloudNativePG Cluster, the barman-cloud
 * ObjectStores and the ScheduledBackup every seed synthesizes, and a restore, each checked against
 * the CRD schemas of the pinned versions (cloudnative-pg chart 0.29.0 = operator 1.30.0,
 * plugin-barman-cloud chart 0.7.0) and against each other.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { BackupStore } from "../../modules/common/backup-store";
import {
  CNPG_POSTGRES_IMAGE,
  PostgresCluster,
  type PostgresClusterProps,
} from "../../modules/helm/postgres-cluster";
import { STATEFUL_RESOURCES } from "../../modules/common/stateful-resources";
import { realApp, type SynthesizedApp } from "../support/app";
import { releaseNamed, releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { crdProblems } from "../support/crd-schema";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { synthScope } from "../modules/helm/helpers";

const CHART = path.join(__dirname, "..", "..", "charts", "postgres-cluster");
const available = helmBinary() !== undefined;
if (!available) {
  console.warn(
    `skipping postgres-cluster chart tests: no helm binary (${helmUnavailableReason()})`,
  );
}
const describeWithHelm = available ? describe : describe.skip;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let app: SynthesizedApp;
let tmp: string;

function render(values: object, name = "db", namespace = "prod"): K8sObject[] {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  const out = helm(["template", name, CHART, "-n", namespace, "-f", file]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}

/** The postgres-cluster releases of the real app, by stack. */
function seedReleases(): Array<[string, SynthesizedRelease]> {
  return [...app.stacks].flatMap(([stack, tf]) =>
    releasesOf(tf)
      .filter((r) => r.chart.startsWith("./assets/PostgresClusterChart/"))
      .map((r): [string, SynthesizedRelease] => [stack, r]),
  );
}

const one = (objects: K8sObject[], kind: string, name?: string) => {
  const found = objects.filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};

beforeAll(() => {
  if (!available) return;
  app = realApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-pg-cluster-"));
});
afterAll(() => {
  if (available) fs.rmSync(tmp, { recursive: true, force: true });
});

describeWithHelm("charts/postgres-cluster with helm: the seeds", () => {
  test("every seed cluster renders valid custom resources only (CRD schemas at the pinned tags)", () => {
    const seeds = seedReleases();
    expect(seeds.map(([s]) => s).sort()).toEqual([
      "dev-aws-databases",
      "dev-do-databases",
      "dev-gcp-databases",
      "prod-aws-databases",
      "prod-do-databases",
      "prod-gcp-databases",
      "staging-do-databases",
    ]);
    for (const [stack, r] of seeds) {
      const objects = render(r.values, r.name, r.raw.namespace as string);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects)
        expect({ stack, problems: crdProblems(o) }).toEqual({ stack, problems: [] });
      const cluster = one(objects, "Cluster");
      expect(cluster.spec.imageName).toBe(CNPG_POSTGRES_IMAGE);
      expect(cluster.spec.bootstrap.initdb).toEqual({
        database: "app",
        owner: "app",
        secret: { name: "db-credentials" },
      });
      // Never a superuser Secret, never literals.
      expect(cluster.spec.enableSuperuserAccess).toBe(false);
      expect(JSON.stringify(objects)).not.toMatch(/password:/i);
    }
  });

  test("the release is a data chart: review flags its replacement (deleting the Cluster deletes its volumes)", () => {
    const rule = STATEFUL_RESOURCES.helm_release;
    for (const [, r] of seedReleases()) expect(rule.appliesTo!(r.raw)).toBe(true);
    const service = releasesOf(app.stacks.get("prod-gcp-apps")!).find((r) =>
      r.chart.startsWith("./assets/ServiceChart/"),
    )!;
    expect(rule.appliesTo!(service.raw)).toBe(false);
  });

  test("every seed cluster can be scheduled and drained: a zone spread only where nodes carry zones (not DOKS), a PodDisruptionBudget only with more than one instance", () => {
    for (const [stack, r] of seedReleases()) {
      const spec = one(render(r.values), "Cluster").spec;
      const zoneSpread = (spec.topologySpreadConstraints ?? []).some(
        (c: { topologyKey: string }) => c.topologyKey === "topology.kubernetes.io/zone",
      );
      expect({ stack, zoneSpread: zoneSpread && stack.includes("-do-") }).toEqual({
        stack,
        zoneSpread: false,
      });
      expect({ stack, enablePDB: spec.enablePDB }).toEqual({
        stack,
        enablePDB: spec.instances > 1,
      });
    }
  });

  test("dev: one instance, no synchronous replication, no backups", () => {
    const r = releaseNamed(app.stacks.get("dev-gcp-databases")!, "db");
    const objects = render(r.values, "db", "dev");
    const cluster = one(objects, "Cluster");
    expect(cluster.spec.instances).toBe(1);
    expect(cluster.spec.postgresql).toBeUndefined();
    expect(cluster.spec.plugins).toBeUndefined();
    expect(objects.map((o) => o.kind)).toEqual(["Cluster"]);
  });

  test("prod: 3 instances, quorum synchronous replication, spread across zones, backups", () => {
    const r = releaseNamed(app.stacks.get("prod-gcp-databases")!, "db");
    const objects = render(r.values);
    const cluster = one(objects, "Cluster");
    expect(cluster.spec).toMatchObject({
      instances: 3,
      enablePDB: true,
      postgresql: {
        synchronous: { method: "any", number: 1, dataDurability: "required", failoverQuorum: true },
      },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: "required" },
      topologySpreadConstraints: [
        expect.objectContaining({
          topologyKey: "topology.kubernetes.io/zone",
          labelSelector: { matchLabels: { "cnpg.io/cluster": "db" } },
        }),
      ],
      storage: { size: "100Gi", storageClass: "standard-rwo" },
      plugins: [
        {
          name: "barman-cloud.cloudnative-pg.io",
          isWALArchiver: true,
          parameters: { barmanObjectName: "db-backup" },
        },
      ],
    });
    // WAL archiving and base backups go to the ObjectStore the plugin entry names.
    const store = one(objects, "ObjectStore", "db-backup");
    expect(store.spec.retentionPolicy).toBe("30d");
    const backup = one(objects, "ScheduledBackup");
    expect(backup.spec).toMatchObject({
      schedule: "0 0 3 * * *",
      cluster: { name: "db" },
      method: "plugin",
      pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
    });
  });

  test("each cloud's backup identity: GKE Workload Identity, EKS IRSA, DigitalOcean keys", () => {
    const gcp = render(releaseNamed(app.stacks.get("prod-gcp-databases")!, "db").values);
    expect(one(gcp, "ObjectStore").spec.configuration).toMatchObject({
      destinationPath: "gs://angzarr-prod-prod-pg-backups/prod/db",
      googleCredentials: { gkeEnvironment: true },
    });
    expect(one(gcp, "Cluster").spec.serviceAccountTemplate.metadata.annotations).toEqual({
      "iam.gke.io/gcp-service-account": "prod-pg-backup@angzarr-prod.iam.gserviceaccount.com",
    });
    const aws = render(releaseNamed(app.stacks.get("prod-aws-databases")!, "db").values);
    expect(one(aws, "ObjectStore").spec.configuration).toMatchObject({
      destinationPath: expect.stringMatching(/^s3:\/\/[a-z0-9-]*prod-pg-backups-.+\/prod\/db$/),
      s3Credentials: { inheritFromIAMRole: true },
    });
    expect(
      one(aws, "Cluster").spec.serviceAccountTemplate.metadata.annotations[
        "eks.amazonaws.com/role-arn"
      ],
    ).toMatch(/role\/prod-pg-backup|aws_iam_role/);
    const doStore = one(
      render(releaseNamed(app.stacks.get("prod-do-databases")!, "db").values),
      "ObjectStore",
    );
    expect(doStore.spec.configuration).toMatchObject({
      destinationPath: expect.stringMatching(
        /^s3:\/\/[a-z0-9-]*prod-pg-backups[a-z0-9-]*\/prod\/db$/,
      ),
      endpointURL: expect.stringMatching(/^https:\/\/[a-z0-9]+\.digitaloceanspaces\.com$/),
      s3Credentials: {
        accessKeyId: { name: "db-backup-credentials", key: "ACCESS_KEY_ID" },
        secretAccessKey: { name: "db-backup-credentials", key: "ACCESS_SECRET_KEY" },
      },
    });
    expect(doStore.spec.instanceSidecarConfiguration.env).toContainEqual({
      name: "AWS_REQUEST_CHECKSUM_CALCULATION",
      value: "when_required",
    });
  });
});

const GCS: BackupStore = {
  cloud: "gcp",
  bucket: "proj-prod-pg-backups",
  region: "europe-west1",
  destinationPath: "gs://proj-prod-pg-backups/prod/db2",
  namespace: "prod",
  serviceAccount: "db2",
  credentials: {
    kind: "gke-workload-identity",
    serviceAccountId: "prod-pg-backup",
    serviceAccountEmail: "prod-pg-backup@proj.iam.gserviceaccount.com",
  },
  retention: "7d",
  retentionDays: 7,
};
const props: PostgresClusterProps = {
  name: "db2",
  namespace: "prod",
  chart: { chart: CHART },
  ha: true,
  instances: 3,
  storageClass: "standard-rwo",
  storage: "20Gi",
  resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
  database: "app",
  username: "app",
  backup: { store: GCS, retention: "7d", schedule: "0 0 3 * * *" },
  restore: {
    from: "db",
    targetTime: "2026-11-30T04:00:00Z",
    store: { ...GCS, destinationPath: "gs://proj-prod-pg-backups/prod/db" },
  },
};
const valuesOf = (p: Partial<PostgresClusterProps> = {}) =>
  releaseNamed(
    synthScope((scope) => new PostgresCluster(scope, "PostgresCluster", { ...props, ...p })),
    p.name ?? "db2",
  ).values;

describeWithHelm("charts/postgres-cluster with helm: restore", () => {
  test("bootstrap.recovery from the source's ObjectStore at a point in time; valid against the CRDs", () => {
    const objects = render(valuesOf(), "db2");
    for (const o of objects) expect(crdProblems(o)).toEqual([]);
    const cluster = one(objects, "Cluster");
    expect(cluster.spec.bootstrap).toEqual({
      recovery: {
        source: "db",
        database: "app",
        owner: "app",
        secret: { name: "db2-credentials" },
        recoveryTarget: { targetTime: "2026-11-30T04:00:00Z" },
      },
    });
    expect(cluster.spec.externalClusters).toEqual([
      {
        name: "db",
        plugin: {
          name: "barman-cloud.cloudnative-pg.io",
          parameters: { barmanObjectName: "db2-restore-source", serverName: "db" },
        },
      },
    ]);
    // The source is read from its own folder; the new cluster archives into its own.
    expect(
      one(objects, "ObjectStore", "db2-restore-source").spec.configuration.destinationPath,
    ).toBe("gs://proj-prod-pg-backups/prod/db");
    expect(one(objects, "ObjectStore", "db2-backup").spec.configuration.destinationPath).toBe(
      "gs://proj-prod-pg-backups/prod/db2",
    );
  });

  test("without a target time: recovery to the end of the archived WAL", () => {
    const objects = render(
      valuesOf({ restore: { ...props.restore!, targetTime: undefined } }),
      "db2",
    );
    expect(one(objects, "Cluster").spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
  });

  test("a cluster restored from itself, and HA with fewer than 3 instances, are refused", () => {
    expect(() => valuesOf({ restore: { ...props.restore!, from: "db2" } })).toThrow(
      /restore\.from is the cluster itself/,
    );
    expect(() => valuesOf({ instances: 2 })).toThrow(/at least 3 instances/);
  });

  test("import from the Bitnami release: initdb.import over an externalClusters entry, valid against the CRDs", () => {
    const objects = render(
      valuesOf({
        restore: undefined,
        import: {
          from: "db",
          host: "db-postgresql.prod.svc.cluster.local",
          secretName: "db-postgresql-credentials",
          passwordKey: "postgres-password",
        },
      }),
      "db2",
    );
    for (const o of objects) expect(crdProblems(o)).toEqual([]);
    const cluster = one(objects, "Cluster");
    expect(cluster.spec.bootstrap.initdb).toEqual({
      database: "app",
      owner: "app",
      secret: { name: "db2-credentials" },
      import: { type: "microservice", databases: ["app"], source: { externalCluster: "db" } },
    });
    expect(cluster.spec.externalClusters).toEqual([
      {
        name: "db",
        connectionParameters: {
          host: "db-postgresql.prod.svc.cluster.local",
          user: "postgres",
          dbname: "postgres",
          sslmode: "disable",
        },
        password: { name: "db-postgresql-credentials", key: "postgres-password" },
      },
    ]);
  });

  test("the chart refuses values without the pinned image", () => {
    expect(() =>
      render({ ...valuesOf(), cluster: { ...(valuesOf().cluster as object), imageName: "" } }),
    ).toThrow(/imageName/);
  });
});
