import { TerraformStack, Testing } from "cdktf";
import { Kafka, kafkaConnection, type KafkaProps } from "../../../modules/helm/kafka";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { BITNAMI, imagesIn, synthScope } from "./helpers";

const props: KafkaProps = { ...BITNAMI, name: "events" };
const synth = (p: Partial<KafkaProps> = {}) =>
  synthScope((scope) => new Kafka(scope, "Kafka", { ...props, ...p }));

describe("Kafka (bitnami/kafka, KRaft)", () => {
  test("pinned 32.4.3; every values key exists in it; no kraft.* or zookeeper.* keys", () => {
    for (const tf of [synth(), synth({ controllers: 3, brokers: 3, metrics: true })]) {
      const r = releaseNamed(tf, "events");
      expect(r).toMatchObject({ chart: "kafka", version: "32.4.3" });
      expect(unknownValuePaths("kafka", r.version!, r.values)).toEqual([]);
      expect(r.values).not.toHaveProperty("kraft");
      expect(r.values).not.toHaveProperty("zookeeper");
    }
  });

  test("the fixture rejects the pre-4.0 kraft.enabled key", () => {
    expect(unknownValuePaths("kafka", "32.4.3", { kraft: { enabled: true } })).toEqual([
      "kraft.enabled",
    ]);
  });

  test("one combined controller+broker by default; dedicated controllers with brokers", () => {
    expect(releaseNamed(synth(), "events").values).toMatchObject({
      controller: { replicaCount: 1, controllerOnly: false },
      broker: { replicaCount: 0 },
    });
    expect(releaseNamed(synth({ controllers: 3, brokers: 3 }), "events").values).toMatchObject({
      controller: { replicaCount: 3, controllerOnly: true, pdb: { create: true } },
      broker: { replicaCount: 3, persistence: { enabled: true, storageClass: "standard-rwo" } },
    });
  });

  test("internal topics replicated to the brokers there are: set below 3, Kafka's defaults from 3", () => {
    const override = (p: Partial<KafkaProps>) =>
      (releaseNamed(synth(p), "events").values as { overrideConfiguration?: object })
        .overrideConfiguration;
    expect(override({})).toEqual({
      "offsets.topic.replication.factor": "1",
      "transaction.state.log.replication.factor": "1",
      "transaction.state.log.min.isr": "1",
    });
    expect(override({ controllers: 3, brokers: 2 })).toEqual({
      "offsets.topic.replication.factor": "2",
      "transaction.state.log.replication.factor": "2",
      "transaction.state.log.min.isr": "1",
    });
    expect(override({ controllers: 3 })).toBeUndefined();
    expect(override({ controllers: 1, brokers: 3 })).toBeUndefined();
  });

  test("SASL passwords from a generated Secret; a random cluster id, not a literal", () => {
    const tf = synth();
    const { values } = releaseNamed(tf, "events");
    expect(values.sasl).toEqual({
      enabledMechanisms: "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
      client: { users: ["app"] },
      existingSecret: "events-kafka-credentials",
    });
    expect(values.clusterId).toMatch(/^\$\{random_id\..*\.b64_url\}$/);
    expect(Object.values(tf.resource!.random_id)[0]).toMatchObject({ byte_length: 16 });
    const secret = Object.values(tf.resource!.kubernetes_secret_v1)[0];
    expect(Object.keys(secret.data as object).sort()).toEqual([
      "client-passwords",
      "controller-password",
      "inter-broker-password",
    ]);
  });

  test("images from the configured location", () => {
    const { values } = releaseNamed(synth(), "events");
    expect(
      imagesIn(values)
        .map(([p, i]) => `${p}=${String(i.repository)}`)
        .sort(),
    ).toEqual([
      "defaultInitContainers.autoDiscovery.image=mirror/kubectl",
      "defaultInitContainers.volumePermissions.image=mirror/os-shell",
      "image=mirror/kafka",
      "metrics.jmx.image=mirror/jmx-exporter",
    ]);
  });

  test("connection: the client listener on 9092 with SASL", () => {
    const kafka = new Kafka(new TerraformStack(Testing.app(), "s"), "Kafka", props);
    expect(kafka.connection).toEqual(kafkaConnection(props));
    expect(kafka.connection).toMatchObject({
      bootstrapServers: "events-kafka.test.svc.cluster.local:9092",
      securityProtocol: "SASL_PLAINTEXT",
    });
  });

  test.each([2, 4, 7])("%i controllers", (controllers) => {
    expect(() => synth({ controllers })).toThrow(/controllers \(\d\) must be 1, 3 or 5/);
  });
});
