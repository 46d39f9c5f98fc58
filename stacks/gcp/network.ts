import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { KmsKeyRing } from "../../modules/gcp/kms-key-ring";
import { GcpVpcNetwork } from "../../modules/gcp/vpc-network";
import { resourceName } from "../../modules/common/naming";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { googleProvider } from "./provider";

/** Keys later GCP layers encrypt with when customer-managed keys are on. */
export const GCP_KMS_KEYS = ["gke-secrets", "bigtable", "pubsub"] as const;

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
        keys: GCP_KMS_KEYS,
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
