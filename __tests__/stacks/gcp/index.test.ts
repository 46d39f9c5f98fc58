import { App } from "cdktf";
import { buildGcpStacks } from "../../../stacks/gcp";
import { gcpEnv } from "./support";

const deps = (stack: { dependencies: Array<{ node: { id: string } }> } | undefined) =>
  stack?.dependencies.map((d) => d.node.id);

describe("buildGcpStacks", () => {
  test("network → cluster → data and messaging (they grant to the cluster stack's accounts)", () => {
    const env = gcpEnv();
    const stacks = buildGcpStacks(new App(), env, env.targets.gcp!);
    expect(deps(stacks.cluster)).toEqual(["test-gcp-network"]);
    expect(deps(stacks.data)).toEqual(["test-gcp-network", "test-gcp-cluster"]);
    expect(deps(stacks.messaging)).toEqual(["test-gcp-network", "test-gcp-cluster"]);
  });

  test("without a cluster (staging on a shared cluster) data and messaging depend on the network only", () => {
    const env = gcpEnv({}, { cluster: undefined, workloadIdentities: [] });
    const stacks = buildGcpStacks(new App(), env, env.targets.gcp!);
    expect(stacks.cluster).toBeUndefined();
    expect(deps(stacks.data)).toEqual(["test-gcp-network"]);
    expect(deps(stacks.messaging)).toEqual(["test-gcp-network"]);
  });

  test("a layer the target does not configure is not built", () => {
    const env = gcpEnv(
      {},
      { cluster: undefined, eventStore: undefined, pubsub: undefined, workloadIdentities: [] },
    );
    const stacks = buildGcpStacks(new App(), env, env.targets.gcp!);
    expect([stacks.cluster, stacks.data, stacks.messaging]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
