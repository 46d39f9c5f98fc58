/**
 * Every container image a synthesized stack will run, read from its helm_release resources:
 * Strata's own charts (charts/service and charts/migration: `image.repository`/`image.tag`),
 * Argo CD Applications (charts/argocd-apps: each source's inline `valuesObject`), and third-party
 * charts, whose images are their defaults from facts/charts.json (`defaultImages[].effective`)
 * unless the release's values override them at that values path. What Strata cannot resolve is
 * returned as `unresolved`, never skipped: the image rules report it.
 */
import { parse } from "yaml";
import CHART_FACTS from "../../../facts/charts.json";
import { get, type TfResource } from "./engine";

/** A parsed image reference. */
export interface ImageRef {
  /** Registry host, e.g. docker.io, ghcr.io. */
  readonly registry: string;
  /** Path under the registry, e.g. bitnamilegacy/redis, library/redis. */
  readonly repository: string;
  /** Tag; absent when the reference has none. */
  readonly tag?: string;
  /** `sha256:…`, when pinned by digest. */
  readonly digest?: string;
}

/** One image a release runs. */
export interface RunningImage {
  readonly resource: TfResource;
  /** Where in the release: a values path (`sentinel.image`) or `<application>/<git path>/image`. */
  readonly where: string;
  readonly image: ImageRef;
  /** Where the reference comes from: `values` or `chart default (facts/charts.json)`. */
  readonly from: string;
}

/** An image Strata cannot tell. */
export interface UnresolvedImage {
  readonly resource: TfResource;
  readonly where: string;
  readonly reason: string;
}

/** What {@link imagesOf} finds. */
export interface StackImages {
  readonly images: readonly RunningImage[];
  readonly unresolved: readonly UnresolvedImage[];
}

/** Docker's reference grammar, simplified: `[host[:port]/]path[:tag][@digest]`. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split("/");
  const hasHost =
    parts.length > 1 &&
    (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost");
  const registry = hasHost ? parts[0] : "docker.io";
  let repository = (hasHost ? parts.slice(1) : parts).join("/");
  if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `registry/repository[:tag][@digest]`. */
export function formatImageRef(i: ImageRef): string {
  return `${i.registry}/${i.repository}${i.tag ? `:${i.tag}` : ""}${i.digest ? `@${i.digest}` : ""}`;
}

/** The image's name: the last path component (`redis` for docker.io/bitnamilegacy/redis). */
export function imageName(i: ImageRef): string {
  return i.repository.split("/").pop() ?? i.repository;
}

interface DefaultImage {
  readonly valuesPath: string;
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly repositoryKey: string;
  readonly effective: string;
  readonly inherits?: string;
  /** A values path that, set to false, turns the workload running this image off. */
  readonly enabledBy?: string;
}
interface ChartFact {
  readonly name: string;
  readonly repository: string;
  readonly version: string;
  readonly defaultImages?: readonly DefaultImage[];
}
const CHARTS = (CHART_FACTS as unknown as { charts: readonly ChartFact[] }).charts;

/**
 * Strata's charts (charts/, shipped as assets: modules/common/project-charts.ts) by asset id, with
 * how their images are found: `image` (values image.repository/tag), `applications` (Argo CD
 * Applications), `none` (the chart has no container: its templates have no `image:`, checked by
 * __tests__/modules/common/policy/images.test.ts).
 */
export const PROJECT_CHARTS: Readonly<
  Record<string, "image" | "applications" | "none" | readonly string[]>
> = {
  ServiceChart: "image",
  MigrationChart: "image",
  ArgoCdAppsChart: "applications",
  GatewayChart: "none",
  MonitoringChart: "none",
  RabbitmqClusterChart: "image",
  // Kafka's images are the Strimzi operator's (facts/charts.json strimzi-kafka-operator).
  KafkaClusterChart: "none",
  // Full image references at these values paths (charts/clickhouse-cluster).
  ClickhouseClusterChart: ["clickhouse.image", "keeper.image"],
  // charts/postgres-cluster: the CloudNativePG Cluster's `imageName`, a full reference.
  PostgresClusterChart: ["cluster.imageName"],
};

