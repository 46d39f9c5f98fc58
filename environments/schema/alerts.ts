/**
 * Alerts and backups: where an environment's alarms go (channels), when they fire (thresholds),
 * how loud they are (severities), and how long cloud backups are kept — each with a tier default.
 * Stacks turn the resolved form into Cloud Monitoring alert policies, CloudWatch alarms and
 * DigitalOcean monitor alerts next to the resources they watch (docs/alerts-and-backups.md).
 *
 * A channel that carries a token (Slack, PagerDuty) names where it is kept, never the token: a
 * secret in the cloud's secret store (`…SecretId`, read by a data source at apply time) or a
 * Terraform variable (`…Variable`, declared `sensitive` in each stack that notifies it and set
 * with `TF_VAR_<name>`). The token never reaches config or synthesized JSON. The literal-secret check of
 * the raw input (environments/schema.ts checkRaw, modules/common/secrets.ts) refuses a pasted
 * webhook URL or token anywhere in the file.
 */
import { z } from "zod";
import { obj, type Tier } from "./common";

/** How loud an alert is: `critical` pages, `warning` is looked at in working hours. */
export const Severity = z.enum(["critical", "warning"]);
export type Severity = z.infer<typeof Severity>;

/** What Strata alerts on (docs/alerts-and-backups.md lists each cloud's metric). */
export const ALERT_KINDS = [
  "backlog",
  "oldestMessage",
  "deadLetter",
  "deliveryFailures",
  "storeCapacity",
  "storeErrors",
  "nodeCapacity",
  "backupAge",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A Terraform variable name (`TF_VAR_<name>` at apply time). */
const VariableName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not a Terraform variable name: lower-case letters, digits and underscores, starting with a letter (set it with TF_VAR_<name> at apply time)`,
});

const Severities = z.array(Severity).min(1).optional();

/** A Secret Manager secret: its id in the environment's project, or `projects/<p>/secrets/<id>`. */
const GcpSecretId = z
  .string()
  .regex(/^(projects\/[a-z0-9-]{6,30}\/secrets\/)?[A-Za-z0-9_-]{1,255}$/, {
    error: (i) =>
      `${JSON.stringify(i.input)} is not a Secret Manager secret id: letters, digits, _ and - (or projects/<project>/secrets/<id>)`,
  });

/** A Secrets Manager secret: its name or ARN. */
const AwsSecretId = z
  .string()
  .regex(/^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/, {
    error: (i) => `${JSON.stringify(i.input)} is not a Secrets Manager secret name or ARN`,
  });

/** An email address (GCP email channel, SNS email subscription, DigitalOcean alert email). */
const EmailChannel = obj({
  type: z.literal("email"),
  address: z.email({ error: "address must be an email address, like oncall@example.com" }),
  /** Severities this channel receives. @default ["critical", "warning"] */
  severities: Severities,
});

/**
 * Slack: on GCP a Slack notification channel (the Slack app's OAuth token from
 * `gcpAuthTokenSecretId` or `gcpAuthTokenVariable`), on DigitalOcean the alert's Slack webhook
 * (`doWebhookUrlVariable`).
 * Not delivered on AWS (SNS cannot confirm a Slack webhook subscription; use AWS Chatbot).
 */
const SlackChannel = obj({
  type: z.literal("slack"),
  /** The Slack channel, like `#prod-alerts`. */
  channel: z.string().regex(/^#[a-z0-9_-]{1,80}$/, {
    error: 'channel must be a Slack channel name like "#prod-alerts"',
  }),
  /** Secret Manager secret (id in the environment's project) holding the Slack app's OAuth token (GCP). @default - not delivered on GCP */
  gcpAuthTokenSecretId: GcpSecretId.optional(),
  /** Terraform variable holding the Slack app's OAuth token (GCP), instead of gcpAuthTokenSecretId. @default - not delivered on GCP */
  gcpAuthTokenVariable: VariableName.optional(),
  /** Terraform variable holding the Slack incoming-webhook URL (DigitalOcean has no secret store). @default - not delivered on DigitalOcean */
  doWebhookUrlVariable: VariableName.optional(),
  /** @default ["critical", "warning"] */
  severities: Severities,
});

/**
 * PagerDuty: on GCP a PagerDuty channel (the service's integration key from
 * `gcpServiceKeySecretId` or `gcpServiceKeyVariable`), on AWS an HTTPS subscription of the alerts
 * topic to the PagerDuty CloudWatch integration URL (`awsIntegrationUrlSecretId` or
 * `awsIntegrationUrlVariable`; PagerDuty confirms the subscription).
 */
