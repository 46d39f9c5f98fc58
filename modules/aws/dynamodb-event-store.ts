import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import type { IGrantable } from "./iam-policy";
import type { KmsKey } from "./kms-key";

/** The three tables of the event store (the same contract as the Bigtable store). */
export const EVENT_STORE_TABLES = ["events", "positions", "snapshots"] as const;
export type EventStoreTable = (typeof EVENT_STORE_TABLES)[number];

/** A DynamoDB key attribute: S (string), N (number) or B (binary). */
export interface KeyAttribute {
  readonly name: string;
  readonly type: "S" | "N" | "B";
}

/** The key schema of one table. */
export interface TableKeys {
  readonly partitionKey: KeyAttribute;
  /** @default - no sort key */
  readonly sortKey?: KeyAttribute;
}

/** Provisioned capacity of one dimension (reads or writes), scaled by target tracking. */
export interface ScaledCapacity {
  /** Lowest capacity units, ≥ 1 (also the capacity the table is created with). */
  readonly min: number;
  /** Highest capacity units, ≥ min. */
  readonly max: number;
  /** Consumed/provisioned ratio autoscaling keeps, in percent, 20–90. @default 70 */
  readonly targetUtilization?: number;
}

/** How the tables are billed. */
export type EventStoreBilling =
  | { readonly mode: "on-demand" }
  | { readonly mode: "provisioned"; readonly read: ScaledCapacity; readonly write: ScaledCapacity };

/** Props of {@link DynamoDbEventStore}. */
export interface DynamoDbEventStoreProps {
  /** Physical table names, e.g. `{ events: "prod-events", … }`. */
  readonly tableNames: Readonly<Record<EventStoreTable, string>>;
  /** Region of the tables (for the `kms:ViaService` condition of grants). */
  readonly region: string;
  /** Customer-managed key that encrypts every table (always on: event data is business data). */
  readonly kmsKey: KmsKey;
  /** Key schemas, by table. @default DEFAULT_EVENT_STORE_KEYS */
  readonly keys?: Partial<Readonly<Record<EventStoreTable, TableKeys>>>;
  /** @default { mode: "on-demand" } */
  readonly billing?: EventStoreBilling;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Point-in-time recovery (35 days of continuous backups). @default true */
  readonly pointInTimeRecovery?: boolean;
  /** Attribute holding an epoch-seconds expiry on snapshots; TTL on when set. @default - no TTL */
  readonly snapshotTtlAttribute?: string;
  /** DynamoDB Streams on the events table, for projections. @default - off */
  readonly eventStream?: "NEW_IMAGE" | "NEW_AND_OLD_IMAGES" | "KEYS_ONLY";
}

/**
 * Keys by access pattern: events are read in order per aggregate (partition aggregate id, sort
 * sequence); positions are the checkpoint of one handler per domain; snapshots are read latest
 * first per aggregate (Query with ScanIndexForward=false).
 */
export const DEFAULT_EVENT_STORE_KEYS: Readonly<Record<EventStoreTable, TableKeys>> = {
  events: {
    partitionKey: { name: "aggregate_id", type: "S" },
    sortKey: { name: "sequence", type: "N" },
  },
  positions: {
    partitionKey: { name: "handler", type: "S" },
    sortKey: { name: "domain", type: "S" },
  },
  snapshots: {
    partitionKey: { name: "aggregate_id", type: "S" },
    sortKey: { name: "sequence", type: "N" },
  },
};

/** 70 %: the target AWS's console proposes for DynamoDB auto scaling. */
const DEFAULT_TARGET_UTILIZATION = 70;

const KEY_TYPES = ["S", "N", "B"] as const;
const ITEM_READ = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];
/** Events are append-only: put (conditionally), never update or delete (BatchWriteItem can delete). */
const EVENT_APPEND = ["dynamodb:PutItem"];
const ITEM_WRITE = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

