import { SpacesBucket } from "@cdktf/provider-digitalocean/lib/spaces-bucket";
import { Construct } from "constructs";

/** Props of {@link BackupSpace}. */
export interface BackupSpaceProps {
  /** Bucket name (modules/common/backup-store.ts checks it). */
  readonly name: string;
  /** A region with Spaces (modules/common/backup-store.ts SPACES_REGIONS). */
  readonly region: string;
  /** The writer's recovery window in days. */
  readonly retentionDays: number;
  /** `lifecycle.prevent_destroy`. */
  readonly preventDestroy: boolean;
}

/** Days a replaced or deleted object's old version stays restorable. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Days an unfinished multipart upload (an interrupted base backup) is kept. */
export const ABORT_UPLOAD_DAYS = 7;

/**
 * When the lifecycle expires an object the writer left: twice its recovery window plus a week
 * (as modules/gcp/backup-bucket.ts expireAfterDays: barman deletes by its own retention policy).
 */
export function expireAfterDays(retentionDays: number): number {
  return retentionDays * 2 + 7;
}

/**
 * A private Spaces bucket for database backups: the `private` canned ACL, versioning, and one
 * lifecycle rule expiring abandoned objects, old versions and unfinished uploads. Spaces encrypts
 * every object at rest with keys DigitalOcean manages (no customer-managed key exists there).
 * Managing buckets needs Spaces keys in the provider's environment (SPACES_ACCESS_KEY_ID and
 * SPACES_SECRET_ACCESS_KEY: terraform-provider-digitalocean v2.71.0 digitalocean/provider.go,
 * digitalocean/config/config.go `SpacesClient`).
 */
export class BackupSpace extends Construct {
  readonly bucket: SpacesBucket;

  constructor(scope: Construct, id: string, props: BackupSpaceProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `${this.node.path}: retentionDays must be a whole number of days, at least 1`,
      );
    }
    this.bucket = new SpacesBucket(this, "Bucket", {
      name: props.name,
      region: props.region,
      acl: "private",
      forceDestroy: false,
      versioning: { enabled: true },
      lifecycleRule: [
        {
          id: "expire-abandoned",
          enabled: true,
          expiration: { days: expireAfterDays(props.retentionDays) },
          noncurrentVersionExpiration: { days: NONCURRENT_VERSION_DAYS },
          abortIncompleteMultipartUploadDays: ABORT_UPLOAD_DAYS,
        },
      ],
      lifecycle: { preventDestroy: props.preventDestroy },
    });
  }
}
