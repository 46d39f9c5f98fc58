import { SpacesKey } from "@cdktf/provider-digitalocean/lib/spaces-key";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";

/** Props of {@link SpacesBackupCredentials}. */
export interface SpacesBackupCredentialsProps {
  /** Name of the Spaces access key. */
  readonly keyName: string;
  /** The one bucket the key may use. */
  readonly bucket: string;
  /** The Secret holding the key, and its two data keys. */
  readonly secretName: string;
  readonly namespace: string;
  readonly accessKeyIdKey: string;
  readonly secretAccessKeyKey: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** What must exist first (the namespace). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A Spaces access key limited to one bucket (`readwrite`: list, read, write and delete its
 * objects, nothing else) and a Kubernetes Secret with its two halves, for a backup writer that
 * speaks S3 (barman-cloud). DigitalOcean returns the secret half only when the key is created
 * (terraform-provider-digitalocean v2.71.0 digitalocean/spaces/resource_spaces_key.go sets
 * `secret_key` in Create only; `spaces_entities.go` marks it Sensitive), so the key and the
 * Secret live in one stack: the value goes from the provider's response into the Secret through
 * state (encrypted outside dev), never through configuration.
 */
export class SpacesBackupCredentials extends Construct {
  readonly key: SpacesKey;
  readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: SpacesBackupCredentialsProps) {
    super(scope, id);
    const problems = [
      checkName(props.keyName, { ...NAME_RULES.digitalocean, what: "Spaces key name" }),
      checkName(props.secretName, { ...NAME_RULES.dnsLabel, what: "Secret name" }),
      checkName(props.namespace, { ...NAME_RULES.dnsLabel, what: "namespace" }),
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join("; ")}`);
    this.key = new SpacesKey(this, "Key", {
      name: props.keyName,
      grant: [{ bucket: props.bucket, permission: "readwrite" }],
    });
    this.secret = new SecretV1(this, "Secret", {
      metadata: {
        name: props.secretName,
        namespace: props.namespace,
        labels: { "app.kubernetes.io/managed-by": "strata", ...(props.labels ?? {}) },
      },
      type: "Opaque",
      data: {
        [props.accessKeyIdKey]: this.key.accessKey,
        [props.secretAccessKeyKey]: this.key.secretKey,
      },
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
