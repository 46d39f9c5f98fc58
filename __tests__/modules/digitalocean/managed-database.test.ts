import { DatabaseCluster } from "@cdktf/provider-digitalocean/lib/database-cluster";
import { DatabaseDb } from "@cdktf/provider-digitalocean/lib/database-db";
import { DatabaseFirewall } from "@cdktf/provider-digitalocean/lib/database-firewall";
import { DatabaseUser } from "@cdktf/provider-digitalocean/lib/database-user";
import { Testing } from "cdktf";
import {
  DoManagedDatabase,
  type DoManagedDatabaseProps,
} from "../../../modules/digitalocean/managed-database";

const props: DoManagedDatabaseProps = {
  name: "test-postgres",
  engine: "pg",
  version: "17",
  size: "db-s-1vcpu-2gb",
  region: "fra1",
  vpcUuid: "vpc-uuid",
  trustedClusterIds: ["doks-id"],
};
const synth = (p: Partial<DoManagedDatabaseProps> = {}) =>
  Testing.synthScope((scope) => void new DoManagedDatabase(scope, "Db", { ...props, ...p }));
type Tf = { resource: Record<string, Record<string, Record<string, unknown>>> };
const resources = (json: string, type: string) =>
  Object.values((JSON.parse(json) as Tf).resource[type] ?? {});

describe("DoManagedDatabase defaults", () => {
  test("one node in the VPC, Saturday 03:00 window, destroyable", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(DatabaseCluster, {
      name: "test-postgres",
      engine: "pg",
      version: "17",
      size: "db-s-1vcpu-2gb",
      region: "fra1",
      node_count: 1,
      private_network_uuid: "vpc-uuid",
      maintenance_window: [{ day: "saturday", hour: "03:00" }],
    });
    expect(resources(out, "digitalocean_database_cluster")[0].lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  test("the firewall admits only the Kubernetes cluster", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(DatabaseFirewall, {
      rule: [{ type: "k8s", value: "doks-id" }],
    });
    expect(resources(out, "digitalocean_database_firewall")[0].cluster_id).toMatch(
      /digitalocean_database_cluster\.\w+\.id/,
    );
  });

  test("no databases or users unless asked; Kafka starts at 3 brokers", () => {
    const out = synth();
    expect(out).not.toHaveResource(DatabaseDb);
    expect(out).not.toHaveResource(DatabaseUser);
    expect(
      synth({ engine: "kafka", name: "test-kafka", version: "3.8" }),
    ).toHaveResourceWithProperties(DatabaseCluster, { engine: "kafka", node_count: 3 });
  });
});

describe("DoManagedDatabase options", () => {
  test("a database and a user per application", () => {
    const out = synth({ databases: ["orders", "billing"], users: [{ name: "orders" }] });
    expect(out).toHaveResourceWithProperties(DatabaseDb, { name: "orders" });
    expect(out).toHaveResourceWithProperties(DatabaseDb, { name: "billing" });
    expect(out).toHaveResourceWithProperties(DatabaseUser, { name: "orders" });
    expect(Object.keys((JSON.parse(out) as Tf).resource.digitalocean_database_db).sort()).toEqual([
      expect.stringMatching(/^Db_Db-billing_/),
      expect.stringMatching(/^Db_Db-orders_/),
    ]);
  });

  test("Kafka users carry their topic ACL", () => {
    expect(
      synth({
        engine: "kafka",
        name: "test-kafka",
        version: "3.8",
        users: [{ name: "orders", acl: { topic: "orders.*", permission: "produce" } }],
      }),
    ).toHaveResourceWithProperties(DatabaseUser, {
      name: "orders",
      settings: [{ acl: [{ topic: "orders.*", permission: "produce" }] }],
    });
  });

  test("standbys, another window, deletion protection, several trusted clusters", () => {
    const out = synth({
      nodeCount: 3,
      maintenanceWindow: { day: "tuesday", startTime: "14:00" },
      deletionProtection: true,
      trustedClusterIds: ["a", "b"],
    });
    expect(out).toHaveResourceWithProperties(DatabaseCluster, {
      node_count: 3,
      maintenance_window: [{ day: "tuesday", hour: "14:00" }],
      lifecycle: { prevent_destroy: true },
    });
    expect(out).toHaveResourceWithProperties(DatabaseFirewall, {
      rule: [
        { type: "k8s", value: "a" },
        { type: "k8s", value: "b" },
      ],
    });
  });
});

describe("DoManagedDatabase validation", () => {
  test("node counts outside the engine's range", () => {
    expect(() => synth({ nodeCount: 4 })).toThrow(/nodeCount \(4\) must be 1–3 for engine pg/);
    expect(() => synth({ engine: "kafka", nodeCount: 1 })).toThrow(
      /nodeCount \(1\) must be 3–15 for engine kafka/,
    );
  });
  test("a size that is not a slug", () => {
    expect(() => synth({ size: "small" })).toThrow(/size "small" is not a DigitalOcean size slug/);
  });
  test("a maintenance window with an invalid day or hour", () => {
    expect(() => synth({ maintenanceWindow: { day: "any", startTime: "03:00" } })).toThrow(
      /maintenanceWindow\.day "any" is not one of monday/,
    );
    expect(() => synth({ maintenanceWindow: { day: "monday", startTime: "3am" } })).toThrow(
      /startTime "3am" must be HH:MM/,
    );
  });
  test("a firewall that admits nothing", () => {
    expect(() => synth({ trustedClusterIds: [] })).toThrow(/trustedClusterIds is empty/);
  });
  test("databases outside PostgreSQL, ACLs outside Kafka, duplicates, bad names", () => {
    expect(() => synth({ engine: "valkey", databases: ["x"] })).toThrow(
      /databases are a PostgreSQL concept/,
    );
    expect(() =>
      synth({ users: [{ name: "u", acl: { topic: "*", permission: "admin" } }] }),
    ).toThrow(/only Kafka users take/);
    expect(() => synth({ databases: ["a", "a"] })).toThrow(/"a" is listed twice/);
    expect(() => synth({ users: [{ name: "Bad-Name" }] })).toThrow(
      /"Bad-Name" is not a database or user name/,
    );
  });
  test("a cluster name DigitalOcean refuses", () => {
    expect(() => synth({ name: "pg" })).toThrow(/is 2 characters; it must be 3–63/);
  });
});
