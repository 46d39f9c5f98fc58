/**
 * The environment registry: the environments in this folder, an optional environment file
 * (STRATA_ENV_FILE), selection (STRATA_ENVS) and the checks that span environments. Every problem
 * is collected and thrown together as a ConfigError, before any stack is built.
 */
import { checkCloudNativePg } from "./schema/cloudnative-pg";
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { cidrsOverlap, parseCidr } from "../modules/common/cidr";
import dev from "./dev";
import { ConfigError, type Problem } from "./errors";
import prod from "./prod";
import { postgresBackupProblems } from "../modules/common/backup-store";
import { judgeChart } from "../modules/common/chart-support";
import { isoToday, judgeMinor, type SupportCalendar } from "../modules/common/kubernetes-versions";
import {
  validateEnvironment,
  type Acknowledgement,
  type Environment,
  type EnvironmentInput,
} from "./schema";
import { tierRank } from "./schema/common";
import { checkArgoCdInstalled } from "./schema/delivery";
import type { ConfigCloud } from "./schema/workloads";
import staging from "./staging";

/** The environments described in this folder, in the order they are synthesized. */
export const BUILTIN_ENVIRONMENTS: readonly EnvironmentInput[] = [dev, staging, prod];

/** Where environments come from and which to synthesize (main.ts passes the env vars). */
export interface Selection {
  /** Comma-separated names (STRATA_ENVS). @default - all */
  readonly envs?: string;
  /** A .json/.yaml/.yml file with one environment or a list (STRATA_ENV_FILE). */
  readonly envFile?: string;
  /** @default BUILTIN_ENVIRONMENTS */
  readonly builtins?: readonly EnvironmentInput[];
  /** The date support calendars are judged against, YYYY-MM-DD (STRATA_TODAY). @default - today (UTC) */
  readonly today?: string;
}

/** The loaded registry: every known environment, and those selected for synthesis. */
export interface Registry {
  readonly all: readonly Environment[];
  readonly selected: readonly Environment[];
  /** What synthesis goes on with but the user should act on soon (a minor near its end of support). */
  readonly warnings: readonly Problem[];
}

/** Reads an environment file. Throws a ConfigError naming the file and the parse error. */
export function readEnvironmentFile(file: string): unknown[] {
  const ext = path.extname(file).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(ext)) {
    throw new ConfigError([
      {
        path: file,
        message: `STRATA_ENV_FILE must end in .json, .yaml or .yml (got "${ext || "no extension"}")`,
      },
    ]);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError([
      { path: file, message: `cannot read STRATA_ENV_FILE: ${(e as Error).message}` },
    ]);
  }
  let data: unknown;
  try {
    data = ext === ".json" ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new ConfigError([
      {
        path: file,
        message: `malformed ${ext.slice(1).toUpperCase()}: ${(e as Error).message.split("\n")[0]}`,
      },
    ]);
  }
  const list = Array.isArray(data) ? data : [data];
  if (
    list.length === 0 ||
    list.some((x) => x === null || typeof x !== "object" || Array.isArray(x))
  ) {
    throw new ConfigError([
      { path: file, message: "the file must hold one environment object or a list of them" },
    ]);
  }
  return list;
}

