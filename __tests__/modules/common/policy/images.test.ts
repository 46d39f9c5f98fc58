import { loadEnvironments } from "../../../../environments";
/**
 * The images a stack runs (imagesOf) and the image policy's judgements: chart defaults from
 * facts/charts.json with the release's overrides, Strata's charts, Argo CD Applications, what
 * cannot be resolved; pinning, frozen registries and CVE ranges per release line.
 */
import fs from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import type { TfResource } from "../../../../modules/common/policy/engine";
import {
  formatImageRef,
  frozenRegistryOf,
  imagesOf,
  imagesOfRelease,
  knownCvesOf,
  mutableTag,
  parseImageRef,
  pinned,
  PROJECT_CHARTS,
  versionOfTag,
} from "../../../../modules/common/policy/images";
import { IMAGE_FACTS } from "../../../../modules/common/policy/rules";
import { realApp } from "../../../support/app";
import { resourcesOf } from "../../../../modules/common/policy/engine";

const ROOT = path.join(__dirname, "..", "..", "..", "..");

function release(
  name: string,
  chart: Record<string, unknown>,
  values: object,
  extra: Record<string, unknown> = {},
): TfResource {
  return {
    type: "helm_release",
    name,
    path: `s/${name}/Chart/Release`,
    config: { name, ...chart, values: [stringify(values)], ...extra },
  };
}
const BITNAMI = { repository: "oci://registry-1.docker.io/bitnamicharts" };
const refs = (r: TfResource) =>
  imagesOfRelease(r).images.map((i) => `${i.where}=${formatImageRef(i.image)}`);

describe("parseImageRef", () => {
  test.each([
    ["redis", "docker.io/library/redis"],
    ["n8nio/n8n:1.98.1", "docker.io/n8nio/n8n:1.98.1"],
    ["ghcr.io/acme/web:1.0.0", "ghcr.io/acme/web:1.0.0"],
    ["localhost:5000/web:2", "localhost:5000/web:2"],
    ["quay.io/x/y@sha256:abc", "quay.io/x/y@sha256:abc"],
    ["quay.io/x/y:1.2.3@sha256:abc", "quay.io/x/y:1.2.3@sha256:abc"],
  ])("%s", (ref, want) => expect(formatImageRef(parseImageRef(ref))).toBe(want));
});

describe("third-party charts", () => {
  test("Bitnami values that set registry and repository keep the chart's default tag (facts/charts.json)", () => {
    const r = release(
      "Redis",
      { chart: "redis", version: "23.1.1", ...BITNAMI },
      {
        image: { registry: "docker.io", repository: "bitnamilegacy/redis" },
        sentinel: { image: { registry: "mirror.example.com", repository: "m/redis-sentinel" } },
      },
    );
    const got = refs(r);
    expect(got).toContain("image=docker.io/bitnamilegacy/redis:8.2.1-debian-12-r0");
    expect(got).toContain("sentinel.image=mirror.example.com/m/redis-sentinel:8.2.1-debian-12-r0");
    // not overridden: the chart's default, from its values.yaml
    expect(got).toContain("metrics.image=docker.io/bitnami/redis-exporter:1.76.0-debian-12-r0");
    expect(imagesOfRelease(r).unresolved).toEqual([]);
  });

  test("a tag, a digest and global.imageRegistry override the default", () => {
    const r = release(
      "Pg",
      { chart: "postgresql", version: "16.7.27", ...BITNAMI },
      {
        global: { imageRegistry: "registry.example.com" },
        image: { tag: "latest", digest: "sha256:0123" },
      },
    );
    expect(refs(r)).toContain("image=registry.example.com/bitnami/postgresql:latest@sha256:0123");
  });

  test("a chart with no values for its images runs its defaults", () => {
    const r = release(
      "Argo",
      { chart: "argo-cd", version: "10.1.1", repository: "https://argoproj.github.io/argo-helm" },
      {},
    );
    expect(refs(r)).toContain("server.image=quay.io/argoproj/argocd:v3.4.4");
    expect(refs(r)).toContain("redis.image=ecr-public.aws.com/docker/library/redis:8.2.3-alpine");
  });

  test("inherited images follow an override of the block they inherit (Argo CD global.image)", () => {
    const r = release(
      "Argo",
      { chart: "argo-cd", version: "10.1.1", repository: "https://argoproj.github.io/argo-helm" },
      { global: { image: { repository: "mirror.example.com/argocd", tag: "v3.4.4" } } },
    );
    expect(refs(r)).toContain("server.image=mirror.example.com/argocd:v3.4.4");
  });

  test("what Strata cannot resolve is reported, not skipped", () => {
    const unknownChart = release("X", { chart: "nginx", version: "1.0.0", ...BITNAMI }, {});
    expect(imagesOfRelease(unknownChart).unresolved.map((u) => u.reason)).toEqual([
      expect.stringContaining("no defaultImages in facts/charts.json"),
    ]);
    const unknownKey = release(
      "Cm",
      { chart: "cert-manager", version: "v1.21.1", repository: "https://charts.jetstack.io" },
      { image: { name: "my-controller" } },
    );
    expect(imagesOfRelease(unknownKey).unresolved.map((u) => u.reason)).toEqual([
      expect.stringContaining("image.name"),
    ]);
    const viaSet = release(
      "Meili",
      {
        chart: "meilisearch",
        version: "0.25.0",
        repository: "https://meilisearch.github.io/meilisearch-kubernetes",
      },
      {},
      { set: [{ name: "image.tag", value: "latest" }] },
    );
    expect(imagesOfRelease(viaSet).unresolved.map((u) => u.where)).toEqual(["image.tag"]);
    const localUnknown = release("L", { chart: "./assets/OtherChart/ABC" }, {});
    expect(imagesOfRelease(localUnknown).unresolved).toHaveLength(1);
  });
});

