import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Construct } from "constructs";
import { cidrsOverlap, parseCidr } from "../common/cidr";
import { checkName, NAME_RULES } from "../common/naming";
import {
  checkKmsKeyName,
  KMS_ENCRYPTER_DECRYPTER,
  serviceAccountPrincipal,
  serviceAgent,
  type CmekSettings,
  type GcpPrincipal,
} from "./iam";

/** A network allowed to reach the control plane. */
export interface GkeAuthorizedNetwork {
  /** IPv4 CIDR, e.g. "203.0.113.0/24". */
  readonly cidr: string;
  /** Shown in the console. */
  readonly name: string;
}

/** Props of {@link GkeCluster}. */
export interface GkeClusterProps {
  /** Physical cluster name (the Helm layers look the cluster up by it). */
  readonly name: string;
  readonly project: string;
  /** A region (regional cluster, control plane replicated across zones) or a zone (zonal). */
  readonly location: string;
  /** Zones of the nodes. @default - GKE's choice (every zone of a region; the zone of a zonal cluster) */
  readonly nodeLocations?: readonly string[];
  /** VPC name or self link. */
  readonly network: string;
  /** Subnet name or self link; must carry the pod and service secondary ranges. */
  readonly subnetwork: string;
  /** @default "pods" */
  readonly podsRangeName?: string;
  /** @default "services" */
  readonly servicesRangeName?: string;
  /**
   * Subnet ranges the control-plane range must not overlap (the subnet's primary and secondary
   * ranges). Checked at synth time. @default []
   */
  readonly reservedCidrs?: readonly string[];
  /** @default "REGULAR" @see https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels */
  readonly releaseChannel?: "RAPID" | "REGULAR" | "STABLE";
  /** /28 for the control plane's private endpoint (VPC peering). @default "172.16.0.0/28" */
  readonly controlPlaneCidr?: string;
  /** Reach the control plane only through its private endpoint. @default false */
  readonly privateEndpoint?: boolean;
  /** Networks allowed to reach the control plane (besides the VPC). @default [] (none) */
  readonly authorizedNetworks?: readonly GkeAuthorizedNetwork[];
  /** Dataplane V2 (eBPF, network policy built in); false uses Calico network policy. @default true */
  readonly dataplaneV2?: boolean;
  /** Start of the daily 4-hour maintenance window, "HH:MM" UTC. @default "03:00" */
  readonly maintenanceStartTime?: string;
  /** @default ["SYSTEM_COMPONENTS", "WORKLOADS"] */
  readonly loggingComponents?: readonly string[];
  /** @default ["SYSTEM_COMPONENTS"] */
  readonly monitoringComponents?: readonly string[];
  /** Google Cloud Managed Service for Prometheus. @default true */
  readonly managedPrometheus?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /**
   * Application-layer secrets encryption with a Cloud KMS key; the GKE service agent is granted
   * encrypt/decrypt on it. @default - Google-managed encryption only
   */
  readonly secretsEncryption?: CmekSettings;
  /** Account id of the nodes' dedicated service account (6–30 characters). @default - `<name>-nodes` */
  readonly nodeServiceAccountId?: string;
  /**
   * Ports admission webhooks listen on in their pods. The control plane of a private cluster
   * reaches the nodes only on 443 and 10250 (GKE_CONTROL_PLANE_PORTS); a firewall rule from
   * controlPlaneCidr to the node service account opens exactly the others, so creating an object
   * a webhook checks does not time out. @default [] (no rule)
   */
  readonly webhookPorts?: readonly number[];
}

/**
 * The ports GKE's own firewall rule admits from the control plane to private nodes (kubelet and
 * HTTPS): facts/gke-webhooks.json. Any other webhook port needs a rule of its own.
 */
export const GKE_CONTROL_PLANE_PORTS: readonly number[] = [443, 10250];

/** Regular channel: Google's recommended balance of new features and stability. */
const DEFAULT_RELEASE_CHANNEL = "REGULAR";
/** An RFC 1918 /28 outside Strata's 10.x subnet plans (GKE requires a /28 for the control plane). */
const DEFAULT_CONTROL_PLANE_CIDR = "172.16.0.0/28";
/** Night in UTC for the Americas; GKE daily windows last 4 hours. */
const DEFAULT_MAINTENANCE_START = "03:00";
/** System and workload logs: what the safer-cluster module enables. */
const DEFAULT_LOGGING_COMPONENTS = ["SYSTEM_COMPONENTS", "WORKLOADS"];
const DEFAULT_MONITORING_COMPONENTS = ["SYSTEM_COMPONENTS"];
/**
 * The one role GKE nodes need (logs, metrics, metadata), CIS GKE 5.2.1; image pulls from Artifact
 * Registry need `roles/artifactregistry.reader` on the repository, granted where it lives.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent
 */
