import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { policyDocument, type IGrantable, type PolicyStatement } from "./iam-policy";
import type { KmsKey } from "./kms-key";

/** Props of {@link BackupBucket}. */
export interface BackupBucketProps {
  /** Globally unique bucket name (modules/common/backup-store.ts checks it). */
  readonly name: string;
  /** Default encryption: SSE-KMS with this key (and an S3 Bucket Key, fewer KMS calls). */
  readonly kmsKey: KmsKey;
  /** The writer's recovery window in days. */
  readonly retentionDays: number;
  /** `lifecycle.prevent_destroy` on the bucket. */
  readonly preventDestroy: boolean;
}

/** Days a replaced or deleted object's old version stays restorable. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Days an unfinished multipart upload (an interrupted base backup) is kept. */
export const ABORT_UPLOAD_DAYS = 7;

/**
 * When the lifecycle expires an object the writer left: twice its recovery window plus a week
 * (see modules/gcp/backup-bucket.ts expireAfterDays: barman deletes by its own retention policy;
 * this only clears what nothing deletes any more).
 */
export function expireAfterDays(retentionDays: number): number {
  return retentionDays * 2 + 7;
}

/**
 * What barman-cloud calls on S3 (barman release/3.17.0, barman/cloud_providers/aws_s3.py):
 * `head_bucket` before writing (s3:ListBucket), `list_objects_v2` (s3:ListBucket), uploads in
 * parts (s3:PutObject, s3:AbortMultipartUpload), downloads (s3:GetObject) and `delete_objects`
 * for its retention policy (s3:DeleteObject). Not s3:DeleteObjectVersion: with versioning on, a
 * delete leaves a version the writer itself cannot purge.
 */
export const BACKUP_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"] as const;
export const BACKUP_OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
] as const;
/** SSE-KMS: writing needs a data key, reading (and multipart uploads) needs decrypt. */
export const BACKUP_KMS_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/**
 * A private S3 bucket for database backups, as AWS's security best practices for S3 set one up:
 * all public access blocked, ACLs off (BucketOwnerEnforced), default SSE-KMS with a customer
 * managed key, versioning, requests without TLS denied by the bucket policy, and lifecycle rules
 * expiring abandoned objects, old versions and unfinished uploads.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class BackupBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  readonly ownership: S3BucketOwnershipControls;
  readonly versioning: S3BucketVersioningA;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly policy: S3BucketPolicy;
  readonly lifecycle: S3BucketLifecycleConfiguration;
  private readonly kmsKey: KmsKey;

  constructor(scope: Construct, id: string, props: BackupBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `${this.node.path}: retentionDays must be a whole number of days, at least 1`,
      );
    }
    this.kmsKey = props.kmsKey;
    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: props.name,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    const bucket = this.bucket.id;
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownership = new S3BucketOwnershipControls(this, "Ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.versioning = new S3BucketVersioningA(this, "Versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: props.kmsKey.arn,
          },
          bucketKeyEnabled: true,
        },
      ],
    });
    const statements: PolicyStatement[] = [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": false } },
      },
    ];
    this.policy = new S3BucketPolicy(this, "Policy", {
      bucket,
      policy: policyDocument(statements),
      // A policy put while public access is still unblocked would race the block.
      dependsOn: [this.publicAccessBlock],
    });
    const all = { prefix: "" };
    this.lifecycle = new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-abandoned",
          status: "Enabled",
          filter: [all],
          expiration: [{ days: expireAfterDays(props.retentionDays) }],
        },
        {
          id: "expire-old-versions",
          status: "Enabled",
          filter: [all],
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_DAYS }],
          // Versions expired above leave delete markers with nothing behind them.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [all],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_UPLOAD_DAYS }],
        },
      ],
      // Lifecycle rules on a versioned bucket: versioning first.
      dependsOn: [this.versioning],
    });
  }

  /** Lets `grantee` do what barman-cloud does, on this bucket and its key only. */
  grantWriter(grantee: IGrantable): void {
    grantee.addToPolicy(
      {
        Sid: "BackupBucket",
        Effect: "Allow",
        Action: [...BACKUP_BUCKET_ACTIONS],
        Resource: this.bucket.arn,
      },
      {
        Sid: "BackupObjects",
        Effect: "Allow",
        Action: [...BACKUP_OBJECT_ACTIONS],
        Resource: `${this.bucket.arn}/*`,
      },
      {
        Sid: "BackupKey",
        Effect: "Allow",
        Action: [...BACKUP_KMS_ACTIONS],
        Resource: this.kmsKey.arn,
      },
    );
  }
}