/** Loads, validates, checks across environments and selects. Throws ConfigError with every problem. */
export function loadEnvironments(selection: Selection = {}): Registry {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const byName = new Map<string, Environment>();
  const origin = new Map<string, string>();

  const add = (raw: unknown, label: string, replace: boolean) => {
    const result = validateEnvironment(raw, label);
    if (!result.ok) return void problems.push(...result.problems);
    const name = result.env.name;
    if (byName.has(name) && !replace) {
      problems.push({
        path: label,
        message: `environment name "${name}" is already used by ${origin.get(name)}; names must be unique`,
      });
      return;
    }
    const previous = byName.get(name);
    if (previous && replace) {
      warnings.push({
        path: label,
        message: `replaces the environment "${name}" of ${origin.get(name)} (same name)`,
      });
      const guard = replacementGuards(previous, result.env, label);
      problems.push(...guard.problems);
      warnings.push(...guard.warnings);
    }
    byName.set(name, result.env);
    origin.set(name, label);
  };

  for (const raw of selection.builtins ?? BUILTIN_ENVIRONMENTS) {
    const name = (raw as { name?: unknown }).name;
    add(raw, typeof name === "string" ? name : "environments/<unnamed>", false);
  }
  if (selection.envFile) {
    const fileNames = new Set<string>();
    readEnvironmentFile(selection.envFile).forEach((raw, i, list) => {
      const name = (raw as { name?: unknown }).name;
      const label = list.length > 1 ? `${selection.envFile}[${i}]` : selection.envFile!;
      if (typeof name === "string" && fileNames.has(name)) {
        problems.push({
          path: label,
          message: `environment name "${name}" appears twice in the file`,
        });
        return;
      }
      if (typeof name === "string") fileNames.add(name);
      add(raw, typeof name === "string" ? `${name} (${label})` : label, true);
    });
  }

  const all = [...byName.values()];
  problems.push(...checkAcrossEnvironments(all));

  const wanted = (selection.envs ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of wanted) {
    if (!byName.has(name)) {
      problems.push({
        path: "STRATA_ENVS",
        message: `unknown environment "${name}"; known: ${[...byName.keys()].join(", ")}`,
      });
    }
  }
  const selected = wanted.length === 0 ? all : all.filter((e) => wanted.includes(e.name));
  const today = selection.today ?? isoToday();
  if (selection.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(selection.today)) {
    problems.push({
      path: "STRATA_TODAY",
      message: `"${selection.today}" is not a date; write YYYY-MM-DD`,
    });
  }
  for (const env of selected) {
    for (const v of [...kubernetesSupport(env, today), ...platformChartSupport(env, today)]) {
      (v.level === "error" ? problems : warnings).push({ path: v.path, message: v.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { all, selected, warnings };
}

/**
 * What a file that replaces a staging or prod environment may not change without saying so
 * (`acknowledge`): the tier downward, the backend (type or bucket: state would start empty), and a
 * protection turned off (deletion protection, prevent_destroy, state encryption).
 */
export function replacementGuards(
  old: Environment,
  now: Environment,
  label: string,
): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const needed = new Set<Acknowledgement>();
  const acked = new Set(now.acknowledge);
  const require = (ack: Acknowledgement, field: string, what: string) => {
    needed.add(ack);
    if (acked.has(ack)) return;
    problems.push({
      path: `${label}.${field}`,
      message: `${what} in the ${old.tier}-tier environment "${old.name}" this file replaces; if that is meant, add acknowledge: ["${ack}"] to the file`,
    });
  };
  if (old.tier !== "dev") {
    if (tierRank(now.tier) < tierRank(old.tier)) {
      require("tier-downgrade", "tier", `tier "${now.tier}" downgrades tier "${old.tier}" (and its protections)`);
    }
    const where = (b: Environment["backend"]) =>
      `${b.type}${"bucket" in b ? ` bucket ${b.bucket}` : ""}`;
    if (where(old.backend) !== where(now.backend)) {
      require("backend-change", "backend", `backend ${where(now.backend)} replaces ${where(old.backend)}: tofu would start from an empty state there unless the state is migrated first`);
    }
    const protections: Array<[string, boolean, boolean]> = [
      ["deletionProtection", old.deletionProtection, now.deletionProtection],
      ["preventDestroy", old.preventDestroy, now.preventDestroy],
      ["stateEncryption.enabled", old.stateEncryption.enabled, now.stateEncryption.enabled],
    ];
    for (const [field, before, after] of protections) {
      if (before && !after) require("protection-off", field, `${field} turns off what was on`);
    }
  }
  const warnings = [...acked]
    .filter((a) => !needed.has(a))
    .map((a) => ({
      path: `${label}.acknowledge`,
      message: `acknowledges "${a}" but the file makes no such change; remove it so a later one is not waved through`,
    }));
  return { problems, warnings };
}

/**
 * The Kubernetes minors an environment pins on its own clusters, judged against the support
 * calendar (modules/common/kubernetes-versions.ts). GKE clusters follow their release channel,
 * which moves the minor itself.
 */
function kubernetesSupport(env: Environment, today: string) {
  const pinned: Array<{ path: string; cloud: SupportCalendar; minor: string }> = [];
  const eks = env.targets.aws?.cluster;
  if (eks)
    pinned.push({
      path: `${env.name}.targets.aws.cluster.version`,
      cloud: "eks",
      minor: eks.version,
    });
  const doks = env.targets.digitalocean?.cluster;
  if (doks) {
    const slug = doks.version ?? doks.versionPrefix ?? "";
    const minor = /^(\d+\.\d+)/.exec(slug)?.[1];
    const key = doks.version !== undefined ? "version" : "versionPrefix";
    if (minor)
      pinned.push({
        path: `${env.name}.targets.digitalocean.cluster.${key}`,
        cloud: "doks",
        minor,
      });
  }
  return pinned.flatMap((p) => {
    const verdict = judgeMinor(p.cloud, p.minor, today);
    return verdict.level === "ok" ? [] : [{ ...verdict, path: p.path }];
  });
}

/**
 * The platform charts an environment installs on clusters it owns (a guest installs none), judged
 * against their release lines' end of support (modules/common/chart-support.ts).
 */
function platformChartSupport(env: Environment, today: string) {
  if (env.workloads.sharedCluster) return [];
  const { platform, charts } = env.workloads;
  const judged = [
    { key: "envoyGateway", chart: "gateway-helm", on: platform.envoyGateway.enabled },
    { key: "certManager", chart: "cert-manager", on: platform.certManager.enabled },
  ] as const;
  return judged.flatMap(({ key, chart, on }) => {
    if (!on) return [];
    const verdict = judgeChart(chart, charts[key], today);
    return verdict.level === "ok"
      ? []
      : [{ ...verdict, path: `${env.name}.workloads.charts.${key}` }];
  });
}

/** A cluster that runs workloads: the environment owning it, its cloud, and the namespace used. */
export interface Placement {
  readonly cloud: ConfigCloud;
  /** The environment whose cluster stack creates the cluster. */
  readonly clusterEnvironment: string;
  readonly namespace: string;
}

/** True when the environment defines a cluster on that cloud. */
export function hasCluster(env: Environment, cloud: ConfigCloud): boolean {
  return env.targets[cloud]?.cluster !== undefined;
}

/** The clouds, in the order their stacks are built. */
const CONFIG_CLOUDS = ["gcp", "aws", "digitalocean"] as const;

/**
 * The environments met by following sharedCluster from `env`, ending with `env` again when they
 * form a cycle (`["a", "b", "a"]`); undefined when the chain ends at an owner or an unknown name.
 */
function sharingCycle(
  env: Environment,
  byName: ReadonlyMap<string, Environment>,
): string[] | undefined {
  const chain = [env.name];
  let next = env.workloads.sharedCluster?.environment;
  while (next !== undefined) {
    chain.push(next);
    if (next === env.name) return chain;
    if (chain.indexOf(next) < chain.length - 1) return undefined;
    next = byName.get(next)?.workloads.sharedCluster?.environment;
  }
  return undefined;
}

/** The clusters an environment's Helm layers run on. */
export function placements(env: Environment): Placement[] {
  const namespace = env.workloads.namespace;
  const shared = env.workloads.sharedCluster;
  if (shared) return [{ cloud: shared.cloud, clusterEnvironment: shared.environment, namespace }];
  return CONFIG_CLOUDS.filter((cloud) => hasCluster(env, cloud)).map((cloud) => ({
    cloud,
    clusterEnvironment: env.name,
    namespace,
  }));
}

/**
 * A guest whose RabbitMQ uses the operator engine needs the operator on its owner's cluster: the
 * owner installs it (platform.rabbitmqOperator) only for its own RabbitMQ unless told to.
 */
function checkRabbitmqOperatorInstalled(all: readonly Environment[]): Problem[] {
  const byName = new Map(all.map((e) => [e.name, e]));
  return all.flatMap((env) => {
    const shared = env.workloads.sharedCluster;
    const owner = shared && byName.get(shared.environment);
    const mq = env.workloads.buses.rabbitmq;
    if (!owner || mq?.engine !== "operator" || owner.workloads.platform.rabbitmqOperator.enabled)
      return [];
    return [
      {
        path: `${env.name}.workloads.buses.rabbitmq.engine`,
        message: `RabbitMQ with engine "operator" needs the RabbitMQ Cluster Operator on ${owner.name}'s ${shared.cloud} cluster, which ${owner.name} does not install; set workloads.platform.rabbitmqOperator.enabled: true in ${owner.name}, or engine: "bitnami" here (deprecated)`,
      },
    ];
  });
}

/** Checks that need several environments: shared clusters, namespaces, overlapping VPCs. */
export function checkAcrossEnvironments(all: readonly Environment[]): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(all.map((e) => [e.name, e]));

  for (const env of all) {
    const shared = env.workloads.sharedCluster;
    if (!shared) continue;
    // A guest runs only on the shared cluster: clusters of its own would get no workloads.
    for (const cloud of CONFIG_CLOUDS.filter((c) => hasCluster(env, c))) {
      problems.push({
        path: `${env.name}.targets.${cloud}.cluster`,
        message: `${env.name} runs its workloads on ${shared.environment}'s ${shared.cloud} cluster (workloads.sharedCluster), so a ${cloud} cluster of its own would stay empty; remove targets.${cloud}.cluster or workloads.sharedCluster`,
      });
    }
    const path = `${env.name}.workloads.sharedCluster`;
    const host = byName.get(shared.environment);
    if (!host) {
      problems.push({
        path,
        message: `shares a cluster of unknown environment "${shared.environment}"; known: ${[...byName.keys()].join(", ")}`,
      });
    } else if (host.name === env.name) {
      problems.push({
        path,
        message: "an environment cannot share its own cluster; remove sharedCluster",
      });
    } else if (host.workloads.sharedCluster) {
      const cycle = sharingCycle(env, byName);
      problems.push({
        path,
        message: cycle
          ? `sharing cycle ${cycle.join(" → ")}: no environment in it owns a cluster; let one of them declare its own cluster and the others share it`
          : `"${host.name}" itself runs on ${host.workloads.sharedCluster.environment}'s cluster; share the cluster's owner directly (chains and cycles of sharing are not allowed)`,
      });
    } else if (!hasCluster(host, shared.cloud)) {
      problems.push({
        path,
        message: `environment "${host.name}" has no ${shared.cloud} cluster; add targets.${shared.cloud}.cluster to it, or share another`,
      });
    }
  }

  problems.push(...checkArgoCdInstalled(all));
  problems.push(...checkRabbitmqOperatorInstalled(all));
  problems.push(...all.flatMap(postgresBackupProblems));
  problems.push(...checkCloudNativePg(all));

  const namespaces = new Map<string, string>();
  for (const env of all) {
    for (const p of placements(env)) {
      const key = `${p.cloud}/${p.clusterEnvironment}/${p.namespace}`;
      const other = namespaces.get(key);
      if (other) {
        problems.push({
          path: `${env.name}.workloads.namespace`,
          message: `namespace "${p.namespace}" on ${p.clusterEnvironment}'s ${p.cloud} cluster is already claimed by ${other}; choose another namespace`,
        });
      } else namespaces.set(key, env.name);
    }
  }

  const doVpcs: Array<{ env: string; region: string; range: string }> = [];
  for (const env of all) {
    const target = env.targets.digitalocean;
    if (!target) continue;
    const mine = parseCidr(target.network.ipRange);
    for (const other of doVpcs) {
      const theirs = parseCidr(other.range);
      if (other.region === target.region && mine && theirs && cidrsOverlap(mine, theirs)) {
        problems.push({
          path: `${env.name}.targets.digitalocean.network.ipRange`,
          message: `${target.network.ipRange} overlaps ${other.env}'s VPC ${other.range} in ${target.region}; VPCs in one region must not overlap`,
        });
      }
    }
    doVpcs.push({ env: env.name, region: target.region, range: target.network.ipRange });
  }
  return problems;
}

/**
 * The selected environments in groups that must be synthesized together: an environment and the
 * environments whose clusters it shares (or that share its cluster). Groups keep the registry's
 * order; each is independent of the others, so each can be built on an App of its own.
 */
export function synthesisGroups(selected: readonly Environment[]): Environment[][] {
  const parent = new Map(selected.map((e) => [e.name, e.name]));
  const find = (n: string): string => {
    const p = parent.get(n)!;
    if (p === n) return n;
    const root = find(p);
    parent.set(n, root);
    return root;
  };
  for (const env of selected) {
    const host = env.workloads.sharedCluster?.environment;
    if (host && parent.has(host)) parent.set(find(env.name), find(host));
  }
  const groups = new Map<string, Environment[]>();
  for (const env of selected) {
    const root = find(env.name);
    groups.set(root, [...(groups.get(root) ?? []), env]);
  }
  return [...groups.values()];
}
