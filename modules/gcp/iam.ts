/**
 * IAM vocabulary shared by the GCP constructs: who is granted (a principal with a stable key for
 * construct ids) and the Google-managed service agents that act on a project's behalf.
 */

/** Someone a construct can grant a role to. */
export interface GcpPrincipal {
  /** IAM member, e.g. `serviceAccount:prod-angzarr@angzarr-prod.iam.gserviceaccount.com`. */
  readonly member: string;
  /**
   * Short, stable key used in the construct ids of the grants (`Publish-events-prod-angzarr`).
   * Two principals granted on one resource must have different keys.
   */
  readonly key: string;
}

/** A Google service account as a principal; its key is the account id. */
export function serviceAccountPrincipal(email: string): GcpPrincipal {
  const at = email.indexOf("@");
  if (at < 1)
    throw new Error(
      `"${email}" is not a service account email (id@project.iam.gserviceaccount.com)`,
    );
  return { member: `serviceAccount:${email}`, key: email.slice(0, at) };
}

/** The service agents Strata's constructs need, by the service they belong to. */
export const SERVICE_AGENT_DOMAINS = {
  /** GKE: application-layer secrets encryption. */
  container: "container-engine-robot.iam.gserviceaccount.com",
  /** Bigtable: CMEK on clusters. */
  bigtable: "gcp-sa-bigtable.iam.gserviceaccount.com",
  /** Pub/Sub: CMEK on topics, dead-lettering. */
  pubsub: "gcp-sa-pubsub.iam.gserviceaccount.com",
} as const;

/** A project's numeric id: service agents are named after it, not after the project id. */
export const PROJECT_NUMBER_RE = /^\d{6,20}$/;

/**
 * The service agent of `service` in the project with number `projectNumber`
 * (`service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com`).
 * @see https://cloud.google.com/iam/docs/service-agents
 */
export function serviceAgent(
  projectNumber: string,
  service: keyof typeof SERVICE_AGENT_DOMAINS,
): GcpPrincipal {
  if (!PROJECT_NUMBER_RE.test(projectNumber)) {
    throw new Error(
      `projectNumber "${projectNumber}" is not a GCP project number (digits only; \`gcloud projects describe <project> --format='value(projectNumber)'\`)`,
    );
  }
  return {
    member: `serviceAccount:service-${projectNumber}@${SERVICE_AGENT_DOMAINS[service]}`,
    key: `${service}-agent`,
  };
}

/** Customer-managed encryption of a construct's data: the key, and whose agent must use it. */
export interface CmekSettings {
  /** Full crypto key id: `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`. */
  readonly kmsKeyName: string;
  /** Project number: the service agent granted encrypt/decrypt on the key is named after it. */
  readonly projectNumber: string;
}

/** Role a service agent needs on a key to encrypt and decrypt with it. */
export const KMS_ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/** Checks the shape of a crypto key id; returns a message when it is wrong. */
export function checkKmsKeyName(name: string): string | undefined {
  return /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(name)
    ? undefined
    : `kmsKeyName "${name}" is not a crypto key id; write projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`;
}
