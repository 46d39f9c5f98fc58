/**
 * The angzarr application's messaging topology, the same in every seed environment: one "events"
 * topic, a subscription (GCP) or queue (AWS) per consuming app, and each app's workload identity
 * with what it may read, publish and consume. A seed spreads these into its cloud targets; adding
 * a consumer is one edit here.
 *
 * Only angzarr uses the cloud-native store and bus: backend, ai-service and the scheduler talk
 * RabbitMQ and PostgreSQL in the cluster, so they get no cloud identity, subscription or queue
 * (the schema refuses grants and queues no app uses: environments/schema/usage.ts).
 */
import type { AwsTargetInput } from "./schema/aws";
import type { GcpTargetInput } from "./schema/gcp";

/** Pub/Sub: a subscription per consuming app, ordered. */
export const GCP_PUBSUB = {
  topics: { events: {} },
  subscriptions: {
    "angzarr-projector": { topic: "events", messageOrdering: true },
  },
} as const satisfies GcpTargetInput["pubsub"];

export const GCP_WORKLOAD_IDENTITIES = [
  {
    app: "angzarr",
    eventStore: "read-write",
    publishes: ["events"],
    subscribes: ["angzarr-projector"],
  },
] as const satisfies GcpTargetInput["workloadIdentities"];

/** SNS fanning out to an SQS queue per consuming app. */
export const AWS_MESSAGING = {
  topics: [{ name: "events" }],
  consumers: [{ name: "angzarr-projector", topic: "events" }],
} as const satisfies AwsTargetInput["messaging"];

export const AWS_WORKLOAD_IDENTITIES = [
  {
    app: "angzarr",
    eventStore: "read-write",
    publishes: ["events"],
    consumes: ["angzarr-projector"],
  },
] as const satisfies AwsTargetInput["workloadIdentities"];

/**
 * Argo CD delivery of the shared DigitalOcean cluster (prod and staging namespaces): Argo CD
 * renders Strata's charts/ from the infrastructure repository at a tag, and each app's values
 * files from the deploy repository (its team's). Both repositories are private: their credentials
 * are the Secret "angzarr-github" in the argocd namespace (created outside Strata, never in config).
 */
export const ANGZARR_GIT = {
  infra: "https://github.com/angzarr/infrastructure.git",
  deploy: "https://github.com/angzarr/deploy.git",
  credentialsSecretName: "angzarr-github",
} as const;

/** The values source of an app in an environment: deploy/<env>/<app>.yaml at `revision`. */
export function deployValues(env: string, app: string, revision: string) {
  return {
    repoURL: ANGZARR_GIT.deploy,
    targetRevision: revision,
    valueFiles: [`${env}/${app}.yaml`],
  };
}

/** The repositories an environment's AppProject allows. */
export const ANGZARR_REPOSITORIES = [
  { url: ANGZARR_GIT.infra, credentialsSecretName: ANGZARR_GIT.credentialsSecretName },
  { url: ANGZARR_GIT.deploy, credentialsSecretName: ANGZARR_GIT.credentialsSecretName },
];

/** Where angzarr's bus on AWS is not SNS/SQS (dev runs it on Kafka): the event store only. */
export const AWS_EVENT_STORE_IDENTITIES = [
  { app: "angzarr", eventStore: "read-write" },
] as const satisfies AwsTargetInput["workloadIdentities"];
