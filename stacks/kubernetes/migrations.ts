/**
 * Which schema migrations run on a cluster, and in what order: a database's own migration first,
 * then the applications' migrations of it, each after the ones it names in `after`.
 */
import type { Environment } from "../../environments/schema";
import {
  usesPostgres,
  type ConfigCloud,
  type MigrationSettings,
} from "../../environments/schema/workloads";

/** A migration placed on one cluster. */
export interface PlacedMigration {
  readonly name: string;
  /** The application it runs before; absent for a database's own migration. */
  readonly app?: string;
  readonly settings: MigrationSettings;
  /** Migrations on this cluster that must have completed first (names). */
  readonly after: readonly string[];
}

/**
 * The migrations that run on `cloud`, in apply order: a database's own migration where the database
 * is installed; an application's where the application runs and uses the database. The schema
 * guarantees names are unique and `after` has no cycle.
 */
export function migrationsOn(env: Environment, cloud: ConfigCloud): PlacedMigration[] {
  const w = env.workloads;
  const pg = w.databases.postgresql;
  if (!pg?.clouds.includes(cloud)) return [];
  const declared: Array<{ name: string; app?: string; settings: MigrationSettings }> = [];
  if (pg.migration) declared.push({ name: pg.migration.name, settings: pg.migration });
  for (const [app, a] of Object.entries(w.apps)) {
    if (a.migration && a.clouds.includes(cloud) && usesPostgres(a, cloud)) {
      declared.push({ name: a.migration.name, app, settings: a.migration });
    }
  }
  const here = new Set(declared.map((m) => m.name));
  const own = pg.migration?.name;
  const withOrder = declared.map((m) => ({
    ...m,
    // The database's own migration runs before every application's migration of it.
    after: [...(own && m.name !== own ? [own] : []), ...m.settings.after].filter(
      (d, i, all) => here.has(d) && all.indexOf(d) === i,
    ),
  }));
  // Depth-first in declaration order: each migration after everything it names.
  const ordered: PlacedMigration[] = [];
  const byName = new Map(withOrder.map((m) => [m.name, m]));
  const visiting = new Set<string>();
  const visit = (m: PlacedMigration) => {
    if (ordered.includes(m)) return;
    if (visiting.has(m.name)) {
      throw new Error(
        `${env.name}: migration order has a cycle through "${m.name}" (the schema should have caught this)`,
      );
    }
    visiting.add(m.name);
    for (const d of m.after) visit(byName.get(d)!);
    ordered.push(m);
  };
  withOrder.forEach(visit);
  return ordered;
}
