import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { isSecretKey, secretValueKind } from "../common/secrets";
import { HelmChartRelease, type ChartSource } from "./chart-release";
import {
  checkMinimum,
  checkResources,
  MAX_TIMEOUT_SECONDS,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";
import type { PostgresConnection } from "./postgresql";

/** Props of {@link DatabaseMigration}. */
export interface DatabaseMigrationProps {
  /** Migration name: the Helm release and the Job's prefix; unique in the namespace, ≤ 40 characters. */
  readonly name: string;
  readonly namespace: string;
  /**
   * A chart implementing charts/migration's values (shipped as an asset). Absent when Argo CD
   * runs the Job (a PreSync hook of the app's Application) with {@link DatabaseMigration.values}.
   * @default - no helm_release
   */
  readonly chart?: ChartSource;
  /** The image; the Job's name follows its tag. */
  readonly image: { readonly repository: string; readonly tag: string };
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's arguments */
  readonly args?: readonly string[];
  /** The database migrated: its host and the Secret holding its password. */
  readonly connection: PostgresConnection;
  /** Variable with the connection URL (password expanded from DB_PASSWORD by Kubernetes). @default "DATABASE_URL" */
  readonly urlEnv?: string;
  /** Non-sensitive variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds the Job may run (activeDeadlineSeconds), 1 s–4 h. @default 600 */
  readonly timeoutSeconds?: number;
  /** Pod retries before the Job fails. @default 2 */
  readonly backoffLimit?: number;
  /** Seconds a finished Job stays for inspection. @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
  /** @default - requests 50m / 128Mi, memory limit 256Mi */
  readonly resources?: ResourceRequirements;
  /** @default 10001 */
  readonly runAsUser?: number;
  /** @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Releases that must be in place first (the migrations this one runs after). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** Migration names leave room for `-<tag>` in a 63-character Job name. */
export const MAX_MIGRATION_NAME = 40;
/** Kubernetes object names (DNS labels). */
const MAX_JOB_NAME = 63;
/** Long enough for an Atlas or Flyway run against a small schema; long ones set their own. */
export const DEFAULT_MIGRATION_TIMEOUT_SECONDS = 600;
/** A couple of retries cover a database that is still starting; more would hide a broken migration. */
export const DEFAULT_BACKOFF_LIMIT = 2;
/** A day to read the logs of a finished migration; then the TTL controller removes Job and pod. */
export const DEFAULT_TTL_SECONDS_AFTER_FINISHED = 86_400;
/** Helm waits this much longer than the Job's deadline: scheduling and image pulls come first. */
export const HOOK_MARGIN_SECONDS = 120;
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { memory: "256Mi" },
};
const DEFAULT_RUN_AS_USER = 10001;

/**
 * The Job's name: `<name>-<tag>` (the tag lower-cased, other characters as `-`), or
 * `<name>-<hash of the tag>` when that is too long or empty. A new tag is a new Job.
 */
export function migrationJobName(name: string, tag: string): string {
  const slug = tag
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const readable = `${name}-${slug}`;
  if (slug !== "" && readable.length <= MAX_JOB_NAME) return readable;
  return `${name}-${createHash("sha256").update(tag).digest("hex").slice(0, 10)}`;
}

/** One variable of the Job: a setting, or a key of a Secret. */
export type MigrationEnvVar =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly secretKeyRef: { readonly name: string; readonly key: string };
    };

/** The values of charts/migration (its values.schema.json is the authority). */
export interface MigrationChartValues {
  readonly jobName: string;
  readonly image: { readonly repository: string; readonly tag: string };
  readonly command: string[];
  readonly args: string[];
  readonly env: MigrationEnvVar[];
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly ttlSecondsAfterFinished: number;
  readonly resources: ResourceRequirements;
  readonly securityContext: {
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
  };
  readonly writablePaths: string[];
  readonly commonLabels: Record<string, string>;
}

