/**
 * PostgreSQL backup stores as synthesized: the bucket's safety settings, the identity's scope (that
 * bucket only) and its Kubernetes subject, both read back against the contract
 * (modules/common/backup-store.ts), for a test environment on each cloud, guests of shared
 * clusters, and the seeds.
 */
import fs from "node:fs";
import type { EnvironmentInput } from "../../environments/schema";
import { postgresBackupStore, type BackupStore } from "../../modules/common/backup-store";
import { BITNAMI_IMAGES, withImageWaivers } from "../support/env";
import { realApp, synthesizeRealApp, type SynthesizedApp } from "../support/app";
import type { TfJson } from "../support/synth";

const TARGETS: EnvironmentInput["targets"] = {
  gcp: {
    project: "strata-test",
    projectNumber: "123456789012",
    region: "europe-west1",
    cluster: {},
  },
  aws: { region: "eu-west-1", accountId: "123456789012", cluster: {} },
  digitalocean: {
    region: "fra1",
    network: { ipRange: "10.200.0.0/20" },
    cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
  },
};

function env(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return {
    name: "test",
    tier: "dev",
    owner: "platform",
    team: "core",
    customerManagedKeys: true,
    targets: TARGETS,
    workloads: {
      images: BITNAMI_IMAGES,
      databases: { postgresql: { backup: { enabled: true, retention: "14d" } } },
    },
    ...overrides,
  };
}

/** A synthesized resource or data source body, read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const apps: SynthesizedApp[] = [];
function synth(envs: EnvironmentInput[]): SynthesizedApp {
  const app = synthesizeRealApp(undefined, { builtins: withImageWaivers(envs) });
  apps.push(app);
  return app;
}
afterAll(() => apps.forEach((a) => fs.rmSync(a.outdir, { recursive: true, force: true })));

function stack(app: SynthesizedApp, name: string): TfJson {
  const tf = app.stacks.get(name);
  if (!tf) throw new Error(`no stack ${name}; have ${[...app.stacks.keys()].join(", ")}`);
  return tf;
}
const resources = (tf: TfJson, type: string) => Object.values(tf.resource?.[type] ?? {});
const one = (tf: TfJson, type: string) => {
  const all = resources(tf, type);
  expect(all).toHaveLength(1);
  return all[0] as Body;
};
function storeOf(app: SynthesizedApp, name: string, cloud: BackupStore["cloud"]): BackupStore {
  const e = app.registry.all.find((x) => x.name === name)!;
  return postgresBackupStore(e, cloud)!;
}
/** Every resource of every stack that names `text` anywhere. */
function mentions(app: SynthesizedApp, text: string): string[] {
  const found: string[] = [];
  for (const [name, tf] of app.stacks)
    for (const [type, byId] of Object.entries(tf.resource ?? {}))
      for (const [id, body] of Object.entries(byId))
        if (JSON.stringify(body).includes(text)) found.push(`${name}/${type}.${id}`);
  return found.sort();
}

