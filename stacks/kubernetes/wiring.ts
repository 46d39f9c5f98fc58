/**
 * How an application is wired to what it uses, on one cluster: the settings for its ConfigMap,
 * the credentials for its Secret (as references into other Secrets), and the cloud identity its
 * ServiceAccount is annotated with. The one place where the apps layer derives the names the data
 * and messaging layers (Bigtable, DynamoDB, Pub/Sub, SNS/SQS) and the databases and buses layers
 * (in-cluster hosts, Secret names) create.
 */
import { awsEventStoreTableNames } from "../aws/data";
import { awsQueueName, awsTopicName } from "../aws/messaging";
import { gcpSubscriptionName, gcpTopicName } from "../gcp/messaging";
import type { Environment } from "../../environments/schema";
import { choiceOn, type AppSettings, type ConfigCloud } from "../../environments/schema/workloads";
import { contractOf, GENERIC_POSTGRES } from "../../modules/common/app-contracts";
import { clickhouseConnection } from "../../modules/helm/clickhouse";
import { kafkaConnection } from "../../modules/helm/kafka";
import { meilisearchConnection } from "../../modules/helm/meilisearch";
import { postgresqlConnection, type PostgresConnection } from "../../modules/helm/postgresql";
import { postgresqlHaConnection } from "../../modules/helm/postgresql-ha";
import { cnpgConnection } from "../../modules/helm/postgres-cluster";
import { rabbitmqConnection } from "../../modules/helm/rabbitmq";
import { redisConnection } from "../../modules/helm/redis";
import { valkeyConnection } from "../../modules/helm/valkey";
import { awsRoleName, gcpServiceAccountEmail } from "../identity-names";

/** The in-cluster services whose Secrets apps read. */
export type SecretSource =
  "postgresql" | "redis" | "clickhouse" | "meilisearch" | "rabbitmq" | "kafka";

/** A credential variable taken from another release's Secret. */
export interface SecretRef {
  readonly variable: string;
  readonly source: SecretSource;
  readonly secretName: string;
  readonly key: string;
  /** Builds the value from the password (connection URLs); absent: the password itself. */
  readonly format?: (password: string) => string;
}

/** What one application gets on one cloud. */
export interface AppWiring {
  /** Non-sensitive settings: the ConfigMap. */
  readonly settings: Record<string, string>;
  /** Credentials: the Secret, as references. */
  readonly secrets: SecretRef[];
  /** Workload identity for cloud-native stores and buses. */
  readonly identity: { readonly gcpServiceAccount?: string; readonly awsRoleName?: string };
  /** Cloud layers the app needs applied first (`data`, `messaging`). */
  readonly cloudLayers: Array<"data" | "messaging">;
  /** Secret variables generated once at apply time and kept (keys the app must not lose). */
  readonly generated: string[];
}

/**
 * Names of the cloud-native event store and bus an app uses, from the cloud layers' own naming
 * functions and the app's workload identity (what it publishes to and consumes from). The schema
 * guarantees the sections and the identity exist before an app may use them.
 */
export function cloudEventNames(env: Environment, app: string) {
  const gcp = env.targets.gcp;
  const aws = env.targets.aws;
  const gcpIdentity = gcp?.workloadIdentities.find((w) => w.app === app);
  const awsIdentity = aws?.workloadIdentities.find((w) => w.app === app);
  const awsTopic = (name: string | undefined) =>
    aws?.messaging?.topics.find((t) => t.name === name);
  // Sorted: the order of the lists in config changes no setting (nor the config checksum).
  const join = (names: Array<string | undefined>) =>
    names
      .filter((n): n is string => !!n)
      .sort()
      .join(",");
  return {
    bigtableInstance: gcp?.eventStore?.instanceId ?? "",
    bigtableTable: "events",
    pubsubTopics: join((gcpIdentity?.publishes ?? []).map((t) => gcpTopicName(env.name, t))),
    pubsubSubscriptions: join(
      (gcpIdentity?.subscribes ?? []).map((t) => gcpSubscriptionName(env.name, t)),
    ),
    dynamodbTable: awsEventStoreTableNames(env.name).events,
    snsTopics: join(
      (awsIdentity?.publishes ?? []).map((t) =>
        awsTopicName(env.name, t, awsTopic(t)?.fifo ?? false),
      ),
    ),
    sqsQueues: join(
      (awsIdentity?.consumes ?? []).map((c) => {
        const topic = aws?.messaging?.consumers.find((x) => x.name === c)?.topic;
        return awsQueueName(env.name, c, awsTopic(topic)?.fifo ?? false);
      }),
    ),
  };
}

