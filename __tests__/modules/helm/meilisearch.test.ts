import { TerraformStack, Testing } from "cdktf";
import {
  Meilisearch,
  meilisearchConnection,
  type MeilisearchProps,
} from "../../../modules/helm/meilisearch";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { synthScope } from "./helpers";

const props: MeilisearchProps = {
  name: "search",
  namespace: "test",
  storageClass: "gp3",
  labels: { environment: "test" },
};
const synth = (p: Partial<MeilisearchProps> = {}) =>
  synthScope((scope) => new Meilisearch(scope, "Meilisearch", { ...props, ...p }));

describe("Meilisearch (meilisearch/meilisearch)", () => {
  test("pinned 0.34.0 from its own repository; every values key exists in the fixture", () => {
    const r = releaseNamed(synth(), "search");
    expect(r).toMatchObject({
      chart: "meilisearch",
      version: "0.34.0",
      repository: "https://meilisearch.github.io/meilisearch-kubernetes",
    });
    expect(unknownValuePaths("meilisearch", r.version!, r.values)).toEqual([]);
  });

  test("production mode with the master key from the generated Secret", () => {
    const tf = synth();
    const { values } = releaseNamed(tf, "search");
    expect(values.environment).toMatchObject({ MEILI_ENV: "production" });
    expect(values.auth).toEqual({ existingMasterKeySecret: "search-meilisearch-credentials" });
    const secret = Object.values(tf.resource?.kubernetes_secret_v1 ?? {})[0] as {
      data: Record<string, string>;
    };
    expect(Object.keys(secret.data)).toEqual(["MEILI_MASTER_KEY"]);
    expect(secret.data.MEILI_MASTER_KEY).toMatch(/^\$\{random_password\.[^}]+\.result\}$/);
  });

  test("image: the appVersion of the pin with its registry, or the one given", () => {
    expect(releaseNamed(synth(), "search").values.image).toEqual({
      repository: "docker.io/getmeili/meilisearch",
      tag: "v1.48.3",
    });
    const image = { repository: "registry.example.com/mirror/meilisearch", tag: "v1.49.0" };
    expect(releaseNamed(synth({ image }), "search").values.image).toEqual(image);
  });

  test("a volume with the storage class, kept on uninstall", () => {
    const { values } = releaseNamed(synth({ storage: "20Gi" }), "search");
    expect(values.persistence).toEqual({
      enabled: true,
      size: "20Gi",
      storageClass: "gp3",
      annotations: { "helm.sh/resource-policy": "keep" },
    });
  });

  test("non-root with a read-only root filesystem (Pod Security restricted)", () => {
    const { values } = releaseNamed(synth(), "search");
    expect(values.podSecurityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(values.securityContext).toEqual({
      capabilities: { drop: ["ALL"] },
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
  });

  test("connection: the service URL and the master key's Secret", () => {
    const m = new Meilisearch(new TerraformStack(Testing.app(), "s"), "Meilisearch", props);
    expect(m.connection).toEqual({
      url: "http://search-meilisearch.test.svc.cluster.local:7700",
      secretName: "search-meilisearch-credentials",
      masterKeyKey: "MEILI_MASTER_KEY",
    });
    expect(meilisearchConnection(props)).toEqual(m.connection);
  });

  test("an image without a registry", () => {
    expect(() => synth({ image: { repository: "meilisearch", tag: "v1" } })).toThrow(
      /image .* needs a repository with its registry/,
    );
  });

  test("a storage size that is not a quantity", () => {
    expect(() => synth({ storage: "10 GB" })).toThrow(/storage/);
  });
});
