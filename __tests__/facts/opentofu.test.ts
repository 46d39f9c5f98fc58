/**
 * OpenTofu-only rules (facts/opentofu.json, read from OpenTofu's source at the tag it names)
 * applied by scripts/lib/tofu-encryption.ts: Terraform, which `terraform validate` tests use,
 * refuses the encryption block outright, so these rules are checked here instead.
 */
import fs from "node:fs";
import path from "node:path";
import {
  CHECKED_RULES,
  checkDataLifecycles,
  checkEncryption,
  checkMovedBlocks,
  checkTofuConfig,
  type TofuViolation,
} from "../../scripts/lib/tofu-encryption";
import { realApp } from "../support/app";

interface Facts {
  tag: string;
  commit: string;
  rules: Array<{ id: string; fact: string; citations: string[]; supporting?: string[] }>;
  supporting: Array<{ id: string; fact: string; citations: string[] }>;
}

const facts = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "facts", "opentofu.json"), "utf8"),
) as Facts;

const rules = (v: TofuViolation[]) => v.map((x) => x.rule);
const paths = (v: TofuViolation[]) => v.map((x) => x.path);

// ---------------------------------------------------------------------------------------------
// (a) the real app

describe("the real app's stacks", () => {
  const { stacks } = realApp();

  test("some stacks carry terraform.encryption (the check below is not vacuous)", () => {
    const encrypted = [...stacks.values()].filter((tf) => tf.terraform?.encryption !== undefined);
    expect(encrypted.length).toBeGreaterThan(0);
  });

  test("no stack breaks an OpenTofu encryption, data lifecycle or moved rule", () => {
    const found: string[] = [];
    for (const [name, tf] of stacks)
      for (const v of checkTofuConfig(tf))
        found.push(`${name}: ${v.path} [${v.rule}] ${v.message}`);
    if (found.length > 0)
      throw new Error(
        `${found.length} OpenTofu rule violation(s) (facts/opentofu.json, OpenTofu ${facts.tag}):\n` +
          found.join("\n"),
      );
  });
});

// ---------------------------------------------------------------------------------------------
// (b) each rule fires on a small hand-made configuration

type Tf = Record<string, unknown>;

/** What Strata emits for a pbkdf2-encrypted stack: valid on every OpenTofu >= 1.10. */
function strata(over: Record<string, unknown> = {}, kp?: Record<string, unknown>): Tf {
  return {
    terraform: {
      backend: { s3: { bucket: "b" } },
      required_providers: {},
      encryption: {
        key_provider: kp ?? {
          pbkdf2: { strata: { passphrase: "${var.strata_state_passphrase}" } },
        },
        method: { aes_gcm: { strata: { keys: "${key_provider.pbkdf2.strata}" } } },
        state: { enforced: true, method: "method.aes_gcm.strata" },
        plan: { enforced: true, method: "method.aes_gcm.strata" },
        remote_state_data_sources: { default: { method: "method.aes_gcm.strata" } },
        ...over,
      },
    },
  };
}

