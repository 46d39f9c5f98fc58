import type { Environment } from "../../environments/schema";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { cryptoKeyId } from "../../modules/gcp/kms-key-ring";
import type { CmekSettings } from "../../modules/gcp/iam";
import { gcpKeyRingName, type GCP_KMS_KEYS } from "./network";

/**
 * The customer-managed key a later layer encrypts with: one of the keys `<env>-gcp-network`
 * creates in `<env>-keyring`, by name. Undefined when the environment uses Google-managed keys.
 */
export function gcpCmek(
  env: Environment,
  target: GcpTargetConfig,
  key: (typeof GCP_KMS_KEYS)[number],
  enabled: boolean = env.customerManagedKeys,
): CmekSettings | undefined {
  if (!enabled) return undefined;
  if (!env.customerManagedKeys) {
    throw new Error(
      `${env.name}: ${key} encryption needs the key ring the network stack creates only with customerManagedKeys; turn customerManagedKeys on`,
    );
  }
  if (!target.projectNumber) {
    throw new Error(
      `${env.name}.targets.gcp.projectNumber is required with customer-managed keys (the service agents are named after it)`,
    );
  }
  return {
    kmsKeyName: cryptoKeyId(target.project, target.region, gcpKeyRingName(env.name), key),
    projectNumber: target.projectNumber,
  };
}
