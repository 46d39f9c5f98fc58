import type { Construct } from "constructs";
import type { Environment } from "../../environments/schema";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { KmsKeyRing } from "../../modules/gcp/kms-key-ring";
import { GcpVpcNetwork } from "../../modules/gcp/vpc-network";
import { resourceName } from "../../modules/common/naming";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { googleProvider } from "./provider";

/** Keys later GCP layers encrypt with when customer-managed keys are on. */
export const GCP_KMS_KEYS = ["gke-secrets", "bigtable", "pubsub", "pg-backups"] as const;

/**
 * The keys an environment's key ring holds: every key of {@link GCP_KMS_KEYS}, but `pg-backups`
 * only when the environment keeps PostgreSQL backups on GCP (a key is billed per version).
 */
export function gcpKmsKeys(env: Environment): Array<(typeof GCP_KMS_KEYS)[number]> {
  const backups = postgresBackupStore(env, "gcp") !== undefined;
  return GCP_KMS_KEYS.filter((k) => k !== "pg-backups" || backups);
}

/** Props of {@link GcpNetworkStack}. */
export interface GcpNetworkStackProps extends StrataStackProps {
  readonly target: GcpTargetConfig;
}

/** `<env>-gcp-network`: the VPC, subnet ranges, NAT and (with CMEK) the environment's key ring. */
export class GcpNetworkStack extends StrataStack {
  readonly network: GcpVpcNetwork;
  readonly keyRing?: KmsKeyRing;

  constructor(scope: Construct, name: string, props: GcpNetworkStackProps) {
    super(scope, name, props);
    const { env, target } = props;
    googleProvider(this, target);
    this.network = new GcpVpcNetwork(this, "Vpc", {
      name: gcpNetworkName(env.name),
      region: target.region,
      ...target.network,
    });
    if (env.customerManagedKeys) {
      this.keyRing = new KmsKeyRing(this, "KeyRing", {
        project: target.project,
        name: gcpKeyRingName(env.name),
        location: target.region,
        keys: gcpKmsKeys(env),
      });
    }
  }
}

/** Physical name of an environment's VPC and subnet (looked up by later layers). */
export function gcpNetworkName(env: string): string {
  return resourceName(env, "vpc");
}

/** Name of an environment's key ring. */
export function gcpKeyRingName(env: string): string {
  return resourceName(env, "keyring");
}
