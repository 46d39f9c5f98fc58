import type { Construct } from "constructs";
import { ArgoCd } from "../../modules/helm/argo-cd";
import { CertManager } from "../../modules/helm/cert-manager";
import { Gp3StorageClass } from "../../modules/helm/gp3-storage-class";
import { IngressNginx } from "../../modules/helm/ingress-nginx";
import { KubePrometheusStack } from "../../modules/helm/kube-prometheus-stack";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { clusterRules, namespaceRules } from "../../modules/helm/monitoring-targets";
import { MONITORING_NAMESPACE } from "../../environments/schema/monitoring";
import { WorkloadNamespace } from "../../modules/helm/workload-namespace";
import { ManagedDatabaseSecret } from "../../modules/digitalocean/managed-database-secret";
import { DO_DATABASE_ENGINES, doDatabaseClusterName } from "../digitalocean/data";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects } from "./monitoring";

/** Name of the Secret holding a managed database user's connection details. */
export function managedDatabaseSecretName(kind: string, user: string): string {
  return `managed-${kind}-${user}`;
}

/** Namespaces of the cluster-wide components. */
export const PLATFORM_NAMESPACES = {
  certManager: "cert-manager",
  ingressNginx: "ingress-nginx",
  argocd: "argocd",
  monitoring: MONITORING_NAMESPACE,
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
  /** The metrics stack (owner, monitoring on). */
  readonly kubePrometheusStack?: KubePrometheusStack;
  /** Kubernetes alert rules for the namespace (and, for the owner, the cluster's capacity). */
  readonly alerts?: MonitoringObjects;
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
    if (!props.ownsCluster) {
      // A guest's rules need the owner's metrics stack: the owner's platform stack comes first.
      this.alerts = addMonitoringObjects(
        this,
        "platform",
        { ruleGroups: [namespaceRules(this.namespace, platform.monitoring.thresholds)] },
        [this.workloadNamespace.namespace],
      );
      return;
    }

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
    if (argocd.enabled) {
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
        dependsOn: [ns.namespace],
      });
    }
    const monitoring = platform.monitoring;
    if (monitoring.enabled) {
      // Every pod of the stack is restricted-clean (facts/charts.json); node-exporter, which is
      // not, is left out.
      const ns = new WorkloadNamespace(this, "MonitoringNamespace", {
        name: PLATFORM_NAMESPACES.monitoring,
        podSecurity: "restricted",
        labels,
      });
      this.kubePrometheusStack = new KubePrometheusStack(this, "KubePrometheusStack", {
        ...common,
        namespace: ns.name,
        version: charts.kubePrometheusStack,
        storageClass: this.storageClass,
        prometheus: {
          replicas: monitoring.replicas,
          retention: monitoring.retention,
          storage: monitoring.storage,
          resources: monitoring.resources,
        },
        alertmanager: monitoring.alertmanager,
        receivers: monitoring.receivers,
        routes: monitoring.routes,
        imageRegistry: monitoring.images?.registry,
        dependsOn: [
          ns.namespace,
          ...(this.storageClassResource ? [this.storageClassResource.storageClass] : []),
        ],
      });
      this.alerts = addMonitoringObjects(
        this,
        "platform",
        {
          ruleGroups: [
            namespaceRules(this.namespace, monitoring.thresholds),
            clusterRules(monitoring.thresholds),
          ],
        },
        [this.workloadNamespace.namespace, this.kubePrometheusStack.release.release],
      );
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