const PagerDutyChannel = obj({
  type: z.literal("pagerduty"),
  /** Secret Manager secret (id in the environment's project) holding the PagerDuty service integration key (GCP). @default - not delivered on GCP */
  gcpServiceKeySecretId: GcpSecretId.optional(),
  /** Terraform variable holding the PagerDuty service integration key (GCP), instead of gcpServiceKeySecretId. @default - not delivered on GCP */
  gcpServiceKeyVariable: VariableName.optional(),
  /** Secrets Manager secret (name or ARN) holding the PagerDuty CloudWatch integration URL (AWS). @default - not delivered on AWS */
  awsIntegrationUrlSecretId: AwsSecretId.optional(),
  /** Terraform variable holding the PagerDuty CloudWatch integration URL (AWS), instead of awsIntegrationUrlSecretId. @default - not delivered on AWS */
  awsIntegrationUrlVariable: VariableName.optional(),
  /** @default ["critical"] */
  severities: Severities,
});

/** An SNS topic you own (AWS only): alarms publish to it directly. */
const SnsChannel = obj({
  type: z.literal("sns"),
  topicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
    error: "topicArn must be an SNS topic ARN, like arn:aws:sns:us-east-1:123456789012:oncall",
  }),
  /** @default ["critical", "warning"] */
  severities: Severities,
});

export const AlertChannel = z.discriminatedUnion("type", [
  EmailChannel,
  SlackChannel,
  PagerDutyChannel,
  SnsChannel,
]);
export type AlertChannelInput = z.input<typeof AlertChannel>;

/** A whole number in a range, with a message naming both ends. */
const between = (min: number, max: number, what: string) =>
  z
    .number()
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: (i) => `${what} (${String(i.input)}) must be between ${min} and ${max}` })
    .max(max, { error: (i) => `${what} (${String(i.input)}) must be between ${min} and ${max}` });

/** When alerts fire. Every field has a tier default (ALERT_TIER_DEFAULTS). */
const Thresholds = obj({
  /** Undelivered (Pub/Sub) or visible (SQS) messages on a consumer's subscription or queue. @default - the tier's (10000 / 5000 / 1000) */
  backlogMessages: between(1, 10_000_000, "backlogMessages").optional(),
  /** Age in seconds of the oldest unacknowledged (Pub/Sub) or waiting (SQS) message. @default - the tier's (3600 / 1800 / 600) */
  oldestMessageSeconds: between(60, 1_209_600, "oldestMessageSeconds").optional(),
  /** Bigtable average CPU above the autoscaling target, in points, before an alert (fixed nodes: above 70 %). @default - the tier's (20 / 15 / 10) */
  bigtableCpuHeadroomPercent: between(0, 50, "bigtableCpuHeadroomPercent").optional(),
  /** Bigtable storage utilisation, percent of the nodes' capacity. @default - the tier's (80 / 75 / 70) */
  bigtableStoragePercent: between(10, 100, "bigtableStoragePercent").optional(),
  /** DynamoDB throttled requests per table and minute (summed over operations) at which the alarm fires. @default - the tier's (100 / 10 / 1) */
  dynamodbThrottledRequests: between(1, 1_000_000, "dynamodbThrottledRequests").optional(),
  /** CPU, memory and disk of DigitalOcean nodes and managed databases, percent. @default - the tier's (95 / 90 / 85) */
  nodeUtilizationPercent: between(10, 100, "nodeUtilizationPercent").optional(),
  /** Minutes a condition must hold before it fires (Cloud Monitoring duration; CloudWatch evaluation periods of one minute). @default - the tier's (15 / 10 / 5) */
  evaluationMinutes: between(1, 60, "evaluationMinutes").optional(),
});

/** Cloud backups beyond PostgreSQL. */
const Backups = obj({
  /** Days Bigtable's daily automated backups of every event-store table are kept, 3–90; 0 turns them off. @default - the tier's (0 / 7 / 30) */
  bigtableRetentionDays: z
    .number()
    .int()
    .refine((d) => d === 0 || (d >= 3 && d <= 90), {
      error: (i) =>
        `bigtableRetentionDays (${String(i.input)}) must be 0 (off) or between 3 and 90 (Bigtable's automated backup limits)`,
    })
    .optional(),
  /** Days an AWS Backup plan keeps daily backups of the DynamoDB event store, 7–3650; 0 means no plan (PITR only). @default - the tier's (0 / 0 / 35) */
  awsBackupRetentionDays: z
    .number()
    .int()
    .refine((d) => d === 0 || (d >= 7 && d <= 3650), {
      error: (i) =>
        `awsBackupRetentionDays (${String(i.input)}) must be 0 (no plan) or between 7 and 3650`,
    })
    .optional(),
});

