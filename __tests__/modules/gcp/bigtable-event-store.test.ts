import { BigtableAppProfile } from "@cdktf/provider-google/lib/bigtable-app-profile";
import { BigtableGcPolicy } from "@cdktf/provider-google/lib/bigtable-gc-policy";
import { BigtableInstance } from "@cdktf/provider-google/lib/bigtable-instance";
import { BigtableInstanceIamMember } from "@cdktf/provider-google/lib/bigtable-instance-iam-member";
import { BigtableTable } from "@cdktf/provider-google/lib/bigtable-table";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { Testing } from "cdktf";
import {
  BigtableEventStore,
  type BigtableEventStoreProps,
} from "../../../modules/gcp/bigtable-event-store";
import { serviceAccountPrincipal } from "../../../modules/gcp/iam";

const props: BigtableEventStoreProps = {
  project: "strata-test",
  region: "europe-west1",
  instanceId: "test-events",
  zones: ["europe-west1-b"],
};
const KEY = "projects/strata-test/locations/europe-west1/keyRings/test-keyring/cryptoKeys/bigtable";
type Json = { resource: Record<string, Record<string, Record<string, unknown>>> };
const synth = (p: Partial<BigtableEventStoreProps> = {}, grant = false) =>
  Testing.synthScope((scope) => {
    const store = new BigtableEventStore(scope, "Store", { ...props, ...p });
    if (grant) {
      store.grantReadWrite(
        serviceAccountPrincipal("test-angzarr@strata-test.iam.gserviceaccount.com"),
      );
      store.grantRead(serviceAccountPrincipal("test-backend@strata-test.iam.gserviceaccount.com"));
    }
  });
const INSTANCE = expect.stringMatching(
  /^\$\{google_bigtable_instance\.Store_Instance_\w+\.name\}$/,
);
const all = (out: string, type: string) =>
  Object.values((JSON.parse(out) as Json).resource[type] ?? {});

describe("BigtableEventStore defaults", () => {
  test("one SSD cluster per zone, autoscaled 1–3 nodes at 60 % CPU, deletion protection", () => {
    expect(synth()).toHaveResourceWithProperties(BigtableInstance, {
      name: "test-events",
      display_name: "test-events",
      deletion_protection: true,
      cluster: [
        {
          cluster_id: "test-events-b",
          zone: "europe-west1-b",
          storage_type: "SSD",
          autoscaling_config: { min_nodes: 1, max_nodes: 3, cpu_target: 60 },
        },
      ],
    });
  });

  test("the event store's tables and column families, protected", () => {
    const tables = all(synth(), "google_bigtable_table").map((t) => [
      t.name,
      t.column_family,
      t.deletion_protection,
    ]);
    expect(tables).toEqual([
      ["events", [{ family: "e" }], "PROTECTED"],
      ["positions", [{ family: "p" }], "PROTECTED"],
      ["snapshots", [{ family: "s" }], "PROTECTED"],
    ]);
  });

  test("events keep every version; positions the latest 1, snapshots the latest 3", () => {
    const out = synth();
    const policies = all(out, "google_bigtable_gc_policy").map((p) => [
      p.column_family,
      p.gc_rules,
    ]);
    expect(policies).toEqual([
      ["p", '{"rules":[{"max_version":1}]}'],
      ["s", '{"rules":[{"max_version":3}]}'],
    ]);
    expect(all(out, "google_bigtable_gc_policy")[0].deletion_policy).toBeUndefined();
  });

  test("no change streams, no CMEK, no key grant", () => {
    const out = synth();
    expect(all(out, "google_bigtable_table")[0].change_stream_retention).toBeUndefined();
    expect((all(out, "google_bigtable_instance")[0].cluster as object[])[0]).not.toHaveProperty(
      "kms_key_name",
    );
    expect(out).not.toHaveResource(KmsCryptoKeyIamMember);
  });

  test("an app profile with single-cluster routing and transactional writes", () => {
    expect(synth()).toHaveResourceWithProperties(BigtableAppProfile, {
      app_profile_id: "applications",
      single_cluster_routing: { cluster_id: "test-events-b", allow_transactional_writes: true },
    });
  });
});

