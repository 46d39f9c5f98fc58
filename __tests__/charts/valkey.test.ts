/**
 * The CloudPirates valkey chart at its pinned tag, rendered by the real helm with the values the
 * real app synthesizes (and the standalone variant): Pod Security `restricted` for every
 * container, valid pod specs, the Services and Secret the app wiring and monitoring rely on, PVCs
 * kept, no webhooks or CRDs.
 *
 * The chart's source comes from a git snapshot of CloudPirates-io/helm-charts (tag valkey-0.25.5,
 * with charts/common as its dependency, as Chart.lock pins): STRATA_CLOUDPIRATES_GIT or
 * /work/.mirror/CloudPirates-io+helm-charts/repo. Without it, or without helm, the tests skip.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { KINDS } from "../../modules/helm/monitoring-targets";
import { DEFAULT_VALKEY_VERSION, Valkey, valkeyConnection } from "../../modules/helm/valkey";
import { realApp } from "../support/app";
import { releaseNamed, releasesOf, type SynthesizedRelease } from "../support/chart-values";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { podSpecProblems, podSpecs } from "../support/pod-checks";
import { synthScope } from "../modules/helm/helpers";

const GIT = process.env.STRATA_CLOUDPIRATES_GIT ?? "/work/.mirror/CloudPirates-io+helm-charts/repo";
const TAG = `valkey-${DEFAULT_VALKEY_VERSION}`;

function sourceMissing(): string | undefined {
  if (!helmBinary()) return `no helm binary (${helmUnavailableReason()})`;
  try {
    execFileSync("git", ["-C", GIT, "rev-parse", "--verify", `${TAG}^{commit}`], {
      stdio: "pipe",
    });
  } catch {
    return `no git snapshot of CloudPirates-io/helm-charts with tag ${TAG} at ${GIT}`;
  }
  return undefined;
}
const missing = sourceMissing();
if (missing) console.warn(`skipping valkey chart tests: ${missing}`);
const describeWithChart = missing ? describe.skip : describe;

type Doc = {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
};
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string };
}
interface Container {
  name: string;
  image: string;
  securityContext?: SecurityContext;
  env?: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
}
interface Pod {
  securityContext?: SecurityContext;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: Array<Record<string, unknown> & { name: string }>;
  containers: Container[];
  initContainers?: Container[];
}

/**
 * What Pod Security `restricted` (Kubernetes pod-security-standards, v1.25+) refuses, per
 * container: privilege escalation allowed, capabilities other than NET_BIND_SERVICE or not
 * dropping ALL, running as root, no RuntimeDefault/Localhost seccomp profile; per pod: host
 * namespaces and volume types other than the allowed ones.
 */
function restrictedProblems(pod: Pod): string[] {
  const problems: string[] = [];
  const podCtx = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push("uses a host namespace");
  const allowedVolumes = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
  ];
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !allowedVolumes.includes(type)) problems.push(`volume ${v.name} is ${type}`);
  }
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const ctx = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (ctx.privileged) problems.push(`${where} is privileged`);
    if (ctx.allowPrivilegeEscalation !== false)
      problems.push(`${where} does not set allowPrivilegeEscalation: false`);
    if (!(ctx.capabilities?.drop ?? []).includes("ALL"))
      problems.push(`${where} does not drop ALL capabilities`);
    for (const cap of ctx.capabilities?.add ?? [])
      if (cap !== "NET_BIND_SERVICE") problems.push(`${where} adds capability ${cap}`);
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true)
      problems.push(`${where} may run as root (runAsNonRoot not true)`);
    if ((ctx.runAsUser ?? podCtx.runAsUser) === 0) problems.push(`${where} runs as UID 0`);
    const seccomp = (ctx.seccompProfile ?? podCtx.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
      problems.push(`${where} has no RuntimeDefault or Localhost seccomp profile`);
  }
  return problems;
}

let tmp: string;
let chartDir: string;
const rendered = new Map<string, Doc[]>();

