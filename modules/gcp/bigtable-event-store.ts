import { BigtableAppProfile } from "@cdktf/provider-google/lib/bigtable-app-profile";
import { BigtableGcPolicy } from "@cdktf/provider-google/lib/bigtable-gc-policy";
import { BigtableInstance } from "@cdktf/provider-google/lib/bigtable-instance";
import { BigtableInstanceIamMember } from "@cdktf/provider-google/lib/bigtable-instance-iam-member";
import { BigtableTable } from "@cdktf/provider-google/lib/bigtable-table";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { Construct } from "constructs";
import {
  checkKmsKeyName,
  KMS_ENCRYPTER_DECRYPTER,
  serviceAgent,
  type CmekSettings,
  type GcpPrincipal,
} from "./iam";
import {
  DEFAULT_BIGTABLE_AUTOSCALING,
  DEFAULT_EVENT_STORE_TABLES,
  type BigtableAutoscaling,
  type BigtableGcRule,
  type BigtableTableSpec,
} from "./bigtable-defaults";

export * from "./bigtable-defaults";

/** Props of {@link BigtableEventStore}. */
export interface BigtableEventStoreProps {
  readonly project: string;
  /** Region every cluster zone must be in. */
  readonly region: string;
  /** Instance id (6–33 characters, global in the project). */
  readonly instanceId: string;
  /** @default - the instance id */
  readonly displayName?: string;
  /** One cluster per zone; two or more replicate the instance. */
  readonly zones: readonly string[];
  /** @default "SSD" */
  readonly storageType?: "SSD" | "HDD";
  /** Fixed node count per cluster instead of autoscaling. @default - autoscaling */
  readonly nodes?: number;
  /** @default - { minNodes: 1, maxNodes: 3, cpuTarget: 60 } unless nodes is set */
  readonly autoscaling?: BigtableAutoscaling;
  /**
   * Tables and their column families.
   * @default - the event store's: events (e, every version), positions (p, latest 1), snapshots (s, latest 3)
   */
  readonly tables?: Readonly<Record<string, BigtableTableSpec>>;
  /** Change streams on every table, retained this many hours (1–168). @default - off */
  readonly changeStreamRetentionHours?: number;
  /** App profile the applications connect with. @default "applications" */
  readonly appProfileId?: string;
  /**
   * Allow check-and-mutate / read-modify-write through the app profile (single-cluster routing
   * only). @default true
   */
  readonly allowTransactionalWrites?: boolean;
  /** Instance and tables refuse deletion. @default true */
  readonly deletionProtection?: boolean;
  /** CMEK on every cluster; the Bigtable service agent is granted the key. @default - Google-managed keys */
  readonly encryption?: CmekSettings;
  /**
   * Days Bigtable's daily automated backups of every table are kept, 3–90; 0 turns them off
   * (written as "0"/"0", the provider's explicit off).
   * @default 0
   * @see https://cloud.google.com/bigtable/docs/managing-backups
   */
  readonly automatedBackupRetentionDays?: number;
}

const DEFAULT_STORAGE_TYPE = "SSD";
const DEFAULT_APP_PROFILE = "applications";

/** @see https://cloud.google.com/bigtable/docs/reference/admin/rest/v2/projects.instances/create */
const ID_PATTERN = /^[a-z][-a-z0-9]*[a-z0-9]$/;
const FAMILY_PATTERN = /^[-_.a-zA-Z0-9]+$/;
const TABLE_PATTERN = /^[-_.a-zA-Z0-9]+$/;

/**
 * A Bigtable instance holding the event store: one cluster per zone (replicated with two or more),
 * autoscaling or fixed nodes, tables with their column families and GC rules, optional change
 * streams and CMEK, deletion protection, and an app profile with single-cluster routing so writes
 * to one aggregate are ordered. Grants: {@link grantReadWrite}, {@link grantRead}.
 */
