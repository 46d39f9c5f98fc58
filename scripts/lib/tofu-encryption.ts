/**
 * OpenTofu-only configuration rules that Terraform cannot check (it refuses `terraform.encryption`
 * outright), applied to a synthesized cdk.tf.json:
 *
 * - the state-encryption block `terraform.encryption` (key providers, methods, state, plan,
 *   remote_state_data_sources, fallback, enforced);
 * - `lifecycle` of data sources (precondition/postcondition only);
 * - `moved` blocks (static from/to addresses).
 *
 * Every rule is a fact read from OpenTofu's source, recorded with its citation in
 * facts/opentofu.json under the same `rule` id that each violation carries. Rules are held to what
 * every OpenTofu >= MIN_TOFU (scripts/tofu-check.ts) accepts: forms that only newer releases read
 * are reported with the release that introduced them.
 */
import { MIN_TOFU } from "../tofu-check";

/** One broken rule: where (a dotted path into the JSON), which fact, and what to do. */
export interface TofuViolation {
  readonly path: string;
  /** Rule id in facts/opentofu.json. */
  readonly rule: string;
  readonly message: string;
}

/** An OpenTofu release, [major, minor, patch]. */
export type TofuVersion = readonly [number, number, number];

export interface TofuCheckOptions {
  /** Oldest OpenTofu the configuration must load on (default: MIN_TOFU from scripts/tofu-check.ts). */
  readonly minTofu?: TofuVersion;
}

const DEFAULT_MIN: TofuVersion = [MIN_TOFU[0], MIN_TOFU[1], 0];

/** Releases that introduced the forms this checker gates (facts/opentofu.json version_note). */
export const TOFU_SINCE = {
  /** `keys = "key_provider.<type>.<name>"` as a plain JSON string. */
  plainKeysString: [1, 11, 4],
  /** pbkdf2 `chain = "key_provider.<type>.<name>"` as a plain JSON string. */
  plainChainString: [1, 12, 0],
  /** The azure_vault key provider. */
  azureVault: [1, 11, 0],
  /** `lifecycle { enabled = ... }` on a data source. */
  dataLifecycleEnabled: [1, 11, 0],
} as const satisfies Record<string, TofuVersion>;

/** Every rule id this checker can report (each is recorded in facts/opentofu.json). */
export const CHECKED_RULES = [
  "terraform.block-types",
  "terraform.encryption-once",
  "encryption.schema",
  "encryption.key-provider-block",
  "encryption.names",
  "encryption.no-duplicates",
  "encryption.state-plan-block",
  "encryption.target-block",
  "encryption.remote-state-data-sources",
  "targets.method-is-traversal",
  "targets.method-form",
  "targets.method-declared",
  "targets.method-required",
  "targets.enforced",
  "registry.types",
  "registry.unknown-method",
  "registry.unknown-key-provider",
  "method.keys-expression",
  "method.keys-declared",
  "method.keys-plain-string-since-1.11.4",
  "keyprovider.no-cycles",
  "pbkdf2.attributes",
  "pbkdf2.passphrase-xor-chain",
  "pbkdf2.passphrase-min-length",
  "pbkdf2.key-length",
  "pbkdf2.iterations",
  "pbkdf2.salt-length",
  "pbkdf2.hash-function",
  "pbkdf2.chain",
  "aws_kms.required",
  "aws_kms.key-spec",
  "aws_kms.region",
  "aws_kms.attributes",
  "aws_kms.constraints",
  "gcp_kms.required",
  "gcp_kms.key-length",
  "gcp_kms.attributes",
  "openbao.schema",
  "azure_vault.schema",
  "external_key_provider.schema",
  "aes_gcm.schema",
  "aes_gcm.key-length",
  "external_method.schema",
  "data.lifecycle-arguments",
  "data.lifecycle-blocks",
  "data.lifecycle-once",
  "moved.static-addresses",
  "moved.not-ephemeral",
  "moved.same-kind",
] as const;

export type TofuRule = (typeof CHECKED_RULES)[number];

/** All OpenTofu-only rules on one stack's Terraform JSON. */
export function checkTofuConfig(tf: unknown, options: TofuCheckOptions = {}): TofuViolation[] {
  return [
    ...checkEncryption(tf, options),
    ...checkDataLifecycles(tf, options),
    ...checkMovedBlocks(tf),
  ];
}

// ---------------------------------------------------------------------------------------------
// JSON helpers. HCL's JSON syntax lets a block be an object or an array of objects, at each label
// level; cdktf writes objects, the checker reads both.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isExpr = (v: unknown): boolean => typeof v === "string" && v.includes("${");
const fmt = (v: TofuVersion) => v.join(".");
const older = (a: TofuVersion, b: TofuVersion) => {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};
const NAME = /^[a-zA-Z_0-9-]+$/;