describe("checkEncryption", () => {
  test("Strata's form passes, with each key provider type Strata can emit", () => {
    expect(checkEncryption(strata())).toEqual([]);
    const gcp = { gcp_kms: { strata: { kms_encryption_key: "projects/p/k", key_length: 32 } } };
    expect(
      checkEncryption(
        strata(
          { method: { aes_gcm: { strata: { keys: "${key_provider.gcp_kms.strata}" } } } },
          gcp,
        ),
      ),
    ).toEqual([]);
    const aws = {
      aws_kms: { strata: { kms_key_id: "alias/k", key_spec: "AES_256", region: "eu-west-1" } },
    };
    expect(
      checkEncryption(
        strata(
          { method: { aes_gcm: { strata: { keys: "${key_provider.aws_kms.strata}" } } } },
          aws,
        ),
      ),
    ).toEqual([]);
  });

  test("no encryption block: nothing to check", () => {
    expect(checkEncryption({ terraform: { backend: { local: {} } } })).toEqual([]);
    expect(checkEncryption({})).toEqual([]);
  });

  test("method as an interpolation ${method...} is refused everywhere a target names a method", () => {
    const m = "${method.aes_gcm.strata}";
    const v = checkEncryption(
      strata({
        state: { method: m, fallback: { method: m } },
        plan: { method: m },
        remote_state_data_sources: {
          default: { method: m },
          remote_state_data_source: { other: { method: m } },
        },
      }),
    );
    expect(paths(v)).toEqual([
      "terraform.encryption.state.method",
      "terraform.encryption.state.fallback.method",
      "terraform.encryption.plan.method",
      "terraform.encryption.remote_state_data_sources.default.method",
      "terraform.encryption.remote_state_data_sources.remote_state_data_source.other.method",
    ]);
    expect(new Set(rules(v))).toEqual(new Set(["targets.method-is-traversal"]));
    expect(v[0].message).toMatch(/write the plain string "method\.aes_gcm\.strata"/);
  });

  test("method must be method.<type>.<name> naming a declared method, and is required", () => {
    const v = checkEncryption(
      strata({
        state: { method: "aes_gcm.strata" },
        plan: { method: "method.aes_gcm.other" },
        remote_state_data_sources: { default: {} },
      }),
    );
    expect(v.map((x) => [x.path, x.rule])).toEqual([
      ["terraform.encryption.state.method", "targets.method-form"],
      ["terraform.encryption.plan.method", "targets.method-declared"],
      ["terraform.encryption.remote_state_data_sources.default.method", "targets.method-required"],
    ]);
    expect(v[1].message).toMatch(/declared: method\.aes_gcm\.strata/);
  });

  test("keys must be ${key_provider.<type>.<name>} naming a declared key provider", () => {
    const keys = (k: unknown) =>
      checkEncryption(strata({ method: { aes_gcm: { strata: { keys: k } } } }));
    expect(rules(keys("${key_provider.pbkdf2.nope}"))).toEqual(["method.keys-declared"]);
    expect(rules(keys("pbkdf2.strata"))).toEqual(["method.keys-expression"]);
    expect(rules(keys("${var.key}"))).toEqual(["method.keys-expression"]);
    expect(rules(keys({ encryption_key: "x" }))).toEqual(["method.keys-expression"]);
    // The plain string is read as a reference only from OpenTofu 1.11.4 on.
    const plain = keys("key_provider.pbkdf2.strata");
    expect(rules(plain)).toEqual(["method.keys-plain-string-since-1.11.4"]);
    expect(plain[0].message).toMatch(/write the expression "\$\{key_provider\.pbkdf2\.strata\}"/);
    expect(
      checkEncryption(
        strata({ method: { aes_gcm: { strata: { keys: "key_provider.pbkdf2.strata" } } } }),
        { minTofu: [1, 11, 4] },
      ),
    ).toEqual([]);
  });

  test("unknown keys and block types are refused at every level", () => {
    const v = checkEncryption({
      terraform: {
        encryption: {
          key_provider: { pbkdf2: { strata: { passphrase: "${var.p}", rounds: 1 } } },
          method: { aes_gcm: { strata: { keys: "${key_provider.pbkdf2.strata}", iv: "x" } } },
          state: {
            method: "method.aes_gcm.strata",
            fallback: { method: "method.aes_gcm.strata", enforced: true },
          },
          plan: { method: "method.aes_gcm.strata", encrypt: true },
          remote_state_data_sources: { default: { method: "method.aes_gcm.strata" }, all: {} },
          states: {},
        },
        encrypt: true,
      },
    });
    expect(v.map((x) => [x.path, x.rule])).toEqual([
      ["terraform.encrypt", "terraform.block-types"],
      ["terraform.encryption.states", "encryption.schema"],
      ["terraform.encryption.key_provider.pbkdf2.strata.rounds", "pbkdf2.attributes"],
      ["terraform.encryption.method.aes_gcm.strata.iv", "aes_gcm.schema"],
      ["terraform.encryption.state.fallback.enforced", "encryption.target-block"],
      ["terraform.encryption.plan.encrypt", "encryption.state-plan-block"],
      [
        "terraform.encryption.remote_state_data_sources.all",
        "encryption.remote-state-data-sources",
      ],
    ]);
  });

  test("unknown key provider and method types are refused", () => {
    const v = checkEncryption(
      strata(
        {
          method: {
            aes_gcm: { strata: { keys: "${key_provider.vault.strata}" } },
            rot13: { x: {} },
          },
        },
        { vault: { strata: {} } },
      ),
    );
    expect(rules(v)).toEqual(["registry.unknown-key-provider", "registry.unknown-method"]);
  });

  test("pbkdf2: passphrase xor chain, 16+ characters, iterations, key/salt length, hash", () => {
    const pb = (body: Record<string, unknown>) =>
      rules(checkEncryption(strata({}, { pbkdf2: { strata: body } })));
    expect(pb({})).toEqual(["pbkdf2.passphrase-xor-chain"]);
    expect(pb({ passphrase: "short" })).toEqual(["pbkdf2.passphrase-min-length"]);
    expect(pb({ passphrase: "sixteen-chars-ok" })).toEqual([]);
    expect(pb({ passphrase: "${var.p}", iterations: 199999 })).toEqual(["pbkdf2.iterations"]);
    expect(pb({ passphrase: "${var.p}", iterations: 200000 })).toEqual([]);
    expect(pb({ passphrase: "${var.p}", key_length: 0 })).toEqual([
      "pbkdf2.key-length",
      "aes_gcm.key-length",
    ]);
    expect(pb({ passphrase: "${var.p}", key_length: 64 })).toEqual(["aes_gcm.key-length"]);
    expect(pb({ passphrase: "${var.p}", key_length: 16 })).toEqual([]);
    expect(pb({ passphrase: "${var.p}", salt_length: 0 })).toEqual(["pbkdf2.salt-length"]);
    expect(pb({ passphrase: "${var.p}", hash_function: "sha1" })).toEqual(["pbkdf2.hash-function"]);
    expect(pb({ passphrase: "${var.p}", hash_function: "sha256" })).toEqual([]);
  });

  test("pbkdf2 chain: a declared key provider, as an expression, without cycles", () => {
    const chained = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      rules(checkEncryption(strata({}, { pbkdf2: { strata: a, base: b } })));
    const base = { passphrase: "${var.p}" };
    expect(chained({ chain: "${key_provider.pbkdf2.base}" }, base)).toEqual([]);
    expect(chained({ chain: "${key_provider.pbkdf2.base}", passphrase: "${var.p}" }, base)).toEqual(
      ["pbkdf2.passphrase-xor-chain"],
    );
    expect(chained({ chain: "${key_provider.pbkdf2.gone}" }, base)).toEqual([
      "method.keys-declared",
    ]);
    expect(chained({ chain: "key_provider.pbkdf2.base" }, base)).toEqual(["pbkdf2.chain"]);
    expect(chained({ chain: "${key_provider.pbkdf2.strata}" }, base)).toEqual([
      "keyprovider.no-cycles",
    ]);
    expect(
      chained({ chain: "${key_provider.pbkdf2.base}" }, { chain: "${key_provider.pbkdf2.strata}" }),
    ).toEqual(["keyprovider.no-cycles", "keyprovider.no-cycles"]);
  });

  test("aws_kms: kms_key_id, key_spec (AES_256/AES_128) and region", () => {
    const aws = (body: Record<string, unknown>) =>
      checkEncryption(
        strata(
          { method: { aes_gcm: { strata: { keys: "${key_provider.aws_kms.strata}" } } } },
          { aws_kms: { strata: body } },
        ),
      );
    expect(rules(aws({}))).toEqual(["aws_kms.required", "aws_kms.required", "aws_kms.region"]);
    expect(rules(aws({ kms_key_id: "k", key_spec: "AES_512", region: "r" }))).toEqual([
      "aws_kms.key-spec",
    ]);
    expect(rules(aws({ kms_key_id: "k", key_spec: "AES_128", region: "r" }))).toEqual([]);
    expect(rules(aws({ kms_key_id: "k", key_spec: "AES_256" }))).toEqual(["aws_kms.region"]);
    expect(
      rules(aws({ kms_key_id: "k", key_spec: "AES_256", region: "r", kms_region: "r" })),
    ).toEqual(["aws_kms.attributes"]);
    expect(
      rules(
        aws({
          kms_key_id: "k",
          key_spec: "AES_256",
          region: "r",
          retry_mode: "eager",
          allowed_account_ids: ["1"],
          forbidden_account_ids: ["2"],
        }),
      ),
    ).toEqual(["aws_kms.constraints", "aws_kms.constraints"]);
  });

  test("gcp_kms: kms_encryption_key and key_length (1..1024, 16/24/32 for aes_gcm)", () => {
    const gcp = (body: Record<string, unknown>) =>
      rules(
        checkEncryption(
          strata(
            { method: { aes_gcm: { strata: { keys: "${key_provider.gcp_kms.strata}" } } } },
            { gcp_kms: { strata: body } },
          ),
        ),
      );
    expect(gcp({})).toEqual(["gcp_kms.required", "gcp_kms.required"]);
    expect(gcp({ kms_encryption_key: "k", key_length: 2048 })).toEqual([
      "gcp_kms.key-length",
      "aes_gcm.key-length",
    ]);
    expect(gcp({ kms_encryption_key: "k", key_length: 33 })).toEqual(["aes_gcm.key-length"]);
    expect(gcp({ kms_encryption_key: "k", key_length: 24 })).toEqual([]);
    expect(gcp({ kms_encryption_key: "k", key_length: 32, project: "p" })).toEqual([
      "gcp_kms.attributes",
    ]);
  });

  test("openbao, azure_vault, external key providers: required fields and values", () => {
    const kp = (type: string, body: Record<string, unknown>, minTofu?: [number, number, number]) =>
      rules(
        checkEncryption(
          strata(
            { method: { aes_gcm: { strata: { keys: `\${key_provider.${type}.strata}` } } } },
            { [type]: { strata: body } },
          ),
          minTofu ? { minTofu } : {},
        ),
      );
    expect(kp("openbao", {})).toEqual(["openbao.schema"]);
    expect(kp("openbao", { key_name: "k", key_length: 64 })).toEqual(["aes_gcm.key-length"]);
    expect(kp("openbao", { key_name: "k", key_length: 48 })).toEqual([
      "openbao.schema",
      "aes_gcm.key-length",
    ]);
    const az = { vault_uri: "https://v.vault.azure.net", vault_key_name: "k", key_length: 32 };
    expect(kp("azure_vault", az)).toEqual(["registry.types"]);
    expect(kp("azure_vault", az, [1, 11, 0])).toEqual([]);
    expect(kp("azure_vault", { symmetric: true }, [1, 11, 0])).toEqual([
      "azure_vault.schema",
      "azure_vault.schema",
      "azure_vault.schema",
      "azure_vault.schema",
    ]);
    expect(kp("external", {})).toEqual(["external_key_provider.schema"]);
    expect(kp("external", { command: ["./key"] })).toEqual([]);
  });

  test("aes_gcm requires keys; external method requires both commands", () => {
    expect(rules(checkEncryption(strata({ method: { aes_gcm: { strata: {} } } })))).toEqual([
      "aes_gcm.schema",
    ]);
    const ext = checkEncryption(
      strata({
        method: {
          aes_gcm: { strata: { keys: "${key_provider.pbkdf2.strata}" } },
          external: { cmd: { encrypt_command: [""] } },
        },
      }),
    );
    expect(rules(ext)).toEqual(["external_method.schema", "external_method.schema"]);
  });

  test("enforced forbids unencrypted in the method and its fallbacks", () => {
    const method = {
      aes_gcm: { strata: { keys: "${key_provider.pbkdf2.strata}" } },
      unencrypted: { migrate: {} },
    };
    const fallback = {
      method: "method.aes_gcm.strata",
      fallback: { method: "method.unencrypted.migrate" },
    };
    const v = checkEncryption(strata({ method, state: { enforced: true, ...fallback } }));
    expect(v.map((x) => [x.path, x.rule])).toEqual([
      ["terraform.encryption.state", "targets.enforced"],
    ]);
    expect(checkEncryption(strata({ method, state: { enforced: false, ...fallback } }))).toEqual(
      [],
    );
    expect(
      rules(
        checkEncryption(
          strata({ state: { enforced: "${var.e}", method: "method.aes_gcm.strata" } }),
        ),
      ),
    ).toEqual(["encryption.state-plan-block"]);
  });

  test("one fallback per level, one encryption block, unique remote_state_data_source names", () => {
    const two = [{ method: "method.aes_gcm.strata" }, { method: "method.aes_gcm.strata" }];
    expect(
      rules(checkEncryption(strata({ state: { method: "method.aes_gcm.strata", fallback: two } }))),
    ).toEqual(["encryption.target-block"]);
    const enc = (strata().terraform as Tf).encryption;
    expect(rules(checkEncryption({ terraform: { encryption: [enc, enc] } }))).toEqual([
      "terraform.encryption-once",
    ]);
    const named = [
      { a: { method: "method.aes_gcm.strata" } },
      { a: { method: "method.aes_gcm.strata" } },
    ];
    expect(
      rules(
        checkEncryption(strata({ remote_state_data_sources: { remote_state_data_source: named } })),
      ),
    ).toEqual(["encryption.no-duplicates"]);
  });

  test("key provider and method names must match [a-zA-Z_0-9-]+", () => {
    const v = checkEncryption(
      strata({
        method: {
          aes_gcm: {
            strata: { keys: "${key_provider.pbkdf2.strata}" },
            "bad name": { keys: "${key_provider.pbkdf2.strata}" },
          },
        },
      }),
    );
    expect(v.map((x) => [x.path, x.rule])).toEqual([
      ["terraform.encryption.method.aes_gcm.bad name", "encryption.names"],
    ]);
  });
});

