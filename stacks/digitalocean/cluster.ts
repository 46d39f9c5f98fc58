import { DataDigitaloceanVpc } from "@cdktf/provider-digitalocean/lib/data-digitalocean-vpc";
import type { Construct } from "constructs";
import type { DoksClusterSettings, DoTargetConfig } from "../../environments/schema/digitalocean";
import { DoksCluster } from "../../modules/digitalocean/doks-cluster";
import { DoMonitorAlerts, doksNodeAlerts } from "../../modules/digitalocean/monitor-alerts";
import { doChannels } from "../alert-channels";
import { clusterName } from "../kubernetes/cluster-ref";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { doVpcName } from "./network";
import { digitaloceanProvider } from "./provider";

/** Props of {@link DoClusterStack}. */
export interface DoClusterStackProps extends StrataStackProps {
  readonly target: DoTargetConfig;
  readonly cluster: DoksClusterSettings;
}

/**
 * `<env>-do-cluster`: the environment's DOKS cluster, named `<env>-doks` (the Helm layers look it
 * up by that name), in the VPC of `<env>-do-network`, found by name; CPU, memory and disk alerts
 * on its nodes.
 */
export class DoClusterStack extends StrataStack {
  readonly doks: DoksCluster;
  readonly alerts: DoMonitorAlerts;

  constructor(scope: Construct, name: string, props: DoClusterStackProps) {
    super(scope, name, props);
    const { env, target, cluster } = props;
    digitaloceanProvider(this);
    // By name alone: the data source takes exactly one of id, name and region
    // (facts/providers/digitalocean.json).
    const vpc = new DataDigitaloceanVpc(this, "Vpc", { name: doVpcName(env.name) });
    this.doks = new DoksCluster(this, "Doks", {
      name: clusterName(env.name, "digitalocean"),
      region: target.region,
      vpcUuid: vpc.id,
      version: cluster.version,
      versionPrefix: cluster.versionPrefix,
      highAvailability: cluster.highAvailability,
      autoUpgrade: cluster.autoUpgrade,
      surgeUpgrade: cluster.surgeUpgrade,
      maintenanceWindow: cluster.maintenanceWindow,
      defaultPool: cluster.defaultPool,
      pools: cluster.pools,
      controlPlaneAllowedAddresses: cluster.controlPlaneFirewall?.allowedAddresses,
      registryIntegration: cluster.registryIntegration,
      deletionProtection: env.deletionProtection,
      tags: cluster.tags,
    });
    const { thresholds, severities } = env.alerts;
    this.alerts = new DoMonitorAlerts(this, "Alerts", {
      descriptionPrefix: env.name,
      channels: doChannels(this, env, ["nodeCapacity"]),
      evaluationMinutes: thresholds.evaluationMinutes,
    });
    doksNodeAlerts(
      this.alerts,
      clusterName(env.name, "digitalocean"),
      this.doks.clusterId,
      thresholds.nodeUtilizationPercent,
      severities.nodeCapacity,
    );
  }
}
