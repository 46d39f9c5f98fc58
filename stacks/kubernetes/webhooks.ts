/**
 * The admission webhooks the platform layer installs on a cluster it owns, and the ports their
 * servers listen on in the pods: a private control plane must reach each (GKE opens only some:
 * modules/gcp/gke-cluster.ts). Argo CD installs no admission webhook (facts/charts.json); the
 * Prometheus Operator validates and mutates PrometheusRules.
 */
import type { Environment } from "../../environments/schema";
import { CLOUDNATIVE_PG_WEBHOOK_PORT } from "../../modules/helm/cloudnative-pg";
import { CERT_MANAGER_WEBHOOK_PORT } from "../../modules/helm/cert-manager";
import { ENVOY_GATEWAY_WEBHOOK_PORT } from "../../modules/helm/envoy-gateway";
import { PROMETHEUS_OPERATOR_WEBHOOK_PORT } from "../../modules/helm/kube-prometheus-stack";

/** Webhook ports of the platform charts an environment enables on its own cluster. */
export function platformWebhookPorts(platform: Environment["workloads"]["platform"]): number[] {
  return [
    ...(platform.certManager.enabled ? [CERT_MANAGER_WEBHOOK_PORT] : []),
    ...(platform.envoyGateway.enabled ? [ENVOY_GATEWAY_WEBHOOK_PORT] : []),
    ...(platform.monitoring.enabled ? [PROMETHEUS_OPERATOR_WEBHOOK_PORT] : []),
    ...(platform.cloudnativePg.enabled ? [CLOUDNATIVE_PG_WEBHOOK_PORT] : []),
  ];
}
