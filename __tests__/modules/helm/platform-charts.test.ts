import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { ArgoCd, type ArgoCdProps } from "../../../modules/helm/argo-cd";
import { CertManager, type CertManagerProps } from "../../../modules/helm/cert-manager";
import { Gp3StorageClass } from "../../../modules/helm/gp3-storage-class";
import { EnvoyGateway, type EnvoyGatewayProps } from "../../../modules/helm/envoy-gateway";
import { WorkloadNamespace } from "../../../modules/helm/workload-namespace";
import { releaseNamed, unknownValuePaths } from "../../support/chart-values";
import { synthScope } from "./helpers";

const cm = (p: Partial<CertManagerProps> = {}) =>
  releaseNamed(
    synthScope((s) => new CertManager(s, "CertManager", { namespace: "cert-manager", ...p })),
    "cert-manager",
  );
describe("CertManager (jetstack/cert-manager)", () => {
  test("pinned v1.21.1 from charts.jetstack.io; every values key exists in it", () => {
    for (const r of [
      cm(),
      cm({
        replicas: 3,
        metrics: true,
        images: { registry: "mirror.example.com" },
        gatewayApi: true,
      }),
    ]) {
      expect(r).toMatchObject({ repository: "https://charts.jetstack.io", version: "v1.21.1" });
      expect(unknownValuePaths("cert-manager", r.version!, r.values)).toEqual([]);
    }
  });

  test("Gateway API support through the controller's configuration file, only when asked", () => {
    expect(cm().values).not.toHaveProperty("config");
    expect(cm({ gatewayApi: true }).values).toMatchObject({
      config: {
        apiVersion: "controller.config.cert-manager.io/v1alpha1",
        kind: "ControllerConfiguration",
        gatewayAPI: { enabled: true },
      },
    });
  });

  test("installs and keeps its CRDs (crds.enabled, not the deprecated installCRDs)", () => {
    const { values } = cm();
    expect(values.crds).toEqual({ enabled: true, keep: true });
    expect(values).not.toHaveProperty("installCRDs");
  });

  test("replicas and a PDB per component when > 1", () => {
    const { values } = cm({ replicas: 2 });
    for (const c of [values, values.webhook, values.cainjector] as Array<Record<string, unknown>>) {
      expect(c).toMatchObject({ replicaCount: 2, podDisruptionBudget: { enabled: true } });
    }
  });

  test("images from the chart's registry unless overridden", () => {
    expect(cm().values).not.toHaveProperty("image");
    expect(
      cm({ images: { registry: "mirror.example.com", namespace: "jetstack" } }).values,
    ).toMatchObject({
      image: { repository: "mirror.example.com/jetstack/cert-manager-controller" },
      webhook: { image: { repository: "mirror.example.com/jetstack/cert-manager-webhook" } },
    });
  });

  test("bad resources", () => {
    expect(() => cm({ resources: { limits: { memory: "1 GiB" } } })).toThrow(
      /resources.limits.memory "1 GiB" is not a Kubernetes quantity/,
    );
  });
});

describe("EnvoyGateway (gateway-helm)", () => {
  const eg = (p: Partial<EnvoyGatewayProps> = {}) =>
    releaseNamed(
      synthScope((s) => new EnvoyGateway(s, "Eg", { namespace: "envoy-gateway-system", ...p })),
      "envoy-gateway",
    );

  test("pinned v1.9.0 from oci://docker.io/envoyproxy; every values key exists in it", () => {
    for (const r of [eg(), eg({ replicas: 2, images: { registry: "m.example.com" } })]) {
      expect(r).toMatchObject({
        repository: "oci://docker.io/envoyproxy",
        chart: "gateway-helm",
        version: "v1.9.0",
      });
      expect(unknownValuePaths("gateway-helm", r.version!, r.values)).toEqual([]);
    }
  });

  test("installs its CRDs (Gateway API and Envoy Gateway's) and the topology injector", () => {
    expect(eg().values).toMatchObject({
      crds: { enabled: true },
      topologyInjector: { enabled: true },
    });
  });

  test("a PodDisruptionBudget keeps one controller when there are two or more", () => {
    expect(eg().values).toMatchObject({
      deployment: { replicas: 1 },
      podDisruptionBudget: { minAvailable: 0 },
    });
    expect(eg({ replicas: 2 }).values).toMatchObject({
      deployment: { replicas: 2 },
      podDisruptionBudget: { minAvailable: 1 },
    });
  });

  test("a registry override goes to global.imageRegistry (controller, proxies, rate limit)", () => {
    expect(eg().values).not.toHaveProperty("global");
    expect(eg({ images: { registry: "m.example.com" } }).values).toMatchObject({
      global: { imageRegistry: "m.example.com" },
    });
  });
});

