import { parse } from "yaml";
import fs from "node:fs";
import type { EnvironmentInput } from "../../../environments/schema";
import { synthesizeRealApp, type SynthesizedApp } from "../../support/app";
import { releasesOf } from "../../support/chart-values";
import type { TfJson } from "../../support/synth";
import { BITNAMI_IMAGES, envInput, NATIVE_TARGETS, withImageWaivers } from "../../support/env";

/** A dev environment with clusters on all three clouds and everything in it. */
function full(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return envInput({
    targets: {
      gcp: NATIVE_TARGETS.gcp,
      aws: { ...NATIVE_TARGETS.aws, accountId: "123456789012" },
      digitalocean: {
        region: "fra1",
        network: { ipRange: "10.200.0.0/20" },
        cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
      },
    },
    workloads: {
      images: BITNAMI_IMAGES,
      databases: { postgresql: {}, redis: {} },
      buses: { rabbitmq: {}, kafka: { clouds: ["aws"] } },
      apps: {
        core: {
          image: { repository: "ghcr.io/x/core", tag: "1.0.0" },
          eventStore: { gcp: "bigtable", aws: "dynamodb", digitalocean: "postgres" },
          bus: { gcp: "pubsub", aws: "sns-sqs", digitalocean: "rabbitmq" },
        },
        web: {
          image: { repository: "ghcr.io/x/web", tag: "1.0.0" },
          database: true,
          cache: true,
          bus: "kafka",
        },
        cron: {
          image: { repository: "ghcr.io/x/cron", tag: "1.0.0" },
          databaseUrlEnv: "DATABASE_URL",
        },
      },
    },
    ...overrides,
  });
}

/**
 * {@link full} with workloads that leave the cloud-native store and bus unused: their sections say
 * why they exist and the identities go (an unused section or identity is refused otherwise).
 */
function withoutNativeUsers(workloads: EnvironmentInput["workloads"]): EnvironmentInput {
  const input = full({ workloads });
  const { gcp, aws } = input.targets;
  const reason = "kept for a consumer outside this test";
  return {
    ...input,
    targets: {
      ...input.targets,
      gcp: gcp && {
        ...gcp,
        eventStore: gcp.eventStore && { ...gcp.eventStore, reason },
        pubsub: gcp.pubsub && { ...gcp.pubsub, reason },
        workloadIdentities: [],
      },
      aws: aws && {
        ...aws,
        eventStore: aws.eventStore && { ...aws.eventStore, reason },
        messaging: aws.messaging && { ...aws.messaging, reason },
        workloadIdentities: [],
      },
    },
  };
}

const synthesized = new Map<string, SynthesizedApp>();
/** Synthesizes the environments (once per distinct input: several groups read the same app). */
function synth(
  envs: EnvironmentInput[],
  before?: Parameters<typeof synthesizeRealApp>[2],
  select?: string,
) {
  const key = JSON.stringify({ envs, select, before: before?.toString() });
  let app = synthesized.get(key);
  if (!app) {
    app = synthesizeRealApp(undefined, { builtins: withImageWaivers(envs), envs: select }, before);
    synthesized.set(key, app);
  }
  return app;
}
afterAll(() => synthesized.forEach((a) => fs.rmSync(a.outdir, { recursive: true, force: true })));

const stack = (app: SynthesizedApp, name: string): TfJson => {
  const tf = app.stacks.get(name);
  if (!tf) throw new Error(`no stack ${name}; have ${[...app.stacks.keys()].join(", ")}`);
  return tf;
};

