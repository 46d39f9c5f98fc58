import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import {
  DynamoDbEventStore,
  type DynamoDbEventStoreProps,
} from "../../../modules/aws/dynamodb-event-store";
import { RoleInlinePolicy, type PolicyStatement } from "../../../modules/aws/iam-policy";
import { KmsKey } from "../../../modules/aws/kms-key";

const base = (scope: Construct): DynamoDbEventStoreProps => ({
  tableNames: { events: "t-events", positions: "t-positions", snapshots: "t-snapshots" },
  region: "eu-west-1",
  kmsKey: new KmsKey(scope, "Key", { alias: "t-event-store", description: "t" }),
});
const synth = (p: Partial<DynamoDbEventStoreProps> = {}) =>
  Testing.synthScope(
    (scope) => void new DynamoDbEventStore(scope, "Store", { ...base(scope), ...p }),
  );
const tables = (out: string) =>
  Object.values(JSON.parse(out).resource.aws_dynamodb_table) as Array<Record<string, unknown>>;
const table = (out: string, name: string) => tables(out).find((t) => t.name === name)!;

describe("DynamoDbEventStore defaults", () => {
  test("events keyed by aggregate id + sequence, only key attributes declared", () => {
    expect(synth()).toHaveResourceWithProperties(DynamodbTable, {
      name: "t-events",
      hash_key: "aggregate_id",
      range_key: "sequence",
      attribute: [
        { name: "aggregate_id", type: "S" },
        { name: "sequence", type: "N" },
      ],
    });
  });

  test("positions keyed by handler + domain, snapshots by aggregate id + sequence", () => {
    const out = synth();
    expect(table(out, "t-positions")).toMatchObject({ hash_key: "handler", range_key: "domain" });
    expect(table(out, "t-snapshots")).toMatchObject({
      hash_key: "aggregate_id",
      range_key: "sequence",
    });
  });

  test("every table: on demand, PITR, CMK encryption, deletion protection; no TTL, no stream", () => {
    const out = synth();
    expect(tables(out)).toHaveLength(3);
    for (const t of tables(out)) {
      expect(t).toMatchObject({
        billing_mode: "PAY_PER_REQUEST",
        point_in_time_recovery: { enabled: true },
        server_side_encryption: {
          enabled: true,
          kms_key_arn: expect.stringMatching(/aws_kms_key\.Key_/),
        },
        deletion_protection_enabled: true,
      });
      expect(t).not.toHaveProperty("ttl");
      expect(t).not.toHaveProperty("stream_enabled");
      expect(t).not.toHaveProperty("read_capacity");
    }
    expect(out).not.toHaveResource(AppautoscalingTarget);
  });
});

describe("DynamoDbEventStore options", () => {
  test("provisioned billing with target-tracking autoscaling on reads and writes", () => {
    const out = synth({
      billing: {
        mode: "provisioned",
        read: { min: 5, max: 50 },
        write: { min: 2, max: 20, targetUtilization: 50 },
      },
    });
    expect(table(out, "t-events")).toMatchObject({
      billing_mode: "PROVISIONED",
      read_capacity: 5,
      write_capacity: 2,
      lifecycle: { ignore_changes: ["read_capacity", "write_capacity"] },
    });
    expect(out).toHaveResourceWithProperties(AppautoscalingTarget, {
      service_namespace: "dynamodb",
      scalable_dimension: "dynamodb:table:ReadCapacityUnits",
      min_capacity: 5,
      max_capacity: 50,
    });
    expect(out).toHaveResourceWithProperties(AppautoscalingPolicy, {
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: {
        target_value: 50,
        predefined_metric_specification: {
          predefined_metric_type: "DynamoDBWriteCapacityUtilization",
        },
      },
    });
    expect(Object.keys(JSON.parse(out).resource.aws_appautoscaling_policy)).toHaveLength(6);
  });

  test("deletion protection and PITR off", () => {
    const out = synth({ deletionProtection: false, pointInTimeRecovery: false });
    expect(table(out, "t-events")).toMatchObject({
      deletion_protection_enabled: false,
      point_in_time_recovery: { enabled: false },
    });
  });

  test("TTL on snapshots only, stream on events only", () => {
    const out = synth({ snapshotTtlAttribute: "expires_at", eventStream: "NEW_IMAGE" });
    expect(table(out, "t-snapshots")).toMatchObject({
      ttl: { attribute_name: "expires_at", enabled: true },
    });
    expect(table(out, "t-events")).not.toHaveProperty("ttl");
    expect(table(out, "t-events")).toMatchObject({
      stream_enabled: true,
      stream_view_type: "NEW_IMAGE",
    });
    expect(table(out, "t-positions")).not.toHaveProperty("stream_enabled");
  });

  test("key overrides, a table without a sort key", () => {
    const out = synth({ keys: { positions: { partitionKey: { name: "subscriber", type: "S" } } } });
    const positions = table(out, "t-positions");
    expect(positions).toMatchObject({
      hash_key: "subscriber",
      attribute: [{ name: "subscriber", type: "S" }],
    });
    expect(positions).not.toHaveProperty("range_key");
  });
});