/** A decoded block: its labels, body and path. */
interface Block {
  readonly labels: string[];
  readonly body: Obj;
  readonly path: string;
}

class Ctx {
  readonly out: TofuViolation[] = [];
  constructor(readonly minTofu: TofuVersion) {}
  add(path: string, rule: TofuRule, message: string): void {
    this.out.push({ path, rule, message });
  }
  /** True when `since` is newer than the oldest supported OpenTofu. */
  tooNew(since: TofuVersion): boolean {
    return older(this.minTofu, since);
  }
}

/** Blocks with `labels` labels under `value` (object, or array of objects, at every level). */
function blocks(
  ctx: Ctx,
  value: Json,
  labels: number,
  path: string,
  rule: TofuRule,
  prefix: string[] = [],
): Block[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => blocks(ctx, v, labels, `${path}[${i}]`, rule, prefix));
  if (!isObj(value)) {
    ctx.add(path, rule, `${path} must be a JSON object (a block), found ${JSON.stringify(value)}.`);
    return [];
  }
  if (labels === 0) return [{ labels: prefix, body: value, path }];
  return Object.entries(value).flatMap(([k, v]) =>
    blocks(ctx, v, labels - 1, `${path}.${k}`, rule, [...prefix, k]),
  );
}

/** At most one unlabelled block under `value`: its body, or undefined. */
function single(
  ctx: Ctx,
  value: Json,
  path: string,
  rule: TofuRule,
  what: string,
): Block | undefined {
  const found = blocks(ctx, value, 0, path, rule);
  if (found.length > 1)
    ctx.add(
      path,
      rule,
      `${path}: only one ${what} block is allowed, found ${found.length}; merge them into one object.`,
    );
  return found[0];
}

function unknownKeys(
  ctx: Ctx,
  b: Block,
  allowed: readonly string[],
  rule: TofuRule,
  what: string,
): void {
  for (const key of Object.keys(b.body))
    if (!allowed.includes(key))
      ctx.add(
        `${b.path}.${key}`,
        rule,
        `${b.path}.${key}: OpenTofu does not accept "${key}" in ${what} (allowed: ${allowed.join(", ") || "nothing"}); remove it.`,
      );
}

/** A literal integer (number or numeric string), "expr" for an interpolation, undefined if absent. */
function intValue(ctx: Ctx, b: Block, key: string, rule: TofuRule): number | "expr" | undefined {
  const v = b.body[key];
  if (v === undefined) return undefined;
  if (isExpr(v)) return "expr";
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    ctx.add(
      `${b.path}.${key}`,
      rule,
      `${b.path}.${key} must be a whole number, found ${JSON.stringify(v)}.`,
    );
    return "expr";
  }
  return n;
}

/** Requires `keys` attributes to be present and, when literal strings, non-empty. */
function required(ctx: Ctx, b: Block, keys: readonly string[], rule: TofuRule, what: string): void {
  for (const key of keys) {
    const v = b.body[key];
    if (v === undefined || v === null)
      ctx.add(`${b.path}.${key}`, rule, `${b.path}: ${what} requires "${key}"; add it.`);
    else if (v === "")
      ctx.add(`${b.path}.${key}`, rule, `${b.path}.${key}: ${what} requires a non-empty "${key}".`);
  }
}

// ---------------------------------------------------------------------------------------------
// terraform.encryption

const TERRAFORM_KEYS = [
  "required_version",
  "experiments",
  "language",
  "backend",
  "cloud",
  "required_providers",
  "provider_meta",
  "encryption",
];
const ENCRYPTION_KEYS = ["key_provider", "method", "state", "plan", "remote_state_data_sources"];
const KP_COMMON = ["encrypted_metadata_alias"];

const KP_REF = /^key_provider\.([a-zA-Z_0-9-]+)\.([a-zA-Z_0-9-]+)$/;
const KP_EXPR = /^\$\{\s*key_provider\.([a-zA-Z_0-9-]+)\.([a-zA-Z_0-9-]+)\s*\}$/;
const METHOD_REF = /^method\.([a-zA-Z_0-9-]+)\.([a-zA-Z_0-9-]+)$/;
const METHOD_EXPR = /^\$\{\s*(method\.[^}]*?)\s*\}$/;

/** A key provider's declared shape, and how long a key it yields (for aes_gcm). */
interface KeyProviderSpec {
  readonly attributes: readonly string[];
  readonly check: (ctx: Ctx, b: Block, enc: Encryption) => void;
  /** Key length in bytes when statically known. */
  readonly keyBytes: (b: Block) => number | undefined;
}

