import type { ITerraformDependable } from "cdktf";
import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import {
  checkKmsKeyName,
  KMS_ENCRYPTER_DECRYPTER,
  type CmekSettings,
  type GcpPrincipal,
} from "./iam";

/** Props of {@link BackupBucket}. */
export interface BackupBucketProps {
  readonly project: string;
  /** Globally unique bucket name (modules/common/backup-store.ts checks it). */
  readonly name: string;
  /** Region of the bucket (and of its key). */
  readonly location: string;
  /** The writer's recovery window in days: objects older than {@link expireAfterDays} are deleted. */
  readonly retentionDays: number;
  /** Customer-managed key; the Cloud Storage service agent is granted its use. @default - Google-managed */
  readonly encryption?: CmekSettings;
  /** Labels on the bucket. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** `lifecycle.prevent_destroy`. */
  readonly preventDestroy: boolean;
}

/** Days deleted objects stay restorable (soft delete; GCS allows 7–90). */
export const BACKUP_SOFT_DELETE_DAYS = 14;
/** Days an unfinished multipart upload (an interrupted base backup) is kept. */
export const ABORT_UPLOAD_DAYS = 7;

/**
 * When the lifecycle deletes an object the writer left: twice its recovery window plus a week.
 * barman-cloud deletes what its retention policy no longer needs by itself; the rule only clears
 * what nothing deletes any more (a renamed cluster's folder). It could remove the last base backup
 * only after base backups have failed for longer than a whole window, which the backup alerts
 * report long before.
 */
export function expireAfterDays(retentionDays: number): number {
  return retentionDays * 2 + 7;
}

/**
 * Roles that let a backup writer do what barman-cloud does on GCS, on this bucket only: objects
 * listed, read, written and deleted (`roles/storage.objectAdmin`), and the bucket itself read,
 * because barman checks that it exists before writing (`bucket.exists()` needs
 * `storage.buckets.get`, in `roles/storage.legacyBucketReader`; barman release/3.17.0,
 * barman/cloud_providers/google_cloud_storage.py `_check_bucket_existence`).
 */
export const BACKUP_WRITER_ROLES = [
  "roles/storage.objectAdmin",
  "roles/storage.legacyBucketReader",
];

/**
 * A private Cloud Storage bucket for database backups: uniform bucket-level access, public access
 * prevention enforced, soft delete for {@link BACKUP_SOFT_DELETE_DAYS} days, optional CMEK, and
 * lifecycle rules that delete abandoned objects and unfinished uploads. Nothing is granted on it
 * but {@link grantWriter}.
 */
export class BackupBucket extends Construct {
  readonly bucket: StorageBucket;
  readonly keyGrant?: KmsCryptoKeyIamMember;
  /** Cloud Storage's service agent of the project (with CMEK): the data source creates it if missing. */
  readonly storageAgent?: DataGoogleStorageProjectServiceAccount;
  private readonly grants: StorageBucketIamMember[] = [];

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `${this.node.path}: retentionDays must be a whole number of days, at least 1`,
      );
    }
    if (props.encryption) {
      const problem = checkKmsKeyName(props.encryption.kmsKeyName);
      if (problem) throw new Error(`${this.node.path}: ${problem}`);
      // The bucket cannot be created with a key its service agent may not use. The agent exists
      // only once asked for, which the data source does (google v6.50.0
      // website/docs/d/storage_project_service_account.html.markdown): its member, not a name
      // built from the project number, so the grant never names an agent that is not there yet.
      this.storageAgent = new DataGoogleStorageProjectServiceAccount(this, "StorageAgent", {
        project: props.project,
      });
      this.keyGrant = new KmsCryptoKeyIamMember(this, "KeyGrant", {
        cryptoKeyId: props.encryption.kmsKeyName,
        role: KMS_ENCRYPTER_DECRYPTER,
        member: this.storageAgent.member,
      });
    }
    this.bucket = new StorageBucket(this, "Bucket", {
      project: props.project,
      name: props.name,
      location: props.location.toUpperCase(),
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      softDeletePolicy: { retentionDurationSeconds: BACKUP_SOFT_DELETE_DAYS * 86400 },
      encryption: props.encryption && { defaultKmsKeyName: props.encryption.kmsKeyName },
      lifecycleRule: [
        {
          action: { type: "Delete" },
          condition: { age: expireAfterDays(props.retentionDays) },
        },
        {
          action: { type: "AbortIncompleteMultipartUpload" },
          condition: { age: ABORT_UPLOAD_DAYS },
        },
      ],
      labels: props.labels ? { ...props.labels } : undefined,
      dependsOn: this.keyGrant ? [this.keyGrant] : undefined,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
  }

  /**
   * Lets `principal` write, read, list and delete backups in this bucket (and nothing else).
   * `after`: the principal's own resource when the same stack creates it (its member is a literal
   * email, so without it the grant may be created first and GCP refuses a member that does not
   * exist yet).
   */
  grantWriter(principal: GcpPrincipal, after: ITerraformDependable[] = []): void {
    for (const role of BACKUP_WRITER_ROLES) {
      const short = role.replace(/^roles\/storage\./, "");
      this.grants.push(
        new StorageBucketIamMember(this, `${short}-${principal.key}`, {
          bucket: this.bucket.name,
          role,
          member: principal.member,
          dependsOn: after.length ? after : undefined,
        }),
      );
    }
  }
}
