import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { loadEnvironments, placements, synthesisGroups } from "../../environments";
import { ConfigError } from "../../environments/errors";
import type { EnvironmentInput } from "../../environments/schema";
import { clusterRef } from "../../stacks/kubernetes/cluster-ref";
import { envInput } from "../support/env";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-registry-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The problems a load throws, as "path: message" lines. */
function loadProblems(...args: Parameters<typeof loadEnvironments>): string[] {
  try {
    loadEnvironments(...args);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const a = envInput({ name: "alpha" });
const b = envInput({
  name: "beta",
  targets: { digitalocean: { region: "fra1", network: { ipRange: "10.210.0.0/20" } } },
});

describe("selection", () => {
  test("all environments by default, in order", () => {
    expect(loadEnvironments({ builtins: [a, b] }).selected.map((e) => e.name)).toEqual([
      "alpha",
      "beta",
    ]);
  });

  test("STRATA_ENVS limits the selection", () => {
    const r = loadEnvironments({ builtins: [a, b], envs: " beta ," });
    expect(r.selected.map((e) => e.name)).toEqual(["beta"]);
    expect(r.all).toHaveLength(2);
  });

  test("an unknown environment in STRATA_ENVS", () => {
    expect(loadProblems({ builtins: [a, b], envs: "alpha,gamma" })).toEqual([
      'STRATA_ENVS: unknown environment "gamma"; known: alpha, beta',
    ]);
  });

  test("duplicate names among the environment files of this folder", () => {
    expect(loadProblems({ builtins: [a, { ...a }] })).toEqual([
      expect.stringMatching(/^alpha: environment name "alpha" is already used by alpha/),
    ]);
  });
});

describe("STRATA_ENV_FILE", () => {
  test("a JSON file adds an environment", () => {
    const file = write(
      "gamma.json",
      JSON.stringify(envInput({ name: "gamma", targets: { aws: { region: "eu-west-1" } } })),
    );
    expect(loadEnvironments({ builtins: [a], envFile: file }).all.map((e) => e.name)).toEqual([
      "alpha",
      "gamma",
    ]);
  });

  test("a YAML file replaces the environment of the same name", () => {
    const file = write("alpha.yaml", stringify({ ...a, owner: "someone-else" }));
    const r = loadEnvironments({ builtins: [a, b], envFile: file });
    expect(r.all.find((e) => e.name === "alpha")?.owner).toBe("someone-else");
  });

  test("a file may hold a list of environments", () => {
    const file = write(
      "many.json",
      JSON.stringify([
        envInput({ name: "e1" }),
        envInput({ name: "e2", targets: { aws: { region: "eu-west-1" } } }),
      ]),
    );
    expect(loadEnvironments({ builtins: [], envFile: file }).all.map((e) => e.name)).toEqual([
      "e1",
      "e2",
    ]);
  });

  test("a malformed file names the file and the parse error", () => {
    const json = write("broken.json", '{"name": "x",');
    expect(loadProblems({ builtins: [a], envFile: json })).toEqual([
      expect.stringMatching(/broken\.json: malformed JSON: /),
    ]);
    const yaml = write("broken.yaml", "name: [x\n  tier: dev");
    expect(loadProblems({ builtins: [a], envFile: yaml })).toEqual([
      expect.stringMatching(/broken\.yaml: malformed YAML: /),
    ]);
  });

  test("a wrong extension, a missing file, and a non-object file", () => {
    expect(loadProblems({ builtins: [a], envFile: write("env.txt", "{}") })).toEqual([
      expect.stringMatching(/must end in \.json, \.yaml or \.yml/),
    ]);
    expect(loadProblems({ builtins: [a], envFile: path.join(tmp, "missing.json") })).toEqual([
      expect.stringMatching(/cannot read STRATA_ENV_FILE/),
    ]);
    expect(loadProblems({ builtins: [a], envFile: write("num.json", "42") })).toEqual([
      expect.stringMatching(/one environment object or a list/),
    ]);
  });

  test("problems in a file are prefixed with the environment and the file", () => {
    const file = write(
      "bad.json",
      JSON.stringify({ ...envInput({ name: "delta" }), colour: "blue" }),
    );
    expect(loadProblems({ builtins: [a], envFile: file })).toEqual([
      expect.stringMatching(/^delta \(.*bad\.json\): unknown key "colour"/),
    ]);
  });
});

describe("across environments", () => {
  test("overlapping DigitalOcean VPCs in one region", () => {
    const c = envInput({
      name: "gamma",
      targets: { digitalocean: { region: "fra1", network: { ipRange: "10.200.8.0/21" } } },
    });
    expect(loadProblems({ builtins: [a, c] })).toEqual([
      "gamma.targets.digitalocean.network.ipRange: 10.200.8.0/21 overlaps alpha's VPC 10.200.0.0/20 in fra1; VPCs in one region must not overlap",
    ]);
  });

  test("sharing the cluster of an unknown environment, of itself, or of an environment without that cluster", () => {
    const share = (environment: string): EnvironmentInput =>
      envInput({
        name: "gamma",
        targets: {},
        workloads: { sharedCluster: { environment, cloud: "gcp" } },
      });
    expect(loadProblems({ builtins: [a, share("omega")] })).toEqual([
      expect.stringMatching(
        /^gamma\.workloads\.sharedCluster: shares a cluster of unknown environment "omega"/,
      ),
    ]);
    expect(loadProblems({ builtins: [a, share("gamma")] })).toEqual([
      expect.stringMatching(/cannot share its own cluster/),
    ]);
    expect(loadProblems({ builtins: [a, share("alpha")] })).toEqual([
      expect.stringMatching(/environment "alpha" has no gcp cluster/),
    ]);
  });

  test("placements: own clusters by default, the shared cluster when declared", () => {
    const { all } = loadEnvironments({ builtins: [a] });
    expect(placements(all[0])).toEqual([]);
  });
});

describe("shared clusters", () => {
  const owner = envInput({
    name: "alpha",
    targets: { gcp: { project: "strata-test", region: "europe-west1", cluster: {} } },
  });
  const guest = envInput({
    name: "beta",
    targets: {},
    workloads: { sharedCluster: { environment: "alpha", cloud: "gcp" } },
  });

  test("a guest runs on the owner's cluster in its own namespace", () => {
    const { all } = loadEnvironments({ builtins: [owner, guest] });
    expect(placements(all[1])).toEqual([
      { cloud: "gcp", clusterEnvironment: "alpha", namespace: "beta" },
    ]);
    expect(placements(all[0])).toEqual([
      { cloud: "gcp", clusterEnvironment: "alpha", namespace: "alpha" },
    ]);
  });

  test("chains of sharing are refused", () => {
    const third = envInput({
      name: "gamma",
      targets: {},
      workloads: { sharedCluster: { environment: "beta", cloud: "gcp" } },
    });
    expect(loadProblems({ builtins: [owner, guest, third] })).toEqual([
      expect.stringMatching(
        /^gamma\.workloads\.sharedCluster: "beta" itself runs on alpha's cluster/,
      ),
    ]);
  });

  test("two environments claiming one namespace on one cluster", () => {
    const clash = {
      ...guest,
      workloads: {
        namespace: "alpha",
        sharedCluster: { environment: "alpha", cloud: "gcp" as const },
      },
    };
    expect(loadProblems({ builtins: [owner, clash] })).toEqual([
      expect.stringMatching(
        /^beta\.workloads\.namespace: namespace "alpha" on alpha's gcp cluster is already claimed by alpha/,
      ),
    ]);
  });
});

describe("shared clusters: hardening", () => {
  const doOwner = envInput({
    name: "alpha",
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
  });
  const doGuest = (overrides: Partial<EnvironmentInput> = {}): EnvironmentInput =>
    envInput({
      name: "beta",
      targets: { digitalocean: { region: "fra1", network: { ipRange: "10.201.0.0/20" } } },
      workloads: { sharedCluster: { environment: "alpha", cloud: "digitalocean" } },
      ...overrides,
    });

  test("a guest that also declares clusters of its own", () => {
    const guest = doGuest({
      targets: {
        gcp: { project: "strata-test", region: "europe-west1", cluster: {} },
        digitalocean: { region: "fra1", network: { ipRange: "10.201.0.0/20" }, cluster: {} },
      },
    });
    expect(loadProblems({ builtins: [doOwner, guest] })).toEqual([
      expect.stringMatching(
        /^beta\.targets\.gcp\.cluster: beta runs its workloads on alpha's digitalocean cluster \(workloads\.sharedCluster\), so a gcp cluster of its own would stay empty; remove targets\.gcp\.cluster or workloads\.sharedCluster$/,
      ),
      expect.stringMatching(/^beta\.targets\.digitalocean\.cluster: beta runs its workloads/),
    ]);
  });

  test("a cycle of sharing names the cycle", () => {
    const a = envInput({
      name: "alpha",
      targets: {},
      workloads: { sharedCluster: { environment: "beta", cloud: "gcp" } },
    });
    const b = envInput({
      name: "beta",
      targets: {},
      workloads: { sharedCluster: { environment: "alpha", cloud: "gcp" } },
    });
    expect(loadProblems({ builtins: [a, b] })).toEqual([
      "alpha.workloads.sharedCluster: sharing cycle alpha → beta → alpha: no environment in it owns a cluster; let one of them declare its own cluster and the others share it",
      "beta.workloads.sharedCluster: sharing cycle beta → alpha → beta: no environment in it owns a cluster; let one of them declare its own cluster and the others share it",
    ]);
  });

  test("a chain into a cycle is a chain, not a cycle of its own", () => {
    const a = envInput({
      name: "alpha",
      targets: {},
      workloads: { sharedCluster: { environment: "beta", cloud: "gcp" } },
    });
    const b = envInput({
      name: "beta",
      targets: {},
      workloads: { sharedCluster: { environment: "alpha", cloud: "gcp" } },
    });
    const c = envInput({
      name: "gamma",
      targets: {},
      workloads: { sharedCluster: { environment: "alpha", cloud: "gcp" } },
    });
    expect(loadProblems({ builtins: [a, b, c] })).toContainEqual(
      expect.stringMatching(
        /^gamma\.workloads\.sharedCluster: "alpha" itself runs on beta's cluster/,
      ),
    );
  });

  test("two guests claiming one namespace on the owner's cluster", () => {
    const first = doGuest({
      workloads: {
        namespace: "apps",
        sharedCluster: { environment: "alpha", cloud: "digitalocean" },
      },
    });
    const second = envInput({
      name: "gamma",
      targets: {},
      workloads: {
        namespace: "apps",
        sharedCluster: { environment: "alpha", cloud: "digitalocean" },
      },
    });
    expect(loadProblems({ builtins: [doOwner, first, second] })).toEqual([
      'gamma.workloads.namespace: namespace "apps" on alpha\'s digitalocean cluster is already claimed by beta; choose another namespace',
    ]);
  });

  test("namespaces that belong to Kubernetes", () => {
    for (const namespace of ["default", "kube-system", "kube-anything"]) {
      expect(loadProblems({ builtins: [envInput({ workloads: { namespace } })] })).toEqual([
        expect.stringMatching(
          new RegExp(
            `^test\\.workloads\\.namespace: namespace "${namespace}" belongs to Kubernetes itself`,
          ),
        ),
      ]);
    }
  });

  test("a DigitalOcean guest runs in its own namespace on the owner's DOKS cluster", () => {
    const { all } = loadEnvironments({ builtins: [doOwner, doGuest()] });
    expect(placements(all[1])).toEqual([
      { cloud: "digitalocean", clusterEnvironment: "alpha", namespace: "beta" },
    ]);
  });
});

describe("the real registry", () => {
  const { all } = loadEnvironments();
  const env = (name: string) => all.find((e) => e.name === name)!;

  test("staging runs on prod's DOKS cluster in namespace staging, with no cluster of its own", () => {
    expect(placements(env("staging"))).toEqual([
      { cloud: "digitalocean", clusterEnvironment: "prod", namespace: "staging" },
    ]);
    expect(env("staging").targets.digitalocean?.cluster).toBeUndefined();
    expect(env("staging").targets.digitalocean?.network.ipRange).toBe("10.101.0.0/20");
  });

  test("prod and dev run on their own DOKS clusters in nyc3", () => {
    expect(placements(env("prod"))).toContainEqual({
      cloud: "digitalocean",
      clusterEnvironment: "prod",
      namespace: "prod",
    });
    expect(placements(env("dev"))).toContainEqual({
      cloud: "digitalocean",
      clusterEnvironment: "dev",
      namespace: "dev",
    });
  });

  test("the cluster staging's Helm layers look up: prod-doks in nyc3, created by prod-do-cluster", () => {
    expect(clusterRef(env("prod"), "digitalocean")).toEqual({
      cloud: "digitalocean",
      environment: "prod",
      stack: "prod-do-cluster",
      name: "prod-doks",
      region: "nyc3",
    });
  });

  test("prod: HA control plane, an autoscaled workload pool, no managed database nothing uses", () => {
    const target = env("prod").targets.digitalocean!;
    expect(target.cluster?.highAvailability).toBe(true);
    expect(target.cluster?.pools[0]).toMatchObject({
      name: "workloads",
      autoScale: { minNodes: 3, maxNodes: 9 },
    });
    expect(target.databases).toBeUndefined();
  });
});

describe("synthesis groups", () => {
  test("environments linked by a shared cluster are one group; the others stand alone, in order", () => {
    const owner = envInput({
      name: "alpha",
      targets: { gcp: { project: "strata-test", region: "europe-west1", cluster: {} } },
    });
    const guest = envInput({
      name: "beta",
      targets: {},
      workloads: { sharedCluster: { environment: "alpha", cloud: "gcp" } },
    });
    const solo = envInput({ name: "gamma", targets: { aws: { region: "eu-west-1" } } });
    const { all } = loadEnvironments({ builtins: [guest, solo, owner] });
    expect(synthesisGroups(all).map((g) => g.map((e) => e.name))).toEqual([
      ["beta", "alpha"],
      ["gamma"],
    ]);
  });
});
