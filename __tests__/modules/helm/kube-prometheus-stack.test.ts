import {
  KubePrometheusStack,
  RECEIVER_SECRETS_DIR,
  type KubePrometheusStackProps,
  type KubePrometheusStackValues,
} from "../../../modules/helm/kube-prometheus-stack";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { synthScope } from "./helpers";

const BASE: KubePrometheusStackProps = {
  namespace: "monitoring",
  storageClass: "standard-rwo",
  prometheus: {
    replicas: 2,
    retention: "15d",
    storage: "100Gi",
    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
  },
  alertmanager: {
    replicas: 2,
    storage: "2Gi",
    resources: { requests: { cpu: "50m", memory: "128Mi" } },
  },
  labels: { environment: "prod" },
};
const RECEIVERS: KubePrometheusStackProps["receivers"] = {
  oncall: { type: "pagerduty", secret: { name: "pagerduty", key: "routing-key" } },
  chat: { type: "slack", secret: { name: "slack", key: "url" }, channel: "#alerts" },
  hook: { type: "webhook", secret: { name: "slack", key: "hook-url" } },
};
const kps = (p: Partial<KubePrometheusStackProps> = {}) =>
  releaseNamed(
    synthScope((s) => new KubePrometheusStack(s, "Kps", { ...BASE, ...p })),
    "kube-prometheus-stack",
  );

const vals = (p: Partial<KubePrometheusStackProps> = {}) =>
  kps(p).values as unknown as KubePrometheusStackValues;

describe("KubePrometheusStack (prometheus-community/kube-prometheus-stack)", () => {
  test("pinned 88.5.3; every values key exists in the chart's values.yaml at that tag", () => {
    for (const r of [kps(), kps({ receivers: RECEIVERS, imageRegistry: "mirror.example.com" })]) {
      expect(r).toMatchObject({
        repository: "https://prometheus-community.github.io/helm-charts",
        version: "88.5.3",
      });
      expect(unknownValuePaths("kube-prometheus-stack", r.version!, r.values)).toEqual([]);
    }
  });

  test("a misspelt key would be caught by the fixture", () => {
    expect(
      unknownValuePaths("kube-prometheus-stack", "88.5.3", {
        prometheus: { prometheusSpec: { retentionTime: "1d" } },
      }),
    ).toEqual(["prometheus.prometheusSpec.retentionTime"]);
  });

  test("CRDs, retention, storage and replicas; Prometheus selects every monitor and rule", () => {
    const v = vals();
    expect(v.crds).toEqual({ enabled: true });
    expect(v.prometheus.prometheusSpec).toMatchObject({
      replicas: 2,
      retention: "15d",
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      storageSpec: {
        volumeClaimTemplate: {
          spec: {
            storageClassName: "standard-rwo",
            resources: { requests: { storage: "100Gi" } },
          },
        },
      },
    });
    expect(v.prometheus.podDisruptionBudget).toEqual({ enabled: true });
    expect(v.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources).toEqual({
      requests: { storage: "2Gi" },
    });
    const single = vals({ prometheus: { ...BASE.prometheus, replicas: 1 } });
    expect(single.prometheus.podDisruptionBudget).toEqual({ enabled: false });
  });

  test("the DNS monitor matches the cluster's DNS: CoreDNS (EKS, DOKS) or kube-dns (GKE)", () => {
    expect(vals()).toMatchObject({ coreDns: { enabled: true }, kubeDns: { enabled: false } });
    expect(vals({ clusterDns: "kube-dns" })).toMatchObject({
      coreDns: { enabled: false },
      kubeDns: { enabled: true },
    });
  });

  test("node-exporter and Grafana (not restricted-clean) and managed control-plane targets are off", () => {
    const v = vals() as unknown as Record<string, unknown> & KubePrometheusStackValues;
    for (const k of [
      "nodeExporter",
      "grafana",
      "kubeControllerManager",
      "kubeScheduler",
      "kubeEtcd",
      "kubeProxy",
    ])
      expect([k, v[k]]).toEqual([k, { enabled: false }]);
    expect(v.defaultRules.rules).toEqual({
      nodeExporterAlerting: false,
      nodeExporterRecording: false,
    });
    expect(Object.keys(v.defaultRules.disabled)).toEqual(
      expect.arrayContaining(["KubePodNotReady", "KubePersistentVolumeFillingUp"]),
    );
  });

  test("the operator's webhook port is set to 10250 (reachable from a private GKE control plane)", () => {
    expect(vals().prometheusOperator).toEqual({
      tls: { internalPort: 10250 },
      admissionWebhooks: { enabled: true },
    });
  });

  test("receivers read their URL or key from files of optional Secret volumes: no credential in values", () => {
    const v = vals({ receivers: RECEIVERS });
    const am = v.alertmanager;
    expect(am.config.receivers).toEqual([
      { name: "null" },
      {
        name: "oncall",
        pagerduty_configs: [
          {
            send_resolved: true,
            routing_key_file: `${RECEIVER_SECRETS_DIR}/pagerduty/routing-key`,
          },
        ],
      },
      {
        name: "chat",
        slack_configs: [
          {
            send_resolved: true,
            api_url_file: `${RECEIVER_SECRETS_DIR}/slack/url`,
            channel: "#alerts",
          },
        ],
      },
      {
        name: "hook",
        webhook_configs: [
          { send_resolved: true, url_file: `${RECEIVER_SECRETS_DIR}/slack/hook-url` },
        ],
      },
    ]);
    expect(am.alertmanagerSpec.volumes).toEqual([
      { name: "receiver-pagerduty", secret: { secretName: "pagerduty", optional: true } },
      { name: "receiver-slack", secret: { secretName: "slack", optional: true } },
    ]);
    expect(am.alertmanagerSpec.volumeMounts).toEqual([
      {
        name: "receiver-pagerduty",
        mountPath: `${RECEIVER_SECRETS_DIR}/pagerduty`,
        readOnly: true,
      },
      { name: "receiver-slack", mountPath: `${RECEIVER_SECRETS_DIR}/slack`, readOnly: true },
    ]);
    expect(JSON.stringify(v)).not.toMatch(/hooks\.slack\.com|https?:\/\/(?!prometheus)/);
  });

  test("routes per severity; the Watchdog goes to the null receiver", () => {
    const v = vals({
      receivers: RECEIVERS,
      routes: { critical: ["oncall", "chat"], warning: ["chat"] },
    });
    expect(v.alertmanager.config.route).toEqual({
      receiver: "null",
      group_by: ["namespace", "alertname"],
      routes: [
        { receiver: "null", matchers: ['alertname = "Watchdog"'] },
        { receiver: "oncall", matchers: ['severity = "critical"'], continue: true },
        { receiver: "chat", matchers: ['severity = "critical"'], continue: true },
        { receiver: "chat", matchers: ['severity = "warning"'], continue: true },
      ],
    });
  });

  test("a route naming an unknown receiver, a bad quantity or no replicas is refused", () => {
    expect(() =>
      kps({ receivers: RECEIVERS, routes: { critical: ["pager"], warning: [] } }),
    ).toThrow(
      /route critical names receiver "pager", which is not configured \(known: oncall, chat, hook\)/,
    );
    expect(() => kps({ prometheus: { ...BASE.prometheus, storage: "100 GB" } })).toThrow(
      /prometheus.storage/,
    );
    expect(() => kps({ alertmanager: { ...BASE.alertmanager, replicas: 0 } })).toThrow(
      /alertmanager.replicas/,
    );
  });
});
