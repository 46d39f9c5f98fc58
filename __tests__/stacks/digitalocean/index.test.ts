import { App } from "cdktf";
import { loadEnvironments } from "../../../environments";
import type { EnvironmentInput } from "../../../environments/schema";
import { buildApp } from "../../../stacks/app";
import { buildDoStacks } from "../../../stacks/digitalocean";
import { envInput, testEnv } from "../../support/env";

const deps = (stack: { dependencies: Array<{ node: { id: string } }> } | undefined) =>
  (stack?.dependencies ?? []).map((d) => d.node.id);

describe("buildDoStacks", () => {
  test("a network only, without cluster or databases", () => {
    const env = testEnv();
    const stacks = buildDoStacks(new App(), env, env.targets.digitalocean!);
    expect(stacks.network.node.id).toBe("test-do-network");
    expect(stacks.cluster).toBeUndefined();
    expect(stacks.data).toBeUndefined();
  });

  test("cluster after network; data after network and cluster", () => {
    const env = testEnv({
      targets: {
        digitalocean: {
          region: "fra1",
          network: { ipRange: "10.200.0.0/20" },
          cluster: {},
          databases: { postgres: {} },
        },
      },
    });
    const stacks = buildDoStacks(new App(), env, env.targets.digitalocean!);
    expect(stacks.cluster?.node.id).toBe("test-do-cluster");
    expect(deps(stacks.cluster)).toEqual(["test-do-network"]);
    expect(deps(stacks.data)).toEqual(["test-do-network", "test-do-cluster"]);
  });

  test("an empty databases section makes no data stack", () => {
    const env = testEnv({
      targets: {
        digitalocean: {
          region: "fra1",
          network: { ipRange: "10.200.0.0/20" },
          cluster: {},
          databases: {},
        },
      },
    });
    expect(buildDoStacks(new App(), env, env.targets.digitalocean!).data).toBeUndefined();
  });
});

describe("shared DOKS clusters across environments", () => {
  const owner = envInput({
    name: "owner",
    targets: {
      digitalocean: { region: "nyc3", network: { ipRange: "10.210.0.0/20" }, cluster: {} },
    },
  });
  const guest: EnvironmentInput = envInput({
    name: "guest",
    targets: {
      digitalocean: {
        region: "nyc3",
        network: { ipRange: "10.211.0.0/20" },
        databases: { postgres: {}, reason: "read by the reporting job outside Strata" },
      },
    },
    workloads: { sharedCluster: { environment: "owner", cloud: "digitalocean" } },
  });

  test("the guest gets no cluster stack; its data stack waits for the owner's cluster stack", () => {
    const { all } = loadEnvironments({ builtins: [guest, owner] });
    const built = buildApp(new App(), all, all);
    const g = built.find((b) => b.env.name === "guest")!.digitalocean!;
    expect(g.cluster).toBeUndefined();
    expect(deps(g.data)).toEqual(["guest-do-network", "owner-do-cluster"]);
  });

  test("with the owner outside the selection, the guest still builds (no cross-app dependency)", () => {
    const { all, selected } = loadEnvironments({ builtins: [guest, owner], envs: "guest" });
    const built = buildApp(new App(), selected, all);
    expect(deps(built[0].digitalocean?.data)).toEqual(["guest-do-network"]);
  });
});
