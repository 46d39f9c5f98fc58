/** The Strimzi modules: the operator release and one environment's Kafka custom resources. */
import {
  KafkaCluster,
  kafkaClusterReleaseName,
  nodePools,
  replication,
} from "../../../modules/helm/kafka-cluster";
import { StrimziOperator } from "../../../modules/helm/strimzi";
import { synthScope } from "./helpers";

const chart = { chart: "./charts/kafka-cluster" };

describe("KafkaCluster", () => {
  test("one combined pool without brokers; dedicated pools with them", () => {
    expect(nodePools(1, 0)).toEqual([
      { name: "nodes", roles: ["controller", "broker"], replicas: 1 },
    ]);
    expect(nodePools(3, 4).map((p) => [p.name, p.replicas])).toEqual([
      ["controllers", 3],
      ["brokers", 4],
    ]);
  });

  test("replication follows the brokers: 3 and min ISR 2 from three on, else all and 1", () => {
    expect(replication(1).config).toMatchObject({
      "default.replication.factor": 1,
      "min.insync.replicas": 1,
      "offsets.topic.replication.factor": 1,
    });
    expect(replication(2).factor).toBe(2);
    expect(replication(6).config).toMatchObject({
      "default.replication.factor": 3,
      "min.insync.replicas": 2,
      "transaction.state.log.min.isr": 2,
    });
  });

  test("a release name of its own, never the Bitnami release's", () => {
    expect(kafkaClusterReleaseName("events")).toBe("events-strimzi");
  });

  test.each([2, 4, 7])("%i controllers are refused", (controllers) => {
    expect(() =>
      synthScope((s) => {
        new KafkaCluster(s, "K", {
          name: "events",
          namespace: "x",
          chart,
          topic: "events",
          controllers,
        });
      }),
    ).toThrow(/controllers \(\d\) must be 1, 3 or 5/);
  });

  test("rack awareness only with three brokers or more, on nodes that carry a zone", () => {
    const rack = (controllers: number, brokers: number, zones?: boolean) => {
      let key = "";
      synthScope((s) => {
        key = new KafkaCluster(s, "K", {
          name: "e",
          namespace: "x",
          chart,
          topic: "t",
          controllers,
          brokers,
          zones,
        }).values.kafka.rackTopologyKey;
      });
      return key;
    };
    expect(rack(1, 0)).toBe("");
    expect(rack(3, 0)).toBe("topology.kubernetes.io/zone");
    expect(rack(1, 2)).toBe("");
    expect(rack(3, 3, false)).toBe("");
  });

  test("the password is generated into a Secret (never a literal) the user and the apps read", () => {
    const tf = synthScope((s) => {
      new KafkaCluster(s, "K", { name: "events", namespace: "shop", chart, topic: "events" });
    });
    const secret = Object.values(tf.resource!.kubernetes_secret_v1)[0] as {
      metadata: { name: string };
      data: Record<string, string>;
    };
    expect(secret.metadata.name).toBe("events-app-password");
    expect(secret.data.password).toMatch(/^\$\{random_password\./);
  });
});

describe("StrimziOperator", () => {
  test("cluster-wide, operands restricted, a PDB only with several replicas", () => {
    const values = (replicas?: number) => {
      let v: unknown;
      synthScope((s) => {
        v = new StrimziOperator(s, "S", { namespace: "strimzi", replicas }).release.values;
      });
      return v as Record<string, unknown>;
    };
    expect(values()).toMatchObject({
      replicas: 1,
      watchAnyNamespace: true,
      extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
      podDisruptionBudget: { enabled: false },
    });
    expect(values(2)).toMatchObject({ podDisruptionBudget: { enabled: true } });
    expect(() => values(0)).toThrow(/replicas/);
  });
});