/** Topic/exchange name on the in-cluster buses. */
export const IN_CLUSTER_TOPIC = "events";

/**
 * Where the environment's PostgreSQL is reached: CloudNativePG's primary Service `<release>-rw`
 * (the owner's password in `<release>-credentials`); Bitnami HA through Pgpool.
 */
export function postgresConnectionOf(env: Environment): PostgresConnection | undefined {
  const pg = env.workloads.databases.postgresql;
  if (!pg) return undefined;
  const p = {
    name: pg.releaseName,
    namespace: env.workloads.namespace,
    database: pg.database,
    username: pg.username,
  };
  if (pg.engine !== "bitnami") return cnpgConnection(p);
  return pg.ha ? postgresqlHaConnection(p) : postgresqlConnection(p);
}

/** The wiring of `app` on `cloud`. */
export function appWiring(
  env: Environment,
  name: string,
  app: AppSettings,
  cloud: ConfigCloud,
): AppWiring {
  const w = env.workloads;
  const settings: Record<string, string> = {
    APP_NAME: name,
    ENVIRONMENT: env.name,
    LOG_LEVEL: app.logLevel,
  };
  const secrets: SecretRef[] = [];
  const identity: { gcpServiceAccount?: string; awsRoleName?: string } = {};
  const cloudLayers = new Set<"data" | "messaging">();
  const names = cloudEventNames(env, name);
  const gcp = env.targets.gcp;
  const aws = env.targets.aws;

  // A third-party app gets the variables it documents (modules/common/app-contracts.ts).
  const contract = contractOf(app.image.repository);
  const pgVars = contract?.postgres ?? GENERIC_POSTGRES;
  const usePostgres = () => {
    const pg = postgresConnectionOf(env)!;
    Object.assign(settings, pgVars.settings, {
      [pgVars.host]: pg.host,
      [pgVars.port]: String(pg.port),
      [pgVars.database]: pg.database,
      [pgVars.user]: pg.username,
    });
    if (!secrets.some((s) => s.variable === pgVars.password)) {
      secrets.push({
        variable: pgVars.password,
        source: "postgresql",
        secretName: pg.secretName,
        key: pg.passwordKey,
      });
    }
    return pg;
  };

  const store = choiceOn(app.eventStore, cloud);
  if (store) settings.EVENT_STORE = store;
  switch (store) {
    case "bigtable":
      Object.assign(settings, {
        BIGTABLE_PROJECT: gcp!.project,
        BIGTABLE_INSTANCE: names.bigtableInstance,
        BIGTABLE_TABLE: names.bigtableTable,
      });
      identity.gcpServiceAccount = gcpServiceAccountEmail(env.name, name, gcp!.project);
      cloudLayers.add("data");
      break;
    case "dynamodb":
      Object.assign(settings, { AWS_REGION: aws!.region, DYNAMODB_TABLE: names.dynamodbTable });
      identity.awsRoleName = awsRoleName(env.name, name);
      cloudLayers.add("data");
      break;
    case "postgres":
      usePostgres();
      break;
  }

  const bus = choiceOn(app.bus, cloud);
  if (bus) settings.BUS = bus;
  switch (bus) {
    case "pubsub":
      Object.assign(settings, {
        PUBSUB_PROJECT: gcp!.project,
        PUBSUB_TOPICS: names.pubsubTopics,
        PUBSUB_SUBSCRIPTIONS: names.pubsubSubscriptions,
      });
      identity.gcpServiceAccount = gcpServiceAccountEmail(env.name, name, gcp!.project);
      cloudLayers.add("messaging");
      break;
    case "sns-sqs":
      Object.assign(settings, {
        AWS_REGION: aws!.region,
        SNS_TOPICS: names.snsTopics,
        SQS_QUEUES: names.sqsQueues,
      });
      identity.awsRoleName = awsRoleName(env.name, name);
      cloudLayers.add("messaging");
      break;
    case "rabbitmq": {
      const mq = w.buses.rabbitmq!;
      const c = rabbitmqConnection({ name: mq.releaseName, namespace: w.namespace });
      Object.assign(settings, {
        AMQP_HOST: c.host,
        AMQP_PORT: String(c.port),
        AMQP_USER: c.username,
        AMQP_EXCHANGE: IN_CLUSTER_TOPIC,
      });
      secrets.push(
        {
          variable: "AMQP_PASSWORD",
          source: "rabbitmq",
          secretName: c.secretName,
          key: c.passwordKey,
        },
        {
          variable: "AMQP_URL",
          source: "rabbitmq",
          secretName: c.secretName,
          key: c.passwordKey,
          format: (p) => `amqp://${c.username}:${p}@${c.host}:${c.port}/`,
        },
      );
      break;
    }
    case "kafka": {
      const k = w.buses.kafka!;
      const c = kafkaConnection({ name: k.releaseName, namespace: w.namespace });
      Object.assign(settings, {
        KAFKA_BOOTSTRAP_SERVERS: c.bootstrapServers,
        KAFKA_SECURITY_PROTOCOL: c.securityProtocol,
        KAFKA_SASL_MECHANISM: c.saslMechanism,
        KAFKA_USERNAME: c.username,
        KAFKA_TOPIC: IN_CLUSTER_TOPIC,
      });
      secrets.push({
        variable: "KAFKA_PASSWORD",
        source: "kafka",
        secretName: c.secretName,
        key: c.passwordKey,
      });
      break;
    }
  }

  if (app.database) usePostgres();
  if (app.databaseUrlEnv) {
    const pg = usePostgres();
    secrets.push({
      variable: app.databaseUrlEnv,
      source: "postgresql",
      secretName: pg.secretName,
      key: pg.passwordKey,
      format: (p) => `postgresql://${pg.username}:${p}@${pg.host}:${pg.port}/${pg.database}`,
    });
  }
  if (app.cache) {
    const r = w.databases.redis!;
    const c = (r.engine === "bitnami" ? redisConnection : valkeyConnection)({
      name: r.releaseName,
      namespace: w.namespace,
      sentinel: r.sentinel,
    });
    Object.assign(settings, { REDIS_HOST: c.host, REDIS_PORT: String(c.port) });
    if (c.sentinel) {
      Object.assign(settings, {
        REDIS_SENTINEL_PORT: String(c.sentinel.port),
        REDIS_SENTINEL_MASTER: c.sentinel.masterSet,
      });
    }
    secrets.push({
      variable: "REDIS_PASSWORD",
      source: "redis",
      secretName: c.secretName,
      key: c.passwordKey,
    });
  }
  if (app.analytics) {
    const ch = w.databases.clickhouse!;
    const c = clickhouseConnection({
      name: ch.releaseName,
      namespace: w.namespace,
      username: ch.username,
    });
    Object.assign(settings, {
      CLICKHOUSE_HOST: c.host,
      CLICKHOUSE_PORT: String(c.port),
      CLICKHOUSE_USER: c.username,
    });
    secrets.push({
      variable: "CLICKHOUSE_PASSWORD",
      source: "clickhouse",
      secretName: c.secretName,
      key: c.passwordKey,
    });
  }
  if (app.search) {
    const m = w.databases.meilisearch!;
    const c = meilisearchConnection({ name: m.releaseName, namespace: w.namespace });
    settings.MEILI_HOST = c.url;
    secrets.push({
      variable: "MEILI_MASTER_KEY",
      source: "meilisearch",
      secretName: c.secretName,
      key: c.masterKeyKey,
    });
  }
  Object.assign(settings, app.env);
  return {
    settings,
    secrets,
    identity,
    cloudLayers: [...cloudLayers],
    generated: [...(contract?.generatedSecrets ?? [])],
  };
}
