/**
 * The angzarr application's messaging topology, the same in every seed environment: one "events"
 * topic, a subscription (GCP) or queue (AWS) per consuming app, and each app's workload identity
 * with what it may read, publish and consume. A seed spreads these into its cloud targets; adding
 * a consumer is one edit here.
 */
import type { AwsTargetInput } from "./schema/aws";
import type { GcpTargetInput } from "./schema/gcp";

/** Pub/Sub: a subscription per consuming app, ordered except the AI service's. */
export const GCP_PUBSUB = {
  topics: { events: {} },
  subscriptions: {
    "angzarr-projector": { topic: "events", messageOrdering: true },
    backend: { topic: "events", messageOrdering: true },
    "ai-service": { topic: "events" },
    scheduler: { topic: "events", messageOrdering: true },
  },
} as const satisfies GcpTargetInput["pubsub"];

export const GCP_WORKLOAD_IDENTITIES = [
  {
    app: "angzarr",
    eventStore: "read-write",
    publishes: ["events"],
    subscribes: ["angzarr-projector"],
  },
  { app: "backend", eventStore: "read", subscribes: ["backend"] },
  { app: "ai-service", subscribes: ["ai-service"] },
  { app: "scheduler", publishes: ["events"], subscribes: ["scheduler"] },
] as const satisfies GcpTargetInput["workloadIdentities"];

/** SNS fanning out to an SQS queue per consuming app (the AI service's with a 300 s visibility timeout). */
export const AWS_MESSAGING = {
  topics: [{ name: "events" }],
  consumers: [
    { name: "angzarr-projector", topic: "events" },
    { name: "backend", topic: "events" },
    { name: "ai-service", topic: "events", visibilityTimeoutSeconds: 300 },
    { name: "scheduler", topic: "events" },
  ],
} as const satisfies AwsTargetInput["messaging"];

export const AWS_WORKLOAD_IDENTITIES = [
  {
    app: "angzarr",
    eventStore: "read-write",
    publishes: ["events"],
    consumes: ["angzarr-projector"],
  },
  { app: "backend", eventStore: "read", consumes: ["backend"] },
  { app: "ai-service", consumes: ["ai-service"] },
  { app: "scheduler", publishes: ["events"], consumes: ["scheduler"] },
] as const satisfies AwsTargetInput["workloadIdentities"];