describe("checkDataLifecycles", () => {
  const data = (lifecycle: unknown) => ({
    data: { aws_eks_cluster: { Cluster: { name: "c", lifecycle } } },
  });

  test("precondition/postcondition pass", () => {
    expect(
      checkDataLifecycles(
        data({ precondition: [{ condition: "${true}", error_message: "x" }], postcondition: [] }),
      ),
    ).toEqual([]);
    expect(
      checkDataLifecycles({ resource: { a: { b: { lifecycle: { prevent_destroy: true } } } } }),
    ).toEqual([]);
  });

  test("managed-resource arguments are refused, naming the field and the fix", () => {
    const v = checkDataLifecycles(data({ prevent_destroy: true, ignore_changes: ["tags"] }));
    expect(v.map((x) => [x.path, x.rule])).toEqual([
      ["data.aws_eks_cluster.Cluster.lifecycle.prevent_destroy", "data.lifecycle-arguments"],
      ["data.aws_eks_cluster.Cluster.lifecycle.ignore_changes", "data.lifecycle-arguments"],
    ]);
    expect(v[0].message).toMatch(
      /Invalid data resource lifecycle argument.*precondition\/postcondition/,
    );
  });

  test("enabled only from OpenTofu 1.11; unknown keys and two lifecycles refused", () => {
    expect(rules(checkDataLifecycles(data({ enabled: true })))).toEqual([
      "data.lifecycle-arguments",
    ]);
    expect(checkDataLifecycles(data({ enabled: true }), { minTofu: [1, 11, 0] })).toEqual([]);
    expect(rules(checkDataLifecycles(data({ check: {} })))).toEqual(["data.lifecycle-blocks"]);
    expect(rules(checkDataLifecycles(data([{}, {}])))).toEqual(["data.lifecycle-once"]);
  });
});

