import { TerraformStack, Testing } from "cdktf";
import {
  Clickhouse,
  clickhouseConnection,
  type ClickhouseProps,
} from "../../../modules/helm/clickhouse";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { BITNAMI, imagesIn, synthScope } from "./helpers";

const props: ClickhouseProps = { ...BITNAMI, name: "analytics" };
const synth = (p: Partial<ClickhouseProps> = {}) =>
  synthScope((scope) => new Clickhouse(scope, "Clickhouse", { ...props, ...p }));

describe("ClickHouse (bitnami/clickhouse)", () => {
  test("pinned 9.4.7; every values key exists in it (single, replicated, metrics)", () => {
    for (const tf of [synth(), synth({ replicas: 2, shards: 2 }), synth({ metrics: true })]) {
      const r = releaseNamed(tf, "analytics");
      expect(r).toMatchObject({ chart: "clickhouse", version: "9.4.7" });
      expect(unknownValuePaths("clickhouse", r.version!, r.values)).toEqual([]);
    }
  });

  test("one shard, one server and no Keeper by default; password from the generated Secret", () => {
    const tf = synth();
    const { values } = releaseNamed(tf, "analytics");
    expect(values).toMatchObject({ shards: 1, replicaCount: 1, keeper: { enabled: false } });
    expect(values.auth).toEqual({
      username: "default",
      existingSecret: "analytics-clickhouse-credentials",
      existingSecretKey: "admin-password",
    });
    const secret = Object.values(tf.resource?.kubernetes_secret_v1 ?? {})[0] as {
      data: Record<string, string>;
    };
    expect(Object.keys(secret.data)).toEqual(["admin-password"]);
    expect(secret.data["admin-password"]).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
  });

  test("replicas per shard bring a three-node Keeper", () => {
    const { values } = releaseNamed(synth({ shards: 2, replicas: 2 }), "analytics");
    expect(values).toMatchObject({
      shards: 2,
      replicaCount: 2,
      keeper: { enabled: true, replicaCount: 3 },
    });
  });

  test("every image (server, keeper, os-shell) from the configured location", () => {
    const { values } = releaseNamed(synth(), "analytics");
    expect(
      imagesIn(values)
        .map(([p, i]) => `${p}=${String(i.registry)}/${String(i.repository)}`)
        .sort(),
    ).toEqual([
      "defaultInitContainers.volumePermissions.image=registry.example.com/mirror/os-shell",
      "image=registry.example.com/mirror/clickhouse",
      "keeper.image=registry.example.com/mirror/clickhouse-keeper",
    ]);
  });

  test("volumes of servers and Keeper with the storage class, retained; explicit resources", () => {
    const { values } = releaseNamed(
      synth({ storage: "50Gi", replicas: 2, resources: { requests: { cpu: "1" } } }),
      "analytics",
    );
    expect(values).toMatchObject({
      persistence: { enabled: true, size: "50Gi", storageClass: "standard-rwo" },
      persistentVolumeClaimRetentionPolicy: { enabled: true, whenDeleted: "Retain" },
      resourcesPreset: "none",
      resources: { requests: { cpu: "1" } },
      keeper: {
        persistence: { enabled: true, size: "2Gi", storageClass: "standard-rwo" },
        persistentVolumeClaimRetentionPolicy: { enabled: true, whenDeleted: "Retain" },
        resourcesPreset: "none",
      },
    });
  });

  test("connection: the HTTP interface of the release's service", () => {
    const ch = new Clickhouse(new TerraformStack(Testing.app(), "s"), "Clickhouse", props);
    expect(ch.connection).toEqual({
      host: "analytics-clickhouse.test.svc.cluster.local",
      port: 8123,
      username: "default",
      secretName: "analytics-clickhouse-credentials",
      passwordKey: "admin-password",
    });
    expect(clickhouseConnection(props)).toEqual(ch.connection);
  });

  test("an even Keeper", () => {
    expect(() => synth({ replicas: 2, keeperReplicas: 2 })).toThrow(
      /keeperReplicas \(2\) must be 0, 1, 3 or 5/,
    );
  });

  test("replicas without Keeper", () => {
    expect(() => synth({ replicas: 2, keeperReplicas: 0 })).toThrow(
      /keeperReplicas is 0 with replicas 2: replicated tables need ClickHouse Keeper/,
    );
  });

  test("no shard", () => {
    expect(() => synth({ shards: 0 })).toThrow(/shards \(0\) must be an integer >= 1/);
  });
});
