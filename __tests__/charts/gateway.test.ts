/**
 * The edge with the real helm: charts/gateway and the HTTPRoutes of charts/service, rendered with
 * the values every environment synthesizes, checked against the CRD schemas of the pinned
 * versions (Gateway API v1.6.1, cert-manager v1.21.1, Envoy Gateway v1.9.0) and against each
 * other: every route attaches to an HTTPS listener of its environment's Gateway for its host, every
 * listener has a certificate from the environment's issuer, and the proxies may reach the app.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { realApp, type SynthesizedApp } from "../support/app";
import {
  applicationReleasesOf,
  releasesOf,
  type SynthesizedRelease,
} from "../support/chart-values";
import { crdProblems } from "../support/crd-schema";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";

const ROOT = path.join(__dirname, "..", "..", "charts");
const available = helmBinary() !== undefined;
if (!available) {
  console.warn(`skipping gateway chart tests: no helm binary (${helmUnavailableReason()})`);
}
const describeWithHelm = available ? describe : describe.skip;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}
interface Listener {
  name: string;
  protocol: string;
  port: number;
  hostname?: string;
  tls?: { mode: string; certificateRefs: Array<{ name: string }> };
}
interface Placed {
  stack: string;
  /** `<env>-<cloud>`: the environment on one cluster. */
  where: string;
  namespace: string;
  release: SynthesizedRelease;
  objects: K8sObject[];
}

let app: SynthesizedApp;
let tmp: string;
let gateways: Placed[];
let services: Placed[];

function render(chart: string, r: SynthesizedRelease, namespace: string): K8sObject[] {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(r.values));
  const out = helm(["template", r.name, path.join(ROOT, chart), "-n", namespace, "-f", file]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}

/**
 * The releases of a chart of charts/ in the real app: helm_releases of its asset, and (for
 * charts/service) the Applications Argo CD renders it for (delivery mode argocd).
 */
function placed(chartAsset: string, chart: string): Placed[] {
  return [...app.stacks].flatMap(([stack, tf]) =>
    [
      ...releasesOf(tf).filter((r) => r.chart.startsWith(`./assets/${chartAsset}/`)),
      ...(chart === "service" ? applicationReleasesOf(tf, "charts/service") : []),
    ].map((release) => {
      const namespace = release.raw.namespace as string;
      return {
        stack,
        where: stack.split("-").slice(0, 2).join("-"),
        namespace,
        release,
        objects: render(chart, release, namespace),
      };
    }),
  );
}

beforeAll(() => {
  if (!available) return;
  app = realApp();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-gateway-"));
  gateways = placed("GatewayChart", "gateway");
  services = placed("ServiceChart", "service");
});
afterAll(() => {
  if (available) fs.rmSync(tmp, { recursive: true, force: true });
});

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