describe("WorkloadNamespace", () => {
  const synth = (p: Partial<ConstructorParameters<typeof WorkloadNamespace>[2]> = {}) =>
    Testing.synthScope((s) => {
      new WorkloadNamespace(s, "Ns", { name: "prod", labels: { environment: "prod" }, ...p });
    });

  test("Pod Security Admission at restricted, enforced, warned and audited; standard labels", () => {
    expect(synth()).toHaveResourceWithProperties(NamespaceV1, {
      metadata: {
        name: "prod",
        labels: {
          environment: "prod",
          "kubernetes.io/metadata.name": "prod",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
      },
    });
  });

  test("another level", () => {
    expect(synth({ podSecurity: "baseline" })).toHaveResourceWithProperties(NamespaceV1, {
      metadata: expect.objectContaining({
        labels: expect.objectContaining({ "pod-security.kubernetes.io/enforce": "baseline" }),
      }),
    });
  });

  test("a namespace that is not a DNS label", () => {
    expect(() => synth({ name: "Prod_1" })).toThrow(/namespace "Prod_1" may contain only/);
  });
});

describe("Gp3StorageClass", () => {
  test("encrypted gp3 on the EBS CSI driver, bound where the pod lands, volumes retained", () => {
    expect(
      Testing.synthScope((s) => {
        new Gp3StorageClass(s, "Gp3");
      }),
    ).toHaveResourceWithProperties(StorageClassV1, {
      metadata: expect.objectContaining({ name: "gp3" }),
      storage_provisioner: "ebs.csi.aws.com",
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: expect.objectContaining({ type: "gp3", encrypted: "true" }),
    });
  });
});

describe("ArgoCd (argo/argo-cd, optional)", () => {
  const argo = (p: Partial<ArgoCdProps> = {}) =>
    releaseNamed(
      synthScope((s) => new ArgoCd(s, "Argo", { namespace: "argocd", ...p })),
      "argocd",
    );

  test("pinned 10.1.1; every values key exists in its values.yaml", () => {
    for (const r of [
      argo(),
      argo({ replicas: 2, metrics: true, images: { registry: "m.example.com" } }),
      argo({
        admin: true,
        admins: ["platform"],
        sso: {
          url: "https://argocd.example.org",
          issuer: "https://login.example.com",
          clientId: "argocd",
          clientSecretRef: { name: "argocd-oidc", key: "clientSecret" },
        },
      }),
    ]) {
      expect(r).toMatchObject({
        repository: "https://argoproj.github.io/argo-helm",
        version: "10.1.1",
      });
      expect(unknownValuePaths("argo-cd", r.version!, r.values)).toEqual([]);
    }
  });

  test("CRDs installed and kept; HA with replicas > 1 (Redis HA, PDBs, one controller)", () => {
    expect(argo().values).toMatchObject({
      crds: { install: true, keep: true },
      "redis-ha": { enabled: false },
      server: { replicas: 1, pdb: { enabled: false } },
    });
    expect(argo({ replicas: 2 }).values).toMatchObject({
      "redis-ha": { enabled: true },
      controller: { replicas: 1 },
      server: { replicas: 2, pdb: { enabled: true } },
      repoServer: { replicas: 2 },
    });
  });
});

describe("ArgoCd hardening", () => {
  const argo = (p: Partial<ArgoCdProps> = {}) =>
    releaseNamed(
      synthScope((s) => new ArgoCd(s, "Argo", { namespace: "argocd", ...p })),
      "argocd",
    ).values as { configs: { cm: Record<string, unknown>; rbac: Record<string, unknown> } };

  test("by default: no local admin (so no initial password Secret), no Dex, exec off, RBAC grants nothing", () => {
    const v = argo() as unknown as Record<string, unknown>;
    expect(v).toMatchObject({
      configs: {
        cm: { "admin.enabled": false, "exec.enabled": false },
        rbac: { "policy.default": "", "policy.csv": "", scopes: "[groups]" },
      },
      dex: { enabled: false },
    });
    expect(JSON.stringify(v)).not.toMatch(/argocdServerAdminPassword|oidc\.config/);
  });

  test("SSO: the client secret is a $<secret>:<key> reference; admin groups bound to role:admin, sorted", () => {
    const v = argo({
      admins: ["sre", "platform", "sre"],
      sso: {
        url: "https://argocd.example.org",
        issuer: "https://login.example.com",
        clientId: "argocd",
        clientSecretRef: { name: "argocd-oidc", key: "clientSecret" },
        scopes: ["openid", "groups"],
      },
    });
    expect(parse(v.configs.cm["oidc.config"] as string)).toEqual({
      name: "SSO",
      issuer: "https://login.example.com",
      clientID: "argocd",
      clientSecret: "$argocd-oidc:clientSecret",
      requestedScopes: ["groups", "openid"],
    });
    expect(v.configs.rbac["policy.csv"]).toBe("g, platform, role:admin\ng, sre, role:admin\n");
    // The redirect is <url>/auth/callback: the chart derives configs.cm.url from global.domain.
    expect((v as unknown as { global: object }).global).toMatchObject({
      domain: "argocd.example.org",
    });
  });
});