beforeAll(() => {
  if (missing) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-valkey-"));
  const archive = execFileSync(
    "git",
    ["-C", GIT, "archive", TAG, "charts/valkey", "charts/common"],
    {
      maxBuffer: 1 << 26,
    },
  );
  fs.writeFileSync(path.join(tmp, "src.tar"), archive);
  execFileSync("tar", ["-xf", path.join(tmp, "src.tar"), "-C", tmp]);
  chartDir = path.join(tmp, "charts", "valkey");
  fs.mkdirSync(path.join(chartDir, "charts"));
  fs.renameSync(path.join(tmp, "charts", "common"), path.join(chartDir, "charts", "common"));
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** helm template, once per release name, namespace and values. */
function render(release: SynthesizedRelease, namespace: string): Doc[] {
  const key = `${namespace}/${release.name}/${JSON.stringify(release.values)}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  const values = path.join(tmp, `values-${rendered.size}.json`);
  fs.writeFileSync(values, JSON.stringify(release.values));
  const out = helm(["template", release.name, chartDir, "-n", namespace, "-f", values]);
  const docs = parseAllDocuments(out)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
  rendered.set(key, docs);
  return docs;
}

/** Every valkey release of the real app, and a standalone one from the module. */
function releases(): Array<{ where: string; namespace: string; release: SynthesizedRelease }> {
  const app = realApp();
  const fromApp = [...app.stacks].flatMap(([stack, tf]) =>
    releasesOf(tf)
      .filter((r) => r.chart === "valkey")
      .map((release) => ({
        where: `${stack}/${release.name}`,
        namespace: release.raw.namespace as string,
        release,
      })),
  );
  const standalone = releaseNamed(
    synthScope(
      (s) =>
        new Valkey(s, "Valkey", {
          name: "cache",
          namespace: "test",
          storageClass: "standard-rwo",
          sentinel: false,
          metrics: true,
        }),
    ),
    "cache",
  );
  return [...fromApp, { where: "module/standalone", namespace: "test", release: standalone }];
}

describeWithChart(`CloudPirates valkey ${DEFAULT_VALKEY_VERSION} rendered by helm`, () => {
  let all: ReturnType<typeof releases>;
  beforeAll(() => {
    all = releases();
  });

  test("the real app installs Valkey with sentinel and standalone both covered", () => {
    const arch = new Set(all.map((r) => r.release.values.architecture));
    expect([...arch].sort()).toEqual(["replication", "standalone"]);
  });

  test("every pod passes Pod Security restricted and the API server's pod checks", () => {
    const problems = all.flatMap(({ where, namespace, release }) =>
      withClaims(render(release, namespace)).flatMap(({ name, spec }) => [
        ...restrictedProblems(spec).map((p) => `${where} ${name}: ${p}`),
        ...podSpecProblems(spec).map((p) => `${where} ${name}: ${p}`),
      ]),
    );
    expect(problems.length + all.length).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  });

  test("without Strata's security contexts the chart's pods are not restricted (no seccomp)", () => {
    const { release, namespace } = all[0];
    const { podSecurityContext: _p, containerSecurityContext: _c, ...values } = release.values;
    const problems = withClaims(render({ ...release, values }, namespace)).flatMap(({ spec }) =>
      restrictedProblems(spec),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /seccomp/.test(p))).toBe(true);
  });

  test("the containers it runs: valkey 9.1.1 (init, server, sentinel) and the exporter", () => {
    const { release, namespace } = all.find(
      (r) => r.release.values.architecture === "replication",
    )!;
    const pod = podSpecs(render(release, namespace))[0].spec as unknown as Pod;
    expect(
      [...(pod.initContainers ?? []), ...pod.containers].map((c) => `${c.name}=${c.image}`),
    ).toEqual([
      "valkey-init=docker.io/valkey/valkey:9.1.1",
      "valkey=docker.io/valkey/valkey:9.1.1",
      "sentinel=docker.io/valkey/valkey:9.1.1",
      expect.stringMatching(
        /^metrics=docker\.io\/oliver006\/redis_exporter:v1\.89\.0-alpine@sha256:/,
      ),
    ]);
  });

  test("no webhooks, CRDs, cluster-scoped objects or chart-made Secrets", () => {
    for (const { where, namespace, release } of all) {
      const kinds = [...new Set(render(release, namespace).map((d) => d.kind))].sort();
      expect([where, kinds.filter((k) => !ALLOWED_KINDS.includes(k))]).toEqual([where, []]);
    }
  });

  test("the password comes from the generated Secret in every container that reads it", () => {
    for (const { where, namespace, release } of all) {
      const c = valkeyConnection({
        name: release.name,
        namespace,
        sentinel: release.values.architecture === "replication",
      });
      const pod = podSpecs(render(release, namespace))[0].spec as unknown as Pod;
      const refs = [...(pod.initContainers ?? []), ...pod.containers].flatMap((x) =>
        (x.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : [])),
      );
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs)
        expect([where, ref]).toEqual([where, { name: c.secretName, key: c.passwordKey }]);
    }
  });

  test("the Services the apps are wired to exist with the ports they are given", () => {
    for (const { where, namespace, release } of all) {
      const sentinel = release.values.architecture === "replication";
      const c = valkeyConnection({ name: release.name, namespace, sentinel });
      const host = c.host.split(".")[0];
      const svc = render(release, namespace).find(
        (d) => d.kind === "Service" && d.metadata.name === host,
      );
      const ports = ((svc?.spec?.ports ?? []) as Array<{ port: number }>).map((p) => p.port);
      expect([where, ports]).toEqual([where, sentinel ? [c.port, c.sentinel!.port] : [c.port]]);
    }
  });

  test("the metrics Service carries the labels and port name the ServiceMonitor selects", () => {
    for (const { where, namespace, release } of all.filter((r) => {
      const m = r.release.values.metrics as { enabled?: boolean } | undefined;
      return m?.enabled === true;
    })) {
      const labels = KINDS.valkey.matchLabels(release.name);
      const svc = render(release, namespace).find(
        (d) =>
          d.kind === "Service" &&
          Object.entries(labels).every(([k, v]) => d.metadata.labels?.[k] === v),
      );
      expect([where, svc?.metadata.name]).toEqual([where, `${release.name}-valkey-metrics`]);
      const ports = (svc!.spec!.ports as Array<{ name: string }>).map((p) => p.name);
      expect(ports).toEqual([KINDS.valkey.port]);
    }
  });

  test("volumes: one PVC per node, kept when the release is deleted or scaled down", () => {
    for (const { where, namespace, release } of all) {
      const sts = render(release, namespace).find((d) => d.kind === "StatefulSet")!;
      expect([where, sts.spec!.persistentVolumeClaimRetentionPolicy]).toEqual([
        where,
        { whenDeleted: "Retain", whenScaled: "Retain" },
      ]);
      const claims = sts.spec!.volumeClaimTemplates as Array<{ metadata: { name: string } }>;
      expect(claims.map((t) => t.metadata.name)).toEqual(["data"]);
    }
  });
});

/** The pod specs, with a StatefulSet's volumeClaimTemplates among the pod's volumes. */
function withClaims(docs: Doc[]): Array<{ name: string; spec: Pod }> {
  return podSpecs(docs).map(({ name, spec }) => {
    const owner = docs.find((d) => `${d.kind}/${d.metadata.name}` === name);
    const claims = (owner?.spec?.volumeClaimTemplates ?? []) as Array<{
      metadata: { name: string };
    }>;
    const pod = spec as unknown as Pod;
    return {
      name,
      spec: {
        ...pod,
        volumes: [
          ...(pod.volumes ?? []),
          ...claims.map((c) => ({ name: c.metadata.name, persistentVolumeClaim: {} })),
        ],
      },
    };
  });
}

/** Namespaced objects the chart may render with Strata's values. */
const ALLOWED_KINDS = ["ConfigMap", "PodDisruptionBudget", "Service", "StatefulSet"];
