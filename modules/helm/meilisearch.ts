import { Construct } from "constructs";
import { DEFAULT_MEILISEARCH_IMAGE, type MeilisearchImage } from "./meilisearch-image";
import { HelmChartRelease } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import {
  checkQuantity,
  checkResources,
  type KubernetesLabels,
  type ResourceRequirements,
} from "./kubernetes-values";

/** Props of {@link Meilisearch}. */
export interface MeilisearchProps {
  /** Release name (DNS label, ≤ 53). */
  readonly name: string;
  readonly namespace: string;
  /** meilisearch/meilisearch chart version. @default "0.34.0" */
  readonly version?: string;
  /** @default - docker.io/getmeili/meilisearch at the pinned chart's appVersion (v1.48.3) */
  readonly image?: MeilisearchImage;
  /** Storage class of the volume. */
  readonly storageClass: string;
  /** Volume of the one node. @default "10Gi" */
  readonly storage?: string;
  /** @default - requests 100m / 256Mi, memory limit 512Mi */
  readonly resources?: ResourceRequirements;
  /** Labels on the release's objects (`customLabels`). @default {} */
  readonly labels?: KubernetesLabels;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
}

/** The chart's repository (not Bitnami). */
export const MEILISEARCH_REPOSITORY = "https://meilisearch.github.io/meilisearch-kubernetes";
/**
 * meilisearch-kubernetes chart 0.34.0 (tag meilisearch-0.34.0, 2026-07-02, appVersion v1.48.3); its
 * values.yaml keys at that tag: __tests__/fixtures/chart-values/meilisearch-0.34.0.json. From
 * 0.25.0 only Chart.yaml, the image tag and the helm test's wget arguments changed.
 */
export { DEFAULT_MEILISEARCH_IMAGE, type MeilisearchImage };
export const DEFAULT_MEILISEARCH_VERSION = "0.34.0";
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { memory: "512Mi" },
};
/** The key the chart reads from `auth.existingMasterKeySecret` (loaded with envFrom). */
export const MEILI_MASTER_KEY = "MEILI_MASTER_KEY";
/** service.port of the chart. */
export const MEILISEARCH_PORT = 7700;
/** UID/GID the image's data directory works with (non-root). */
const RUN_AS = 1000;

/** How applications reach a Meilisearch release. */
export interface MeilisearchConnection {
  /** `http://<service>:7700`. */
  readonly url: string;
  readonly secretName: string;
  readonly masterKeyKey: string;
}

/**
 * Meilisearch (meilisearch/meilisearch): one StatefulSet pod in production mode, its master key
 * from a generated Secret, data on a volume Helm keeps when the release is deleted.
 */
export class Meilisearch extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: MeilisearchConnection;

  constructor(scope: Construct, id: string, props: MeilisearchProps) {
    super(scope, id);
    const path = this.node.path;
    const storage = props.storage ?? "10Gi";
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkQuantity(path, "storage", storage);
    checkResources(path, "resources", resources);
    const image = props.image ?? DEFAULT_MEILISEARCH_IMAGE;
    if (!image.repository.includes("/") || !image.tag) {
      throw new Error(
        `${path}: image ${JSON.stringify(image)} needs a repository with its registry (docker.io/getmeili/meilisearch) and a tag`,
      );
    }
    const fullname = meilisearchFullname(props.name);

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: [MEILI_MASTER_KEY],
      labels: props.labels,
    });
    const values: MeilisearchValues = {
      customLabels: { ...props.labels },
      image: { repository: image.repository, tag: image.tag },
      environment: { MEILI_ENV: "production", MEILI_NO_ANALYTICS: "true" },
      auth: { existingMasterKeySecret: this.credentials.name },
      persistence: {
        enabled: true,
        size: storage,
        storageClass: props.storageClass,
        // The chart's PVC is a template object (not a volumeClaimTemplate): keep it on uninstall.
        annotations: { "helm.sh/resource-policy": "keep" },
      },
      resources,
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS,
        runAsGroup: RUN_AS,
        fsGroup: RUN_AS,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
      securityContext: {
        capabilities: { drop: ["ALL"] },
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      },
      // The root filesystem is read-only; Meilisearch writes temporary files under /tmp, which
      // the chart already mounts as an emptyDir named "tmp" (statefulset.yaml at 0.34.0:
      // facts/charts.json). A second "tmp" volume would make the StatefulSet invalid.
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name,
      namespace: props.namespace,
      chart: {
        repository: MEILISEARCH_REPOSITORY,
        chart: "meilisearch",
        version: props.version ?? DEFAULT_MEILISEARCH_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: [this.credentials.secret],
    });
    this.connection = meilisearchConnection(props);
  }
}

/** The chart's fullname: the release name when it contains "meilisearch", else `<release>-meilisearch`. */
export function meilisearchFullname(release: string): string {
  const name = release.includes("meilisearch") ? release : `${release}-meilisearch`;
  return name.slice(0, 63).replace(/-+$/, "");
}

/** Where a {@link Meilisearch} release is reached. */
export function meilisearchConnection(p: {
  readonly name: string;
  readonly namespace: string;
}): MeilisearchConnection {
  const fullname = meilisearchFullname(p.name);
  return {
    url: `http://${fullname}.${p.namespace}.svc.cluster.local:${MEILISEARCH_PORT}`,
    secretName: `${fullname}-credentials`,
    masterKeyKey: MEILI_MASTER_KEY,
  };
}

/** The meilisearch/meilisearch values Strata sets. */
export interface MeilisearchValues {
  readonly customLabels: Record<string, string>;
  readonly image: MeilisearchImage;
  readonly environment: { readonly MEILI_ENV: "production"; readonly MEILI_NO_ANALYTICS: string };
  readonly auth: { readonly existingMasterKeySecret: string };
  readonly persistence: {
    readonly enabled: boolean;
    readonly size: string;
    readonly storageClass: string;
    readonly annotations: Record<string, string>;
  };
  readonly resources: ResourceRequirements;
  readonly podSecurityContext: Record<string, unknown>;
  readonly securityContext: {
    readonly capabilities: { readonly drop: string[] };
    readonly allowPrivilegeEscalation: boolean;
    readonly readOnlyRootFilesystem: boolean;
  };
}
