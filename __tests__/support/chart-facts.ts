/**
 * Facts about the pinned third-party charts (facts/charts.json, read from each chart's source at
 * its tag) and the helm_release resources Strata synthesizes, read so they can be checked against
 * each other.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { readFixture, unknownPathsIn, valuePaths } from "./chart-values";
import type { TfJson } from "./synth";

export const FACTS_FILE = path.join(__dirname, "..", "..", "facts", "charts.json");

export interface Evidence {
  readonly kind: string;
  readonly detail: string;
  readonly url: string;
}

export interface DefaultImage {
  readonly valuesPath: string;
  readonly registry?: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
  /** The key of the block that names the image: `repository`, or `image` (ingress-nginx). */
  readonly repositoryKey: string;
  readonly effective: string;
  readonly citation: string;
}

export interface Workload {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly enabledWhen: string;
  readonly template: string;
  /** Values paths whose lists are appended to the pod's volumes / the main container's mounts. */
  readonly extraVolumes: readonly string[];
  readonly extraVolumeMounts: readonly string[];
}

export interface BuiltInVolume {
  readonly workload: string;
  /** The container that mounts it; null for a pod volume mounted only by an init container. */
  readonly container: string | null;
  readonly name: string;
  readonly mountPath: string | null;
  readonly when: string;
  readonly citation: string;
}

export interface Port {
  readonly workload: string;
  readonly container: string;
  readonly name: string;
  readonly containerPort: number;
  readonly valuesKey?: string;
  readonly when: string;
  readonly citation: string;
}

export interface Webhook {
  readonly kind: "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration";
  readonly name: string;
  readonly webhooks: readonly string[];
  /** The port the webhook server listens on in the pod (the Service's targetPort). */
  readonly port: number;
  readonly valuesKey: string;
  /** The value that turns the webhook on, and its default; null when it is always created. */
  readonly enabledBy: { readonly valuesKey: string; readonly default: boolean } | null;
  readonly citation: string;
  readonly configurationCitation: string;
  readonly serviceCitation: string;
  readonly defaultCitation: string;
}

/** Top-level values keys: child key names, or "map" (free-form), "list", "scalar". */
export type ValuesSkeleton = Record<string, readonly string[] | "map" | "list" | "scalar">;

export interface ChartFacts {
  readonly name: string;
  readonly repository: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly source: {
    readonly repo: string;
    readonly path: string;
    readonly ref: string | null;
    readonly commit: string;
    readonly url: string;
  };
  readonly exists: { readonly released: boolean; readonly evidence: readonly Evidence[] };
  readonly replacement?: {
    readonly version: string;
    readonly reason: string;
    readonly defaultImages: ReadonlyArray<{ valuesPath: string; effective: string }>;
    readonly evidence: readonly Evidence[];
  };
  readonly defaultImages?: readonly DefaultImage[];
  readonly imageRegistryOnlyPaths?: readonly string[];
  /** Tags Strata pins instead of the chart's default (a CVE floor above the chart's), each cited. */
  readonly tagOverrides?: ReadonlyArray<{
    readonly valuesPath: string;
    readonly tag: string;
    readonly reason: string;
    readonly citation: string;
  }>;
  readonly workloads?: readonly Workload[];
  readonly builtInVolumes?: readonly BuiltInVolume[];
  readonly ports?: readonly Port[];
  readonly webhooks?: readonly Webhook[];
  readonly valuesKeys?: {
    readonly source: string;
    readonly keys: ValuesSkeleton;
    /** Top-level maps a template renders whole: child keys values.yaml lacks still take effect. */
    readonly renderedWhole: readonly string[];
    readonly documented?: Record<string, string>;
  };
  readonly valuesFixture?: {
    readonly file: string;
    readonly keysNotInPinnedValues: readonly string[];
    readonly usableForFullDepth: boolean;
  };
}

export interface Facts {
  readonly schemaVersion: number;
  readonly platform: {
    readonly gkePrivateCluster: {
      readonly defaultControlPlaneToNodePorts: readonly number[];
      readonly citations: readonly string[];
    };
  };
  readonly charts: readonly ChartFacts[];
}

export function loadFacts(file = FACTS_FILE): Facts {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Facts;
}

/** The facts entry of one chart version, if any. */
export function factsFor(facts: Facts, chart: string, version: string): ChartFacts | undefined {
  return facts.charts.find((c) => c.name === chart && c.version === version);
}

/**
 * The entry to check a release against: the pinned version's, or (when the pin was never
 * released) its replacement's, so the other checks still run while the pin is wrong.
 */
export function checkableFacts(
  facts: Facts,
  chart: string,
  version: string,
): ChartFacts | undefined {
  const entry = factsFor(facts, chart, version);
  if (entry?.exists.released || !entry?.replacement) return entry;
  return factsFor(facts, chart, entry.replacement.version);
}

/** A third-party helm_release as synthesized, with its values documents and `set` entries merged. */
export interface ThirdPartyRelease {
  readonly stack: string;
  readonly id: string;
  readonly name: string;
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
  readonly values: Record<string, unknown>;
}

/** Splits a `set` name on unescaped dots (`a.b\.c` → ["a", "b.c"]). */
export function setPath(name: string): string[] {
  return name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, "."));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Deep merge as Helm merges `values` documents (later wins; lists are replaced). */