describe("Helm stacks: names and order", () => {
  let app: SynthesizedApp;
  beforeAll(() => {
    app = synth([full()]);
  });

  test("platform → databases → buses → apps on each cluster, platform after the cluster", () => {
    const deps = (name: string) => app.manifest.stacks[name].dependencies;
    expect(deps("test-gcp-platform")).toEqual(["test-gcp-cluster"]);
    expect(deps("test-gcp-databases")).toEqual(["test-gcp-platform"]);
    expect(deps("test-gcp-buses")).toEqual(["test-gcp-databases"]);
    expect(deps("test-aws-buses")).toEqual(["test-aws-databases"]);
    expect(deps("test-do-apps")).toEqual(["test-do-buses"]);
  });

  test("apps also wait for the cloud-native store and bus layers they use", () => {
    expect(app.manifest.stacks["test-gcp-apps"].dependencies.sort()).toEqual([
      "test-gcp-buses",
      "test-gcp-data",
      "test-gcp-messaging",
    ]);
    expect(app.manifest.stacks["test-aws-apps"].dependencies.sort()).toEqual([
      "test-aws-buses",
      "test-aws-data",
      "test-aws-messaging",
    ]);
  });

  test("apps are placed where what they use is available", () => {
    const apps = (name: string) =>
      releasesOf(stack(app, name))
        .map((r) => r.name)
        .sort();
    expect(apps("test-gcp-apps")).toEqual(["core", "cron"]);
    expect(apps("test-aws-apps")).toEqual(["core", "cron", "web"]);
    expect(apps("test-do-apps")).toEqual(["core", "cron"]);
  });
});

describe("Helm stacks: a layer with nothing in it is not synthesized", () => {
  test("no databases, buses or apps: platform only", () => {
    const app = synth([withoutNativeUsers({})]);
    const helmStacks = [...app.stacks.keys()].filter((s) =>
      /-(platform|databases|buses|apps)$/.test(s),
    );
    expect(helmStacks.sort()).toEqual([
      "test-aws-platform",
      "test-do-platform",
      "test-gcp-platform",
    ]);
  });

  test("apps without buses depend on databases", () => {
    const app = synth([
      withoutNativeUsers({
        images: BITNAMI_IMAGES,
        databases: { postgresql: {} },
        apps: {
          cron: {
            image: { repository: "ghcr.io/x/cron", tag: "1" },
            databaseUrlEnv: "DATABASE_URL",
          },
        },
      }),
    ]);
    expect(app.stacks.has("test-gcp-buses")).toBe(false);
    expect(app.manifest.stacks["test-gcp-apps"].dependencies).toEqual(["test-gcp-databases"]);
  });

  test("an environment without clusters has no Helm stacks", () => {
    const app = synth([
      full({
        targets: { gcp: { project: "strata-test", region: "europe-west1" } },
        workloads: {},
      }),
    ]);
    expect([...app.stacks.keys()]).toEqual(["test-gcp-network"]);
  });
});

