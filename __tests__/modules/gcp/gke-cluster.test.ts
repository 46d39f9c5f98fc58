import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Testing } from "cdktf";
import { GkeCluster, type GkeClusterProps } from "../../../modules/gcp/gke-cluster";

const props: GkeClusterProps = {
  name: "test-gke",
  project: "strata-test",
  location: "europe-west1",
  network: "test-vpc",
  subnetwork: "test-vpc",
};
const KEY =
  "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/gke-secrets";
const synth = (p: Partial<GkeClusterProps> = {}) =>
  Testing.synthScope((scope) => {
    new GkeCluster(scope, "Gke", { ...props, ...p });
  });
const cluster = (p: Partial<GkeClusterProps> = {}) =>
  Object.values(
    (JSON.parse(synth(p)) as { resource: Record<string, Record<string, Record<string, unknown>>> })
      .resource.google_container_cluster,
  )[0];

describe("GkeCluster defaults", () => {
  test("private nodes, control plane only from authorized networks, no public Google ranges", () => {
    expect(synth()).toHaveResourceWithProperties(ContainerCluster, {
      name: "test-gke",
      location: "europe-west1",
      networking_mode: "VPC_NATIVE",
      private_cluster_config: {
        enable_private_nodes: true,
        enable_private_endpoint: false,
        master_ipv4_cidr_block: "172.16.0.0/28",
      },
      master_authorized_networks_config: {
        gcp_public_cidrs_access_enabled: false,
        cidr_blocks: [],
      },
      ip_allocation_policy: {
        cluster_secondary_range_name: "pods",
        services_secondary_range_name: "services",
      },
    });
  });

  test("workload identity, shielded nodes, Dataplane V2, no ABAC, no client certificate", () => {
    expect(synth()).toHaveResourceWithProperties(ContainerCluster, {
      workload_identity_config: { workload_pool: "strata-test.svc.id.goog" },
      enable_shielded_nodes: true,
      datapath_provider: "ADVANCED_DATAPATH",
      enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
    });
    expect(cluster().network_policy).toBeUndefined();
  });

  test("release channel, maintenance window, logging and monitoring, deletion protection", () => {
    expect(synth()).toHaveResourceWithProperties(ContainerCluster, {
      release_channel: { channel: "REGULAR" },
      maintenance_policy: { daily_maintenance_window: { start_time: "03:00" } },
      logging_config: { enable_components: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
      monitoring_config: {
        enable_components: ["SYSTEM_COMPONENTS"],
        managed_prometheus: { enabled: true },
      },
      deletion_protection: true,
    });
  });

  test("default node pool removed; its temporary nodes use the dedicated account and GKE metadata", () => {
    const c = cluster();
    expect(c.remove_default_node_pool).toBe(true);
    expect(c.node_pool).toEqual([
      expect.objectContaining({
        node_config: expect.objectContaining({
          service_account: "${google_service_account.Gke_NodeServiceAccount_1B3F26BD.email}",
          workload_metadata_config: { mode: "GKE_METADATA" },
        }),
      }),
    ]);
    expect(c.lifecycle).toEqual({ ignore_changes: ["node_pool", "initial_node_count"] });
  });

  test("a dedicated node service account with only the GKE node role", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(ServiceAccount, { account_id: "test-gke-nodes" });
    const roles = Object.values(
      (JSON.parse(out) as { resource: Record<string, Record<string, { role: string }>> }).resource
        .google_project_iam_member,
    ).map((r) => r.role);
    expect(roles).toEqual(["roles/container.defaultNodeServiceAccount"]);
    expect(out).toHaveResourceWithProperties(ProjectIamMember, {
      member: "${google_service_account.Gke_NodeServiceAccount_1B3F26BD.member}",
    });
  });

  test("no secrets encryption and no key grant without a key", () => {
    expect(cluster().database_encryption).toBeUndefined();
    expect(synth()).not.toHaveResource(KmsCryptoKeyIamMember);
  });
});

