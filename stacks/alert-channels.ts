/**
 * Alert channels of the resolved environment, as each cloud delivers them: the config's channels
 * filtered to the ones a cloud can reach, with their tokens as references to sensitive Terraform
 * variables the stack declares (set with `TF_VAR_<name>` at apply time), never literals.
 */
import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { Environment } from "../environments/schema";
import type { AlertKind, ResolvedChannel } from "../environments/schema/alerts";
import type { AwsAlertChannel } from "../modules/aws/alarms";
import type { DoAlertChannel } from "../modules/digitalocean/monitor-alerts";
import type { GcpChannelSpec } from "../modules/gcp/alert-policies";

/** `${var.<name>}`, declaring the sensitive variable in the scope's stack once. */
export function secretVariable(scope: Construct, name: string, what: string): string {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild(name)) {
    new TerraformVariable(stack, name, {
      type: "string",
      sensitive: true,
      nullable: false,
      description: `${what}. Set TF_VAR_${name} at apply time; it is never written in config or in this file.`,
    });
  }
  return `\${var.${name}}`;
}

/**
 * The environment's channels that receive the severity of at least one of `kinds` (the alerts a
 * stack creates), so no stack declares a channel, topic or token variable nothing uses.
 */
function channelsFor(
  env: Environment,
  kinds: readonly AlertKind[],
): Array<[string, ResolvedChannel]> {
  const severities = new Set(kinds.map((k) => env.alerts.severities[k]));
  return Object.entries(env.alerts.channels).filter(([, c]) =>
    c.severities.some((s) => severities.has(s)),
  );
}

/** The channels Cloud Monitoring notifies, by name. */
export function gcpChannels(
  scope: Construct,
  env: Environment,
  kinds: readonly AlertKind[],
): Record<string, GcpChannelSpec> {
  const out: Record<string, GcpChannelSpec> = {};
  for (const [name, c] of channelsFor(env, kinds)) {
    const severities = c.severities;
    if (c.type === "email") out[name] = { type: "email", address: c.address, severities };
    else if (c.type === "slack" && c.gcpAuthTokenVariable)
      out[name] = {
        type: "slack",
        channel: c.channel,
        authToken: secretVariable(
          scope,
          c.gcpAuthTokenVariable,
          `Slack OAuth token of alert channel ${name}`,
        ),
        severities,
      };
    else if (c.type === "pagerduty" && c.gcpServiceKeyVariable)
      out[name] = {
        type: "pagerduty",
        serviceKey: secretVariable(
          scope,
          c.gcpServiceKeyVariable,
          `PagerDuty integration key of alert channel ${name}`,
        ),
        severities,
      };
  }
  return out;
}

/** The channels CloudWatch alarms notify, by name (Slack is not delivered on AWS). */
export function awsChannels(
  scope: Construct,
  env: Environment,
  kinds: readonly AlertKind[],
): Record<string, AwsAlertChannel> {
  const out: Record<string, AwsAlertChannel> = {};
  for (const [name, c] of channelsFor(env, kinds)) {
    const severities = c.severities;
    if (c.type === "email") out[name] = { type: "email", address: c.address, severities };
    else if (c.type === "sns") out[name] = { type: "sns", topicArn: c.topicArn, severities };
    else if (c.type === "pagerduty" && c.awsIntegrationUrlVariable)
      out[name] = {
        type: "https",
        url: secretVariable(
          scope,
          c.awsIntegrationUrlVariable,
          `PagerDuty CloudWatch integration URL of alert channel ${name}`,
        ),
        severities,
      };
  }
  return out;
}

/** The channels DigitalOcean monitor alerts notify, by name (PagerDuty and SNS are not delivered there). */
export function doChannels(
  scope: Construct,
  env: Environment,
  kinds: readonly AlertKind[],
): Record<string, DoAlertChannel> {
  const out: Record<string, DoAlertChannel> = {};
  for (const [name, c] of channelsFor(env, kinds)) {
    const severities = c.severities;
    if (c.type === "email") out[name] = { type: "email", address: c.address, severities };
    else if (c.type === "slack" && c.doWebhookUrlVariable)
      out[name] = {
        type: "slack",
        channel: c.channel,
        url: secretVariable(
          scope,
          c.doWebhookUrlVariable,
          `Slack webhook URL of alert channel ${name}`,
        ),
        severities,
      };
  }
  return out;
}
