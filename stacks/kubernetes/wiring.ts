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
import type { InClusterService } from "../../environments/schema/services";
import type { PostgresConnection } from "../../modules/helm/postgresql";
import { DATA_SERVICES, type SecretRef, type ServiceWiring } from "./services";
export { IN_CLUSTER_TOPIC, type SecretRef } from "./services";
import { awsRoleName, gcpServiceAccountEmail } from "../identity-names";

/** The in-cluster services whose Secrets apps read. */
export type SecretSource = InClusterService;

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

/** Where the environment's PostgreSQL is reached. */
export function postgresConnectionOf(env: Environment): PostgresConnection | undefined {
  const pg = env.workloads.databases.postgresql;
  return pg && DATA_SERVICES.postgresql.connection(pg, env.workloads.namespace);
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
  const use = (wiring: ServiceWiring) => {
    Object.assign(settings, wiring.settings);
    secrets.push(...wiring.secrets);
  };
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
    case "rabbitmq":
      use(DATA_SERVICES.rabbitmq.wire(w.buses.rabbitmq!, w.namespace));
      break;
    case "kafka":
      use(DATA_SERVICES.kafka.wire(w.buses.kafka!, w.namespace));
      break;
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
  if (app.cache) use(DATA_SERVICES.redis.wire(w.databases.redis!, w.namespace));
  if (app.analytics) use(DATA_SERVICES.clickhouse.wire(w.databases.clickhouse!, w.namespace));
  if (app.search) use(DATA_SERVICES.meilisearch.wire(w.databases.meilisearch!, w.namespace));
  Object.assign(settings, app.env);
  return {
    settings,
    secrets,
    identity,
    cloudLayers: [...cloudLayers],
    generated: [...(contract?.generatedSecrets ?? [])],
  };
}