describe("Helm stacks: provider wiring per cloud", () => {
  let exec: SynthesizedApp;
  let token: SynthesizedApp;
  beforeAll(() => {
    exec = synth([full()]);
    token = synth([full({ workloads: { ...full().workloads, clusterAuth: "token" } })]);
  });
  const helmKube = (tf: TfJson) =>
    (tf.provider!.helm[0].kubernetes ?? {}) as Record<string, unknown>;
  const kube = (tf: TfJson) => tf.provider!.kubernetes[0];

  test("pinned helm 3.1.1 (kubernetes as an attribute), kubernetes 2.38.0, random 3.7.2", () => {
    const tf = stack(exec, "test-gcp-databases");
    expect(tf.terraform!.required_providers).toMatchObject({
      helm: { source: "hashicorp/helm", version: "3.1.1" },
      kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0" },
      random: { source: "hashicorp/random", version: "3.7.2" },
    });
    expect(Array.isArray(tf.provider!.helm[0].kubernetes)).toBe(false);
  });

  test("no kubeconfig paths anywhere", () => {
    for (const [name, text] of exec.files) {
      if (/-(platform|databases|buses|apps)$/.test(name)) expect(text).not.toMatch(/config_path/);
    }
  });

  test("GKE: looked up by name and location; gke-gcloud-auth-plugin by default", () => {
    const tf = stack(exec, "test-gcp-platform");
    expect(tf.data!.google_container_cluster).toEqual({
      Cluster: expect.objectContaining({
        name: "test-gke",
        location: "europe-west1-a",
        project: "strata-test",
      }),
    });
    const expected = {
      host: "https://${data.google_container_cluster.Cluster.endpoint}",
      cluster_ca_certificate:
        "${base64decode(data.google_container_cluster.Cluster.master_auth[0].cluster_ca_certificate)}",
    };
    const plugin = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "gke-gcloud-auth-plugin",
    };
    expect(helmKube(tf)).toEqual({ ...expected, exec: expect.objectContaining(plugin) });
    expect(kube(tf)).toMatchObject({ ...expected, exec: [expect.objectContaining(plugin)] });
    expect(kube(tf)).not.toHaveProperty("token");
  });

  test("GKE token option: the caller's access token from google_client_config", () => {
    const tf = stack(token, "test-gcp-platform");
    expect(tf.data!.google_client_config).toBeDefined();
    expect(helmKube(tf)).toMatchObject({
      token: "${data.google_client_config.ClientConfig.access_token}",
    });
    expect(helmKube(tf)).not.toHaveProperty("exec");
  });

  test("EKS: aws eks get-token by default, with the cluster name and region", () => {
    const tf = stack(exec, "test-aws-platform");
    expect(tf.data!.aws_eks_cluster).toEqual({
      Cluster: expect.objectContaining({ name: "test-eks" }),
    });
    expect(tf.provider!.aws[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["123456789012"],
    });
    expect(helmKube(tf)).toEqual({
      host: "${data.aws_eks_cluster.Cluster.endpoint}",
      cluster_ca_certificate:
        "${base64decode(data.aws_eks_cluster.Cluster.certificate_authority[0].data)}",
      exec: {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          "test-eks",
          "--region",
          "eu-west-1",
          "--output",
          "json",
        ],
      },
    });
  });

  test("EKS token option: aws_eks_cluster_auth (15-minute token)", () => {
    const tf = stack(token, "test-aws-platform");
    expect(tf.data!.aws_eks_cluster_auth).toEqual({
      ClusterAuth: expect.objectContaining({ name: "test-eks" }),
    });
    expect(kube(tf)).toMatchObject({ token: "${data.aws_eks_cluster_auth.ClusterAuth.token}" });
  });

  test("DOKS: doctl exec-credential with the cluster id by default", () => {
    const tf = stack(exec, "test-do-platform");
    expect(tf.data!.digitalocean_kubernetes_cluster).toEqual({
      Cluster: expect.objectContaining({ name: "test-doks" }),
    });
    expect(helmKube(tf)).toMatchObject({
      host: "${data.digitalocean_kubernetes_cluster.Cluster.endpoint}",
      exec: {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "doctl",
        args: [
          "kubernetes",
          "cluster",
          "kubeconfig",
          "exec-credential",
          "--version=v1beta1",
          "${data.digitalocean_kubernetes_cluster.Cluster.id}",
        ],
      },
    });
  });

  test("DOKS token option: the kube_config token", () => {
    expect(helmKube(stack(token, "test-do-platform"))).toMatchObject({
      token: "${data.digitalocean_kubernetes_cluster.Cluster.kube_config[0].token}",
    });
  });
});

describe("Helm stacks: platform", () => {
  let app: SynthesizedApp;
  beforeAll(() => {
    app = synth([full()]);
  });

  test("every namespace is restricted: the workloads', cert-manager's, Envoy Gateway's and the RabbitMQ operator's", () => {
    const ns = Object.values(stack(app, "test-gcp-platform").resource!.kubernetes_namespace_v1).map(
      (n) => n.metadata as { name: string; labels: Record<string, string> },
    );
    const levels = Object.fromEntries(
      ns.map((n) => [n.name, n.labels["pod-security.kubernetes.io/enforce"]]),
    );
    expect(levels).toEqual({
      test: "restricted",
      "cert-manager": "restricted",
      "cnpg-system": "restricted",
      "envoy-gateway-system": "restricted",
      "rabbitmq-system": "restricted",
    });
    expect(ns.find((n) => n.name === "test")!.labels).toMatchObject({
      environment: "test",
      team: "core",
      "app.kubernetes.io/part-of": "core",
      "app.kubernetes.io/managed-by": "strata",
    });
  });

  test("Envoy Gateway waits for its namespace, cert-manager also for the Gateway API CRDs, the GatewayClass for both", () => {
    const releases = Object.fromEntries(
      releasesOf(stack(app, "test-gcp-platform")).map((r) => [
        r.name,
        r.raw.depends_on as string[],
      ]),
    );
    const id = (name: string) =>
      `helm_release.${releasesOf(stack(app, "test-gcp-platform")).find((r) => r.name === name)!.id}`;
    expect(releases["envoy-gateway"]).toEqual([
      expect.stringMatching(/^kubernetes_namespace_v1\.EnvoyGateway/),
    ]);
    expect(releases["cert-manager"]).toEqual([
      id("envoy-gateway"),
      expect.stringMatching(/^kubernetes_namespace_v1\.CertManager/),
    ]);
    // The cluster's GatewayClass in a release of its own; no Gateway without hosts.
    expect(releases["gateway-class"]).toEqual([id("envoy-gateway")]);
    expect(releases.edge).toBeUndefined();
  });

  test("EKS gets the gp3 StorageClass; GKE and DOKS use their built-in classes", () => {
    expect(stack(app, "test-aws-platform").resource!.kubernetes_storage_class_v1).toBeDefined();
    expect(stack(app, "test-gcp-platform").resource!.kubernetes_storage_class_v1).toBeUndefined();
    // The PostgreSQL cluster's volumes (charts/postgres-cluster: cluster.storage.storageClass).
    const storageClass = (name: string) =>
      (
        releasesOf(stack(app, name)).find((r) => r.name === "db")!.values.cluster as {
          storage: { storageClass: string };
        }
      ).storage.storageClass;
    expect(storageClass("test-gcp-databases")).toBe("standard-rwo");
    expect(storageClass("test-aws-databases")).toBe("gp3");
    expect(storageClass("test-do-databases")).toBe("do-block-storage");
  });
});

