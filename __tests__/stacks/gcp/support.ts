/** A GCP environment with every layer, for the stack tests. */
import type { EnvironmentInput } from "../../../environments/schema";
import type { GcpTargetInput } from "../../../environments/schema/gcp";
import { testEnv } from "../../support/env";

export const FULL_GCP: GcpTargetInput = {
  project: "strata-test",
  projectNumber: "123456789012",
  region: "europe-west1",
  cluster: {},
  eventStore: { instanceId: "test-events" },
  pubsub: {
    topics: { events: {} },
    subscriptions: { projector: { topic: "events" }, backend: { topic: "events" } },
  },
  workloadIdentities: [
    { app: "angzarr", eventStore: "read-write", publishes: ["events"], subscribes: ["projector"] },
    { app: "backend", eventStore: "read", subscribes: ["backend"] },
  ],
};

/** The resolved test environment with {@link FULL_GCP}, top-level fields overridable. */
export function gcpEnv(
  overrides: Partial<EnvironmentInput> = {},
  gcp: Partial<GcpTargetInput> = {},
) {
  return testEnv({ targets: { gcp: { ...FULL_GCP, ...gcp } }, ...overrides });
}
