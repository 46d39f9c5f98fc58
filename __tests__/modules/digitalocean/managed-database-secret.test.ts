import { DataDigitaloceanDatabaseCa } from "@cdktf/provider-digitalocean/lib/data-digitalocean-database-ca";
import { DataDigitaloceanDatabaseCluster } from "@cdktf/provider-digitalocean/lib/data-digitalocean-database-cluster";
import { DataDigitaloceanDatabaseUser } from "@cdktf/provider-digitalocean/lib/data-digitalocean-database-user";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Testing } from "cdktf";
import { findLiteralSecrets } from "../../../modules/common/secrets";
import {
  ManagedDatabaseSecret,
  type ManagedDatabaseSecretProps,
} from "../../../modules/digitalocean/managed-database-secret";

const props: ManagedDatabaseSecretProps = {
  clusterName: "prod-postgres",
  engine: "pg",
  user: "orders",
  database: "orders",
  secretName: "orders-postgres",
  namespace: "staging",
};
const synth = (p: Partial<ManagedDatabaseSecretProps> = {}) =>
  Testing.synthScope((scope) => void new ManagedDatabaseSecret(scope, "Pg", { ...props, ...p }));
type Tf = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
};
const secretData = (json: string) =>
  (
    Object.values((JSON.parse(json) as Tf).resource.kubernetes_secret_v1)[0] as {
      data: Record<string, string>;
    }
  ).data;

describe("ManagedDatabaseSecret", () => {
  test("reads the cluster, the user and the CA by name", () => {
    const out = synth();
    expect(out).toHaveDataSourceWithProperties(DataDigitaloceanDatabaseCluster, {
      name: "prod-postgres",
    });
    expect(out).toHaveDataSourceWithProperties(DataDigitaloceanDatabaseUser, {
      name: "orders",
      cluster_id: expect.stringMatching(/^\$\{data\.digitalocean_database_cluster\.\w+\.id\}$/),
    });
    expect(out).toHaveDataSourceWithProperties(DataDigitaloceanDatabaseCa, {
      cluster_id: expect.stringMatching(/digitalocean_database_cluster/),
    });
  });

  test("an Opaque Secret in the namespace with the user's private connection details", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(SecretV1, {
      metadata: {
        name: "orders-postgres",
        namespace: "staging",
        labels: { "app.kubernetes.io/managed-by": "strata" },
      },
      type: "Opaque",
    });
    const data = secretData(out);
    expect(data).toEqual({
      host: expect.stringMatching(/^\$\{data\.digitalocean_database_cluster\.\w+\.private_host\}$/),
      port: expect.stringMatching(/digitalocean_database_cluster\.\w+\.port/),
      username: expect.stringMatching(/^\$\{data\.digitalocean_database_user\.\w+\.name\}$/),
      password: expect.stringMatching(/^\$\{data\.digitalocean_database_user\.\w+\.password\}$/),
      database: "orders",
      "ca.crt": expect.stringMatching(/digitalocean_database_ca\.\w+\.certificate/),
      uri: expect.stringMatching(
        /^\$\{join\("", \["postgresql:\/\/", .*"\?sslmode=require"\]\)\}$/,
      ),
    });
  });

  test("the password is only ever a Terraform reference, never a literal", () => {
    expect(findLiteralSecrets(JSON.parse(synth()))).toEqual([]);
  });

  test("without a user: the cluster's admin credentials and default database", () => {
    const out = synth({ user: undefined, database: undefined });
    expect(out).not.toHaveDataSource(DataDigitaloceanDatabaseUser);
    expect(secretData(out)).toMatchObject({
      username: expect.stringMatching(/digitalocean_database_cluster\.\w+\.user\}$/),
      password: expect.stringMatching(/digitalocean_database_cluster\.\w+\.password\}$/),
      database: expect.stringMatching(/digitalocean_database_cluster\.\w+\.database\}$/),
    });
  });

  test("Valkey gets a rediss:// URI and no database; Kafka no URI", () => {
    const valkey = secretData(synth({ engine: "valkey", user: undefined, database: undefined }));
    expect(valkey.database).toBeUndefined();
    expect(valkey.uri).toMatch(/"rediss:\/\/"/);
    const kafka = secretData(synth({ engine: "kafka", database: undefined }));
    expect(kafka.uri).toBeUndefined();
    expect(kafka["ca.crt"]).toBeDefined();
  });

  test("extra labels", () => {
    const secret = Object.values(
      (JSON.parse(synth({ labels: { app: "orders" } })) as Tf).resource.kubernetes_secret_v1,
    )[0] as { metadata: { labels: Record<string, string> } };
    expect(secret.metadata.labels).toEqual({
      app: "orders",
      "app.kubernetes.io/managed-by": "strata",
    });
  });

  test("bad names and a database outside PostgreSQL", () => {
    expect(() => synth({ secretName: "Orders_PG" })).toThrow(
      /Secret name "Orders_PG" may contain only/,
    );
    expect(() => synth({ namespace: "Staging" })).toThrow(/namespace "Staging" may contain only/);
    expect(() => synth({ engine: "valkey" })).toThrow(/only PostgreSQL has databases/);
  });
});
