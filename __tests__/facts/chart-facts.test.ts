/**
 * Every third-party helm_release Strata synthesizes, checked against facts/charts.json: facts read
 * from each chart's source at its pinned tag (version evidence, default images, the volumes and
 * ports the chart creates itself, its admission webhooks, its values keys).
 */
import fs from "node:fs";
import path from "node:path";
import { CHART_VERSIONS, type ChartKey } from "../../environments/schema/workloads";
import { realApp } from "../support/app";
import {
  allowsTcpPort,
  checkableFacts,
  effectiveTag,
  extrasOf,
  factsFor,
  imageBasename,
  imageBlocks,
  loadFacts,
  thirdPartyReleases,
  unknownFixturePaths,
  unknownTopLevelPaths,
  urlsIn,
  valueAt,
  type ChartFacts,
  type ThirdPartyRelease,
} from "../support/chart-facts";

const facts = loadFacts();
const app = realApp();
const releases: ThirdPartyRelease[] = [...app.stacks].flatMap(([stack, tf]) =>
  thirdPartyReleases(stack, tf),
);

/** The releases grouped by chart@version, for one test per pinned chart version. */
const byPin = new Map<string, ThirdPartyRelease[]>();
for (const r of releases) {
  const key = `${r.chart}@${r.version}`;
  byPin.set(key, [...(byPin.get(key) ?? []), r]);
}
const pins = [...byPin.keys()].sort();
const where = (r: ThirdPartyRelease) => `${r.stack}/${r.name}`;

/** The facts to check a group against; fails the test when there are none. */
function factsOf(pin: string): ChartFacts {
  const [chart, version] = pin.split("@");
  const entry = checkableFacts(facts, chart, version);
  if (!entry) throw new Error(`facts/charts.json has no entry for ${pin}`);
  return entry;
}

const CHART_NAMES: Record<ChartKey, string> = {
  certManager: "cert-manager",
  envoyGateway: "gateway-helm",
  argocd: "argo-cd",
  postgresql: "postgresql",
  postgresqlHa: "postgresql-ha",
  redis: "redis",
  valkey: "valkey",
  clickhouse: "clickhouse",
  clickhouseOperator: "altinity-clickhouse-operator",
  meilisearch: "meilisearch",
  rabbitmq: "rabbitmq",
  rabbitmqOperator: "rabbitmq-cluster-operator",
  kafka: "kafka",
  strimzi: "strimzi-kafka-operator",
  kubePrometheusStack: "kube-prometheus-stack",
  cloudnativePg: "cloudnative-pg",
  barmanCloudPlugin: "plugin-barman-cloud",
};

/** Modules named otherwise than the chart they install. */
const MODULE_CHARTS: Readonly<Record<string, string>> = {
  "envoy-gateway": "gateway-helm",
  strimzi: "strimzi-kafka-operator",
  "clickhouse-operator": "altinity-clickhouse-operator",
};

/** `DEFAULT_*_VERSION` constants of modules/helm/<chart>.ts, read as text (no cdktf load). */
function moduleDefaultVersions(): Array<{ chart: string; version: string; file: string }> {
  const dir = path.join(__dirname, "..", "..", "modules", "helm");
  return fs.readdirSync(dir).flatMap((file) => {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    return [...text.matchAll(/export const DEFAULT_\w+_VERSION = "([^"]+)"/g)].map((m) => ({
      chart: MODULE_CHARTS[path.basename(file, ".ts")] ?? path.basename(file, ".ts"),
      version: m[1],
      file: `modules/helm/${file}`,
    }));
  });
}

