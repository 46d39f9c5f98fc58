import type { Construct } from "constructs";
import { ArgoCd } from "../../modules/helm/argo-cd";
import { CertManager } from "../../modules/helm/cert-manager";
import { Gp3StorageClass } from "../../modules/helm/gp3-storage-class";
import { IngressNginx } from "../../modules/helm/ingress-nginx";
import { WorkloadNamespace } from "../../modules/helm/workload-namespace";
import { ManagedDatabaseSecret } from "../../modules/digitalocean/managed-database-secret";
import { DO_DATABASE_ENGINES, doDatabaseClusterName } from "../digitalocean/data";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";

/** Name of the Secret holding a managed database user's connection details. */
export function managedDatabaseSecretName(kind: string, user: string): string {
  return `managed-${kind}-${user}`;
}

/** Namespaces of the cluster-wide components. */
export const PLATFORM_NAMESPACES = {
  certManager: "cert-manager",
  ingressNginx: "ingress-nginx",
  argocd: "argocd",
} as const;

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps extends HelmLayerStackProps {
  /**
   * The environment owns the cluster: it also installs the cluster-wide components
   * (cert-manager, ingress-nginx, Argo CD, the gp3 StorageClass on EKS). A guest gets its
   * namespace only.
   */
  readonly ownsCluster: boolean;
}

/**
 * `<env>-<cloud>-platform`: the environment's namespace (Pod Security Admission, standard labels)
 * and, on a cluster the environment owns, cert-manager with CRDs, ingress-nginx and the storage
 * class volumes need.
 */
export class PlatformStack extends HelmLayerStack {
  readonly workloadNamespace: WorkloadNamespace;
  readonly certManager?: CertManager;
  readonly ingressNginx?: IngressNginx;
  readonly argocd?: ArgoCd;
  readonly storageClassResource?: Gp3StorageClass;
  /** Secrets with the connection details of managed databases (DigitalOcean). */
  readonly managedDatabaseSecrets: ManagedDatabaseSecret[] = [];

  constructor(scope: Construct, name: string, props: PlatformStackProps) {
    super(scope, name, props);
    const { platform, maxHistory, charts } = this.env.workloads;
    const timeoutSeconds = this.env.workloads.timeoutSeconds.platform;
    const labels = { ...this.labels, "app.kubernetes.io/managed-by": "strata" };
    this.workloadNamespace = new WorkloadNamespace(this, "Namespace", {
      name: this.namespace,
      podSecurity: platform.podSecurity,
      labels,
    });
    if (this.cloud === "digitalocean") this.addManagedDatabaseSecrets(labels);
    if (!props.ownsCluster) return;

    if (this.cloud === "aws") {
      this.storageClassResource = new Gp3StorageClass(this, "Gp3", {
        name: this.storageClass,
        labels,
      });
    }
    const common = { labels: this.labels, timeoutSeconds, maxHistory };
    const cm = platform.certManager;
    if (cm.enabled) {
      const ns = new WorkloadNamespace(this, "CertManagerNamespace", {
        name: PLATFORM_NAMESPACES.certManager,
        podSecurity: "restricted",
        labels,
      });
      this.certManager = new CertManager(this, "CertManager", {
        ...common,
        namespace: ns.name,
        version: charts.certManager,
        replicas: cm.replicas,
        resources: cm.resources,
        images: cm.images,
        metrics: cm.metrics,
        dependsOn: [ns.namespace],
      });
    }
    const nginx = platform.ingressNginx;
    if (nginx.enabled) {
      // The controller binds privileged ports with NET_BIND_SERVICE: baseline, not restricted.
      const ns = new WorkloadNamespace(this, "IngressNginxNamespace", {
        name: PLATFORM_NAMESPACES.ingressNginx,
        podSecurity: "baseline",
        labels,
      });
      this.ingressNginx = new IngressNginx(this, "IngressNginx", {
        ...common,
        namespace: ns.name,
        version: charts.ingressNginx,
        replicas: nginx.replicas,
        resources: nginx.resources,
        images: nginx.images,
        metrics: nginx.metrics,
        dependsOn: [ns.namespace],
      });
    }
    const argocd = platform.argocd;
    // Argo CD on the clusters `clouds` names (every cluster the environment owns by default).
    if (argocd.enabled && (argocd.clouds ?? [this.cloud]).includes(this.cloud)) {
      // Redis HA's haproxy and the repo server's init containers are not restricted-clean.
      const ns = new WorkloadNamespace(this, "ArgoCdNamespace", {
        name: PLATFORM_NAMESPACES.argocd,
        podSecurity: "baseline",
        labels,
      });
      this.argocd = new ArgoCd(this, "ArgoCd", {
        ...common,
        namespace: ns.name,
        version: charts.argocd,
        replicas: argocd.replicas,
        resources: argocd.resources,
        images: argocd.images,
        metrics: argocd.metrics,
        admin: argocd.admin,
        sso: argocd.sso,
        admins: argocd.admins,
        dependsOn: [ns.namespace],
      });
    }
  }

  /**
   * One Kubernetes Secret per managed database user of the environment (DigitalOcean managed
   * PostgreSQL / Valkey / Kafka from `<env>-do-data`), named `managed-<kind>-<user>`: the only way
   * their connection details reach applications.
   */
  private addManagedDatabaseSecrets(labels: Record<string, string>): void {
    const dbs = this.env.targets.digitalocean?.databases;
    if (!dbs) return;
    const secret = (kind: keyof typeof DO_DATABASE_ENGINES, user?: string, database?: string) => {
      const who = user ?? "admin";
      this.managedDatabaseSecrets.push(
        new ManagedDatabaseSecret(this, `Managed-${kind}-${who}`, {
          clusterName: doDatabaseClusterName(this.env.name, kind),
          engine: DO_DATABASE_ENGINES[kind],
          ...(user !== undefined ? { user } : {}),
          ...(database !== undefined ? { database } : {}),
          secretName: managedDatabaseSecretName(kind, who),
          namespace: this.namespace,
          labels,
        }),
      );
    };
    for (const db of dbs.postgres?.databases ?? []) secret("postgres", db.user, db.name);
    if (dbs.redis) secret("redis");
    for (const user of dbs.kafka?.users ?? []) secret("kafka", user.name);
  }
}
