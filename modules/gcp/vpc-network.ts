import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { Construct } from "constructs";
import { cidrsOverlap, parseCidr } from "../common/cidr";
import { checkName, NAME_RULES } from "../common/naming";

/** Flow-log settings of the subnet. */
export interface GcpFlowLogSettings {
  readonly enabled: boolean;
  /** Fraction of packets sampled, 0–1. */
  readonly sampling: number;
  /** @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork#aggregation_interval */
  readonly aggregationInterval: string;
}

/** Props of {@link GcpVpcNetwork}. */
export interface GcpVpcNetworkProps {
  /** Physical name of the network; the subnet, router and NAT are named after it. */
  readonly name: string;
  readonly region: string;
  /** Primary range of the subnet (nodes). */
  readonly subnetCidr: string;
  /** Secondary range for pods. */
  readonly podsCidr: string;
  /** Secondary range for services. */
  readonly servicesCidr: string;
  /** @default "pods" */
  readonly podsRangeName?: string;
  /** @default "services" */
  readonly servicesRangeName?: string;
  /** @default - enabled, 50 % sampling, 5 s aggregation, all metadata */
  readonly flowLogs?: GcpFlowLogSettings;
  /** Cloud Router + Cloud NAT for private nodes. @default true */
  readonly nat?: boolean;
}

/** Flow-log defaults: 50 % sampling is Google's suggested balance of visibility and cost. */
const DEFAULT_FLOW_LOGS: GcpFlowLogSettings = {
  enabled: true,
  sampling: 0.5,
  aggregationInterval: "INTERVAL_5_SEC",
};

/**
 * A custom-mode VPC with one regional subnet carrying named secondary ranges for GKE pods and
 * services, Private Google Access, flow logs, and Cloud Router + Cloud NAT (errors logged).
 */
export class GcpVpcNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;
  readonly router?: ComputeRouter;
  readonly nat?: ComputeRouterNat;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;

  constructor(scope: Construct, id: string, props: GcpVpcNetworkProps) {
    super(scope, id);
    this.podsRangeName = props.podsRangeName ?? "pods";
    this.servicesRangeName = props.servicesRangeName ?? "services";
    const flowLogs = props.flowLogs ?? DEFAULT_FLOW_LOGS;
    validate(props, this.node.path);

    this.network = new ComputeNetwork(this, "Network", {
      name: props.name,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
    });

    this.subnet = new ComputeSubnetwork(this, "Subnet", {
      name: props.name,
      network: this.network.id,
      region: props.region,
      ipCidrRange: props.subnetCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: this.podsRangeName, ipCidrRange: props.podsCidr },
        { rangeName: this.servicesRangeName, ipCidrRange: props.servicesCidr },
      ],
      ...(flowLogs.enabled
        ? {
            logConfig: {
              aggregationInterval: flowLogs.aggregationInterval,
              flowSampling: flowLogs.sampling,
              metadata: "INCLUDE_ALL_METADATA",
            },
          }
        : {}),
    });

    if (props.nat ?? true) {
      this.router = new ComputeRouter(this, "Router", {
        name: `${props.name}-router`,
        network: this.network.id,
        region: props.region,
      });
      this.nat = new ComputeRouterNat(this, "Nat", {
        name: `${props.name}-nat`,
        router: this.router.name,
        region: props.region,
        natIpAllocateOption: "AUTO_ONLY",
        sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        logConfig: { enable: true, filter: "ERRORS_ONLY" },
      });
    }
  }
}

function validate(props: GcpVpcNetworkProps, path: string): void {
  const nameProblem = checkName(`${props.name}-router`, NAME_RULES.gcp);
  if (nameProblem)
    throw new Error(`${path}: name: ${nameProblem} (the router is named <name>-router)`);
  const ranges = {
    subnetCidr: props.subnetCidr,
    podsCidr: props.podsCidr,
    servicesCidr: props.servicesCidr,
  };
  const parsed = Object.entries(ranges).map(([k, v]) => {
    const c = parseCidr(v);
    if (!c) throw new Error(`${path}: ${k} "${v}" is not an IPv4 CIDR; write it like 10.0.0.0/20`);
    return [k, v, c] as const;
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (cidrsOverlap(parsed[i][2], parsed[j][2])) {
        throw new Error(
          `${path}: ${parsed[j][0]} ${parsed[j][1]} overlaps ${parsed[i][0]} ${parsed[i][1]}; choose disjoint ranges`,
        );
      }
    }
  }
  if (props.flowLogs && (props.flowLogs.sampling < 0 || props.flowLogs.sampling > 1)) {
    throw new Error(
      `${path}: flowLogs.sampling (${props.flowLogs.sampling}) must be between 0 and 1`,
    );
  }
}
