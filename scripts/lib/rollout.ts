/**
 * Readiness checks of a Helm-layer stack, derived from its synthesized JSON: every Deployment and
 * StatefulSet its releases create, in the order the releases apply (their `depends_on`), with the
 * release's own timeout, as `kubectl rollout status` commands, and every Argo CD Application the
 * stack declares (charts/argocd-apps) as `kubectl wait` on its sync and health status (Argo CD, not
 * OpenTofu, rolls those apps out); and running them against the
 * stack's own cluster (a kube context built for it, scripts/lib/kube-context.ts), telling a
 * cluster that cannot be reached or refuses the credentials from a workload that is not ready.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { bitnamiFullname } from "../../modules/helm/bitnami-names";
import { readStack, UsageError, type CdktfOut } from "./cdktf-out";
import {
  accessHints,
  classifyFailure,
  ClusterAccessError,
  clusterAccess,
  describeCluster,
  kubectlArgs,
  type CommandRunner,
  type KubeAccess,
  type RunResult,
  type StackCluster,
} from "./kube-context";

/** One workload to wait for. */
export interface RolloutTarget {
  /**
   * `secret`: a Secret that must exist (a repository's credentials Argo CD reads); `ready`: a
   * custom resource whose operator reports condition Ready (Strimzi's Kafka, KafkaTopic, KafkaUser).
   */
  readonly kind: "deployment" | "statefulset" | "application" | "secret" | "ready";
  readonly name: string;
  /** For `ready`: the resource type, `<plural>.<group>` (kafkas.kafka.strimzi.io). */
  readonly resource?: string;
  /**
   * For an Argo CD Application: the status waited for, `.status.sync.status` = Synced (the
   * cluster matches Git and the values) or `.status.health.status` = Healthy (its workloads ready).
   */
  readonly check?: "sync" | "health";
  readonly namespace: string;
  readonly timeoutSeconds: number;
  /** The Helm release that creates it (or, for a Secret, that relies on it). */
  readonly release: string;
  /** What the Secret is for (a `secret` target). */
  readonly purpose?: string;
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
type Workload = Pick<RolloutTarget, "kind" | "name" | "check" | "purpose" | "resource">;

const sts = (name: string): Workload => ({ kind: "statefulset", name });
const deploy = (name: string): Workload => ({ kind: "deployment", name });
const ready = (resource: string, name: string): Workload => ({ kind: "ready", resource, name });
/** An Argo CD Application: first in sync, then healthy. */
const application = (name: string): Workload[] => [
  { kind: "application", name, check: "sync" },
  { kind: "application", name, check: "health" },
];

/** What `kubectl wait` waits for on an Application (fields of the Application CRD's status). */
export const APPLICATION_CONDITIONS = {
  sync: "jsonpath={.status.sync.status}=Synced",
  health: "jsonpath={.status.health.status}=Healthy",
} as const;

/**
 * The workloads each chart creates, by chart name, as the Strata modules configure them (Bitnami
 * names objects `<release>-<chart>` unless the release name contains the chart's). Charts whose
 * only objects are hooks (charts/migration: Helm already waited for the Job) create none.
 */
const CHART_WORKLOADS: Readonly<Record<string, (release: string, v: Values) => Workload[]>> = {
  service: (r) => [deploy(r.slice(0, 63).replace(/-+$/, ""))],
  migration: () => [],
  // charts/argocd-apps, in Argo CD's namespace (the release's): first the Secrets with the
  // repositories' credentials (created outside Strata), then the Applications it declares.
  "argocd-apps": (_r, v) => {
    const credentials = (v.project?.repositoryCredentials ?? []) as Array<{
      url: string;
      secretName: string;
    }>;
    const secrets = [...new Set(credentials.map((c) => c.secretName))].map((name): Workload => ({
      kind: "secret",
      name,
      purpose: `credentials of ${credentials
        .filter((c) => c.secretName === name)
        .map((c) => c.url)
        .join(", ")}`,
    }));
    return [
      ...secrets,
      ...((v.applications ?? []) as Array<{ name: string }>).flatMap((a) => application(a.name)),
    ];
  },
  // The CloudNativePG operator and its plugin: one Deployment each, named after the release
  // (their fullname helpers use a release name that contains the chart's, _helpers.tpl#L24-L35).
  "cloudnative-pg": (r) => [deploy(r)],
  "plugin-barman-cloud": (r) => [deploy(r)],
  // charts/postgres-cluster: the operator runs the pods; the Cluster reports condition Ready
  // (cloudnative-pg v1.30.0 api/v1/cluster_types.go#L1178).
  "postgres-cluster": (r) => [ready("cluster.postgresql.cnpg.io", r)],
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
  // CloudPirates valkey 0.25.5: one StatefulSet `<fullname>` in every architecture
  // (templates/statefulset.yaml L4; fullname as Bitnami's, charts/common _helpers.tpl L13-L24).
  valkey: (r) => [sts(bitnamiFullname(r, "valkey"))],
  rabbitmq: (r) => [sts(bitnamiFullname(r, "rabbitmq"))],
  // charts/rabbitmq-cluster: the operator builds the StatefulSet `<name>-server` of the
  // RabbitmqCluster (rabbitmq/cluster-operator v2.22.3 internal/resource/statefulset.go#L39,L63).
  "rabbitmq-cluster": (_r, v) => [sts(`${String(v.name)}-server`)],
  // bitnami/clickhouse 9.4.7: a StatefulSet `<fullname>-shard<i>` per shard
  // (templates/statefulset.yaml L6-L11), and `<fullname>-keeper` when Keeper is on.
  clickhouse: (r, v) => {
    const f = bitnamiFullname(r, "clickhouse");
    const shards = Number(v.shards ?? 1);
    return [
      ...Array.from({ length: shards }, (_, i) => sts(`${f}-shard${i}`)),
      ...(v.keeper?.enabled ? [sts(`${f}-keeper`.slice(0, 63).replace(/-+$/, ""))] : []),
    ];
  },
  // charts/clickhouse-cluster (Altinity clickhouse-operator release-0.25.6): a StatefulSet per host,
  // `chi-<chi>-<cluster>-<shard>-<replica>` and `chk-<chk>-<cluster>-<shard>-<replica>`
  // (pkg/model/chi/namer/patterns.go L48, pkg/model/chk/namer/patterns.go L46, host name
  // `<shard index>-<replica index>`: pkg/model/common/namer/name.go L25-L40; name parts of up to
  // 60/15 characters are kept whole: pkg/model/common/namer/short/const.go L19-L22). Keeper first:
  // the servers need it. The clusters are Strata's: "keeper" and "main".
  "clickhouse-cluster": (r, v) => {
    const name = String(v.name || r);
    const keeper = Number(v.keeper?.replicas ?? 0);
    const shards = Number(v.clickhouse?.shards ?? 1);
    const replicas = Number(v.clickhouse?.replicas ?? 1);
    return [
      ...Array.from({ length: keeper }, (_, i) => sts(`chk-${name}-keeper-0-${i}`)),
      ...Array.from({ length: shards }, (_, s) =>
        Array.from({ length: replicas }, (_, i) => sts(`chi-${name}-main-${s}-${i}`)),
      ).flat(),
    ];
  },
  // meilisearch 0.25.0: one StatefulSet named like Bitnami's fullname (the release, or
  // `<release>-meilisearch` unless the release name contains it: templates/_helpers.tpl).
  meilisearch: (r) => [sts(bitnamiFullname(r, "meilisearch"))],
  // charts/kafka-cluster: Helm creates the custom resources and returns; the Strimzi operator
  // reconciles them and sets condition Ready on each (the cluster, then its topic and user).
  "kafka-cluster": (_r, v) => [
    ready("kafkas.kafka.strimzi.io", String(v.name)),
    ready("kafkatopics.kafka.strimzi.io", String(v.topic?.name)),
    ready("kafkausers.kafka.strimzi.io", String(v.user?.name)),
  ],
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
  if (t.kind === "secret") {
    return [
      ...(context ? ["--context", context] : []),
      "get",
      `secret/${t.name}`,
      "-n",
      t.namespace,
      "-o",
      "name",
    ];
  }
  if (t.kind === "ready") {
    return [
      ...(context ? ["--context", context] : []),
      "wait",
      `${t.resource}/${t.name}`,
      "-n",
      t.namespace,
      "--for=condition=Ready",
      `--timeout=${t.timeoutSeconds}s`,
    ];
  }
  if (t.kind === "application") {
    return [
      ...(context ? ["--context", context] : []),
      "wait",
      `application.argoproj.io/${t.name}`,
      "-n",
      t.namespace,
      `--for=${APPLICATION_CONDITIONS[t.check ?? "health"]}`,
      `--timeout=${t.timeoutSeconds}s`,
    ];
  }
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

/** Exit codes of `npm run rollout -- <stack> --run`. */
export const ROLLOUT_EXIT = {
  /** Every workload ready (or nothing to check). */
  ready: 0,
  /** A workload not ready in time, or kubectl failed on it for another reason. */
  notReady: 1,
  /** The cluster's API could not be reached, or refused the credentials. */
  unreachable: 3,
} as const;

/** The real command runner: stderr (and stdout unless streamed) captured, exactly `env`. */
export const spawnRunner: CommandRunner = (command, args, { env, stream }) => {
  const r = spawnSync(command, [...args], {
    env,
    encoding: "utf8",
    stdio: stream ? ["ignore", "inherit", "pipe"] : ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    error: r.error as NodeJS.ErrnoException | undefined,
  };
};

/** What `runRollout` needs. */
export interface RolloutRun {
  readonly stack: string;
  readonly targets: readonly RolloutTarget[];
  /** The stack's cluster: a kubeconfig of its own is built for it (unless `context` is given). */
  readonly cluster?: StackCluster;
  /** An existing context of the ambient kubeconfig, by name (--context), used instead. */
  readonly context?: string;
  readonly runner: CommandRunner;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
  /** Where the temporary kubeconfig folder goes. @default os.tmpdir() */
  readonly tmpRoot?: string;
  /** Seconds kubectl waits for the API in the reachability check. @default 30 */
  readonly requestTimeoutSeconds?: number;
}

/**
 * Runs the readiness checks of a stack in order, in a kube context of the stack's own cluster, and
 * stops at the first failure. Returns an exit code of ROLLOUT_EXIT.
 */
export function runRollout(r: RolloutRun): number {
  const { stack, targets, cluster, log, error } = r;
  if (targets.length === 0) {
    log(`${stack}: no Deployment or StatefulSet to check`);
    return ROLLOUT_EXIT.ready;
  }
  const where = r.context
    ? `context ${r.context}${cluster ? ` (for cluster ${describeCluster(cluster)})` : ""}`
    : cluster
      ? `cluster ${describeCluster(cluster)}`
      : "the cluster";
  const unreachable = (what: string, output: string, kind = classifyFailure(output)) => {
    const problem =
      kind === "credentials"
        ? "refused or could not get the credentials"
        : kind === "connection"
          ? "cannot be reached (a connection failure, not a workload that is not ready)"
          : "could not be used";
    error(`${stack}: the Kubernetes API of ${where} ${problem}: ${what}`);
    if (output) error(indent(output));
    const hints =
      kind === "other"
        ? [...accessHints(cluster, "credentials"), ...accessHints(cluster, "connection")]
        : accessHints(cluster, kind);
    error(`likely fixes:\n${hints.map((h) => `  - ${h}`).join("\n")}`);
    return ROLLOUT_EXIT.unreachable;
  };

  let access: KubeAccess;
  if (cluster && !r.context) {
    try {
      const built = clusterAccess(cluster, r.runner, r.env, r.tmpRoot);
      access = built.access;
      log(`# ${stack}: ${where}, kubeconfig of its own: ${access.kubeconfig}`);
      log(
        `$ KUBECONFIG=${access.kubeconfig} ${[built.command.command, ...built.command.args].join(" ")}`,
      );
    } catch (e) {
      if (e instanceof ClusterAccessError) return unreachable(e.message, e.output);
      throw e;
    }
  } else if (r.context) {
    access = { context: r.context, env: r.env, dispose: () => undefined };
  } else {
    throw new UsageError(`${stack}: no cluster to check (no kubernetes provider) and no --context`);
  }

  const kubectl = (args: string[], stream: boolean): RunResult => {
    const result = r.runner("kubectl", kubectlArgs(access, args), { env: access.env, stream });
    if (result.error) {
      throw new UsageError(
        `cannot run kubectl (${result.error.code ?? result.error.message}); install it (docs/delivery.md lists the pinned version)`,
      );
    }
    return result;
  };
  try {
    const timeout = r.requestTimeoutSeconds ?? 30;
    const probe = kubectl([`--request-timeout=${timeout}s`, "get", "--raw=/readyz"], false);
    if (probe.status !== 0) {
      return unreachable(
        `kubectl get --raw=/readyz failed (exit ${probe.status ?? probe.signal})`,
        `${probe.stderr}${probe.stdout}`.trim(),
      );
    }
    for (const t of targets) {
      const args = rolloutArgs(t);
      log(`$ kubectl ${kubectlArgs(access, args).join(" ")}`);
      const result = kubectl(args, true);
      if (result.stderr) error(result.stderr.trimEnd());
      if (result.status === 0) continue;
      const kind = classifyFailure(result.stderr);
      const workload =
        t.kind === "secret"
          ? `Secret ${t.name} (${t.purpose ?? "read by Argo CD"}) in ${t.namespace}`
          : t.kind === "application"
            ? `Argo CD Application ${t.name} (${t.check === "sync" ? "sync status Synced" : "health Healthy"}) in ${t.namespace}`
            : `${t.kind === "ready" ? t.resource!.split(".")[0] : t.kind}/${t.name} (release ${t.release}) in ${t.namespace}`;
      if (kind === "connection" || kind === "credentials") {
        return unreachable(
          `while waiting for ${workload} (exit ${result.status ?? result.signal})`,
          "",
          kind,
        );
      }
      if (t.kind === "secret" && kind !== "timeout") {
        error(
          `${stack}: ${workload} is missing or unreadable: ${lastLine(result.stderr) || "no error output"}; create it in ${t.namespace} with the label argocd.argoproj.io/secret-type: repository (or repo-creds for a URL prefix) and the credentials (docs/gitops.md)`,
        );
      } else if (kind === "timeout" && t.kind === "application") {
        error(
          `${stack}: ${workload} not reached after ${t.timeoutSeconds}s; see kubectl -n ${t.namespace} get application.argoproj.io/${t.name} -o yaml (status.conditions, status.operationState) or argocd app get ${t.name}`,
        );
      } else if (kind === "timeout") {
        error(
          `${stack}: ${workload} is not ready after ${t.timeoutSeconds}s; see kubectl -n ${t.namespace} describe ${t.kind === "ready" ? t.resource : t.kind}/${t.name} and its pods' events`,
        );
      } else {
        error(
          `${stack}: kubectl could not check ${workload} (exit ${result.status ?? result.signal}): ${lastLine(result.stderr) || "no error output"}`,
        );
      }
      return ROLLOUT_EXIT.notReady;
    }
    log(`${stack}: ${targets.length} workload${targets.length === 1 ? "" : "s"} ready`);
    return ROLLOUT_EXIT.ready;
  } finally {
    access.dispose();
  }
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
const lastLine = (text: string) => text.trim().split("\n").pop() ?? "";