describe("Helm stacks: a shared cluster", () => {
  let app: SynthesizedApp;
  let guestOnly: SynthesizedApp;
  beforeAll(() => {
    const host = full({ name: "host", tier: "dev" });
    const guest: EnvironmentInput = {
      name: "guest",
      tier: "dev",
      owner: "platform",
      team: "core",
      targets: { gcp: { project: "strata-guest", region: "europe-west1" } },
      workloads: {
        sharedCluster: { environment: "host", cloud: "digitalocean" },
        images: BITNAMI_IMAGES,
        databases: { postgresql: {} },
        apps: { web: { image: { repository: "ghcr.io/x/web", tag: "1" }, database: true } },
      },
    };
    app = synth([guest, host]);
    guestOnly = synth([guest, host], undefined, "guest");
  });

  test("a host cluster stack outside the selection: no dangling dependency", () => {
    expect(guestOnly.manifest.stacks["guest-do-platform"].dependencies).toEqual([]);
  });

  test("the guest's stacks are named after it and look up the host's cluster", () => {
    const tf = stack(app, "guest-do-platform");
    expect(tf.data!.digitalocean_kubernetes_cluster).toEqual({
      Cluster: expect.objectContaining({ name: "host-doks" }),
    });
    expect(app.manifest.stacks["guest-do-platform"].dependencies.sort()).toEqual([
      "host-do-cluster",
      "host-do-platform",
    ]);
  });

  test("the guest gets its namespace only; cluster-wide components stay with the owner", () => {
    const tf = stack(app, "guest-do-platform");
    // Its apps declare no hosts: no Gateway of its own either.
    expect(tf.resource!.helm_release).toBeUndefined();
    expect(Object.keys(tf.resource!.kubernetes_namespace_v1)).toHaveLength(1);
    expect(
      releasesOf(stack(app, "host-do-platform"))
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "cert-manager",
      // The host's own PostgreSQL uses the cloudnativepg engine: it installs the operator.
      "cloudnative-pg",
      "envoy-gateway",
      "gateway-class",
      "plugin-barman-cloud",
      "rabbitmq-cluster-operator",
    ]);
  });

  test("the guest's database lives in its own namespace", () => {
    const [pg] = releasesOf(stack(app, "guest-do-databases"));
    expect(pg.raw.namespace).toBe("guest");
  });
});

