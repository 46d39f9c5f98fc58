/**
 * Schema migrations: Jobs (Helm hooks of charts/migration) that migrate an in-cluster database
 * before the application (or the database release) that declares them, their checks (database
 * used, names unique in the namespace, order acyclic) and their defaults.
 */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import { MAX_TIMEOUT_SECONDS } from "../../modules/helm/kubernetes-values";
import { named, obj } from "./common";
import { choiceOn, EnvVarName, Resources, type ConfigCloud } from "./kube";
import {
  DEFAULT_RELEASE_NAMES,
  IN_CLUSTER_SERVICE_KEYS,
  serviceConfig,
  serviceConfigPath,
} from "./services";
import type { AppConfig } from "./apps";
import type { WorkloadContext, WorkloadsFields } from "./workloads";

type AppFields = z.output<typeof AppConfig>;

/** The databases a migration can migrate (the in-cluster ones, workloads.databases). */
export const MigratedDatabase = z.enum(["postgresql"]);
export type MigratedDatabase = z.infer<typeof MigratedDatabase>;

/** Migration (Job) names: DNS labels short enough to append the image tag. */
export const MIGRATION_NAME_MAX = 40;
const MigrationName = named({
  ...NAME_RULES.dnsLabel,
  what: "migration name",
  maxLength: MIGRATION_NAME_MAX,
});

const IMAGE_TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * A schema migration run as a Kubernetes Job (a Helm pre-install/pre-upgrade hook of
 * charts/migration) before the application that declares it, with the database's credentials.
 */
export const MigrationConfig = obj({
  /**
   * Name, unique in the namespace: the Helm release and the Job's prefix (the Job is
   * `<name>-<image tag>`). `after` refers to it.
   * @default - "<app>-migrate", or "<release>-migrate" for a database's own migration
   */
  name: MigrationName.optional(),
  image: obj({
    repository: z.string().regex(/^[a-z0-9]([a-z0-9._/:-]*[a-z0-9])?$/, {
      error: "migration image repository must look like docker.io/arigaio/atlas",
    }),
    tag: z
      .string({
        error: (i) =>
          i.input === undefined
            ? "a migration image needs a tag: the Job's name follows the tag, so a new tag runs the migration and the same tag does not; pin one like 0.36.0"
            : "migration image tag must be a string like 0.36.0",
      })
      .regex(IMAGE_TAG_RE, { error: "migration image tag must be a Docker tag like 0.36.0" }),
  }),
  /** Entrypoint. `$(VAR)` expands the Job's variables (Kubernetes). @default - the image's */
  command: z.array(z.string()).optional(),
  /** Arguments, e.g. ["migrate", "apply", "--dir", "file:///migrations", "--url", "$(DATABASE_URL)"]. @default - the image's */
  args: z.array(z.string()).optional(),
  /** The database migrated. @default "postgresql" */
  database: MigratedDatabase.optional(),
  /** Variable holding the connection URL; its password comes from the database Secret. @default "DATABASE_URL" */
  urlEnv: EnvVarName.optional(),
  /** Non-sensitive variables. @default {} */
  env: z.record(EnvVarName, z.string()).optional(),
  /** Seconds the Job may run (activeDeadlineSeconds); Helm waits this long plus a margin. @default 600 */
  timeoutSeconds: z
    .number()
    .int()
    .min(1, {
      error: (i) => `migration timeout ${String(i.input)} s is outside 1 s–4 h; use at least 1`,
    })
    .max(MAX_TIMEOUT_SECONDS, {
      error: (i) =>
        `migration timeout ${String(i.input)} s is outside 1 s–4 h (${MAX_TIMEOUT_SECONDS} s); split the migration or raise it to at most ${MAX_TIMEOUT_SECONDS}`,
    })
    .optional(),
  /** Retries of a failed pod before the Job fails (covers a database still starting). @default 2 */
  backoffLimit: z.number().int().min(0).max(10).optional(),
  /** Seconds a finished Job (and its pod's logs) stays before Kubernetes deletes it. @default 86400 */
  ttlSecondsAfterFinished: z.number().int().min(0).max(604800).optional(),
  /** Migrations (by name) that must have run first: applications sharing a database. @default [] */
  after: z.array(MigrationName).optional(),
  /** @default - the workload size's app resources */
  resources: Resources.optional(),
  /** UID the container runs as (non-root). @default 10001 */
  runAsUser: z.number().int().min(1).max(2147483647).optional(),
});
export type MigrationInput = z.input<typeof MigrationConfig>;

/** A declared migration, with the name it resolves to and where it is configured. */
interface DeclaredMigration {
  readonly path: PropertyKey[];
  /** "apps.angzarr" or "databases.postgresql", for messages. */
  readonly owner: string;
  readonly app?: string;
  readonly name: string;
  readonly migration: z.output<typeof MigrationConfig>;
}

/** Default name of an app's migration. */
export function defaultMigrationName(owner: string): string {
  return `${owner}-migrate`;
}