/** The `alerts` section of an environment. */
export const Alerts = obj({
  /**
   * Where alerts go, by name (lower-case). Staging and prod need at least one that receives
   * `critical`. @default {}
   */
  channels: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, {
        error:
          "a channel name is 1–30 lower-case letters, digits or hyphens, starting with a letter",
      }),
      AlertChannel,
    )
    .optional(),
  /** @default - the tier's */
  thresholds: Thresholds.optional(),
  /** Severity of each alert kind. @default - the tier's (prod: deadLetter, deliveryFailures, storeErrors and backupAge critical, the rest warning; dev and staging: all warning) */
  severities: z.partialRecord(z.enum(ALERT_KINDS), Severity).optional(),
  /** @default - the tier's */
  backups: Backups.optional(),
});
export type AlertsInput = z.input<typeof Alerts>;

type ThresholdValues = Required<z.output<typeof Thresholds>>;
type BackupValues = Required<z.output<typeof Backups>>;

/** What each tier picks when the environment is silent. */
export const ALERT_TIER_DEFAULTS: Readonly<
  Record<
    Tier,
    {
      readonly thresholds: ThresholdValues;
      readonly severities: Readonly<Record<AlertKind, Severity>>;
      readonly backups: BackupValues;
    }
  >
> = {
  dev: {
    thresholds: {
      backlogMessages: 10_000,
      nodeUtilizationPercent: 95,
      oldestMessageSeconds: 3600,
      bigtableCpuHeadroomPercent: 20,
      bigtableStoragePercent: 80,
      dynamodbThrottledRequests: 100,
      evaluationMinutes: 15,
    },
    severities: allWarning(),
    backups: { bigtableRetentionDays: 0, awsBackupRetentionDays: 0 },
  },
  staging: {
    thresholds: {
      backlogMessages: 5000,
      nodeUtilizationPercent: 90,
      oldestMessageSeconds: 1800,
      bigtableCpuHeadroomPercent: 15,
      bigtableStoragePercent: 75,
      dynamodbThrottledRequests: 10,
      evaluationMinutes: 10,
    },
    severities: allWarning(),
    backups: { bigtableRetentionDays: 7, awsBackupRetentionDays: 0 },
  },
  prod: {
    thresholds: {
      backlogMessages: 1000,
      nodeUtilizationPercent: 85,
      oldestMessageSeconds: 600,
      bigtableCpuHeadroomPercent: 10,
      // Google's recommended maximum storage utilisation per node for latency-sensitive work.
      bigtableStoragePercent: 70,
      dynamodbThrottledRequests: 1,
      evaluationMinutes: 5,
    },
    severities: {
      ...allWarning(),
      deadLetter: "critical",
      deliveryFailures: "critical",
      storeErrors: "critical",
      backupAge: "critical",
    },
    // 35 days: DynamoDB PITR's own window, so the plan's copies outlive every restorable point.
    backups: { bigtableRetentionDays: 30, awsBackupRetentionDays: 35 },
  },
};

function allWarning(): Record<AlertKind, Severity> {
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, "warning" as const])) as Record<
    AlertKind,
    Severity
  >;
}

/** Default severities a channel receives, by type: PagerDuty pages, so only critical. */
const CHANNEL_SEVERITIES: Readonly<Record<AlertChannelInput["type"], readonly Severity[]>> = {
  email: ["critical", "warning"],
  slack: ["critical", "warning"],
  pagerduty: ["critical"],
  sns: ["critical", "warning"],
};

type Fields = z.output<typeof Alerts>;

/** The token fields that name the same token two ways. */
const TOKEN_SOURCES: ReadonlyArray<readonly [string, string]> = [
  ["gcpAuthTokenSecretId", "gcpAuthTokenVariable"],
  ["gcpServiceKeySecretId", "gcpServiceKeyVariable"],
  ["awsIntegrationUrlSecretId", "awsIntegrationUrlVariable"],
];