describe("Strata's charts", () => {
  test("charts/service and charts/migration run image.repository:image.tag", () => {
    const r = release(
      "Svc",
      { chart: "./assets/ServiceChart/ABC" },
      { image: { repository: "ghcr.io/acme/web", tag: "1.2.3" } },
    );
    expect(refs(r)).toEqual(["image=ghcr.io/acme/web:1.2.3"]);
    const noImage = release("Svc", { chart: "./assets/MigrationChart/ABC" }, {});
    expect(imagesOfRelease(noImage).unresolved.map((u) => u.reason)).toEqual([
      "values set no image.repository",
    ]);
  });

  test("Argo CD Applications: each source's inline values", () => {
    const r = release(
      "Apps",
      { chart: "./assets/ArgoCdAppsChart/ABC" },
      {
        project: { destination: { namespace: "apps" } },
        applications: [
          {
            name: "prod-web",
            sources: [
              { repoURL: "https://git.example.com/app.git", targetRevision: "v1", ref: "values" },
              {
                repoURL: "https://git.example.com/strata.git",
                targetRevision: "v1",
                path: "charts/service",
                helm: {
                  releaseName: "web",
                  valuesObject: { image: { repository: "docker.io/n8nio/n8n", tag: "1.98.1" } },
                },
              },
            ],
          },
        ],
      },
    );
    expect(refs(r)).toEqual(["prod-web/charts/service/image=docker.io/n8nio/n8n:1.98.1"]);
  });

  test("PROJECT_CHARTS covers every chart charts/ ships (modules/common/project-charts.ts); only the image charts have containers of their own", () => {
    const layer = fs.readFileSync(
      path.join(ROOT, "modules", "common", "project-charts.ts"),
      "utf8",
    );
    const block = /CHART_ASSET_IDS = \{([\s\S]*?)\}/.exec(layer)![1];
    const ids = [...block.matchAll(/"?([\w-]+)"?: "(\w+Chart)"/g)].map((m) => [m[1], m[2]]);
    expect(ids.map(([, id]) => id).sort()).toEqual(Object.keys(PROJECT_CHARTS).sort());
    for (const [dir, id] of ids) {
      const templates = path.join(ROOT, "charts", dir, "templates");
      const text = fs
        .readdirSync(templates)
        .map((f) => fs.readFileSync(path.join(templates, f), "utf8"))
        .join("\n");
      expect({ chart: dir, runsImages: /^\s*(image|imageName):/m.test(text) }).toEqual({
        chart: dir,
        runsImages: PROJECT_CHARTS[id] === "image" || Array.isArray(PROJECT_CHARTS[id]),
      });
      // A chart whose images are whole references at values paths names each one in its templates.
      const paths = PROJECT_CHARTS[id];
      if (Array.isArray(paths))
        for (const p of paths)
          expect({ chart: dir, path: p, used: text.includes(`.Values.${p}`) }).toEqual({
            chart: dir,
            path: p,
            used: true,
          });
    }
  });
});

