/**
 * Which Terraform resource types hold data, and which of their attributes force the provider to
 * destroy and recreate them. Used by `npm run review` to put dangerous changes first (and to exit
 * 2 for prod); a policy gate can reuse it.
 *
 * Force-new paths are Terraform attribute paths with `*` for a list index (`cluster.*.zone`). They
 * come from the provider schemas (`ForceNew: true`) and the "forces a new resource" / "delete and
 * recreate" notes of the provider docs, for the provider versions Strata pins (google 6.50, aws
 * 6.25, digitalocean 2.71, helm 3.1, kubernetes 2.38). Each rule cites its source. The list is
 * conservative: a path missing here is reported as an in-place change, so add paths when a
 * provider documents a new one.
 */
import { PROJECT_CHART_BY_ASSET } from "./project-charts";

/** What the review knows about one stateful resource type. */
export interface StatefulRule {
  /** What the resource is, for messages: "Bigtable instance". */
  readonly what: string;
  /** Attribute paths whose change replaces the resource (`*` matches a list index). */
  readonly forceNew: readonly string[];
  /** Narrows the rule to some resources of the type (helm_release: data charts only). @default - every resource of the type */
  readonly appliesTo?: (resource: Readonly<Record<string, unknown>>) => boolean;
  /** What destroying it does. @default "its data is lost" */
  readonly consequence?: string;
  /** Where the force-new paths come from. */
  readonly source: string;
}

const GOOGLE_DOCS =
  "https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources";
const AWS_DOCS = "https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources";
const DO_SRC =
  "https://github.com/digitalocean/terraform-provider-digitalocean/blob/main/digitalocean";

/** Helm charts whose releases keep data in persistent volumes (Bitnami and upstream names). */
export const DATA_CHARTS: readonly string[] = [
  "postgresql",
  "postgresql-ha",
  "redis",
  "redis-cluster",
  "valkey",
  // charts/postgres-cluster (a CloudNativePG Cluster: deleting it deletes its volumes).
  "postgres-cluster",
  "rabbitmq",
  "rabbitmq-cluster",
  "kafka",
  "kafka-cluster",
  "clickhouse",
  // Strata's chart of the Altinity operator's ClickHouseInstallation and ClickHouseKeeperInstallation.
  "clickhouse-cluster",
  "meilisearch",
  "mongodb",
  "mysql",
  "elasticsearch",
  "opensearch",
];

/**
 * The chart's base name: `oci://registry-1.docker.io/bitnamicharts/postgresql` → `postgresql`,
 * a chart of charts/ by its asset id, `./assets/RabbitmqClusterChart/<hash>` → `rabbitmq-cluster`.
 */
function chartName(resource: Readonly<Record<string, unknown>>): string {
  const chart = typeof resource.chart === "string" ? resource.chart : "";
  const asset = /(?:^|\/)assets\/([A-Za-z]+)\//.exec(chart);
  if (asset) return PROJECT_CHART_BY_ASSET[asset[1]] ?? asset[1];
  return chart.split("/").pop() ?? "";
}

