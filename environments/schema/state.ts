/** Where an environment keeps its Terraform state, and how that state is encrypted. */
import { z } from "zod";
import { obj } from "./common";

/** Local state files under the project (dev only: no locking, no sharing). */
export const LocalBackend = obj({
  type: z.literal("local"),
  /** Folder, relative to the project root, that holds `<stack>.tfstate`. @default ".tfstate" */
  dir: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, {
      error: "dir must be a relative folder such as .tfstate (no leading /, no ..)",
    })
    .refine((d) => !d.split("/").includes(".."), { error: "dir must not contain .." })
    .default(".tfstate"),
});

/** Google Cloud Storage; locking is built in. */
export const GcsBackend = obj({
  type: z.literal("gcs"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, {
    error:
      "bucket must be a GCS bucket name: 3–63 lower-case letters, digits, dots, hyphens, underscores",
  }),
  /** State objects go under `<prefix>/<stack>`. @default - the environment name */
  prefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9/_-]*$/)
    .optional(),
});

/** S3 with OpenTofu 1.10's native lock file (`use_lockfile`), no DynamoDB table. */
export const S3Backend = obj({
  type: z.literal("s3"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error: "bucket must be an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens",
  }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "region must look like eu-west-1" }),
  /** State objects go under `<keyPrefix>/<stack>/terraform.tfstate`. @default - the environment name */
  keyPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9/_-]*$/)
    .optional(),
  /** KMS key for the bucket's server-side encryption of state objects. @default - the bucket's default */
  kmsKeyId: z.string().min(1).optional(),
});

export const Backend = z.discriminatedUnion("type", [LocalBackend, GcsBackend, S3Backend]);
export type BackendInput = z.input<typeof Backend>;

/** The key provider of OpenTofu state encryption; the key itself never appears in config or output. */
export const KeyProvider = z.discriminatedUnion("type", [
  /** Passphrase from `TF_VAR_strata_state_passphrase` at plan/apply time (OpenTofu ≥ 1.8). */
  obj({ type: z.literal("pbkdf2") }),
  /** A Cloud KMS key: `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`. */
  obj({
    type: z.literal("gcp_kms"),
    kmsEncryptionKey: z
      .string()
      .regex(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/, {
        error: "kmsEncryptionKey must be projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>",
      }),
  }),
  /** An AWS KMS key id, ARN or alias. */
  obj({
    type: z.literal("aws_kms"),
    kmsKeyId: z.string().min(1),
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "region must look like eu-west-1" }),
  }),
]);

export const StateEncryption = obj({
  /** @default - on for staging and prod, off for dev */
  enabled: z.boolean().optional(),
  /** @default { type: "pbkdf2" } */
  keyProvider: KeyProvider.default({ type: "pbkdf2" }),
});
