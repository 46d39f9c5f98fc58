import { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import { GeneratedSecret } from "./generated-secret";
import { type KubernetesLabels, type ResourceRequirements } from "./kubernetes-values";
import { VALKEY_IMAGE } from "./valkey-image";
import { cacheSet, SENTINEL_MASTER_SET, type RedisConnection } from "./redis";

export { VALKEY_IMAGE };

/** Props of {@link Valkey}. */
export interface ValkeyProps {
  /** Release name (DNS label, ≤ 53). */
  readonly name: string;
  readonly namespace: string;
  /** CloudPirates `valkey` chart version. @default "0.25.5" */
  readonly version?: string;
  /** Replication with Sentinel failover; off = one standalone node. @default true */
  readonly sentinel?: boolean;
  /** Valkey nodes with sentinel (each pod also runs a sentinel). @default 3 */
  readonly replicas?: number;
  /** Storage class of the volumes. */
  readonly storageClass: string;
  /** Volume per node. @default "2Gi" */
  readonly storage?: string;
  /** Valkey container. @default - requests 50m / 64Mi, memory limit 128Mi */
  readonly resources?: ResourceRequirements;
  /** Labels on the release's objects (`commonLabels`). @default {} */
  readonly labels?: KubernetesLabels;
  /** redis_exporter sidecar and its `<fullname>-metrics` Service. @default false */
  readonly metrics?: boolean;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
}

/**
 * CloudPirates' chart repository (CloudPirates-io/helm-charts README.md; Apache-2.0). The
 * official valkey-io chart has no Sentinel yet (docs/data-services.md), hence this one.
 */
export const VALKEY_REPOSITORY = "oci://registry-1.docker.io/cloudpirates";
/**
 * CloudPirates `valkey` chart 0.25.5 (tag valkey-0.25.5, 2026-08-14, the newest in the snapshot);
 * values keys at that tag: __tests__/fixtures/chart-values/valkey-0.25.5.json; facts/charts.json.
 */
export const DEFAULT_VALKEY_VERSION = "0.25.5";
/** The key of the generated Secret the chart reads (`auth.existingSecretPasswordKey`). */
export const VALKEY_PASSWORD_KEY = "password";
/** service.port and sentinel.port of the chart (values.yaml#L156, #L449). */
export const VALKEY_PORT = 6379;
export const VALKEY_SENTINEL_PORT = 26379;
/** Sentinel's quorum: a majority of the three sentinels. */
export const SENTINEL_QUORUM = 2;
/** The image's valkey user and the chart's group (values.yaml#L62-L82). */
const RUN_AS_USER = 999;
const RUN_AS_GROUP = 1000;
/** Sentinels, the init container and the exporter are tiny (the chart leaves them unbounded). */
const SIDECAR_RESOURCES: ResourceRequirements = {
  requests: { cpu: "25m", memory: "32Mi" },
  limits: { memory: "64Mi" },
};

/**
 * Pod Security `restricted` for every container of the pod (init, valkey, sentinel, exporter: the
 * chart applies one containerSecurityContext to all of them, statefulset.yaml#L46,L240,L347,L655).
 * The chart sets no seccomp profile; both contexts are rendered whole (common _helpers.tpl#L307-L327).
 */
export const VALKEY_POD_SECURITY = {
  podSecurityContext: {
    runAsNonRoot: true,
    fsGroup: RUN_AS_GROUP,
    seccompProfile: { type: "RuntimeDefault" },
  },
  containerSecurityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    runAsGroup: RUN_AS_GROUP,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
} as const;

/**
 * Valkey (CloudPirates `valkey` chart): Sentinel replication (every pod runs Valkey and a
 * sentinel; quorum 2) or one standalone node, the password from a generated Secret, volumes kept
 * when the release is deleted. The maintained replacement of {@link Redis} (bitnami/redis).
 */
export class Valkey extends Construct {
  readonly release: HelmChartRelease;
  readonly credentials: GeneratedSecret;
  readonly connection: RedisConnection;

  constructor(scope: Construct, id: string, props: ValkeyProps) {
    super(scope, id);
    const path = this.node.path;
    const { sentinel, replicas, storage, resources } = cacheSet(path, props);
    const fullname = valkeyFullname(props.name);

    this.credentials = new GeneratedSecret(this, "Credentials", {
      name: `${fullname}-credentials`,
      namespace: props.namespace,
      passwordKeys: [VALKEY_PASSWORD_KEY],
      labels: props.labels,
    });
    const values: ValkeyValues = {
      commonLabels: { ...props.labels },
      image: { ...VALKEY_IMAGE },
      architecture: sentinel ? "replication" : "standalone",
      // Standalone runs one pod whatever replicaCount says (statefulset.yaml#L13).
      replicaCount: sentinel ? replicas : 1,
      ...VALKEY_POD_SECURITY,
      auth: {
        enabled: true,
        existingSecret: this.credentials.name,
        existingSecretPasswordKey: VALKEY_PASSWORD_KEY,
      },
      resources,
      initContainer: { resources: SIDECAR_RESOURCES },
      persistence: { enabled: true, size: storage, storageClass: props.storageClass },
      // The chart renders the StatefulSet policy only when enabled (statefulset.yaml#L751-L755).
      persistentVolumeClaimRetentionPolicy: {
        enabled: true,
        whenDeleted: "Retain",
        whenScaled: "Retain",
      },
      // Keep a sentinel majority through node drains.
      pdb: { enabled: sentinel, minAvailable: SENTINEL_QUORUM },
      metrics: { enabled: props.metrics ?? false, resources: SIDECAR_RESOURCES },
      sentinel: {
        enabled: sentinel,
        image: { ...VALKEY_IMAGE },
        masterName: SENTINEL_MASTER_SET,
        quorum: SENTINEL_QUORUM,
        resources: SIDECAR_RESOURCES,
      },
    };
    this.release = new HelmChartRelease(this, "Chart", {
      name: props.name,
      namespace: props.namespace,
      chart: {
        repository: VALKEY_REPOSITORY,
        chart: "valkey",
        version: props.version ?? DEFAULT_VALKEY_VERSION,
      },
      values,
      timeoutSeconds: props.timeoutSeconds,
      maxHistory: props.maxHistory,
      dependsOn: [this.credentials.secret],
    });
    this.connection = valkeyConnection({ ...props, sentinel });
  }
}

/** The chart's fullname (common _helpers.tpl#L13-L24): the release if it contains "valkey", else `<release>-valkey`. */
export function valkeyFullname(release: string): string {
  const name = release.includes("valkey") ? release : `${release}-valkey`;
  return name.slice(0, 63).replace(/-+$/, "");
}

/**
 * Where a {@link Valkey} release is reached, in the Redis contract apps already have.
 * With sentinel: the headless Service, which serves both 6379 and the sentinels' 26379 on every
 * ready pod (service.yaml#L23-L50), like bitnami/redis's `<fullname>` did; sentinels answer with
 * the current master. Standalone: `<fullname>`, whose one pod is the master.
 */
export function valkeyConnection(p: {
  readonly name: string;
  readonly namespace: string;
  readonly sentinel?: boolean;
}): RedisConnection {
  const fullname = valkeyFullname(p.name);
  const sentinel = p.sentinel ?? true;
  return {
    host: `${sentinel ? `${fullname}-headless` : fullname}.${p.namespace}.svc.cluster.local`,
    port: VALKEY_PORT,
    ...(sentinel
      ? { sentinel: { port: VALKEY_SENTINEL_PORT, masterSet: SENTINEL_MASTER_SET } }
      : {}),
    secretName: `${fullname}-credentials`,
    passwordKey: VALKEY_PASSWORD_KEY,
  };
}

type Image = { readonly registry: string; readonly repository: string; readonly tag: string };

/** The CloudPirates valkey values Strata sets. */
export interface ValkeyValues {
  readonly commonLabels: Record<string, string>;
  readonly image: Image;
  readonly architecture: "standalone" | "replication";
  readonly replicaCount: number;
  readonly podSecurityContext: (typeof VALKEY_POD_SECURITY)["podSecurityContext"];
  readonly containerSecurityContext: (typeof VALKEY_POD_SECURITY)["containerSecurityContext"];
  readonly auth: {
    readonly enabled: boolean;
    readonly existingSecret: string;
    readonly existingSecretPasswordKey: string;
  };
  readonly resources: ResourceRequirements;
  readonly initContainer: { readonly resources: ResourceRequirements };
  readonly persistence: {
    readonly enabled: boolean;
    readonly size: string;
    readonly storageClass: string;
  };
  readonly persistentVolumeClaimRetentionPolicy: {
    readonly enabled: boolean;
    readonly whenDeleted: "Retain";
    readonly whenScaled: "Retain";
  };
  readonly pdb: { readonly enabled: boolean; readonly minAvailable: number };
  readonly metrics: { readonly enabled: boolean; readonly resources: ResourceRequirements };
  readonly sentinel: {
    readonly enabled: boolean;
    readonly image: Image;
    readonly masterName: string;
    readonly quorum: number;
    readonly resources: ResourceRequirements;
  };
}
