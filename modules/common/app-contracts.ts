/**
 * App contracts: how a third-party application the seeds run reads its configuration, from the
 * app's own documentation and source (facts/apps/<app>.json). An app whose image matches a
 * contract gets the variables it documents, not Strata's generic ones, and the secrets it needs
 * stable across restarts. Loads no cdktf (the environment schema uses it).
 */

/** The variable names an app reads its PostgreSQL connection from. */
export interface PostgresVariables {
  /** Fixed settings that select PostgreSQL (`DB_TYPE=postgresdb`). */
  readonly settings: Readonly<Record<string, string>>;
  readonly host: string;
  readonly port: string;
  readonly database: string;
  readonly user: string;
  /** Read from the app's Secret. */
  readonly password: string;
}

/** Strata's own names, for apps without a contract (documented in the README's wiring table). */
export const GENERIC_POSTGRES: PostgresVariables = {
  settings: {},
  host: "DB_HOST",
  port: "DB_PORT",
  database: "DB_NAME",
  user: "DB_USER",
  password: "DB_PASSWORD",
};

/** One app's contract. */
export interface AppContract {
  readonly app: string;
  /** Image repositories that run this app (with and without the registry host). */
  readonly images: readonly string[];
  /** The facts file with each variable's citation. */
  readonly facts: string;
  readonly postgres?: PostgresVariables;
  /**
   * Variables holding a key the app must keep across restarts: generated once at apply time,
   * kept in the app's Secret. Without one the app makes a new key at each start.
   */
  readonly generatedSecrets: readonly string[];
  /** What the app does not read, with the fix, for a config that relies on it. */
  readonly unsupported: Readonly<Partial<Record<"databaseUrlEnv", string>>>;
  /** Defaults where the app's image differs from Strata's (port, probe, user, writable paths). */
  readonly defaults: {
    readonly port: number;
    readonly healthPath: string;
    readonly runAsUser: number;
    readonly writablePaths: readonly string[];
  };
}

export const APP_CONTRACTS: readonly AppContract[] = [
  {
    app: "n8n",
    images: ["docker.io/n8nio/n8n", "n8nio/n8n", "docker.n8n.io/n8nio/n8n"],
    facts: "facts/apps/n8n.json",
    // DB_TYPE=postgresdb and DB_POSTGRESDB_*; n8n reads neither DB_HOST nor DATABASE_URL.
    postgres: {
      settings: { DB_TYPE: "postgresdb" },
      host: "DB_POSTGRESDB_HOST",
      port: "DB_POSTGRESDB_PORT",
      database: "DB_POSTGRESDB_DATABASE",
      user: "DB_POSTGRESDB_USER",
      password: "DB_POSTGRESDB_PASSWORD",
    },
    // Unset, n8n writes a new key to ~/.n8n/config (an emptyDir here) at each start, and the
    // credentials it stored with the old one become unreadable.
    generatedSecrets: ["N8N_ENCRYPTION_KEY"],
    unsupported: {
      databaseUrlEnv:
        "n8n does not read a connection URL (facts/apps/n8n.json); remove databaseUrlEnv and set database: true, and Strata sets DB_TYPE and DB_POSTGRESDB_*",
    },
    // Port 5678, /healthz on the main instance, user node (1000); ~/.n8n and ~/.cache (n8n
    // writes its generated frontend types there at start and exits when it cannot) writable.
    // Read at n8n 2.41.3: unchanged from 1.98.1.
    defaults: {
      port: 5678,
      healthPath: "/healthz",
      runAsUser: 1000,
      writablePaths: ["/home/node/.n8n", "/home/node/.cache", "/tmp"],
    },
  },
];

/** The contract of an image repository, if it runs a third-party app Strata knows. */
export function contractOf(repository: string): AppContract | undefined {
  return APP_CONTRACTS.find((c) => c.images.includes(repository));
}

/** Every variable a contract sets itself (an app's own env may not set these). */
export function contractVariables(c: AppContract): string[] {
  return [
    ...Object.keys(c.postgres?.settings ?? {}),
    ...(c.postgres
      ? [
          c.postgres.host,
          c.postgres.port,
          c.postgres.database,
          c.postgres.user,
          c.postgres.password,
        ]
      : []),
    ...c.generatedSecrets,
  ];
}
