import { Testing } from "cdktf";
import {
  doksNodeAlerts,
  DoMonitorAlerts,
  managedDatabaseAlerts,
  type DoMonitorAlertsProps,
} from "../../../modules/digitalocean/monitor-alerts";

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base: DoMonitorAlertsProps = {
  descriptionPrefix: "test",
  channels: {
    mail: { type: "email", address: "a@example.com", severities: ["warning"] },
    slack: {
      type: "slack",
      channel: "#ops",
      url: "${var.slack}",
      severities: ["warning", "critical"],
    },
  },
};
function synth(build: (a: DoMonitorAlerts) => void, props: Partial<DoMonitorAlertsProps> = {}) {
  let alerts!: DoMonitorAlerts;
  const out = Testing.synthScope((scope) => {
    alerts = new DoMonitorAlerts(scope, "Alerts", { ...base, ...props });
    build(alerts);
  });
  const r =
    (JSON.parse(out) as { resource?: Record<string, Record<string, Block>> }).resource ?? {};
  return { alerts, list: Object.values(r.digitalocean_monitor_alert ?? {}) };
}

describe("DoMonitorAlerts", () => {
  test("DOKS nodes: CPU, memory, disk of the droplets tagged k8s:<cluster id>", () => {
    const { list } = synth((a) =>
      doksNodeAlerts(a, "test-doks", "${digitalocean_kubernetes_cluster.c.id}", 85, "warning"),
    );
    expect(list.map((a) => a.type).sort()).toEqual([
      "v1/insights/droplet/cpu",
      "v1/insights/droplet/disk_utilization_percent",
      "v1/insights/droplet/memory_utilization_percent",
    ]);
    expect(list[0]).toMatchObject({
      compare: "GreaterThan",
      value: 85,
      window: "5m",
      tags: ["k8s:${digitalocean_kubernetes_cluster.c.id}"],
      alerts: { email: ["a@example.com"], slack: [{ channel: "#ops", url: "${var.slack}" }] },
    });
  });

  test("managed databases: their cluster as the entity", () => {
    const { list } = synth((a) =>
      managedDatabaseAlerts(a, "Postgres", "postgres", "${x.id}", 90, "critical"),
    );
    expect(list.map((a) => [a.type, a.entities]).sort()).toEqual([
      ["v1/dbaas/alerts/cpu_alerts", ["${x.id}"]],
      ["v1/dbaas/alerts/disk_utilization_alerts", ["${x.id}"]],
      ["v1/dbaas/alerts/memory_utilization_alerts", ["${x.id}"]],
    ]);
    expect(list[0].alerts).toEqual({ slack: [{ channel: "#ops", url: "${var.slack}" }] });
  });

  test("the evaluation time rounds up to a window DigitalOcean offers", () => {
    expect(synth(() => undefined, { evaluationMinutes: 15 }).alerts.window).toBe("30m");
    expect(synth(() => undefined, { evaluationMinutes: 60 }).alerts.window).toBe("1h");
  });

  test("no recipient for the severity: no alert (the API needs one), and it is listed as skipped", () => {
    const { list, alerts } = synth((a) => doksNodeAlerts(a, "c", "id", 85, "critical"), {
      channels: { mail: { type: "email", address: "a@example.com", severities: ["warning"] } },
    });
    expect(list).toEqual([]);
    expect(alerts.skipped).toEqual(["NodeCpu", "NodeMemory", "NodeDisk"]);
  });

  test("a type not in the facts is refused", () => {
    expect(() =>
      synth((a) =>
        a.alert("x", {
          type: "v1/insights/droplet/cpu_percent",
          description: "d",
          percent: 1,
          severity: "warning",
        }),
      ),
    ).toThrow(/not in facts\/alert-metrics.json/);
  });
});