describe("Helm stacks: PostgreSQL's move from Bitnami to CloudNativePG", () => {
  test("import keeps the Bitnami release at its construct id and the new cluster imports from it", () => {
    const input = full();
    const app = synth([
      {
        ...input,
        workloads: {
          ...input.workloads,
          databases: {
            ...input.workloads!.databases,
            postgresql: { releaseName: "pg", import: { from: "db" } },
          },
        },
      },
    ]);
    const bitnami = synth([
      {
        ...input,
        workloads: {
          ...input.workloads,
          databases: { ...input.workloads!.databases, postgresql: { engine: "bitnami" } },
        },
      },
    ]);
    const releases = stack(app, "test-do-databases").resource!.helm_release as Record<
      string,
      { name: string; values: string[]; depends_on?: string[] }
    >;
    const old = stack(bitnami, "test-do-databases").resource!.helm_release as typeof releases;
    const oldId = Object.keys(old).find((id) => old[id].name === "db")!;
    expect(oldId).toMatch(/^Postgresql_Chart_Release_/);
    // The same address and the same values: the plan leaves the Bitnami release alone.
    expect(releases[oldId]).toEqual(old[oldId]);
    const pgId = Object.keys(releases).find((id) => releases[id].name === "pg")!;
    expect(pgId).toMatch(/^PostgresCluster_Chart_Release_/);
    expect(releases[pgId].depends_on).toContain(`helm_release.${oldId}`);
    expect(parse(releases[pgId].values[0]).import).toEqual({
      from: "db",
      host: "db-postgresql.test.svc.cluster.local",
      secretName: "db-postgresql-credentials",
      passwordKey: "postgres-password",
    });
    // The apps already use the new cluster.
    expect(app.files.get("test-do-apps")).toMatch(/pg-rw\.test\.svc\.cluster\.local/);
  });
});

describe("Helm stacks: independent lifecycles", () => {
  test("upgrading a database chart changes the databases stack only", () => {
    // The Bitnami engine, whose chart version is a pin of its own.
    const full0 = full();
    const input = {
      ...full0,
      workloads: {
        ...full0.workloads,
        databases: {
          ...full0.workloads!.databases,
          postgresql: { ...full0.workloads!.databases!.postgresql, engine: "bitnami" as const },
        },
      },
    };
    const before = synth([input]);
    const after = synth([
      {
        ...input,
        workloads: {
          ...input.workloads,
          charts: { postgresql: "16.7.26" },
        },
        // 16.7.26 has no facts (no default images): IMG-2 reports its images as unresolved.
        waivers: [
          {
            rule: "IMG-2",
            resource: "*/Postgresql/Chart/Release/*",
            reason: "a version without chart facts, to compare stacks only",
            owner: "tests",
            expires: "2099-12-31",
          },
        ],
      },
    ]);
    const changed = [...before.files.keys()].filter(
      (s) => before.files.get(s) !== after.files.get(s),
    );
    expect(changed.sort()).toEqual([
      "test-aws-databases",
      "test-do-databases",
      "test-gcp-databases",
    ]);
  });

  test("the apps layer reads other layers' Secrets by name, never their resources", () => {
    const app = synth([full()]);
    for (const name of ["test-gcp-apps", "test-aws-apps", "test-do-apps"]) {
      const text = app.files.get(name)!;
      expect(text).not.toMatch(/random_password|terraform_remote_state/);
    }
  });
});

