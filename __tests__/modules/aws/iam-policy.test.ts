import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { App, Testing, TerraformStack } from "cdktf";
import { RoleInlinePolicy } from "../../../modules/aws/iam-policy";

describe("RoleInlinePolicy", () => {
  test("renders every granted statement, once, into one policy attached by role name", () => {
    const out = Testing.synthScope((scope) => {
      const policy = new RoleInlinePolicy(scope, "Grant", { roleName: "dev-app", policyName: "x" });
      const statement = { Effect: "Allow" as const, Action: "sns:Publish", Resource: "arn:t" };
      policy.addToPolicy(statement);
      policy.addToPolicy(statement, { Effect: "Allow", Action: "sqs:*", Resource: "arn:q" });
    });
    expect(out).toHaveResourceWithProperties(IamRolePolicy, { role: "dev-app", name: "x" });
    const doc = JSON.parse(
      (Object.values(JSON.parse(out).resource.aws_iam_role_policy)[0] as { policy: string }).policy,
    );
    expect(doc.Statement).toHaveLength(2);
  });

  test("a policy that grants nothing fails validation", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app as App, "s");
    new RoleInlinePolicy(stack, "Grant", { roleName: "dev-app", policyName: "x" });
    expect(() => Testing.fullSynth(stack)).toThrow(/grants nothing/);
  });
});
