import { App } from "cdktf";
import { bigtableCpuAlertPercent, GcpDataStack } from "../../../stacks/gcp/data";
import { resourcesOf, synthJson } from "../../support/synth";
import { gcpEnv } from "./support";

function synth(...args: Parameters<typeof gcpEnv>) {
  const env = gcpEnv(...args);
  return synthJson(new GcpDataStack(new App(), "test-gcp-data", { env, target: env.targets.gcp! }));
}

describe("GcpDataStack", () => {
  test("the event store in the target's zone with the seed's tables", () => {
    const tf = synth();
    const [instance] = resourcesOf(tf, "google_bigtable_instance");
    expect(instance).toMatchObject({
      name: "test-events",
      deletion_protection: false,
      cluster: [expect.objectContaining({ cluster_id: "test-events-a", zone: "europe-west1-a" })],
    });
    expect(resourcesOf(tf, "google_bigtable_table").map((t) => t.name)).toEqual([
      "events",
      "positions",
      "snapshots",
    ]);
  });

  test("IAM binds each application's service account to this instance with its access only", () => {
    const grants = resourcesOf(synth(), "google_bigtable_instance_iam_member");
    expect(grants.map((g) => [g.member, g.role])).toEqual([
      ["serviceAccount:test-backend@strata-test.iam.gserviceaccount.com", "roles/bigtable.reader"],
      ["serviceAccount:test-angzarr@strata-test.iam.gserviceaccount.com", "roles/bigtable.user"],
    ]);
    for (const g of grants)
      expect(g.instance).toMatch(/^\$\{google_bigtable_instance\.EventStore_Instance_\w+\.name\}$/);
    expect(resourcesOf(synth(), "google_project_iam_member")).toEqual([]);
  });

  test("customer-managed keys: the network stack's bigtable key, granted to the Bigtable agent", () => {
    const tf = synth({ customerManagedKeys: true });
    const key =
      "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/bigtable";
    const [instance] = resourcesOf(tf, "google_bigtable_instance");
    expect(instance.cluster).toEqual([expect.objectContaining({ kms_key_name: key })]);
    expect(resourcesOf(tf, "google_kms_crypto_key_iam_member")).toEqual([
      {
        crypto_key_id: key,
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member: "serviceAccount:service-123456789012@gcp-sa-bigtable.iam.gserviceaccount.com",
      },
    ]);
  });
});

describe("Bigtable CPU alert threshold", () => {
  const base = { instanceId: "x", zones: [], tables: {} } as never;
  test("the autoscaling target plus headroom, at most 95 %; fixed nodes: Google's 70 %", () => {
    const at = (config: object, headroom: number) =>
      bigtableCpuAlertPercent({ ...(base as object), ...config } as never, headroom);
    expect(at({ autoscaling: { minNodes: 1, maxNodes: 5, cpuTarget: 60 } }, 10)).toBe(70);
    expect(at({}, 15)).toBe(75); // the module's default target, 60
    expect(at({ autoscaling: { minNodes: 1, maxNodes: 5, cpuTarget: 80 } }, 20)).toBe(95);
    expect(at({ nodes: 3 }, 20)).toBe(70);
  });
});
