/**
 * The event store's defaults and table shapes, apart from the construct so the environment schema
 * can use them without loading cdktf and the provider classes.
 */
/** Garbage collection of one column family. A family without a rule keeps every version. */
export interface BigtableGcRule {
  /** Keep the latest N versions of each cell. */
  readonly maxVersions?: number;
  /** Drop cells older than this many days. */
  readonly maxAgeDays?: number;
}

/** One table of the store. */
export interface BigtableTableSpec {
  /** Column families of the table. */
  readonly columnFamilies: readonly string[];
  /** GC rule per column family; a family not named keeps every version. @default {} */
  readonly gc?: Readonly<Record<string, BigtableGcRule>>;
}

/** Autoscaling of each cluster. */
export interface BigtableAutoscaling {
  readonly minNodes: number;
  readonly maxNodes: number;
  /** CPU utilization target, 10–80 %. */
  readonly cpuTarget: number;
}

/** The event store's tables, as in the seed's Terraform module. */
export const DEFAULT_EVENT_STORE_TABLES: Readonly<Record<string, BigtableTableSpec>> = {
  events: { columnFamilies: ["e"] },
  positions: { columnFamilies: ["p"], gc: { p: { maxVersions: 1 } } },
  snapshots: { columnFamilies: ["s"], gc: { s: { maxVersions: 3 } } },
};
/** Autoscaling bounds: one node handles ~10k writes/s; three absorb bursts. CPU target 60 % is Google's latency-sensitive suggestion. */
export const DEFAULT_BIGTABLE_AUTOSCALING: BigtableAutoscaling = {
  minNodes: 1,
  maxNodes: 3,
  cpuTarget: 60,
};
