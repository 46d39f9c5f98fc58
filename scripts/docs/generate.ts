/**
 * `npm run docs`: rewrites the generated regions of README.md and docs/*.md from the code, so the
 * tables that mirror code cannot drift. A region is
 *
 *   <!-- generated:<name> -->
 *   …
 *   <!-- /generated -->
 *
 * and its content is made by one of the renderers below: configuration keys and defaults (the zod
 * schemas' TSDoc, scripts/docs/schema-keys.ts), the tier defaults, the policy rules, the stacks
 * each cloud gets and their dependencies (a synthesized sample environment, scripts/docs/sample.ts),
 * the variables an application is wired to (stacks/kubernetes/wiring.ts), the pinned charts, the
 * support calendar, the seeds' stacks, prod's graph and a review, a rollout listing, the examples.
 * Then every file is formatted with the project's prettier config.
 *
 * `--check` writes nothing and exits 1 naming each file that differs (for CI);
 * __tests__/docs/docs.test.ts calls generateDocs() in-process and compares the same way.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnvironments, readEnvironmentFile } from "../../environments";
import { TIER_DEFAULTS, validateEnvironment, type Environment } from "../../environments/schema";
import { THRESHOLD_RANGES, type ThresholdKey } from "../../environments/schema/monitoring";
import { ALERT_KINDS, ALERT_TIER_DEFAULTS } from "../../environments/schema/alerts";
import {
  BITNAMI_CHARTS,
  CHART_KEYS,
  CHART_VERSIONS,
  WORKLOAD_SIZES,
  type AppSettings,
  type ChartKey,
  type ConfigCloud,
  type SizedComponent,
} from "../../environments/schema/workloads";
import {
  DEFAULT_DOKS_VERSION_PREFIX,
  DEFAULT_EKS_VERSION,
  endOfStandardSupport,
  knownMinors,
  SUPPORT_WARNING_DAYS,
  type SupportCalendar,
} from "../../modules/common/kubernetes-versions";
import { LAYERS } from "../../modules/common/naming";
import type { Waiver } from "../../modules/common/policy/engine";
import { IMAGE_FACTS, RULES } from "../../modules/common/policy/rules";
import { ALERT_METRICS } from "../../modules/common/alert-metrics";
import { DATA_CHARTS } from "../../modules/common/stateful-resources";
import { buildGroups } from "../../stacks/app";
import { appWiring, type AppWiring } from "../../stacks/kubernetes/wiring";
import { skipTokenStackTraces } from "../../stacks/stack-traces";
import { synthesizeAtomically } from "../../stacks/synth";
import { parseArgs } from "../lib/args";
import { readCdktfOut, UsageError } from "../lib/cdktf-out";
import { applyPlan, buildGraph, renderMermaid } from "../lib/graph";
import { renderText, reviewOutputs } from "../lib/review";
import { rolloutCommand, rolloutTargets } from "../lib/rollout";
import { cell, renderConfigTable, type ConfigTable } from "./config-tables";
import { SAMPLE, SAMPLE_NAME } from "./sample";
import { configKeys, type ConfigKey } from "./schema-keys";

/** The project root: this file runs from scripts/docs/ (jest) or dist/scripts/docs/ (bundled). */
export const PROJECT_ROOT = [
  path.resolve(__dirname, "..", ".."),
  path.resolve(__dirname, "../../.."),
].find((dir) => fs.existsSync(path.join(dir, "package.json")))!;

/** Documents this generator does not touch: written and checked by others. */
export const NOT_GENERATED = ["docs/delivery.md"];

