import { Construct } from "constructs";
import {
  bitnamiChartRelease,
  bitnamiFullname,
  bitnamiGlobal,
  bitnamiImage,
  bitnamiPersistence,
  bitnamiResources,
  RETAIN_PVCS,
  type BitnamiReleaseProps,
} from "./bitnami";
import type { HelmChartRelease } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import { checkQuantity, checkResources, type ResourceRequirements } from "./kubernetes-values";

/** Props of {@link Postgresql}. */
export interface PostgresqlProps extends BitnamiReleaseProps {
  /** bitnami/postgresql chart version. @default "16.7.27" */
  readonly version?: string;
  /** Database created for the applications. @default "app" */
  readonly database?: string;
  /** Role the applications log in as. @default "app" */
  readonly username?: string;
  /** Volume size. @default "8Gi" */
  readonly storage?: string;
  /** @default - requests 100m / 256Mi, memory limit 512Mi */
  readonly resources?: ResourceRequirements;
}

/** The last 16.x of bitnami/postgresql (2025-08-26). */
export const DEFAULT_POSTGRESQL_VERSION = "16.7.27";
/** Bitnami's `small` preset, roughly. */
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { memory: "512Mi" },
};
/** Key names the chart reads from `auth.existingSecret` (auth.secretKeys.*). */
export const POSTGRESQL_SECRET_KEYS = {
  admin: "postgres-password",
  user: "password",
  replication: "replication-password",
} as const;

/** How applications reach a PostgreSQL release. */
export interface PostgresConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly username: string;
  /** Secret holding the application user's password, and its key. */
  readonly secretName: string;
  readonly passwordKey: string;
}

/**
 * One PostgreSQL server (bitnami/postgresql, `architecture: standalone`) with a generated
 * password Secret, a retained volume and explicit resources.
 */
export class Postgresql extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: PostgresConnection;

  constructor(scope: Construct, id: string, props: PostgresqlProps) {
    super(scope, id);
    const path = this.node.path;
    const storage = props.storage ?? "8Gi";
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkQuantity(path, "storage", storage);
    checkResources(path, "resources", resources);
    const fullname = bitnamiFullname(props.name, "postgresql");
    const database = props.database ?? "app";
    const username = props.username ?? "app";

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: Object.values(POSTGRESQL_SECRET_KEYS),
      labels: props.labels,
    });
    const metrics = props.metrics ?? false;
    const values: PostgresqlValues = {
      global: bitnamiGlobal(props.storageClass),
      commonLabels: { ...props.labels },
      image: bitnamiImage(props.images, "postgresql"),
      volumePermissions: { image: bitnamiImage(props.images, "os-shell") },
      metrics: { enabled: metrics, image: bitnamiImage(props.images, "postgres-exporter") },
      architecture: "standalone",
      auth: {
        username,
        database,
        existingSecret: this.credentials.name,
        secretKeys: {
          adminPasswordKey: POSTGRESQL_SECRET_KEYS.admin,
          userPasswordKey: POSTGRESQL_SECRET_KEYS.user,
          replicationPasswordKey: POSTGRESQL_SECRET_KEYS.replication,
        },
      },
      primary: {
        ...bitnamiResources(resources),
        persistence: bitnamiPersistence(storage, props.storageClass),
        persistentVolumeClaimRetentionPolicy: RETAIN_PVCS,
      },
    };
    this.release = bitnamiChartRelease(
      this,
      "postgresql",
      DEFAULT_POSTGRESQL_VERSION,
      props,
      values,
      [this.credentials.secret],
    );
    this.connection = postgresqlConnection({ ...props, database, username });
  }
}

/** Where a {@link Postgresql} release is reached; the apps layer derives it without the stack. */
export function postgresqlConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly database?: string;
  readonly username?: string;
}): PostgresConnection {
  const fullname = bitnamiFullname(p.name, "postgresql");
  return {
    host: `${fullname}.${p.namespace}.svc.cluster.local`,
    port: 5432,
    database: p.database ?? "app",
    username: p.username ?? "app",
    secretName: `${fullname}-credentials`,
    passwordKey: POSTGRESQL_SECRET_KEYS.user,
  };
}

/** The bitnami/postgresql values Strata sets. */
export interface PostgresqlValues {
  readonly global: ReturnType<typeof bitnamiGlobal>;
  readonly commonLabels: Record<string, string>;
  readonly image: ReturnType<typeof bitnamiImage>;
  readonly volumePermissions: { readonly image: ReturnType<typeof bitnamiImage> };
  readonly metrics: { readonly enabled: boolean; readonly image: ReturnType<typeof bitnamiImage> };
  readonly architecture: "standalone" | "replication";
  readonly auth: {
    readonly username: string;
    readonly database: string;
    readonly existingSecret: string;
    readonly secretKeys: {
      readonly adminPasswordKey: string;
      readonly userPasswordKey: string;
      readonly replicationPasswordKey: string;
    };
  };
  readonly primary: ReturnType<typeof bitnamiResources> & {
    readonly persistence: ReturnType<typeof bitnamiPersistence>;
    readonly persistentVolumeClaimRetentionPolicy: typeof RETAIN_PVCS;
  };
}
