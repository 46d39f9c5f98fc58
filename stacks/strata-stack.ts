/**
 * The base of every Strata stack: state backend and OpenTofu state encryption from the
 * environment, fully qualified provider sources, and the standard labels.
 */
import {
  Aspects,
  GcsBackend,
  LocalBackend,
  S3Backend,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import type { Construct } from "constructs";
import type { Environment } from "../environments/schema";
import { PolicyGate } from "../modules/common/policy/gate";
import { PreventDestroy } from "../modules/common/prevent-destroy";
import { StandardLabels, type Labels } from "../modules/common/standard-labels";

/** Registry sources of the providers Strata uses (the prebuilt bindings emit bare names). */
export const PROVIDER_SOURCES: Readonly<Record<string, string>> = {
  google: "hashicorp/google",
  "google-beta": "hashicorp/google-beta",
  aws: "hashicorp/aws",
  digitalocean: "digitalocean/digitalocean",
  helm: "hashicorp/helm",
  kubernetes: "hashicorp/kubernetes",
  random: "hashicorp/random",
  tls: "hashicorp/tls",
  time: "hashicorp/time",
};

/** Terraform variable that carries the pbkdf2 passphrase (set `TF_VAR_strata_state_passphrase`). */
export const STATE_PASSPHRASE_VARIABLE = "strata_state_passphrase";

/** The standard labels of an environment. */
export function environmentLabels(env: Environment): Labels {
  return {
    ...env.labels,
    environment: env.name,
    team: env.team,
    owner: env.owner,
    "managed-by": "strata",
  };
}

/** Props every Strata stack takes. */
export interface StrataStackProps {
  readonly env: Environment;
}

type TerraformJson = {
  terraform?: { required_providers?: Record<string, { source?: string; version?: string }> };
};

/** A TerraformStack configured from its environment. */
export class StrataStack extends TerraformStack {
  readonly env: Environment;
  /** The Terraform JSON the policy gate just judged, handed to the next toTerraform() call. */
  private judgedTerraform?: ReturnType<TerraformStack["toTerraform"]>;

  constructor(scope: Construct, name: string, props: StrataStackProps) {
    super(scope, name);
    this.env = props.env;
    this.configureBackend(name);
    if (this.env.stateEncryption.enabled) this.configureStateEncryption();
    Aspects.of(this).add(new StandardLabels(environmentLabels(this.env)));
    if (this.env.preventDestroy) Aspects.of(this).add(new PreventDestroy());
    this.node.addValidation(
      new PolicyGate(this, this.env.tier, this.env.waivers, () => {
        this.judgedTerraform = this.toTerraform();
        return this.judgedTerraform;
      }),
    );
  }

  private configureBackend(name: string): void {
    const backend = this.env.backend;
    switch (backend.type) {
      case "local":
        // Relative to cdktf.out/stacks/<stack>, where `tofu` runs: state lives in the project, outside cdktf.out.
        new LocalBackend(this, { path: `../../../${backend.dir}/${name}.tfstate` });
        break;
      case "gcs":
        new GcsBackend(this, {
          bucket: backend.bucket,
          prefix: `${backend.prefix ?? this.env.name}/${name}`,
        });
        break;
      case "s3": {
        const s3 = new S3Backend(this, {
          bucket: backend.bucket,
          key: `${backend.keyPrefix ?? this.env.name}/${name}/terraform.tfstate`,
          region: backend.region,
          encrypt: true,
          ...(backend.kmsKeyId ? { kmsKeyId: backend.kmsKeyId } : {}),
        });
        // OpenTofu ≥ 1.10 / Terraform ≥ 1.10: S3-native locking, no DynamoDB table.
        s3.addOverride("use_lockfile", true);
        break;
      }
    }
  }

  /** OpenTofu state and plan encryption (`terraform.encryption`, OpenTofu ≥ 1.7; variables need ≥ 1.8). */
  private configureStateEncryption(): void {
    const kp = this.env.stateEncryption.keyProvider;
    let keyProvider: Record<string, Record<string, unknown>>;
    let ref: string;
    switch (kp.type) {
      case "pbkdf2":
        new TerraformVariable(this, STATE_PASSPHRASE_VARIABLE, {
          type: "string",
          sensitive: true,
          nullable: false,
          description:
            "Passphrase for OpenTofu state encryption (at least 16 characters). Set TF_VAR_strata_state_passphrase.",
        });
        keyProvider = {
          pbkdf2: { strata: { passphrase: `\${var.${STATE_PASSPHRASE_VARIABLE}}` } },
        };
        ref = "key_provider.pbkdf2.strata";
        break;
      case "gcp_kms":
        keyProvider = {
          gcp_kms: { strata: { kms_encryption_key: kp.kmsEncryptionKey, key_length: 32 } },
        };
        ref = "key_provider.gcp_kms.strata";
        break;
      case "aws_kms":
        keyProvider = {
          aws_kms: { strata: { kms_key_id: kp.kmsKeyId, key_spec: "AES_256", region: kp.region } },
        };
        ref = "key_provider.aws_kms.strata";
        break;
    }
    // OpenTofu decodes `state.method`, `plan.method` and `remote_state_data_sources.*.method` as a
    // bare traversal, so in JSON they are the plain string "method.<type>.<name>"; an
    // interpolation "${...}" fails to load. `keys` is an ordinary expression. Facts with their
    // OpenTofu source: facts/opentofu.json (checked by __tests__/facts/opentofu.test.ts).
    const method = "method.aes_gcm.strata";
    this.addOverride("terraform.encryption", {
      key_provider: keyProvider,
      method: { aes_gcm: { strata: { keys: `\${${ref}}` } } },
      state: { method, enforced: true },
      plan: { method, enforced: true },
      remote_state_data_sources: { default: { method } },
    });
  }

  /** Qualifies every required provider's source (`google` → `hashicorp/google`). */
  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    // cdktf runs validations (the policy gate) right before it writes the stack; the JSON the
    // gate judged is handed over once instead of being resolved a second time.
    const judged = this.judgedTerraform;
    if (judged !== undefined) {
      this.judgedTerraform = undefined;
      return judged;
    }
    const tf = super.toTerraform() as TerraformJson;
    sortDependsOn(tf);
    // The environment and tier in the stack itself (a JSON comment, which the engine ignores):
    // the review gates on the tier a stack was applied with, even if a file later lowers it.
    const comment = tf as { "//"?: Record<string, unknown> };
    comment["//"] = {
      ...comment["//"],
      strata: { environment: this.env.name, tier: this.env.tier },
    };
    for (const [name, req] of Object.entries(tf.terraform?.required_providers ?? {})) {
      if (req.source && !req.source.includes("/")) {
        const qualified = PROVIDER_SOURCES[name];
        if (!qualified)
          throw new Error(
            `provider "${name}" has no registry source in PROVIDER_SOURCES (stacks/strata-stack.ts)`,
          );
        req.source = qualified;
      }
    }
    return tf as ReturnType<TerraformStack["toTerraform"]>;
  }
}

/**
 * `depends_on` is a set to the engine: sorted, so the order constructs were passed in (a list in
 * config, say) changes nothing in the output.
 */
function sortDependsOn(json: TerraformJson): void {
  const tf = json as TerraformJson & {
    resource?: Record<string, Record<string, { depends_on?: unknown }>>;
    data?: Record<string, Record<string, { depends_on?: unknown }>>;
  };
  for (const section of [tf.resource, tf.data] as Array<
    Record<string, Record<string, { depends_on?: unknown }>> | undefined
  >) {
    for (const blocks of Object.values(section ?? {}))
      for (const block of Object.values(blocks))
        if (Array.isArray(block.depends_on))
          block.depends_on = [...(block.depends_on as string[])].sort();
  }
}
