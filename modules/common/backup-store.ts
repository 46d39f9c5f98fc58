/**
 * Where an environment's PostgreSQL backups go on one cloud, and how the database pods reach it.
 * The cloud's data layer creates the bucket and the identity; the databases layer points the
 * CloudNativePG cluster's backups at them. Both sides call this function, so they agree on the
 * names without reading each other's state (like stacks/identity-names.ts for apps).
 */
import type { Environment } from "../../environments/schema";
import type { ConfigCloud } from "../../environments/schema/workloads";

/** How the PostgreSQL instance pods authenticate to the object store. */
export type BackupCredentials =
  /** GKE Workload Identity: the cluster's Kubernetes service account impersonates this Google one. */
  | { readonly kind: "gke-workload-identity"; readonly serviceAccountId: string }
  /** EKS IRSA: the cluster's Kubernetes service account assumes this IAM role. */
  | { readonly kind: "aws-irsa"; readonly roleName: string }
  /** Static keys in a Secret (DigitalOcean Spaces has no workload identity). */
  | {
      readonly kind: "secret";
      readonly secretName: string;
      readonly accessKeyIdKey: string;
      readonly secretAccessKeyKey: string;
    };

export interface BackupStore {
  readonly cloud: ConfigCloud;
  /** Bucket (GCS, S3) or Space (DigitalOcean) name. */
  readonly bucket: string;
  /** barman-cloud destination: `gs://<bucket>/<path>` or `s3://<bucket>/<path>`. */
  readonly destinationPath: string;
  /** S3-compatible endpoint (DigitalOcean Spaces); absent on GCS and S3. */
  readonly endpointUrl?: string;
  /** Kubernetes namespace and service account the database pods run as. */
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly credentials: BackupCredentials;
}

/**
 * The backup store of `env`'s PostgreSQL on `cloud`, or undefined when backups are off there
 * (no PostgreSQL on that cloud, backups disabled, or the Bitnami engine, which has none).
 */
export function postgresBackupStore(env: Environment, cloud: ConfigCloud): BackupStore | undefined {
  const pg = env.workloads.databases.postgresql;
  if (!pg || !pg.clouds.includes(cloud) || !pg.backup.enabled) return undefined;
  if ((pg as { engine?: string }).engine === "bitnami") return undefined;
  const namespace = env.workloads.namespace;
  // The CloudNativePG cluster is named after the release; its pods run as a service account of that name.
  const serviceAccount = pg.releaseName;
  const path = postgresBackupPath(env.name, pg.releaseName);
  switch (cloud) {
    case "gcp": {
      const bucket = `${env.targets.gcp!.project}-${env.name}-pg-backups`;
      return {
        cloud,
        bucket,
        destinationPath: `gs://${bucket}/${path}`,
        namespace,
        serviceAccount,
        credentials: { kind: "gke-workload-identity", serviceAccountId: `${env.name}-pg-backup` },
      };
    }
    case "aws": {
      const aws = env.targets.aws!;
      const bucket = `${env.name}-pg-backups-${aws.accountId ?? aws.region}`;
      return {
        cloud,
        bucket,
        destinationPath: `s3://${bucket}/${path}`,
        namespace,
        serviceAccount,
        credentials: { kind: "aws-irsa", roleName: `${env.name}-pg-backup` },
      };
    }
    case "digitalocean": {
      const region = env.targets.digitalocean!.region;
      const bucket = `${env.name}-pg-backups-${region}`;
      return {
        cloud,
        bucket,
        destinationPath: `s3://${bucket}/${path}`,
        endpointUrl: `https://${region}.digitaloceanspaces.com`,
        namespace,
        serviceAccount,
        credentials: {
          kind: "secret",
          secretName: `${pg.releaseName}-backup-credentials`,
          accessKeyIdKey: "ACCESS_KEY_ID",
          secretAccessKeyKey: "ACCESS_SECRET_KEY",
        },
      };
    }
  }
}

/**
 * The folder of one release's backups in the environment's store: a restore reads another
 * release's folder of the same bucket (its barman serverName is that release's cluster name).
 */
export function postgresBackupPath(envName: string, releaseName: string): string {
  return `${envName}/${releaseName}`;
}