const literalInt = (b: Block, key: string, dflt?: number): number | undefined => {
  const v = b.body[key];
  if (v === undefined) return dflt;
  const n = typeof v === "string" && !isExpr(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
};

const AWS_KMS_ATTRS = [
  "kms_key_id",
  "key_spec",
  "access_key",
  "endpoints",
  "max_retries",
  "profile",
  "region",
  "secret_key",
  "skip_credentials_validation",
  "skip_requesting_account_id",
  "sts_region",
  "token",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "insecure",
  "use_dualstack_endpoint",
  "use_fips_endpoint",
  "custom_ca_bundle",
  "ec2_metadata_service_endpoint",
  "ec2_metadata_service_endpoint_mode",
  "skip_metadata_api_check",
  "shared_credentials_files",
  "shared_config_files",
  "assume_role",
  "assume_role_with_web_identity",
  "allowed_account_ids",
  "forbidden_account_ids",
  "retry_mode",
];
const AWS_KEY_SPECS: Record<string, number> = { AES_256: 32, AES_128: 16 };

const AZURE_VAULT_ATTRS = [
  "use_cli",
  "client_id",
  "client_id_file_path",
  "client_secret",
  "client_secret_file_path",
  "client_certificate",
  "client_certificate_password",
  "client_certificate_path",
  "use_oidc",
  "oidc_token",
  "oidc_token_file_path",
  "oidc_request_url",
  "oidc_request_token",
  "use_msi",
  "msi_endpoint",
  "use_aks_workload_identity",
  "metadata_host",
  "environment",
  "subscription_id",
  "tenant_id",
  "vault_uri",
  "vault_key_name",
  "key_length",
  "symmetric",
  "symmetric_key_size",
];

const KEY_PROVIDERS: Record<string, KeyProviderSpec> = {
  pbkdf2: {
    attributes: ["passphrase", "chain", "key_length", "iterations", "hash_function", "salt_length"],
    check(ctx, b, enc) {
      const { passphrase, chain, hash_function: hash } = b.body;
      if (passphrase === undefined && chain === undefined)
        ctx.add(
          b.path,
          "pbkdf2.passphrase-xor-chain",
          `${b.path}: pbkdf2 needs "passphrase" (at least 16 characters) or "chain"; add one.`,
        );
      if (passphrase !== undefined && chain !== undefined)
        ctx.add(
          b.path,
          "pbkdf2.passphrase-xor-chain",
          `${b.path}: pbkdf2 "passphrase" and "chain" are mutually exclusive; keep one.`,
        );
      if (passphrase !== undefined && !isExpr(passphrase)) {
        if (typeof passphrase !== "string" || passphrase.length < 16)
          ctx.add(
            `${b.path}.passphrase`,
            "pbkdf2.passphrase-min-length",
            `${b.path}.passphrase: pbkdf2 refuses a passphrase shorter than 16 characters; use a longer one (better: "\${var.<name>}" set at run time).`,
          );
      }
      if (chain !== undefined) keyProviderRef(ctx, `${b.path}.chain`, chain, enc, "chain", b);
      const keyLength = intValue(ctx, b, "key_length", "pbkdf2.key-length");
      if (typeof keyLength === "number" && keyLength <= 0)
        ctx.add(
          `${b.path}.key_length`,
          "pbkdf2.key-length",
          `${b.path}.key_length must be greater than 0 (default 32).`,
        );
      const iterations = intValue(ctx, b, "iterations", "pbkdf2.iterations");
      if (typeof iterations === "number" && iterations < 200000)
        ctx.add(
          `${b.path}.iterations`,
          "pbkdf2.iterations",
          `${b.path}.iterations: pbkdf2 refuses fewer than 200000 iterations (got ${iterations}); raise it or drop it for the default 600000.`,
        );
      const salt = intValue(ctx, b, "salt_length", "pbkdf2.salt-length");
      if (typeof salt === "number" && salt <= 0)
        ctx.add(
          `${b.path}.salt_length`,
          "pbkdf2.salt-length",
          `${b.path}.salt_length must be greater than 0 (default 32).`,
        );
      if (hash !== undefined && !isExpr(hash) && hash !== "sha256" && hash !== "sha512")
        ctx.add(
          `${b.path}.hash_function`,
          "pbkdf2.hash-function",
          `${b.path}.hash_function must be "sha256" or "sha512" (default "sha512"), found ${JSON.stringify(hash)}.`,
        );
    },
    keyBytes: (b) => literalInt(b, "key_length", 32),
  },
  aws_kms: {
    attributes: AWS_KMS_ATTRS,
    check(ctx, b) {
      required(ctx, b, ["kms_key_id", "key_spec"], "aws_kms.required", "aws_kms");
      const spec = b.body.key_spec;
      if (
        spec !== undefined &&
        spec !== "" &&
        !isExpr(spec) &&
        !(typeof spec === "string" && spec in AWS_KEY_SPECS)
      )
        ctx.add(
          `${b.path}.key_spec`,
          "aws_kms.key-spec",
          `${b.path}.key_spec must be one of ${Object.keys(AWS_KEY_SPECS).join(", ")} (AES_256 for aes_gcm with 32-byte keys), found ${JSON.stringify(spec)}.`,
        );
      if (b.body.region === undefined || b.body.region === "")
        ctx.add(
          `${b.path}.region`,
          "aws_kms.region",
          `${b.path}: aws_kms fails without "region" unless AWS_REGION/AWS_DEFAULT_REGION is set where tofu runs; set "region" explicitly.`,
        );
      const retry = b.body.retry_mode;
      if (retry !== undefined && !isExpr(retry) && retry !== "standard" && retry !== "adaptive")
        ctx.add(
          `${b.path}.retry_mode`,
          "aws_kms.constraints",
          `${b.path}.retry_mode must be "standard" or "adaptive".`,
        );
      if (b.body.allowed_account_ids !== undefined && b.body.forbidden_account_ids !== undefined)
        ctx.add(
          b.path,
          "aws_kms.constraints",
          `${b.path}: allowed_account_ids and forbidden_account_ids are mutually exclusive; keep one.`,
        );
      if (Array.isArray(b.body.endpoints) && b.body.endpoints.length > 1)
        ctx.add(
          `${b.path}.endpoints`,
          "aws_kms.constraints",
          `${b.path}.endpoints: only one endpoints block is allowed.`,
        );
    },
    keyBytes: (b) =>
      typeof b.body.key_spec === "string" ? AWS_KEY_SPECS[b.body.key_spec] : undefined,
  },
  gcp_kms: {
    attributes: [
      "credentials",
      "access_token",
      "impersonate_service_account",
      "impersonate_service_account_delegates",
      "kms_encryption_key",
      "key_length",
    ],
    check(ctx, b) {
      required(ctx, b, ["kms_encryption_key", "key_length"], "gcp_kms.required", "gcp_kms");
      const n = intValue(ctx, b, "key_length", "gcp_kms.key-length");
      if (typeof n === "number" && (n < 1 || n > 1024))
        ctx.add(
          `${b.path}.key_length`,
          "gcp_kms.key-length",
          `${b.path}.key_length must be between 1 and 1024 bytes (32 for aes_gcm), found ${n}.`,
        );
    },
    keyBytes: (b) => literalInt(b, "key_length"),
  },
  openbao: {
    attributes: ["address", "token", "key_name", "key_length", "transit_engine_path"],
    check(ctx, b) {
      required(ctx, b, ["key_name"], "openbao.schema", "openbao");
      const n = intValue(ctx, b, "key_length", "openbao.schema");
      if (typeof n === "number" && ![16, 32, 64].includes(n))
        ctx.add(
          `${b.path}.key_length`,
          "openbao.schema",
          `${b.path}.key_length must be 16, 32 or 64 (default 32), found ${n}.`,
        );
    },
    keyBytes: (b) => literalInt(b, "key_length", 32),
  },
  azure_vault: {
    attributes: AZURE_VAULT_ATTRS,
    check(ctx, b) {
      if (ctx.tooNew(TOFU_SINCE.azureVault))
        ctx.add(
          b.path,
          "registry.types",
          `${b.path}: the azure_vault key provider exists only from OpenTofu ${fmt(TOFU_SINCE.azureVault)}, older than Strata's floor ${fmt(ctx.minTofu)}; use another key provider or raise MIN_TOFU.`,
        );
      required(
        ctx,
        b,
        ["vault_uri", "vault_key_name", "key_length"],
        "azure_vault.schema",
        "azure_vault",
      );
      const n = intValue(ctx, b, "key_length", "azure_vault.schema");
      if (typeof n === "number" && n < 1)
        ctx.add(
          `${b.path}.key_length`,
          "azure_vault.schema",
          `${b.path}.key_length must be at least 1.`,
        );
      const size = literalInt(b, "symmetric_key_size");
      if (b.body.symmetric === true && (size === undefined || ![128, 192, 256].includes(size)))
        ctx.add(
          `${b.path}.symmetric_key_size`,
          "azure_vault.schema",
          `${b.path}: with symmetric = true, symmetric_key_size must be 128, 192 or 256.`,
        );
    },
    keyBytes: (b) => literalInt(b, "key_length"),
  },
  external: {
    attributes: ["command"],
    check(ctx, b) {
      const c = b.body.command;
      if (c === undefined || (Array.isArray(c) && c.length === 0))
        ctx.add(
          `${b.path}.command`,
          "external_key_provider.schema",
          `${b.path}: the external key provider requires "command" (a non-empty list).`,
        );
    },
    keyBytes: () => undefined,
  },
};

/** A method type's shape. */
interface MethodSpec {
  readonly attributes: readonly string[] | "any";
  readonly check: (ctx: Ctx, b: Block, enc: Encryption) => void;
}

const METHODS: Record<string, MethodSpec> = {
  aes_gcm: {
    attributes: ["keys", "aad"],
    check(ctx, b, enc) {
      if (b.body.keys === undefined) {
        ctx.add(
          `${b.path}.keys`,
          "aes_gcm.schema",
          `${b.path}: aes_gcm requires "keys", e.g. "\${key_provider.<type>.<name>}".`,
        );
        return;
      }
      const kp = keyProviderRef(ctx, `${b.path}.keys`, b.body.keys, enc, "keys");
      const bytes = kp && KEY_PROVIDERS[kp.labels[0]]?.keyBytes(kp);
      if (kp && bytes !== undefined && ![16, 24, 32].includes(bytes))
        ctx.add(
          `${b.path}.keys`,
          "aes_gcm.key-length",
          `${b.path}.keys: aes_gcm needs a 16, 24 or 32-byte key but key_provider.${kp.labels.join(".")} yields ${bytes} bytes; set its key length to 32.`,
        );
    },
  },
  external: {
    attributes: ["keys", "encrypt_command", "decrypt_command"],
    check(ctx, b, enc) {
      for (const key of ["encrypt_command", "decrypt_command"]) {
        const v = b.body[key];
        if (v === undefined || (Array.isArray(v) && (v.length === 0 || v[0] === "")))
          ctx.add(
            `${b.path}.${key}`,
            "external_method.schema",
            `${b.path}: the external method requires "${key}" (a list whose first entry is not empty).`,
          );
      }
      if (b.body.keys !== undefined)
        keyProviderRef(ctx, `${b.path}.keys`, b.body.keys, enc, "keys");
    },
  },
  // OpenTofu does not read the body of `unencrypted`.
  unencrypted: { attributes: "any", check: () => undefined },
};

/** The declared blocks of one encryption configuration. */
interface Encryption {
  readonly keyProviders: Map<string, Block>;
  readonly methods: Map<string, Block>;
}

/**
 * Checks a reference to a key provider in `keys` or `chain`: the expression
 * "${key_provider.<type>.<name>}" naming a declared key provider. Returns that key provider.
 */
function keyProviderRef(
  ctx: Ctx,
  path: string,
  value: Json,
  enc: Encryption,
  field: "keys" | "chain",
  self?: Block,
): Block | undefined {
  const rule: TofuRule = field === "keys" ? "method.keys-expression" : "pbkdf2.chain";
  let m = typeof value === "string" ? KP_EXPR.exec(value) : null;
  if (!m && typeof value === "string" && (m = KP_REF.exec(value))) {
    const since = field === "keys" ? TOFU_SINCE.plainKeysString : TOFU_SINCE.plainChainString;
    if (ctx.tooNew(since))
      ctx.add(
        path,
        field === "keys" ? "method.keys-plain-string-since-1.11.4" : "pbkdf2.chain",
        `${path}: the plain string "${value}" is read as a key provider reference only from OpenTofu ${fmt(since)} (Strata supports ${fmt(ctx.minTofu)}+); write the expression "\${${value}}".`,
      );
  }
  if (!m) {
    ctx.add(
      path,
      rule,
      `${path}: "${field}" must reference one declared key provider as the expression "\${key_provider.<type>.<name>}", found ${JSON.stringify(value)}.`,
    );
    return undefined;
  }
  const [, type, name] = m;
  const kp = enc.keyProviders.get(`${type}.${name}`);
  if (!kp) {
    const declared =
      [...enc.keyProviders.keys()].map((k) => `key_provider.${k}`).join(", ") || "none";
    ctx.add(
      path,
      "method.keys-declared",
      `${path}: key_provider.${type}.${name} is not declared in this encryption block (declared: ${declared}); declare it or fix the reference.`,
    );
    return undefined;
  }
  if (self && kp === self)
    ctx.add(path, "keyprovider.no-cycles", `${path}: a key provider cannot chain to itself.`);
  return kp;
}

/** Checks a `method` reference of a target: the plain string "method.<type>.<name>", declared. */
function methodRef(ctx: Ctx, b: Block, enc: Encryption): Block | undefined {
  const path = `${b.path}.method`;
  const v = b.body.method;
  if (v === undefined || v === null) {
    ctx.add(
      path,
      "targets.method-required",
      `${b.path}: a target needs "method": "method.<type>.<name>"; add it.`,
    );
    return undefined;
  }
  if (typeof v !== "string") {
    ctx.add(
      path,
      "targets.method-is-traversal",
      `${path} must be the plain string "method.<type>.<name>", found ${JSON.stringify(v)}.`,
    );
    return undefined;
  }
  const expr = METHOD_EXPR.exec(v);
  if (expr || isExpr(v)) {
    const plain = expr ? expr[1] : "method.<type>.<name>";
    ctx.add(
      path,
      "targets.method-is-traversal",
      `${path} is the interpolation ${JSON.stringify(v)}, but OpenTofu reads "method" as a bare traversal (AbsTraversalForExpr) and refuses templates ("Invalid expression"); write the plain string "${plain}".`,
    );
    return undefined;
  }
  const m = METHOD_REF.exec(v);
  if (!m) {
    ctx.add(
      path,
      "targets.method-form",
      `${path} must have the form "method.<type>.<name>", found ${JSON.stringify(v)}.`,
    );
    return undefined;
  }
  const method = enc.methods.get(`${m[1]}.${m[2]}`);
  if (!method) {
    const declared = [...enc.methods.keys()].map((k) => `method.${k}`).join(", ") || "none";
    ctx.add(
      path,
      "targets.method-declared",
      `${path}: ${v} is not declared in this encryption block (declared: ${declared}); declare it or fix the reference.`,
    );
  }
  return method;
}

/** A state/plan/default/named target and its fallback chain; returns the chain's methods. */
function target(ctx: Ctx, b: Block, enc: Encryption, enforceable: boolean): Block[] {
  const allowed = enforceable ? ["enforced", "method", "fallback"] : ["method", "fallback"];
  unknownKeys(
    ctx,
    b,
    allowed,
    enforceable ? "encryption.state-plan-block" : "encryption.target-block",
    enforceable ? "a state/plan block" : "a fallback/remote state target",
  );
  const methods: Block[] = [];
  const m = methodRef(ctx, b, enc);
  if (m) methods.push(m);
  if (b.body.fallback !== undefined) {
    const fb = single(
      ctx,
      b.body.fallback,
      `${b.path}.fallback`,
      "encryption.target-block",
      "fallback",
    );
    if (fb) methods.push(...target(ctx, fb, enc, false));
  }
  return methods;
}

/** Violations of the OpenTofu rules for `terraform.encryption` in one stack's Terraform JSON. */
export function checkEncryption(tf: unknown, options: TofuCheckOptions = {}): TofuViolation[] {
  const ctx = new Ctx(options.minTofu ?? DEFAULT_MIN);
  if (!isObj(tf) || tf.terraform === undefined) return ctx.out;
  const terraforms = blocks(ctx, tf.terraform, 0, "terraform", "terraform.block-types");
  for (const t of terraforms)
    unknownKeys(ctx, t, TERRAFORM_KEYS, "terraform.block-types", "the terraform block");
  const encs = terraforms.flatMap((t) =>
    t.body.encryption === undefined
      ? []
      : blocks(ctx, t.body.encryption, 0, `${t.path}.encryption`, "encryption.schema"),
  );
  if (encs.length > 1)
    ctx.add(
      encs[1].path,
      "terraform.encryption-once",
      `${encs[1].path}: a module may have only one encryption configuration, found ${encs.length}; merge them.`,
    );
  for (const e of encs) checkOneEncryption(ctx, e);
  return ctx.out;
}

function checkOneEncryption(ctx: Ctx, e: Block): void {
  unknownKeys(ctx, e, ENCRYPTION_KEYS, "encryption.schema", "the encryption block");
  const enc: Encryption = { keyProviders: new Map(), methods: new Map() };
  const declare = (b: Block, kind: "key_provider" | "method", into: Map<string, Block>) => {
    const [type, name] = b.labels;
    for (const label of b.labels)
      if (!NAME.test(label))
        ctx.add(
          b.path,
          "encryption.names",
          `${b.path}: ${kind} type and name must match [a-zA-Z_0-9-]+, "${label}" does not; rename it.`,
        );
    const key = `${type}.${name}`;
    if (into.has(key))
      ctx.add(
        b.path,
        "encryption.no-duplicates",
        `${b.path}: ${kind}.${key} is declared twice; keep one.`,
      );
    else into.set(key, b);
  };
  const kps =
    e.body.key_provider === undefined
      ? []
      : blocks(
          ctx,
          e.body.key_provider,
          2,
          `${e.path}.key_provider`,
          "encryption.key-provider-block",
        );
  for (const b of kps) declare(b, "key_provider", enc.keyProviders);
  const ms =
    e.body.method === undefined
      ? []
      : blocks(ctx, e.body.method, 2, `${e.path}.method`, "encryption.schema");
  for (const b of ms) declare(b, "method", enc.methods);

  for (const b of kps) {
    const spec = KEY_PROVIDERS[b.labels[0]];
    if (!spec) {
      ctx.add(
        b.path,
        "registry.unknown-key-provider",
        `${b.path}: "${b.labels[0]}" is not an OpenTofu key provider type (known: ${Object.keys(KEY_PROVIDERS).join(", ")}).`,
      );
      continue;
    }
    const rule: TofuRule =
      b.labels[0] === "pbkdf2"
        ? "pbkdf2.attributes"
        : b.labels[0] === "aws_kms"
          ? "aws_kms.attributes"
          : b.labels[0] === "gcp_kms"
            ? "gcp_kms.attributes"
            : "encryption.key-provider-block";
    unknownKeys(ctx, b, [...spec.attributes, ...KP_COMMON], rule, `a ${b.labels[0]} key provider`);
    spec.check(ctx, b, enc);
  }
  chainCycles(ctx, enc);

  for (const b of ms) {
    const spec = METHODS[b.labels[0]];
    if (!spec) {
      ctx.add(
        b.path,
        "registry.unknown-method",
        `${b.path}: "${b.labels[0]}" is not an OpenTofu encryption method type (known: ${Object.keys(METHODS).join(", ")}).`,
      );
      continue;
    }
    if (spec.attributes !== "any")
      unknownKeys(
        ctx,
        b,
        spec.attributes,
        b.labels[0] === "aes_gcm" ? "aes_gcm.schema" : "external_method.schema",
        `an ${b.labels[0]} method`,
      );
    spec.check(ctx, b, enc);
  }

  for (const which of ["state", "plan"] as const) {
    if (e.body[which] === undefined) continue;
    const b = single(ctx, e.body[which], `${e.path}.${which}`, "encryption.schema", which);
    if (!b) continue;
    const chain = target(ctx, b, enc, true);
    const enforced = b.body.enforced;
    if (
      enforced !== undefined &&
      typeof enforced !== "boolean" &&
      enforced !== "true" &&
      enforced !== "false"
    )
      ctx.add(
        `${b.path}.enforced`,
        "encryption.state-plan-block",
        `${b.path}.enforced must be a literal true or false, found ${JSON.stringify(enforced)}.`,
      );
    if (enforced === true || enforced === "true")
      for (const m of chain)
        if (m.labels[0] === "unencrypted")
          ctx.add(
            b.path,
            "targets.enforced",
            `${b.path}: enforced = true forbids the unencrypted method (method.${m.labels.join(".")}) in its method or fallbacks; remove it or drop enforced during the migration.`,
          );
  }

  if (e.body.remote_state_data_sources !== undefined) {
    const r = single(
      ctx,
      e.body.remote_state_data_sources,
      `${e.path}.remote_state_data_sources`,
      "encryption.remote-state-data-sources",
      "remote_state_data_sources",
    );
    if (r) {
      unknownKeys(
        ctx,
        r,
        ["default", "remote_state_data_source"],
        "encryption.remote-state-data-sources",
        "remote_state_data_sources",
      );
      if (r.body.default !== undefined) {
        const d = single(
          ctx,
          r.body.default,
          `${r.path}.default`,
          "encryption.remote-state-data-sources",
          "default",
        );
        if (d) target(ctx, d, enc, false);
      }
      if (r.body.remote_state_data_source !== undefined) {
        const seen = new Set<string>();
        for (const n of blocks(
          ctx,
          r.body.remote_state_data_source,
          1,
          `${r.path}.remote_state_data_source`,
          "encryption.remote-state-data-sources",
        )) {
          if (seen.has(n.labels[0]))
            ctx.add(
              n.path,
              "encryption.no-duplicates",
              `${n.path}: remote_state_data_source "${n.labels[0]}" is declared twice; keep one.`,
            );
          seen.add(n.labels[0]);
          target(ctx, n, enc, false);
        }
      }
    }
  }
}

/** pbkdf2 chains must not loop (a -> b -> a). */
function chainCycles(ctx: Ctx, enc: Encryption): void {
  const next = (b: Block): Block | undefined => {
    const c = b.body.chain;
    const m = typeof c === "string" ? (KP_EXPR.exec(c) ?? KP_REF.exec(c)) : null;
    return m ? enc.keyProviders.get(`${m[1]}.${m[2]}`) : undefined;
  };
  for (const start of enc.keyProviders.values()) {
    const seen = [start];
    for (let b = next(start); b; b = next(b)) {
      if (b === start && seen.length > 1) {
        ctx.add(
          `${start.path}.chain`,
          "keyprovider.no-cycles",
          `${start.path}.chain: circular key provider chain ${[...seen, b].map((x) => `key_provider.${x.labels.join(".")}`).join(" -> ")}; break the loop.`,
        );
        break;
      }
      if (seen.includes(b)) break;
      seen.push(b);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// data.<type>.<name>.lifecycle

/** Lifecycle arguments OpenTofu defines for managed resources only. */
const MANAGED_ONLY_LIFECYCLE = [
  "create_before_destroy",
  "prevent_destroy",
  "destroy",
  "ignore_changes",
  "replace_triggered_by",
];

/** Violations of OpenTofu's rule that a data source's lifecycle holds only precondition/postcondition. */
export function checkDataLifecycles(tf: unknown, options: TofuCheckOptions = {}): TofuViolation[] {
  const ctx = new Ctx(options.minTofu ?? DEFAULT_MIN);
  if (!isObj(tf) || tf.data === undefined) return ctx.out;
  for (const d of blocks(ctx, tf.data, 2, "data", "data.lifecycle-arguments")) {
    if (d.body.lifecycle === undefined) continue;
    const lcs = blocks(ctx, d.body.lifecycle, 0, `${d.path}.lifecycle`, "data.lifecycle-once");
    if (lcs.length > 1)
      ctx.add(
        `${d.path}.lifecycle`,
        "data.lifecycle-once",
        `${d.path}: a data source may have only one lifecycle block, found ${lcs.length}; merge them.`,
      );
    for (const lc of lcs)
      for (const key of Object.keys(lc.body)) {
        if (key === "precondition" || key === "postcondition") continue;
        if (key === "enabled" && !ctx.tooNew(TOFU_SINCE.dataLifecycleEnabled)) continue;
        const path = `${lc.path}.${key}`;
        const managedOnly = MANAGED_ONLY_LIFECYCLE.includes(key);
        const why =
          key === "enabled"
            ? `is accepted on data sources only from OpenTofu ${fmt(TOFU_SINCE.dataLifecycleEnabled)} (Strata supports ${fmt(ctx.minTofu)}+)`
            : managedOnly
              ? `is defined only for managed resources ("Invalid data resource lifecycle argument")`
              : "is not a lifecycle argument or block";
        ctx.add(
          path,
          managedOnly || key === "enabled" ? "data.lifecycle-arguments" : "data.lifecycle-blocks",
          `${path}: "${key}" ${why}; a data source's lifecycle takes only precondition/postcondition blocks — remove it (put it on the managed resource instead).`,
        );
      }
  }
  return ctx.out;
}

// ---------------------------------------------------------------------------------------------
// moved

/** Splits a static address into its dotted steps, keeping index brackets with their step. */
function addressSteps(addr: string): string[] | undefined {
  const STEP = /^[a-zA-Z_][a-zA-Z0-9_-]*(\[(\d+|"[^"]*")\])?$/;
  const steps = addr.split(/\.(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  return steps.every((s) => STEP.test(s)) ? steps : undefined;
}

/** "module" or "resource" (with its mode), or undefined if not a move endpoint. */
function endpointKind(addr: string): { kind: "module" | "resource"; mode?: string } | undefined {
  const steps = addressSteps(addr);
  if (!steps) return undefined;
  let i = 0;
  while (steps[i] === "module" && i + 1 < steps.length) i += 2;
  const rest = steps.slice(i);
  if (rest.length === 0) return { kind: "module" };
  if (rest.some((s) => s === "module" || s.startsWith("module["))) return undefined;
  const mode = rest[0] === "data" || rest[0] === "ephemeral" ? rest[0] : "managed";
  const body = mode === "managed" ? rest : rest.slice(1);
  if (body.length !== 2 || /\[/.test(body[0])) return undefined;
  return { kind: "resource", mode };
}

/** Violations of OpenTofu's rules for `moved` blocks (static from/to of the same kind). */
export function checkMovedBlocks(tf: unknown): TofuViolation[] {
  const ctx = new Ctx(DEFAULT_MIN);
  if (!isObj(tf) || tf.moved === undefined) return ctx.out;
  for (const mv of blocks(ctx, tf.moved, 0, "moved", "moved.static-addresses")) {
    const kinds: Array<ReturnType<typeof endpointKind>> = [];
    for (const key of ["from", "to"] as const) {
      const v = mv.body[key];
      const path = `${mv.path}.${key}`;
      if (v === undefined) {
        ctx.add(path, "moved.static-addresses", `${mv.path}: a moved block requires "${key}".`);
        continue;
      }
      if (typeof v !== "string" || isExpr(v)) {
        const inner = typeof v === "string" ? /^\$\{\s*([^}]*?)\s*\}$/.exec(v)?.[1] : undefined;
        ctx.add(
          path,
          "moved.static-addresses",
          `${path} must be a static address string read as a traversal, found ${JSON.stringify(v)}; write ${inner ? `"${inner}"` : `the plain address, e.g. "aws_s3_bucket.a"`}.`,
        );
        continue;
      }
      const k = endpointKind(v);
      if (!k) {
        ctx.add(
          path,
          "moved.static-addresses",
          `${path}: "${v}" is not a module or resource address.`,
        );
        continue;
      }
      if (k.mode === "ephemeral")
        ctx.add(
          path,
          "moved.not-ephemeral",
          `${path}: ephemeral resources cannot be moved ("${v}").`,
        );
      kinds.push(k);
    }
    if (kinds.length === 2 && kinds[0]?.kind !== kinds[1]?.kind)
      ctx.add(
        mv.path,
        "moved.same-kind",
        `${mv.path}: "from" and "to" must both be resources or both be modules.`,
      );
  }
  return ctx.out;
}
