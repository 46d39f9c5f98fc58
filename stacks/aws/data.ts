import type { Construct } from "constructs";
import type { AwsTargetConfig } from "../../environments/schema/aws";
import {
  DynamoDbEventStore,
  EVENT_STORE_TABLES,
  type EventStoreTable,
  type TableKeys,
} from "../../modules/aws/dynamodb-event-store";
import { AwsAlarms, backupAgeAlarm, tableAlarms } from "../../modules/aws/alarms";
import { AwsBackupPlan } from "../../modules/aws/backup-plan";
import { RoleInlinePolicy } from "../../modules/aws/iam-policy";
import { KmsKey } from "../../modules/aws/kms-key";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { awsChannels } from "../alert-channels";
import { awsRoleName } from "../identity-names";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { awsProvider } from "./provider";

type EventStoreConfig = NonNullable<AwsTargetConfig["eventStore"]>;

/** Props of {@link AwsDataStack}. */
export interface AwsDataStackProps extends StrataStackProps {
  readonly target: AwsTargetConfig;
  readonly eventStore: EventStoreConfig;
}

/**
 * `<env>-aws-data`: the DynamoDB event store (`<env>-events`, `<env>-positions`,
 * `<env>-snapshots`) encrypted with its own customer-managed key, and the event-store grants of
 * the workload identities, attached by name to the roles the cluster stack created; alarms on
 * every table's throttled requests and system errors; and, when the tier keeps them
 * (`alerts.backups.awsBackupRetentionDays`), an AWS Backup plan with its backup-age alarm beside
 * point-in-time recovery.
 */
export class AwsDataStack extends StrataStack {
  readonly key: KmsKey;
  readonly store: DynamoDbEventStore;
  /** The inline policies granted to workload roles, by application. */
  readonly grants: ReadonlyMap<string, RoleInlinePolicy>;
  readonly alarms: AwsAlarms;
  readonly backupPlan?: AwsBackupPlan;

  constructor(scope: Construct, name: string, props: AwsDataStackProps) {
    super(scope, name, props);
    const { env, target, eventStore } = props;
    awsProvider(this, target);
    this.key = new KmsKey(this, "EventStoreKey", {
      alias: resourceName(env.name, "event-store", NAME_RULES.aws),
      description: `Encryption of the ${env.name} event store tables`,
      preventDestroy: env.deletionProtection,
    });
    const keys: Partial<Record<EventStoreTable, TableKeys>> = {};
    for (const table of EVENT_STORE_TABLES) {
      const k = eventStore.keys?.[table];
      if (k) keys[table] = k;
    }
    this.store = new DynamoDbEventStore(this, "EventStore", {
      tableNames: awsEventStoreTableNames(env.name),
      region: target.region,
      kmsKey: this.key,
      keys,
      billing: eventStore.billing,
      deletionProtection: env.deletionProtection,
      pointInTimeRecovery: eventStore.pointInTimeRecovery,
      snapshotTtlAttribute: eventStore.snapshotTtlAttribute,
      eventStream: eventStore.eventStream,
    });
    const grants = new Map<string, RoleInlinePolicy>();
    target.workloadIdentities.forEach((w) => {
      if (!w.eventStore) return;
      const policy = new RoleInlinePolicy(this, `Workload-${w.app}`, {
        roleName: awsRoleName(env.name, w.app),
        policyName: "event-store",
      });
      if (w.eventStore === "read-write") this.store.grantReadWrite(policy);
      else this.store.grantRead(policy);
      grants.set(w.app, policy);
    });
    this.grants = grants;

    const { thresholds, severities, backups } = env.alerts;
    this.alarms = new AwsAlarms(this, "Alerts", {
      namePrefix: resourceName(env.name, "data", NAME_RULES.aws),
      channels: awsChannels(this, env, [
        "storeCapacity",
        "storeErrors",
        ...(backups.awsBackupRetentionDays > 0 ? (["backupAge"] as const) : []),
      ]),
      evaluationMinutes: thresholds.evaluationMinutes,
      preventDestroy: env.deletionProtection,
    });
    const names = awsEventStoreTableNames(env.name);
    for (const table of EVENT_STORE_TABLES) {
      tableAlarms(this.alarms, table, names[table], {
        throttledRequests: thresholds.dynamodbThrottledRequests,
        severities,
      });
    }
    if (backups.awsBackupRetentionDays > 0) {
      const vaultName = resourceName(env.name, "event-store", NAME_RULES.aws);
      this.backupPlan = new AwsBackupPlan(this, "Backup", {
        name: vaultName,
        resourceArns: EVENT_STORE_TABLES.map((t) => this.store.tables[t].arn),
        kmsKeyArn: this.key.arn,
        retentionDays: backups.awsBackupRetentionDays,
        preventDestroy: env.preventDestroy,
      });
      backupAgeAlarm(this.alarms, vaultName, severities.backupAge);
    }
  }
}

/** Physical names of an environment's event store tables (`<env>-events`, …). */
export function awsEventStoreTableNames(env: string): Record<EventStoreTable, string> {
  return {
    events: resourceName(env, "events", NAME_RULES.aws),
    positions: resourceName(env, "positions", NAME_RULES.aws),
    snapshots: resourceName(env, "snapshots", NAME_RULES.aws),
  };
}
