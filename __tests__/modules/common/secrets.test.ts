import { findLiteralSecrets, isSecretKey } from "../../../modules/common/secrets";

describe("isSecretKey", () => {
  test.each([
    "password",
    "dbPassword",
    "API_TOKEN",
    "clientSecret",
    "passphrase",
    "apiKey",
    "privateKey",
  ])("%s holds a secret", (key) => expect(isSecretKey(key)).toBe(true));
  test.each([
    "existingSecretName",
    "passwordSecretRef",
    "tokenEnv",
    "kmsKeyId",
    "secretKeys",
    "owner",
    "tokens_per_second",
    "existingSecret",
    "existingPasswordSecret",
  ])("%s does not", (key) => expect(isSecretKey(key)).toBe(false));
});

describe("findLiteralSecrets", () => {
  test("finds secret keys and credential-shaped values with their paths", () => {
    const found = findLiteralSecrets({
      a: { dbPassword: "hunter2" },
      b: ["postgres://app:s3cret@db:5432/app"],
      c: { note: "-----BEGIN RSA PRIVATE KEY-----\nabc" },
      d: { password: "" },
      e: { host: "db.internal", port: 5432 },
      f: [
        { name: "auth.password", value: "hunter2" },
        { name: "DB_PASSWORD", value: "${random_password.db.result}" },
      ],
      g: [{ name: "auth.existingSecret", value: "postgres-auth" }],
    });
    expect(found.map((f) => f.path.join("."))).toEqual([
      "a.dbPassword",
      "b.0",
      "c.note",
      "f.0.value",
    ]);
  });
});

describe("interpolations are references, not literals", () => {
  test("a URL whose password is a Terraform interpolation holds no literal", () => {
    expect(
      findLiteralSecrets({
        url: 'amqp://app:${data.kubernetes_secret_v1.mq.data["rabbitmq-password"]}@mq:5672/',
      }),
    ).toEqual([]);
  });

  test("a literal password beside an interpolation is still found", () => {
    expect(
      findLiteralSecrets({ url: "postgresql://app:hunter2@${var.host}:5432/app" }),
    ).toHaveLength(1);
  });
});

describe("references to a secret store", () => {
  test("a Secret Manager resource name under a secret key names a secret; a bare value does not", () => {
    expect(findLiteralSecrets({ secret: "projects/p-1/secrets/pagerduty-key" })).toEqual([]);
    expect(findLiteralSecrets({ secret: "projects/p-1/secrets/k/versions/3" })).toEqual([]);
    expect(findLiteralSecrets({ secret: "pagerduty-key" })).toEqual([
      { path: ["secret"], reason: '"secret" holds a literal secret' },
    ]);
  });

  test("webhook URLs that carry their credential are found whatever the key", () => {
    const found = findLiteralSecrets({
      a: "https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnop",
      b: "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue",
      c: "https://hooks.slack.com/",
    });
    expect(found.map((f) => [f.path.join("."), f.reason])).toEqual([
      ["a", "looks like a Slack webhook URL"],
      ["b", "looks like a PagerDuty integration URL"],
    ]);
  });
});