describe("BigtableEventStore options", () => {
  test("replication: a cluster per zone; GC policies abandoned with their table", () => {
    const out = synth({ zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] });
    const clusters = all(out, "google_bigtable_instance")[0].cluster as Array<{
      cluster_id: string;
    }>;
    expect(clusters.map((c) => c.cluster_id)).toEqual([
      "test-events-b",
      "test-events-c",
      "test-events-d",
    ]);
    expect(
      all(out, "google_bigtable_gc_policy").every((p) => p.deletion_policy === "ABANDON"),
    ).toBe(true);
    expect(out).toHaveResourceWithProperties(BigtableAppProfile, {
      single_cluster_routing: expect.objectContaining({ cluster_id: "test-events-b" }),
    });
  });

  test("fixed nodes and HDD instead of autoscaling", () => {
    const c = (
      all(synth({ nodes: 2, storageType: "HDD" }), "google_bigtable_instance")[0]
        .cluster as object[]
    )[0];
    expect(c).toMatchObject({ num_nodes: 2, storage_type: "HDD" });
    expect(c).not.toHaveProperty("autoscaling_config");
  });

  test("CMEK on every cluster, the Bigtable service agent granted first", () => {
    const out = synth({
      zones: ["europe-west1-b", "europe-west1-c"],
      encryption: { kmsKeyName: KEY, projectNumber: "123456789012" },
    });
    const instance = all(out, "google_bigtable_instance")[0];
    expect(
      (instance.cluster as Array<{ kms_key_name: string }>).map((c) => c.kms_key_name),
    ).toEqual([KEY, KEY]);
    expect(instance.depends_on).toEqual([
      expect.stringMatching(/^google_kms_crypto_key_iam_member\.Store_KeyGrant_/),
    ]);
    expect(out).toHaveResourceWithProperties(KmsCryptoKeyIamMember, {
      crypto_key_id: KEY,
      member: "serviceAccount:service-123456789012@gcp-sa-bigtable.iam.gserviceaccount.com",
    });
  });

  test("change streams, custom tables and GC by age, no deletion protection, app profile", () => {
    const out = synth({
      changeStreamRetentionHours: 48,
      deletionProtection: false,
      tables: { log: { columnFamilies: ["d", "m"], gc: { d: { maxVersions: 2, maxAgeDays: 7 } } } },
      appProfileId: "readers",
      allowTransactionalWrites: false,
    });
    expect(out).toHaveResourceWithProperties(BigtableTable, {
      name: "log",
      change_stream_retention: "48h0m0s",
      deletion_protection: "UNPROTECTED",
      column_family: [{ family: "d" }, { family: "m" }],
    });
    expect(out).toHaveResourceWithProperties(BigtableInstance, { deletion_protection: false });
    expect(out).toHaveResourceWithProperties(BigtableGcPolicy, {
      column_family: "d",
      gc_rules: '{"mode":"union","rules":[{"max_version":2},{"max_age":"168h"}]}',
    });
    expect(out).toHaveResourceWithProperties(BigtableAppProfile, {
      app_profile_id: "readers",
      single_cluster_routing: expect.objectContaining({ allow_transactional_writes: false }),
    });
  });

  test("grants are on this instance only: bigtable.user to read-write, bigtable.reader to read", () => {
    const grants = all(synth({}, true), "google_bigtable_instance_iam_member").map((g) => [
      g.role,
      g.member,
      g.instance,
    ]);
    expect(grants).toEqual([
      [
        "roles/bigtable.reader",
        "serviceAccount:test-backend@strata-test.iam.gserviceaccount.com",
        INSTANCE,
      ],
      [
        "roles/bigtable.user",
        "serviceAccount:test-angzarr@strata-test.iam.gserviceaccount.com",
        INSTANCE,
      ],
    ]);
    expect(synth({}, true)).toHaveResource(BigtableInstanceIamMember);
  });
});

describe("BigtableEventStore validation", () => {
  test("instance id length and characters", () => {
    expect(() => synth({ instanceId: "evts" })).toThrow(
      /instanceId "evts" is 4 characters; it must be 6–33/,
    );
    expect(() => synth({ instanceId: "a".repeat(34) })).toThrow(
      /is 34 characters; it must be 6–33/,
    );
    expect(() => synth({ instanceId: "Test_Events" })).toThrow(
      /instanceId "Test_Events" may contain only lower-case/,
    );
  });
  test("a cluster id over 30 characters names the fix", () => {
    expect(() => synth({ instanceId: "a-rather-long-event-store-idxy" })).toThrow(
      /cluster id .*"a-rather-long-event-store-idxy-b" is 32 characters; it must be 6–30 \(shorten instanceId\)/,
    );
  });
  test("a GC rule for a column family the table does not define", () => {
    expect(() =>
      synth({ tables: { events: { columnFamilies: ["e"], gc: { x: { maxVersions: 1 } } } } }),
    ).toThrow(/tables\.events\.gc names column family "x", which the table does not define/);
  });
  test("autoscaling min > max, CPU target outside 10–80, both nodes and autoscaling", () => {
    expect(() => synth({ autoscaling: { minNodes: 4, maxNodes: 2, cpuTarget: 60 } })).toThrow(
      /autoscaling\.minNodes \(4\) must be <= autoscaling\.maxNodes \(2\)/,
    );
    expect(() => synth({ autoscaling: { minNodes: 1, maxNodes: 2, cpuTarget: 90 } })).toThrow(
      /cpuTarget \(90\) must be between 10 and 80/,
    );
    expect(() =>
      synth({ nodes: 1, autoscaling: { minNodes: 1, maxNodes: 2, cpuTarget: 60 } }),
    ).toThrow(/either nodes \(fixed\) or autoscaling/);
  });
  test("a zone outside the region, or twice", () => {
    expect(() => synth({ zones: ["us-central1-a"] })).toThrow(
      /zones\[0\] us-central1-a is not in region europe-west1/,
    );
    expect(() => synth({ zones: ["europe-west1-b", "europe-west1-b"] })).toThrow(
      /lists a zone twice/,
    );
  });
  test("change stream retention out of range", () => {
    expect(() => synth({ changeStreamRetentionHours: 200 })).toThrow(/between 1 and 168/);
  });
});

describe("BigtableEventStore automated backups", () => {
  const policies = (out: string) =>
    Object.values((JSON.parse(out) as Json).resource.google_bigtable_table).map(
      (t) => t.automated_backup_policy,
    );

  test("off by default, written as the provider's explicit off", () => {
    expect(new Set(policies(synth()).map((p) => JSON.stringify(p)))).toEqual(
      new Set([JSON.stringify({ frequency: "0", retention_period: "0" })]),
    );
  });

  test("daily on every table, retention as the provider reads it back", () => {
    const all = policies(synth({ automatedBackupRetentionDays: 30 }));
    expect(all).toHaveLength(3);
    for (const p of all) expect(p).toEqual({ retention_period: "720h0m0s", frequency: "24h0m0s" });
  });

  test("retention outside 3–90 days is refused", () => {
    expect(() => synth({ automatedBackupRetentionDays: 2 })).toThrow(
      /automatedBackupRetentionDays \(2\) must be 0 \(off\) or between 3 and 90/,
    );
    expect(() => synth({ automatedBackupRetentionDays: 91 })).toThrow(/between 3 and 90/);
  });
});
