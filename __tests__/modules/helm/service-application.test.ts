import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { TerraformStack, Testing } from "cdktf";
import type { Construct } from "constructs";
import {
  ServiceApplication,
  type ServiceApplicationProps,
} from "../../../modules/helm/service-application";
import { releaseNamed } from "../../support/chart-values";
import { synthScope } from "./helpers";

const props: ServiceApplicationProps = {
  name: "backend",
  namespace: "test",
  chart: { chart: "./assets/service" },
  image: { repository: "ghcr.io/angzarr/backend", tag: "1.2.3" },
  settings: { DB_HOST: "db-postgresql.test.svc.cluster.local", LOG_LEVEL: "info" },
};
const withPassword = (scope: Construct) => new Password(scope, "Pw", { length: 32 }).result;
const synth = (p: (scope: Construct) => Partial<ServiceApplicationProps> = () => ({})) =>
  synthScope((scope) => new ServiceApplication(scope, "App", { ...props, ...p(scope) }));

describe("ServiceApplication", () => {
  test("settings in a ConfigMap, credentials in a Secret, both loaded with envFrom", () => {
    const tf = synth((s) => ({ credentials: { DB_PASSWORD: withPassword(s) } }));
    const json = JSON.stringify(tf);
    expect(json).toHaveResourceWithProperties(ConfigMapV1, {
      metadata: expect.objectContaining({ name: "backend-config", namespace: "test" }),
      data: props.settings,
    });
    expect(json).toHaveResourceWithProperties(SecretV1, {
      metadata: expect.objectContaining({ name: "backend-credentials" }),
      data: { DB_PASSWORD: expect.stringMatching(/^\$\{random_password\./) },
    });
    const { values, raw } = releaseNamed(tf, "backend");
    expect(values.envFrom).toEqual({
      configMaps: ["backend-config"],
      secrets: ["backend-credentials"],
    });
    expect(raw.depends_on).toHaveLength(2);
  });

  test("no Secret when there are no credentials", () => {
    const tf = synth();
    expect(tf.resource!.kubernetes_secret_v1).toBeUndefined();
    expect(releaseNamed(tf, "backend").values.envFrom).toEqual({
      configMaps: ["backend-config"],
      secrets: [],
    });
  });

  test("non-root defaults, NetworkPolicy on, no HPA or PDB", () => {
    const { values } = releaseNamed(synth(), "backend");
    expect(values).toMatchObject({
      image: props.image,
      replicaCount: 1,
      containerPort: 8080,
      securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
      writablePaths: ["/tmp"],
      autoscaling: { enabled: false },
      podDisruptionBudget: { enabled: false },
      networkPolicy: { enabled: true },
      serviceAccount: { create: true, annotations: {} },
    });
  });

  test("autoscaling, PDB and workload identity annotation", () => {
    const { values } = releaseNamed(
      synth(() => ({
        autoscaling: { minReplicas: 3, maxReplicas: 9, targetCpuPercent: 60 },
        podDisruptionBudget: true,
        serviceAccountAnnotations: {
          "iam.gke.io/gcp-service-account": "a@p.iam.gserviceaccount.com",
        },
      })),
      "backend",
    );
    expect(values).toMatchObject({
      autoscaling: {
        enabled: true,
        minReplicas: 3,
        maxReplicas: 9,
        targetCPUUtilizationPercentage: 60,
      },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      serviceAccount: {
        annotations: { "iam.gke.io/gcp-service-account": "a@p.iam.gserviceaccount.com" },
      },
    });
  });

  test("a settings change rolls the pods (checksum annotation)", () => {
    const a = releaseNamed(synth(), "backend").values.podAnnotations as Record<string, string>;
    const b = releaseNamed(
      synth(() => ({ settings: { LOG_LEVEL: "debug" } })),
      "backend",
    ).values.podAnnotations as Record<string, string>;
    expect(a["strata.dev/config-checksum"]).toMatch(/^[0-9a-f]{16}$/);
    expect(a["strata.dev/config-checksum"]).not.toBe(b["strata.dev/config-checksum"]);
  });

  test("a credential in settings is refused", () => {
    expect(() => synth(() => ({ settings: { DB_PASSWORD: "x" } }))).toThrow(
      /settings.DB_PASSWORD names a credential; settings land in a ConfigMap/,
    );
    expect(() =>
      synth(() => ({ settings: { DATABASE_URL: "postgresql://app:hunter2@db:5432/app" } })),
    ).toThrow(/settings.DATABASE_URL looks like a URL with a password/);
  });

  test("a literal credential is refused", () => {
    expect(() => synth(() => ({ credentials: { DB_PASSWORD: "hunter2" } }))).toThrow(
      /credentials.DB_PASSWORD is a literal/,
    );
  });

  test("bad values", () => {
    expect(() => synth(() => ({ resources: { requests: { memory: "lots" } } }))).toThrow(
      /resources.requests.memory "lots" is not a Kubernetes quantity/,
    );
    expect(() => synth(() => ({ replicas: 0 }))).toThrow(/replicas \(0\) must be an integer >= 1/);
    expect(() =>
      synth(() => ({ autoscaling: { minReplicas: 5, maxReplicas: 2, targetCpuPercent: 70 } })),
    ).toThrow(/minReplicas \(5\) must be <= maxReplicas \(2\)/);
  });

  test("the raw resources stay reachable", () => {
    const app = new ServiceApplication(new TerraformStack(Testing.app(), "s"), "App", props);
    expect(app.config).toBeInstanceOf(ConfigMapV1);
  });
});
