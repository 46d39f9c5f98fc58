/**
 * `npm run graph`: formats, exit codes, bad input. The command is spawned once; the rest call its
 * run(argv) in-process (support/cli.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "../../scripts/graph";
import { invoke, spawnScript } from "../support/cli";
import { fakeOut } from "./support/fake-out";

const ROOT = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-graph-cli-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The command, spawned as `npm run graph` runs it. */
const graphCommand = (args: string[]) => spawnScript("scripts/graph.ts", args);

/** The same command in-process. */
const graph = (args: string[]) => invoke(run, args, { cwd: ROOT });

const out = fakeOut(work, {
  "prod-gcp-network": [],
  "prod-gcp-cluster": ["prod-gcp-network"],
  "dev-gcp-network": [],
});

test("--format json prints stacks, edges, waves and the apply plan", () => {
  const result = graphCommand([out, "--format", "json"]);
  expect(result.status).toBe(0);
  const json = JSON.parse(result.stdout);
  expect(json.waves).toEqual([["dev-gcp-network", "prod-gcp-network"], ["prod-gcp-cluster"]]);
  expect(json.edges).toEqual([{ from: "prod-gcp-network", to: "prod-gcp-cluster" }]);
  expect(json.plan[1][0]).toMatchObject({
    stack: "prod-gcp-cluster",
    environment: "prod",
    prod: true,
  });
});

test("the default output is a Mermaid block and the waves", () => {
  const result = graph([out, "--env", "prod"]);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^```mermaid\nflowchart LR\n/);
  expect(result.stdout).toMatch(/^Wave 2 \(1 stack, in parallel\):$/m);
  expect(result.stdout).not.toMatch(/dev-gcp-network/);
});

test("a cycle exits 1 naming its stacks", () => {
  const cyclic = fakeOut(work, {
    "a-gcp-network": ["a-gcp-cluster"],
    "a-gcp-cluster": ["a-gcp-network"],
  });
  const result = graph([cyclic]);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /dependency cycle between stacks: a-gcp-cluster → a-gcp-network → a-gcp-cluster/,
  );
});

test("no cdktf.out exits 1 and says how to make one", () => {
  const result = graph([path.join(work, "missing")]);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /missing is not a folder; give a cdktf\.out folder \(npm run synth\)/,
  );
});

test("an environment with no stacks exits 1", () => {
  const result = graph([out, "--env", "qa"]);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/no stacks of qa in/);
});