describe("checkMovedBlocks", () => {
  const moved = (...m: unknown[]) => checkMovedBlocks({ moved: m });

  test("static resource and module addresses pass", () => {
    expect(
      moved(
        { from: "aws_s3_bucket.a", to: "aws_s3_bucket.b" },
        { from: "module.x", to: 'module.y["k"]' },
        { from: "aws_s3_bucket.a[0]", to: "module.z.aws_s3_bucket.a" },
      ),
    ).toEqual([]);
  });

  test("interpolated, missing, ephemeral and mixed endpoints are refused", () => {
    const v = moved(
      { from: "${aws_s3_bucket.a}", to: "aws_s3_bucket.b" },
      { from: "aws_s3_bucket.a" },
      { from: "ephemeral.random_password.p", to: "ephemeral.random_password.q" },
      { from: "module.x", to: "aws_s3_bucket.b" },
    );
    expect(v.map((x) => [x.path, x.rule])).toEqual([
      ["moved[0].from", "moved.static-addresses"],
      ["moved[1].to", "moved.static-addresses"],
      ["moved[2].from", "moved.not-ephemeral"],
      ["moved[2].to", "moved.not-ephemeral"],
      ["moved[3]", "moved.same-kind"],
    ]);
    expect(v[0].message).toMatch(/write "aws_s3_bucket\.a"/);
  });
});

// ---------------------------------------------------------------------------------------------
// (c) the facts file

describe("facts/opentofu.json", () => {
  const base = `https://github.com/opentofu/opentofu/blob/${facts.tag}/`;

  test("names a stable release tag and its commit", () => {
    expect(facts.tag).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(facts.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  test("every rule cites OpenTofu's source at that tag, with a line anchor", () => {
    const bad: string[] = [];
    for (const rule of facts.rules) {
      if (rule.citations.length === 0) bad.push(`${rule.id}: no citation`);
      for (const c of rule.citations)
        if (!c.startsWith(base) || !/#L\d+(-L\d+)?$/.test(c)) bad.push(`${rule.id}: ${c}`);
    }
    expect(bad).toEqual([]);
  });

  test("rule ids are unique, every checked rule is recorded, supporting facts exist", () => {
    const ids = facts.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(CHECKED_RULES.filter((id) => !ids.includes(id))).toEqual([]);
    const supporting = new Set(facts.supporting.map((s) => s.id));
    const missing = facts.rules.flatMap((r) =>
      (r.supporting ?? []).filter((s) => !supporting.has(s)),
    );
    expect(missing).toEqual([]);
    for (const s of facts.supporting) expect(s.citations.length).toBeGreaterThan(0);
  });
});