export class BigtableEventStore extends Construct {
  readonly instance: BigtableInstance;
  readonly tables: ReadonlyMap<string, BigtableTable>;
  readonly gcPolicies: readonly BigtableGcPolicy[];
  readonly appProfile: BigtableAppProfile;
  readonly instanceId: string;
  /** Cluster ids, in zone order: `<instanceId>-<zone letter>`. */
  readonly clusterIds: readonly string[];
  readonly replicated: boolean;
  readonly deletionProtection: boolean;
  /** The key grant to the Bigtable service agent, with CMEK. */
  readonly keyGrant?: KmsCryptoKeyIamMember;
  private readonly project: string;

  constructor(scope: Construct, id: string, props: BigtableEventStoreProps) {
    super(scope, id);
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    this.project = props.project;
    this.instanceId = props.instanceId;
    this.deletionProtection = props.deletionProtection ?? true;
    const tables = props.tables ?? DEFAULT_EVENT_STORE_TABLES;
    const autoscaling =
      props.nodes === undefined ? (props.autoscaling ?? DEFAULT_BIGTABLE_AUTOSCALING) : undefined;
    const appProfileId = props.appProfileId ?? DEFAULT_APP_PROFILE;

    checkId(props.instanceId, "instanceId", 6, 33, fail);
    if (props.zones.length === 0) fail("zones must name at least one zone (one cluster per zone)");
    if (props.zones.length > 8)
      fail(`zones lists ${props.zones.length} zones; an instance has at most 8 clusters`);
    if (new Set(props.zones).size !== props.zones.length)
      fail(`zones lists a zone twice: ${props.zones.join(", ")}`);
    props.zones.forEach((zone, i) => {
      if (!zone.startsWith(`${props.region}-`)) {
        fail(
          `zones[${i}] ${zone} is not in region ${props.region}; use ${props.region}-a, ${props.region}-b, …`,
        );
      }
    });
    this.clusterIds = props.zones.map((zone) => `${props.instanceId}-${zone.split("-").pop()}`);
    this.clusterIds.forEach((cid) =>
      checkId(cid, "cluster id (<instanceId>-<zone letter>)", 6, 30, fail, "shorten instanceId"),
    );
    this.replicated = props.zones.length > 1;
    if (props.nodes !== undefined && props.autoscaling !== undefined) {
      fail("set either nodes (fixed) or autoscaling, not both");
    }
    if (props.nodes !== undefined && (!Number.isInteger(props.nodes) || props.nodes < 1)) {
      fail(`nodes (${props.nodes}) must be a whole number >= 1`);
    }
    if (autoscaling) {
      if (autoscaling.minNodes < 1)
        fail(`autoscaling.minNodes (${autoscaling.minNodes}) must be >= 1`);
      if (autoscaling.minNodes > autoscaling.maxNodes) {
        fail(
          `autoscaling.minNodes (${autoscaling.minNodes}) must be <= autoscaling.maxNodes (${autoscaling.maxNodes}); raise maxNodes or lower minNodes`,
        );
      }
      if (autoscaling.cpuTarget < 10 || autoscaling.cpuTarget > 80) {
        fail(
          `autoscaling.cpuTarget (${autoscaling.cpuTarget}) must be between 10 and 80 (percent CPU)`,
        );
      }
    }
    if (
      props.changeStreamRetentionHours !== undefined &&
      (props.changeStreamRetentionHours < 1 || props.changeStreamRetentionHours > 168)
    ) {
      fail(
        `changeStreamRetentionHours (${props.changeStreamRetentionHours}) must be between 1 and 168 (7 days)`,
      );
    }
    checkTables(tables, fail);
    if (props.encryption) {
      const keyProblem = checkKmsKeyName(props.encryption.kmsKeyName);
      if (keyProblem) fail(`encryption.${keyProblem}`);
    }
    checkId(appProfileId, "appProfileId", 1, 50, fail);
    const backupDays = props.automatedBackupRetentionDays ?? 0;
    if (
      !Number.isInteger(backupDays) ||
      (backupDays !== 0 && (backupDays < 3 || backupDays > 90))
    ) {
      fail(
        `automatedBackupRetentionDays (${backupDays}) must be 0 (off) or between 3 and 90 (Bigtable's automated backup limits)`,
      );
    }

    if (props.encryption) {
      this.keyGrant = new KmsCryptoKeyIamMember(this, "KeyGrant", {
        cryptoKeyId: props.encryption.kmsKeyName,
        role: KMS_ENCRYPTER_DECRYPTER,
        member: serviceAgent(props.encryption.projectNumber, "bigtable").member,
      });
    }

    this.instance = new BigtableInstance(this, "Instance", {
      project: props.project,
      name: props.instanceId,
      displayName: props.displayName ?? props.instanceId,
      deletionProtection: this.deletionProtection,
      cluster: props.zones.map((zone, i) => ({
        clusterId: this.clusterIds[i],
        zone,
        storageType: props.storageType ?? DEFAULT_STORAGE_TYPE,
        ...(autoscaling
          ? {
              autoscalingConfig: {
                minNodes: autoscaling.minNodes,
                maxNodes: autoscaling.maxNodes,
                cpuTarget: autoscaling.cpuTarget,
              },
            }
          : { numNodes: props.nodes }),
        ...(props.encryption ? { kmsKeyName: props.encryption.kmsKeyName } : {}),
      })),
      dependsOn: this.keyGrant ? [this.keyGrant] : undefined,
    });

    const tableResources = new Map<string, BigtableTable>();
    const policies: BigtableGcPolicy[] = [];
    for (const [name, spec] of Object.entries(tables)) {
      const table = new BigtableTable(this, `Table-${name}`, {
        project: props.project,
        instanceName: this.instance.name,
        name,
        columnFamily: spec.columnFamilies.map((family) => ({ family })),
        deletionProtection: this.deletionProtection ? "PROTECTED" : "UNPROTECTED",
        // Written as the provider reads them back (time.Duration.String(), "72h0m0s"), so plans
        // show no change; "0"/"0" is the documented explicit off (google 6.50.0
        // resource_bigtable_table.go L150-173, L221-227, L432-433). Daily is the only frequency.
        automatedBackupPolicy:
          backupDays > 0
            ? { retentionPeriod: `${backupDays * 24}h0m0s`, frequency: "24h0m0s" }
            : { retentionPeriod: "0", frequency: "0" },
        ...(props.changeStreamRetentionHours !== undefined
          ? // Written as the provider reads it back (Go's time.Duration.String(): "24h0m0s"); the
            // attribute has no diff suppression, so "24h" would show a change on every plan
            // (google 6.50.0 resource_bigtable_table.go L142-148, L423).
            { changeStreamRetention: `${props.changeStreamRetentionHours}h0m0s` }
          : {}),
      });
      tableResources.set(name, table);
      for (const [family, rule] of Object.entries(spec.gc ?? {})) {
        policies.push(
          new BigtableGcPolicy(this, `Gc-${name}-${family}`, {
            project: props.project,
            instanceName: this.instance.name,
            table: table.name,
            columnFamily: family,
            // gc_rules JSON, not max_version/max_age blocks: those drift (provider docs warning).
            gcRules: gcRulesJson(rule),
            // A replicated table's GC policy cannot be deleted, only abandoned with its table.
            ...(this.replicated ? { deletionPolicy: "ABANDON" } : {}),
          }),
        );
      }
    }
    this.tables = tableResources;
    this.gcPolicies = policies;

    this.appProfile = new BigtableAppProfile(this, "AppProfile", {
      project: props.project,
      instance: this.instance.name,
      appProfileId,
      description: "Applications: single-cluster routing keeps writes to one aggregate ordered.",
      singleClusterRouting: {
        clusterId: this.clusterIds[0],
        allowTransactionalWrites: props.allowTransactionalWrites ?? true,
      },
      // Single-cluster routing on a replicated instance raises a warning the API must be told to accept.
      ignoreWarnings: true,
    });
  }

