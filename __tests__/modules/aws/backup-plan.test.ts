import { Testing } from "cdktf";
import { AwsBackupPlan, type AwsBackupPlanProps } from "../../../modules/aws/backup-plan";

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const props: AwsBackupPlanProps = {
  name: "test-event-store",
  resourceArns: ["${aws_dynamodb_table.a.arn}", "${aws_dynamodb_table.b.arn}"],
  kmsKeyArn: "${aws_kms_key.k.arn}",
  retentionDays: 35,
};
const synth = (p: Partial<AwsBackupPlanProps> = {}) => {
  const out = Testing.synthScope(
    (scope) => void new AwsBackupPlan(scope, "Backup", { ...props, ...p }),
  );
  const r = (JSON.parse(out) as { resource: Record<string, Record<string, Block>> }).resource;
  return (t: string) => Object.values(r[t] ?? {})[0];
};

describe("AwsBackupPlan", () => {
  test("an encrypted vault, a daily rule with retention, a selection of the resources", () => {
    const of = synth({ preventDestroy: true });
    expect(of("aws_backup_vault")).toMatchObject({
      name: "test-event-store",
      kms_key_arn: "${aws_kms_key.k.arn}",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(of("aws_backup_plan").rule[0]).toMatchObject({
      rule_name: "daily",
      schedule: "cron(0 5 ? * * *)",
      lifecycle: { delete_after: 35 },
    });
    expect(of("aws_backup_selection").resources).toEqual(props.resourceArns);
  });

  test("the role trusts backup.amazonaws.com and carries AWS's backup policy", () => {
    const of = synth();
    const trust = JSON.parse(of("aws_iam_role").assume_role_policy);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "backup.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
    expect(of("aws_iam_role_policy_attachment").policy_arn).toMatch(
      /:iam::aws:policy\/service-role\/AWSBackupServiceRolePolicyForBackup$/,
    );
  });

  test("retention outside 7–3650 days, a bad name or no resources is refused", () => {
    expect(() => synth({ retentionDays: 3 })).toThrow(
      /retentionDays \(3\) must be a whole number from 7 to 3650/,
    );
    expect(() => synth({ name: "a b" })).toThrow(/name "a b" must be 2–50/);
    expect(() => synth({ resourceArns: [] })).toThrow(/resourceArns is empty/);
  });
});