export const GKE_NODE_ROLES = ["roles/container.defaultNodeServiceAccount"] as const;
/** Scope of node VMs: access is decided by IAM, not by legacy scopes. */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/**
 * A private GKE Standard cluster set the way the terraform-google-modules "safer cluster" sets it:
 * private nodes, control plane reachable only from authorized networks, workload identity,
 * shielded nodes, Dataplane V2, legacy ABAC and client certificates off, the default node pool
 * removed (node pools are {@link GkeNodePool}s), a dedicated least-privilege node service account,
 * a maintenance window, system and workload logging, deletion protection, and optional
 * application-layer secrets encryption with Cloud KMS.
 */
export class GkeCluster extends Construct {
  readonly resource: ContainerCluster;
  /** The dedicated service account the nodes run as. */
  readonly nodeServiceAccount: ServiceAccount;
  /** Email of the node service account (known at synth time). */
  readonly nodeServiceAccountEmail: string;
  /** Workload identity pool: `<project>.svc.id.goog`. */
  readonly workloadPool: string;
  readonly name: string;
  readonly location: string;
  readonly project: string;
  readonly releaseChannel: string;
  readonly controlPlaneCidr: string;
  readonly dataplaneV2: boolean;
  readonly deletionProtection: boolean;
  /** The grant of the key to the GKE service agent, when secrets are encrypted. */
  readonly secretsKeyGrant?: KmsCryptoKeyIamMember;
  /** The rule admitting the control plane to webhook ports GKE does not open itself. */
  readonly webhookFirewall?: ComputeFirewall;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const path = this.node.path;
    this.name = props.name;
    this.location = props.location;
    this.project = props.project;
    this.releaseChannel = props.releaseChannel ?? DEFAULT_RELEASE_CHANNEL;
    this.controlPlaneCidr = props.controlPlaneCidr ?? DEFAULT_CONTROL_PLANE_CIDR;
    this.dataplaneV2 = props.dataplaneV2 ?? true;
    this.deletionProtection = props.deletionProtection ?? true;
    this.workloadPool = `${props.project}.svc.id.goog`;
    const maintenanceStartTime = props.maintenanceStartTime ?? DEFAULT_MAINTENANCE_START;
    const authorizedNetworks = props.authorizedNetworks ?? [];
    const nodeSaId = props.nodeServiceAccountId ?? `${props.name}-nodes`;
    checkPorts(path, props.webhookPorts ?? []);
    validate(props, {
      path,
      nodeSaId,
      maintenanceStartTime,
      controlPlaneCidr: this.controlPlaneCidr,
    });

    this.nodeServiceAccount = new ServiceAccount(this, "NodeServiceAccount", {
      project: props.project,
      accountId: nodeSaId,
      displayName: `GKE nodes of ${props.name}`,
      description:
        "Least-privilege identity of the cluster's nodes (no Compute Engine default SA).",
    });
    this.nodeServiceAccountEmail = `${nodeSaId}@${props.project}.iam.gserviceaccount.com`;
    for (const role of GKE_NODE_ROLES) {
      new ProjectIamMember(this, `NodeRole-${role.split("/").pop()}`, {
        project: props.project,
        role,
        member: this.nodeServiceAccount.member,
      });
    }

    if (props.secretsEncryption) {
      this.secretsKeyGrant = new KmsCryptoKeyIamMember(this, "SecretsKeyGrant", {
        cryptoKeyId: props.secretsEncryption.kmsKeyName,
        role: KMS_ENCRYPTER_DECRYPTER,
        member: serviceAgent(props.secretsEncryption.projectNumber, "container").member,
      });
    }