/** README.md and docs/*.md, but those in {@link NOT_GENERATED}. */
export function documentFiles(root = PROJECT_ROOT): string[] {
  const docs = fs.existsSync(path.join(root, "docs"))
    ? fs
        .readdirSync(path.join(root, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`)
    : [];
  return ["README.md", ...docs].filter((f) => !NOT_GENERATED.includes(f));
}

/** The example environment files, by cloud. */
export const EXAMPLES: Readonly<Record<ConfigCloud, string>> = {
  gcp: "examples/gcp.yaml",
  aws: "examples/aws.yaml",
  digitalocean: "examples/digitalocean.yaml",
};

const REGION_RE = /<!-- generated:([a-z0-9-]+) -->[\s\S]*?<!-- \/generated -->/g;

/** Replaces each region's content; throws on a region no renderer makes. */
export function fillRegions(
  text: string,
  file: string,
  regions: Readonly<Record<string, string>>,
  used: Set<string>,
): string {
  return text.replace(REGION_RE, (_, name: string) => {
    if (!(name in regions)) {
      throw new UsageError(
        `${file}: no generated region "${name}"; known: ${Object.keys(regions).sort().join(", ")}`,
      );
    }
    used.add(name);
    return `<!-- generated:${name} -->\n\n${regions[name].trim()}\n\n<!-- /generated -->`;
  });
}

const code = (s: string) => `\`${s}\``;
const onOff = (b: boolean) => (b ? "on" : "off");

// ---------------------------------------------------------------------------------------------
// Configuration keys

/**
 * TSDoc defaults the code contradicts, with what the code does. Each names the TSDoc text it
 * replaces: when the schema's comment is fixed, the generator fails until the entry is removed.
 */
const DEFAULT_CORRECTIONS: Readonly<
  Record<string, { readonly doc: string; readonly text: string }>
> = {};

/** Descriptions for keys whose schema carries no TSDoc. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  name: "Environment name, 2–16 characters: it prefixes every stack and resource name.",
  tier: "Picks the defaults below and the policy rules that apply.",
  targets: "The clouds the environment has resources on.",
  "backend.bucket": "Bucket name.",
  "backend.region": "The bucket's region.",
  "targets.gcp.project": "Project id.",
  "targets.gcp.region": "Region, like europe-west1.",
  "targets.aws.region": "Region, like eu-west-1.",
  "targets.digitalocean.region": "Region slug, like ams3.",
  "targets.aws.messaging.topics": "SNS topics, at least one; physical name `<env>-<name>`.",
  "targets.aws.messaging.consumers":
    "One SQS queue `<env>-<name>` (+ `-dlq`) per consumer, subscribed to `topic`.",
  "workloads.sharedCluster.environment": "The environment that owns the cluster.",
  "workloads.databases.redis":
    "Valkey (CloudPirates valkey chart), or the deprecated bitnami/redis (engine).",
  "workloads.buses.rabbitmq":
    "A RabbitmqCluster of the RabbitMQ Cluster Operator, or the deprecated bitnami/rabbitmq (engine).",
  "workloads.buses.kafka":
    "Kafka on the Strimzi operator (KRaft), or the deprecated bitnami/kafka (engine).",
  "workloads.apps.<name>.image": "The container image; a pinned tag (`latest` is refused in prod).",
};

/** The configuration keys with the corrections and supplements above applied. */
export function documentedKeys(root = PROJECT_ROOT): ConfigKey[] {
  const keys = configKeys(root);
  for (const [keyPath, fix] of Object.entries(DEFAULT_CORRECTIONS)) {
    const k = keys.find((x) => x.path === keyPath);
    if (k?.docDefault !== fix.doc) {
      throw new Error(
        `scripts/docs/generate.ts DEFAULT_CORRECTIONS: ${keyPath}'s TSDoc @default is now ${JSON.stringify(k?.docDefault)}; remove the correction`,
      );
    }
  }
  for (const keyPath of Object.keys(DESCRIPTIONS)) {
    const k = keys.find((x) => x.path === keyPath);
    if (!k || k.description) {
      throw new Error(
        `scripts/docs/generate.ts DESCRIPTIONS: ${keyPath} ${k ? "has TSDoc of its own now" : "is no configuration key"}; remove the entry`,
      );
    }
  }
  return keys.map((k) => {
    const fix = DEFAULT_CORRECTIONS[k.path];
    const description = k.description || DESCRIPTIONS[k.path] || "";
    return { ...k, description, ...(fix ? { docDefault: fix.text } : {}) };
  });
}

const CONFIG_TABLES: Readonly<Record<string, ConfigTable>> = {
  "config-environment": {
    root: "",
    exclude: ["targets.gcp", "targets.aws", "targets.digitalocean"],
    shallow: ["workloads", "alerts"],
  },
  "config-alerts": { root: "alerts" },
  "config-gcp": { root: "targets.gcp" },
  "config-aws": { root: "targets.aws" },
  "config-digitalocean": { root: "targets.digitalocean" },
  "config-workloads": {
    root: "workloads",
    exclude: [
      "workloads.apps",
      "workloads.databases",
      "workloads.buses",
      "workloads.platform",
      "workloads.edge",
    ],
  },
  "config-services": {
    root: "workloads",
    exclude: [
      "workloads.apps",
      "workloads.namespace",
      "workloads.sharedCluster",
      "workloads.size",
      "workloads.clusterAuth",
      "workloads.timeoutSeconds",
      "workloads.maxHistory",
      "workloads.charts",
      "workloads.images",
      "workloads.storageClasses",
      "workloads.databases.postgresql.migration",
      "workloads.edge",
    ],
  },
  "config-edge": { root: "workloads.edge" },
  "config-apps": { root: "workloads.apps.<name>", exclude: ["workloads.apps.<name>.migration"] },
  "config-migration": { root: "workloads.apps.<name>.migration" },
};

// ---------------------------------------------------------------------------------------------
// Tables from constants

function tierDefaults(): string {
  const tiers = ["dev", "staging", "prod"] as const;
  const row = (what: string, f: (t: (typeof tiers)[number]) => string) =>
    `| ${what} | ${tiers.map(f).join(" | ")} |`;
  return [
    "| default | dev | staging | prod |",
    "| --- | --- | --- | --- |",
    row("`deletionProtection`", (t) => onOff(TIER_DEFAULTS[t].deletionProtection)),
    row("`highAvailability` (regional control planes, 3 zones, NAT per zone)", (t) =>
      onOff(TIER_DEFAULTS[t].highAvailability),
    ),
    row("`customerManagedKeys` (KMS)", (t) => onOff(TIER_DEFAULTS[t].customerManagedKeys)),
    row("`preventDestroy` (`lifecycle.prevent_destroy` on stateful resources)", (t) =>
      onOff(TIER_DEFAULTS[t].preventDestroy),
    ),
    row("`replicas`", (t) => String(TIER_DEFAULTS[t].replicas)),
    row("workload size (`workloads.size`)", (t) => TIER_DEFAULTS[t].workloadSize),
    row("state encryption (`stateEncryption.enabled`)", (t) =>
      TIER_DEFAULTS[t].stateEncryption ? "on (cannot be turned off)" : "off",
    ),
    row("monitoring (`workloads.platform.monitoring.enabled`), Prometheus retention", (t) =>
      TIER_DEFAULTS[t].monitoring.enabled
        ? `on, ${TIER_DEFAULTS[t].monitoring.retention}`
        : `off (${TIER_DEFAULTS[t].monitoring.retention} when turned on)`,
    ),
    row("`backend`", (t) =>
      t === "dev" ? "local (`.tfstate/`)" : "gcs or s3, required (no default)",
    ),
  ].join("\n");
}

/** What each tier picks for alerts and backups (environments/schema/alerts.ts ALERT_TIER_DEFAULTS). */
function alertDefaults(): string {
  const tiers = ["dev", "staging", "prod"] as const;
  const d = ALERT_TIER_DEFAULTS;
  const row = (what: string, f: (t: (typeof tiers)[number]) => string) =>
    `| ${what} | ${tiers.map(f).join(" | ")} |`;
  const t = (k: keyof (typeof d)["dev"]["thresholds"]) => (tier: (typeof tiers)[number]) =>
    String(d[tier].thresholds[k]);
  const days = (n: number, off: string) => (n === 0 ? off : `${n} days`);
  return [
    "| default | dev | staging | prod |",
    "| --- | --- | --- | --- |",
    row("`thresholds.backlogMessages`", t("backlogMessages")),
    row("`thresholds.oldestMessageSeconds`", t("oldestMessageSeconds")),
    row(
      "`thresholds.bigtableCpuHeadroomPercent` (over the autoscaling CPU target)",
      t("bigtableCpuHeadroomPercent"),
    ),
    row("`thresholds.bigtableStoragePercent`", t("bigtableStoragePercent")),
    row("`thresholds.dynamodbThrottledRequests` (per minute)", t("dynamodbThrottledRequests")),
    row("`thresholds.nodeUtilizationPercent` (DigitalOcean)", t("nodeUtilizationPercent")),
    row("`thresholds.evaluationMinutes`", t("evaluationMinutes")),
    ...ALERT_KINDS.map((k) => row(`\`severities.${k}\``, (tier) => d[tier].severities[k])),
    row("`backups.bigtableRetentionDays` (daily automated backups)", (tier) =>
      days(d[tier].backups.bigtableRetentionDays, "off"),
    ),
    row("`backups.awsBackupRetentionDays` (AWS Backup plan, daily)", (tier) =>
      days(d[tier].backups.awsBackupRetentionDays, "no plan (PITR only)"),
    ),
  ].join("\n");
}

/** The metrics alerts watch, with their source (facts/alert-metrics.json). */
function alertMetrics(): string {
  const rows: string[] = [
    "| cloud | metric | what it means | source |",
    "| --- | --- | --- | --- |",
  ];
  const first = (src: string) => src.split(/[ ;]/)[0];
  for (const [cloud, metrics] of Object.entries(ALERT_METRICS) as Array<
    [string, Record<string, { meaning?: string; source: string }>]
  >) {
    if (!["gcp", "aws", "digitalocean"].includes(cloud)) continue;
    for (const [metric, f] of Object.entries(metrics))
      rows.push(`| ${cloud} | \`${metric}\` | ${cell(f.meaning ?? "")} | <${first(f.source)}> |`);
  }
  return rows.join("\n");
}

function releaseTimeouts(): string {
  const tiers = ["dev", "staging", "prod"] as const;
  const layers = {
    platform:
      "cert-manager, Envoy Gateway, the Gateway, Argo CD, kube-prometheus-stack, monitoring objects",
    stateful: "PostgreSQL(-HA), Redis, ClickHouse, Meilisearch, RabbitMQ, Kafka",
    apps: "the applications and their migrations",
  } as const;
  return [
    "| `timeoutSeconds` | releases | dev | staging | prod |",
    "| --- | --- | --- | --- | --- |",
    ...(Object.keys(layers) as Array<keyof typeof layers>).map(
      (l) =>
        `| \`${l}\` | ${layers[l]} | ${tiers.map((t) => TIER_DEFAULTS[t].releaseTimeouts[l]).join(" | ")} |`,
    ),
  ].join("\n");
}

/** Alert thresholds per tier and the range each may take (environments/schema/monitoring.ts). */
function monitoringThresholds(): string {
  const tiers = ["dev", "staging", "prod"] as const;
  return [
    "| `thresholds.` | what | dev | staging | prod | allowed |",
    "| --- | --- | --- | --- | --- | --- |",
    ...(Object.keys(THRESHOLD_RANGES) as ThresholdKey[]).map((k) => {
      const r = THRESHOLD_RANGES[k];
      const v = tiers.map((t) => String(TIER_DEFAULTS[t].monitoring.thresholds[k]));
      return `| \`${k}\` | ${r.what} (${r.unit}) | ${v.join(" | ")} | ${r.min}–${r.max} |`;
    }),
  ].join("\n");
}

function workloadSizes(): string {
  const sizes = ["small", "medium", "large"] as const;
  const components = Object.keys(WORKLOAD_SIZES.small) as SizedComponent[];
  const one = (c: SizedComponent, s: (typeof sizes)[number]) => {
    const { resources, storage } = WORKLOAD_SIZES[s][c];
    const req = `${resources.requests.cpu} / ${resources.requests.memory}`;
    const limit = resources.limits?.memory ? ` (limit ${resources.limits.memory})` : "";
    return `${req}${limit}${storage ? `, ${storage}` : ""}`;
  };
  return [
    "| component | small (dev) | medium (staging) | large (prod) |",
    "| --- | --- | --- | --- |",
    ...components.map((c) => `| ${c} | ${sizes.map((s) => one(c, s)).join(" | ")} |`),
  ].join("\n");
}

function policyRules(): string {
  return [
    "| id | rule | tiers | checks | why | source | fix |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...RULES.map((r) => {
      const types =
        r.resourceTypes.length === 0
          ? "the stack"
          : r.resourceTypes.includes("*")
            ? "every resource"
            : r.resourceTypes.map(code).join(", ");
      const tiers = r.tiers.length === 3 ? "all" : r.tiers.join(", ");
      return `| ${r.id} | ${cell(r.title)} | ${tiers} | ${cell(types)} | ${cell(r.rationale)} | ${cell(r.source)} | ${cell(r.fix)} |`;
    }),
  ].join("\n");
}

/** The README's summary of the rules: id, title, tiers (docs/policy.md has the full table). */
function policySummary(): string {
  return [
    "| id | rule | tiers |",
    "| --- | --- | --- |",
    ...RULES.map(
      (r) =>
        `| ${r.id} | ${cell(r.title)} | ${r.tiers.length === 3 ? "all" : r.tiers.join(", ")} |`,
    ),
  ].join("\n");
}

/** The image policy's facts: frozen registries and the CVE table (facts/image-policy.json). */
function imagePolicyFacts(): string {
  return [
    "| rule | what | affected | fixed in | why / advisory |",
    "| --- | --- | --- | --- | --- |",
    ...IMAGE_FACTS.frozenRegistries.map(
      (f) =>
        `| IMG-1 | ${code(f.prefix)} | ${f.tags === "all" ? "every tag" : "versioned tags (anything but latest)"} | never (frozen) | ${cell(f.why)} (${f.citations.join(", ")}) |`,
    ),
    ...IMAGE_FACTS.cves.map(
      (c) =>
        `| IMG-3 | ${c.id}: ${c.images.map(code).join(", ")} | ${c.affected.map((r) => `>= ${r.introduced} < ${r.fixed}`).join("; ")} | ${c.fixedVersions.join(", ")} | ${cell(`${c.title} (${c.severity}; ${c.advisory}, ${c.url})`)} |`,
    ),
  ].join("\n");
}

/** The seeds' image waivers: the image debt, each with its migration and expiry. */
function imageDebt(envs: ReadonlyArray<{ name: string; waivers: readonly Waiver[] }>): string {
  const rows = envs.flatMap((e) =>
    e.waivers
      .filter((w) => w.rule.startsWith("IMG-"))
      .map(
        (w) =>
          `| ${e.name} | ${w.rule} | ${code(w.resource)} | ${w.expires} | ${w.owner} | ${cell(w.reason)} |`,
      ),
  );
  if (rows.length === 0) return "None: no seed waives an image rule.";
  return [
    "| environment | rule | images (construct path) | expires | owner | reason |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function supportCalendar(): string {
  const clouds: Array<[SupportCalendar, string, string]> = [
    ["eks", "EKS", `\`${DEFAULT_EKS_VERSION}\` (\`targets.aws.cluster.version\`)`],
    [
      "doks",
      "DOKS",
      `\`${DEFAULT_DOKS_VERSION_PREFIX}\` (\`targets.digitalocean.cluster.versionPrefix\`)`,
    ],
    ["gke", "GKE", "follows `targets.gcp.cluster.releaseChannel`"],
  ];
  return [
    `Synthesis warns ${SUPPORT_WARNING_DAYS} days before the end and fails after it.`,
    "",
    "| cloud | default | minors: end of standard support |",
    "| --- | --- | --- |",
    ...clouds.map(([cloud, name, def]) => {
      const minors = knownMinors(cloud).map((m) => {
        const end = endOfStandardSupport(cloud, m);
        return `${m}: ${end ? `${end.date}${end.estimated ? " (estimated)" : ""}` : "unknown"}`;
      });
      return `| ${name} | ${def} | ${minors.join("; ")} |`;
    }),
  ].join("\n");
}

/** Chart names of the chart keys, and the layer that installs each. */
const CHARTS: Readonly<Record<ChartKey, { name: string; layer: string }>> = {
  certManager: { name: "cert-manager", layer: "platform" },
  envoyGateway: { name: "gateway-helm", layer: "platform" },
  argocd: { name: "argo-cd", layer: "platform" },
  postgresql: { name: "postgresql", layer: "databases" },
  postgresqlHa: { name: "postgresql-ha", layer: "databases" },
  redis: { name: "redis", layer: "databases" },
  valkey: { name: "valkey", layer: "databases" },
  clickhouse: { name: "clickhouse", layer: "databases" },
  clickhouseOperator: { name: "altinity-clickhouse-operator", layer: "platform" },
  meilisearch: { name: "meilisearch", layer: "databases" },
  rabbitmq: { name: "rabbitmq", layer: "buses" },
  rabbitmqOperator: { name: "rabbitmq-cluster-operator", layer: "platform" },
  kafka: { name: "kafka", layer: "buses" },
  strimzi: { name: "strimzi-kafka-operator", layer: "platform" },
  kubePrometheusStack: { name: "kube-prometheus-stack", layer: "platform" },
  cloudnativePg: { name: "cloudnative-pg", layer: "platform" },
  barmanCloudPlugin: { name: "plugin-barman-cloud", layer: "platform" },
};

interface ChartFactsEntry {
  readonly name: string;
  readonly repository: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly exists: { readonly released: boolean };
}

function charts(root: string): string {
  const facts = JSON.parse(fs.readFileSync(path.join(root, "facts", "charts.json"), "utf8")) as {
    charts: ChartFactsEntry[];
  };
  const rows = CHART_KEYS.map((key) => {
    const chart = CHARTS[key];
    if (!chart)
      throw new Error(`scripts/docs/generate.ts CHARTS has no entry for chart key ${key}`);
    const version = CHART_VERSIONS[key];
    const entry = facts.charts.find((c) => c.name === chart.name && c.version === version);
    if (!entry?.exists.released) {
      throw new Error(`facts/charts.json has no released entry for ${chart.name} ${version}`);
    }
    const fixture = `__tests__/fixtures/chart-values/${chart.name}-${version}.json`;
    if (!fs.existsSync(path.join(root, fixture))) throw new Error(`${fixture} is missing`);
    return `| \`${key}\` | ${chart.name} | ${entry.repository} | \`${version}\` | ${entry.appVersion ?? "–"} | ${chart.layer} | ${DATA_CHARTS.includes(chart.name) ? "yes" : "–"} | ${BITNAMI_CHARTS.includes(key) ? "yes" : "–"} |`;
  });
  return [
    "| `workloads.charts.` | chart | repository | pinned | appVersion | layer | holds data | Bitnami |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Synthesized outputs

/** Synthesizes a selection into a new temporary folder; returns the folder. */
function synthesize(label: string, selection: Parameters<typeof loadEnvironments>[0]): string {
  const registry = loadEnvironments(selection);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `strata-docs-${label}-`));
  synthesizeAtomically(out, buildGroups(registry.selected, registry.all));
  return out;
}

interface Manifest {
  readonly stacks: Record<string, { readonly dependencies: readonly string[] }>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
}

const CLOUD_CODES = { gcp: "gcp", aws: "aws", digitalocean: "do" } as const;
const CLOUD_NAMES = { gcp: "GCP", aws: "AWS", digitalocean: "DigitalOcean" } as const;

/**
 * What each layer holds on each cloud. Checked against the synthesized sample: a stack the sample
 * gets without an entry here, or an entry without such a stack, fails the generator.
 */
const LAYER_CONTENT: Readonly<Record<string, string>> = {
  "gcp-network":
    "VPC, subnet with pod/service ranges, Cloud NAT, flow logs; KMS key ring with CMEK",
  "gcp-cluster":
    "GKE (private nodes, workload identity), node pools, the apps' Google service accounts",
  "gcp-data":
    "Bigtable event store (tables events, positions, snapshots), automated backups, CPU and storage alerts",
  "gcp-messaging":
    "Pub/Sub topics, subscriptions with dead-letter topics; backlog, age and dead-letter alerts",
  "aws-network": "VPC over 2–3 zones, public/private subnets, NAT, flow logs",
  "aws-cluster": "EKS (private endpoint, KMS-encrypted secrets), node groups, add-ons, IRSA roles",
  "aws-data":
    "DynamoDB event store (tables events, positions, snapshots), throttle and error alarms; AWS Backup plan (prod)",
  "aws-messaging":
    "SNS topics → SQS queues with dead-letter queues; backlog, age, dead-letter and delivery alarms",
  "do-network": "VPC",
  "do-cluster": "DOKS cluster, node pools, control-plane firewall; node alerts",
  "do-data": "managed PostgreSQL / Valkey (Redis) / Kafka; their alerts",
  platform:
    "namespace; the environment's Gateway and ACME issuer; cert-manager, Envoy Gateway, Argo CD (optional), kube-prometheus-stack (monitoring); gp3 StorageClass on EKS",
  databases: "PostgreSQL (or PostgreSQL HA), Redis, ClickHouse, Meilisearch in the cluster",
  buses: "RabbitMQ, Kafka (KRaft) in the cluster",
  apps: "the applications (charts/service), wired to what they use; their migrations",
};

const HELM_LAYERS = ["platform", "databases", "buses", "apps"];

function layerTable(sample: Manifest): string {
  const names = Object.keys(sample.stacks);
  const clouds = Object.keys(CLOUD_CODES) as ConfigCloud[];
  const seen = new Set<string>();
  const rows = LAYERS.map((layer) => {
    const helm = HELM_LAYERS.includes(layer);
    const cells = clouds.map((cloud) => {
      const stack = `${SAMPLE_NAME}-${CLOUD_CODES[cloud]}-${layer}`;
      if (!names.includes(stack)) return "–";
      seen.add(stack);
      const key = helm ? layer : `${CLOUD_CODES[cloud]}-${layer}`;
      if (!LAYER_CONTENT[key]) throw new Error(`LAYER_CONTENT has no entry for ${key}`);
      const name = code(`<env>-${CLOUD_CODES[cloud]}-${layer}`);
      return helm ? name : `${name}: ${LAYER_CONTENT[key]}`;
    });
    return `| ${layer}${helm ? `: ${LAYER_CONTENT[layer]}` : ""} | ${cells.join(" | ")} |`;
  });
  const unknown = names.filter((n) => !seen.has(n));
  if (unknown.length > 0) throw new Error(`stacks outside LAYERS: ${unknown.join(", ")}`);
  for (const key of Object.keys(LAYER_CONTENT)) {
    if (HELM_LAYERS.includes(key)) continue;
    const [cloudCode, layer] = key.split("-");
    if (!names.includes(`${SAMPLE_NAME}-${cloudCode}-${layer}`))
      throw new Error(`LAYER_CONTENT has ${key}, but the sample gets no such stack`);
  }
  return [
    `| layer | ${clouds.map((c) => CLOUD_NAMES[c]).join(" | ")} |`,
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

const generic = (s: string) => s.replace(new RegExp(`^${SAMPLE_NAME}-`), "<env>-");

function stackDependencies(sample: Manifest, cloud: ConfigCloud): string {
  const prefix = `${SAMPLE_NAME}-${CLOUD_CODES[cloud]}-`;
  const names = LAYERS.map((l) => `${prefix}${l}`).filter((n) => sample.stacks[n]);
  return [
    "| stack | depends on |",
    "| --- | --- |",
    ...names.map((n) => {
      const deps = [...sample.stacks[n].dependencies]
        .sort((a, b) => LAYERS.indexOf(layerOf(a)) - LAYERS.indexOf(layerOf(b)))
        .map((d) => code(generic(d)));
      return `| ${code(generic(n))} | ${deps.join(", ") || "–"} |`;
    }),
  ].join("\n");
}

const layerOf = (stack: string) => stack.split("-").pop() as (typeof LAYERS)[number];

function seedStacks(seeds: Manifest, all: readonly Environment[]): string {
  const names = Object.keys(seeds.stacks);
  const clouds = Object.keys(CLOUD_CODES) as ConfigCloud[];
  const rows = all.map((env) => {
    const cells = clouds.map((cloud) => {
      const layers = LAYERS.filter((l) => names.includes(`${env.name}-${CLOUD_CODES[cloud]}-${l}`));
      return layers.join(", ") || "–";
    });
    const count = names.filter((n) => n.startsWith(`${env.name}-`)).length;
    return `| ${env.name} | ${env.tier} | ${count} | ${cells.join(" | ")} |`;
  });
  return [
    `\`npm run synth\` synthesizes ${names.length} stacks for the seeds:`,
    "",
    `| environment | tier | stacks | ${clouds.map((c) => CLOUD_NAMES[c]).join(" | ")} |`,
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function prodGraph(seedsDir: string, all: readonly Environment[]): string {
  const graph = buildGraph(readCdktfOut(seedsDir), {
    environments: ["prod"],
    prodEnvironments: all.filter((e) => e.tier === "prod").map((e) => e.name),
    knownEnvironments: all.map((e) => e.name),
  });
  const plan = applyPlan(graph);
  const waves = plan.map(
    (wave, i) =>
      `${i + 1}. ${wave.map((s) => code(s.stack)).join(", ")}${
        wave.some((s) => s.after.length > 0)
          ? " (each databases, buses and apps stack then runs its rollout check)"
          : ""
      }`,
  );
  return [
    "```mermaid",
    renderMermaid(graph).trimEnd(),
    "```",
    "",
    `${plan.length} waves:`,
    "",
    ...waves,
  ].join("\n");
}

function rolloutExample(seedsDir: string, stack: string): string {
  const commands = rolloutTargets(readCdktfOut(seedsDir), stack).map((t) => rolloutCommand(t));
  return ["```", `$ npm run -s rollout -- ${stack}`, ...commands, "```"].join("\n");
}

/** The change the review example makes to prod, as edits of `npm run config -- show prod`. */
interface Edit {
  readonly path: string;
  readonly describe: string;
  readonly apply: (env: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const REVIEW_EDITS: readonly Edit[] = [
  {
    path: "targets.aws.messaging.consumers",
    describe: 'a consumer { name: "angzarr-audit", topic: "events" }, first in the list',
    apply: (e) =>
      e.targets.aws.messaging.consumers.unshift({ name: "angzarr-audit", topic: "events" }),
  },
  {
    path: "targets.aws.workloadIdentities[app=angzarr].consumes",
    describe: '"angzarr-audit", first in the list',
    apply: (e) =>
      e.targets.aws.workloadIdentities
        .find((w: { app: string }) => w.app === "angzarr")
        .consumes.unshift("angzarr-audit"),
  },
  {
    path: "workloads.databases.postgresql.resources.limits.memory",
    describe: '"6Gi"',
    apply: (e) => (e.workloads.databases.postgresql.resources.limits.memory = "6Gi"),
  },
  {
    path: "targets.gcp.network.subnetCidr",
    describe: '"10.61.0.0/20"',
    apply: (e) => (e.targets.gcp.network.subnetCidr = "10.61.0.0/20"),
  },
];

function reviewExample(seedsDir: string, all: readonly Environment[]): string {
  const prod = JSON.parse(JSON.stringify(all.find((e) => e.name === "prod")));
  for (const edit of REVIEW_EDITS) {
    try {
      edit.apply(prod);
    } catch (e) {
      throw new Error(
        `the review example cannot set ${edit.path} in prod (${(e as Error).message}); the prod seed changed: update REVIEW_EDITS in scripts/docs/generate.ts and the prose around the example in docs/review-and-apply.md`,
      );
    }
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-docs-review-"));
  try {
    const file = path.join(tmp, "prod.json");
    fs.writeFileSync(file, JSON.stringify(prod, null, 2));
    const after = synthesize("after", { envFile: file });
    try {
      const review = reviewOutputs(readCdktfOut(seedsDir), readCdktfOut(after), {
        prodEnvironments: all.filter((e) => e.tier === "prod").map((e) => e.name),
        stagingEnvironments: all.filter((e) => e.tier === "staging").map((e) => e.name),
        knownEnvironments: all.map((e) => e.name),
        beforeLabel: "cdktf.out.base",
        afterLabel: "cdktf.out.after",
      });
      return [
        "The edits to `prod.json`:",
        "",
        ...REVIEW_EDITS.map((e) => `- ${code(e.path)}: ${e.describe}`),
        "",
        "```",
        `$ npm run review -- cdktf.out.base cdktf.out.after      # exit ${review.exitCode}`,
        renderText(review).trimEnd(),
        "```",
      ].join("\n");
    } finally {
      fs.rmSync(after, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function examplesTable(root: string): string {
  const rows = (Object.entries(EXAMPLES) as Array<[ConfigCloud, string]>).map(([cloud, file]) => {
    const [raw] = readEnvironmentFile(path.join(root, file)) as Array<{
      name: string;
      tier: string;
    }>;
    const out = synthesize(`example-${cloud}`, {
      envFile: path.join(root, file),
      envs: raw.name,
    });
    try {
      const stacks = Object.keys(readManifest(out).stacks).sort(
        (a, b) => LAYERS.indexOf(layerOf(a)) - LAYERS.indexOf(layerOf(b)),
      );
      return `| [${file}](${file}) | ${raw.name} | ${raw.tier} | ${stacks.map(code).join(", ")} |`;
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
  return [
    "| file | environment | tier | stacks it synthesizes |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function exampleFile(root: string, cloud: ConfigCloud): string {
  const text = fs.readFileSync(path.join(root, EXAMPLES[cloud]), "utf8");
  return ["```yaml", text.trimEnd(), "```"].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Application wiring

/** One row of the wiring table: what the app sets, and on which cloud the row was computed. */
interface WiringCase {
  readonly uses: string;
  readonly cloud: ConfigCloud;
  /** The app name (cloud-native stores and buses need the sample's identity of that app). */
  readonly app: string;
  readonly set: Partial<AppSettings>;
  /** Changes to the environment for this row (Redis with Sentinel). */
  readonly env?: (e: Environment) => Environment;
}

const WIRING_CASES: readonly WiringCase[] = [
  { uses: "every app", cloud: "digitalocean", app: "web", set: {} },
  {
    uses: '`eventStore: "bigtable"` (GKE)',
    cloud: "gcp",
    app: "ledger",
    set: { eventStore: "bigtable" },
  },
  {
    uses: '`eventStore: "dynamodb"` (EKS)',
    cloud: "aws",
    app: "ledger",
    set: { eventStore: "dynamodb" },
  },
  {
    uses: '`eventStore: "postgres"`',
    cloud: "digitalocean",
    app: "web",
    set: { eventStore: "postgres" },
  },
  { uses: '`bus: "pubsub"` (GKE)', cloud: "gcp", app: "ledger", set: { bus: "pubsub" } },
  { uses: '`bus: "sns-sqs"` (EKS)', cloud: "aws", app: "ledger", set: { bus: "sns-sqs" } },
  { uses: '`bus: "rabbitmq"`', cloud: "digitalocean", app: "web", set: { bus: "rabbitmq" } },
  { uses: '`bus: "kafka"`', cloud: "digitalocean", app: "web", set: { bus: "kafka" } },
  { uses: "`database: true`", cloud: "digitalocean", app: "web", set: { database: true } },
  {
    uses: "`database: true`, PostgreSQL with `ha`",
    cloud: "digitalocean",
    app: "web",
    set: { database: true },
    env: (e) => {
      const pg = e.workloads.databases.postgresql!;
      return {
        ...e,
        workloads: {
          ...e.workloads,
          databases: { ...e.workloads.databases, postgresql: { ...pg, ha: true } },
        },
      };
    },
  },
  {
    uses: '`databaseUrlEnv: "DATABASE_URL"`',
    cloud: "digitalocean",
    app: "web",
    set: { database: true, databaseUrlEnv: "DATABASE_URL" },
  },
  { uses: "`cache: true`", cloud: "digitalocean", app: "web", set: { cache: true } },
  {
    uses: "`cache: true`, Redis with `sentinel`",
    cloud: "digitalocean",
    app: "web",
    set: { cache: true },
    env: (e) => {
      const redis = e.workloads.databases.redis!;
      return {
        ...e,
        workloads: {
          ...e.workloads,
          databases: { ...e.workloads.databases, redis: { ...redis, sentinel: true } },
        },
      };
    },
  },
  { uses: "`analytics: true`", cloud: "digitalocean", app: "web", set: { analytics: true } },
  { uses: "`search: true`", cloud: "digitalocean", app: "web", set: { search: true } },
  {
    uses: "image `docker.io/n8nio/n8n` with `database: true` (app contract)",
    cloud: "digitalocean",
    app: "flows",
    set: { database: true },
  },
];

/** The sample, validated as synthesis validates environments (nothing idle included). */
export function sampleEnvironment(): Environment {
  const result = validateEnvironment(SAMPLE, SAMPLE_NAME);
  if (!result.ok) {
    throw new Error(
      `scripts/docs/sample.ts is not a valid environment:\n${result.problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
    );
  }
  return result.env;
}

function wiringOf(env: Environment, c: WiringCase): AppWiring {
  const base = env.workloads.apps[c.app];
  const plain: AppSettings = {
    ...base,
    eventStore: undefined,
    bus: undefined,
    database: false,
    databaseUrlEnv: undefined,
    cache: false,
    analytics: false,
    search: false,
    env: {},
  };
  return appWiring(c.env ? c.env(env) : env, c.app, { ...plain, ...c.set }, c.cloud);
}

function wiringTable(env: Environment): string {
  const base = wiringOf(env, WIRING_CASES[0]);
  const rows = WIRING_CASES.map((c, i) => {
    const w = wiringOf(env, c);
    const settings = Object.entries(w.settings)
      .filter(([k]) => i === 0 || !(k in base.settings))
      .map(([k, v]) => code(`${k}=${v}`));
    const secrets = [
      ...w.secrets.map(
        (s) =>
          `${code(s.variable)} ← ${code(`${s.secretName}/${s.key}`)}${s.format ? " (a URL)" : ""}`,
      ),
      ...w.generated.map((g) => `${code(g)} (generated once, kept)`),
    ];
    const identity = [
      w.identity.gcpServiceAccount &&
        `${code("iam.gke.io/gcp-service-account")}: ${w.identity.gcpServiceAccount}`,
      w.identity.awsRoleName &&
        `${code("eks.amazonaws.com/role-arn")}: role ${w.identity.awsRoleName}`,
    ].filter(Boolean);
    return `| ${c.uses} | ${settings.join("<br>") || "–"} | ${secrets.join("<br>") || "–"} | ${identity.join("<br>") || "–"} |`;
  });
  return [
    `Computed by \`appWiring\` for the sample environment \`${SAMPLE_NAME}\` (scripts/docs/sample.ts): its values show how names are derived.`,
    "",
    "| the app uses | ConfigMap `<app>-config` | Secret `<app>-credentials` ← Secret/key it copies | ServiceAccount annotation |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------

/** Options of {@link generateDocs}. */
export interface GenerateOptions {
  readonly root?: string;
  /** A cdktf.out of the seeds synthesized already (the test run's); synthesized here otherwise. */
  readonly seedsDir?: string;
}

/** Every region's content. */
export function renderRegions(options: GenerateOptions = {}): Record<string, string> {
  const root = options.root ?? PROJECT_ROOT;
  skipTokenStackTraces();
  const keys = documentedKeys(root);
  const registry = loadEnvironments();
  const env = sampleEnvironment();
  const seedsDir = options.seedsDir ?? synthesize("seeds", {});
  const sampleDir = synthesize("sample", { builtins: [SAMPLE] });
  try {
    const sample = readManifest(sampleDir);
    const seeds = readManifest(seedsDir);
    const regions: Record<string, string> = {
      "tier-defaults": tierDefaults(),
      "alert-defaults": alertDefaults(),
      "alert-metrics": alertMetrics(),
      "release-timeouts": releaseTimeouts(),
      "workload-sizes": workloadSizes(),
      "monitoring-thresholds": monitoringThresholds(),
      "policy-rules": policyRules(),
      "policy-summary": policySummary(),
      "image-policy-facts": imagePolicyFacts(),
      "image-debt": imageDebt(registry.all),
      "support-calendar": supportCalendar(),
      charts: charts(root),
      layers: layerTable(sample),
      "stacks-gcp": stackDependencies(sample, "gcp"),
      "stacks-aws": stackDependencies(sample, "aws"),
      "stacks-digitalocean": stackDependencies(sample, "digitalocean"),
      "seed-stacks": seedStacks(seeds, registry.all),
      "prod-graph": prodGraph(seedsDir, registry.all),
      "rollout-example": rolloutExample(seedsDir, "prod-do-databases"),
      "review-example": reviewExample(seedsDir, registry.all),
      wiring: wiringTable(env),
      examples: examplesTable(root),
      "example-digitalocean": exampleFile(root, "digitalocean"),
    };
    for (const [name, table] of Object.entries(CONFIG_TABLES))
      regions[name] = renderConfigTable(keys, table);
    return regions;
  } finally {
    fs.rmSync(sampleDir, { recursive: true, force: true });
    if (!options.seedsDir) fs.rmSync(seedsDir, { recursive: true, force: true });
  }
}

/** Formats Markdown files with the project's prettier config (in a process of its own). */
export function formatMarkdown(
  files: ReadonlyArray<{ file: string; text: string }>,
  root = PROJECT_ROOT,
): Map<string, string> {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "scripts", "docs", "prettier-format.mjs")],
    {
      cwd: root,
      input: JSON.stringify(files.map((f) => ({ file: path.join(root, f.file), text: f.text }))),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`prettier failed:\n${result.stderr}`);
  const out = JSON.parse(result.stdout) as Array<{ file: string; text: string }>;
  return new Map(out.map((f) => [path.relative(root, f.file), f.text]));
}

/** The documents as they should be: file → text. */
export function generateDocs(options: GenerateOptions = {}): Map<string, string> {
  const root = options.root ?? PROJECT_ROOT;
  const regions = renderRegions(options);
  const used = new Set<string>();
  const files = documentFiles(root).map((file) => ({
    file,
    text: fillRegions(fs.readFileSync(path.join(root, file), "utf8"), file, regions, used),
  }));
  const unused = Object.keys(regions).filter((r) => !used.has(r));
  if (unused.length > 0) {
    throw new UsageError(`generated regions placed in no document: ${unused.join(", ")}`);
  }
  return formatMarkdown(files, root);
}

/** The command: `npm run docs` rewrites the documents; `-- --check` only compares. */
export function run(argv: string[]): number {
  const args = parseArgs(argv, [], ["check", "help", "h"]);
  if (args.options.has("help") || args.options.has("h")) {
    console.log(
      "usage: npm run docs [-- --check]   rewrite the generated regions of README.md and docs/*.md (--check: exit 1 when one is out of date)",
    );
    return 0;
  }
  const docs = generateDocs();
  const stale = [...docs].filter(
    ([file, text]) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8") !== text,
  );
  if (args.options.has("check")) {
    for (const [file] of stale) console.error(`${file} is out of date: run npm run docs`);
    return stale.length > 0 ? 1 : 0;
  }
  for (const [file, text] of stale) fs.writeFileSync(path.join(PROJECT_ROOT, file), text);
  console.log(
    stale.length > 0
      ? `docs: rewrote ${stale.map(([f]) => f).join(", ")}`
      : "docs: every document is up to date",
  );
  return 0;
}
