/**
 * Readiness checks of a Helm-layer stack, derived from its synthesized JSON: every Deployment and
 * StatefulSet its releases create, in the order the releases apply (their `depends_on`), with the
 * release's own timeout, as `kubectl rollout status` commands.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { bitnamiFullname } from "../../modules/helm/bitnami-names";
import { readStack, UsageError, type CdktfOut } from "./cdktf-out";

/** One workload to wait for. */
export interface RolloutTarget {
  readonly kind: "deployment" | "statefulset";
  readonly name: string;
  readonly namespace: string;
  readonly timeoutSeconds: number;
  /** The Helm release that creates it. */
  readonly release: string;
  readonly chart: string;
}

/** A helm_release of the stack, as synthesized. */
interface ReleaseJson {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly values?: string[];
  readonly timeout?: number;
  readonly depends_on?: string[];
}

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Workload = Pick<RolloutTarget, "kind" | "name">;

const sts = (name: string): Workload => ({ kind: "statefulset", name });
const deploy = (name: string): Workload => ({ kind: "deployment", name });

/**
 * The workloads each chart creates, by chart name, as the Strata modules configure them (Bitnami
 * names objects `<release>-<chart>` unless the release name contains the chart's). Charts whose
 * only objects are hooks (charts/migration: Helm already waited for the Job) create none.
 */
const CHART_WORKLOADS: Readonly<Record<string, (release: string, v: Values) => Workload[]>> = {
  service: (r) => [deploy(r.slice(0, 63).replace(/-+$/, ""))],
  migration: () => [],
  postgresql: (r, v) => {
    const f = bitnamiFullname(r, "postgresql");
    return v.architecture === "replication" ? [sts(`${f}-primary`), sts(`${f}-read`)] : [sts(f)];
  },
  "postgresql-ha": (r) => {
    const f = bitnamiFullname(r, "postgresql-ha");
    return [sts(`${f}-postgresql`), deploy(`${f}-pgpool`)];
  },
  redis: (r, v) => {
    const f = bitnamiFullname(r, "redis");
    if (v.sentinel?.enabled) return [sts(`${f}-node`)];
    return [
      sts(`${f}-master`),
      ...((v.replica?.replicaCount ?? 0) > 0 && v.architecture === "replication"
        ? [sts(`${f}-replicas`)]
        : []),
    ];
  },
  rabbitmq: (r) => [sts(bitnamiFullname(r, "rabbitmq"))],
  kafka: (r, v) => {
    const f = bitnamiFullname(r, "kafka");
    return [
      sts(`${f}-controller`),
      ...((v.broker?.replicaCount ?? 0) > 0 ? [sts(`${f}-broker`)] : []),
    ];
  },
};

/** A release's chart name: the repository chart's, or the local chart's Chart.yaml `name`. */
function chartName(out: CdktfOut, stack: string, chart: string): string {
  if (!chart.startsWith("./")) return chart.split("/").pop()!;
  const dir = path.join(out.dir, out.stacks.get(stack)!.workingDirectory, chart);
  const file = path.join(dir, "Chart.yaml");
  if (!fs.existsSync(file)) throw new UsageError(`${stack}: chart ${chart} has no ${file}`);
  return String((parse(fs.readFileSync(file, "utf8")) as { name?: string }).name ?? chart);
}

/** The stack's releases, each after the releases it depends on, otherwise in file order. */
function orderedReleases(releases: Record<string, ReleaseJson>): Array<[string, ReleaseJson]> {
  const ids = Object.keys(releases);
  const done: string[] = [];
  const visit = (id: string, seen: string[]) => {
    if (done.includes(id) || seen.includes(id)) return;
    for (const dep of releases[id].depends_on ?? []) {
      const m = /^helm_release\.(.+)$/.exec(dep);
      if (m && releases[m[1]]) visit(m[1], [...seen, id]);
    }
    done.push(id);
  };
  ids.forEach((id) => visit(id, []));
  return done.map((id) => [id, releases[id]]);
}

/** The workloads of `stack` to check, in apply order. Charts Strata does not know are skipped. */
export function rolloutTargets(out: CdktfOut, stack: string): RolloutTarget[] {
  const json = readStack(out, stack);
  const releases = (json.resource?.helm_release ?? {}) as unknown as Record<string, ReleaseJson>;
  return orderedReleases(releases).flatMap(([, r]) => {
    const chart = chartName(out, stack, r.chart);
    const workloads = CHART_WORKLOADS[chart];
    if (!workloads) return [];
    const values = (r.values ?? []).reduce<Values>(
      (all, doc) => ({ ...all, ...((parse(doc) as Values | null) ?? {}) }),
      {},
    );
    return workloads(r.name, values).map((w) => ({
      ...w,
      namespace: r.namespace,
      timeoutSeconds: r.timeout ?? 300,
      release: r.name,
      chart,
    }));
  });
}

/** The kubectl arguments that wait for one target. */
export function rolloutArgs(t: RolloutTarget, context?: string): string[] {
  return [
    ...(context ? ["--context", context] : []),
    "rollout",
    "status",
    `${t.kind}/${t.name}`,
    "-n",
    t.namespace,
    `--timeout=${t.timeoutSeconds}s`,
  ];
}

/** The same, as a shell command line. */
export function rolloutCommand(t: RolloutTarget, context?: string): string {
  return ["kubectl", ...rolloutArgs(t, context)].join(" ");
}

/** Layers whose stacks deploy workloads the rollout command knows. */
export const ROLLOUT_LAYERS: readonly string[] = ["databases", "buses", "apps"];
