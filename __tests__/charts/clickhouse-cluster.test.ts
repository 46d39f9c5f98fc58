/**
 * charts/clickhouse-cluster with the real helm: the values every environment synthesizes and the
 * Keeper shapes Strata allows (0, 1, 3, 5), every custom resource checked against the CRD schemas
 * of the pinned Altinity clickhouse-operator (release-0.25.6), the pod templates against what the
 * API server and Pod Security "restricted" refuse, and the wiring between the two resources and
 * the Secret Strata generates.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { realApp } from "../support/app";
import { releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { crdProblems } from "../support/crd-schema";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { podSpecProblems } from "../support/pod-checks";

const CHART = path.join(__dirname, "..", "..", "charts", "clickhouse-cluster");
const available = helmBinary() !== undefined;
if (!available) {
  console.warn(
    `skipping clickhouse-cluster chart tests: no helm binary (${helmUnavailableReason()})`,
  );
}
const describeWithHelm = available ? describe : describe.skip;

interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  securityContext?: Record<string, unknown>;
}
interface PodTemplate {
  name: string;
  metadata?: { labels?: Record<string, string> };
  spec: {
    securityContext?: Record<string, unknown>;
    affinity?: unknown;
    containers: Container[];
  };
}
interface Installation {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    defaults: { templates: { podTemplate: string; dataVolumeClaimTemplate: string } };
    configuration: {
      zookeeper?: { nodes: Array<{ host: string; port: number }> };
      users?: Record<string, unknown>;
      clusters: Array<{ layout: { shardsCount?: number; replicasCount: number } }>;
    };
    templates: {
      podTemplates: PodTemplate[];
      volumeClaimTemplates: Array<{
        name: string;
        reclaimPolicy: string;
        spec: { resources: { requests: { storage: string } } };
      }>;
    };
  };
}

let tmp: string;
beforeAll(() => {
  if (available) tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-clickhouse-"));
});
afterAll(() => {
  if (available) fs.rmSync(tmp, { recursive: true, force: true });
});

function render(name: string, values: unknown, namespace = "env"): Installation[] {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  const out = helm(["template", name, CHART, "-n", namespace, "-f", file]);
  return parseAllDocuments(out)
    .map((d) => d.toJS() as Installation)
    .filter(Boolean);
}

/** Every problem of one rendered set: CRD schema, pod templates, restricted, retained volumes. */
function problemsOf(objects: Installation[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    problems.push(...crdProblems(o));
    const who = `${o.kind}/${o.metadata.name}`;
    const d = o.spec.defaults.templates;
    if (!o.spec.templates.podTemplates.some((t) => t.name === d.podTemplate))
      problems.push(`${who}: default podTemplate ${d.podTemplate} is not defined`);
    if (!o.spec.templates.volumeClaimTemplates.some((t) => t.name === d.dataVolumeClaimTemplate))
      problems.push(`${who}: default volume claim ${d.dataVolumeClaimTemplate} is not defined`);
    for (const v of o.spec.templates.volumeClaimTemplates)
      if (v.reclaimPolicy !== "Retain") problems.push(`${who}: volume ${v.name} is not retained`);
    for (const t of o.spec.templates.podTemplates) {
      problems.push(...podSpecProblems(t.spec).map((p) => `${who} ${t.name}: ${p}`));
      const pod = t.spec.securityContext ?? {};
      if (pod.runAsNonRoot !== true || typeof pod.runAsUser !== "number")
        problems.push(`${who} ${t.name}: not non-root with a numeric uid`);
      if ((pod.seccompProfile as { type?: string } | undefined)?.type !== "RuntimeDefault")
        problems.push(`${who} ${t.name}: no RuntimeDefault seccomp profile`);
      for (const c of t.spec.containers) {
        const sc = c.securityContext ?? {};
        if (sc.allowPrivilegeEscalation !== false)
          problems.push(`${who} ${c.name}: privilege escalation allowed`);
        if (JSON.stringify((sc.capabilities as { drop?: string[] })?.drop) !== '["ALL"]')
          problems.push(`${who} ${c.name}: capabilities not dropped`);
        if (!/:\d+\.\d+\.\d+\.\d+$/.test(c.image))
          problems.push(`${who} ${c.name}: image ${c.image} is not an exact release`);
      }
    }
  }
  return problems;
}

const byKind = (objects: Installation[], kind: string) => objects.filter((o) => o.kind === kind);