describe("DynamoDbEventStore grants", () => {
  const granted = (grant: "grantReadWrite" | "grantRead") => {
    let statements: readonly PolicyStatement[] = [];
    Testing.synthScope((scope) => {
      const store = new DynamoDbEventStore(scope, "Store", base(scope));
      const policy = new RoleInlinePolicy(scope, "Grant", { roleName: "r", policyName: "p" });
      store[grant](policy);
      statements = policy.policyStatements;
    });
    return statements.map((s) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>);
  };

  test("read-write: append-only on events, read-write on positions and snapshots, table and index ARNs", () => {
    const [events, state, key] = granted("grantReadWrite");
    expect(events.Action).toContain("dynamodb:PutItem");
    expect(events.Action).not.toContain("dynamodb:UpdateItem");
    expect(events.Action).not.toContain("dynamodb:DeleteItem");
    expect(events.Action).not.toContain("dynamodb:BatchWriteItem");
    expect(events.Resource).toEqual([
      expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/),
      expect.stringMatching(/\/index\/\*$/),
    ]);
    expect(state.Action).toEqual(
      expect.arrayContaining(["dynamodb:UpdateItem", "dynamodb:DeleteItem"]),
    );
    expect(state.Resource).toHaveLength(4);
    expect(key).toMatchObject({
      Condition: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } },
    });
  });

  test("read: reads only, on the three tables", () => {
    const [read, key] = granted("grantRead");
    expect(read.Action).not.toEqual(expect.arrayContaining(["dynamodb:PutItem"]));
    expect(read.Action).toContain("dynamodb:Query");
    expect(read.Resource).toHaveLength(6);
    expect(key.Action).toContain("kms:Decrypt");
  });
});

describe("DynamoDbEventStore validation", () => {
  test("a key attribute with an invalid type", () => {
    expect(() =>
      synth({
        keys: {
          events: {
            partitionKey: { name: "aggregate_id", type: "BOOL" as never },
            sortKey: { name: "sequence", type: "N" },
          },
        },
      }),
    ).toThrow(
      /keys\.events\.partitionKey "aggregate_id" has type "BOOL"; DynamoDB key attributes are S \(string\), N \(number\) or B \(binary\)/,
    );
  });
  test("the same attribute as partition and sort key", () => {
    expect(() =>
      synth({
        keys: {
          snapshots: {
            partitionKey: { name: "id", type: "S" },
            sortKey: { name: "id", type: "S" },
          },
        },
      }),
    ).toThrow(/uses "id" as partition and sort key/);
  });
  test("provisioned capacity with min > max, target utilization out of range", () => {
    expect(() =>
      synth({
        billing: { mode: "provisioned", read: { min: 10, max: 5 }, write: { min: 1, max: 1 } },
      }),
    ).toThrow(/billing\.read min \(10\) and max \(5\)/);
    expect(() =>
      synth({
        billing: {
          mode: "provisioned",
          read: { min: 1, max: 5, targetUtilization: 95 },
          write: { min: 1, max: 1 },
        },
      }),
    ).toThrow(/targetUtilization \(95\) must be 20–90/);
  });
  test("a TTL attribute that is a key, an invalid table name", () => {
    expect(() => synth({ snapshotTtlAttribute: "sequence" })).toThrow(
      /is a key attribute of snapshots/,
    );
    expect(() =>
      synth({ tableNames: { events: "e", positions: "t-positions", snapshots: "t-snapshots" } }),
    ).toThrow(/tableNames\.events "e" must be 3–255/);
  });
});