describe("judgements", () => {
  const ref = parseImageRef;
  test("frozen registries: bitnamilegacy always, docker.io/bitnami for versioned tags", () => {
    const f = IMAGE_FACTS.frozenRegistries;
    expect(frozenRegistryOf(ref("docker.io/bitnamilegacy/redis:8.2.1"), f)?.prefix).toBe(
      "docker.io/bitnamilegacy/",
    );
    expect(frozenRegistryOf(ref("bitnami/redis:8.2.1-debian-12-r0"), f)?.prefix).toBe(
      "docker.io/bitnami/",
    );
    expect(frozenRegistryOf(ref("bitnami/redis:latest"), f)).toBeUndefined();
    expect(frozenRegistryOf(ref("docker.io/bitnamisecure/redis:latest"), f)).toBeUndefined();
    expect(frozenRegistryOf(ref("ghcr.io/bitnami/redis:1.0.0"), f)).toBeUndefined();
  });

  test("mutable and pinned tags", () => {
    expect(mutableTag(ref("web"))).toMatch(/no tag/);
    expect(mutableTag(ref("web:latest"))).toMatch(/latest/);
    expect(mutableTag(ref("web@sha256:abc"))).toBeUndefined();
    for (const t of [
      "1.4.2",
      "v3.14.0-distroless",
      "distroless-v1.39.0",
      "12-debian-12-r51",
      "17b1956c",
      "26.3.33.24",
    ])
      expect({ t, pinned: pinned(ref(`web:${t}`)) }).toEqual({ t, pinned: true });
    for (const t of ["main", "1.4", "stable", "8", "0.5", "26.3", "1.2.3.4.5"])
      expect({ t, pinned: pinned(ref(`web:${t}`)) }).toEqual({ t, pinned: false });
    expect(pinned(ref("web:main@sha256:abc"))).toBe(true);
  });

  test("versions from tags", () => {
    expect(versionOfTag("8.2.1-debian-12-r0")).toEqual([8, 2, 1]);
    expect(versionOfTag("v1.35.0")).toEqual([1, 35, 0]);
    expect(versionOfTag("8.2.3-alpine")).toEqual([8, 2, 3]);
    expect(versionOfTag("main")).toBeUndefined();
  });

  const cves = (image: string) => {
    const found = knownCvesOf(ref(image), IMAGE_FACTS.cves);
    return found === "unknown" ? found : found.map((c) => c.id);
  };
  test.each([
    ["redis:8.2.1", ["CVE-2025-49844"]],
    ["redis:8.2.2", []],
    ["redis:8.0.4", []],
    ["redis:8.0.3", ["CVE-2025-49844"]],
    ["redis:8.1.2", ["CVE-2025-49844"]],
    ["redis:7.4.5-alpine", ["CVE-2025-49844"]],
    ["redis:7.4.6", []],
    ["redis:7.2.11", []],
    ["redis:7.0.15", ["CVE-2025-49844"]],
    ["redis:6.2.20", []],
    ["docker.io/bitnamilegacy/redis:8.2.1-debian-12-r0", ["CVE-2025-49844"]],
    ["ecr-public.aws.com/docker/library/redis:8.2.3-alpine", []],
    ["redis:main", "unknown"],
    ["valkey/valkey:8.1.3", ["CVE-2025-49844"]],
    ["valkey/valkey:8.1.4", []],
    ["valkey/valkey:8.0.6", []],
    ["valkey/valkey:9.0.0", []],
    ["n8nio/n8n:1.98.1", ["CVE-2025-68613", "CVE-2026-25049"]],
    ["n8nio/n8n:1.120.4", ["CVE-2026-25049"]],
    ["n8nio/n8n:1.121.0", ["CVE-2025-68613", "CVE-2026-25049"]],
    ["n8nio/n8n:1.123.17", []],
    ["n8nio/n8n:2.4.0", ["CVE-2026-25049"]],
    ["n8nio/n8n:2.5.2", []],
    ["n8nio/n8n:0.200.0", ["CVE-2026-25049"]],
    ["docker.io/getmeili/meilisearch:v1.35.0", ["CVE-2026-57824"]],
    ["getmeili/meilisearch:v1.47.0", ["CVE-2026-57824"]],
    ["getmeili/meilisearch:v1.47.1", []],
    ["getmeili/meilisearch:v1.48.1", ["CVE-2026-57824"]],
    ["getmeili/meilisearch:v1.48.2", []],
    ["docker.io/getmeili/meilisearch:v1.48.3", []],
    ["clickhouse/clickhouse-server:26.3.33.24", []],
    ["ghcr.io/acme/web:1.0.0", []],
  ])("%s", (image, want) => expect(cves(image)).toEqual(want));
});

describe("the seeds", () => {
  test("every image of every seed stack is resolved, and the seeds run the images issue 16 names", () => {
    const app = realApp();
    const all = [...app.stacks.values()].map((tf) =>
      imagesOf(resourcesOf(tf as Parameters<typeof resourcesOf>[0])),
    );
    expect(all.flatMap((s) => s.unresolved).map((u) => `${u.resource.path} ${u.reason}`)).toEqual(
      [],
    );
    const names = new Set(all.flatMap((s) => s.images).map((i) => formatImageRef(i.image)));
    // Every app of every seed environment is found with its configured image, and the data
    // services with their maintained upstreams' (issue 16): nothing from Bitnami's frozen namespace.
    const apps = loadEnvironments({ today: "2026-11-30" }).all.flatMap((e) =>
      Object.values(e.workloads.apps).map((a) => `${a.image.repository}:${a.image.tag}`),
    );
    expect(apps.length).toBeGreaterThan(0);
    expect([...names].filter((n) => /bitnami/.test(n))).toEqual([]);
    // PostgreSQL runs CloudNativePG's operand image at the CVE floor, its operator and plugin.
    for (const image of [
      "ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie",
      "ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0",
      "ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.13.0",
      "ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0",
    ])
      expect({ image, run: names.has(image) }).toEqual({ image, run: true });
    expect([...names].some((n) => n.includes("bitnamilegacy/postgresql"))).toBe(false);
    for (const image of apps)
      expect({ image, run: names.has(image) }).toEqual({ image, run: true });
  });
});
