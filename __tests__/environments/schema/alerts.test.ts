import { EnvironmentSchema, type EnvironmentInput } from "../../../environments/schema";
import { ALERT_TIER_DEFAULTS } from "../../../environments/schema/alerts";
import { envInput, NATIVE_TARGETS, problems } from "../../support/env";

/** An environment with the GCP bus (something to alert on) in `tier`, with `alerts`. */
function withAlerts(alerts: EnvironmentInput["alerts"], tier: "dev" | "staging" | "prod" = "dev") {
  return envInput({
    tier,
    ...(tier === "dev" ? {} : { backend: { type: "gcs", bucket: "tf-state" } }),
    targets: { gcp: { ...NATIVE_TARGETS.gcp } },
    alerts,
  });
}
const alertProblems = (raw: unknown) => problems(raw).filter((p) => p.startsWith("test.alerts"));

describe("alerts defaults", () => {
  test("each tier's thresholds, severities and backups; no channels", () => {
    for (const tier of ["dev", "staging", "prod"] as const) {
      const env = EnvironmentSchema.parse(withAlerts(undefined, tier));
      expect(env.alerts).toEqual({ channels: {}, ...ALERT_TIER_DEFAULTS[tier] });
    }
    expect(ALERT_TIER_DEFAULTS.prod.severities.deadLetter).toBe("critical");
    expect(ALERT_TIER_DEFAULTS.dev.backups.bigtableRetentionDays).toBe(0);
  });

  test("a value written wins over the tier's, the rest stays the tier's", () => {
    const env = EnvironmentSchema.parse(
      withAlerts(
        { thresholds: { backlogMessages: 42 }, severities: { backlog: "critical" } },
        "prod",
      ),
    );
    expect(env.alerts.thresholds).toEqual({
      ...ALERT_TIER_DEFAULTS.prod.thresholds,
      backlogMessages: 42,
    });
    expect(env.alerts.severities.backlog).toBe("critical");
    expect(env.alerts.severities.oldestMessage).toBe("warning");
  });

  test("channels receive both severities, PagerDuty only critical, unless they say", () => {
    const env = EnvironmentSchema.parse(
      withAlerts({
        channels: {
          mail: { type: "email", address: "a@example.com" },
          pager: { type: "pagerduty", gcpServiceKeyVariable: "pd_key" },
          quiet: { type: "email", address: "b@example.com", severities: ["warning"] },
        },
      }),
    );
    expect(
      Object.fromEntries(Object.entries(env.alerts.channels).map(([n, c]) => [n, c.severities])),
    ).toEqual({
      mail: ["critical", "warning"],
      pager: ["critical"],
      quiet: ["warning"],
    });
  });

  test("a resolved environment's alerts are valid input and resolve to themselves", () => {
    const env = EnvironmentSchema.parse(
      withAlerts({ channels: { mail: { type: "email", address: "a@example.com" } } }, "prod"),
    );
    expect(
      EnvironmentSchema.parse({ ...withAlerts(undefined, "prod"), alerts: env.alerts }).alerts,
    ).toEqual(env.alerts);
  });
});

describe("alerts bad input", () => {
  test("a token or webhook URL written into a channel is refused, naming the field", () => {
    const slack = "https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnop";
    expect(
      alertProblems(
        withAlerts({
          channels: { s: { type: "slack", channel: "#ops", gcpAuthTokenVariable: slack } },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "test.alerts.channels.s.gcpAuthTokenVariable: looks like a Slack webhook URL; secrets never go in config",
        ),
      ]),
    );
    const raw = withAlerts({
      channels: {
        p: { type: "pagerduty", serviceKey: "0123456789abcdef0123456789abcdef" } as never,
      },
    });
    expect(alertProblems(raw)).toEqual(
      expect.arrayContaining([expect.stringContaining('unknown key "serviceKey"')]),
    );
    const url = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
    expect(
      alertProblems(
        withAlerts({ channels: { p: { type: "pagerduty", awsIntegrationUrlVariable: url } } }),
      ),
    ).toEqual(
      expect.arrayContaining([expect.stringContaining("looks like a PagerDuty integration URL")]),
    );
  });

  test("thresholds and retention out of range are errors that name the field and the range", () => {
    expect(
      alertProblems(
        withAlerts({
          thresholds: { backlogMessages: 0, evaluationMinutes: 90 },
          backups: { bigtableRetentionDays: 2, awsBackupRetentionDays: 5 },
        }),
      ),
    ).toEqual([
      "test.alerts.thresholds.backlogMessages: backlogMessages (0) must be between 1 and 10000000",
      "test.alerts.thresholds.evaluationMinutes: evaluationMinutes (90) must be between 1 and 60",
      "test.alerts.backups.bigtableRetentionDays: bigtableRetentionDays (2) must be 0 (off) or between 3 and 90 (Bigtable's automated backup limits)",
      "test.alerts.backups.awsBackupRetentionDays: awsBackupRetentionDays (5) must be 0 (no plan) or between 7 and 3650",
    ]);
  });

  test("staging and prod need a channel for critical alerts; dev does not", () => {
    const need = expect.stringContaining("needs an alert channel that receives critical alerts");
    expect(alertProblems(withAlerts(undefined, "prod"))).toEqual([
      expect.stringMatching(/^test\.alerts\.channels: a prod-tier/),
    ]);
    expect(
      alertProblems(
        withAlerts(
          { channels: { w: { type: "email", address: "a@example.com", severities: ["warning"] } } },
          "staging",
        ),
      ),
    ).toEqual([need]);
    expect(
      alertProblems(
        withAlerts({ channels: { m: { type: "email", address: "a@example.com" } } }, "prod"),
      ),
    ).toEqual([]);
    expect(alertProblems(withAlerts(undefined, "dev"))).toEqual([]);
  });

  test("a token named two ways (secret and variable) is refused", () => {
    expect(
      alertProblems(
        withAlerts({
          channels: {
            p: {
              type: "pagerduty",
              gcpServiceKeySecretId: "pagerduty-key",
              gcpServiceKeyVariable: "pagerduty_key",
            },
          },
        }),
      ),
    ).toEqual([
      "test.alerts.channels.p.gcpServiceKeyVariable: set gcpServiceKeySecretId or gcpServiceKeyVariable, not both: one place holds the token",
    ]);
    expect(
      alertProblems(
        withAlerts({ channels: { p: { type: "pagerduty", gcpServiceKeySecretId: "a b" } } }),
      ),
    ).toEqual([expect.stringContaining('"a b" is not a Secret Manager secret id')]);
  });

  test("a channel that reaches no cloud of the environment is an error with the fix", () => {
    expect(
      alertProblems(
        withAlerts({
          channels: { ops: { type: "sns", topicArn: "arn:aws:sns:eu-west-1:123456789012:ops" } },
        }),
      ),
    ).toEqual([
      "test.alerts.channels.ops: channel ops (sns) reaches no cloud this environment alerts on (gcp): an SNS topic is delivered on AWS only; remove it or add an AWS target",
    ]);
    expect(
      alertProblems(
        withAlerts({
          channels: { s: { type: "slack", channel: "#ops", doWebhookUrlVariable: "slack_url" } },
        }),
      ),
    ).toEqual([
      expect.stringContaining(
        "set gcpAuthTokenSecretId or gcpAuthTokenVariable (GCP), or doWebhookUrlVariable (DigitalOcean); Slack is not delivered on AWS",
      ),
    ]);
  });
});
