import type { Construct } from "constructs";
import { ArgoCd } from "../../modules/helm/argo-cd";
import { CertManager } from "../../modules/helm/cert-manager";
import { RabbitmqClusterOperator } from "../../modules/helm/rabbitmq-cluster-operator";
import { ClickhouseOperator } from "../../modules/helm/clickhouse-operator";
import { CloudNativePg, CLOUDNATIVE_PG_NAMESPACE } from "../../modules/helm/cloudnative-pg";
import { Gp3StorageClass } from "../../modules/helm/gp3-storage-class";
import { EnvoyGateway } from "../../modules/helm/envoy-gateway";
import { EnvironmentGateway } from "../../modules/helm/environment-gateway";
import { loadBalancerAnnotations } from "../../modules/helm/load-balancer";
import { ACME_SERVERS, hostsOn } from "../../environments/schema/edge";
import type { ConfigCloud } from "../../environments/schema/kube";
import { WORKLOAD_SIZES } from "../../environments/schema/workloads";
import { KubePrometheusStack } from "../../modules/helm/kube-prometheus-stack";
import type { MonitoringObjects } from "../../modules/helm/monitoring-objects";
import { clusterRules, namespaceRules } from "../../modules/helm/monitoring-targets";
import { MONITORING_NAMESPACE } from "../../environments/schema/monitoring";
import { WorkloadNamespace } from "../../modules/helm/workload-namespace";
import { StrimziOperator } from "../../modules/helm/strimzi";
import type { Environment } from "../../environments/schema";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { ManagedDatabaseSecret } from "../../modules/digitalocean/managed-database-secret";
import { SpacesBackupCredentials } from "../../modules/digitalocean/spaces-backup-credentials";
import { DO_DATABASE_ENGINES, doDatabaseClusterName } from "../digitalocean/data";
import { HelmLayerStack, type HelmLayerStackProps } from "./layer";
import { addMonitoringObjects } from "./monitoring";
import { randomProvider } from "./providers";
import { operatorTenants } from "./services";

/** Name of the Secret holding a managed database user's connection details. */
export function managedDatabaseSecretName(kind: string, user: string): string {
  return `managed-${kind}-${user}`;
}

/** Namespaces of the cluster-wide components. */
export const PLATFORM_NAMESPACES = {
  certManager: "cert-manager",
  envoyGateway: "envoy-gateway-system",
  argocd: "argocd",
  monitoring: MONITORING_NAMESPACE,
  /** The RabbitMQ Cluster Operator: the namespace of its upstream manifest. */
  rabbitmqOperator: "rabbitmq-system",
  strimzi: "strimzi",
  clickhouseOperator: "clickhouse-operator",
  cloudnativePg: CLOUDNATIVE_PG_NAMESPACE,
} as const;

/** Props of {@link PlatformStack}. */
export interface PlatformStackProps extends HelmLayerStackProps {
  /**
   * The environment owns the cluster: it also installs the cluster-wide components
   * (cert-manager, Envoy Gateway and the GatewayClass, Argo CD, the gp3 StorageClass on EKS). A
   * guest gets its namespace and its own Gateway and issuer.
   */
  readonly ownsCluster: boolean;
  /**
   * Every environment whose workloads run on this cluster (the owner and its guests): the owner
   * installs the operators their services need. @default - the environment alone
   */
  readonly clusterTenants?: readonly Environment[];
}

/**
 * `<env>-<cloud>-platform`: the environment's namespace (Pod Security Admission, standard labels),
 * its edge (a Gateway with an HTTPS listener per host its apps declare, and the ACME issuer of
 * their certificates) and, on a cluster the environment owns, Envoy Gateway with the Gateway API
 * CRDs, cert-manager with its CRDs, Argo CD and the storage class volumes need.
 */
export class PlatformStack extends HelmLayerStack {
  readonly workloadNamespace: WorkloadNamespace;
  readonly certManager?: CertManager;
  readonly envoyGateway?: EnvoyGateway;
  /** The cluster's GatewayClass, in a release of its own (the owner's). */
  readonly gatewayClass?: EnvironmentGateway;
  /** The environment's Gateway and issuer, when its apps declare hosts on this cluster. */
  readonly edge?: EnvironmentGateway;
  readonly argocd?: ArgoCd;
  /** The RabbitMQ Cluster Operator (owner; on when its RabbitMQ, or a guest's, uses it). */
  readonly rabbitmqOperator?: RabbitmqClusterOperator;
  /** The Strimzi cluster operator (owner; an environment on the cluster runs Kafka on it). */
  readonly strimzi?: StrimziOperator;
  /** The CloudNativePG operator and its barman-cloud plugin (owner, platform.cloudnativePg on). */
  readonly cloudnativePg?: CloudNativePg;
  readonly storageClassResource?: Gp3StorageClass;
  /** The metrics stack (owner, monitoring on). */
  readonly kubePrometheusStack?: KubePrometheusStack;
  /** Kubernetes alert rules for the namespace (and, for the owner, the cluster's capacity). */
  readonly alerts?: MonitoringObjects;
  /** The Altinity clickhouse-operator (owner, some environment on the cluster uses it). */
  readonly clickhouseOperator?: ClickhouseOperator;
  /** Secrets with the connection details of managed databases (DigitalOcean). */
  readonly managedDatabaseSecrets: ManagedDatabaseSecret[] = [];
  /** The Spaces key and Secret of PostgreSQL backups (DigitalOcean; modules/common/backup-store.ts). */
  readonly postgresBackupCredentials?: SpacesBackupCredentials;

