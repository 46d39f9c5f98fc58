import {
  RabbitmqCluster,
  rabbitmqClusterConnection,
  type RabbitmqClusterProps,
} from "../../../modules/helm/rabbitmq-cluster";
import {
  RabbitmqClusterOperator,
  type RabbitmqClusterOperatorProps,
} from "../../../modules/helm/rabbitmq-cluster-operator";
import {
  RABBITMQ_CLUSTER_IMAGE,
  RABBITMQ_VERSION_FLOOR,
} from "../../../modules/helm/rabbitmq-cluster-image";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { synthScope } from "./helpers";

const props: RabbitmqClusterProps = {
  name: "mq",
  namespace: "test",
  chart: { chart: "./charts/rabbitmq-cluster" },
  storageClass: "do-block-storage",
  labels: { environment: "test" },
};
const synth = (p: Partial<RabbitmqClusterProps> = {}) =>
  synthScope((scope) => new RabbitmqCluster(scope, "RabbitmqCluster", { ...props, ...p }));

describe("RabbitmqCluster (charts/rabbitmq-cluster)", () => {
  test("release <name>-cluster; the cluster named <name> with quorum queues, its volumes kept", () => {
    const r = releaseNamed(synth({ replicas: 3, storage: "20Gi" }), "mq-cluster");
    expect(r.values).toMatchObject({
      name: "mq",
      replicas: 3,
      image: { repository: "docker.io/library/rabbitmq", tag: "4.3.5-management-alpine" },
      persistence: { storageClassName: "do-block-storage", storage: "20Gi" },
      additionalConfig: ["default_queue_type = quorum"],
      additionalPlugins: [],
      keepOnUninstall: true,
      commonLabels: { environment: "test" },
    });
  });

  test("an even number of nodes, no node, a bad size or an unknown plugin is refused", () => {
    expect(() => synth({ replicas: 2 })).toThrow(/replicas \(2\).*use 1 or an odd number >= 3/);
    expect(() => synth({ replicas: 0 })).toThrow(/replicas/);
    expect(() => synth({ storage: "lots" })).toThrow(/storage/);
    expect(() => synth({ plugins: ["rabbitmq_mqtt"] })).toThrow(
      /plugins: rabbitmq_mqtt is not one Strata enables/,
    );
  });

  test("the RabbitMQ image is a 4.3 release at or above the floor, from Docker's official images", () => {
    const version = /^(\d+)\.(\d+)\.(\d+)(-|$)/.exec(RABBITMQ_CLUSTER_IMAGE.tag);
    expect(version).not.toBeNull();
    const [maj, min, patch] = version!.slice(1, 4).map(Number);
    const [fMaj, fMin, fPatch] = RABBITMQ_VERSION_FLOOR.split(".").map(Number);
    expect([maj, min]).toEqual([fMaj, fMin]);
    expect(patch).toBeGreaterThanOrEqual(fPatch);
    expect(RABBITMQ_CLUSTER_IMAGE.repository).toBe("docker.io/library/rabbitmq");
  });

  test("apps reach <name>.<ns>.svc:5672 with the operator's <name>-default-user keys", () => {
    expect(rabbitmqClusterConnection({ name: "mq", namespace: "shop" })).toEqual({
      host: "mq.shop.svc",
      port: 5672,
      secretName: "mq-default-user",
      usernameKey: "username",
      passwordKey: "password",
      urlKey: "connection_string",
    });
  });
});

describe("RabbitmqClusterOperator (CloudPirates rabbitmq-cluster-operator)", () => {
  const base: RabbitmqClusterOperatorProps = { namespace: "rabbitmq-system" };
  const op = (p: Partial<RabbitmqClusterOperatorProps> = {}) =>
    synthScope((scope) => new RabbitmqClusterOperator(scope, "Op", { ...base, ...p }));

  test("pinned 0.6.5; webhook and topology operator off; every values key exists in the chart", () => {
    const r = releaseNamed(op(), "rabbitmq-cluster-operator");
    expect(r).toMatchObject({
      chart: "rabbitmq-cluster-operator",
      version: "0.6.5",
      repository: "oci://registry-1.docker.io/cloudpirates",
    });
    expect(r.values).toMatchObject({
      clusterOperator: { replicaCount: 1, webhook: { enabled: false } },
      msgTopologyOperator: { enabled: false },
    });
    expect(unknownValuePaths("rabbitmq-cluster-operator", "0.6.5", r.values)).toEqual([]);
  });

  test("no pod is refused", () => {
    expect(() => op({ replicas: 0 })).toThrow(/replicas/);
  });
});