describe("facts/charts.json is well-formed", () => {
  test("one entry per chart version, each with a citation at a commit or at its version", () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const c of facts.charts) {
      const id = `${c.name}@${c.version}`;
      if (seen.has(id)) problems.push(`${id}: listed twice`);
      seen.add(id);
      if (!/^[0-9a-f]{40}$/.test(c.source.commit))
        problems.push(`${id}: source.commit is not a commit`);
      if (c.exists.evidence.length === 0) problems.push(`${id}: no evidence for exists`);
      // every URL but the Helm repository itself is a citation
      for (const [at, url] of urlsIn(c).filter(([at]) => at !== "repository")) {
        const atCommit = /^https:\/\/github\.com\/[^/]+\/[^/]+\/(blob|tree)\/[0-9a-f]{40}\//.test(
          url,
        );
        if (!atCommit && !url.includes(c.version))
          problems.push(`${id}: ${at} ${url} names neither a commit nor ${c.version}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("a released version has its images, workloads, volumes, ports and values keys, all cited", () => {
    const problems: string[] = [];
    for (const c of facts.charts.filter((e) => e.exists.released)) {
      const id = `${c.name}@${c.version}`;
      if (!c.exists.evidence.some((e) => e.url.includes(c.source.commit)))
        problems.push(`${id}: no evidence at source.commit`);
      if (!c.defaultImages?.length) problems.push(`${id}: no defaultImages`);
      for (const i of c.defaultImages ?? []) {
        // argo-cd's component images inherit global.image, so only `effective` is always set
        if (!/[:@]/.test(i.effective) || !i.citation)
          problems.push(`${id}: image ${i.valuesPath} incomplete`);
      }
      for (const o of c.tagOverrides ?? []) {
        if (!(c.defaultImages ?? []).some((i) => i.valuesPath === o.valuesPath))
          problems.push(
            `${id}: tag override at ${o.valuesPath}, which is not an image of the chart`,
          );
        if (!o.reason || !/^https:\/\//.test(o.citation))
          problems.push(`${id}: tag override at ${o.valuesPath} has no reason or citation`);
      }
      if (!c.workloads?.length) problems.push(`${id}: no workloads`);
      const workloads = new Set((c.workloads ?? []).map((w) => w.id));
      for (const v of c.builtInVolumes ?? []) {
        if (!workloads.has(v.workload))
          problems.push(`${id}: volume ${v.name} of unknown workload ${v.workload}`);
        if (!v.name || !v.citation) problems.push(`${id}: volume entry incomplete`);
        if (v.mountPath !== null && !v.mountPath.startsWith("/"))
          problems.push(`${id}: volume ${v.name} mountPath ${v.mountPath} is not absolute`);
      }
      for (const p of c.ports ?? []) {
        if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535)
          problems.push(`${id}: port ${p.name} ${p.containerPort}`);
      }
      if (!c.valuesKeys) problems.push(`${id}: no valuesKeys`);
      for (const w of c.webhooks ?? []) {
        if (!Number.isInteger(w.port)) problems.push(`${id}: webhook ${w.name} has no port`);
        const [top, child] = w.valuesKey.split(".");
        const known = c.valuesKeys?.keys[top];
        if (!known || (child && Array.isArray(known) && !known.includes(child)))
          problems.push(`${id}: webhook valuesKey ${w.valuesKey} is not a values key`);
        if (!(c.ports ?? []).some((p) => p.containerPort === w.port && p.valuesKey === w.valuesKey))
          problems.push(
            `${id}: webhook port ${w.port} (${w.valuesKey}) is not among the chart's ports`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  test("a version that was never released names a released replacement", () => {
    const problems: string[] = [];
    for (const c of facts.charts.filter((e) => !e.exists.released)) {
      const id = `${c.name}@${c.version}`;
      const r = c.replacement;
      if (!r) problems.push(`${id}: not released and no replacement`);
      else if (!factsFor(facts, c.name, r.version)?.exists.released)
        problems.push(`${id}: replacement ${r.version} has no released entry`);
      else if (r.defaultImages.length === 0) problems.push(`${id}: replacement has no images`);
    }
    expect(problems).toEqual([]);
  });
});

