import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key";
import { KmsKeyRing as GoogleKmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring";
import { Testing } from "cdktf";
import { cryptoKeyId, KmsKeyRing, type KmsKeyRingProps } from "../../../modules/gcp/kms-key-ring";

const props: KmsKeyRingProps = {
  project: "strata-test",
  name: "test-keyring",
  location: "europe-west1",
  keys: ["gke-secrets", "bigtable"],
};
const synth = (p: Partial<KmsKeyRingProps> = {}) =>
  Testing.synthScope((scope) => {
    new KmsKeyRing(scope, "Ring", { ...props, ...p });
  });

describe("KmsKeyRing", () => {
  test("a key ring and one key per name, rotated every 90 days, protected from destroy", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(GoogleKmsKeyRing, {
      name: "test-keyring",
      location: "europe-west1",
    });
    expect(out).toHaveResourceWithProperties(KmsCryptoKey, {
      name: "bigtable",
      rotation_period: "7776000s",
      purpose: "ENCRYPT_DECRYPT",
      lifecycle: { prevent_destroy: true },
    });
  });

  test("rotation and destroy protection can be relaxed explicitly", () => {
    expect(
      synth({ rotationPeriod: "2592000s", preventDestroy: false }),
    ).toHaveResourceWithProperties(KmsCryptoKey, {
      rotation_period: "2592000s",
      lifecycle: { prevent_destroy: false },
    });
  });

  test("ids for stacks that reference keys by name", () => {
    expect(cryptoKeyId("p", "us-central1", "r", "k")).toBe(
      "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k",
    );
  });

  test("duplicate and invalid key names are refused", () => {
    expect(() => synth({ keys: ["a-key", "a-key"] })).toThrow(/lists a key twice/);
    expect(() => synth({ keys: ["Bad Key"] })).toThrow(/may contain only/);
  });
});
