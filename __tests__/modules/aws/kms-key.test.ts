import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as AwsKmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Testing } from "cdktf";
import { KmsKey, type KmsKeyProps } from "../../../modules/aws/kms-key";
import { RoleInlinePolicy } from "../../../modules/aws/iam-policy";

const props: KmsKeyProps = { alias: "test-data", description: "test" };
const synth = (p: Partial<KmsKeyProps> = {}) =>
  Testing.synthScope((scope) => void new KmsKey(scope, "Key", { ...props, ...p }));
const keyPolicy = (out: string) => {
  const key = Object.values(JSON.parse(out).resource.aws_kms_key)[0] as { policy: string };
  return JSON.parse(key.policy) as { Statement: Array<Record<string, unknown>> };
};

describe("KmsKey defaults", () => {
  test("rotation on, 30-day deletion window, alias", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(AwsKmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(out).toHaveResourceWithProperties(KmsAlias, { name: "alias/test-data" });
  });

  test("the key policy lets the account's IAM policies grant use, and nothing else", () => {
    const policy = keyPolicy(synth());
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Sid: "EnableIamPolicies",
      Action: "kms:*",
      Principal: { AWS: expect.stringMatching(/^arn:\$\{data\.aws_partition\..*:root$/) },
    });
  });

  test("no prevent_destroy unless asked", () => {
    const key = Object.values(JSON.parse(synth()).resource.aws_kms_key)[0] as object;
    expect(key).not.toHaveProperty("lifecycle");
  });
});

describe("KmsKey options", () => {
  test("a service statement per service, tied to this account and the resources acting", () => {
    const policy = keyPolicy(
      synth({
        services: [
          {
            service: "sns.amazonaws.com",
            actions: ["kms:Decrypt"],
            sourceArns: ({ partition, accountId }) => [
              `arn:${partition}:sns:eu-west-1:${accountId}:t-events`,
            ],
          },
          { service: "logs.eu-west-1.amazonaws.com", actions: ["kms:Encrypt"] },
        ],
      }),
    );
    const account = expect.stringMatching(/^\$\{data\.aws_caller_identity\..*\.account_id\}$/);
    expect(policy.Statement[1]).toEqual({
      Sid: "AllowServiceSns",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ArnLike: {
          "aws:SourceArn": [
            expect.stringMatching(
              /^arn:\$\{data\.aws_partition\..*\}:sns:eu-west-1:\$\{.*\}:t-events$/,
            ),
          ],
        },
      },
    });
    // Without source ARNs: still this account only.
    expect(policy.Statement[2].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": account },
    });
  });

  test("prevent destroy", () => {
    expect(synth({ preventDestroy: true })).toHaveResourceWithProperties(AwsKmsKey, {
      lifecycle: { prevent_destroy: true },
    });
  });

  test("grantEncryptDecryptVia pins the key to one service", () => {
    const out = Testing.synthScope((scope) => {
      const key = new KmsKey(scope, "Key", props);
      const policy = new RoleInlinePolicy(scope, "Grant", { roleName: "r", policyName: "p" });
      key.grantEncryptDecryptVia(policy, "dynamodb.eu-west-1.amazonaws.com");
    });
    const doc = JSON.parse(
      (Object.values(JSON.parse(out).resource.aws_iam_role_policy)[0] as { policy: string }).policy,
    );
    expect(doc.Statement[0]).toMatchObject({
      Resource: expect.stringMatching(/^\$\{aws_kms_key\.Key_.*\.arn\}$/),
      Condition: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } },
    });
  });
});

describe("KmsKey validation", () => {
  test("deletion window outside 7–30", () => {
    expect(() => synth({ deletionWindowInDays: 3 })).toThrow(
      /deletionWindowInDays \(3\) must be an integer from 7 to 30/,
    );
  });
  test("an alias in the aws/ namespace", () => {
    expect(() => synth({ alias: "aws/sns" })).toThrow(/must not start with aws\//);
  });
});
