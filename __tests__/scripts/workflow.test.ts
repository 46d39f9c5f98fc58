/**
 * The example GitHub Actions workflow: valid YAML, review on pull requests, and apply jobs whose
 * matrices come from `npm run graph -- --format json`, one job per wave, in order.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { LAYERS } from "../../modules/common/naming";

const DIR = path.join(__dirname, "..", "..", ".github", "workflows");
type Job = {
  if?: string;
  needs?: string[];
  uses?: string;
  with?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps?: Array<{ id?: string; run?: string; uses?: string }>;
};
const main = parse(fs.readFileSync(path.join(DIR, "strata.yml"), "utf8")) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const wave = parse(fs.readFileSync(path.join(DIR, "strata-wave.yml"), "utf8")) as {
  on: { workflow_call: { inputs: Record<string, unknown> } };
  jobs: { apply: Job & { environment: string } };
};
const applyJobs = Object.keys(main.jobs).filter((j) => j.startsWith("apply-wave-"));

test("pull requests run npm run review against the base ref and comment with Markdown", () => {
  const run = main.jobs.review.steps!.map((s) => s.run ?? "").join("\n");
  expect(main.jobs.review.if).toMatch(/pull_request/);
  expect(run).toMatch(
    /npm run --silent review -- --base "origin\/\$\{\{ github\.base_ref \}\}" --format md/,
  );
  expect(
    main.jobs.review.steps!.some((s) =>
      s.uses?.startsWith("marocchino/sticky-pull-request-comment"),
    ),
  ).toBe(true);
});

test("the graph job derives one output per wave from npm run graph's JSON", () => {
  const run = main.jobs.graph.steps!.find((s) => s.id === "graph")!.run!;
  expect(run).toMatch(/npm run --silent graph -- --format json > graph\.json/);
  expect(run).toMatch(/\.plan\[\$i\]/);
  for (let i = 0; i < applyJobs.length; i++) {
    expect(main.jobs.graph.outputs![`wave${i}`]).toBe(`\${{ steps.graph.outputs.wave${i} }}`);
  }
});

test("one apply job per possible wave (at least one per layer), each after the previous", () => {
  expect(applyJobs.length).toBeGreaterThanOrEqual(LAYERS.length);
  applyJobs.forEach((name, i) => {
    const job = main.jobs[name];
    expect(name).toBe(`apply-wave-${i}`);
    expect(job.uses).toBe("./.github/workflows/strata-wave.yml");
    expect(job.with!.steps).toBe(`\${{ needs.graph.outputs.wave${i} }}`);
    expect(job.needs).toEqual(i === 0 ? ["graph"] : ["graph", `apply-wave-${i - 1}`]);
    expect(job.if).toMatch(/github\.event_name == 'push'/);
  });
});

test("a wave's matrix is its apply steps; each stack applies with tofu in its folder", () => {
  expect(wave.on.workflow_call.inputs.steps).toBeDefined();
  expect(wave.jobs.apply.strategy!.matrix.include).toBe("${{ fromJSON(inputs.steps) }}");
  expect(wave.jobs.apply.environment).toBe("${{ matrix.environment }}");
  const run = wave.jobs.apply.steps!.map((s) => s.run ?? "").join("\n");
  expect(run).toMatch(/tofu init -input=false && tofu apply -input=false -auto-approve/);
  expect(wave.jobs.apply.steps!.some((s) => s.uses?.startsWith("opentofu/setup-opentofu"))).toBe(
    true,
  );
});

test("plan runs on pull requests for each stack with a shared backend", () => {
  expect(main.jobs.plan.strategy!.matrix.stack).toBe("${{ fromJSON(needs.graph.outputs.stacks) }}");
  const run = main.jobs.graph.steps!.find((s) => s.id === "graph")!.run!;
  expect(run).toMatch(/select\(\.backend != "local"\)/);
});