  constructor(scope: Construct, name: string, props: PlatformStackProps) {
    super(scope, name, props);
    const { platform } = this.env.workloads;
    const labels = { ...this.labels, "app.kubernetes.io/managed-by": "strata" };
    this.workloadNamespace = new WorkloadNamespace(this, "Namespace", {
      name: this.namespace,
      podSecurity: platform.podSecurity,
      labels,
    });
    if (this.cloud === "digitalocean") this.addManagedDatabaseSecrets(labels);
    this.postgresBackupCredentials = this.addPostgresBackupCredentials(labels);
    if (props.ownsCluster) {
      const tenants = props.clusterTenants ?? [this.env];
      const c = this.addClusterComponents(labels, {
        strimzi: operatorTenants(tenants, "kafka", this.cloud).length > 0,
      });
      this.storageClassResource = c.storageClass;
      this.envoyGateway = c.envoyGateway;
      this.gatewayClass = c.gatewayClass;
      this.certManager = c.certManager;
      this.argocd = c.argocd;
      this.rabbitmqOperator = c.rabbitmqOperator;
      this.strimzi = c.strimzi;
      this.cloudnativePg = c.cloudnativePg;
      this.kubePrometheusStack = c.kubePrometheusStack;
      // The operator watches the namespaces of the environments that run ClickHouse on it.
      this.clickhouseOperator = this.addClickhouseOperator(
        operatorTenants(tenants, "clickhouse", this.cloud).map((e) => e.workloads.namespace),
        labels,
      );
    }
    this.edge = this.addEdge();
    this.alerts = this.addAlerts(props.ownsCluster);
  }