/** Stateful resource types, by Terraform type. */
export const STATEFUL_RESOURCES: Readonly<Record<string, StatefulRule>> = {
  google_bigtable_instance: {
    what: "Bigtable instance",
    // name/project are the instance id; changing a cluster's storage_type, zone or kms_key_name
    // "will cause Terraform to delete/recreate the entire google_bigtable_instance resource".
    forceNew: [
      "name",
      "project",
      "cluster.*.storage_type",
      "cluster.*.zone",
      "cluster.*.kms_key_name",
      "cluster.*.node_scaling_factor",
    ],
    source: `${GOOGLE_DOCS}/bigtable_instance`,
  },
  google_bigtable_table: {
    what: "Bigtable table",
    // "Modifying the split_keys of an existing table will cause Terraform to delete/recreate the entire table".
    forceNew: ["name", "instance_name", "project", "split_keys"],
    source: `${GOOGLE_DOCS}/bigtable_table`,
  },
  google_container_cluster: {
    what: "GKE cluster",
    forceNew: [
      "name",
      "location",
      "project",
      "network",
      "subnetwork",
      "networking_mode",
      "enable_autopilot",
      "initial_node_count",
      "ip_allocation_policy.*.cluster_secondary_range_name",
      "ip_allocation_policy.*.services_secondary_range_name",
      "ip_allocation_policy.*.cluster_ipv4_cidr_block",
      "ip_allocation_policy.*.services_ipv4_cidr_block",
      "private_cluster_config.*.master_ipv4_cidr_block",
    ],
    source: `${GOOGLE_DOCS}/container_cluster`,
  },
  google_pubsub_topic: {
    what: "Pub/Sub topic",
    forceNew: ["name", "project"],
    source: `${GOOGLE_DOCS}/pubsub_topic`,
  },
  google_pubsub_subscription: {
    what: "Pub/Sub subscription",
    forceNew: ["name", "project", "topic", "enable_message_ordering", "filter"],
    source: `${GOOGLE_DOCS}/pubsub_subscription`,
  },
  google_kms_key_ring: {
    what: "KMS key ring",
    consequence: "GCP cannot delete key rings: it only leaves state, and its name cannot be reused",
    forceNew: ["name", "location", "project"],
    source: `${GOOGLE_DOCS}/kms_key_ring`,
  },
  google_kms_crypto_key: {
    what: "KMS crypto key",
    consequence: "its versions are destroyed and data encrypted with them becomes unreadable",
    forceNew: [
      "name",
      "key_ring",
      "purpose",
      "import_only",
      "skip_initial_version_creation",
      "version_template.*.protection_level",
    ],
    source: `${GOOGLE_DOCS}/kms_crypto_key`,
  },
  google_sql_database_instance: {
    what: "Cloud SQL instance",
    forceNew: ["name", "project", "region", "encryption_key_name"],
    source: `${GOOGLE_DOCS}/sql_database_instance`,
  },
  google_storage_bucket: {
    what: "Cloud Storage bucket",
    forceNew: ["name", "project", "location"],
    source: `${GOOGLE_DOCS}/storage_bucket`,
  },
  aws_dynamodb_table: {
    what: "DynamoDB table",
    // The key schema and local secondary indexes are fixed at creation (CreateTable only).
    forceNew: ["name", "hash_key", "range_key", "local_secondary_index"],
    source: `${AWS_DOCS}/dynamodb_table`,
  },
  aws_backup_vault: {
    what: "AWS Backup vault",
    // name and kms_key_arn are ForceNew (terraform-provider-aws v6.25.0 internal/service/backup/vault.go).
    forceNew: ["name", "kms_key_arn"],
    consequence: "its recovery points are deleted with it",
    source:
      "https://github.com/hashicorp/terraform-provider-aws/blob/v6.25.0/internal/service/backup/vault.go",
  },
  aws_eks_cluster: {
    what: "EKS cluster",
    forceNew: [
      "name",
      "role_arn",
      "bootstrap_self_managed_addons",
      "kubernetes_network_config.*.service_ipv4_cidr",
      "kubernetes_network_config.*.ip_family",
    ],
    source: `${AWS_DOCS}/eks_cluster`,
  },
  aws_sqs_queue: {
    what: "SQS queue",
    forceNew: ["name", "name_prefix", "fifo_queue"],
    source: `${AWS_DOCS}/sqs_queue`,
  },
  aws_sns_topic: {
    what: "SNS topic",
    forceNew: ["name", "name_prefix", "fifo_topic"],
    source: `${AWS_DOCS}/sns_topic`,
  },
  aws_kms_key: {
    what: "KMS key",
    consequence: "it is scheduled for deletion and data encrypted with it becomes unreadable",
    forceNew: [
      "customer_master_key_spec",
      "key_usage",
      "multi_region",
      "custom_key_store_id",
      "xks_key_id",
    ],
    source: `${AWS_DOCS}/kms_key`,
  },
  aws_db_instance: {
    what: "RDS instance",
    forceNew: ["identifier", "engine", "storage_encrypted", "kms_key_id", "availability_zone"],
    source: `${AWS_DOCS}/db_instance`,
  },
  aws_s3_bucket: {
    what: "S3 bucket",
    forceNew: ["bucket", "bucket_prefix"],
    source: `${AWS_DOCS}/s3_bucket`,
  },
  aws_msk_cluster: {
    what: "MSK cluster",
    forceNew: ["cluster_name"],
    source: `${AWS_DOCS}/msk_cluster`,
  },
  digitalocean_kubernetes_cluster: {
    what: "DOKS cluster",
    forceNew: ["region", "vpc_uuid", "cluster_subnet", "service_subnet"],
    source: `${DO_SRC}/kubernetes/resource_kubernetes_cluster.go`,
  },
  digitalocean_database_cluster: {
    what: "DigitalOcean managed database",
    // ForceNew in the resource schema: name, engine, private_network_uuid, project_id (region migrates in place).
    forceNew: ["name", "engine", "private_network_uuid", "project_id"],
    source: `${DO_SRC}/database/resource_database_cluster.go`,
  },
  digitalocean_spaces_bucket: {
    what: "Spaces bucket",
    // Only region is ForceNew (v2.71.0 digitalocean/spaces/resource_spaces_bucket.go#L48); the
    // id is the name, so a new name reads as another bucket: treat it as a replacement too.
    forceNew: ["name", "region"],
    consequence:
      "its objects (backups) are deleted with it, or the destroy fails while it holds any",
    source:
      "https://github.com/digitalocean/terraform-provider-digitalocean/blob/v2.71.0/digitalocean/spaces/resource_spaces_bucket.go#L48",
  },
  helm_release: {
    what: "Helm release of a data chart",
    consequence: "its persistent volume claims and their data are deleted",
    forceNew: ["name", "namespace"],
    appliesTo: (resource) => DATA_CHARTS.includes(chartName(resource)),
    source: "https://registry.terraform.io/providers/hashicorp/helm/3.1.1/docs/resources/release",
  },
  kubernetes_persistent_volume_claim: {
    what: "persistent volume claim",
    forceNew: [
      "metadata.*.name",
      "metadata.*.namespace",
      "spec.*.access_modes",
      "spec.*.storage_class_name",
      "spec.*.selector",
      "spec.*.volume_name",
    ],
    source:
      "https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/persistent_volume_claim",
  },
  kubernetes_persistent_volume_claim_v1: {
    what: "persistent volume claim",
    forceNew: [
      "metadata.*.name",
      "metadata.*.namespace",
      "spec.*.access_modes",
      "spec.*.storage_class_name",
      "spec.*.selector",
      "spec.*.volume_name",
    ],
    source:
      "https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/persistent_volume_claim_v1",
  },
};

/** The rule for a resource when it holds data, else undefined. */
export function statefulRule(
  type: string,
  resource: Readonly<Record<string, unknown>> = {},
): StatefulRule | undefined {
  const rule = STATEFUL_RESOURCES[type];
  if (!rule) return undefined;
  return !rule.appliesTo || rule.appliesTo(resource) ? rule : undefined;
}

/**
 * The force-new path a changed attribute path falls under, else undefined. `path` is a list of
 * keys and indexes (`["cluster", 0, "zone"]`); a change below a force-new path counts
 * (`spec.0.selector.0.match_labels.app` is under `spec.*.selector`).
 */
export function forceNewPath(
  rule: StatefulRule,
  path: ReadonlyArray<string | number>,
): string | undefined {
  const parts = path.map((p) => (typeof p === "number" ? "*" : p));
  return rule.forceNew.find((pattern) => {
    const want = pattern.split(".");
    return want.length <= parts.length && want.every((w, i) => w === parts[i]);
  });
}