describeWithHelm("the edge with helm", () => {
  test("dev, staging and prod expose apps: a Gateway on each cluster their hosts are on", () => {
    const withGateway = gateways.filter((g) => ofKind(g.objects, "Gateway").length > 0);
    for (const env of ["dev", "staging", "prod"]) {
      expect(withGateway.some((g) => g.stack.startsWith(`${env}-`))).toBe(true);
    }
  });

  test("every custom resource matches its CRD schema at the pinned version", () => {
    const builtIn = ["v1", "apps/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1"];
    const custom = [...gateways, ...services].flatMap(({ stack, objects }) =>
      objects.filter((o) => !builtIn.includes(o.apiVersion)).map((o) => ({ stack, o })),
    );
    expect(custom.length).toBeGreaterThan(0);
    const problems = custom.flatMap(({ stack, o }) => crdProblems(o).map((p) => `${stack}: ${p}`));
    expect(problems).toEqual([]);
  });

  test("a Gateway waits for the controllers, their CRDs and the GatewayClass (in the owner's stack, or the owner's stack first)", () => {
    for (const [stack, tf] of app.stacks) {
      const releases = releasesOf(tf);
      const edge = releases.find((r) => r.name === "edge");
      if (!edge) continue;
      const ids = (names: string[]) =>
        releases.filter((r) => names.includes(r.name)).map((r) => `helm_release.${r.id}`);
      const owner = ids(["envoy-gateway", "cert-manager", "gateway-class"]);
      if (owner.length > 0) {
        expect({ stack, deps: edge.raw.depends_on }).toEqual({
          stack,
          deps: expect.arrayContaining(owner),
        });
        expect(owner).toHaveLength(3);
      } else {
        const [env, cloud] = stack.split("-");
        const deps = app.manifest.stacks[stack]!.dependencies;
        expect({
          stack,
          guestOf: deps.some((d) => d.endsWith(`-${cloud}-platform`) && !d.startsWith(`${env}-`)),
        }).toEqual({ stack, guestOf: true });
      }
    }
  });

  test("one GatewayClass per cluster, created by the cluster owner's release, programmed by Envoy Gateway", () => {
    const classes = gateways.flatMap((g) =>
      ofKind(g.objects, "GatewayClass").map((c) => ({ cluster: g.stack, c })),
    );
    const owners = new Set(classes.map(({ cluster }) => cluster));
    expect(classes.length).toBe(owners.size);
    for (const { c } of classes) {
      expect(c.spec.controllerName).toBe("gateway.envoyproxy.io/gatewayclass-controller");
    }
    // Every Gateway names a class its cluster has.
    for (const g of gateways) {
      for (const gw of ofKind(g.objects, "Gateway")) {
        expect(classes.some(({ c }) => c.metadata.name === gw.spec.gatewayClassName)).toBe(true);
      }
    }
  });

  test("listeners: plain HTTP redirects, one HTTPS listener per host with its certificate from the environment's issuer", () => {
    for (const g of gateways) {
      for (const gw of ofKind(g.objects, "Gateway")) {
        const listeners = gw.spec.listeners as Listener[];
        const http = listeners.filter((l) => l.protocol === "HTTP");
        expect(http).toEqual([expect.objectContaining({ name: "http", port: 80 })]);
        const https = listeners.filter((l) => l.protocol === "HTTPS");
        expect(https.length).toBe(listeners.length - 1);
        for (const l of https) {
          expect(l).toMatchObject({ port: 443, tls: { mode: "Terminate" } });
          expect(l.hostname).toBeDefined();
          expect(l.tls!.certificateRefs).toHaveLength(1);
        }
        const issuer = gw.metadata.annotations?.["cert-manager.io/cluster-issuer"];
        const issuers = ofKind(g.objects, "ClusterIssuer");
        expect(issuers.map((i) => i.metadata.name)).toEqual([issuer]);
        // HTTP-01 through this Gateway's plain listener.
        const acme = issuers[0]!.spec.acme as {
          server: string;
          solvers: Array<{
            http01: { gatewayHTTPRoute: { parentRefs: Array<Record<string, string>> } };
          }>;
        };
        expect(acme.solvers[0]!.http01.gatewayHTTPRoute.parentRefs).toEqual([
          expect.objectContaining({
            kind: "Gateway",
            name: gw.metadata.name,
            namespace: g.namespace,
            sectionName: "http",
          }),
        ]);
        // Let's Encrypt staging for dev, production for staging and prod.
        const production = acme.server === "https://acme-v02.api.letsencrypt.org/directory";
        expect({ stack: g.stack, production }).toEqual({
          stack: g.stack,
          production: !g.stack.startsWith("dev-"),
        });
        const redirects = ofKind(g.objects, "HTTPRoute");
        expect(redirects).toHaveLength(1);
        expect(redirects[0]!.spec).toMatchObject({
          parentRefs: [{ name: gw.metadata.name, sectionName: "http" }],
          rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }] }],
        });
        // The Gateway's proxies and load balancer come from its EnvoyProxy.
        const ref = (gw.spec.infrastructure as { parametersRef: { kind: string; name: string } })
          .parametersRef;
        expect(ofKind(g.objects, "EnvoyProxy").map((p) => p.metadata.name)).toEqual([ref.name]);
      }
    }
  });

  test("every app route attaches to the HTTPS listener of its host on its environment's Gateway, never to plain HTTP", () => {
    const problems: string[] = [];
    let routes = 0;
    for (const s of services) {
      for (const route of ofKind(s.objects, "HTTPRoute")) {
        routes++;
        const gw = gateways
          .filter((g) => g.where === s.where)
          .flatMap((g) => ofKind(g.objects, "Gateway"))[0];
        if (!gw) {
          problems.push(`${s.stack} ${route.metadata.name}: no Gateway for ${s.where}`);
          continue;
        }
        const listeners = gw.spec.listeners as Listener[];
        const hostnames = route.spec.hostnames as string[];
        for (const ref of route.spec.parentRefs as Array<{
          name: string;
          namespace: string;
          sectionName: string;
        }>) {
          const l = listeners.find((x) => x.name === ref.sectionName);
          if (ref.name !== gw.metadata.name || ref.namespace !== s.namespace)
            problems.push(
              `${s.stack} ${route.metadata.name}: parent ${ref.namespace}/${ref.name} is not ${s.namespace}/${gw.metadata.name}`,
            );
          if (!l)
            problems.push(
              `${s.stack} ${route.metadata.name}: listener ${ref.sectionName} does not exist`,
            );
          else if (l.protocol !== "HTTPS" || !hostnames.includes(l.hostname!))
            problems.push(
              `${s.stack} ${route.metadata.name}: listener ${l.name} (${l.protocol} ${l.hostname}) does not serve its hosts`,
            );
        }
        const backend = (
          route.spec.rules as Array<{ backendRefs: Array<{ name: string; port: number }> }>
        )[0]!.backendRefs[0]!;
        const service = ofKind(s.objects, "Service")[0]!;
        const ports = (service.spec.ports as Array<{ port: number }>).map((p) => p.port);
        if (backend.name !== service.metadata.name || !ports.includes(backend.port))
          problems.push(
            `${s.stack} ${route.metadata.name}: backend ${backend.name}:${backend.port} is not its Service`,
          );
        // The proxies (in Envoy Gateway's namespace, labelled with their Gateway) may connect.
        const policy = ofKind(s.objects, "NetworkPolicy")[0]!;
        const from = (
          policy.spec.ingress as Array<{
            from: Array<Record<string, { matchLabels: Record<string, string> }>>;
          }>
        )[0]!.from;
        const admitsProxies = from.some(
          (f) =>
            f.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] ===
              "envoy-gateway-system" &&
            f.podSelector?.matchLabels["gateway.envoyproxy.io/owning-gateway-name"] ===
              gw.metadata.name &&
            f.podSelector?.matchLabels["gateway.envoyproxy.io/owning-gateway-namespace"] ===
              s.namespace,
        );
        if (!admitsProxies)
          problems.push(
            `${s.stack} ${route.metadata.name}: its NetworkPolicy does not admit the Gateway's proxies`,
          );
      }
    }
    expect(routes).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test("every HTTPS listener serves a route (no certificate for a host nobody routes)", () => {
    const problems: string[] = [];
    for (const g of gateways) {
      for (const gw of ofKind(g.objects, "Gateway")) {
        const routed = new Set(
          services
            .filter((s) => s.where === g.where)
            .flatMap((s) => ofKind(s.objects, "HTTPRoute"))
            .flatMap((r) =>
              (r.spec.parentRefs as Array<{ sectionName: string }>).map((p) => p.sectionName),
            ),
        );
        for (const l of (gw.spec.listeners as Listener[]).filter((x) => x.protocol === "HTTPS")) {
          if (!routed.has(l.name)) problems.push(`${g.stack}: listener ${l.name} has no route`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
