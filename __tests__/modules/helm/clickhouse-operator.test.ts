import {
  AltinityClickhouse,
  type AltinityClickhouseProps,
} from "../../../modules/helm/altinity-clickhouse";
import {
  ClickhouseOperator,
  type ClickhouseOperatorProps,
} from "../../../modules/helm/clickhouse-operator";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { synthScope } from "./helpers";

const operatorProps: ClickhouseOperatorProps = {
  namespace: "clickhouse-operator",
  watchNamespaces: ["prod", "analytics-team"],
  labels: { team: "core" },
};
const operator = (p: Partial<ClickhouseOperatorProps> = {}) =>
  synthScope((s) => new ClickhouseOperator(s, "ClickhouseOperator", { ...operatorProps, ...p }));

describe("ClickhouseOperator (altinity-clickhouse-operator)", () => {
  test("pinned 0.25.6 from helm.altinity.com; every values key exists in the chart", () => {
    const r = releaseNamed(operator(), "clickhouse-operator");
    expect(r).toMatchObject({
      chart: "altinity-clickhouse-operator",
      version: "0.25.6",
      repository: "https://helm.altinity.com",
    });
    expect(unknownValuePaths("altinity-clickhouse-operator", r.version!, r.values)).toEqual([]);
  });

  test("restricted pods, no CRD hook (bitnami/kubectl:latest), its own generated login, the namespaces sorted", () => {
    const tf = operator();
    const { values } = releaseNamed(tf, "clickhouse-operator");
    const restricted = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
      runAsUser: 65534,
    };
    expect(values).toMatchObject({
      crdHook: { enabled: false },
      secret: { create: false },
      operator: { containerSecurityContext: restricted },
      metrics: { containerSecurityContext: restricted },
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      configs: { files: { "config.yaml": { watch: { namespaces: ["analytics-team", "prod"] } } } },
    });
    const secret = Object.values(tf.resource!.kubernetes_secret_v1)[0] as {
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    };
    expect(secret.metadata).toMatchObject({
      name: "clickhouse-operator",
      namespace: "clickhouse-operator",
    });
    expect(secret.data.username).toBe("clickhouse_operator");
    expect(secret.data.password).toMatch(/^\$\{random_password\./);
  });

  test("refuses an empty watch list (the operator would watch every namespace)", () => {
    expect(() => operator({ watchNamespaces: [] })).toThrow(/watchNamespaces is empty/);
  });
});

const chProps: AltinityClickhouseProps = {
  name: "analytics",
  namespace: "prod",
  chart: { chart: "./charts/clickhouse-cluster" },
  storageClass: "standard-rwo",
};
const installation = (p: Partial<AltinityClickhouseProps> = {}) =>
  synthScope((s) => new AltinityClickhouse(s, "AltinityClickhouse", { ...chProps, ...p }));

describe("AltinityClickhouse (charts/clickhouse-cluster)", () => {
  test("the release <name>-chi, Keeper 3 and zone spreading when replicated, the user's Secret", () => {
    const tf = installation({ replicas: 2 });
    const { values } = releaseNamed(tf, "analytics-chi");
    expect(values).toMatchObject({
      name: "analytics",
      keeper: { replicas: 3, image: "clickhouse/clickhouse-keeper:26.3.33.24" },
      clickhouse: { replicas: 2, image: "clickhouse/clickhouse-server:26.3.33.24", metricsPort: 0 },
      user: {
        name: "app",
        secretName: "clickhouse-analytics-credentials",
        passwordKey: "password",
      },
      spreadZones: true,
    });
    expect(releaseNamed(installation(), "analytics-chi").values).toMatchObject({
      keeper: { replicas: 0 },
      spreadZones: false,
    });
  });

  test("refuses the user default, an even Keeper, and replicas without Keeper", () => {
    expect(() => installation({ username: "default" })).toThrow(/username "default"/);
    expect(() => installation({ keeperReplicas: 2 })).toThrow(/must be 0, 1, 3 or 5/);
    expect(() => installation({ replicas: 2, keeperReplicas: 0 })).toThrow(
      /need ClickHouse Keeper/,
    );
  });
});