/**
 * A schema migration: a release of charts/migration whose only object is a pre-install/pre-upgrade
 * hook Job. The release changes (and the Job runs) only when the migration's values change, e.g.
 * its tag; the Job reads the database password from the database's own Secret (secretKeyRef), so
 * no credential passes through Terraform; non-root, read-only root filesystem, bounded run time,
 * removed by TTL after it finishes. Make the application's release depend on {@link release}.
 */
export class DatabaseMigration extends Construct {
  /** The helm_release; absent when Argo CD runs the migration (no `chart`). */
  readonly release?: HelmChartRelease;
  readonly jobName: string;
  readonly values: MigrationChartValues;

  constructor(scope: Construct, id: string, props: DatabaseMigrationProps) {
    super(scope, id);
    const path = this.node.path;
    if (props.name.length > MAX_MIGRATION_NAME) {
      throw new Error(
        `${path}: name "${props.name}" is ${props.name.length} characters; at most ${MAX_MIGRATION_NAME} leaves room for the image tag in the Job's name`,
      );
    }
    if (props.image.tag === "") {
      throw new Error(
        `${path}: image.tag is empty; pin a version (the Job's name follows the tag, so a new tag runs the migration again)`,
      );
    }
    const timeout = props.timeoutSeconds ?? DEFAULT_MIGRATION_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
      throw new Error(
        `${path}: timeoutSeconds (${timeout}) must be an integer from 1 to ${MAX_TIMEOUT_SECONDS} (4 h)`,
      );
    }
    const backoffLimit = props.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
    checkMinimum(path, "backoffLimit", backoffLimit, 0, "it counts retries");
    const ttl = props.ttlSecondsAfterFinished ?? DEFAULT_TTL_SECONDS_AFTER_FINISHED;
    checkMinimum(path, "ttlSecondsAfterFinished", ttl, 0, "it counts seconds");
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkResources(path, "resources", resources);
    const urlEnv = props.urlEnv ?? "DATABASE_URL";
    for (const [key, value] of Object.entries(props.env ?? {})) {
      const kind = secretValueKind(value);
      if (isSecretKey(key) || kind) {
        throw new Error(
          `${path}: env.${key} ${kind ? `looks like ${kind}` : "names a credential"}; the Job's credentials come from the database Secret only`,
        );
      }
    }

    const c = props.connection;
    const env: MigrationEnvVar[] = [
      { name: "DB_HOST", value: c.host },
      { name: "DB_PORT", value: String(c.port) },
      { name: "DB_NAME", value: c.database },
      { name: "DB_USER", value: c.username },
      { name: "DB_PASSWORD", secretKeyRef: { name: c.secretName, key: c.passwordKey } },
      // Kubernetes expands $(VAR) from the variables above, in the pod: the password never
      // appears in values, state or cdktf.out. The in-cluster PostgreSQL serves no TLS.
      {
        name: urlEnv,
        value:
          "postgres://$(DB_USER):$(DB_PASSWORD)@$(DB_HOST):$(DB_PORT)/$(DB_NAME)?sslmode=disable",
      },
      ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
    ];
    this.jobName = migrationJobName(props.name, props.image.tag);
    const uid = props.runAsUser ?? DEFAULT_RUN_AS_USER;
    this.values = {
      jobName: this.jobName,
      image: { repository: props.image.repository, tag: props.image.tag },
      command: [...(props.command ?? [])],
      args: [...(props.args ?? [])],
      env,
      backoffLimit,
      activeDeadlineSeconds: timeout,
      ttlSecondsAfterFinished: ttl,
      resources,
      securityContext: { runAsUser: uid, runAsGroup: uid, fsGroup: uid },
      writablePaths: ["/tmp"],
      commonLabels: { ...props.labels },
    };
    if (!props.chart) return;
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name,
      namespace: props.namespace,
      chart: props.chart,
      values: this.values,
      // Helm waits for the hook: the Job's deadline plus time to schedule it and pull the image.
      timeoutSeconds: Math.min(MAX_TIMEOUT_SECONDS, Math.max(60, timeout + HOOK_MARGIN_SECONDS)),
      maxHistory: props.maxHistory,
      dependsOn: props.dependsOn,
    });
  }
}
