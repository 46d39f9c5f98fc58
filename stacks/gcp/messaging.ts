import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";
import { resourceName } from "../../modules/common/naming";
import { GcpAlerts, subscriptionAlerts } from "../../modules/gcp/alert-policies";
import { serviceAccountPrincipal } from "../../modules/gcp/iam";
import { PubsubBus } from "../../modules/gcp/pubsub-bus";
import { gcpChannels } from "../alert-channels";
import { gcpServiceAccountEmail } from "../identity-names";
import { StrataStack, type StrataStackProps } from "../strata-stack";
import { gcpCmek } from "./keys";
import { googleProvider } from "./provider";

/** Props of {@link GcpMessagingStack}. */
export interface GcpMessagingStackProps extends StrataStackProps {
  readonly target: GcpTargetConfig;
}

/** Physical name of a configured topic: `<env>-<topic>` (the apps layer uses it too). */
export function gcpTopicName(env: string, topic: string): string {
  return resourceName(env, topic);
}

/** Physical name of a configured subscription: `<env>-<subscription>`. */
export function gcpSubscriptionName(env: string, subscription: string): string {
  return resourceName(env, subscription);
}

/**
 * `<env>-gcp-messaging`: the Pub/Sub topics and subscriptions with their dead-letter topics and
 * the Pub/Sub service agent's grants, CMEK with the key ring's `pubsub` key when customer-managed
 * keys are on, and publish/subscribe grants to the applications' service accounts (created by
 * `<env>-gcp-cluster`, found by name). Every subscription has its alerts: a consumer's backlog and
 * oldest unacknowledged message, any message on a dead-letter subscription.
 */
export class GcpMessagingStack extends StrataStack {
  readonly bus: PubsubBus;
  readonly alerts: GcpAlerts;

  constructor(scope: Construct, name: string, props: GcpMessagingStackProps) {
    super(scope, name, props);
    const { env, target } = props;
    const config = target.pubsub;
    if (!config) throw new Error(`${env.name}: GcpMessagingStack needs targets.gcp.pubsub`);
    googleProvider(this, target);
    const topic = (t: string) => gcpTopicName(env.name, t);
    const sub = (s: string) => gcpSubscriptionName(env.name, s);
    const cmek = gcpCmek(env, target, "pubsub");
    this.bus = new PubsubBus(this, "Bus", {
      project: target.project,
      projectNumber: target.projectNumber,
      kmsKeyName: cmek?.kmsKeyName,
      topics: Object.fromEntries(Object.entries(config.topics).map(([n, t]) => [topic(n), t])),
      subscriptions: Object.fromEntries(
        Object.entries(config.subscriptions).map(([n, s]) => [
          sub(n),
          {
            ...s,
            topic: topic(s.topic),
            deadLetter:
              s.deadLetter === false
                ? false
                : {
                    maxDeliveryAttempts: s.deadLetter.maxDeliveryAttempts,
                    topic: s.deadLetter.topic && topic(s.deadLetter.topic),
                  },
          },
        ]),
      ),
    });
    for (const w of target.workloadIdentities) {
      const principal = serviceAccountPrincipal(
        gcpServiceAccountEmail(env.name, w.app, target.project),
      );
      for (const t of w.publishes) this.bus.grantPublish(topic(t), principal);
      for (const s of w.subscribes) this.bus.grantSubscribe(sub(s), principal);
    }
    const { thresholds, severities } = env.alerts;
    this.alerts = new GcpAlerts(this, "Alerts", {
      project: target.project,
      displayPrefix: env.name,
      channels: gcpChannels(this, env, ["backlog", "oldestMessage", "deadLetter"]),
      evaluationMinutes: thresholds.evaluationMinutes,
    });
    const deadLetters = new Set(this.bus.deadLetterSubscriptions);
    for (const name of this.bus.subscriptions.keys()) {
      subscriptionAlerts(this.alerts, name, deadLetters.has(name), {
        backlogMessages: thresholds.backlogMessages,
        oldestMessageSeconds: thresholds.oldestMessageSeconds,
        severities,
      });
    }
  }
}
