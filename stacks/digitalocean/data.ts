import { DataDigitaloceanKubernetesCluster } from "@cdktf/provider-digitalocean/lib/data-digitalocean-kubernetes-cluster";
import { DataDigitaloceanVpc } from "@cdktf/provider-digitalocean/lib/data-digitalocean-vpc";
import type { Construct } from "constructs";
import type { DoDatabasesSettings } from "../../environments/schema/digitalocean";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { NAME_RULES, resourceName } from "../../modules/common/naming";
import { BackupSpace } from "../../modules/digitalocean/backup-space";
import {
  DoManagedDatabase,
  type ManagedDatabaseEngine,
} from "../../modules/digitalocean/managed-database";
import type { ClusterRef } from "../kubernetes/cluster-ref";
import { DoMonitorAlerts, managedDatabaseAlerts } from "../../modules/digitalocean/monitor-alerts";
import { doChannels } from "../alert-channels";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { doVpcName } from "./network";
import { digitaloceanProvider } from "./provider";

/** Props of {@link DoDataStack}. */
export interface DoDataStackProps extends StrataStackProps {
  /** @default - no managed databases (the stack holds PostgreSQL backups only) */
  readonly databases?: DoDatabasesSettings;
  /** The DOKS cluster the workloads run on (the environment's own, or the one it shares). */
  readonly cluster: Extract<ClusterRef, { cloud: "digitalocean" }>;
}

/** The config key of each managed engine, and the engine DigitalOcean runs for it. */
export const DO_DATABASE_ENGINES = {
  postgres: "pg",
  redis: "valkey",
  kafka: "kafka",
} as const satisfies Record<keyof DoDatabasesSettings, ManagedDatabaseEngine>;

/** Physical name of an environment's managed database cluster: `<env>-postgres`, `<env>-redis`, `<env>-kafka`. */
export function doDatabaseClusterName(env: string, kind: keyof DoDatabasesSettings): string {
  return resourceName(env, kind, NAME_RULES.digitalocean);
}

/**
 * `<env>-do-data`: DigitalOcean managed databases (PostgreSQL, Valkey for Redis, Kafka) in the
 * VPC and region of the DOKS cluster the workloads run on, behind firewalls that admit only that
 * cluster. The cluster and VPC are found by name: for an environment that shares another's
 * cluster, those of the cluster's owner (private networking does not cross VPCs). With PostgreSQL
 * backups on DigitalOcean (modules/common/backup-store.ts), their Spaces bucket; the key limited
 * to it, and its Secret, are made in `<env>-do-platform`, on the cluster.
 */
export class DoDataStack extends StrataStack {
  readonly postgres?: DoManagedDatabase;
  readonly redis?: DoManagedDatabase;
  readonly kafka?: DoManagedDatabase;
  readonly alerts?: DoMonitorAlerts;
  /** The Spaces bucket of PostgreSQL backups. */
  readonly postgresBackup?: BackupSpace;

  constructor(scope: Construct, name: string, props: DoDataStackProps) {
    super(scope, name, props);
    const { env, databases, cluster } = props;
    const backup = postgresBackupStore(env, "digitalocean");
    if (!databases && !backup) {
      throw new Error(
        `${env.name}: DoDataStack needs managed databases or PostgreSQL backups on DigitalOcean`,
      );
    }
    digitaloceanProvider(this);
    if (backup) {
      this.postgresBackup = new BackupSpace(this, "PostgresBackup", {
        name: backup.bucket,
        region: backup.region,
        retentionDays: backup.retentionDays,
        preventDestroy: env.preventDestroy,
      });
    }
    if (!databases) return;
    // By name alone: the data source takes exactly one of id, name and region
    // (facts/providers/digitalocean.json).
    const vpc = new DataDigitaloceanVpc(this, "Vpc", { name: doVpcName(cluster.environment) });
    const doks = new DataDigitaloceanKubernetesCluster(this, "Doks", { name: cluster.name });
    const common = {
      region: cluster.region,
      vpcUuid: vpc.id,
      trustedClusterIds: [doks.id],
      deletionProtection: env.deletionProtection,
    };
    const { postgres: pg, redis, kafka } = databases;
    if (pg) {
      this.postgres = new DoManagedDatabase(this, "Postgres", {
        ...common,
        name: doDatabaseClusterName(env.name, "postgres"),
        engine: DO_DATABASE_ENGINES.postgres,
        version: pg.version,
        size: pg.size,
        nodeCount: pg.nodeCount,
        maintenanceWindow: pg.maintenanceWindow,
        databases: pg.databases.map((d) => d.name),
        users: [...new Set(pg.databases.map((d) => d.user))].map((name) => ({ name })),
      });
    }
    if (redis) {
      this.redis = new DoManagedDatabase(this, "Redis", {
        ...common,
        name: doDatabaseClusterName(env.name, "redis"),
        engine: DO_DATABASE_ENGINES.redis,
        version: redis.version,
        size: redis.size,
        nodeCount: redis.nodeCount,
        maintenanceWindow: redis.maintenanceWindow,
      });
    }
    if (kafka) {
      this.kafka = new DoManagedDatabase(this, "Kafka", {
        ...common,
        name: doDatabaseClusterName(env.name, "kafka"),
        engine: DO_DATABASE_ENGINES.kafka,
        version: kafka.version,
        size: kafka.size,
        nodeCount: kafka.nodeCount,
        maintenanceWindow: kafka.maintenanceWindow,
        users: kafka.users.map((u) => ({
          name: u.name,
          acl: { topic: u.topic, permission: u.permission },
        })),
      });
    }
    // DigitalOcean backs managed databases up daily and keeps 7 days; no provider argument
    // changes that, and no alert type reports backups (facts/alert-metrics.json backupAge).
    const { thresholds, severities } = env.alerts;
    const alerts = new DoMonitorAlerts(this, "Alerts", {
      descriptionPrefix: env.name,
      channels: doChannels(this, env, ["storeCapacity"]),
      evaluationMinutes: thresholds.evaluationMinutes,
    });
    this.alerts = alerts;
    for (const [key, db] of [
      ["Postgres", this.postgres],
      ["Redis", this.redis],
      ["Kafka", this.kafka],
    ] as const) {
      if (!db) continue;
      managedDatabaseAlerts(
        alerts,
        key,
        key.toLowerCase(),
        db.cluster.id,
        thresholds.nodeUtilizationPercent,
        severities.storeCapacity,
      );
    }
  }
}
