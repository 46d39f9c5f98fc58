/**
 * Where an environment's PostgreSQL backups go on one cloud, and how the database pods reach it.
 * The cloud's data layer creates the bucket and the identity; the databases layer points the
 * CloudNativePG cluster's backups at them. Both sides call this function, so they agree on the
 * names without reading each other's state (like stacks/identity-names.ts for apps).
 *
 * Bucket names are global (one namespace per cloud, shared with every other customer), so the
 * defaults carry something only this environment has: the GCP project id, the AWS account id (or
 * the team and region), the team on DigitalOcean. `databases.postgresql.backup.bucket` overrides
 * them. {@link postgresBackupProblems} checks every name against its cloud's rules before anything
 * is synthesized (environments/index.ts), with the field to change.
 */
import type { Environment } from "../../environments/schema";
import type { Problem } from "../../environments/errors";
import type { ConfigCloud } from "../../environments/schema/workloads";
import { checkName, NAME_RULES, type NameRule } from "./naming";

/** How the PostgreSQL instance pods authenticate to the object store. */
export type BackupCredentials =
  /** GKE Workload Identity: the cluster's Kubernetes service account impersonates this Google one. */
  | {
      readonly kind: "gke-workload-identity";
      readonly serviceAccountId: string;
      /** `<serviceAccountId>@<project>.iam.gserviceaccount.com`: the KSA annotation's value. */
      readonly serviceAccountEmail: string;
    }
  /** EKS IRSA: the cluster's Kubernetes service account assumes this IAM role. */
  | { readonly kind: "aws-irsa"; readonly roleName: string }
  /** Static keys in a Secret (DigitalOcean Spaces has no workload identity). */
  | {
      readonly kind: "secret";
      readonly secretName: string;
      readonly accessKeyIdKey: string;
      readonly secretAccessKeyKey: string;
      /** Name of the Spaces access key (digitalocean_spaces_key) whose keys the Secret holds. */
      readonly spacesKeyName: string;
    };

export interface BackupStore {
  readonly cloud: ConfigCloud;
  /** Bucket (GCS, S3) or Space (DigitalOcean) name. */
  readonly bucket: string;
  /** Where the bucket is: the GCP region, the AWS region, the DigitalOcean region. */
  readonly region: string;
  /** barman-cloud destination: `gs://<bucket>/<path>` or `s3://<bucket>/<path>`. */
  readonly destinationPath: string;
  /** S3-compatible endpoint (DigitalOcean Spaces); absent on GCS and S3. */
  readonly endpointUrl?: string;
  /** Kubernetes namespace and service account the database pods run as. */
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly credentials: BackupCredentials;
  /** barman's recovery window (`databases.postgresql.backup.retention`), e.g. "30d". */
  readonly retention: string;
  /** The same window in days (a month counted as 31), for the bucket's lifecycle rules. */
  readonly retentionDays: number;
}

/** What the name rules below are read from. */
const SOURCES = {
  gcs: "https://cloud.google.com/storage/docs/buckets#naming",
  s3: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  spaces: "https://docs.digitalocean.com/products/spaces/how-to/create/",
};

/**
 * GCS bucket names without dots (a dotted name needs domain verification): 3–63 characters of
 * lower-case letters, digits, hyphens and underscores, starting and ending with a letter or digit.
 */
const GCS_BUCKET: NameRule = {
  what: "GCS bucket name",
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9][a-z0-9_-]*[a-z0-9]$/,
  charset: "lower-case letters, digits, hyphens and underscores, starting and ending alphanumeric",
};

/**
 * S3 general purpose bucket names without dots (dots break virtual-hosted TLS): 3–63 characters
 * of lower-case letters, digits and hyphens, starting and ending with a letter or digit.
 */
const S3_BUCKET: NameRule = {
  what: "S3 bucket name",
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/,
  charset: "lower-case letters, digits and hyphens, starting and ending alphanumeric",
};

/** Spaces bucket names: 3–63 characters of lower-case letters, digits and hyphens. */
const SPACES_BUCKET: NameRule = {
  what: "Spaces bucket name",
  minLength: 3,
  maxLength: 63,
  pattern: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/,
  charset: "lower-case letters, digits and hyphens, starting and ending alphanumeric",
};

/** Google service account ids. @see https://cloud.google.com/iam/docs/service-accounts-create */
const GSA_ID: NameRule = {
  ...NAME_RULES.gcp,
  what: "GCP service account id",
  minLength: 6,
  maxLength: 30,
};

/** Reserved prefixes and suffixes of S3 bucket names (SOURCES.s3). */
const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Regions with Spaces, read from the provider's validator of `digitalocean_spaces_bucket.region`
 * (terraform-provider-digitalocean v2.71.0, digitalocean/spaces/spaces_entities.go `SpacesRegions`).
 */
