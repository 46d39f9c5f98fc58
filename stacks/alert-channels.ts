/**
 * Alert channels of the resolved environment, as each cloud delivers them: the config's channels
 * filtered to the ones a cloud can reach, with their tokens as references — to a secret in the
 * cloud's secret store (a data source read at apply time) or to a sensitive Terraform variable
 * the stack declares (set with `TF_VAR_<name>`) — never literals.
 */
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { DataGoogleSecretManagerSecretVersion } from "@cdktf/provider-google/lib/data-google-secret-manager-secret-version";
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

/** A construct id from a secret id or ARN (ids are state addresses: from the name, sanitized). */
function secretConstructId(prefix: string, secretId: string): string {
  return `${prefix}-${secretId.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
}

/**
 * The latest version of a Secret Manager secret, read at apply time (one data source per secret),
 * named by its full resource name: an id alone in `secret` would read like a literal secret.
 */
export function gcpSecretValue(scope: Construct, project: string, secretId: string): string {
  const stack = TerraformStack.of(scope);
  const name = secretId.startsWith("projects/")
    ? secretId
    : `projects/${project}/secrets/${secretId}`;
  const id = secretConstructId("AlertSecret", secretId.split("/").pop()!);
  const found = stack.node.tryFindChild(id) as DataGoogleSecretManagerSecretVersion | undefined;
  return (found ?? new DataGoogleSecretManagerSecretVersion(stack, id, { secret: name }))
    .secretData;
}

/** The current version of a Secrets Manager secret, read at apply time (one data source per secret). */
export function awsSecretValue(scope: Construct, secretId: string): string {
  const stack = TerraformStack.of(scope);
  const id = secretConstructId("AlertSecret", secretId);
  const found = stack.node.tryFindChild(id) as DataAwsSecretsmanagerSecretVersion | undefined;
  return (found ?? new DataAwsSecretsmanagerSecretVersion(stack, id, { secretId })).secretString;
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
  const project = env.targets.gcp?.project ?? "";
  for (const [name, c] of channelsFor(env, kinds)) {
    const severities = c.severities;
    if (c.type === "email") out[name] = { type: "email", address: c.address, severities };
    else if (c.type === "slack" && (c.gcpAuthTokenSecretId || c.gcpAuthTokenVariable))
      out[name] = {
        type: "slack",
        channel: c.channel,
        authToken: c.gcpAuthTokenSecretId
          ? gcpSecretValue(scope, project, c.gcpAuthTokenSecretId)
          : secretVariable(
              scope,
              c.gcpAuthTokenVariable!,
              `Slack OAuth token of alert channel ${name}`,
            ),
        severities,
      };
    else if (c.type === "pagerduty" && (c.gcpServiceKeySecretId || c.gcpServiceKeyVariable))
      out[name] = {
        type: "pagerduty",
        serviceKey: c.gcpServiceKeySecretId
          ? gcpSecretValue(scope, project, c.gcpServiceKeySecretId)
          : secretVariable(
              scope,
              c.gcpServiceKeyVariable!,
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
    else if (c.type === "pagerduty" && (c.awsIntegrationUrlSecretId || c.awsIntegrationUrlVariable))
      out[name] = {
        type: "https",
        url: c.awsIntegrationUrlSecretId
          ? awsSecretValue(scope, c.awsIntegrationUrlSecretId)
          : secretVariable(
              scope,
              c.awsIntegrationUrlVariable!,
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