describe("Helm stacks: apps wiring", () => {
  let app: SynthesizedApp;
  beforeAll(() => {
    app = synth([full()]);
  });
  const configOf = (name: string, appName: string) =>
    Object.values(stack(app, name).resource!.kubernetes_config_map_v1).find(
      (c) => (c.metadata as { name: string }).name === `${appName}-config`,
    )!.data as Record<string, string>;
  const secretOf = (name: string, appName: string) =>
    Object.values(stack(app, name).resource!.kubernetes_secret_v1).find(
      (c) => (c.metadata as { name: string }).name === `${appName}-credentials`,
    )?.data as Record<string, string> | undefined;
  const values = (name: string, appName: string) =>
    releasesOf(stack(app, name)).find((r) => r.name === appName)!.values;

  test("GCP: Bigtable and Pub/Sub names in the ConfigMap, the GCP service account on the KSA", () => {
    expect(configOf("test-gcp-apps", "core")).toMatchObject({
      EVENT_STORE: "bigtable",
      BIGTABLE_PROJECT: "strata-test",
      BIGTABLE_INSTANCE: "test-events",
      BIGTABLE_TABLE: "events",
      BUS: "pubsub",
      PUBSUB_PROJECT: "strata-test",
      PUBSUB_TOPICS: "test-events",
      PUBSUB_SUBSCRIPTIONS: "test-core",
    });
    expect(secretOf("test-gcp-apps", "core")).toBeUndefined();
    expect(values("test-gcp-apps", "core").serviceAccount).toEqual({
      create: true,
      annotations: {
        "iam.gke.io/gcp-service-account": "test-core@strata-test.iam.gserviceaccount.com",
      },
    });
  });

  test("AWS: DynamoDB and SNS/SQS names, the IAM role ARN from the configured account", () => {
    expect(configOf("test-aws-apps", "core")).toMatchObject({
      EVENT_STORE: "dynamodb",
      DYNAMODB_TABLE: "test-events",
      AWS_REGION: "eu-west-1",
      BUS: "sns-sqs",
      SNS_TOPICS: "test-events",
      SQS_QUEUES: "test-core",
    });
    expect(values("test-aws-apps", "core").serviceAccount).toMatchObject({
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/test-core" },
    });
  });

  test("AWS without an account id: the role looked up by name", () => {
    const input = full();
    const other = synth([
      {
        ...input,
        targets: { ...input.targets, aws: { ...input.targets.aws!, accountId: undefined } },
      },
    ]);
    const tf = stack(other, "test-aws-apps");
    expect(Object.values(tf.data!.aws_iam_role)).toEqual([
      expect.objectContaining({ name: "test-core" }),
    ]);
    const [core] = releasesOf(tf).filter((r) => r.name === "core");
    expect(
      (core.values.serviceAccount as { annotations: Record<string, string> }).annotations,
    ).toEqual({
      "eks.amazonaws.com/role-arn": expect.stringMatching(/^\$\{data\.aws_iam_role\..*\.arn\}$/),
    });
  });

  test("in-cluster store and bus: hosts in the ConfigMap, passwords in the Secret", () => {
    expect(configOf("test-do-apps", "core")).toMatchObject({
      EVENT_STORE: "postgres",
      DB_HOST: "db-rw.test.svc.cluster.local",
      DB_PORT: "5432",
      DB_NAME: "app",
      DB_USER: "app",
      BUS: "rabbitmq",
      AMQP_HOST: "mq.test.svc",
      AMQP_PORT: "5672",
    });
    expect(configOf("test-do-apps", "core")).not.toHaveProperty("AMQP_USER");
    // The operator's Secret holds the generated user, its password and the whole URL.
    expect(secretOf("test-do-apps", "core")).toEqual({
      DB_PASSWORD: '${data.kubernetes_secret_v1.PostgresqlSecret.data["password"]}',
      AMQP_USER: '${data.kubernetes_secret_v1.RabbitmqSecret.data["username"]}',
      AMQP_PASSWORD: '${data.kubernetes_secret_v1.RabbitmqSecret.data["password"]}',
      AMQP_URL: '${data.kubernetes_secret_v1.RabbitmqSecret.data["connection_string"]}',
    });
    expect(values("test-do-apps", "core").serviceAccount).toEqual({
      create: true,
      annotations: {},
    });
  });

  test("Kafka and Redis (Sentinel off in dev)", () => {
    expect(configOf("test-aws-apps", "web")).toMatchObject({
      KAFKA_BOOTSTRAP_SERVERS: "events-kafka-bootstrap.test.svc.cluster.local:9092",
      KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
      REDIS_HOST: "cache-valkey.test.svc.cluster.local",
    });
    expect(Object.keys(secretOf("test-aws-apps", "web")!).sort()).toEqual([
      "DB_PASSWORD",
      "KAFKA_PASSWORD",
      "REDIS_PASSWORD",
    ]);
  });

  test("one connection string is assembled inside the Secret, never in the ConfigMap", () => {
    expect(secretOf("test-gcp-apps", "cron")!.DATABASE_URL).toBe(
      'postgresql://app:${data.kubernetes_secret_v1.PostgresqlSecret.data["password"]}@db-rw.test.svc.cluster.local:5432/app',
    );
    expect(configOf("test-gcp-apps", "cron")).not.toHaveProperty("DATABASE_URL");
  });

  test("Secrets are read from the databases and buses layers by name in the namespace", () => {
    expect(stack(app, "test-do-apps").data!.kubernetes_secret_v1).toEqual({
      PostgresqlSecret: expect.objectContaining({
        metadata: { name: "db-credentials", namespace: "test" },
      }),
      RabbitmqSecret: expect.objectContaining({
        metadata: { name: "mq-default-user", namespace: "test" },
      }),
    });
  });

  test("the service chart ships as an asset of the stack", () => {
    const [r] = releasesOf(stack(app, "test-do-apps"));
    expect(r.chart).toMatch(/^\.\/assets\/ServiceChart\/[0-9A-F]+$/);
    expect(
      fs.existsSync(`${app.outdir}/stacks/test-do-apps/${r.chart}/templates/deployment.yaml`),
    ).toBe(true);
  });
});