describe("every chart version Strata pins was released", () => {
  test("the helm_release resources of the real app", () => {
    const problems = pins.flatMap((pin) => {
      const [chart, version] = pin.split("@");
      const entry = factsFor(facts, chart, version);
      const stacks = byPin.get(pin)!.map(where).join(", ");
      if (!entry) return [`${pin}: no facts entry (used by ${stacks})`];
      if (entry.repository !== byPin.get(pin)![0].repository)
        return [
          `${pin}: repository ${byPin.get(pin)![0].repository}, facts say ${entry.repository}`,
        ];
      if (!entry.exists.released)
        return [
          `${pin} was never released (${entry.exists.evidence.map((e) => e.url).join(" ; ")}); pin ${entry.replacement?.version} instead (used by ${stacks})`,
        ];
      return [];
    });
    expect(problems).toEqual([]);
  });

  test("the module defaults (modules/helm) and the environment schema's CHART_VERSIONS", () => {
    const pinned = [
      ...moduleDefaultVersions(),
      ...Object.entries(CHART_VERSIONS).map(([key, version]) => ({
        chart: CHART_NAMES[key as ChartKey],
        version,
        file: `environments/schema/workloads.ts (${key})`,
      })),
    ];
    expect(pinned.length).toBeGreaterThanOrEqual(20);
    const problems = pinned.flatMap(({ chart, version, file }) => {
      const entry = factsFor(facts, chart, version);
      if (!entry) return [`${file}: ${chart}@${version} has no facts entry`];
      if (!entry.exists.released)
        return [
          `${file}: ${chart}@${version} was never released; the replacement is ${entry.replacement?.version}`,
        ];
      return [];
    });
    expect(problems).toEqual([]);
  });
});