describe("GkeCluster options", () => {
  test("secrets encryption with a KMS key, granted to the GKE service agent first", () => {
    const out = synth({ secretsEncryption: { kmsKeyName: KEY, projectNumber: "123456789012" } });
    expect(out).toHaveResourceWithProperties(ContainerCluster, {
      database_encryption: { state: "ENCRYPTED", key_name: KEY },
      depends_on: ["google_kms_crypto_key_iam_member.Gke_SecretsKeyGrant_7E6A3EA8"],
    });
    expect(out).toHaveResourceWithProperties(KmsCryptoKeyIamMember, {
      crypto_key_id: KEY,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: "serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com",
    });
  });

  test("authorized networks, private endpoint, channel, window, zonal node locations", () => {
    expect(
      synth({
        authorizedNetworks: [{ cidr: "203.0.113.0/24", name: "office" }],
        privateEndpoint: true,
        releaseChannel: "STABLE",
        maintenanceStartTime: "22:30",
        location: "europe-west1-b",
        nodeLocations: ["europe-west1-b", "europe-west1-c"],
      }),
    ).toHaveResourceWithProperties(ContainerCluster, {
      location: "europe-west1-b",
      node_locations: ["europe-west1-b", "europe-west1-c"],
      master_authorized_networks_config: expect.objectContaining({
        cidr_blocks: [{ cidr_block: "203.0.113.0/24", display_name: "office" }],
      }),
      private_cluster_config: expect.objectContaining({ enable_private_endpoint: true }),
      release_channel: { channel: "STABLE" },
      maintenance_policy: { daily_maintenance_window: { start_time: "22:30" } },
    });
  });

  test("dataplaneV2: false uses Calico network policy instead", () => {
    const c = cluster({ dataplaneV2: false });
    expect(c.datapath_provider).toBeUndefined();
    expect(c.network_policy).toEqual({ enabled: true, provider: "CALICO" });
    expect(c.addons_config).toEqual({ network_policy_config: { disabled: false } });
  });

  test("deletion protection can be turned off (dev)", () => {
    expect(cluster({ deletionProtection: false }).deletion_protection).toBe(false);
  });
});

describe("GkeCluster webhook ports", () => {
  const firewalls = (p: Partial<GkeClusterProps>) =>
    Object.values(
      (JSON.parse(synth(p)) as { resource: Record<string, Record<string, unknown>> }).resource
        .google_compute_firewall ?? {},
    );

  test("the ports GKE does not open get one rule from the control plane to the nodes' account", () => {
    expect(firewalls({ webhookPorts: [10250, 9443, 8443, 443, 8443] })).toEqual([
      expect.objectContaining({
        name: "test-gke-webhooks",
        network: "test-vpc",
        direction: "INGRESS",
        source_ranges: ["172.16.0.0/28"],
        target_service_accounts: [
          expect.stringMatching(
            /^\$\{google_service_account\.Gke_NodeServiceAccount_[^.]+\.email\}$/,
          ),
        ],
        allow: [{ protocol: "tcp", ports: ["8443", "9443"] }],
      }),
    ]);
  });

  test("none when every webhook port is one GKE opens itself", () => {
    expect(firewalls({ webhookPorts: [10250] })).toEqual([]);
    expect(firewalls({})).toEqual([]);
  });

  test("a port that is not a TCP port", () => {
    expect(() => synth({ webhookPorts: [70000] })).toThrow(/webhookPorts has 70000/);
  });
});

describe("GkeCluster validation", () => {
  test("an authorized network that is not a CIDR", () => {
    expect(() => synth({ authorizedNetworks: [{ cidr: "203.0.113.7", name: "x" }] })).toThrow(
      /authorizedNetworks\[0\]\.cidr "203\.0\.113\.7" is not an IPv4 CIDR/,
    );
  });
  test("a control-plane range that is not a /28 or overlaps the subnet", () => {
    expect(() => synth({ controlPlaneCidr: "172.16.0.0/24" })).toThrow(/must be an IPv4 \/28/);
    expect(() =>
      synth({ controlPlaneCidr: "10.0.0.0/28", reservedCidrs: ["10.0.0.0/20"] }),
    ).toThrow(/overlaps the subnet range 10\.0\.0\.0\/20/);
  });
  test("a maintenance time that is not HH:MM", () => {
    expect(() => synth({ maintenanceStartTime: "3am" })).toThrow(/maintenanceStartTime "3am"/);
  });
  test("a node service account id too long", () => {
    expect(() => synth({ name: "a-cluster-with-a-long-name-here" })).toThrow(
      /nodeServiceAccountId: .* must be 6–30; set nodeServiceAccountId/,
    );
  });
  test("a malformed key id or project number", () => {
    expect(() =>
      synth({ secretsEncryption: { kmsKeyName: "gke-secrets", projectNumber: "1234567" } }),
    ).toThrow(/is not a crypto key id/);
    expect(() =>
      synth({ secretsEncryption: { kmsKeyName: KEY, projectNumber: "angzarr-prod" } }),
    ).toThrow(/projectNumber "angzarr-prod" is not a GCP project number/);
  });
});
