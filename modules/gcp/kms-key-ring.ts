import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsKeyRing as GoogleKmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";

/** Props of {@link KmsKeyRing}. */
export interface KmsKeyRingProps {
  readonly project: string;
  /** Key ring name (key rings cannot be deleted in GCP: choose it once). */
  readonly name: string;
  /** Region of the key ring; must match the resources it encrypts. */
  readonly location: string;
  /** Crypto key names, e.g. ["gke-secrets", "bigtable"]. */
  readonly keys: readonly string[];
  /** @default "7776000s" (90 days, CIS GCP 1.10) */
  readonly rotationPeriod?: string;
  /** Keep keys on `tofu destroy` (destroying a key makes its data unreadable). @default true */
  readonly preventDestroy?: boolean;
}

/** 90-day rotation: CIS Google Cloud Foundations benchmark 1.10. */
const DEFAULT_ROTATION_PERIOD = "7776000s";

/** A Cloud KMS key ring with symmetric keys for customer-managed encryption (CMEK). */
export class KmsKeyRing extends Construct {
  readonly keyRing: GoogleKmsKeyRing;
  private readonly keys = new Map<string, KmsCryptoKey>();
  /** Full id of the key ring: `projects/<p>/locations/<l>/keyRings/<name>`. */
  readonly keyRingId: string;

  constructor(scope: Construct, id: string, props: KmsKeyRingProps) {
    super(scope, id);
    const rotationPeriod = props.rotationPeriod ?? DEFAULT_ROTATION_PERIOD;
    for (const key of [props.name, ...props.keys]) {
      const problem = checkName(key, NAME_RULES.gcp);
      if (problem) throw new Error(`${this.node.path}: ${problem}`);
    }
    if (new Set(props.keys).size !== props.keys.length) {
      throw new Error(`${this.node.path}: keys lists a key twice: ${props.keys.join(", ")}`);
    }
    this.keyRingId = keyRingId(props.project, props.location, props.name);
    this.keyRing = new GoogleKmsKeyRing(this, "KeyRing", {
      project: props.project,
      name: props.name,
      location: props.location,
    });
    for (const name of props.keys) {
      this.keys.set(
        name,
        new KmsCryptoKey(this, `Key-${name}`, {
          name,
          keyRing: this.keyRing.id,
          rotationPeriod,
          purpose: "ENCRYPT_DECRYPT",
          lifecycle: { preventDestroy: props.preventDestroy ?? true },
        }),
      );
    }
  }

  /** The crypto key resource named `name`. */
  key(name: string): KmsCryptoKey {
    const key = this.keys.get(name);
    if (!key)
      throw new Error(
        `${this.node.path}: no key "${name}" (have: ${[...this.keys.keys()].join(", ")})`,
      );
    return key;
  }
}

/** Full id of a key ring, for stacks that reference it by name. */
export function keyRingId(project: string, location: string, name: string): string {
  return `projects/${project}/locations/${location}/keyRings/${name}`;
}

/** Full id of a crypto key, for stacks that reference it by name. */
export function cryptoKeyId(project: string, location: string, ring: string, key: string): string {
  return `${keyRingId(project, location, ring)}/cryptoKeys/${key}`;
}
