/** workloads.platform.monitoring: tier defaults, threshold ranges, receivers, guests. */
import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import { THRESHOLD_RANGES, type ThresholdKey } from "../../environments/schema/monitoring";
import type { WorkloadsInput } from "../../environments/schema/workloads";
import { BITNAMI_IMAGES, envInput, problems } from "../support/env";

const DO_CLUSTER: EnvironmentInput["targets"] = {
  digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
};
const input = (workloads: WorkloadsInput, overrides: Partial<EnvironmentInput> = {}) =>
  envInput({ targets: DO_CLUSTER, workloads, ...overrides });
const backend = { type: "gcs", bucket: "strata-state", prefix: "test" } as const;
const monitoringOf = (tier: "dev" | "staging" | "prod", workloads: WorkloadsInput = {}) =>
  EnvironmentSchema.parse(input(workloads, { tier, ...(tier === "dev" ? {} : { backend }) }))
    .workloads.platform.monitoring;

describe("tier defaults", () => {
  test("off in dev, on in staging and prod, with stricter thresholds and longer retention", () => {
    const [dev, staging, prod] = (["dev", "staging", "prod"] as const).map((t) => monitoringOf(t));
    expect([dev.enabled, staging.enabled, prod.enabled]).toEqual([false, true, true]);
    expect([dev.retention, staging.retention, prod.retention]).toEqual(["3d", "7d", "15d"]);
    expect(prod).toMatchObject({
      replicas: 2,
      storage: "100Gi",
      alertmanager: { replicas: 2, storage: "2Gi" },
      receivers: {},
      routes: { critical: [], warning: [] },
    });
    expect(staging).toMatchObject({ replicas: 1, storage: "50Gi" });
    for (const k of Object.keys(THRESHOLD_RANGES) as ThresholdKey[]) {
      const [d, s, p] = [dev, staging, prod].map((m) => m.thresholds[k]);
      const r = THRESHOLD_RANGES[k];
      for (const v of [d, s, p]) expect([k, v >= r.min && v <= r.max]).toEqual([k, true]);
      // A stricter tier never alerts later than a laxer one.
      expect([k, p <= s && s <= d]).toEqual([k, true]);
    }
  });

  test("exporters follow monitoring unless set", () => {
    const w = (tier: "dev" | "prod", metrics?: boolean) =>
      EnvironmentSchema.parse(
        input(
          {
            images: BITNAMI_IMAGES,
            databases: { postgresql: metrics === undefined ? {} : { metrics } },
          },
          { tier, ...(tier === "dev" ? {} : { backend }) },
        ),
      ).workloads.databases.postgresql!.metrics;
    expect([w("dev"), w("prod"), w("prod", false), w("dev", true)]).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  test("thresholds given replace the tier's one by one", () => {
    expect(
      monitoringOf("prod", { platform: { monitoring: { thresholds: { pvcUsagePercent: 70 } } } })
        .thresholds,
    ).toMatchObject({ pvcUsagePercent: 70, replicationLagSeconds: 30 });
  });
});

describe("bad input", () => {
  test.each(Object.entries(THRESHOLD_RANGES))(
    "%s out of its range is an error naming the range",
    (key, r) => {
      for (const value of [r.min - 1, r.max + 1]) {
        expect(
          problems(input({ platform: { monitoring: { thresholds: { [key]: value } } } })),
        ).toEqual([
          `test.workloads.platform.monitoring.thresholds.${key}: ${key} ${value} ${r.unit} is outside ${r.min}–${r.max} ${r.unit} (${r.what}); choose a value in that range`,
        ]);
      }
    },
  );

  test("retention: format and range", () => {
    const p = (retention: string) => problems(input({ platform: { monitoring: { retention } } }));
    expect(p("15d")).toEqual([]);
    expect(p("2 weeks")[0]).toMatch(/whole number of hours, days or weeks, like 15d/);
    expect(p("1h")[0]).toMatch(/outside 2h–365d/);
    expect(p("53w")[0]).toMatch(/outside 2h–365d/);
  });

  test("receivers: a route to an unknown receiver, a channel on a non-Slack receiver, the reserved name", () => {
    const monitoring = {
      receivers: {
        oncall: { type: "pagerduty" as const, secret: { name: "pd", key: "key" }, channel: "#x" },
        null: { type: "webhook" as const, secret: { name: "hook", key: "url" } },
      },
      routes: { critical: ["oncall", "pager"] },
    };
    expect(problems(input({ platform: { monitoring } }))).toEqual([
      'test.workloads.platform.monitoring.routes.critical[1]: receiver "pager" is not in monitoring.receivers (known: oncall, null); add it there or remove it from the route',
      "test.workloads.platform.monitoring.receivers.oncall.channel: channel applies to slack receivers only; remove it from this pagerduty receiver",
      expect.stringMatching(/receivers\.null: receiver name "null" is taken/),
    ]);
  });

  test("a receiver's credential is a Secret reference, never a literal URL", () => {
    expect(
      problems(
        input({
          platform: {
            monitoring: {
              receivers: {
                chat: {
                  type: "slack",
                  // @ts-expect-error: url is not a key of a receiver
                  url: "https://hooks.slack.com/services/T0/B0/x",
                  secret: { name: "slack", key: "url" },
                },
              },
            },
          },
        }),
      ),
    ).toEqual([expect.stringMatching(/receivers\.chat: unknown key "url"/)]);
  });

  test("a guest sets only enabled and thresholds", () => {
    const guest = input(
      {
        sharedCluster: { environment: "prod", cloud: "digitalocean" },
        platform: { monitoring: { enabled: true, retention: "30d", thresholds: {} } },
      },
      { targets: { digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" } } } },
    );
    expect(problems(guest)).toEqual([
      "test.workloads.platform.monitoring.retention: retention configures the metrics stack of the cluster's owner, and this environment runs on prod's digitalocean cluster (workloads.sharedCluster); set it in prod, or remove it here (a guest sets only enabled and thresholds)",
    ]);
  });

  test("namespace monitoring and the monitoring release names are taken", () => {
    const app = { image: { repository: "ghcr.io/x/app", tag: "1.0.0" } };
    expect(problems(input({ namespace: "monitoring", apps: { "strata-alerts": app } }))).toEqual([
      'test.workloads.namespace: namespace "monitoring" holds the metrics stack of the cluster\'s owner; choose another namespace',
      `test.workloads.apps.strata-alerts: "strata-alerts" is the name of Strata's monitoring release in the namespace; rename the application`,
    ]);
  });
});

describe("someone receives the in-cluster alerts", () => {
  const staging = (workloads: WorkloadsInput) =>
    problems(
      input(workloads, {
        tier: "staging",
        backend,
        alerts: { channels: { oncall: { type: "email", address: "oncall@example.com" } } },
      }),
    );
  const pager = { type: "pagerduty", secret: { name: "pd", key: "routingKey" } } as const;

  test("a staging or prod cluster with the metrics stack and no receiver is refused, naming the fix", () => {
    expect(staging({})).toEqual([
      expect.stringMatching(
        /^test\.workloads\.platform\.monitoring\.receivers: a staging-tier cluster's in-cluster alerts .* reach no one: add a receiver/,
      ),
    ]);
    // A receiver routed nothing critical is no better.
    expect(
      staging({ platform: { monitoring: { receivers: { pager }, routes: { critical: [] } } } }),
    ).toHaveLength(1);
  });

  test("a receiver, monitoring off, or the dev tier: fine", () => {
    expect(staging({ platform: { monitoring: { receivers: { pager } } } })).toEqual([]);
    expect(staging({ platform: { monitoring: { enabled: false } } })).toEqual([]);
    expect(problems(input({}))).toEqual([]);
  });
});
