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
import { BackupBucket } from "../../modules/aws/backup-bucket";
import { RoleInlinePolicy } from "../../modules/aws/iam-policy";
import { IrsaRole } from "../../modules/aws/irsa-role";
import { KmsKey } from "../../modules/aws/kms-key";
import { postgresBackupStore, type BackupStore } from "../../modules/common/backup-store";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { awsChannels } from "../alert-channels";
import { awsRoleName } from "../identity-names";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { awsProvider } from "./provider";

type EventStoreConfig = NonNullable<AwsTargetConfig["eventStore"]>;

/** Props of {@link AwsDataStack}. */
export interface AwsDataStackProps extends StrataStackProps {
  readonly target: AwsTargetConfig;
  /** @default - no event store (the stack holds PostgreSQL backups only) */
  readonly eventStore?: EventStoreConfig;
  /** The EKS cluster the workloads run on (its own, or a shared cluster's owner's), by name. */
  readonly clusterName?: string;
}

/**
 * `<env>-aws-data`: the DynamoDB event store (`<env>-events`, `<env>-positions`,
 * `<env>-snapshots`) encrypted with its own customer-managed key, and the event-store grants of
 * the workload identities, attached by name to the roles the cluster stack created; alarms on
 * every table's throttled requests and system errors; and, when the tier keeps them
 * (`alerts.backups.awsBackupRetentionDays`), an AWS Backup plan with its backup-age alarm beside
 * point-in-time recovery. With PostgreSQL backups on AWS (modules/common/backup-store.ts), their
 * bucket, its key, and the IRSA role the database pods assume, allowed on that bucket only.
 */
export class AwsDataStack extends StrataStack {
  readonly key?: KmsKey;
  readonly store?: DynamoDbEventStore;
  /** The inline policies granted to workload roles, by application. */
  readonly grants: ReadonlyMap<string, RoleInlinePolicy>;
  readonly alarms?: AwsAlarms;
  readonly backupPlan?: AwsBackupPlan;
  /** PostgreSQL backups: the bucket, its key, and the role the database pods assume. */
  readonly postgresBackup?: {
    readonly bucket: BackupBucket;
    readonly key: KmsKey;
    readonly role: IrsaRole;
    readonly policy: RoleInlinePolicy;
  };

  constructor(scope: Construct, name: string, props: AwsDataStackProps) {
    super(scope, name, props);
    const { env, target, eventStore } = props;
    const backup = postgresBackupStore(env, "aws");
    if (!eventStore && !backup) {
      throw new Error(
        `${env.name}: AwsDataStack needs an event store or PostgreSQL backups on AWS`,
      );
    }
    awsProvider(this, target);
    if (backup) this.postgresBackup = this.addPostgresBackup(backup, props);
    const grants = new Map<string, RoleInlinePolicy>();
    this.grants = grants;
    if (!eventStore) return;
    const key = new KmsKey(this, "EventStoreKey", {
      alias: resourceName(env.name, "event-store", NAME_RULES.aws),
      description: `Encryption of the ${env.name} event store tables`,
      preventDestroy: env.deletionProtection,
    });
    const keys: Partial<Record<EventStoreTable, TableKeys>> = {};
    for (const table of EVENT_STORE_TABLES) {
      const k = eventStore.keys?.[table];
      if (k) keys[table] = k;
    }
    this.key = key;
    const store = new DynamoDbEventStore(this, "EventStore", {
      tableNames: awsEventStoreTableNames(env.name),
      region: target.region,
      kmsKey: key,
      keys,
      billing: eventStore.billing,
      deletionProtection: env.deletionProtection,
      pointInTimeRecovery: eventStore.pointInTimeRecovery,
      snapshotTtlAttribute: eventStore.snapshotTtlAttribute,
      eventStream: eventStore.eventStream,
    });
    this.store = store;
    target.workloadIdentities.forEach((w) => {
      if (!w.eventStore) return;
      const policy = new RoleInlinePolicy(this, `Workload-${w.app}`, {
        roleName: awsRoleName(env.name, w.app),
        policyName: "event-store",
      });
      if (w.eventStore === "read-write") store.grantReadWrite(policy);
      else store.grantRead(policy);
      grants.set(w.app, policy);
    });

    const { thresholds, severities, backups } = env.alerts;
    const alarms = new AwsAlarms(this, "Alerts", {
      namePrefix: resourceName(env.name, "data", NAME_RULES.aws),
      channels: awsChannels(this, env, [
        "storeCapacity",
        "storeErrors",
        ...(backups.awsBackupRetentionDays > 0 ? (["backupAge"] as const) : []),
      ]),
      evaluationMinutes: thresholds.evaluationMinutes,
      preventDestroy: env.deletionProtection,
    });
    this.alarms = alarms;
    const names = awsEventStoreTableNames(env.name);
    for (const table of EVENT_STORE_TABLES) {
      tableAlarms(alarms, table, names[table], {
        throttledRequests: thresholds.dynamodbThrottledRequests,
        severities,
      });
    }
    if (backups.awsBackupRetentionDays > 0) {
      const vaultName = resourceName(env.name, "event-store", NAME_RULES.aws);
      this.backupPlan = new AwsBackupPlan(this, "Backup", {
        name: vaultName,
        resourceArns: EVENT_STORE_TABLES.map((t) => store.tables[t].arn),
        kmsKeyArn: key.arn,
        retentionDays: backups.awsBackupRetentionDays,
        preventDestroy: env.preventDestroy,
      });
      backupAgeAlarm(alarms, vaultName, severities.backupAge);
    }
  }

  /** The backup bucket (with its own key) and the IRSA role of the database pods. */
  private addPostgresBackup(store: BackupStore, props: AwsDataStackProps) {
    const { env } = props;
    if (store.credentials.kind !== "aws-irsa") {
      throw new Error(`${env.name}: AWS backups use IRSA, not ${store.credentials.kind}`);
    }
    if (!props.clusterName) {
      throw new Error(`${env.name}: PostgreSQL backups on AWS need the EKS cluster's name`);
    }
    const key = new KmsKey(this, "PostgresBackupKey", {
      alias: resourceName(env.name, "pg-backups", NAME_RULES.aws),
      description: `Encryption of the ${env.name} PostgreSQL backups in ${store.bucket}`,
      preventDestroy: env.deletionProtection,
    });
    const bucket = new BackupBucket(this, "PostgresBackup", {
      name: store.bucket,
      kmsKey: key,
      retentionDays: store.retentionDays,
      preventDestroy: env.preventDestroy,
    });
    const role = new IrsaRole(this, "PostgresBackupRole", {
      roleName: store.credentials.roleName,
      clusterName: props.clusterName,
      namespace: store.namespace,
      serviceAccount: store.serviceAccount,
      description: `PostgreSQL backups of ${env.name} to ${store.bucket}`,
    });
    const policy = new RoleInlinePolicy(this, "PostgresBackupPolicy", {
      roleName: role.role.name,
      policyName: "pg-backups",
    });
    bucket.grantWriter(policy);
    return { bucket, key, role, policy };
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
