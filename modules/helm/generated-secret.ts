import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import type { KubernetesLabels } from "./kubernetes-values";

/** Props of {@link GeneratedSecret}. */
export interface GeneratedSecretProps {
  /** Secret name. */
  readonly name: string;
  readonly namespace: string;
  /** Keys that get a generated password each (chart-defined names such as `postgres-password`). */
  readonly passwordKeys: readonly string[];
  /** Non-secret entries the consumer expects beside the passwords (usernames). @default {} */
  readonly plainData?: Readonly<Record<string, string>>;
  /** @default 32 */
  readonly length?: number;
  /** @default {} */
  readonly labels?: KubernetesLabels;
}

/** 32 alphanumerics ≈ 190 bits; no special characters, so passwords embed in URLs unescaped. */
const DEFAULT_LENGTH = 32;

/**
 * Passwords generated at apply time (`random_password`) into one Kubernetes Secret. The values
 * live only in Terraform state and the cluster; synthesized JSON holds references.
 */
export class GeneratedSecret extends Construct {
  readonly secret: SecretV1;
  readonly name: string;
  readonly passwords: Readonly<Record<string, Password>>;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    const length = props.length ?? DEFAULT_LENGTH;
    if (length < 16) {
      throw new Error(`${this.node.path}: length (${length}) must be >= 16`);
    }
    if (props.passwordKeys.length === 0) {
      throw new Error(`${this.node.path}: passwordKeys is empty; name at least one key`);
    }
    this.name = props.name;
    const passwords: Record<string, Password> = {};
    for (const key of props.passwordKeys) {
      // Keys are chart-defined constants (`postgres-password` → PostgresPassword), not configuration.
      passwords[key] = new Password(this, pascalCase(key), { length, special: false });
    }
    this.passwords = passwords;
    this.secret = new SecretV1(this, "Secret", {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      type: "Opaque",
      data: {
        ...props.plainData,
        ...Object.fromEntries(Object.entries(passwords).map(([k, p]) => [k, p.result])),
      },
    });
  }
}

function pascalCase(key: string): string {
  return key
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
