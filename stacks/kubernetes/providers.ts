/**
 * The helm and kubernetes providers of a Helm-layer stack, configured from the target cluster
 * looked up by name (never a kubeconfig file): GKE, EKS or DOKS. Authentication is either an
 * exec credential plugin, run on every call so long applies never hold an expired token (the
 * default), or a token read once at plan time.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { DataDigitaloceanKubernetesCluster } from "@cdktf/provider-digitalocean/lib/data-digitalocean-kubernetes-cluster";
import { DigitaloceanProvider } from "@cdktf/provider-digitalocean/lib/provider";
import { DataGoogleClientConfig } from "@cdktf/provider-google/lib/data-google-client-config";
import { DataGoogleContainerCluster } from "@cdktf/provider-google/lib/data-google-container-cluster";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Fn } from "cdktf";
import type { Construct } from "constructs";
import type { ClusterRef } from "./cluster-ref";

/** How the providers authenticate to the cluster. */
export type ClusterAuth = "exec" | "token";

/** The Kubernetes client credential API the plugins speak. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** A connection to a cluster: endpoint, CA and one way to authenticate. */
export interface ClusterConnection {
  readonly host: string;
  readonly clusterCaCertificate: string;
  readonly token?: string;
  readonly exec?: {
    readonly apiVersion: string;
    readonly command: string;
    readonly args: string[];
  };
}

/** The providers of a Helm-layer stack. */
export interface ClusterProviders {
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  readonly connection: ClusterConnection;
}

/** Options of {@link clusterProviders}. */
export interface ClusterProvidersOptions {
  /** @default "exec" */
  readonly auth?: ClusterAuth;
  /** AWS: refuse any other account. @default - any */
  readonly awsAccountId?: string;
}

/**
 * Adds the cloud provider, the cluster data sources and the helm + kubernetes providers to a
 * stack. The cloud provider is needed only to look the cluster up.
 */
export function clusterProviders(
  scope: Construct,
  ref: ClusterRef,
  options: ClusterProvidersOptions = {},
): ClusterProviders {
  const auth = options.auth ?? "exec";
  const connection = clusterConnection(scope, ref, auth, options);
  const helm = new HelmProvider(scope, "helm", {
    kubernetes: {
      host: connection.host,
      clusterCaCertificate: connection.clusterCaCertificate,
      ...(connection.token !== undefined ? { token: connection.token } : {}),
      ...(connection.exec ? { exec: { ...connection.exec } } : {}),
    },
  });
  const kubernetes = new KubernetesProvider(scope, "kubernetes", {
    host: connection.host,
    clusterCaCertificate: connection.clusterCaCertificate,
    ...(connection.token !== undefined ? { token: connection.token } : {}),
    ...(connection.exec ? { exec: [{ ...connection.exec }] } : {}),
  });
  return { helm, kubernetes, connection };
}

/** The random provider, for stacks that generate passwords. */
export function randomProvider(scope: Construct): RandomProvider {
  return new RandomProvider(scope, "random", {});
}

function clusterConnection(
  scope: Construct,
  ref: ClusterRef,
  auth: ClusterAuth,
  options: ClusterProvidersOptions,
): ClusterConnection {
  switch (ref.cloud) {
    case "gcp": {
      new GoogleProvider(scope, "google", { project: ref.project });
      const cluster = new DataGoogleContainerCluster(scope, "Cluster", {
        name: ref.name,
        location: ref.location,
        project: ref.project,
      });
      const base = {
        host: `https://${cluster.endpoint}`,
        clusterCaCertificate: Fn.base64decode(cluster.masterAuth.get(0).clusterCaCertificate),
      };
      if (auth === "token") {
        // An OAuth access token of the caller: valid for 1 hour.
        const client = new DataGoogleClientConfig(scope, "ClientConfig", {});
        return { ...base, token: client.accessToken };
      }
      // gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin).
      return {
        ...base,
        exec: { apiVersion: EXEC_API_VERSION, command: "gke-gcloud-auth-plugin", args: [] },
      };
    }
    case "aws": {
      new AwsProvider(scope, "aws", {
        region: ref.region,
        ...(options.awsAccountId ? { allowedAccountIds: [options.awsAccountId] } : {}),
      });
      const cluster = new DataAwsEksCluster(scope, "Cluster", { name: ref.name });
      const base = {
        host: cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      };
      if (auth === "token") {
        // Valid for 15 minutes from plan time: long applies outlive it.
        const token = new DataAwsEksClusterAuth(scope, "ClusterAuth", { name: ref.name });
        return { ...base, token: token.token };
      }
      return {
        ...base,
        exec: {
          apiVersion: EXEC_API_VERSION,
          command: "aws",
          args: [
            "eks",
            "get-token",
            "--cluster-name",
            ref.name,
            "--region",
            ref.region,
            "--output",
            "json",
          ],
        },
      };
    }
    case "digitalocean": {
      new DigitaloceanProvider(scope, "digitalocean", {});
      const cluster = new DataDigitaloceanKubernetesCluster(scope, "Cluster", { name: ref.name });
      const kubeConfig = cluster.kubeConfig.get(0);
      const base = {
        host: cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(kubeConfig.clusterCaCertificate),
      };
      if (auth === "token") {
        // The kube_config token of the API token's user: valid for 7 days.
        return { ...base, token: kubeConfig.token };
      }
      return {
        ...base,
        exec: {
          apiVersion: EXEC_API_VERSION,
          command: "doctl",
          args: [
            "kubernetes",
            "cluster",
            "kubeconfig",
            "exec-credential",
            "--version=v1beta1",
            cluster.id,
          ],
        },
      };
    }
  }
}
