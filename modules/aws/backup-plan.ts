import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument } from "./iam-policy";

/** Props of {@link AwsBackupPlan}. */
export interface AwsBackupPlanProps {
  /** Name of the vault, plan, selection and role, e.g. `prod-event-store`. */
  readonly name: string;
  /** ARNs of the resources backed up (the event store tables). */
  readonly resourceArns: readonly string[];
  /** Customer-managed key of the vault. */
  readonly kmsKeyArn: string;
  /** Days each daily backup is kept, 7–3650. */
  readonly retentionDays: number;
  /**
   * When the daily backup starts (an AWS Backup cron expression, UTC).
   * @default "cron(0 5 ? * * *)" (05:00 UTC, after the night's batch work in the Americas and before Europe's day)
   */
  readonly schedule?: string;
  /** Keep the vault (and its recovery points) on `tofu destroy`. @default false */
  readonly preventDestroy?: boolean;
}

const DEFAULT_SCHEDULE = "cron(0 5 ? * * *)";
/** An hour to start and a day to finish: a missed window is a failed job, not a silent skip. */
const START_WINDOW_MINUTES = 60;
const COMPLETION_WINDOW_MINUTES = 1440;

/**
 * An AWS Backup plan for on-demand-style daily backups beside point-in-time recovery: a vault
 * encrypted with a customer-managed key, a daily rule with retention, a selection of the given
 * resources, and the service role AWS Backup assumes (trusting backup.amazonaws.com, with AWS's
 * managed backup policy). Its backup-age alarm is `backupAgeAlarm` in ./alarms.ts.
 */
export class AwsBackupPlan extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  readonly role: IamRole;
  readonly selection: BackupSelection;

  constructor(scope: Construct, id: string, props: AwsBackupPlanProps) {
    super(scope, id);
    const days = props.retentionDays;
    if (!Number.isInteger(days) || days < 7 || days > 3650) {
      throw new Error(
        `${this.node.path}: retentionDays (${days}) must be a whole number from 7 to 3650`,
      );
    }
    if (!/^[a-zA-Z0-9_-]{2,50}$/.test(props.name)) {
      throw new Error(
        `${this.node.path}: name "${props.name}" must be 2–50 letters, digits, - or _ (backup vault and selection names)`,
      );
    }
    if (props.resourceArns.length === 0)
      throw new Error(`${this.node.path}: resourceArns is empty`);
    const partition = new DataAwsPartition(this, "Partition");
    this.vault = new BackupVault(this, "Vault", {
      name: props.name,
      kmsKeyArn: props.kmsKeyArn,
      // Deleting the vault would delete every recovery point in it.
      forceDestroy: false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.plan = new BackupPlan(this, "Plan", {
      name: props.name,
      rule: [
        {
          ruleName: "daily",
          targetVaultName: this.vault.name,
          schedule: props.schedule ?? DEFAULT_SCHEDULE,
          startWindow: START_WINDOW_MINUTES,
          completionWindow: COMPLETION_WINDOW_MINUTES,
          lifecycle: { deleteAfter: days },
        },
      ],
    });
    // AWS documents the AWS Backup service role's trust without a condition key
    // (facts/aws-service-principals.json, backup.amazonaws.com).
    this.role = new IamRole(this, "Role", {
      name: `${props.name}-backup`,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "backup.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ]),
    });
    const policy = new IamRolePolicyAttachment(this, "RolePolicy", {
      role: this.role.name,
      policyArn: `arn:${partition.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
    });
    this.selection = new BackupSelection(this, "Selection", {
      name: props.name,
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [...props.resourceArns],
      dependsOn: [policy],
    });
  }
}