/** Every channel reaches at least one cloud the environment alerts on; a token has one source. */
export function checkAlerts(
  a: Fields | undefined,
  ctx: { clouds: readonly AlertCloud[] },
  issue: (path: PropertyKey[], message: string) => void,
): void {
  for (const [name, c] of Object.entries(a?.channels ?? {})) {
    for (const [secretId, variable] of TOKEN_SOURCES) {
      const ch = c as Record<string, unknown>;
      if (ch[secretId] !== undefined && ch[variable] !== undefined) {
        issue(
          ["channels", name, variable],
          `set ${secretId} or ${variable}, not both: one place holds the token`,
        );
      }
    }
    const delivered = deliveredOn(c).filter((cloud) => ctx.clouds.includes(cloud));
    if (delivered.length === 0) {
      issue(
        ["channels", name],
        `channel ${name} (${c.type}) reaches no cloud this environment alerts on (${ctx.clouds.join(", ") || "none"}): ${howToDeliver(c.type)}`,
      );
    }
  }
}

/**
 * Staging and prod alert someone: at least one channel receives critical alerts when the
 * environment has anything to alert on. Checked where environments are loaded for synthesis (like
 * schema/usage.ts), so module and stack tests may describe resources without channels.
 */
export function checkAlertRecipients(
  a: Fields | undefined,
  ctx: { tier: Tier; clouds: readonly AlertCloud[] },
  issue: (path: PropertyKey[], message: string) => void,
): void {
  const channels = Object.entries(a?.channels ?? {});
  if (ctx.tier !== "dev" && ctx.clouds.length > 0) {
    const critical = channels.some(([, c]) =>
      (c.severities ?? CHANNEL_SEVERITIES[c.type]).includes("critical"),
    );
    if (!critical) {
      issue(
        ["channels"],
        `a ${ctx.tier}-tier environment needs an alert channel that receives critical alerts (a dead letter, a failed backup would otherwise reach no one): add one, e.g. alerts.channels.oncall = { type: "email", address: "oncall@example.com" }`,
      );
    }
  }
}

/** A cloud Strata creates alerts on. */
export type AlertCloud = "gcp" | "aws" | "digitalocean";

/** The clouds a channel can deliver to, given what it names. */
export function deliveredOn(c: AlertChannelInput): AlertCloud[] {
  switch (c.type) {
    case "email":
      return ["gcp", "aws", "digitalocean"];
    case "sns":
      return ["aws"];
    case "slack":
      return [
        ...(c.gcpAuthTokenSecretId || c.gcpAuthTokenVariable ? (["gcp"] as const) : []),
        ...(c.doWebhookUrlVariable ? (["digitalocean"] as const) : []),
      ];
    case "pagerduty":
      return [
        ...(c.gcpServiceKeySecretId || c.gcpServiceKeyVariable ? (["gcp"] as const) : []),
        ...(c.awsIntegrationUrlSecretId || c.awsIntegrationUrlVariable ? (["aws"] as const) : []),
      ];
  }
}

function howToDeliver(type: AlertChannelInput["type"]): string {
  switch (type) {
    case "slack":
      return "set gcpAuthTokenSecretId or gcpAuthTokenVariable (GCP), or doWebhookUrlVariable (DigitalOcean); Slack is not delivered on AWS";
    case "pagerduty":
      return "set gcpServiceKeySecretId or gcpServiceKeyVariable (GCP), awsIntegrationUrlSecretId or awsIntegrationUrlVariable (AWS); PagerDuty is not delivered on DigitalOcean";
    case "sns":
      return "an SNS topic is delivered on AWS only; remove it or add an AWS target";
    case "email":
      return "add a target";
  }
}

/** One channel, resolved. */
export type ResolvedChannel = AlertChannelInput & { readonly severities: readonly Severity[] };

/** The resolved alerts section: every default filled in. */
export interface ResolvedAlerts {
  readonly channels: Readonly<Record<string, ResolvedChannel>>;
  readonly thresholds: ThresholdValues;
  readonly severities: Readonly<Record<AlertKind, Severity>>;
  readonly backups: BackupValues;
}

/** Fills the tier's defaults. */
export function resolveAlerts(a: Fields | undefined, tier: Tier): ResolvedAlerts {
  const base = ALERT_TIER_DEFAULTS[tier];
  return {
    channels: Object.fromEntries(
      Object.entries(a?.channels ?? {}).map(([name, c]) => [
        name,
        { ...c, severities: c.severities ?? [...CHANNEL_SEVERITIES[c.type]] },
      ]),
    ),
    thresholds: { ...base.thresholds, ...stripUndefined(a?.thresholds ?? {}) },
    severities: { ...base.severities, ...stripUndefined(a?.severities ?? {}) },
    backups: { ...base.backups, ...stripUndefined(a?.backups ?? {}) },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
