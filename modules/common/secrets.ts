/**
 * What a literal secret looks like. Used by the environment schema (no secret in config) and by the
 * tests that scan every synthesized file (no secret in output).
 */

/** Keys whose value is a secret (matched on the last word of the key). */
const SECRET_KEY_RE =
  /(^|[^a-z])(password|passwd|passphrase|secret|token|apikey|api_key|privatekey|private_key|credentials?|masterkey|master_key)$/i;

/**
 * Keys that name or point to a secret rather than hold one (`passwordSecretRef`; Helm charts'
 * `existingSecret`, `existingPasswordSecret`, which take a Secret's name).
 */
const REFERENCE_KEY_RE =
  /(Ref|Name|Names|Env|Var|Variable|Id|Arn|Key(Name|Id)|Path|Keys)$|^existing[A-Z]/;

/** True when a key with a string value would hold a secret (`dbPassword`, `API_TOKEN`), not name one. */
export function isSecretKey(key: string): boolean {
  const camelTail = key.replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return SECRET_KEY_RE.test(camelTail) && !REFERENCE_KEY_RE.test(key) && !/^existing/i.test(key);
}

/** Value shapes that are credentials whatever their key: `user:pass@host` URLs, PEM private keys, well-known token formats. */
const SECRET_VALUE_PATTERNS: Array<[string, RegExp]> = [
  ["a URL with a password (user:pass@host)", /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i],
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["an AWS access key id", /\bAKIA[0-9A-Z]{16}\b/],
  ["a GitHub token", /\bgh[pousr]_[A-Za-z0-9]{36,}\b/],
  ["a DigitalOcean token", /\bdop_v1_[a-f0-9]{64}\b/],
  ["a Slack token", /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/],
  // Webhook URLs whose path is the credential: anyone holding one can post or page.
  [
    "a Slack webhook URL",
    /\bhooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9/_-]{10,}/,
  ],
  ["a PagerDuty integration URL", /\bevents\.pagerduty\.com\/integration\/[A-Za-z0-9]{20,}/],
];

/** A Terraform interpolation (`${random_password.p.result}`): a reference, not a value. */
const INTERPOLATION_RE = /\$\{[^{}]*\}/g;
/** A Kubernetes dependent variable (`$(DB_PASSWORD)`), expanded in the pod: a reference too. */
const KUBERNETES_VAR_RE = /\$\([A-Za-z_][A-Za-z0-9_]*\)/g;

/**
 * Names the kind of credential a string looks like, or undefined. Interpolations are not
 * literals: `amqp://app:${data.kubernetes_secret_v1.mq.data["password"]}@host` holds none, nor
 * does `postgres://$(DB_USER):$(DB_PASSWORD)@host` (Kubernetes expands it from a Secret).
 */
export function secretValueKind(value: string): string | undefined {
  const literal = value.replace(INTERPOLATION_RE, "").replace(KUBERNETES_VAR_RE, "");
  return SECRET_VALUE_PATTERNS.find(([, re]) => re.test(literal))?.[0];
}

/** A literal secret found in a tree of plain data. */
export interface SecretFinding {
  /** Path to the value, e.g. ["targets", "gcp", "dbPassword"]. */
  readonly path: ReadonlyArray<string | number>;
  readonly reason: string;
}

/** A value that is only a Terraform reference (`${var.x}`, `${random_password.p.result}`) is not a literal. */
const REFERENCE_ONLY_RE = /^\$\{[^}]+\}$/;

/** A Secret Manager resource name (`projects/<p>/secrets/<id>`) names a secret; it holds none. */
const SECRET_NAME_RE = /^projects\/[^/\s]+\/secrets\/[^/\s]+(\/versions\/[^/\s]+)?$/;

/** Walks plain data (parsed JSON/YAML or an object literal) and reports literal secrets. */
export function findLiteralSecrets(
  value: unknown,
  path: Array<string | number> = [],
): SecretFinding[] {
  if (typeof value === "string") {
    if (REFERENCE_ONLY_RE.test(value)) return [];
    const kind = secretValueKind(value);
    return kind ? [{ path, reason: `looks like ${kind}` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findLiteralSecrets(v, [...path, i]));
  if (value !== null && typeof value === "object") {
    // A name/value pair (a helm `set` entry, a container env var) names its key in `name`.
    const pair = value as { name?: unknown; value?: unknown };
    if (typeof pair.name === "string" && typeof pair.value === "string" && pair.value !== "") {
      const key = pair.name.split(".").pop() ?? pair.name;
      if (isSecretKey(key) && !REFERENCE_ONLY_RE.test(pair.value)) {
        return [{ path: [...path, "value"], reason: `"${pair.name}" is set to a literal secret` }];
      }
    }
    return Object.entries(value).flatMap(([k, v]) => {
      if (
        typeof v === "string" &&
        v !== "" &&
        !REFERENCE_ONLY_RE.test(v) &&
        !SECRET_NAME_RE.test(v) &&
        isSecretKey(k)
      ) {
        return [{ path: [...path, k], reason: `"${k}" holds a literal secret` }];
      }
      return findLiteralSecrets(v, [...path, k]);
    });
  }
  return [];
}