    this.resource = new ContainerCluster(this, "Cluster", {
      project: props.project,
      name: props.name,
      location: props.location,
      // A set to GKE: sorted, so the order in config changes nothing.
      nodeLocations: props.nodeLocations ? [...props.nodeLocations].sort() : undefined,
      network: props.network,
      subnetwork: props.subnetwork,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.podsRangeName ?? "pods",
        servicesSecondaryRangeName: props.servicesRangeName ?? "services",
      },
      releaseChannel: { channel: this.releaseChannel },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: props.privateEndpoint ?? false,
        masterIpv4CidrBlock: this.controlPlaneCidr,
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        // A set to GKE: sorted by range, so the order in config changes nothing.
        cidrBlocks: [...authorizedNetworks]
          .sort((a, b) => a.cidr.localeCompare(b.cidr))
          .map((n) => ({ cidrBlock: n.cidr, displayName: n.name })),
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      ...(this.dataplaneV2
        ? { datapathProvider: "ADVANCED_DATAPATH" }
        : {
            networkPolicy: { enabled: true, provider: "CALICO" },
            addonsConfig: { networkPolicyConfig: { disabled: false } },
          }),
      // The default pool is created and removed at once; give it the node identity too, so the
      // Compute Engine default service account is never used (safer-cluster does the same).
      removeDefaultNodePool: true,
      nodePool: [
        {
          name: "default-pool",
          initialNodeCount: 1,
          nodeConfig: {
            serviceAccount: this.nodeServiceAccount.email,
            oauthScopes: [CLOUD_PLATFORM_SCOPE],
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          },
        },
      ],
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: maintenanceStartTime } },
      loggingConfig: {
        enableComponents: [...(props.loggingComponents ?? DEFAULT_LOGGING_COMPONENTS)],
      },
      monitoringConfig: {
        enableComponents: [...(props.monitoringComponents ?? DEFAULT_MONITORING_COMPONENTS)],
        managedPrometheus: { enabled: props.managedPrometheus ?? true },
      },
      deletionProtection: this.deletionProtection,
      ...(props.secretsEncryption
        ? {
            databaseEncryption: {
              state: "ENCRYPTED",
              keyName: props.secretsEncryption.kmsKeyName,
            },
          }
        : {}),
      dependsOn: this.secretsKeyGrant ? [this.secretsKeyGrant] : undefined,
      lifecycle: { ignoreChanges: ["node_pool", "initial_node_count"] },
    });

    const ports = [...new Set(props.webhookPorts ?? [])]
      .filter((p) => !GKE_CONTROL_PLANE_PORTS.includes(p))
      .sort((a, b) => a - b);
    if (ports.length > 0) {
      this.webhookFirewall = new ComputeFirewall(this, "ControlPlaneWebhooks", {
        project: props.project,
        name: `${props.name}-webhooks`,
        network: props.network,
        description: `Control plane of ${props.name} to admission webhooks on its nodes`,
        direction: "INGRESS",
        sourceRanges: [this.controlPlaneCidr],
        // The account's attribute, not the literal email: the rule then waits for the account.
        targetServiceAccounts: [this.nodeServiceAccount.email],
        allow: [{ protocol: "tcp", ports: ports.map(String) }],
      });
    }
  }

  /** The node service account as a principal (to grant it image pulls, for instance). */
  get nodePrincipal(): GcpPrincipal {
    return serviceAccountPrincipal(this.nodeServiceAccountEmail);
  }
}

function checkPorts(path: string, ports: readonly number[]): void {
  for (const p of ports)
    if (!Number.isInteger(p) || p < 1 || p > 65535)
      throw new Error(`${path}: webhookPorts has ${p}; give TCP ports from 1 to 65535`);
}

function validate(
  props: GkeClusterProps,
  v: { path: string; nodeSaId: string; maintenanceStartTime: string; controlPlaneCidr: string },
): void {
  const fail = (message: string): never => {
    throw new Error(`${v.path}: ${message}`);
  };
  const nameProblem = checkName(props.name, {
    ...NAME_RULES.gcp,
    maxLength: 40,
    what: "GKE cluster name",
  });
  if (nameProblem) fail(`name: ${nameProblem}`);
  const saProblem = checkName(v.nodeSaId, {
    ...NAME_RULES.gcp,
    minLength: 6,
    maxLength: 30,
    what: "node service account id",
  });
  if (saProblem) fail(`nodeServiceAccountId: ${saProblem}; set nodeServiceAccountId`);
  const cp = parseCidr(v.controlPlaneCidr);
  if (!cp || cp.prefix !== 28) {
    fail(
      `controlPlaneCidr "${v.controlPlaneCidr}" must be an IPv4 /28 (GKE's private control-plane range), e.g. 172.16.0.0/28`,
    );
  }
  for (const reserved of props.reservedCidrs ?? []) {
    const r = parseCidr(reserved);
    if (cp && r && cidrsOverlap(cp, r)) {
      fail(
        `controlPlaneCidr ${v.controlPlaneCidr} overlaps the subnet range ${reserved}; choose a /28 outside the VPC's ranges`,
      );
    }
  }
  (props.authorizedNetworks ?? []).forEach((n, i) => {
    if (!parseCidr(n.cidr)) {
      fail(
        `authorizedNetworks[${i}].cidr "${n.cidr}" is not an IPv4 CIDR; write it like 203.0.113.0/24`,
      );
    }
  });
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v.maintenanceStartTime)) {
    fail(`maintenanceStartTime "${v.maintenanceStartTime}" must be HH:MM in UTC, e.g. "03:00"`);
  }
  if (props.secretsEncryption) {
    const keyProblem = checkKmsKeyName(props.secretsEncryption.kmsKeyName);
    if (keyProblem) fail(`secretsEncryption.${keyProblem}`);
  }
}
