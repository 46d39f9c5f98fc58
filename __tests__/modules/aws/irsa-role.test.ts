import { Testing } from "cdktf";
import { IrsaRole } from "../../../modules/aws/irsa-role";

describe("IrsaRole", () => {
  const props = {
    roleName: "t-pg-backup",
    clusterName: "t-eks",
    namespace: "t",
    serviceAccount: "db",
  };

  test("names are checked with the field named", () => {
    const role = (p: Partial<typeof props>) =>
      Testing.synthScope((scope) => void new IrsaRole(scope, "Role", { ...props, ...p }));
    expect(() => role({ roleName: "x".repeat(65) })).toThrow(/roleName: IAM role name/);
    expect(() => role({ namespace: "Bad_NS" })).toThrow(/namespace: DNS label "Bad_NS"/);
    expect(() => role({ serviceAccount: "" })).toThrow(/serviceAccount:/);
  });

  test("the subject is the service account, the provider is the named cluster's", () => {
    let subject = "";
    const out = JSON.parse(
      Testing.synthScope((scope) => {
        subject = new IrsaRole(scope, "Role", props).subject;
      }),
    );
    expect(subject).toBe("system:serviceaccount:t:db");
    expect(Object.values(out.data.aws_eks_cluster)).toEqual([
      expect.objectContaining({ name: "t-eks" }),
    ]);
    const oidc = Object.values(out.data.aws_iam_openid_connect_provider)[0] as { url: string };
    expect(oidc.url).toMatch(
      /^\$\{data\.aws_eks_cluster\.\w+\.identity\[0\]\.oidc\[0\]\.issuer\}$/,
    );
    expect(JSON.stringify(out.data.aws_iam_policy_document)).toContain(`"values":["${subject}"]`);
  });
});
