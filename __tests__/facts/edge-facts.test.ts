/**
 * The edge's constants against the facts read from Envoy Gateway v1.9.0 and the clouds'
 * load-balancer controllers: the webhook port the GKE firewall opens, the labels the apps'
 * NetworkPolicies select the proxies by, the GatewayClass controller name, and every annotation
 * Strata sets on a load balancer.
 */
import EG from "../../facts/envoy-gateway.json";
import LB from "../../facts/load-balancers.json";
import {
  ENVOY_GATEWAY_CONTROLLER,
  ENVOY_GATEWAY_WEBHOOK_PORT,
  PROXY_LABELS,
} from "../../modules/helm/envoy-gateway";
import { loadBalancerAnnotations, type LoadBalancerCloud } from "../../modules/helm/load-balancer";
import { realApp } from "../support/app";
import { releasesOf } from "../support/chart-values";

test("module constants are the facts'", () => {
  expect(ENVOY_GATEWAY_WEBHOOK_PORT).toBe(EG.constants.webhookPort.value);
  expect(ENVOY_GATEWAY_CONTROLLER).toBe(EG.constants.controllerName.value);
  expect(PROXY_LABELS).toEqual(EG.constants.proxyLabels.value);
});

describe("load balancer annotations", () => {
  const clouds: LoadBalancerCloud[] = ["gcp", "aws", "digitalocean"];
  const known = (cloud: LoadBalancerCloud) => Object.keys(LB[cloud].annotations);

  test.each(clouds)(
    "%s: every annotation Strata sets, in every option, is one its controller reads",
    (cloud) => {
      for (const internal of [false, true]) {
        const set = loadBalancerAnnotations(
          cloud,
          {
            internal,
            annotations: {},
            addressName: "edge-ip",
            eipAllocations: ["eipalloc-00000000"],
            sizeUnit: 2,
          },
          "prod-edge",
        );
        for (const key of Object.keys(set)) expect(known(cloud)).toContain(key);
      }
    },
  );

  test("every Gateway's load balancer in the real app: only annotations its cloud reads", () => {
    const problems: string[] = [];
    for (const [stack, tf] of realApp().stacks) {
      const cloud = ({ gcp: "gcp", aws: "aws", do: "digitalocean" } as const)[
        stack.split("-")[1] as "gcp" | "aws" | "do"
      ];
      for (const r of releasesOf(tf).filter((x) => x.chart.startsWith("./assets/GatewayChart/"))) {
        const gw = r.values.gateway as { proxy?: { serviceAnnotations: Record<string, string> } };
        for (const key of Object.keys(gw.proxy?.serviceAnnotations ?? {})) {
          if (!known(cloud).includes(key)) problems.push(`${stack}: ${key}`);
        }
        // DigitalOcean adopts a load balancer of the same name anywhere in the account: the name
        // carries the cluster's (unique in the account) and the environment's.
        const name =
          gw.proxy?.serviceAnnotations["service.beta.kubernetes.io/do-loadbalancer-name"];
        const cluster = Object.values(tf.data?.digitalocean_kubernetes_cluster ?? {})[0] as
          { name: string } | undefined;
        if (
          cloud === "digitalocean" &&
          gw.proxy &&
          name !== `${cluster?.name}-${stack.split("-")[0]}-edge`
        )
          problems.push(`${stack}: load balancer name ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