/**
 * The event store on DynamoDB: tables `events`, `positions` and `snapshots`, encrypted with a
 * customer-managed key, point-in-time recovery and deletion protection on, on-demand billing (or
 * provisioned with target-tracking autoscaling). Only key attributes are declared: DynamoDB is
 * schemaless and refuses attribute definitions no key or index uses.
 */
export class DynamoDbEventStore extends Construct {
  readonly tables: Readonly<Record<EventStoreTable, DynamodbTable>>;
  readonly keys: Readonly<Record<EventStoreTable, TableKeys>>;
  readonly billing: EventStoreBilling;
  readonly deletionProtection: boolean;
  readonly pointInTimeRecovery: boolean;
  private readonly region: string;
  private readonly kmsKey: KmsKey;

  constructor(scope: Construct, id: string, props: DynamoDbEventStoreProps) {
    super(scope, id);
    this.keys = { ...DEFAULT_EVENT_STORE_KEYS, ...(props.keys ?? {}) };
    this.billing = props.billing ?? { mode: "on-demand" };
    this.deletionProtection = props.deletionProtection ?? true;
    this.pointInTimeRecovery = props.pointInTimeRecovery ?? true;
    this.region = props.region;
    this.kmsKey = props.kmsKey;
    this.validate(props);

    const billing = this.billing;
    const make = (table: EventStoreTable, tableId: string) => {
      const keys = this.keys[table];
      const attributes = [keys.partitionKey, ...(keys.sortKey ? [keys.sortKey] : [])];
      const resource = new DynamodbTable(this, tableId, {
        name: props.tableNames[table],
        hashKey: keys.partitionKey.name,
        ...(keys.sortKey ? { rangeKey: keys.sortKey.name } : {}),
        attribute: attributes.map((a) => ({ name: a.name, type: a.type })),
        ...(billing.mode === "on-demand"
          ? { billingMode: "PAY_PER_REQUEST" }
          : {
              billingMode: "PROVISIONED",
              readCapacity: billing.read.min,
              writeCapacity: billing.write.min,
              // Autoscaling owns capacity after creation.
              lifecycle: { ignoreChanges: ["read_capacity", "write_capacity"] },
            }),
        pointInTimeRecovery: { enabled: this.pointInTimeRecovery },
        serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKey.arn },
        deletionProtectionEnabled: this.deletionProtection,
        ...(table === "snapshots" && props.snapshotTtlAttribute
          ? { ttl: { attributeName: props.snapshotTtlAttribute, enabled: true } }
          : {}),
        ...(table === "events" && props.eventStream
          ? { streamEnabled: true, streamViewType: props.eventStream }
          : {}),
      });
      if (billing.mode === "provisioned") {
        this.autoscale(tableId, resource, "Read", billing.read);
        this.autoscale(tableId, resource, "Write", billing.write);
      }
      return resource;
    };
    this.tables = {
      events: make("events", "Events"),
      positions: make("positions", "Positions"),
      snapshots: make("snapshots", "Snapshots"),
    };
  }

  /**
   * Appends events (no update or delete: events are immutable), reads everything, writes
   * positions and snapshots; plus use of the table key through DynamoDB only.
   */
  grantReadWrite(grantee: IGrantable): void {
    const { events, positions, snapshots } = this.tables;
    grantee.addToPolicy(
      {
        Sid: "EventStoreAppendEvents",
        Effect: "Allow",
        Action: [...ITEM_READ, ...EVENT_APPEND],
        Resource: tableResources(events),
      },
      {
        Sid: "EventStoreReadWriteState",
        Effect: "Allow",
        Action: [...ITEM_READ, ...ITEM_WRITE],
        Resource: [...tableResources(positions), ...tableResources(snapshots)],
      },
    );
    this.grantKey(grantee);
  }

  /** Reads of every table (projections, queries); plus decryption through DynamoDB only. */
  grantRead(grantee: IGrantable): void {
    grantee.addToPolicy({
      Sid: "EventStoreRead",
      Effect: "Allow",
      Action: ITEM_READ,
      Resource: Object.values(this.tables).flatMap(tableResources),
    });
    this.grantKey(grantee);
  }

  private grantKey(grantee: IGrantable): void {
    this.kmsKey.grantEncryptDecryptVia(grantee, `dynamodb.${this.region}.amazonaws.com`);
  }

  private autoscale(
    tableId: string,
    table: DynamodbTable,
    dimension: "Read" | "Write",
    capacity: ScaledCapacity,
  ): void {
    const target = new AppautoscalingTarget(this, `${tableId}${dimension}Target`, {
      serviceNamespace: "dynamodb",
      resourceId: `table/${table.name}`,
      scalableDimension: `dynamodb:table:${dimension}CapacityUnits`,
      minCapacity: capacity.min,
      maxCapacity: capacity.max,
    });
    new AppautoscalingPolicy(this, `${tableId}${dimension}Scaling`, {
      name: `${table.name}-${dimension.toLowerCase()}`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: capacity.targetUtilization ?? DEFAULT_TARGET_UTILIZATION,
        predefinedMetricSpecification: {
          predefinedMetricType: `DynamoDB${dimension}CapacityUtilization`,
        },
      },
    });
  }

  private validate(props: DynamoDbEventStoreProps): void {
    const where = this.node.path;
    for (const table of EVENT_STORE_TABLES) {
      const keys = this.keys[table];
      for (const [role, attr] of [
        ["partitionKey", keys.partitionKey],
        ["sortKey", keys.sortKey],
      ] as const) {
        if (!attr) continue;
        if (!(KEY_TYPES as readonly string[]).includes(attr.type)) {
          throw new Error(
            `${where}: keys.${table}.${role} "${attr.name}" has type ${JSON.stringify(attr.type)}; DynamoDB key attributes are S (string), N (number) or B (binary)`,
          );
        }
        if (!/^[a-zA-Z0-9_.-]{1,255}$/.test(attr.name)) {
          throw new Error(
            `${where}: keys.${table}.${role} name "${attr.name}" must be 1–255 letters, digits, _, . or -`,
          );
        }
      }
      if (keys.sortKey && keys.sortKey.name === keys.partitionKey.name) {
        throw new Error(
          `${where}: keys.${table} uses "${keys.partitionKey.name}" as partition and sort key; give the sort key another attribute`,
        );
      }
      const name = props.tableNames[table];
      if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
        throw new Error(
          `${where}: tableNames.${table} "${name}" must be 3–255 letters, digits, _, . or -`,
        );
      }
    }
    if (this.billing.mode === "provisioned") {
      for (const dim of ["read", "write"] as const) {
        const c = this.billing[dim];
        const target = c.targetUtilization ?? DEFAULT_TARGET_UTILIZATION;
        if (!Number.isInteger(c.min) || c.min < 1 || !Number.isInteger(c.max) || c.max < c.min) {
          throw new Error(
            `${where}: billing.${dim} min (${c.min}) and max (${c.max}) must be integers with 1 <= min <= max`,
          );
        }
        if (target < 20 || target > 90) {
          throw new Error(
            `${where}: billing.${dim}.targetUtilization (${target}) must be 20–90 percent (AWS target tracking range)`,
          );
        }
      }
    }
    if (props.snapshotTtlAttribute !== undefined) {
      const keyNames = [this.keys.snapshots.partitionKey.name, this.keys.snapshots.sortKey?.name];
      if (keyNames.includes(props.snapshotTtlAttribute)) {
        throw new Error(
          `${where}: snapshotTtlAttribute "${props.snapshotTtlAttribute}" is a key attribute of snapshots; use a separate attribute (e.g. expires_at)`,
        );
      }
    }
  }
}

/** A table's ARN and its indexes' ARNs (Query on an index is authorized on the index ARN). */
function tableResources(table: DynamodbTable): string[] {
  return [table.arn, `${table.arn}/index/*`];
}
