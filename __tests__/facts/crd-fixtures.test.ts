/**
 * The CRD fixtures (__tests__/fixtures/crds, from scripts/fixtures/extract-crd.ts) are the pinned
 * versions' schemas, the checker finds what the API server would refuse or drop, and the rules
 * Strata's schema copies from a CRD's CEL validations are still the CRD's.
 */
import { CHART_VERSIONS } from "../../environments/schema/workloads";
import { PATH_FORBIDDEN, pathProblem, hostProblem } from "../../environments/schema/edge";
import { crdFixtures, crdFor, crdProblems } from "../support/crd-schema";

describe("the CRD fixtures are the pinned versions", () => {
  test.each([
    // The Gateway API CRDs gateway-helm installs (bundle-version v1.6.1, experimental channel).
    ["gateway.networking.k8s.io", "Gateway", "envoyproxy/gateway", CHART_VERSIONS.envoyGateway],
    ["gateway.networking.k8s.io", "HTTPRoute", "envoyproxy/gateway", CHART_VERSIONS.envoyGateway],
    [
      "gateway.networking.k8s.io",
      "GatewayClass",
      "envoyproxy/gateway",
      CHART_VERSIONS.envoyGateway,
    ],
    ["cert-manager.io", "ClusterIssuer", "cert-manager/cert-manager", CHART_VERSIONS.certManager],
    ["gateway.envoyproxy.io", "EnvoyProxy", "envoyproxy/gateway", CHART_VERSIONS.envoyGateway],
    // CloudNativePG's CRDs from its charts at the pinned chart tags (operator 1.30.0, plugin v0.13.0).
    ...["Cluster", "ScheduledBackup", "Backup"].map((kind) => [
      "postgresql.cnpg.io",
      kind,
      "cloudnative-pg/charts",
      `cloudnative-pg-v${CHART_VERSIONS.cloudnativePg}`,
    ]),
    [
      "barmancloud.cnpg.io",
      "ObjectStore",
      "cloudnative-pg/charts",
      `plugin-barman-cloud-v${CHART_VERSIONS.barmanCloudPlugin}`,
    ],
  ])("%s %s from %s at %s", (group, kind, repository, tag) => {
    const f = crdFixtures().find((x) => x.group === group && x.kind === kind);
    expect(f?.source).toMatchObject({ repository, tag });
    expect(f?.source.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("crdProblems finds what the API server would refuse", () => {
  const gateway = (spec: Record<string, unknown>) => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: "edge", namespace: "prod" },
    spec,
  });
  const listener = { name: "http", protocol: "HTTP", port: 80 };

  test("a valid Gateway passes", () => {
    expect(crdProblems(gateway({ gatewayClassName: "strata", listeners: [listener] }))).toEqual([]);
  });

  test("a missing required field, a wrong type, a pattern, a range, an item count and an unknown field", () => {
    const problems = crdProblems(
      gateway({
        listeners: [
          { ...listener, name: "Not_A_Name", port: 70000, extra: true },
          ...Array.from({ length: 64 }, (_, i) => ({ ...listener, name: `l${i}` })),
        ],
        infrastructure: { labels: "x" },
      }),
    ).join("\n");
    expect(problems).toMatch(/required field gatewayClassName is missing/);
    expect(problems).toMatch(/listeners\[0\]\.name: "Not_A_Name" does not match/);
    expect(problems).toMatch(/listeners\[0\]\.port: above 65535/);
    expect(problems).toMatch(/listeners\[0\]\.extra: unknown field/);
    expect(problems).toMatch(/listeners: 65 items; at most 64/);
    expect(problems).toMatch(/infrastructure\.labels: must be object, got string/);
  });

  test("an enum, a namespaced cluster-scoped object, and a kind without a fixture", () => {
    const issuer = {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "x", namespace: "prod" },
      spec: { acme: { server: "https://acme", privateKeySecretRef: { name: "k" }, solvers: [] } },
    };
    expect(crdProblems(issuer).join("\n")).toMatch(/cluster-scoped; it takes no namespace/);
    const proxy = {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "EnvoyProxy",
      metadata: { name: "edge" },
      spec: {
        provider: {
          type: "Kubernetes",
          kubernetes: { envoyService: { externalTrafficPolicy: "Nearest" } },
        },
      },
    };
    expect(crdProblems(proxy).join("\n")).toMatch(/"Nearest" is not one of \["Local","Cluster"\]/);
    expect(
      crdProblems({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } }),
    ).toEqual(["Thing/t: no CRD fixture for example.com/v1 Thing"]);
  });
});

describe("edge rules copied from the Gateway API CRDs", () => {
  type Schema = {
    properties?: Record<string, Schema>;
    items?: Schema;
    "x-kubernetes-validations"?: Array<{ rule: string }>;
  };
  const httproute = crdFor("gateway.networking.k8s.io/v1", "HTTPRoute")!.versions.v1 as Schema;
  const pathSchema =
    httproute.properties!.spec!.properties!.rules!.items!.properties!.matches!.items!.properties!
      .path!;

  test("PATH_FORBIDDEN is every contains/endsWith rule on a PathPrefix value", () => {
    const rules = (pathSchema["x-kubernetes-validations"] ?? []).map((v) => v.rule);
    const forbidden = (fn: string) =>
      rules.flatMap((r) =>
        [...r.matchAll(new RegExp(`!self\\.value\\.${fn}\\('([^']+)'\\)`, "g"))].map((m) => m[1]),
      );
    expect(new Set(forbidden("contains"))).toEqual(new Set(PATH_FORBIDDEN.contains));
    expect(new Set(forbidden("endsWith"))).toEqual(new Set(PATH_FORBIDDEN.endsWith));
    for (const bad of [
      ...PATH_FORBIDDEN.contains.map((s) => `/a${s}b`),
      ...PATH_FORBIDDEN.endsWith.map((s) => `/a${s}`),
    ]) {
      expect(pathProblem(bad)).toBeDefined();
    }
  });

  test("a host Strata accepts matches the listener hostname pattern of the CRD", () => {
    const gw = crdFor("gateway.networking.k8s.io/v1", "Gateway")!.versions.v1 as Schema & {
      properties: {
        spec: {
          properties: { listeners: { items: { properties: { hostname: { pattern: string } } } } };
        };
      };
    };
    const pattern = new RegExp(
      gw.properties.spec.properties.listeners.items.properties.hostname.pattern,
    );
    for (const host of ["api.example.com", "a-b.c1.example.io", "x.y"]) {
      expect(hostProblem(host)).toBeUndefined();
      expect(pattern.test(host)).toBe(true);
    }
  });
});
