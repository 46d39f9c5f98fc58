import { DataDigitaloceanDatabaseCa } from "@cdktf/provider-digitalocean/lib/data-digitalocean-database-ca";
import { DataDigitaloceanDatabaseCluster } from "@cdktf/provider-digitalocean/lib/data-digitalocean-database-cluster";
import { DataDigitaloceanDatabaseUser } from "@cdktf/provider-digitalocean/lib/data-digitalocean-database-user";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { checkName, NAME_RULES } from "../common/naming";
import type { ManagedDatabaseEngine } from "./managed-database";

/** Props of {@link ManagedDatabaseSecret}. */
export interface ManagedDatabaseSecretProps {
  /** Name of the `digitalocean_database_cluster` to read (looked up by name, in any stack). */
  readonly clusterName: string;
  /** Engine of that cluster: decides the URI scheme and whether there is a database name. */
  readonly engine: ManagedDatabaseEngine;
  /** Database user whose credentials go in the Secret. @default - the cluster's admin user */
  readonly user?: string;
  /** PostgreSQL database. @default - the cluster's default database (defaultdb) */
  readonly database?: string;
  /** Name of the Kubernetes Secret (charts receive this name, as `existingSecret`). */
  readonly secretName: string;
  /** Namespace of the Secret: the environment's namespace. */
  readonly namespace: string;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Keys of the Secret, for charts and applications. */
export const MANAGED_DATABASE_SECRET_KEYS = {
  host: "host",
  port: "port",
  username: "username",
  password: "password",
  database: "database",
  uri: "uri",
  caCert: "ca.crt",
} as const;

/** URI schemes; Valkey and Kafka speak TLS only on DigitalOcean, PostgreSQL requires sslmode. */
const URI_PREFIX: Readonly<Record<ManagedDatabaseEngine, string | undefined>> = {
  pg: "postgresql",
  valkey: "rediss",
  kafka: undefined,
};

/**
 * A Kubernetes Secret holding the connection details of a DigitalOcean managed database for one
 * user: private host, port, user name, password, database, URI and the cluster's CA certificate.
 * Everything is read at plan time from data sources found by name (`digitalocean_database_cluster`,
 * `digitalocean_database_user`, `digitalocean_database_ca`); the password flows only through
 * Terraform (state is encrypted outside dev), never through config or synthesized JSON.
 */
export class ManagedDatabaseSecret extends Construct {
  readonly secret: SecretV1;
  readonly database: DataDigitaloceanDatabaseCluster;
  readonly user?: DataDigitaloceanDatabaseUser;
  readonly ca: DataDigitaloceanDatabaseCa;

  constructor(scope: Construct, id: string, props: ManagedDatabaseSecretProps) {
    super(scope, id);
    validate(props, this.node.path);

    this.database = new DataDigitaloceanDatabaseCluster(this, "Cluster", {
      name: props.clusterName,
    });
    this.ca = new DataDigitaloceanDatabaseCa(this, "Ca", { clusterId: this.database.id });
    if (props.user !== undefined) {
      this.user = new DataDigitaloceanDatabaseUser(this, "User", {
        clusterId: this.database.id,
        name: props.user,
      });
    }
    const username = this.user ? this.user.name : this.database.user;
    const password = this.user ? this.user.password : this.database.password;
    const host = this.database.privateHost;
    const port = Token.asString(this.database.port);
    const database = props.engine === "pg" ? (props.database ?? this.database.database) : undefined;

    const K = MANAGED_DATABASE_SECRET_KEYS;
    const data: Record<string, string> = {
      [K.host]: host,
      [K.port]: port,
      [K.username]: username,
      [K.password]: password,
      [K.caCert]: this.ca.certificate,
    };
    if (database !== undefined) data[K.database] = database;
    const scheme = URI_PREFIX[props.engine];
    if (scheme) {
      const tail = database !== undefined ? ["/", database, "?sslmode=require"] : [];
      data[K.uri] = Fn.join("", [
        `${scheme}://`,
        username,
        ":",
        password,
        "@",
        host,
        ":",
        port,
        ...tail,
      ]);
    }

    this.secret = new SecretV1(this, "Secret", {
      metadata: {
        name: props.secretName,
        namespace: props.namespace,
        labels: { "app.kubernetes.io/managed-by": "strata", ...(props.labels ?? {}) },
      },
      type: "Opaque",
      data,
    });
  }

  /** Name of the Secret, for a chart's `existingSecret`. */
  get secretName(): string {
    return this.secret.metadata.name;
  }
}

function validate(props: ManagedDatabaseSecretProps, path: string): void {
  const subdomain = {
    what: "Secret name",
    minLength: 1,
    maxLength: 253,
    pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    charset: "lower-case letters, digits, dots and hyphens, starting and ending alphanumeric",
  };
  const problems = [
    checkName(props.secretName, subdomain),
    checkName(props.namespace, { ...NAME_RULES.dnsLabel, what: "namespace" }),
    checkName(props.clusterName, { ...NAME_RULES.digitalocean, what: "database cluster name" }),
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join("; ")}`);
  if (props.database !== undefined && props.engine !== "pg") {
    throw new Error(
      `${path}: database "${props.database}" is set, but only PostgreSQL has databases (engine ${props.engine}); remove it`,
    );
  }
}