describe.each(pins)("%s", (pin) => {
  const group = byPin.get(pin)!;

  test("extra volumes and mounts do not reuse a volume name or mountPath the chart creates", () => {
    const c = factsOf(pin);
    const problems: string[] = [];
    for (const r of group) {
      for (const w of c.workloads ?? []) {
        const { volumes, mounts } = extrasOf(r.values, w);
        if (volumes.length === 0 && mounts.length === 0) continue;
        const builtIn = (c.builtInVolumes ?? []).filter((v) => v.workload === w.id);
        const builtInNames = new Set(builtIn.map((v) => v.name));
        const extraNames = new Set<string>();
        for (const { key, item } of volumes) {
          const name = item.name as string;
          const clash = builtIn.find((v) => v.name === name);
          if (clash)
            problems.push(
              `${where(r)}: ${key} adds volume "${name}", which ${c.name} ${c.version} already creates in ${w.id} (${clash.when}; ${clash.citation})`,
            );
          if (extraNames.has(name))
            problems.push(`${where(r)}: ${key} lists volume "${name}" twice`);
          extraNames.add(name);
        }
        const mountPaths = new Set<string>();
        for (const { key, item } of mounts) {
          const mountPath = item.mountPath as string;
          const clash = builtIn.find((v) => v.mountPath === mountPath);
          if (clash)
            problems.push(
              `${where(r)}: ${key} mounts ${mountPath}, where ${c.name} ${c.version} already mounts "${clash.name}" in ${w.id} (${clash.citation})`,
            );
          if (mountPaths.has(mountPath))
            problems.push(`${where(r)}: ${key} mounts ${mountPath} twice`);
          mountPaths.add(mountPath);
          if (!extraNames.has(item.name as string) && !builtInNames.has(item.name as string))
            problems.push(
              `${where(r)}: ${key} mounts volume "${item.name}", which no volume provides`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("image overrides sit where the chart reads an image and name a repository of the same image", () => {
    const c = factsOf(pin);
    const defaults = new Map((c.defaultImages ?? []).map((i) => [i.valuesPath, i]));
    const problems: string[] = [];
    for (const r of group) {
      for (const [at, block] of imageBlocks(r.values)) {
        const d = defaults.get(at);
        if (!d) {
          if (!(c.imageRegistryOnlyPaths ?? []).includes(at))
            problems.push(
              `${where(r)}: ${at} is not an image of ${c.name} ${c.version}; the override does nothing`,
            );
          continue;
        }
        const repo = block[d.repositoryKey];
        if (typeof repo !== "string" || repo === "") {
          problems.push(
            `${where(r)}: ${at} overrides ${d.effective} without naming ${at}.${d.repositoryKey}`,
          );
          continue;
        }
        if (imageBasename(repo) !== imageBasename(d.repository || d.effective))
          problems.push(
            `${where(r)}: ${at}.${d.repositoryKey} is ${repo}, but the chart's image there is ${d.effective}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  test("an image tag Strata pins is the chart's default tag at that version, or a cited override", () => {
    const c = factsOf(pin);
    const defaults = new Map((c.defaultImages ?? []).map((i) => [i.valuesPath, i]));
    const overrides = new Map((c.tagOverrides ?? []).map((o) => [o.valuesPath, o.tag]));
    const problems: string[] = [];
    for (const r of group) {
      for (const [at, block] of imageBlocks(r.values)) {
        const d = defaults.get(at);
        const shipped = d && effectiveTag(d.effective);
        if (
          d &&
          typeof block.tag === "string" &&
          block.tag !== shipped &&
          block.tag !== overrides.get(at)
        )
          problems.push(
            `${where(r)}: ${at}.tag ${block.tag}, but ${c.name} ${c.version} ships ${shipped} (${d.citation})`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  test("every values key Strata sets exists in the chart at that version", () => {
    const c = factsOf(pin);
    const problems: string[] = [];
    for (const r of group) {
      for (const p of unknownTopLevelPaths(
        r.values,
        c.valuesKeys!.keys,
        c.valuesKeys!.renderedWhole,
      ))
        problems.push(`${where(r)}: ${p}`);
      if (c.valuesFixture?.usableForFullDepth) {
        for (const p of unknownFixturePaths(r.values, c.valuesFixture.file))
          problems.push(`${where(r)}: ${p} is not in ${c.valuesFixture.file}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("admission webhooks on private GKE clusters", () => {
  const gke = facts.platform.gkePrivateCluster;
  const prefixes = [
    ...new Set([...app.stacks.keys()].map((s) => s.split("-").slice(0, 2).join("-"))),
  ].filter((p) => p.endsWith("-gcp"));

  test.each(prefixes)(
    "%s: the control plane can reach every webhook port the charts open (GKE allows 443 and 10250)",
    (prefix) => {
      const stacks = [...app.stacks].filter(([s]) => s.startsWith(`${prefix}-`));
      const resources = (type: string) =>
        stacks.flatMap(([, tf]) => Object.values(tf.resource?.[type] ?? {}));
      const cidrs = resources("google_container_cluster")
        .map((c) => (c.private_cluster_config as Record<string, unknown> | undefined) ?? {})
        .filter((p) => p.enable_private_nodes === true)
        .map((p) => p.master_ipv4_cidr_block as string);
      if (cidrs.length === 0) return;
      const firewalls = resources("google_compute_firewall");
      const problems: string[] = [];
      for (const r of releases.filter((x) => x.stack.startsWith(`${prefix}-`))) {
        const c = checkableFacts(facts, r.chart, r.version);
        for (const w of c?.webhooks ?? []) {
          const on = w.enabledBy
            ? (valueAt(r.values, w.enabledBy.valuesKey) ?? w.enabledBy.default)
            : true;
          if (on !== true) continue;
          const set = valueAt(r.values, w.valuesKey);
          const port = typeof set === "number" ? set : w.port;
          if (gke.defaultControlPlaneToNodePorts.includes(port)) continue;
          for (const cidr of cidrs) {
            const open = firewalls.some(
              (f) =>
                (f.direction ?? "INGRESS") === "INGRESS" &&
                ((f.source_ranges as string[] | undefined) ?? []).some(
                  // the CIDR itself, or a reference to the cluster's (another stack's output)
                  (s) =>
                    s === cidr ||
                    /master_ipv4_cidr_block|control_plane_cidr|controlPlaneCidr/i.test(s),
                ) &&
                allowsTcpPort(f.allow, port),
            );
            if (!open)
              problems.push(
                `${where(r)}: ${w.kind} ${w.name} is served on pod port ${port} (${w.valuesKey}; ${w.citation}); no google_compute_firewall in ${prefix}-* allows tcp:${port} from the control plane ${cidr}`,
              );
          }
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