/** Keys of an image block Strata knows how to compose; anything else makes the image unresolved. */
const IMAGE_KEYS = [
  "registry",
  "repository",
  "tag",
  "digest",
  "image",
  "pullPolicy",
  "pullSecrets",
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function deepMerge(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k], v) : v;
  return out;
}

/** The release's values (its YAML documents merged in order). */
function releaseValues(r: TfResource): Record<string, unknown> {
  const docs = Array.isArray(r.config.values) ? (r.config.values as unknown[]) : [];
  return docs
    .filter((d): d is string => typeof d === "string")
    .map((d) => parse(d) as unknown)
    .filter(isObject)
    .reduce<Record<string, unknown>>((acc, d) => deepMerge(acc, d), {});
}

/** Reads `a.b.c` without looking through lists (values paths name maps). */
function at(values: unknown, dotted: string): unknown {
  let cur = values;
  for (const k of dotted.split(".")) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

/** Images of `image.repository`/`image.tag` values (charts/service, charts/migration). */
function valuesImage(
  resource: TfResource,
  where: string,
  values: unknown,
): RunningImage | UnresolvedImage {
  const repository = str(at(values, "image.repository"));
  if (!repository) return { resource, where, reason: "values set no image.repository" };
  const ref = parseImageRef(repository);
  const tag = str(at(values, "image.tag"));
  return {
    resource,
    where,
    image: { registry: ref.registry, repository: ref.repository, ...(tag ? { tag } : {}) },
    from: "values",
  };
}

/** An image given whole (`repository:tag`) at one values path. */
function referenceImage(
  resource: TfResource,
  where: string,
  values: unknown,
): RunningImage | UnresolvedImage {
  const ref = str(at(values, where));
  if (!ref) return { resource, where, reason: `values set no ${where}` };
  return { resource, where, image: parseImageRef(ref), from: "values" };
}

/** One default image of a third-party chart, with the release's overrides applied. */
function chartImage(
  resource: TfResource,
  values: Record<string, unknown>,
  d: DefaultImage,
): RunningImage | UnresolvedImage {
  const where = d.valuesPath;
  const own = at(values, d.valuesPath);
  const inheritedPath = d.inherits?.split(" ")[0];
  const block = [own, inheritedPath ? at(values, inheritedPath) : undefined].find(
    (b) =>
      isObject(b) && IMAGE_KEYS.some((k) => k !== "pullPolicy" && k !== "pullSecrets" && k in b),
  ) as Record<string, unknown> | undefined;
  const unknownKeys = [own, block]
    .filter(isObject)
    .flatMap((b) => Object.keys(b).filter((k) => !IMAGE_KEYS.includes(k) && !isObject(b[k])));
  if (unknownKeys.length > 0 && d.repositoryKey !== "image")
    return {
      resource,
      where,
      reason: `values set ${[...new Set(unknownKeys)].map((k) => `${where}.${k}`).join(", ")}, which Strata does not know how the chart composes`,
    };
  const base = parseImageRef(d.effective);
  const globalRegistry = str(at(values, "global.imageRegistry"));
  if (!d.registry && (str(values.imageRegistry) || str(values.imageNamespace)))
    return {
      resource,
      where,
      reason:
        "values set imageRegistry/imageNamespace, which Strata does not know how the chart composes",
    };
  if (!block && !(d.registry && globalRegistry))
    return { resource, where, image: base, from: "chart default (facts/charts.json)" };
  const b = block ?? {};
  const digest = str(b.digest);
  if (d.repositoryKey === "image") {
    const full = str(b.image);
    if (!full) return { resource, where, image: base, from: "chart default (facts/charts.json)" };
    const ref = parseImageRef(full);
    return { resource, where, image: ref, from: "values" };
  }
  const tag = str(b.tag) ?? base.tag;
  const extra = { ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
  if (d.registry) {
    const registry = str(b.registry) ?? globalRegistry ?? d.registry;
    const repository = str(b.repository) ?? d.repository;
    return { resource, where, image: { registry, repository, ...extra }, from: "values" };
  }
  const repo = str(b.repository);
  if (str(b.registry) && !repo)
    return {
      resource,
      where,
      reason: `values set ${where}.registry without ${where}.repository, which Strata does not know how the chart composes`,
    };
  const ref = repo ? parseImageRef(str(b.registry) ? `${str(b.registry)}/${repo}` : repo) : base;
  return {
    resource,
    where,
    image: { registry: ref.registry, repository: ref.repository, ...extra },
    from: "values",
  };
}

/** Images of Argo CD Applications (charts/argocd-apps values). */
function applicationImages(
  resource: TfResource,
  values: Record<string, unknown>,
): Array<RunningImage | UnresolvedImage> {
  const apps = Array.isArray(values.applications) ? values.applications : [];
  return apps.filter(isObject).flatMap((a) => {
    const sources = Array.isArray(a.sources) ? a.sources.filter(isObject) : [];
    return sources
      .filter((s) => s.helm !== undefined || s.chart !== undefined)
      .map((s) => {
        const where = `${String(a.name)}/${String(s.path ?? s.chart)}/image`;
        if (s.chart !== undefined)
          return {
            resource,
            where,
            reason: `Application source chart ${String(s.chart)} from ${String(s.repoURL)}: Strata knows no default images for it`,
          };
        return valuesImage(resource, where, get(s, "helm.valuesObject"));
      });
  });
}

/** Every image one helm_release runs (and those Strata cannot tell). */
export function imagesOfRelease(r: TfResource): StackImages {
  const images: RunningImage[] = [];
  const unresolved: UnresolvedImage[] = [];
  const add = (x: RunningImage | UnresolvedImage) =>
    "reason" in x ? unresolved.push(x) : images.push(x);
  const values = releaseValues(r);
  const sets = ["set", "set_list", "set_sensitive"].flatMap((k) =>
    Array.isArray(r.config[k]) ? (r.config[k] as Array<{ name?: unknown }>) : [],
  );
  for (const s of sets.filter((x) => /image|registry|tag|digest/i.test(String(x.name))))
    add({ resource: r, where: String(s.name), reason: `set ${String(s.name)} is not read` });
  const chart = String(r.config.chart ?? "");
  const local = /(?:^|\/)assets\/([A-Za-z]+)\//.exec(chart);
  if (local) {
    const kind = PROJECT_CHARTS[local[1]];
    if (kind === "image") add(valuesImage(r, "image", values));
    else if (kind === "applications") applicationImages(r, values).forEach(add);
    else if (Array.isArray(kind)) for (const p of kind) add(referenceImage(r, p, values));
    else if (kind === undefined)
      add({ resource: r, where: chart, reason: `local chart ${local[1]} is not one Strata knows` });
    return { images, unresolved };
  }
  const version = String(r.config.version ?? "");
  const repository = String(r.config.repository ?? "");
  const fact = CHARTS.find(
    (c) =>
      c.name === chart && c.version === version && c.repository === repository && c.defaultImages,
  );
  if (!fact) {
    add({
      resource: r,
      where: chart,
      reason: `chart ${chart} ${version} from ${repository} has no defaultImages in facts/charts.json`,
    });
    return { images, unresolved };
  }
  for (const d of fact.defaultImages ?? [])
    if (!(d.enabledBy && at(values, d.enabledBy) === false)) add(chartImage(r, values, d));
  return { images, unresolved };
}

/** Each stack's images, found once for the three IMG rules that judge the same resources. */
const found = new WeakMap<readonly TfResource[], StackImages>();

/** Every image the stack's releases run. */
export function imagesOf(resources: readonly TfResource[]): StackImages {
  let images = found.get(resources);
  if (!images) {
    const each = resources.filter((r) => r.type === "helm_release").map(imagesOfRelease);
    images = {
      images: each.flatMap((f) => f.images),
      unresolved: each.flatMap((f) => f.unresolved),
    };
    found.set(resources, images);
  }
  return images;
}

// ---- The image policy's judgements (rules IMG-1..3), over facts/image-policy.json ----

/** A registry whose images no longer receive updates. */
export interface FrozenRegistry {
  /** `registry/namespace/` prefix of the reference. */
  readonly prefix: string;
  /** `all` tags, or only `versioned` ones (anything but `latest`). */
  readonly tags: "all" | "versioned";
  readonly why: string;
  readonly citations: readonly string[];
}

/**
 * A known CVE and the versions it affects: critical, or (severity "unrated", with `whyEnforced`)
 * one its upstream's security release asks every user of the line to take.
 */
export interface KnownCve {
  readonly id: string;
  readonly advisory: string;
  readonly url: string;
  readonly title: string;
  readonly severity: string;
  /** Image names (the last path component) the CVE concerns. */
  readonly images: readonly string[];
  readonly fixedVersions: readonly string[];
  /** Affected ranges: `introduced` inclusive, `fixed` exclusive (as in GitHub/OSV advisories). */
  readonly affected: ReadonlyArray<{ readonly introduced: string; readonly fixed: string }>;
}

/** The image policy's facts. */
export interface ImagePolicyFacts {
  readonly frozenRegistries: readonly FrozenRegistry[];
  readonly cves: readonly KnownCve[];
}

/** The frozen registry an image comes from, if any. */
export function frozenRegistryOf(
  i: ImageRef,
  frozen: readonly FrozenRegistry[],
): FrozenRegistry | undefined {
  const ref = `${i.registry}/${i.repository}`;
  return frozen.find(
    (f) =>
      `${ref}/`.startsWith(f.prefix) &&
      (f.tags === "all" || (i.tag !== undefined && i.tag !== "latest") || i.digest !== undefined),
  );
}

/** Why an image's tag is mutable in every tier (`latest`, or no tag and no digest), or undefined. */
export function mutableTag(i: ImageRef): string | undefined {
  if (i.digest) return undefined;
  if (!i.tag) return "has no tag (Kubernetes pulls latest)";
  if (i.tag === "latest") return 'is tagged "latest"';
  return undefined;
}

/**
 * True when the reference names one build: a digest; a tag carrying a full version (`1.4.2`,
 * `v3.14.0-distroless`, `17.6.0-debian-12-r4`, `distroless-v1.39.0`); a Bitnami revision tag
 * (`12-debian-12-r51`, rebuilt never in place); or a commit hash (`17b1956c`).
 */
export function pinned(i: ImageRef): boolean {
  if (i.digest?.startsWith("sha256:")) return true;
  const t = i.tag ?? "";
  // PostgreSQL's releases are major.minor (18.4 is one exact release); CloudNativePG's operand
  // images are tagged <major.minor>-<flavour>-<os> (cloudnative-pg v1.30.0 pkg/versions/versions.go#L28-L29).
  if (i.registry === "ghcr.io" && i.repository === "cloudnative-pg/postgresql")
    return /^\d+\.\d+-[a-z]+-[a-z]+$/.test(t);
  return (
    // 1.2.3, and ClickHouse's four-part release numbers (26.3.33.24: year.month.patch.build).
    /(^|[^0-9.])v?\d+\.\d+\.\d+(\.\d+)?([^0-9.]|$)/.test(t) ||
    /-r\d+$/.test(t) ||
    /^[0-9a-f]{7,40}$/.test(t)
  );
}

/** `1.2.3` from a tag such as `v1.2.3`, `8.2.1-debian-12-r0`, `8.2.3-alpine`; undefined when none. */
export function versionOfTag(tag: string | undefined): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+_].*)?$/.exec(tag ?? "");
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

/** Compares two versions (numeric parts, missing parts 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const v = (s: string) => versionOfTag(s) ?? [0];

/** The CVEs of the table that affect this image, or `unknown` when its tag carries no version. */
export function knownCvesOf(i: ImageRef, cves: readonly KnownCve[]): KnownCve[] | "unknown" {
  const relevant = cves.filter((c) => c.images.includes(imageName(i)));
  if (relevant.length === 0) return [];
  const version = versionOfTag(i.tag);
  if (!version) return "unknown";
  return relevant.filter((c) =>
    c.affected.some(
      (r) =>
        compareVersions(version, v(r.introduced)) >= 0 && compareVersions(version, v(r.fixed)) < 0,
    ),
  );
}