export function mergeValues(
  into: Record<string, unknown>,
  from: Record<string, unknown>,
): Record<string, unknown> {
  for (const [k, v] of Object.entries(from)) {
    into[k] = isObject(v) && isObject(into[k]) ? mergeValues({ ...into[k] }, v) : v;
  }
  return into;
}

/** The helm_release resources of a stack that come from a chart repository (not local charts). */
export function thirdPartyReleases(stack: string, tf: TfJson): ThirdPartyRelease[] {
  return Object.entries(tf.resource?.helm_release ?? {})
    .filter(([, r]) => typeof r.repository === "string")
    .map(([id, r]) => {
      const values: Record<string, unknown> = {};
      for (const doc of (r.values as string[] | undefined) ?? []) {
        const parsed = parse(doc) as unknown;
        if (isObject(parsed)) mergeValues(values, parsed);
      }
      const sets = [
        ...((r.set as Array<{ name: string; value: unknown }> | undefined) ?? []),
        ...((r.set_sensitive as Array<{ name: string; value: unknown }> | undefined) ?? []),
      ];
      for (const s of sets) {
        const parts = setPath(s.name);
        let node = values;
        for (const p of parts.slice(0, -1)) {
          if (!isObject(node[p])) node[p] = {};
          node = node[p] as Record<string, unknown>;
        }
        node[parts[parts.length - 1]] = s.value;
      }
      return {
        stack,
        id,
        name: r.name as string,
        chart: r.chart as string,
        repository: r.repository as string,
        version: r.version as string,
        values,
      };
    });
}

/** The value at a dotted path, or undefined. */
export function valueAt(values: unknown, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), values);
}

/**
 * Paths Strata sets whose first two keys the chart does not have: a top-level key missing from
 * the chart's values, a child missing under a key that has children, or a map under a scalar.
 */
export function unknownTopLevelPaths(
  values: Record<string, unknown>,
  skeleton: ValuesSkeleton,
  renderedWhole: readonly string[] = [],
) {
  const problems: string[] = [];
  for (const p of valuePaths(values)) {
    const [top, child] = p.split(".");
    const known = skeleton[top];
    if (known === undefined) problems.push(`${p}: no top-level key "${top}"`);
    else if (child === undefined || renderedWhole.includes(top)) continue;
    else if (known === "scalar" || known === "list")
      problems.push(`${p}: "${top}" is a ${known} in the chart, not a map`);
    else if (Array.isArray(known) && !known.includes(child))
      problems.push(`${p}: "${top}" has no key "${child}"`);
  }
  return [...new Set(problems)];
}

/** Paths the fixture's key list does not have (full depth): {@link unknownPathsIn}. */
export function unknownFixturePaths(
  values: Record<string, unknown>,
  fixtureFile: string,
): string[] {
  return unknownPathsIn(readFixture(fixtureFile), values);
}

/** Every image block in a values tree (an object under a key `image` or `…Image`), by path. */
export function imageBlocks(
  values: unknown,
  prefix = "",
): Array<[string, Record<string, unknown>]> {
  if (!isObject(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    if ((k === "image" || k.endsWith("Image")) && isObject(v)) return [[p, v]];
    return imageBlocks(v, p);
  });
}

/** The last path segment of an image name (`docker.io/bitnamilegacy/redis` → `redis`). */
export function imageBasename(repository: string): string {
  return repository.split("@")[0].split("/").pop()!.split(":")[0];
}

/** The tag of an image reference (`quay.io/a/b:v1@sha256:…` → `v1`). */
export function effectiveTag(image: string): string {
  const name = image.split("@")[0];
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(colon + 1) : "";
}

/** The extra volumes and mounts a release passes to one workload of its chart. */
export function extrasOf(values: Record<string, unknown>, workload: Workload) {
  const list = (keys: readonly string[]) =>
    keys.flatMap((k) => {
      const v = valueAt(values, k);
      return Array.isArray(v)
        ? v.map((item) => ({ key: k, item: item as Record<string, unknown> }))
        : [];
    });
  return { volumes: list(workload.extraVolumes), mounts: list(workload.extraVolumeMounts) };
}

/** Whether a google_compute_firewall allow block lets `port` through over TCP. */
export function allowsTcpPort(allow: unknown, port: number): boolean {
  const blocks = Array.isArray(allow) ? allow : allow ? [allow] : [];
  return blocks.some((b: { protocol?: string; ports?: string[] }) => {
    if (b.protocol !== "tcp" && b.protocol !== "all") return false;
    if (!b.ports || b.ports.length === 0) return true;
    return b.ports.some((p) => {
      const [lo, hi] = String(p).split("-").map(Number);
      return hi === undefined ? lo === port : lo <= port && port <= hi;
    });
  });
}

/** Every string in a JSON tree that looks like a URL, with the path to it. */
export function urlsIn(node: unknown, at = ""): Array<[string, string]> {
  if (typeof node === "string") return /^https?:\/\//.test(node) ? [[at, node]] : [];
  if (Array.isArray(node)) return node.flatMap((v, i) => urlsIn(v, `${at}[${i}]`));
  if (isObject(node))
    return Object.entries(node).flatMap(([k, v]) => urlsIn(v, at ? `${at}.${k}` : k));
  return [];
}
