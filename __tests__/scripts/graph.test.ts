/**
 * The stack graph: Kahn waves checked against the real app's manifest, waves and cycles on
 * hand-made manifests, environment selection, Mermaid, and the per-wave apply steps.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readCdktfOut } from "../../scripts/lib/cdktf-out";
import {
  applyPlan,
  applyWaves,
  buildGraph,
  renderMermaid,
  renderWaves,
} from "../../scripts/lib/graph";
import { realApp } from "../support/app";
import { fakeOut } from "./support/fake-out";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-graph-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Two environments; staging's platform runs on prod's cluster (a shared cluster). */
const LAYERED = {
  "prod-gcp-network": [],
  "prod-gcp-cluster": ["prod-gcp-network"],
  "prod-gcp-data": ["prod-gcp-network"],
  "prod-gcp-platform": ["prod-gcp-cluster"],
  "prod-gcp-apps": ["prod-gcp-platform", "prod-gcp-data"],
  "staging-gcp-network": [],
  "staging-gcp-platform": ["prod-gcp-cluster", "staging-gcp-network"],
};

describe("the real app", () => {
  const app = realApp();
  const graph = buildGraph(readCdktfOut(app.outdir), { prodEnvironments: ["prod"] });
  const waveOf = new Map(graph.waves.flatMap((w, i) => w.map((s) => [s, i] as const)));

  test("every stack of the manifest is in exactly one wave", () => {
    expect(graph.waves.flat().sort()).toEqual(Object.keys(app.manifest.stacks).sort());
  });

  test("every dependency in the manifest is applied in an earlier wave", () => {
    for (const [name, entry] of Object.entries(app.manifest.stacks)) {
      for (const dep of entry.dependencies)
        expect(waveOf.get(dep)!).toBeLessThan(waveOf.get(name)!);
    }
  });

  test("each stack is in the first wave its dependencies allow (Kahn layering)", () => {
    for (const [name, entry] of Object.entries(app.manifest.stacks)) {
      const earliest = Math.max(-1, ...entry.dependencies.map((d) => waveOf.get(d)!)) + 1;
      expect(waveOf.get(name)).toBe(earliest);
    }
  });

  test("edges are the manifest's dependencies", () => {
    const fromManifest = Object.values(app.manifest.stacks).flatMap((s) =>
      s.dependencies.map((d) => ({ from: d, to: s.name })),
    );
    expect([...graph.edges].sort((a, b) => (a.to + a.from).localeCompare(b.to + b.from))).toEqual(
      fromManifest.sort((a, b) => (a.to + a.from).localeCompare(b.to + b.from)),
    );
  });

  test("stacks carry environment, tier and backend", () => {
    expect(graph.stacks.find((s) => s.name === "prod-gcp-network")).toMatchObject({
      environment: "prod",
      cloud: "gcp",
      layer: "network",
      prod: true,
      backend: "s3",
      workingDirectory: "cdktf.out/stacks/prod-gcp-network",
    });
    expect(graph.stacks.find((s) => s.name === "dev-gcp-network")).toMatchObject({
      prod: false,
      backend: "local",
    });
  });
});