function declaredMigrations(w: WorkloadsFields): DeclaredMigration[] {
  const out: DeclaredMigration[] = [];
  const pg = w.databases?.postgresql;
  if (pg?.migration) {
    out.push({
      path: ["databases", "postgresql", "migration"],
      owner: "databases.postgresql",
      name:
        pg.migration.name ??
        defaultMigrationName(pg.releaseName ?? DEFAULT_RELEASE_NAMES.postgresql),
      migration: pg.migration,
    });
  }
  for (const [app, config] of Object.entries(w.apps ?? {})) {
    if (!config.migration) continue;
    out.push({
      path: ["apps", app, "migration"],
      owner: `apps.${app}`,
      app,
      name: config.migration.name ?? defaultMigrationName(app),
      migration: config.migration,
    });
  }
  return out;
}

/** True when `app` reaches the in-cluster PostgreSQL on `cloud`. */
export function usesPostgres(
  app: Pick<AppFields, "eventStore" | "database" | "databaseUrlEnv">,
  cloud: ConfigCloud,
): boolean {
  return choiceOn(app.eventStore, cloud) === "postgres" || !!app.database || !!app.databaseUrlEnv;
}

/** Migrations: their database exists and is used, tags are pinned, names unique, order acyclic. */
export function checkMigrations(
  w: WorkloadsFields,
  ctx: WorkloadContext,
  issue: (path: PropertyKey[], message: string) => void,
  appCloudsOf: (app: string) => ConfigCloud[],
): void {
  const migrations = declaredMigrations(w);
  if (migrations.length === 0) return;
  const namespace = w.namespace ?? ctx.name;
  const claimed = new Map<string, string>();
  // Release names already taken in the namespace: the applications and the in-cluster services.
  for (const app of Object.keys(w.apps ?? {})) claimed.set(app, `apps.${app}`);
  for (const service of IN_CLUSTER_SERVICE_KEYS) {
    const c = serviceConfig(w, service);
    if (c) claimed.set(c.releaseName ?? DEFAULT_RELEASE_NAMES[service], serviceConfigPath(service));
  }
  for (const m of migrations) {
    const database = m.migration.database ?? "postgresql";
    if (!w.databases?.[database]) {
      issue(
        [...m.path, "database"],
        `${m.owner}'s migration migrates ${database}, which this environment does not have (workloads.databases.${database} is not configured); configure it or remove the migration`,
      );
    } else if (m.app) {
      const app = w.apps![m.app];
      const clouds = appCloudsOf(m.app);
      if (!clouds.some((c) => usesPostgres(app, c))) {
        issue(
          [...m.path, "database"],
          `${m.app}'s migration migrates ${database}, but ${m.app} uses it on none of its clusters [${clouds.join(", ")}]; set database: true, databaseUrlEnv or eventStore: "postgres" on the app, or remove the migration`,
        );
      }
    }
    if (ctx.tier === "prod" && m.migration.image.tag === "latest") {
      issue(
        [...m.path, "image", "tag"],
        `a prod-tier environment cannot run migration image tag "latest" (the Job's name follows the tag, so "latest" never runs a new version, and it cannot be rolled back); pin a version such as 0.36.0`,
      );
    }
    const other = claimed.get(m.name);
    if (other) {
      issue(
        [...m.path, "name"],
        `migration name "${m.name}" is already claimed by ${other} in namespace "${namespace}" (it names a Helm release and the Job); set a different migration name`,
      );
    } else {
      claimed.set(m.name, `${m.owner}.migration`);
    }
  }
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const m of migrations) {
    (m.migration.after ?? []).forEach((dep, i) => {
      if (!byName.has(dep)) {
        issue(
          [...m.path, "after", i],
          `migration "${dep}" is not declared in this environment; known: ${[...byName.keys()].join(", ")}`,
        );
      }
    });
  }
  const cycle = findCycle([...byName.keys()], (n) =>
    (byName.get(n)?.migration.after ?? []).filter((d) => byName.has(d)),
  );
  if (cycle) {
    const first = byName.get(cycle[0])!;
    issue(
      [...first.path, "after"],
      `migration order has a cycle: ${cycle.join(" → ")} (each runs after the next); remove one of these after entries`,
    );
  }
}

/** One dependency cycle among `names` (as a path that returns to its start), or undefined. */
export function findCycle(
  names: readonly string[],
  deps: (name: string) => readonly string[],
): string[] | undefined {
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (n: string): string[] | undefined => {
    const at = visiting.indexOf(n);
    if (at >= 0) return [...visiting.slice(at), n];
    if (done.has(n)) return undefined;
    visiting.push(n);
    for (const d of deps(n)) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(n);
    return undefined;
  };
  for (const n of names) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

/** A migration with its defaults filled in (`owner`: the app or database release it belongs to). */
export function resolveMigration(
  m: z.output<typeof MigrationConfig> | undefined,
  owner: string,
  appResources: Resources,
) {
  return (
    m && {
      ...m,
      name: m.name ?? defaultMigrationName(owner),
      database: m.database ?? ("postgresql" as const),
      urlEnv: m.urlEnv ?? "DATABASE_URL",
      env: m.env ?? {},
      timeoutSeconds: m.timeoutSeconds ?? 600,
      backoffLimit: m.backoffLimit ?? 2,
      ttlSecondsAfterFinished: m.ttlSecondsAfterFinished ?? 86400,
      after: m.after ?? [],
      resources: m.resources ?? appResources,
      runAsUser: m.runAsUser ?? 10001,
    }
  );
}
