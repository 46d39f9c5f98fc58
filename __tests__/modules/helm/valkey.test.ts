import { TerraformStack, Testing } from "cdktf";
import {
  Valkey,
  VALKEY_IMAGE,
  valkeyConnection,
  valkeyFullname,
  type ValkeyProps,
} from "../../../modules/helm/valkey";
import { loadFacts, factsFor } from "../../support/chart-facts";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { imagesIn, synthScope } from "./helpers";

const props: ValkeyProps = {
  name: "cache",
  namespace: "test",
  storageClass: "standard-rwo",
  labels: { environment: "test", team: "core" },
};
const synth = (p: Partial<ValkeyProps> = {}) =>
  synthScope((scope) => new Valkey(scope, "Valkey", { ...props, ...p }));

describe("Valkey (CloudPirates valkey chart)", () => {
  test("pinned 0.25.5 from CloudPirates' OCI repository; every values key exists in it", () => {
    for (const tf of [synth(), synth({ sentinel: false }), synth({ metrics: true })]) {
      const r = releaseNamed(tf, "cache");
      expect(r).toMatchObject({
        chart: "valkey",
        version: "0.25.5",
        repository: "oci://registry-1.docker.io/cloudpirates",
      });
      expect(unknownValuePaths("valkey", r.version!, r.values)).toEqual([]);
    }
  });

  test("Sentinel by default: replication with 3 nodes, quorum 2, master set mymaster, a PDB", () => {
    const { values } = releaseNamed(synth(), "cache");
    expect(values).toMatchObject({
      architecture: "replication",
      replicaCount: 3,
      sentinel: { enabled: true, masterName: "mymaster", quorum: 2 },
      pdb: { enabled: true, minAvailable: 2 },
    });
  });

  test("sentinel: false is one standalone node without sentinels", () => {
    const { values } = releaseNamed(synth({ sentinel: false }), "cache");
    expect(values).toMatchObject({
      architecture: "standalone",
      replicaCount: 1,
      sentinel: { enabled: false },
      pdb: { enabled: false },
    });
  });

  test("Sentinel with fewer than 3 nodes is refused", () => {
    expect(() => synth({ replicas: 2 })).toThrow(
      /replicas \(2\) must be an integer >= 3: Sentinel/,
    );
  });

  test("password from the generated Secret, never a literal", () => {
    const tf = synth();
    const { values } = releaseNamed(tf, "cache");
    expect(values.auth).toEqual({
      enabled: true,
      existingSecret: "cache-valkey-credentials",
      existingSecretPasswordKey: "password",
    });
    expect(JSON.stringify(values)).not.toMatch(/"password":/);
    const secrets = Object.values(tf.resource?.kubernetes_secret_v1 ?? {}) as Array<{
      metadata: Array<{ name: string }> | { name: string };
    }>;
    expect(JSON.stringify(secrets)).toContain("cache-valkey-credentials");
  });

  test("volumes per node, kept when the release is deleted or scaled down", () => {
    const { values } = releaseNamed(synth({ storage: "4Gi" }), "cache");
    expect(values).toMatchObject({
      persistence: { enabled: true, size: "4Gi", storageClass: "standard-rwo" },
      persistentVolumeClaimRetentionPolicy: {
        enabled: true,
        whenDeleted: "Retain",
        whenScaled: "Retain",
      },
    });
  });

  test("resources per node; sentinels, init container and exporter bounded too", () => {
    const resources = { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } };
    const { values } = releaseNamed(synth({ resources, metrics: true }), "cache");
    expect(values.resources).toEqual(resources);
    for (const p of ["sentinel", "metrics", "initContainer"]) {
      const v = values[p] as { resources: { limits: { memory: string } } };
      expect([p, v.resources.limits.memory]).toEqual([p, "64Mi"]);
    }
  });

  test("Pod Security restricted: seccomp RuntimeDefault on the pod and every container", () => {
    const { values } = releaseNamed(synth(), "cache");
    expect(values.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(values.containerSecurityContext).toEqual({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 1000,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  test("Valkey 9.1.1 (the CVE floor) for server and sentinels; the exporter is the chart's", () => {
    const { values } = releaseNamed(synth({ metrics: true }), "cache");
    expect(imagesIn(values).map(([p, i]) => `${p}=${i.repository}:${i.tag}`)).toEqual([
      "image=valkey/valkey:9.1.1",
      "sentinel.image=valkey/valkey:9.1.1",
    ]);
    // The override is recorded, with its reason, beside the chart's default.
    const facts = factsFor(loadFacts(), "valkey", "0.25.5")!;
    expect(facts.tagOverrides?.map((o) => `${o.valuesPath}=${o.tag}`)).toEqual([
      `image=${VALKEY_IMAGE.tag}`,
      `sentinel.image=${VALKEY_IMAGE.tag}`,
    ]);
    expect(facts.defaultImages?.find((i) => i.valuesPath === "image")?.tag).toMatch(/^9\.1\.0/);
  });

  test("connection: sentinels and nodes on the headless Service; standalone on <fullname>", () => {
    const v = new Valkey(new TerraformStack(Testing.app(), "s"), "Valkey", props);
    expect(v.connection).toEqual({
      host: "cache-valkey-headless.test.svc.cluster.local",
      port: 6379,
      sentinel: { port: 26379, masterSet: "mymaster" },
      secretName: "cache-valkey-credentials",
      passwordKey: "password",
    });
    expect(valkeyConnection(props)).toEqual(v.connection);
    expect(valkeyConnection({ ...props, sentinel: false })).toEqual({
      host: "cache-valkey.test.svc.cluster.local",
      port: 6379,
      secretName: "cache-valkey-credentials",
      passwordKey: "password",
    });
  });

  test("fullname as the chart's common helper: the release when it contains valkey", () => {
    expect(valkeyFullname("cache")).toBe("cache-valkey");
    expect(valkeyFullname("valkey")).toBe("valkey");
    expect(valkeyFullname("my-valkey-cache")).toBe("my-valkey-cache");
  });
});