describeWithHelm("charts/clickhouse-cluster with helm", () => {
  let releases: Array<{ stack: string; namespace: string; release: SynthesizedRelease }>;
  beforeAll(() => {
    releases = [...realApp().stacks].flatMap(([stack, tf]) =>
      releasesOf(tf)
        .filter((r) => r.chart.startsWith("./assets/ClickhouseClusterChart/"))
        .map((release) => ({ stack, namespace: release.raw.namespace as string, release })),
    );
  });

  test("the seeds that run ClickHouse (dev, prod) use it, and each renders clean", () => {
    expect(new Set(releases.map((r) => r.stack.split("-")[0]))).toEqual(new Set(["dev", "prod"]));
    for (const { stack, namespace, release } of releases) {
      const objects = render(release.name, release.values, namespace);
      expect({ stack, problems: problemsOf(objects) }).toEqual({ stack, problems: [] });
      const chi = byKind(objects, "ClickHouseInstallation")[0]!;
      const chk = byKind(objects, "ClickHouseKeeperInstallation")[0];
      // The applications' password comes from the Secret the databases layer generates.
      const user = (release.values.user as { name: string; secretName: string }).name;
      const secretRef = (
        chi.spec.configuration.users![`${user}/password`] as {
          valueFrom: { secretKeyRef: { name: string; key: string } };
        }
      ).valueFrom.secretKeyRef;
      const name = release.values.name as string;
      expect(release.name).toBe(`${name}-chi`);
      expect(chi.metadata.name).toBe(name);
      expect(secretRef).toEqual({ name: `clickhouse-${name}-credentials`, key: "password" });
      expect(chi.spec.configuration.users![`${user}/networks/ip`]).toEqual(["::/0"]);
      // Keeper's Service is keeper-<chk> (pkg/model/chk/namer/patterns.go at release-0.25.6).
      if (chk)
        expect(chi.spec.configuration.zookeeper?.nodes).toEqual([
          { host: `keeper-${chk.metadata.name}`, port: 2181 },
        ]);
    }
  });

  test("prod is highly available: replicated shards, 3 Keeper nodes, spread over zones", () => {
    const prod = releases.filter((r) => r.stack.startsWith("prod-"));
    expect(prod.length).toBeGreaterThan(0);
    for (const { release, namespace } of prod) {
      const objects = render(release.name, release.values, namespace);
      const chi = byKind(objects, "ClickHouseInstallation")[0]!;
      const chk = byKind(objects, "ClickHouseKeeperInstallation")[0]!;
      expect(chi.spec.configuration.clusters[0]!.layout.replicasCount).toBeGreaterThan(1);
      expect(chk.spec.configuration.clusters[0]!.layout.replicasCount).toBe(3);
      for (const t of [...chi.spec.templates.podTemplates, ...chk.spec.templates.podTemplates])
        expect(JSON.stringify(t.spec.affinity)).toContain("topology.kubernetes.io/zone");
    }
  });

  test("Keeper 0, 1, 3 and 5 render with the layouts asked for; 0 renders no Keeper", () => {
    for (const keeper of [0, 1, 3, 5]) {
      const replicas = keeper === 0 ? 1 : 2;
      const objects = render("analytics", {
        keeper: { replicas: keeper },
        clickhouse: { shards: 2, replicas },
        user: { secretName: "analytics-clickhouse-credentials" },
        spreadZones: keeper > 1,
      });
      expect({ keeper, problems: problemsOf(objects) }).toEqual({ keeper, problems: [] });
      const chk = byKind(objects, "ClickHouseKeeperInstallation");
      expect(chk.length).toBe(keeper === 0 ? 0 : 1);
      if (keeper > 0)
        expect(chk[0]!.spec.configuration.clusters[0]!.layout.replicasCount).toBe(keeper);
      const chi = byKind(objects, "ClickHouseInstallation")[0]!;
      expect(chi.spec.configuration.clusters[0]!.layout).toEqual({
        shardsCount: 2,
        replicasCount: replicas,
      });
      expect(chi.spec.configuration.zookeeper === undefined).toBe(keeper === 0);
    }
  });

  test("the CRD check bites: a reclaim policy or a layout the CRD does not allow is reported", () => {
    const objects = render("a", { user: { secretName: "s" }, keeper: { replicas: 1 } });
    const chi = byKind(objects, "ClickHouseInstallation")[0]!;
    const bad = JSON.parse(JSON.stringify(chi)) as Installation;
    bad.spec.templates.volumeClaimTemplates[0]!.reclaimPolicy = "Keep";
    (bad.spec.configuration.clusters[0]!.layout as Record<string, unknown>).shardsCount = "two";
    const problems = crdProblems(bad);
    expect(problems.some((p) => p.includes("reclaimPolicy"))).toBe(true);
    expect(problems.some((p) => p.includes("shardsCount"))).toBe(true);
    expect(crdProblems(chi)).toEqual([]);
  });

  test("the metrics port is declared when on, and absent when off", () => {
    const on = render("a", { user: { secretName: "s" } });
    const server = byKind(on, "ClickHouseInstallation")[0]!.spec.templates.podTemplates[0]!;
    expect(server.spec.containers[0]!.ports).toEqual([{ name: "metrics", containerPort: 9363 }]);
    const off = render("a", { user: { secretName: "s" }, clickhouse: { metricsPort: 0 } });
    const plain = byKind(off, "ClickHouseInstallation")[0]!.spec.templates.podTemplates[0]!;
    expect(plain.spec.containers[0]!.ports).toBeUndefined();
  });

  test("refuses what cannot work: replicas without Keeper, no Secret, user default, an even Keeper", () => {
    expect(() => render("a", { user: { secretName: "s" }, clickhouse: { replicas: 2 } })).toThrow(
      /needs Keeper/,
    );
    expect(() => render("a", {})).toThrow(/user.secretName is empty/);
    expect(() => render("a", { user: { secretName: "s", name: "default" } })).toThrow(/user/);
    expect(() => render("a", { user: { secretName: "s" }, keeper: { replicas: 2 } })).toThrow(
      /keeper/,
    );
  });
});
