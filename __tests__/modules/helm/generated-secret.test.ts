import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { Testing } from "cdktf";
import { GeneratedSecret, type GeneratedSecretProps } from "../../../modules/helm/generated-secret";

const props: GeneratedSecretProps = {
  name: "db-credentials",
  namespace: "test",
  passwordKeys: ["password", "repmgr-password"],
  plainData: { username: "app" },
};
const synth = (p: Partial<GeneratedSecretProps> = {}) =>
  Testing.synthScope((s) => {
    new GeneratedSecret(s, "Secret", { ...props, ...p });
  });

describe("GeneratedSecret", () => {
  test("one random_password per key, 32 alphanumerics (URL-safe)", () => {
    const tf = synth();
    expect(tf).toHaveResourceWithProperties(Password, { length: 32, special: false });
    expect(Object.keys(JSON.parse(tf).resource.random_password)).toHaveLength(2);
  });

  test("the Secret holds references to the generated values, and plain entries", () => {
    expect(synth()).toHaveResourceWithProperties(SecretV1, {
      metadata: expect.objectContaining({ name: "db-credentials", namespace: "test" }),
      type: "Opaque",
      data: {
        username: "app",
        password: expect.stringMatching(/^\$\{random_password\.[A-Za-z_0-9]+\.result\}$/),
        "repmgr-password": expect.stringMatching(/^\$\{random_password\.[A-Za-z_0-9]+\.result\}$/),
      },
    });
  });

  test("bad props", () => {
    expect(() => synth({ length: 8 })).toThrow(/length \(8\) must be >= 16/);
    expect(() => synth({ passwordKeys: [] })).toThrow(/passwordKeys is empty/);
  });
});
