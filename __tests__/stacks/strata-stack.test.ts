import { App } from "cdktf";
import type { EnvironmentInput } from "../../environments/schema";
import { GcpNetworkStack } from "../../stacks/gcp/network";
import { STATE_PASSPHRASE_VARIABLE } from "../../stacks/strata-stack";
import { testEnv } from "../support/env";
import { synthJson } from "../support/synth";

function gcpNetwork(overrides: Partial<EnvironmentInput> = {}) {
  const env = testEnv(overrides);
  return synthJson(
    new GcpNetworkStack(new App(), "test-gcp-network", { env, target: env.targets.gcp! }),
  );
}

describe("backends", () => {
  test("local state outside cdktf.out, one file per stack", () => {
    expect(gcpNetwork().terraform?.backend).toEqual({
      local: { path: "../../../.tfstate/test-gcp-network.tfstate" },
    });
  });

  test("gcs under <prefix>/<stack>", () => {
    const tf = gcpNetwork({
      tier: "staging",
      backend: { type: "gcs", bucket: "tf-state", prefix: "team" },
    });
    expect(tf.terraform?.backend).toEqual({
      gcs: { bucket: "tf-state", prefix: "team/test-gcp-network" },
    });
  });

  test("s3 with OpenTofu's native lock file and server-side encryption", () => {
    const tf = gcpNetwork({
      tier: "prod",
      backend: { type: "s3", bucket: "tf-state", region: "eu-west-1" },
    });
    expect(tf.terraform?.backend).toEqual({
      s3: {
        bucket: "tf-state",
        key: "test/test-gcp-network/terraform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });
});

describe("state encryption", () => {
  test("off in dev by default", () => {
    expect(gcpNetwork().terraform?.encryption).toBeUndefined();
  });

  test("pbkdf2 from a sensitive variable; no key in the output", () => {
    const tf = gcpNetwork({ tier: "staging", backend: { type: "gcs", bucket: "tf-state" } });
    expect(tf.terraform?.encryption).toMatchObject({
      key_provider: { pbkdf2: { strata: { passphrase: `\${var.${STATE_PASSPHRASE_VARIABLE}}` } } },
      state: { method: "method.aes_gcm.strata", enforced: true },
      plan: { method: "method.aes_gcm.strata", enforced: true },
    });
    expect(tf.variable?.[STATE_PASSPHRASE_VARIABLE]).toMatchObject({
      sensitive: true,
      type: "string",
    });
  });

  test("a KMS key provider instead of a passphrase", () => {
    const tf = gcpNetwork({
      tier: "staging",
      backend: { type: "gcs", bucket: "tf-state" },
      stateEncryption: {
        keyProvider: {
          type: "gcp_kms",
          kmsEncryptionKey: "projects/p/locations/l/keyRings/r/cryptoKeys/k",
        },
      },
    });
    expect(tf.terraform?.encryption).toMatchObject({
      key_provider: {
        gcp_kms: {
          strata: { kms_encryption_key: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
        },
      },
    });
    expect(tf.variable).toBeUndefined();
  });
});

describe("providers and labels", () => {
  test("required providers are fully qualified and pinned to the binding's version", () => {
    expect(gcpNetwork().terraform?.required_providers).toEqual({
      google: { source: "hashicorp/google", version: "6.50.0" },
    });
  });

  test("standard labels from the one aspect, extra labels included, keys kept as written", () => {
    const tf = gcpNetwork({ labels: { "cost-center": "cc-42" } });
    expect(tf.provider?.google[0].default_labels).toEqual({
      "cost-center": "cc-42",
      environment: "test",
      team: "core",
      owner: "platform",
      "managed-by": "strata",
    });
  });

  test("customer-managed keys add the environment's key ring", () => {
    const tf = gcpNetwork({ customerManagedKeys: true });
    expect(Object.values(tf.resource?.google_kms_key_ring ?? {})).toEqual([
      expect.objectContaining({ name: "test-keyring" }),
    ]);
    expect(Object.keys(tf.resource?.google_kms_crypto_key ?? {})).toHaveLength(3);
  });
});