  /** The cluster-wide components, on a cluster the environment owns. */
  private addClusterComponents(
    labels: Record<string, string>,
    operators: { readonly strimzi: boolean },
  ): {
    storageClass?: Gp3StorageClass;
    envoyGateway?: EnvoyGateway;
    gatewayClass?: EnvironmentGateway;
    certManager?: CertManager;
    argocd?: ArgoCd;
    rabbitmqOperator?: RabbitmqClusterOperator;
    strimzi?: StrimziOperator;
    kubePrometheusStack?: KubePrometheusStack;
    cloudnativePg?: CloudNativePg;
  } {
    const built: ReturnType<PlatformStack["addClusterComponents"]> = {};
    const { platform, maxHistory, charts } = this.env.workloads;
    const timeoutSeconds = this.env.workloads.timeoutSeconds.platform;

    if (this.cloud === "aws") {
      built.storageClass = new Gp3StorageClass(this, "Gp3", {
        name: this.storageClass,
        labels,
      });
    }
    const common = { labels: this.labels, timeoutSeconds, maxHistory };
    const eg = platform.envoyGateway;
    if (eg.enabled) {
      const ns = new WorkloadNamespace(this, "EnvoyGatewayNamespace", {
        name: PLATFORM_NAMESPACES.envoyGateway,
        // The controller, certgen and every Envoy proxy run non-root with all capabilities
        // dropped and RuntimeDefault seccomp (facts/envoy-gateway.json): restricted.
        podSecurity: "restricted",
        labels,
      });
      built.envoyGateway = new EnvoyGateway(this, "EnvoyGateway", {
        ...common,
        namespace: ns.name,
        version: charts.envoyGateway,
        replicas: eg.replicas,
        resources: eg.resources,
        images: eg.images,
        dependsOn: [ns.namespace],
      });
      // The cluster's GatewayClass in a release of its own: every environment's Gateway on the
      // cluster uses it, so no environment's release owns it.
      built.gatewayClass = new EnvironmentGateway(this, "GatewayClass", {
        name: "gateway-class",
        namespace: ns.name,
        chart: this.localChart("gateway"),
        createGatewayClass: true,
        labels: this.labels,
        timeoutSeconds,
        maxHistory,
        dependsOn: [built.envoyGateway.release.release],
      });
    }
    const cm = platform.certManager;
    if (cm.enabled) {
      const ns = new WorkloadNamespace(this, "CertManagerNamespace", {
        name: PLATFORM_NAMESPACES.certManager,
        podSecurity: "restricted",
        labels,
      });
      built.certManager = new CertManager(this, "CertManager", {
        ...common,
        namespace: ns.name,
        version: charts.certManager,
        replicas: cm.replicas,
        resources: cm.resources,
        images: cm.images,
        metrics: cm.metrics,
        // The gateway-shim watches Gateways: the Gateway API CRDs exist before cert-manager starts.
        gatewayApi: built.envoyGateway !== undefined,
        dependsOn: [
          ns.namespace,
          ...(built.envoyGateway ? [built.envoyGateway.release.release] : []),
        ],
      });
    }
    if (platform.cloudnativePg.enabled) {
      // Operator, plugin and every instance pod they start are restricted-clean
      // (facts/charts.json; CloudNativePG docs/src/security.md). The plugin's certificates come
      // from cert-manager (the schema requires it).
      const ns = new WorkloadNamespace(this, "CloudNativePgNamespace", {
        name: PLATFORM_NAMESPACES.cloudnativePg,
        podSecurity: "restricted",
        labels,
      });
      built.cloudnativePg = new CloudNativePg(this, "CloudNativePg", {
        timeoutSeconds,
        maxHistory,
        labels: this.labels,
        namespace: ns.name,
        version: charts.cloudnativePg,
        pluginVersion: charts.barmanCloudPlugin,
        dependsOn: [
          ns.namespace,
          ...(built.certManager ? [built.certManager.release.release] : []),
        ],
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
      built.argocd = new ArgoCd(this, "ArgoCd", {
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
    const mqOperator = platform.rabbitmqOperator;
    if (mqOperator.enabled) {
      // The operator runs non-root, read-only, no capabilities, seccomp RuntimeDefault; the
      // RabbitMQ pods it creates go to the environments' namespaces (facts/charts.json).
      const ns = new WorkloadNamespace(this, "RabbitmqOperatorNamespace", {
        name: PLATFORM_NAMESPACES.rabbitmqOperator,
        podSecurity: "restricted",
        labels,
      });
      built.rabbitmqOperator = new RabbitmqClusterOperator(this, "RabbitmqOperator", {
        ...common,
        namespace: ns.name,
        version: charts.rabbitmqOperator,
        replicas: mqOperator.replicas,
        resources: mqOperator.resources,
        dependsOn: [ns.namespace],
      });
    }
    if (operators.strimzi) {
      // The operator's container is restricted by default; it makes its operands restricted too
      // (modules/helm/strimzi.ts), in every environment namespace on the cluster.
      const ns = new WorkloadNamespace(this, "StrimziNamespace", {
        name: PLATFORM_NAMESPACES.strimzi,
        podSecurity: "restricted",
        labels,
      });
      built.strimzi = new StrimziOperator(this, "Strimzi", {
        ...common,
        namespace: ns.name,
        version: charts.strimzi,
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
      built.kubePrometheusStack = new KubePrometheusStack(this, "KubePrometheusStack", {
        ...common,
        namespace: ns.name,
        version: charts.kubePrometheusStack,
        storageClass: this.storageClass,
        // GKE's cluster DNS is kube-dns (Strata does not switch GKE to Cloud DNS).
        clusterDns: this.cloud === "gcp" ? "kube-dns" : "coredns",
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
        dependsOn: [ns.namespace, ...(built.storageClass ? [built.storageClass.storageClass] : [])],
      });
    }
    return built;
  }

  /**
   * The Altinity clickhouse-operator in its own namespace (Pod Security restricted: Strata sets
   * every securityContext), watching the namespaces of the environments that use it.
   */
  private addClickhouseOperator(
    namespaces: readonly string[],
    labels: Record<string, string>,
  ): ClickhouseOperator | undefined {
    if (namespaces.length === 0) return undefined;
    const w = this.env.workloads;
    // The operator's login to ClickHouse gets a generated password.
    randomProvider(this);
    const ns = new WorkloadNamespace(this, "ClickhouseOperatorNamespace", {
      name: PLATFORM_NAMESPACES.clickhouseOperator,
      podSecurity: "restricted",
      labels,
    });
    return new ClickhouseOperator(this, "ClickhouseOperator", {
      namespace: ns.name,
      version: w.charts.clickhouseOperator,
      watchNamespaces: namespaces,
      labels: this.labels,
      timeoutSeconds: w.timeoutSeconds.platform,
      maxHistory: w.maxHistory,
      dependsOn: [ns.namespace],
    });
  }

  /**
   * The environment's edge on this cluster, when its apps declare hosts here: its Gateway (an
   * HTTPS listener per host, the load balancer), and the ACME issuer of their certificates.
   */
  private addEdge(): EnvironmentGateway | undefined {
    const w = this.env.workloads;
    const hosts = hostsOnCloud(w.apps, this.cloud);
    if (hosts.length === 0) return undefined;
    const edge = w.edge;
    return new EnvironmentGateway(this, "Edge", {
      namespace: this.namespace,
      chart: this.localChart("gateway"),
      gateway: {
        hosts,
        replicas: edge.replicas,
        resources: WORKLOAD_SIZES[w.size].gatewayProxy.resources,
        serviceAnnotations: loadBalancerAnnotations(
          this.cloud,
          edge.loadBalancer[this.cloud],
          loadBalancerName(this.cluster.name, this.env.name),
        ),
      },
      issuer: {
        name: clusterIssuerName(this.env.name),
        server: ACME_SERVERS[edge.acme!.server],
        email: edge.acme!.email,
      },
      labels: this.labels,
      timeoutSeconds: w.timeoutSeconds.platform,
      maxHistory: w.maxHistory,
      // On the owner's cluster the controllers, their CRDs and the GatewayClass come first; a
      // guest's platform stack depends on the owner's.
      dependsOn: [
        this.workloadNamespace.namespace,
        ...(this.envoyGateway ? [this.envoyGateway.release.release] : []),
        ...(this.certManager ? [this.certManager.release.release] : []),
        ...(this.gatewayClass ? [this.gatewayClass.release.release] : []),
      ],
    });
  }

  /**
   * Kubernetes alert rules for the environment's namespace, and on the owner's cluster for its
   * capacity; a guest's rules need the owner's metrics stack (its platform stack comes first).
   */
  private addAlerts(ownsCluster: boolean): MonitoringObjects | undefined {
    const { thresholds } = this.env.workloads.platform.monitoring;
    if (!ownsCluster) {
      return addMonitoringObjects(
        this,
        "platform",
        { ruleGroups: [namespaceRules(this.namespace, thresholds)] },
        [this.workloadNamespace.namespace],
      );
    }
    if (!this.kubePrometheusStack) return undefined;
    return addMonitoringObjects(
      this,
      "platform",
      { ruleGroups: [namespaceRules(this.namespace, thresholds), clusterRules(thresholds)] },
      [this.workloadNamespace.namespace, this.kubePrometheusStack.release.release],
    );
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

  /**
   * Beside the managed databases' Secrets: the Spaces key of PostgreSQL backups, limited to their
   * bucket (`<env>-do-data`, applied before this stack), and the Secret the database pods read it
   * from. Made here because the data stack has no cluster to write a Secret to, and DigitalOcean
   * hands out a key's secret only when it is created (modules/digitalocean/spaces-backup-credentials.ts).
   */
  private addPostgresBackupCredentials(
    labels: Record<string, string>,
  ): SpacesBackupCredentials | undefined {
    const store = postgresBackupStore(this.env, this.cloud);
    if (store?.credentials.kind !== "secret") return undefined;
    const c = store.credentials;
    return new SpacesBackupCredentials(this, "PostgresBackupCredentials", {
      keyName: c.spacesKeyName,
      bucket: store.bucket,
      secretName: c.secretName,
      namespace: store.namespace,
      accessKeyIdKey: c.accessKeyIdKey,
      secretAccessKeyKey: c.secretAccessKeyKey,
      labels,
      dependsOn: [this.workloadNamespace.namespace],
    });
  }
}

/**
 * The name of an environment's Gateway load balancer (DigitalOcean): `<cluster>-<env>-edge`.
 * DigitalOcean's controller adopts an existing load balancer of the same name anywhere in the
 * account (digitalocean-cloud-controller-manager v0.1.68 do/loadbalancers.go#L452-L500), so the
 * name carries the cluster's, unique in the account, as well as the environment's.
 */
export function loadBalancerName(cluster: string, env: string): string {
  return `${cluster}-${env}-edge`;
}

/** The environment's ACME ClusterIssuer (cluster-scoped: named after the environment). */
export function clusterIssuerName(env: string): string {
  return `${env}-letsencrypt`;
}

/** Every host the environment's apps on `cloud` declare, once each, sorted. */
export function hostsOnCloud(
  apps: Readonly<Record<string, { readonly clouds: readonly string[]; readonly hosts?: unknown }>>,
  cloud: ConfigCloud,
): string[] {
  const all = Object.values(apps).flatMap((app) =>
    app.clouds.includes(cloud) ? hostsOn(app as Parameters<typeof hostsOn>[0], cloud) : [],
  );
  return [...new Set(all)].sort();
}
