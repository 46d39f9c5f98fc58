import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { GkeCluster } from "../../modules/gcp/gke-cluster";
import { GkeNodePool } from "../../modules/gcp/gke-node-pool";
import { WorkloadIdentity } from "../../modules/gcp/workload-identity";
import { gcpServiceAccountId } from "../identity-names";
import { clusterName } from "../kubernetes/cluster-ref";
import { platformWebhookPorts } from "../kubernetes/webhooks";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { gcpCmek } from "./keys";
import { gcpNetworkName } from "./network";
import { googleProvider } from "./provider";

/** Props of {@link GcpClusterStack}. */
export interface GcpClusterStackProps extends StrataStackProps {
  readonly target: GcpTargetConfig;
}

/**
 * `<env>-gcp-cluster`: the GKE cluster `<env>-gke` (at the region when regional, else at the first
 * zone) on the network's subnet, its node pools, and the applications' workload identities (a
 * Google service account per application bound to its Kubernetes service account). The data and
 * messaging stacks grant these accounts access, so they depend on this stack.
 */
export class GcpClusterStack extends StrataStack {
  readonly cluster: GkeCluster;
  readonly nodePools: readonly GkeNodePool[];
  readonly identities: ReadonlyMap<string, WorkloadIdentity>;

  constructor(scope: Construct, name: string, props: GcpClusterStackProps) {
    super(scope, name, props);
    const { env, target } = props;
    const config = target.cluster;
    if (!config) throw new Error(`${env.name}: GcpClusterStack needs targets.gcp.cluster`);
    googleProvider(this, target);
    const network = gcpNetworkName(env.name);
    this.cluster = new GkeCluster(this, "Gke", {
      name: clusterName(env.name, "gcp"),
      project: target.project,
      location: config.regional ? target.region : target.zones[0],
      nodeLocations: config.regional ? target.zones : undefined,
      network,
      subnetwork: network,
      reservedCidrs: [
        target.network.subnetCidr,
        target.network.podsCidr,
        target.network.servicesCidr,
      ],
      releaseChannel: config.releaseChannel,
      controlPlaneCidr: config.controlPlaneCidr,
      privateEndpoint: config.privateEndpoint,
      authorizedNetworks: config.authorizedNetworks,
      dataplaneV2: config.dataplaneV2,
      maintenanceStartTime: config.maintenanceStartTime,
      deletionProtection: env.deletionProtection,
      secretsEncryption: gcpCmek(env, target, "gke-secrets", config.secretsEncryption),
      webhookPorts: platformWebhookPorts(env.workloads.platform),
    });
    this.nodePools = config.nodePools.map(
      (pool) => new GkeNodePool(this, `Pool-${pool.name}`, { cluster: this.cluster, ...pool }),
    );
    this.identities = new Map(
      target.workloadIdentities.map((w) => [
        w.app,
        new WorkloadIdentity(this, `Identity-${w.app}`, {
          project: target.project,
          accountId: gcpServiceAccountId(env.name, w.app),
          workloadPool: this.cluster.workloadPool,
          namespace: env.workloads.namespace,
          kubernetesServiceAccount: w.kubernetesServiceAccount,
          // The pool <project>.svc.id.goog exists once a cluster with workload identity does.
          dependsOn: [this.cluster.resource],
        }),
      ]),
    );
  }
}
