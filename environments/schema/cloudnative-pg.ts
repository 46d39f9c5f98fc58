/**
 * Checks of the cloudnativepg PostgreSQL engine that need the cluster's owner: the operator is a
 * cluster-wide component the owner installs (workloads.platform.cloudnativePg), it needs
 * cert-manager for its backup plugin, and CloudNativePG 1.30 supports Kubernetes 1.34–1.36 only
 * (cloudnative-pg v1.30.0 docs/src/release_notes/v1.30.md#L405-L409).
 */
import type { ConfigCloud as Cloud } from "./kube";

/** The oldest Kubernetes minor CloudNativePG 1.30 supports. */
export const CNPG_MIN_KUBERNETES_MINOR = 34;

/** An environment as these checks see it. */
export interface CnpgEnvironment {
  readonly name: string;
  readonly targets: {
    readonly aws?: { readonly cluster?: { readonly version?: string } };
    readonly digitalocean?: {
      readonly cluster?: { readonly version?: string; readonly versionPrefix?: string };
    };
  };
  readonly workloads: {
    readonly sharedCluster?: { readonly environment: string; readonly cloud: Cloud };
    readonly platform: {
      readonly cloudnativePg: { readonly enabled: boolean };
      readonly certManager: { readonly enabled: boolean };
    };
    readonly databases: {
      readonly postgresql?: { readonly engine: string; readonly clouds: readonly Cloud[] };
    };
  };
}

/** The minor of a pinned EKS version ("1.33") or DOKS slug/prefix ("1.33.1-do.0", "1.33."). */
function minorOf(version: string | undefined): number | undefined {
  const m = version?.match(/^1\.(\d+)/);
  return m ? Number(m[1]) : undefined;
}

export function checkCloudNativePg(
  all: readonly CnpgEnvironment[],
): Array<{ path: string; message: string }> {
  const byName = new Map(all.map((e) => [e.name, e]));
  const problems: Array<{ path: string; message: string }> = [];
  for (const env of all) {
    const w = env.workloads;
    if (w.platform.cloudnativePg.enabled && !w.sharedCluster && !w.platform.certManager.enabled) {
      problems.push({
        path: `${env.name}.workloads.platform.cloudnativePg`,
        message:
          'CloudNativePG\'s barman-cloud backup plugin gets its certificates from cert-manager, which platform.certManager.enabled: false turns off; enable cert-manager, or set platform.cloudnativePg: { enabled: false } (and databases.postgresql.engine: "bitnami", deprecated)',
      });
    }
    const pg = w.databases.postgresql;
    if (!pg || pg.engine !== "cloudnativepg") continue;
    const owner = w.sharedCluster ? byName.get(w.sharedCluster.environment) : env;
    if (!owner) continue; // unknown host: reported by the shared-cluster checks
    if (!owner.workloads.platform.cloudnativePg.enabled) {
      problems.push({
        path: `${env.name}.workloads.databases.postgresql.engine`,
        message:
          owner === env
            ? 'the cloudnativepg engine needs the CloudNativePG operator, which platform.cloudnativePg.enabled: false leaves out; remove that, or set engine: "bitnami" (deprecated)'
            : `the cloudnativepg engine needs the CloudNativePG operator on ${owner.name}'s cluster, which ${owner.name} does not install; set ${owner.name}.workloads.platform.cloudnativePg: { enabled: true }, or engine: "bitnami" (deprecated)`,
      });
    }
    const clouds = w.sharedCluster ? [w.sharedCluster.cloud] : pg.clouds;
    for (const cloud of clouds) {
      const pinned =
        cloud === "aws"
          ? { field: "targets.aws.cluster.version", version: owner.targets.aws?.cluster?.version }
          : cloud === "digitalocean"
            ? {
                field: owner.targets.digitalocean?.cluster?.version
                  ? "targets.digitalocean.cluster.version"
                  : "targets.digitalocean.cluster.versionPrefix",
                version:
                  owner.targets.digitalocean?.cluster?.version ??
                  owner.targets.digitalocean?.cluster?.versionPrefix,
              }
            : undefined;
      const minor = minorOf(pinned?.version);
      if (pinned && minor !== undefined && minor < CNPG_MIN_KUBERNETES_MINOR) {
        problems.push({
          path: `${owner.name}.${pinned.field}`,
          message: `${env.name}'s PostgreSQL runs on CloudNativePG 1.30, which supports Kubernetes 1.${CNPG_MIN_KUBERNETES_MINOR}–1.36, and this ${cloud} cluster pins ${pinned.version}; upgrade the cluster to 1.${CNPG_MIN_KUBERNETES_MINOR} or later first, or keep databases.postgresql.engine: "bitnami" (deprecated) until then`,
        });
      }
    }
  }
  return problems;
}
