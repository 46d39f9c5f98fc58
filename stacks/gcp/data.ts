import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { BigtableEventStore } from "../../modules/gcp/bigtable-event-store";
import { serviceAccountPrincipal } from "../../modules/gcp/iam";
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
 * `<env>-gcp-cluster` creates (found by name).
 */
export class GcpDataStack extends StrataStack {
  readonly eventStore: BigtableEventStore;

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
    });
    for (const w of target.workloadIdentities) {
      if (!w.eventStore) continue;
      const principal = serviceAccountPrincipal(
        gcpServiceAccountEmail(env.name, w.app, target.project),
      );
      if (w.eventStore === "read-write") this.eventStore.grantReadWrite(principal);
      else this.eventStore.grantRead(principal);
    }
  }
}