  /** Read and write data in every table (`roles/bigtable.user` on this instance only). */
  grantReadWrite(principal: GcpPrincipal): BigtableInstanceIamMember {
    return this.grant("roles/bigtable.user", `ReadWrite-${principal.key}`, principal);
  }

  /** Read data in every table (`roles/bigtable.reader` on this instance only). */
  grantRead(principal: GcpPrincipal): BigtableInstanceIamMember {
    return this.grant("roles/bigtable.reader", `Read-${principal.key}`, principal);
  }

  private grant(role: string, id: string, principal: GcpPrincipal): BigtableInstanceIamMember {
    return new BigtableInstanceIamMember(this, id, {
      project: this.project,
      instance: this.instance.name,
      role,
      member: principal.member,
    });
  }
}

function gcRulesJson(rule: BigtableGcRule): string {
  const rules: Array<Record<string, unknown>> = [];
  if (rule.maxVersions !== undefined) rules.push({ max_version: rule.maxVersions });
  if (rule.maxAgeDays !== undefined) rules.push({ max_age: `${rule.maxAgeDays * 24}h` });
  return JSON.stringify(rules.length > 1 ? { mode: "union", rules } : { rules });
}

function checkId(
  value: string,
  what: string,
  min: number,
  max: number,
  fail: (m: string) => never,
  fix = `use ${min}–${max} lower-case letters, digits and hyphens`,
): void {
  if (value.length < min || value.length > max) {
    fail(`${what} "${value}" is ${value.length} characters; it must be ${min}–${max} (${fix})`);
  }
  if (!ID_PATTERN.test(value)) {
    fail(
      `${what} "${value}" may contain only lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    );
  }
}

function checkTables(
  tables: Readonly<Record<string, BigtableTableSpec>>,
  fail: (m: string) => never,
): void {
  if (Object.keys(tables).length === 0) fail("tables must define at least one table");
  for (const [name, spec] of Object.entries(tables)) {
    if (!TABLE_PATTERN.test(name) || name.length > 50) {
      fail(`table name "${name}" may contain only letters, digits, _ - . (at most 50)`);
    }
    if (spec.columnFamilies.length === 0)
      fail(`tables.${name}.columnFamilies must name at least one family`);
    const families = new Set<string>();
    for (const family of spec.columnFamilies) {
      if (!FAMILY_PATTERN.test(family) || family.length > 64) {
        fail(
          `tables.${name}: column family "${family}" may contain only letters, digits, _ - . (at most 64)`,
        );
      }
      if (families.has(family)) fail(`tables.${name}: column family "${family}" is listed twice`);
      families.add(family);
    }
    for (const [family, rule] of Object.entries(spec.gc ?? {})) {
      if (!families.has(family)) {
        fail(
          `tables.${name}.gc names column family "${family}", which the table does not define (families: ${spec.columnFamilies.join(", ")}); add it to columnFamilies or remove the rule`,
        );
      }
      if (rule.maxVersions === undefined && rule.maxAgeDays === undefined) {
        fail(
          `tables.${name}.gc.${family} sets no rule; set maxVersions or maxAgeDays, or remove it to keep every version`,
        );
      }
      if (
        rule.maxVersions !== undefined &&
        (!Number.isInteger(rule.maxVersions) || rule.maxVersions < 1)
      ) {
        fail(
          `tables.${name}.gc.${family}.maxVersions (${rule.maxVersions}) must be a whole number >= 1`,
        );
      }
      if (
        rule.maxAgeDays !== undefined &&
        (!Number.isInteger(rule.maxAgeDays) || rule.maxAgeDays < 1)
      ) {
        fail(
          `tables.${name}.gc.${family}.maxAgeDays (${rule.maxAgeDays}) must be a whole number >= 1`,
        );
      }
    }
  }
}
