import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { Testing } from "cdktf";
import { GcpVpcNetwork, type GcpVpcNetworkProps } from "../../../modules/gcp/vpc-network";

const props: GcpVpcNetworkProps = {
  name: "test-vpc",
  region: "europe-west1",
  subnetCidr: "10.0.0.0/20",
  podsCidr: "10.4.0.0/14",
  servicesCidr: "10.8.0.0/20",
};

const synth = (p: Partial<GcpVpcNetworkProps> = {}) =>
  Testing.synthScope((scope) => {
    new GcpVpcNetwork(scope, "Vpc", { ...props, ...p });
  });

describe("GcpVpcNetwork defaults", () => {
  test("custom-mode network", () => {
    expect(synth()).toHaveResourceWithProperties(ComputeNetwork, {
      name: "test-vpc",
      auto_create_subnetworks: false,
    });
  });

  test("subnet with pods/services secondary ranges, Private Google Access and flow logs", () => {
    expect(synth()).toHaveResourceWithProperties(ComputeSubnetwork, {
      ip_cidr_range: "10.0.0.0/20",
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: "pods", ip_cidr_range: "10.4.0.0/14" },
        { range_name: "services", ip_cidr_range: "10.8.0.0/20" },
      ],
      log_config: {
        aggregation_interval: "INTERVAL_5_SEC",
        flow_sampling: 0.5,
        metadata: "INCLUDE_ALL_METADATA",
      },
    });
  });

  test("Cloud NAT on every range, logging errors", () => {
    expect(synth()).toHaveResourceWithProperties(ComputeRouterNat, {
      name: "test-vpc-nat",
      source_subnetwork_ip_ranges_to_nat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      log_config: { enable: true, filter: "ERRORS_ONLY" },
    });
  });
});

describe("GcpVpcNetwork opt-outs", () => {
  test("nat: false creates no router or NAT", () => {
    expect(synth({ nat: false })).not.toHaveResource(ComputeRouterNat);
  });

  test("flow logs off removes log_config", () => {
    const tf = JSON.parse(
      synth({ flowLogs: { enabled: false, sampling: 0.5, aggregationInterval: "INTERVAL_5_SEC" } }),
    );
    const subnet = Object.values(tf.resource.google_compute_subnetwork)[0] as Record<
      string,
      unknown
    >;
    expect(subnet.log_config).toBeUndefined();
  });

  test("range names are configurable", () => {
    expect(synth({ podsRangeName: "gke-pods" })).toHaveResourceWithProperties(ComputeSubnetwork, {
      secondary_ip_range: [expect.objectContaining({ range_name: "gke-pods" }), expect.anything()],
    });
  });
});

describe("GcpVpcNetwork validation", () => {
  test("overlapping ranges", () => {
    expect(() => synth({ podsCidr: "10.0.8.0/21" })).toThrow(
      /podsCidr 10.0.8.0\/21 overlaps subnetCidr 10.0.0.0\/20/,
    );
  });
  test("malformed CIDR", () => {
    expect(() => synth({ servicesCidr: "10.8.0.0" })).toThrow(
      /servicesCidr "10.8.0.0" is not an IPv4 CIDR/,
    );
  });
  test("name that breaks GCP naming", () => {
    expect(() => synth({ name: "Test_VPC" })).toThrow(/may contain only lower-case letters/);
  });
  test("sampling outside 0–1", () => {
    expect(() =>
      synth({ flowLogs: { enabled: true, sampling: 2, aggregationInterval: "INTERVAL_5_SEC" } }),
    ).toThrow(/sampling \(2\) must be between 0 and 1/);
  });
});
