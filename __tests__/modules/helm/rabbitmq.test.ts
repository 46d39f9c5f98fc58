import { TerraformStack, Testing } from "cdktf";
import { Rabbitmq, rabbitmqConnection, type RabbitmqProps } from "../../../modules/helm/rabbitmq";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { BITNAMI, imagesIn, synthScope } from "./helpers";

const props: RabbitmqProps = { ...BITNAMI, name: "mq" };
const synth = (p: Partial<RabbitmqProps> = {}) =>
  synthScope((scope) => new Rabbitmq(scope, "Mq", { ...props, ...p }));

describe("Rabbitmq (bitnami/rabbitmq)", () => {
  test("pinned 16.0.14; every values key exists in it", () => {
    for (const tf of [synth(), synth({ replicas: 3, metrics: true })]) {
      const r = releaseNamed(tf, "mq");
      expect(r).toMatchObject({ chart: "rabbitmq", version: "16.0.14" });
      expect(unknownValuePaths("rabbitmq", r.version!, r.values)).toEqual([]);
    }
  });

  test("password and Erlang cookie from one generated Secret, with this chart's key names", () => {
    const tf = synth();
    const { values } = releaseNamed(tf, "mq");
    expect(values.auth).toEqual({
      username: "app",
      existingPasswordSecret: "mq-rabbitmq-credentials",
      existingSecretPasswordKey: "rabbitmq-password",
      existingErlangSecret: "mq-rabbitmq-credentials",
      existingSecretErlangKey: "rabbitmq-erlang-cookie",
    });
    const secret = Object.values(tf.resource!.kubernetes_secret_v1)[0];
    expect(Object.keys(secret.data as object).sort()).toEqual([
      "rabbitmq-erlang-cookie",
      "rabbitmq-password",
    ]);
  });

  test("a single node by default; a 3-node cluster pauses its minority and keeps a majority PDB", () => {
    expect(releaseNamed(synth(), "mq").values).toMatchObject({
      replicaCount: 1,
      clustering: { enabled: false },
      pdb: { create: false },
    });
    expect(releaseNamed(synth({ replicas: 3 }), "mq").values).toMatchObject({
      replicaCount: 3,
      clustering: { enabled: true, partitionHandling: "pause_minority" },
      pdb: { create: true, minAvailable: 2 },
    });
  });

  test("images from the configured location; persistence retained", () => {
    const { values } = releaseNamed(synth(), "mq");
    expect(
      imagesIn(values)
        .map(([p, i]) => `${p}=${String(i.repository)}`)
        .sort(),
    ).toEqual(["image=mirror/rabbitmq", "volumePermissions.image=mirror/os-shell"]);
    expect(values.persistence).toEqual({
      enabled: true,
      size: "8Gi",
      storageClass: "standard-rwo",
    });
    expect(values.persistentVolumeClaimRetentionPolicy).toMatchObject({ whenDeleted: "Retain" });
  });

  test("connection: AMQP on 5672", () => {
    const mq = new Rabbitmq(new TerraformStack(Testing.app(), "s"), "Mq", props);
    expect(mq.connection).toEqual(rabbitmqConnection(props));
    expect(mq.connection).toMatchObject({ host: "mq-rabbitmq.test.svc.cluster.local", port: 5672 });
  });

  test.each([2, 4])("a cluster of %i nodes", (replicas) => {
    expect(() => synth({ replicas })).toThrow(
      new RegExp(
        `replicas \\(${replicas}\\): a RabbitMQ cluster of ${replicas} .*use 1 or an odd number >= 3`,
      ),
    );
  });
});