describe("Helm stacks: ClickHouse and Meilisearch", () => {
  let app: SynthesizedApp;
  beforeAll(() => {
    const env = full();
    const w = env.workloads!;
    app = synth([
      {
        ...env,
        workloads: {
          ...w,
          databases: { ...w.databases, clickhouse: { clouds: ["aws"] }, meilisearch: {} },
          apps: {
            ...w.apps,
            report: {
              image: { repository: "ghcr.io/x/report", tag: "1.0.0" },
              analytics: true,
              search: true,
            },
          },
        },
      },
    ]);
  });
  const resourcesOf = (name: string, type: string) =>
    Object.values(stack(app, name).resource![type] ?? {});

  test("installed in the databases layer where configured", () => {
    // ClickHouse: charts/clickhouse-cluster (the Altinity engine, the default).
    const charts = (name: string) =>
      releasesOf(stack(app, name)).map((r) =>
        r.chart.startsWith("./assets/ClickhouseClusterChart/") ? "clickhouse-cluster" : r.chart,
      );
    expect(charts("test-aws-databases")).toEqual(
      expect.arrayContaining(["clickhouse-cluster", "meilisearch"]),
    );
    expect(charts("test-gcp-databases")).not.toContain("clickhouse-cluster");
    expect(charts("test-gcp-databases")).toContain("meilisearch");
  });

  test("an app with analytics and search: hosts in the ConfigMap, passwords copied into its Secret", () => {
    const config = resourcesOf("test-aws-apps", "kubernetes_config_map_v1").find(
      (c) => (c.metadata as { name: string }).name === "report-config",
    )!.data as Record<string, string>;
    expect(config).toMatchObject({
      // The operator's Service clickhouse-<installation> (pkg/model/chi/namer/patterns.go).
      CLICKHOUSE_HOST: "clickhouse-analytics.test.svc.cluster.local",
      CLICKHOUSE_PORT: "8123",
      CLICKHOUSE_USER: "app",
      MEILI_HOST: "http://search-meilisearch.test.svc.cluster.local:7700",
    });
    const secret = resourcesOf("test-aws-apps", "kubernetes_secret_v1").find(
      (c) => (c.metadata as { name: string }).name === "report-credentials",
    )!.data as Record<string, string>;
    expect(secret).toEqual({
      CLICKHOUSE_PASSWORD: '${data.kubernetes_secret_v1.ClickhouseSecret.data["password"]}',
      MEILI_MASTER_KEY: '${data.kubernetes_secret_v1.MeilisearchSecret.data["MEILI_MASTER_KEY"]}',
    });
  });

  test("the app runs only where ClickHouse is", () => {
    expect(app.stacks.has("test-aws-apps")).toBe(true);
    const names = (name: string) => releasesOf(stack(app, name)).map((r) => r.name);
    expect(names("test-aws-apps")).toContain("report");
    expect(names("test-gcp-apps")).not.toContain("report");
  });
});

describe("Helm stacks: optional platform parts", () => {
  test("Argo CD when enabled; cert-manager and Envoy Gateway (with its GatewayClass) can be turned off", () => {
    const app = synth([
      withoutNativeUsers({
        platform: {
          argocd: { enabled: true },
          certManager: { enabled: false },
          envoyGateway: { enabled: false },
        },
      }),
    ]);
    expect(releasesOf(stack(app, "test-gcp-platform")).map((r) => r.name)).toEqual(["argocd"]);
  });
});
