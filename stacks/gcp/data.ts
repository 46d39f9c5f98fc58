import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { bigtableAlerts, GcpAlerts } from "../../modules/gcp/alert-policies";
import {
  BigtableEventStore,
  DEFAULT_BIGTABLE_AUTOSCALING,
} from "../../modules/gcp/bigtable-event-store";
import { postgresBackupStore, type BackupStore } from "../../modules/common/backup-store";
import { BackupBucket } from "../../modules/gcp/backup-bucket";
import { serviceAccountPrincipal } from "../../modules/gcp/iam";
import { WorkloadIdentity } from "../../modules/gcp/workload-identity";
import { gcpChannels } from "../alert-channels";
import { gcpServiceAccountEmail } from "../identity-names";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { gcpCmek } from "./keys";
import { googleProvider } from "./provider";

/** Props of {@link GcpDataStack}. */
export interface GcpDataStackProps extends StrataStackProps {
  readonly target: GcpTargetConfig;
  /**
   * Workload identity pool of the GKE cluster the environment's workloads run on (its own, or the
   * shared cluster's owner's project): the PostgreSQL backup identity is bound in it.
   * @default - `<target.project>.svc.id.goog`
   */
  readonly workloadPool?: string;
}

/**
 * `<env>-gcp-data`: the Bigtable event store (CMEK with the key ring's `bigtable` key when
 * customer-managed keys are on) and its grants to the applications' service accounts, which
 * `<env>-gcp-cluster` creates (found by name); daily automated backups of every table (retention
 * by tier), and CPU and storage alerts on every cluster. With PostgreSQL backups on GCP
 * (modules/common/backup-store.ts), their bucket and the Google service account the database pods
 * act as through workload identity, allowed on that bucket only.
 */
export class GcpDataStack extends StrataStack {
  readonly eventStore?: BigtableEventStore;
  readonly alerts?: GcpAlerts;
  /** PostgreSQL backups: the bucket and its writer. */
  readonly postgresBackup?: { readonly bucket: BackupBucket; readonly identity: WorkloadIdentity };

  constructor(scope: Construct, name: string, props: GcpDataStackProps) {
    super(scope, name, props);
    const { env, target } = props;
    const config = target.eventStore;
    const store = postgresBackupStore(env, "gcp");
    if (!config && !store) {
      throw new Error(
        `${env.name}: GcpDataStack needs targets.gcp.eventStore or PostgreSQL backups on GCP`,
      );
    }
    googleProvider(this, target);
    if (store) this.postgresBackup = this.addPostgresBackup(store, props);
    if (!config) return;
    this.eventStore = new BigtableEventStore(this, "EventStore", {
      project: target.project,
      region: target.region,
      instanceId: config.instanceId,
      zones: config.zones,
      storageType: config.storageType,
      nodes: config.nodes,
      autoscaling: config.autoscaling,
      tables: config.tables,
      changeStreamRetentionHours: config.changeStreamRetentionHours,
      appProfileId: config.appProfileId,
      deletionProtection: env.deletionProtection,
      encryption: gcpCmek(env, target, "bigtable"),
      automatedBackupRetentionDays: env.alerts.backups.bigtableRetentionDays,
    });
    for (const w of target.workloadIdentities) {
      if (!w.eventStore) continue;
      const principal = serviceAccountPrincipal(
        gcpServiceAccountEmail(env.name, w.app, target.project),
      );
      if (w.eventStore === "read-write") this.eventStore.grantReadWrite(principal);
      else this.eventStore.grantRead(principal);
    }
    const { thresholds, severities } = env.alerts;
    this.alerts = new GcpAlerts(this, "Alerts", {
      project: target.project,
      displayPrefix: env.name,
      channels: gcpChannels(this, env, ["storeCapacity"]),
      evaluationMinutes: thresholds.evaluationMinutes,
    });
    bigtableAlerts(this.alerts, config.instanceId, {
      cpuPercent: bigtableCpuAlertPercent(config, thresholds.bigtableCpuHeadroomPercent),
      storagePercent: thresholds.bigtableStoragePercent,
      severity: severities.storeCapacity,
    });
  }

  /** The backup bucket and the Google service account the database pods act as. */
  private addPostgresBackup(store: BackupStore, props: GcpDataStackProps) {
    const { env, target } = props;
    if (store.credentials.kind !== "gke-workload-identity") {
      throw new Error(
        `${env.name}: GCP backups use workload identity, not ${store.credentials.kind}`,
      );
    }
    const bucket = new BackupBucket(this, "PostgresBackup", {
      project: target.project,
      name: store.bucket,
      location: store.region,
      retentionDays: store.retentionDays,
      encryption: gcpCmek(env, target, "pg-backups"),
      preventDestroy: env.preventDestroy,
    });
    const identity = new WorkloadIdentity(this, "PostgresBackupIdentity", {
      project: target.project,
      accountId: store.credentials.serviceAccountId,
      displayName: `PostgreSQL backups of ${env.name} (${store.namespace}/${store.serviceAccount})`,
      workloadPool: props.workloadPool ?? `${target.project}.svc.id.goog`,
      namespace: store.namespace,
      kubernetesServiceAccount: store.serviceAccount,
    });
    bucket.grantWriter(identity.principal, [identity.serviceAccount]);
    return { bucket, identity };
  }
}

/** Google's recommended maximum average CPU of a cluster (monitoring-instance page; facts/alert-metrics.json). */
const FIXED_NODES_CPU_PERCENT = 70;

/**
 * Where the CPU alert fires: the autoscaling target plus headroom (sustained load above the target
 * means the autoscaler has run out of nodes), or Google's recommended maximum with fixed nodes;
 * never above 95 %.
 */
export function bigtableCpuAlertPercent(
  config: NonNullable<GcpTargetConfig["eventStore"]>,
  headroom: number,
): number {
  if (config.nodes !== undefined) return FIXED_NODES_CPU_PERCENT;
  const target = (config.autoscaling ?? DEFAULT_BIGTABLE_AUTOSCALING).cpuTarget;
  return Math.min(target + headroom, 95);
}
