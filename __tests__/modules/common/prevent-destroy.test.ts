import { Aspects, Testing, TerraformStack } from "cdktf";
import { DataDigitaloceanKubernetesCluster } from "@cdktf/provider-digitalocean/lib/data-digitalocean-kubernetes-cluster";
import { KubernetesCluster } from "@cdktf/provider-digitalocean/lib/kubernetes-cluster";
import { PreventDestroy } from "../../../modules/common/prevent-destroy";
import type { TfJson } from "../../support/synth";

function synth(build: (stack: TerraformStack) => void): TfJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "s");
  build(stack);
  Aspects.of(stack).add(new PreventDestroy());
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

describe("PreventDestroy", () => {
  test("a stateful managed resource gets prevent_destroy", () => {
    const tf = synth((s) => {
      new KubernetesCluster(s, "c", {
        name: "c",
        region: "nyc3",
        version: "1.34.1-do.0",
        nodePool: { name: "p", size: "s-2vcpu-4gb", nodeCount: 1 },
      });
    });
    expect(tf.resource?.digitalocean_kubernetes_cluster?.c?.lifecycle).toEqual({
      prevent_destroy: true,
    });
  });

  test("a data source of a stateful type gets no lifecycle (the engine refuses it)", () => {
    const tf = synth((s) => {
      new DataDigitaloceanKubernetesCluster(s, "c", { name: "c" });
    });
    expect(tf.data?.digitalocean_kubernetes_cluster?.c).toBeDefined();
    expect(tf.data?.digitalocean_kubernetes_cluster?.c?.lifecycle).toBeUndefined();
  });
});
