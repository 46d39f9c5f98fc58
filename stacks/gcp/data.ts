import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { bigtableAlerts, GcpAlerts } from "../../modules/gcp/alert-policies";
import {
  BigtableEventStore,
  DEFAULT_BIGTABLE_AUTOSCALING,
} from "../../modules/gcp/bigtable-event-store";
import { serviceAccountPrincipal } from "../../modules/gcp/iam";
import { gcpChannels } from "../alert-channels";
import { gcpServiceAccountEmail } from "../identity-names";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { gcpCmek } from "./keys";
import { googleProvider } from "./provider";

/** Props of {@link GcpDataStack}. */
export interface GcpDataStackProps extends StrataStackProps {
  readonly target: GcpTargetConfig;
}

/**
 * `<env>-gcp-data`: the Bigtable event store (CMEK with the key ring's `bigtable` key when
 * customer-managed keys are on) and its grants to the applications' service accounts, which
 * `<env>-gcp-cluster` creates (found by name); daily automated backups of every table (retention
 * by tier), and CPU and storage alerts on every cluster.
 */
export class GcpDataStack extends StrataStack {
  readonly eventStore: BigtableEventStore;
  readonly alerts: GcpAlerts;

  constructor(scope: Construct, name: string, props: GcpDataStackProps) {
    super(scope, name, props);
    const { env, target } = props;
    const config = target.eventStore;
    if (!config) throw new Error(`${env.name}: GcpDataStack needs targets.gcp.eventStore`);
    googleProvider(this, target);
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
