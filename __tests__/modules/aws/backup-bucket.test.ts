import { Testing } from "cdktf";
import { BackupBucket, expireAfterDays } from "../../../modules/aws/backup-bucket";
import { RoleInlinePolicy } from "../../../modules/aws/iam-policy";
import { KmsKey } from "../../../modules/aws/kms-key";

describe("BackupBucket (S3)", () => {
  const build = (retentionDays: number) =>
    Testing.synthScope((scope) => {
      const kmsKey = new KmsKey(scope, "Key", { alias: "t-backups", description: "t" });
      const bucket = new BackupBucket(scope, "Backup", {
        name: "t-backups",
        kmsKey,
        retentionDays,
        preventDestroy: true,
      });
      bucket.grantWriter(new RoleInlinePolicy(scope, "Grant", { roleName: "r", policyName: "p" }));
    });

  test("a whole, positive recovery window; objects expire after twice it plus a week", () => {
    expect(() => build(0)).toThrow(/retentionDays must be a whole number of days, at least 1/);
    expect(() => build(1.5)).toThrow(/retentionDays/);
    expect(expireAfterDays(30)).toBe(67);
    const lifecycle = Object.values(
      JSON.parse(build(30)).resource.aws_s3_bucket_lifecycle_configuration,
    )[0] as { rule: Array<{ expiration?: Array<{ days?: number }> }> };
    expect(lifecycle.rule[0].expiration).toEqual([{ days: 67 }]);
  });

  test("prevent_destroy on the bucket; the writer may not purge versions nor use other keys", () => {
    const out = JSON.parse(build(7));
    expect(Object.values(out.resource.aws_s3_bucket)).toEqual([
      expect.objectContaining({ lifecycle: { prevent_destroy: true }, force_destroy: false }),
    ]);
    const policy = Object.values(out.resource.aws_iam_role_policy)[0] as { policy: string };
    const text = policy.policy;
    expect(text).not.toContain("DeleteObjectVersion");
    expect(text).not.toMatch(/"Resource":"\*"/);
  });
});