export const SPACES_REGIONS = [
  "ams3",
  "atl1",
  "blr1",
  "fra1",
  "lon1",
  "nyc3",
  "sfo2",
  "sfo3",
  "sgp1",
  "syd1",
  "tor1",
] as const;

/** Days in a retention like "30d", "4w" or "3m" (a month counted as 31 days: never short). */
export function retentionDays(retention: string): number {
  const m = /^([1-9][0-9]*)([dwm])$/.exec(retention);
  if (!m) throw new Error(`backup retention "${retention}" is not a count and a unit (d, w, m)`);
  return Number(m[1]) * { d: 1, w: 7, m: 31 }[m[2] as "d" | "w" | "m"];
}

/** Where a bucket name problem is fixed. */
const BUCKET_FIELD = "workloads.databases.postgresql.backup.bucket";

/** The store, or the problems that keep it from being made. */
type Outcome =
  | { readonly store: BackupStore; readonly problems?: undefined }
  | { readonly store?: undefined; readonly problems: readonly Problem[] };

function bucketProblems(bucket: string, rule: NameRule, cloud: ConfigCloud, env: Environment) {
  const found: string[] = [];
  const problem = checkName(bucket, rule);
  if (problem) found.push(problem);
  if (cloud === "gcp" && (/^goog/.test(bucket) || /g[o0]{2}gle/.test(bucket)))
    found.push(`GCS bucket name "${bucket}" may not begin with "goog" or contain "google"`);
  if (cloud === "aws") {
    const bad = [
      ...S3_RESERVED_PREFIXES.filter((p) => bucket.startsWith(p)),
      ...S3_RESERVED_SUFFIXES.filter((s) => bucket.endsWith(s)),
    ];
    if (bad.length) found.push(`S3 bucket name "${bucket}" uses the reserved "${bad[0]}"`);
  }
  const configured = env.workloads.databases.postgresql?.backup.bucket !== undefined;
  const rules = { gcp: SOURCES.gcs, aws: SOURCES.s3, digitalocean: SOURCES.spaces }[cloud];
  return found.map((message): Problem => ({
    path: `${env.name}.${BUCKET_FIELD}`,
    message: configured
      ? `${message}; choose another name (${rules})`
      : `${message} (Strata's name for ${env.name}'s ${cloud} backups); set backup.bucket to a name of your own (${rules})`,
  }));
}