describe("GCP: a GCS bucket and a workload identity allowed on it only", () => {
  let app: SynthesizedApp;
  let store: BackupStore;
  let data: TfJson;
  beforeAll(() => {
    app = synth([env()]);
    store = storeOf(app, "test", "gcp");
    data = stack(app, "test-gcp-data");
  });

  test("the bucket: private, uniform access, CMEK with the pg-backups key, soft delete, lifecycle", () => {
    const bucket = one(data, "google_storage_bucket");
    expect(bucket).toMatchObject({
      name: store.bucket,
      project: "strata-test",
      location: "EUROPE-WEST1",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      force_destroy: false,
      encryption: {
        default_kms_key_name:
          "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/pg-backups",
      },
      soft_delete_policy: { retention_duration_seconds: 14 * 86400 },
    });
    // Abandoned objects go well after barman's own 14-day window; unfinished uploads after a week.
    expect(bucket.lifecycle_rule).toEqual([
      { action: { type: "Delete" }, condition: { age: 35 } },
      { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
    ]);
    expect(bucket.lifecycle_rule[0].condition.age).toBeGreaterThan(store.retentionDays);
    // The key exists in the network stack's key ring, and Cloud Storage's agent may use it.
    const keys = resources(stack(app, "test-gcp-network"), "google_kms_crypto_key");
    expect(keys.map((k) => k.name)).toContain("pg-backups");
    const grant = one(data, "google_kms_crypto_key_iam_member");
    expect(grant).toMatchObject({
      crypto_key_id: bucket.encryption.default_kms_key_name,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      // Cloud Storage's agent as the data source reports it (it creates the agent if missing).
      member: expect.stringMatching(
        /^\$\{data\.google_storage_project_service_account\.PostgresBackup_StorageAgent_\w+\.member\}$/,
      ),
    });
    expect(bucket.depends_on).toEqual([
      expect.stringMatching(/^google_kms_crypto_key_iam_member\./),
    ]);
  });

  test("the identity: the contract's account, roles on that bucket only, bound to the contract's KSA", () => {
    if (store.credentials.kind !== "gke-workload-identity") throw new Error("not WI");
    const email = store.credentials.serviceAccountEmail;
    const sa = one(data, "google_service_account");
    expect(sa).toMatchObject({
      account_id: store.credentials.serviceAccountId,
      project: "strata-test",
    });
    const grants = resources(data, "google_storage_bucket_iam_member");
    expect(grants.map((g) => g.role).sort()).toEqual([
      "roles/storage.legacyBucketReader",
      "roles/storage.objectAdmin",
    ]);
    for (const g of grants) {
      expect(g.member).toBe(`serviceAccount:${email}`);
      // The member is a literal email: the grant waits for the account the same stack creates.
      expect(g.depends_on).toEqual([expect.stringMatching(/^google_service_account\./)]);
      expect(g.bucket).toMatch(/^\$\{google_storage_bucket\.PostgresBackup_Bucket_\w+\.name\}$/);
    }
    const binding = one(data, "google_service_account_iam_member");
    expect(binding).toMatchObject({
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:strata-test.svc.id.goog[${store.namespace}/${store.serviceAccount}]`,
    });
    // Nothing else anywhere grants the account anything (no project roles, no other bucket); the
    // databases layer only names it, on the CloudNativePG cluster's service account.
    expect(mentions(app, email)).toEqual([
      ...grants.map(() =>
        expect.stringMatching(/^test-gcp-data\/google_storage_bucket_iam_member\./),
      ),
      expect.stringMatching(/^test-gcp-databases\/helm_release\.PostgresCluster_/),
    ]);
  });

  test("the data stack waits for the cluster (the pool), the databases stack for the data stack", () => {
    expect(app.manifest.stacks["test-gcp-data"].dependencies.sort()).toEqual([
      "test-gcp-cluster",
      "test-gcp-network",
    ]);
    expect(app.manifest.stacks["test-gcp-databases"].dependencies.sort()).toEqual([
      "test-gcp-data",
      "test-gcp-platform",
    ]);
  });

  test("without customer-managed keys: Google-managed encryption, no pg-backups key", () => {
    const plain = synth([env({ customerManagedKeys: false })]);
    const bucket = one(stack(plain, "test-gcp-data"), "google_storage_bucket");
    expect(bucket.encryption).toBeUndefined();
    expect(resources(stack(plain, "test-gcp-data"), "google_kms_crypto_key_iam_member")).toEqual(
      [],
    );
  });
});

describe("AWS: an S3 bucket and an IRSA role allowed on it only", () => {
  let app: SynthesizedApp;
  let store: BackupStore;
  let data: TfJson;
  beforeAll(() => {
    app = synth([env()]);
    store = storeOf(app, "test", "aws");
    data = stack(app, "test-aws-data");
  });

  test("the bucket: public access blocked, owner-enforced, versioned, SSE-KMS, TLS only, lifecycle", () => {
    const bucket = one(data, "aws_s3_bucket");
    expect(bucket).toMatchObject({
      bucket: store.bucket,
      force_destroy: false,
      lifecycle: { prevent_destroy: false },
    });
    const ref = expect.stringMatching(/^\$\{aws_s3_bucket\.PostgresBackup_Bucket_\w+\.id\}$/);
    expect(one(data, "aws_s3_bucket_public_access_block")).toMatchObject({
      bucket: ref,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(one(data, "aws_s3_bucket_ownership_controls")).toMatchObject({
      bucket: ref,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(one(data, "aws_s3_bucket_versioning")).toMatchObject({
      bucket: ref,
      versioning_configuration: { status: "Enabled" },
    });
    expect(one(data, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({
      rule: [
        {
          apply_server_side_encryption_by_default: {
            sse_algorithm: "aws:kms",
            kms_master_key_id: expect.stringMatching(
              /^\$\{aws_kms_key\.PostgresBackupKey_\w+\.arn\}$/,
            ),
          },
          bucket_key_enabled: true,
        },
      ],
    });
    const policy = JSON.parse(one(data, "aws_s3_bucket_policy").policy as string);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": false } },
      }),
    ]);
    const rules = one(data, "aws_s3_bucket_lifecycle_configuration").rule as Array<Body>;
    expect(rules.map((r) => r.id)).toEqual([
      "expire-abandoned",
      "expire-old-versions",
      "abort-incomplete-uploads",
    ]);
    expect(rules[0].expiration[0].days).toBeGreaterThan(store.retentionDays);
    expect(rules[1].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rules[2].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test("the role: trusted by the cluster's OIDC provider for the contract's service account only", () => {
    if (store.credentials.kind !== "aws-irsa") throw new Error("not IRSA");
    expect(one(data, "aws_iam_role").name).toBe(store.credentials.roleName);
    expect(Object.values(data.data!.aws_eks_cluster)).toEqual([
      expect.objectContaining({ name: "test-eks" }),
    ]);
    const trust = Object.values(data.data!.aws_iam_policy_document)[0] as Body;
    const [statement] = trust.statement;
    expect(statement.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(statement.principals).toEqual([
      {
        type: "Federated",
        identifiers: [
          expect.stringMatching(/^\$\{data\.aws_iam_openid_connect_provider\.\w+\.arn\}$/),
        ],
      },
    ]);
    expect(statement.condition).toEqual([
      expect.objectContaining({
        test: "StringEquals",
        variable: expect.stringMatching(/:sub$/),
        values: [`system:serviceaccount:${store.namespace}:${store.serviceAccount}`],
      }),
      expect.objectContaining({
        variable: expect.stringMatching(/:aud$/),
        values: ["sts.amazonaws.com"],
      }),
    ]);
  });

  test("its policy: that bucket, its objects and its key, and no purge of old versions", () => {
    const policy = one(data, "aws_iam_role_policy");
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.PostgresBackupRole_\w+\.name\}$/);
    const statements = JSON.parse(policy.policy as string).Statement as Array<Body>;
    const bucketArn = "${aws_s3_bucket.PostgresBackup_Bucket_";
    expect(statements.map((s) => [s.Effect, s.Resource])).toEqual([
      ["Allow", expect.stringMatching(/^\$\{aws_s3_bucket\.PostgresBackup_Bucket_\w+\.arn\}$/)],
      ["Allow", expect.stringMatching(/^\$\{aws_s3_bucket\.PostgresBackup_Bucket_\w+\.arn\}\/\*$/)],
      ["Allow", expect.stringMatching(/^\$\{aws_kms_key\.PostgresBackupKey_\w+\.arn\}$/)],
    ]);
    expect(statements[0].Resource.startsWith(bucketArn)).toBe(true);
    const actions = statements.flatMap((s) => s.Action as string[]);
    expect(actions).toEqual(
      expect.arrayContaining(["s3:ListBucket", "s3:PutObject", "s3:DeleteObject"]),
    );
    expect(actions.filter((a) => a.includes("*") || a === "s3:DeleteObjectVersion")).toEqual([]);
  });

  test("the data stack waits for the cluster (its OIDC provider), the databases stack for it", () => {
    expect(app.manifest.stacks["test-aws-data"].dependencies.sort()).toEqual([
      "test-aws-cluster",
      "test-aws-network",
    ]);
    expect(app.manifest.stacks["test-aws-databases"].dependencies.sort()).toEqual([
      "test-aws-data",
      "test-aws-platform",
    ]);
  });
});

describe("DigitalOcean: a Space, and a key limited to it in a Secret on the cluster", () => {
  let app: SynthesizedApp;
  let store: BackupStore;
  beforeAll(() => {
    app = synth([env()]);
    store = storeOf(app, "test", "digitalocean");
  });

  test("the Space: private, versioned, lifecycle; in the data stack", () => {
    const bucket = one(stack(app, "test-do-data"), "digitalocean_spaces_bucket");
    expect(bucket).toMatchObject({
      name: store.bucket,
      region: "fra1",
      acl: "private",
      force_destroy: false,
      versioning: { enabled: true },
      lifecycle_rule: [
        {
          enabled: true,
          expiration: { days: 35 },
          noncurrent_version_expiration: { days: 30 },
          abort_incomplete_multipart_upload_days: 7,
        },
      ],
    });
    // No managed databases: the data stack holds the Space only.
    expect(Object.keys(stack(app, "test-do-data").resource!)).toEqual([
      "digitalocean_spaces_bucket",
    ]);
  });

  test("the key may read and write that Space only; its halves go to the contract's Secret", () => {
    if (store.credentials.kind !== "secret") throw new Error("not a Secret");
    const c = store.credentials;
    const platform = stack(app, "test-do-platform");
    const key = one(platform, "digitalocean_spaces_key");
    expect(key).toEqual(
      expect.objectContaining({
        name: c.spacesKeyName,
        grant: [{ bucket: store.bucket, permission: "readwrite" }],
      }),
    );
    const secret = resources(platform, "kubernetes_secret_v1").find(
      (s) => (s.metadata as { name: string }).name === c.secretName,
    )!;
    expect(secret).toMatchObject({
      metadata: { name: c.secretName, namespace: store.namespace },
      type: "Opaque",
      data: {
        [c.accessKeyIdKey]: expect.stringMatching(
          /^\$\{digitalocean_spaces_key\.\w+\.access_key\}$/,
        ),
        [c.secretAccessKeyKey]: expect.stringMatching(
          /^\$\{digitalocean_spaces_key\.\w+\.secret_key\}$/,
        ),
      },
      depends_on: [expect.stringMatching(/^kubernetes_namespace_v1\./)],
    });
  });

  test("the platform stack (key and Secret) waits for the data stack (the Space)", () => {
    expect(app.manifest.stacks["test-do-platform"].dependencies.sort()).toEqual([
      "test-do-cluster",
      "test-do-data",
    ]);
  });
});

describe("guests of shared clusters", () => {
  const guest = (cloud: "gcp" | "aws"): EnvironmentInput => ({
    name: "guest",
    tier: "dev",
    owner: "platform",
    team: "core",
    targets:
      cloud === "gcp"
        ? { gcp: { project: "strata-guest", region: "europe-west1" } }
        : { aws: { region: "eu-west-1", accountId: "123456789012" } },
    workloads: {
      sharedCluster: { environment: "test", cloud },
      images: BITNAMI_IMAGES,
      databases: { postgresql: { backup: { enabled: true } } },
    },
  });

  test("GKE: the guest's own project holds bucket and account; the binding is in the owner's pool", () => {
    const app = synth([env(), guest("gcp")]);
    const data = stack(app, "guest-gcp-data");
    const store = storeOf(app, "guest", "gcp");
    expect(one(data, "google_storage_bucket")).toMatchObject({
      name: "strata-guest-guest-pg-backups",
      project: "strata-guest",
    });
    expect(one(data, "google_service_account_iam_member").member).toBe(
      `serviceAccount:strata-test.svc.id.goog[guest/${store.serviceAccount}]`,
    );
    expect(app.manifest.stacks["guest-gcp-data"].dependencies.sort()).toEqual([
      "guest-gcp-network",
      "test-gcp-cluster",
    ]);
    expect(app.manifest.stacks["guest-gcp-databases"].dependencies).toContain("guest-gcp-data");
  });

  test("EKS: the role trusts the owner's cluster for the guest's namespace", () => {
    const app = synth([env(), guest("aws")]);
    const data = stack(app, "guest-aws-data");
    expect(Object.values(data.data!.aws_eks_cluster)).toEqual([
      expect.objectContaining({ name: "test-eks" }),
    ]);
    const trust = JSON.stringify(data.data!.aws_iam_policy_document);
    expect(trust).toContain('"system:serviceaccount:guest:db"');
    expect(app.manifest.stacks["guest-aws-data"].dependencies.sort()).toEqual([
      "guest-aws-network",
      "test-aws-cluster",
    ]);
  });
});

describe("the seeds", () => {
  test("prod keeps backups on all three clouds, protected from destroy; staging on DigitalOcean", () => {
    const app = realApp();
    const prod = (cloud: BackupStore["cloud"]) => storeOf(app, "prod", cloud);
    expect(one(stack(app, "prod-gcp-data"), "google_storage_bucket")).toMatchObject({
      name: prod("gcp").bucket,
      lifecycle: { prevent_destroy: true },
      public_access_prevention: "enforced",
      encryption: { default_kms_key_name: expect.stringMatching(/\/cryptoKeys\/pg-backups$/) },
    });
    expect(one(stack(app, "prod-aws-data"), "aws_s3_bucket")).toMatchObject({
      bucket: prod("aws").bucket,
      lifecycle: { prevent_destroy: true },
    });
    expect(one(stack(app, "prod-do-data"), "digitalocean_spaces_bucket")).toMatchObject({
      name: prod("digitalocean").bucket,
      lifecycle: { prevent_destroy: true },
      acl: "private",
    });
    // Staging runs on prod's DOKS cluster: its Space in its own data stack, its Secret in its namespace.
    const staging = storeOf(app, "staging", "digitalocean");
    expect(one(stack(app, "staging-do-data"), "digitalocean_spaces_bucket").name).toBe(
      staging.bucket,
    );
    expect(staging.bucket).not.toBe(prod("digitalocean").bucket);
    const secret = resources(stack(app, "staging-do-platform"), "kubernetes_secret_v1").map(
      (s) => s.metadata as { name: string; namespace: string },
    );
    expect(secret).toContainEqual(
      expect.objectContaining({ name: "db-backup-credentials", namespace: "staging" }),
    );
    for (const layer of ["gcp", "aws", "do"])
      expect(app.manifest.stacks[`prod-${layer}-databases`].dependencies).toContain(
        `prod-${layer}-data`,
      );
    // Dev keeps none (backups are off in the dev tier).
    expect(mentions(app, "pg-backup").filter((m) => m.startsWith("dev-"))).toEqual([]);
  });
});
