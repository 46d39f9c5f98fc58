/**
 * Chart values checked against the key paths of the pinned chart's values.yaml
 * (__tests__/fixtures/chart-values/<chart>-<version>.json), so a misspelt key fails a test
 * instead of being silently ignored by Helm.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { TfJson } from "./synth";

const FIXTURES = path.join(__dirname, "..", "fixtures", "chart-values");

/** A fixture: the key paths of one chart version's values.yaml. */
export interface ValuesFixture {
  readonly keys: readonly string[];
  /** Keys verified beyond the file's YAML keys (commented defaults), with the evidence. */
  readonly addedKeys?: Readonly<Record<string, string>>;
  /** Maps a template renders whole (toYaml / common.tplvalues.render): any child takes effect. */
  readonly freeform?: readonly string[];
}

/** Reads a fixture file (a path relative to the repository, or absolute). */
export function readFixture(file: string): ValuesFixture {
  return JSON.parse(
    fs.readFileSync(path.resolve(__dirname, "..", "..", file), "utf8"),
  ) as ValuesFixture;
}

/** The fixture of one chart version. Throws when there is none. */
export function chartFixture(chart: string, version: string): ValuesFixture {
  const file = path.join(FIXTURES, `${chart}-${version}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `no values fixture for ${chart} ${version} (${path.relative(process.cwd(), file)}): add the key paths of its values.yaml before pinning it`,
    );
  }
  return readFixture(file);
}

/** The key paths of one chart version (listed and verified). Throws when there is no fixture. */
export function chartKeys(chart: string, version: string): Set<string> {
  const fixture = chartFixture(chart, version);
  return new Set([...fixture.keys, ...Object.keys(fixture.addedKeys ?? {})]);
}

/** Dotted paths of the leaves of a values tree (arrays and empty maps are leaves). */
export function valuePaths(values: unknown, prefix = ""): string[] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [prefix];
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => valuePaths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Paths of `values` a fixture does not have. A path is known when it is listed, when it lies under
 * a map the templates render whole (`freeform`), or when a prefix is listed without children (a
 * free-form map such as `commonLabels` or `resources`).
 */
export function unknownPathsIn(fixture: ValuesFixture, values: unknown): string[] {
  const keys = new Set([...fixture.keys, ...Object.keys(fixture.addedKeys ?? {})]);
  const freeform = fixture.freeform ?? [];
  const hasChildren = (p: string) => [...keys].some((k) => k.startsWith(`${p}.`));
  return valuePaths(values).filter((p) => {
    if (keys.has(p)) return false;
    if (freeform.some((f) => p.startsWith(`${f}.`))) return false;
    const parts = p.split(".");
    for (let i = parts.length - 1; i > 0; i--) {
      const prefix = parts.slice(0, i).join(".");
      if (keys.has(prefix)) return hasChildren(prefix);
    }
    return true;
  });
}

/** Paths of `values` the pinned chart does not have ({@link unknownPathsIn} its fixture). */
export function unknownValuePaths(chart: string, version: string, values: unknown): string[] {
  return unknownPathsIn(chartFixture(chart, version), values);
}

/** A helm_release of a synthesized stack with its values parsed. */
export interface SynthesizedRelease {
  readonly id: string;
  readonly name: string;
  readonly chart: string;
  readonly repository?: string;
  readonly version?: string;
  readonly values: Record<string, unknown>;
  readonly raw: Record<string, unknown>;
}

/** Every helm_release in a synthesized stack. */
export function releasesOf(tf: TfJson): SynthesizedRelease[] {
  return Object.entries(tf.resource?.helm_release ?? {}).map(([id, r]) => ({
    id,
    name: r.name as string,
    chart: r.chart as string,
    repository: r.repository as string | undefined,
    version: r.version as string | undefined,
    values: parse((r.values as string[])[0]) as Record<string, unknown>,
    raw: r,
  }));
}

/**
 * The charts Argo CD installs for a stack (charts/argocd-apps Applications): one pseudo-release per
 * Application source at `gitPath` in Git (charts/service, charts/migration), named after its
 * helm.releaseName, with its inline valuesObject and the project's destination namespace. `chart`
 * is `git:<repoURL>#<path>@<revision>`; `raw.namespace` the namespace Argo CD deploys into.
 */
export function applicationReleasesOf(tf: TfJson, gitPath: string): SynthesizedRelease[] {
  type Source = {
    repoURL: string;
    targetRevision: string;
    path?: string;
    helm?: { releaseName: string; valuesObject: Record<string, unknown> };
  };
  type Values = {
    project: { destination: { namespace: string } };
    applications: Array<{ name: string; sources: Source[] }>;
  };
  return releasesOf(tf)
    .filter((r) => r.chart.startsWith("./assets/ArgoCdAppsChart/"))
    .flatMap((r) => {
      const v = r.values as unknown as Values;
      return v.applications.flatMap((a) =>
        a.sources
          .filter((s) => s.path === gitPath && s.helm)
          .map((s) => ({
            id: `${r.id}/${a.name}/${gitPath}`,
            name: s.helm!.releaseName,
            chart: `git:${s.repoURL}#${gitPath}@${s.targetRevision}`,
            values: s.helm!.valuesObject,
            raw: { namespace: v.project.destination.namespace, application: a.name },
          })),
      );
    });
}

/** The one release named `name`. */
export function releaseNamed(tf: TfJson, name: string): SynthesizedRelease {
  const found = releasesOf(tf).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one release "${name}", found ${found.length}`);
  return found[0];
}