function resolve(env: Environment, cloud: ConfigCloud): Outcome | undefined {
  const pg = env.workloads.databases.postgresql;
  if (!pg || !pg.clouds.includes(cloud) || !pg.backup.enabled) return undefined;
  if ((pg as { engine?: string }).engine === "bitnami") return undefined;
  const namespace = env.workloads.namespace;
  // The CloudNativePG cluster is named after the release; its pods run as a service account of that name.
  const serviceAccount = pg.releaseName;
  const path = postgresBackupPath(env.name, pg.releaseName);
  const retention = pg.backup.retention;
  const base = {
    cloud,
    namespace,
    serviceAccount,
    retention,
    retentionDays: retentionDays(retention),
  };
  const field = `${env.name}.workloads.databases.postgresql.backup`;
  const noTarget = (): Outcome => ({
    problems: [
      {
        path: `${field}.enabled`,
        message: `PostgreSQL backups on ${cloud} need targets.${cloud}: the bucket and its identity live in ${env.name}'s own ${cloud} data layer (a guest on a shared cluster too); add targets.${cloud}, or set backup.enabled: false`,
      },
    ],
  });
  const identity = (
    name: string,
    rule: NameRule,
    where = { path: `${env.name}.name`, fix: "shorten the environment name" },
  ): Problem[] => {
    const problem = checkName(name, rule);
    return problem ? [{ path: where.path, message: `${problem}; ${where.fix}` }] : [];
  };
  // An application's identity is `<env>-<app>` (stacks/identity-names.ts): an app named
  // "pg-backup" would claim the backup identity's name.
  const taken = (name: string, apps: ReadonlyArray<{ app: string }>): Problem[] =>
    apps.some((w) => `${env.name}-${w.app}` === name)
      ? [
          {
            path: `${env.name}.targets.${cloud}.workloadIdentities`,
            message: `the identity of app "pg-backup" is named ${name}, the name of the PostgreSQL backup identity; rename the app`,
          },
        ]
      : [];
  switch (cloud) {
    case "gcp": {
      const gcp = env.targets.gcp;
      if (!gcp) return noTarget();
      const bucket = pg.backup.bucket ?? `${gcp.project}-${env.name}-pg-backups`;
      const serviceAccountId = `${env.name}-pg-backup`;
      const problems = [
        ...bucketProblems(bucket, GCS_BUCKET, cloud, env),
        ...identity(serviceAccountId, GSA_ID),
        ...taken(serviceAccountId, gcp.workloadIdentities),
      ];
      if (problems.length) return { problems };
      return {
        store: {
          ...base,
          bucket,
          region: gcp.region,
          destinationPath: `gs://${bucket}/${path}`,
          credentials: {
            kind: "gke-workload-identity",
            serviceAccountId,
            serviceAccountEmail: `${serviceAccountId}@${gcp.project}.iam.gserviceaccount.com`,
          },
        },
      };
    }
    case "aws": {
      const aws = env.targets.aws;
      if (!aws) return noTarget();
      // The account id makes the name this account's; without it, the team narrows the global namespace.
      const bucket =
        pg.backup.bucket ??
        (aws.accountId
          ? `${env.name}-pg-backups-${aws.accountId}`
          : `${env.team}-${env.name}-pg-backups-${aws.region}`);
      const roleName = `${env.name}-pg-backup`;
      const problems = [
        ...bucketProblems(bucket, S3_BUCKET, cloud, env),
        ...identity(roleName, { ...NAME_RULES.aws, what: "IAM role name" }),
        ...taken(roleName, aws.workloadIdentities),
      ];
      if (problems.length) return { problems };
      return {
        store: {
          ...base,
          bucket,
          region: aws.region,
          destinationPath: `s3://${bucket}/${path}`,
          credentials: { kind: "aws-irsa", roleName },
        },
      };
    }
    case "digitalocean": {
      const d = env.targets.digitalocean;
      if (!d) return noTarget();
      const region = d.region;
      if (!(SPACES_REGIONS as readonly string[]).includes(region)) {
        return {
          problems: [
            {
              path: `${field}.enabled`,
              message: `DigitalOcean region "${region}" (targets.digitalocean.region) has no Spaces (${SPACES_REGIONS.join(", ")}); set backup.enabled: false or use a region with Spaces`,
            },
          ],
        };
      }
      const bucket = pg.backup.bucket ?? `${env.team}-${env.name}-pg-backups`;
      const spacesKeyName = `${env.name}-pg-backup`;
      const secretName = `${pg.releaseName}-backup-credentials`;
      const problems = [
        ...bucketProblems(bucket, SPACES_BUCKET, cloud, env),
        ...identity(spacesKeyName, { ...NAME_RULES.digitalocean, what: "Spaces key name" }),
        ...identity(
          secretName,
          { ...NAME_RULES.dnsLabel, what: "Secret name" },
          {
            path: `${env.name}.workloads.databases.postgresql.releaseName`,
            fix: "shorten releaseName",
          },
        ),
      ];
      if (problems.length) return { problems };
      return {
        store: {
          ...base,
          bucket,
          region,
          destinationPath: `s3://${bucket}/${path}`,
          endpointUrl: `https://${region}.digitaloceanspaces.com`,
          credentials: {
            kind: "secret",
            secretName,
            accessKeyIdKey: "ACCESS_KEY_ID",
            secretAccessKeyKey: "ACCESS_SECRET_KEY",
            spacesKeyName,
          },
        },
      };
    }
  }
}

/**
 * The backup store of `env`'s PostgreSQL on `cloud`, or undefined when backups are off there
 * (no PostgreSQL on that cloud, backups disabled, or the Bitnami engine, which has none). Throws
 * what {@link postgresBackupProblems} reports (the registry reports it first).
 */
export function postgresBackupStore(env: Environment, cloud: ConfigCloud): BackupStore | undefined {
  const outcome = resolve(env, cloud);
  if (outcome?.problems) {
    throw new Error(outcome.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  }
  return outcome?.store;
}

/** The clouds where `env` keeps PostgreSQL backups (a store exists). */
export function postgresBackupClouds(env: Environment): ConfigCloud[] {
  return (["gcp", "aws", "digitalocean"] as const).filter((c) => resolve(env, c)?.store);
}

/** Why `env`'s backup stores cannot be made: names against their clouds' rules, missing targets. */
export function postgresBackupProblems(env: Environment): Problem[] {
  return (["gcp", "aws", "digitalocean"] as const).flatMap((c) => resolve(env, c)?.problems ?? []);
}

/**
 * The folder of one release's backups in the environment's store: a restore reads another
 * release's folder of the same bucket (its barman serverName is that release's cluster name).
 */
export function postgresBackupPath(envName: string, releaseName: string): string {
  return `${envName}/${releaseName}`;
}