describe("waves", () => {
  test("layers of a dependency graph become waves, sorted inside a wave", () => {
    const g = buildGraph(readCdktfOut(fakeOut(work, LAYERED)));
    expect(g.waves).toEqual([
      ["prod-gcp-network", "staging-gcp-network"],
      ["prod-gcp-cluster", "prod-gcp-data"],
      ["prod-gcp-platform", "staging-gcp-platform"],
      ["prod-gcp-apps"],
    ]);
  });

  test("a cycle is an error naming the stacks in it", () => {
    const out = readCdktfOut(
      fakeOut(work, {
        "a-gcp-network": ["a-gcp-apps"],
        "a-gcp-cluster": ["a-gcp-network"],
        "a-gcp-apps": ["a-gcp-cluster"],
        "b-gcp-network": [],
      }),
    );
    expect(() => buildGraph(out)).toThrow(
      /dependency cycle between stacks: a-gcp-apps → a-gcp-cluster → a-gcp-network → a-gcp-apps/,
    );
  });

  test("a cycle is reported even when the selection leaves it out", () => {
    const out = readCdktfOut(
      fakeOut(work, {
        "a-gcp-network": ["a-gcp-cluster"],
        "a-gcp-cluster": ["a-gcp-network"],
        "b-gcp-network": [],
      }),
    );
    expect(() => buildGraph(out, { environments: ["b"] })).toThrow(/dependency cycle/);
  });

  test("a dependency missing from the manifest is an error", () => {
    const out = readCdktfOut(fakeOut(work, { "a-gcp-cluster": ["a-gcp-network"] }));
    expect(() => buildGraph(out)).toThrow(
      /"a-gcp-cluster" depends on "a-gcp-network", which is not in the manifest/,
    );
  });

  test("applyWaves on names alone: a diamond", () => {
    const deps: Record<string, string[]> = { a: [], b: ["a"], c: ["a"], d: ["b", "c"] };
    expect(applyWaves(Object.keys(deps), (n) => deps[n])).toEqual([["a"], ["b", "c"], ["d"]]);
  });
});

describe("selection by environment", () => {
  const g = buildGraph(readCdktfOut(fakeOut(work, LAYERED)), { environments: ["staging"] });

  test("only the environment's stacks; dependencies on others are external", () => {
    expect(g.stacks.map((s) => s.name)).toEqual(["staging-gcp-network", "staging-gcp-platform"]);
    expect(g.external).toEqual([{ from: "prod-gcp-cluster", to: "staging-gcp-platform" }]);
    expect(g.waves).toEqual([["staging-gcp-network"], ["staging-gcp-platform"]]);
  });

  test("external dependencies are listed as applied already", () => {
    expect(renderWaves(g)).toMatch(
      /Applied already \(outside the selection\):\n  prod-gcp-cluster  \(needed by staging-gcp-platform\)/,
    );
  });
});

describe("Mermaid", () => {
  const g = buildGraph(readCdktfOut(fakeOut(work, LAYERED)), { prodEnvironments: ["prod"] });
  const text = renderMermaid(g);

  test("one subgraph per environment, prod marked", () => {
    expect(text).toMatch(/^flowchart LR$/m);
    expect(text).toMatch(/^  subgraph env_prod\["prod \(prod\)"\]$/m);
    expect(text).toMatch(/^  subgraph env_staging\["staging"\]$/m);
    expect(text).toMatch(/^    prod_gcp_apps\["prod-gcp-apps"\]$/m);
  });

  test("an arrow from each stack to the stacks that depend on it", () => {
    expect(text).toMatch(/^  prod_gcp_network --> prod_gcp_cluster$/m);
    expect(text).toMatch(/^  prod_gcp_cluster --> staging_gcp_platform$/m);
    expect(text.match(/-->/g)).toHaveLength(Object.values(LAYERED).flat().length);
  });
});

describe("apply steps", () => {
  const g = buildGraph(readCdktfOut(fakeOut(work, LAYERED)), { prodEnvironments: ["prod"] });

  test("each stack: its folder, tofu init and apply, no post-apply commands by default", () => {
    expect(applyPlan(g)[0][0]).toEqual({
      stack: "prod-gcp-network",
      environment: "prod",
      prod: true,
      backend: "gcs",
      dir: "cdktf.out/stacks/prod-gcp-network",
      commands: ["tofu init -input=false", "tofu apply -input=false"],
      after: [],
    });
  });

  test("post-apply hooks add commands after a stack's apply", () => {
    const readiness = (s: { layer?: string; name: string }) =>
      s.layer === "apps" ? [`npm run ready -- ${s.name}`] : [];
    const plan = applyPlan(g, [readiness]);
    expect(plan[3][0].after).toEqual(["npm run ready -- prod-gcp-apps"]);
    expect(plan[0].every((s) => s.after.length === 0)).toBe(true);
    expect(renderWaves(g, plan)).toMatch(
      /Wave 4 \(1 stack, in parallel\):\n  \(cd cdktf\.out\/stacks\/prod-gcp-apps && tofu init -input=false && tofu apply -input=false\)\n    then: npm run ready -- prod-gcp-apps/,
    );
  });
});
