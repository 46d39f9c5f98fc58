import { App } from "cdktf";
import { GcpClusterStack } from "../../../stacks/gcp/cluster";
import { gcpServiceAccountEmail } from "../../../stacks/identity-names";
import { clusterRef } from "../../../stacks/kubernetes/cluster-ref";
import { resourcesOf, synthJson } from "../../support/synth";
import { gcpEnv } from "./support";

function synth(...args: Parameters<typeof gcpEnv>) {
  const env = gcpEnv(...args);
  const stack = new GcpClusterStack(new App(), "test-gcp-cluster", {
    env,
    target: env.targets.gcp!,
  });
  return { env, stack, tf: synthJson(stack) };
}

describe("GcpClusterStack", () => {
  test("the cluster has the name and location the Helm layers look up", () => {
    const { env, tf } = synth();
    const [cluster] = resourcesOf(tf, "google_container_cluster");
    const ref = clusterRef(env, "gcp");
    expect(ref).toMatchObject({ cloud: "gcp", name: cluster.name, location: cluster.location });
    expect(cluster).toMatchObject({
      name: "test-gke",
      location: "europe-west1-a",
      network: "test-vpc",
      subnetwork: "test-vpc",
    });
  });

  test("regional with high availability: located at the region, nodes in the target's zones", () => {
    const { env, tf } = synth({ highAvailability: true });
    const [cluster] = resourcesOf(tf, "google_container_cluster");
    expect(cluster).toMatchObject({
      location: "europe-west1",
      node_locations: ["europe-west1-a", "europe-west1-b", "europe-west1-c"],
    });
    expect(clusterRef(env, "gcp")).toMatchObject({ location: "europe-west1" });
  });

  test("every node pool uses the cluster, its location and the node service account", () => {
    const { tf } = synth(
      {},
      {
        cluster: { nodePools: [{ name: "general" }, { name: "batch", spot: true, minNodes: 0 }] },
      },
    );
    const pools = resourcesOf(tf, "google_container_node_pool");
    expect(pools.map((p) => p.name)).toEqual(["batch", "general"]);
    for (const pool of pools) {
      expect(pool).toMatchObject({
        cluster: expect.stringMatching(/^\$\{google_container_cluster\.Gke_Cluster_\w+\.id\}$/),
        location: "europe-west1-a",
        node_config: expect.objectContaining({
          service_account: expect.stringMatching(
            /^\$\{google_service_account\.Gke_NodeServiceAccount_\w+\.email\}$/,
          ),
        }),
      });
    }
  });

  test("a service account per application, named as the apps layer expects, bound to its KSA", () => {
    const { tf } = synth();
    const accounts = resourcesOf(tf, "google_service_account").map((a) => a.account_id);
    expect(accounts).toEqual(["test-gke-nodes", "test-angzarr", "test-backend"]);
    expect(gcpServiceAccountEmail("test", "angzarr", "strata-test")).toBe(
      "test-angzarr@strata-test.iam.gserviceaccount.com",
    );
    const bindings = resourcesOf(tf, "google_service_account_iam_member");
    expect(bindings.map((b) => [b.role, b.member, b.service_account_id])).toEqual([
      [
        "roles/iam.workloadIdentityUser",
        "serviceAccount:strata-test.svc.id.goog[test/angzarr]",
        expect.stringMatching(/Identity-angzarr_ServiceAccount_\w+\.name\}$/),
      ],
      [
        "roles/iam.workloadIdentityUser",
        "serviceAccount:strata-test.svc.id.goog[test/backend]",
        expect.stringMatching(/Identity-backend_ServiceAccount_\w+\.name\}$/),
      ],
    ]);
    for (const b of bindings) {
      expect(b.depends_on).toEqual([
        expect.stringMatching(/^google_container_cluster\.Gke_Cluster_/),
      ]);
    }
  });

  test("the namespace and KSA come from the environment and the identity", () => {
    const { tf } = synth(
      { workloads: { namespace: "angzarr-test" } },
      { workloadIdentities: [{ app: "angzarr", kubernetesServiceAccount: "angzarr-server" }] },
    );
    expect(resourcesOf(tf, "google_service_account_iam_member")[0].member).toBe(
      "serviceAccount:strata-test.svc.id.goog[angzarr-test/angzarr-server]",
    );
  });

  test("dev: no deletion protection, no secrets encryption", () => {
    const [cluster] = resourcesOf(synth().tf, "google_container_cluster");
    expect(cluster.deletion_protection).toBe(false);
    expect(cluster.database_encryption).toBeUndefined();
  });

  test("customer-managed keys: the network stack's gke-secrets key, granted to the GKE agent", () => {
    const { tf } = synth({ customerManagedKeys: true, deletionProtection: true });
    const key =
      "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/gke-secrets";
    const [cluster] = resourcesOf(tf, "google_container_cluster");
    expect(cluster).toMatchObject({
      deletion_protection: true,
      database_encryption: { state: "ENCRYPTED", key_name: key },
    });
    expect(resourcesOf(tf, "google_kms_crypto_key_iam_member")).toEqual([
      {
        crypto_key_id: key,
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member:
          "serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com",
      },
    ]);
  });
});
