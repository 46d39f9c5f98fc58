/**
 * Strata's policy rules. Each has a stable id, the resource types and tiers it applies to, why it
 * matters with its source, and the fix. Checks read the synthesized Terraform JSON, so they judge
 * exactly what `tofu apply` will receive.
 */
import { findLiteralSecrets } from "../secrets";
import { STATEFUL_RESOURCES } from "../stateful-resources";
import IMAGE_POLICY from "../../../facts/image-policy.json";
import { blocks, get, type Rule, type RuleContext, type TfResource } from "./engine";
import {
  formatImageRef,
  frozenRegistryOf,
  imagesOf,
  knownCvesOf,
  mutableTag,
  pinned,
  type ImagePolicyFacts,
  type RunningImage,
  type UnresolvedImage,
} from "./images";

const ALL = ["dev", "staging", "prod"] as const;
const PROD = ["prod"] as const;

/**
 * Resource types that hold data or identity, from the one stateful-resource table the review also
 * uses. Types whose statefulness depends on the resource (helm_release: data charts only) are left
 * to the layers that create them.
 */
export const STATEFUL_TYPES: readonly string[] = Object.entries(STATEFUL_RESOURCES)
  .filter(([, rule]) => rule.appliesTo === undefined)
  .map(([type]) => type);

const set = (v: unknown) => (typeof v === "string" ? v.length > 0 : v !== undefined && v !== null);
const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

/** Names of queues/topics that serve as a dead-letter target of another resource in the stack. */
function deadLetterTargets(ctx: RuleContext): string {
  return ctx.resources
    .filter((r) => r.type === "aws_sqs_queue" || r.type === "google_pubsub_subscription")
    .map((r) =>
      JSON.stringify(
        r.type === "aws_sqs_queue"
          ? (r.config.redrive_policy ?? "")
          : (get(r.config, "dead_letter_policy.dead_letter_topic") ?? ""),
      ),
    )
    .join("\n");
}

function references(haystack: string, r: TfResource): boolean {
  return haystack.includes(`${r.type}.${r.name}.`);
}

/** The image policy's facts (frozen registries, the CVE table): facts/image-policy.json. */
export const IMAGE_FACTS = IMAGE_POLICY as unknown as ImagePolicyFacts;

/** A finding about one image: the release's address, its construct path plus where in it. */
function imageFinding(i: RunningImage | UnresolvedImage, detail: string) {
  return {
    address: `${i.resource.type}.${i.resource.name}`,
    path: `${i.resource.path}/${i.where}`,
    detail,
  };
}

export const RULES: readonly Rule[] = [
  {
    id: "ENC-1",
    title: "Data at rest is encrypted with a customer-managed key",
    resourceTypes: [
      "google_bigtable_instance",
      "google_pubsub_topic",
      "aws_dynamodb_table",
      "aws_sqs_queue",
      "aws_sns_topic",
    ],
    tiers: PROD,
    rationale:
      "a customer-managed key lets you audit, rotate and revoke access to the data independently of the service",
    source:
      "CIS GCP 7.x/6.x CMEK guidance; checkov CKV_AWS_119 (DynamoDB CMK), CKV_AWS_27/CKV_AWS_26 (SQS/SNS), CKV_GCP_82-style CMEK checks",
    fix: "turn customerManagedKeys on for the environment (the prod tier default) so the layer passes its KMS key",
    check: (r) => {
      switch (r.type) {
        case "google_bigtable_instance":
          return blocks(r.config, "cluster").some((c) => !set(get(c, "kms_key_name")))
            ? ["a cluster has no kms_key_name"]
            : [];
        case "google_pubsub_topic":
          return set(r.config.kms_key_name) ? [] : ["kms_key_name is not set"];
        case "aws_dynamodb_table":
          return get(r.config, "server_side_encryption.enabled") === true &&
            set(get(r.config, "server_side_encryption.kms_key_arn"))
            ? []
            : ["server_side_encryption with a kms_key_arn is not set"];
        default:
          return set(r.config.kms_master_key_id) ? [] : ["kms_master_key_id is not set"];
      }
    },
  },
  {
    id: "ENC-2",
    title: "Kubernetes Secrets are envelope-encrypted with a KMS key",
    resourceTypes: ["google_container_cluster", "aws_eks_cluster"],
    tiers: PROD,
    rationale:
      "etcd backups and snapshots otherwise hold Secrets readable by anyone with storage access",
    source: "CIS GKE 5.3.1, CIS EKS 5.3.1; checkov CKV_GCP_71, CKV_AWS_58",
    fix: "keep customerManagedKeys on so the cluster layer configures database_encryption / encryption_config",
    check: (r) =>
      r.type === "google_container_cluster"
        ? get(r.config, "database_encryption.state") === "ENCRYPTED" &&
          set(get(r.config, "database_encryption.key_name"))
          ? []
          : ["database_encryption is not ENCRYPTED with a key_name"]
        : blocks(r.config, "encryption_config").some(
              (e) => Array.isArray(e.resources) && e.resources.includes("secrets"),
            )
          ? []
          : ["encryption_config does not cover secrets"],
  },
  {
    id: "ENC-3",
    title: "Queues and topics are encrypted",
    resourceTypes: ["aws_sqs_queue", "aws_sns_topic"],
    tiers: ALL,
    rationale: "messages carry business data; SNS has no encryption unless a key is set",
    source: "checkov CKV_AWS_27 (SQS), CKV_AWS_26 (SNS); trivy AVD-AWS-0095/0096",
    fix: "set a KMS key (kms_master_key_id) or, for SQS, sqs_managed_sse_enabled",
    check: (r) =>
      set(r.config.kms_master_key_id) ||
      (r.type === "aws_sqs_queue" && r.config.sqs_managed_sse_enabled === true)
        ? []
        : [
            "no kms_master_key_id" +
              (r.type === "aws_sqs_queue" ? " and sqs_managed_sse_enabled is not true" : ""),
          ],
  },
  {
    id: "DEL-1",
    title: "Stateful resources have the cloud's deletion protection",
    resourceTypes: [
      "google_bigtable_instance",
      "google_bigtable_table",
      "google_container_cluster",
      "aws_dynamodb_table",
      "aws_eks_cluster",
    ],
    tiers: PROD,
    rationale: "a mistaken destroy or replacement of a data store is unrecoverable",
    source:
      "provider docs (deletion_protection); checkov CKV_AWS_165-style deletion protection checks",
    fix: "leave deletionProtection on (prod cannot turn it off)",
    check: (r) => {
      switch (r.type) {
        case "google_bigtable_table":
          return r.config.deletion_protection === "PROTECTED"
            ? []
            : ['deletion_protection is not "PROTECTED"'];
        case "aws_dynamodb_table":
          return r.config.deletion_protection_enabled === true
            ? []
            : ["deletion_protection_enabled is not true"];
        case "aws_eks_cluster":
          return r.config.deletion_protection === true ? [] : ["deletion_protection is not true"];
        default:
          // google provider default is true; only an explicit false is a violation.
          return r.config.deletion_protection === false ? ["deletion_protection is false"] : [];
      }
    },
  },
  {
    id: "DEL-2",
    title: "DynamoDB tables have point-in-time recovery",
    resourceTypes: ["aws_dynamodb_table"],
    tiers: PROD,
    rationale:
      "point-in-time recovery restores a table to any second of the last 35 days after a bad write",
    source: "checkov CKV_AWS_28; trivy AVD-AWS-0024",
    fix: "leave point-in-time recovery on in the event store",
    check: (r) =>
      get(r.config, "point_in_time_recovery.enabled") === true
        ? []
        : ["point_in_time_recovery is not enabled"],
  },
  {
    id: "DEL-3",
    title: "Stateful resources carry lifecycle.prevent_destroy",
    resourceTypes: STATEFUL_TYPES,
    tiers: PROD,
    rationale:
      "prevent_destroy stops a plan that would destroy or replace the resource, before the cloud is asked",
    source: "Terraform/OpenTofu lifecycle meta-argument docs",
    fix: "leave preventDestroy on (the prod tier default); remove a resource deliberately by turning it off in a reviewed change",
    check: (r) =>
      get(r.config, "lifecycle.prevent_destroy") === true
        ? []
        : ["lifecycle.prevent_destroy is not true"],
  },
  {
    id: "NET-1",
    title: "Cluster nodes have no public addresses",
    resourceTypes: ["google_container_cluster"],
    tiers: ALL,
    rationale: "public node IPs expose kubelets and node ports to the internet",
    source: "CIS GKE 5.6.5; checkov CKV_GCP_64",
    fix: "keep private nodes on in the cluster config",
    check: (r) =>
      get(r.config, "private_cluster_config.enable_private_nodes") === true
        ? []
        : ["private_cluster_config.enable_private_nodes is not true"],
  },
  {
    id: "NET-2",
    title: "The control-plane endpoint is private or restricted to known networks",
    resourceTypes: [
      "google_container_cluster",
      "aws_eks_cluster",
      "digitalocean_kubernetes_cluster",
    ],
    tiers: ALL,
    rationale:
      "an API server open to the internet is one credential leak away from a cluster takeover",
    source: "CIS GKE 5.6.3, CIS EKS 5.4.2; checkov CKV_GCP_20, CKV_AWS_38/39",
    fix: "list authorized networks (GKE, DOKS firewall) or public access CIDRs (EKS), never 0.0.0.0/0",
    check: (r) => {
      if (r.type === "google_container_cluster") {
        const mans = get(r.config, "master_authorized_networks_config");
        if (!mans) return ["master_authorized_networks_config is not set"];
        const cidrs = blocks(mans, "cidr_blocks").map((c) => String(c.cidr_block));
        return cidrs.some((c) => OPEN_CIDRS.includes(c))
          ? ["an authorized network is open to the internet"]
          : [];
      }
      if (r.type === "aws_eks_cluster") {
        const vpc = get(r.config, "vpc_config") as Record<string, unknown> | undefined;
        if (vpc?.endpoint_private_access !== true)
          return ["vpc_config.endpoint_private_access is not true"];
        if (vpc.endpoint_public_access === false) return [];
        const cidrs = (vpc.public_access_cidrs as string[] | undefined) ?? [];
        return cidrs.length === 0 || cidrs.some((c) => OPEN_CIDRS.includes(c))
          ? ["the public endpoint is open to the internet"]
          : [];
      }
      const fw = get(r.config, "control_plane_firewall") as Record<string, unknown> | undefined;
      const allowed = (fw?.allowed_addresses as string[] | undefined) ?? [];
      return fw?.enabled === true &&
        allowed.length > 0 &&
        !allowed.some((c) => OPEN_CIDRS.includes(c))
        ? []
        : ["control_plane_firewall is not enabled with allowed addresses"];
    },
  },
  {
    id: "IAM-1",
    title: "Workloads use workload identity / IRSA, not node credentials",
    resourceTypes: ["google_container_cluster", "google_container_node_pool", "aws_eks_cluster"],
    tiers: ALL,
    rationale: "pods that borrow the node's identity get every permission of every pod on the node",
    source: "CIS GKE 5.2.1/5.4.1, CIS EKS 4.1.x; checkov CKV_GCP_69, CKV_GCP_72",
    fix: "keep workload identity on (GKE workload pool + GKE_METADATA, a dedicated node service account); EKS needs its OIDC provider",
    check: (r, ctx) => {
      if (r.type === "google_container_cluster") {
        return set(get(r.config, "workload_identity_config.workload_pool"))
          ? []
          : ["workload_identity_config.workload_pool is not set"];
      }
      if (r.type === "google_container_node_pool") {
        const problems: string[] = [];
        if (get(r.config, "node_config.workload_metadata_config.mode") !== "GKE_METADATA")
          problems.push("node_config.workload_metadata_config.mode is not GKE_METADATA");
        if (!set(get(r.config, "node_config.service_account")))
          problems.push(
            "node_config.service_account is not set (the default compute service account would be used)",
          );
        return problems;
      }
      const hasIdentity = ctx.resources.some(
        (x) =>
          x.type === "aws_iam_openid_connect_provider" ||
          (x.type === "aws_eks_addon" && x.config.addon_name === "eks-pod-identity-agent"),
      );
      return hasIdentity
        ? []
        : [
            "the stack has no aws_iam_openid_connect_provider (IRSA) or eks-pod-identity-agent add-on",
          ];
    },
  },
  {
    id: "IAM-2",
    title: "Legacy cluster authentication is off",
    resourceTypes: ["google_container_cluster"],
    tiers: ALL,
    rationale: "legacy ABAC and client certificates bypass RBAC and cannot be revoked",
    source: "CIS GKE 5.8.1/5.8.3; checkov CKV_GCP_7, CKV_GCP_13",
    fix: "leave enable_legacy_abac false and issue_client_certificate false",
    check: (r) => [
      ...(r.config.enable_legacy_abac === true ? ["enable_legacy_abac is true"] : []),
      ...(get(r.config, "master_auth.client_certificate_config.issue_client_certificate") === true
        ? ["master_auth issues client certificates"]
        : []),
    ],
  },
  {
    id: "K8S-1",
    title: "Nodes repair and upgrade themselves",
    resourceTypes: ["google_container_node_pool", "digitalocean_kubernetes_cluster"],
    tiers: ALL,
    rationale: "unpatched nodes accumulate kernel and kubelet CVEs; broken nodes keep serving",
    source: "CIS GKE 5.5.2/5.5.3; checkov CKV_GCP_9, CKV_GCP_10",
    fix: "leave auto-repair and auto-upgrade on (node pool management, DOKS auto_upgrade)",
    check: (r) =>
      r.type === "google_container_node_pool"
        ? get(r.config, "management.auto_repair") === true &&
          get(r.config, "management.auto_upgrade") === true
          ? []
          : ["management.auto_repair and auto_upgrade are not both true"]
        : r.config.auto_upgrade === true
          ? []
          : ["auto_upgrade is not true"],
  },
  {
    id: "MSG-1",
    title: "Every subscription and queue has a dead-letter path",
    resourceTypes: ["google_pubsub_subscription", "aws_sqs_queue"],
    tiers: ALL,
    rationale: "a poison message otherwise redelivers forever and blocks or floods its consumer",
    source:
      "Pub/Sub and SQS docs (dead-letter topics, redrive policy); trivy/checkov messaging best practices",
    fix: "configure maxDeliveryAttempts / maxReceiveCount so the bus creates the dead-letter topic or queue",
    check: (r, ctx) => {
      if (references(deadLetterTargets(ctx), r)) return []; // it is itself a dead-letter target
      if (r.type === "aws_sqs_queue")
        return set(r.config.redrive_policy) || set(r.config.redrive_allow_policy)
          ? []
          : ["no redrive_policy"];
      const topic = String(r.config.topic ?? "");
      const isDeadLetterReader = ctx.resources.some(
        (s) =>
          s.type === "google_pubsub_subscription" &&
          s !== r &&
          String(get(s.config, "dead_letter_policy.dead_letter_topic") ?? "") === topic &&
          topic !== "",
      );
      return isDeadLetterReader || set(get(r.config, "dead_letter_policy.dead_letter_topic"))
        ? []
        : ["no dead_letter_policy"];
    },
  },
  {
    id: "HELM-1",
    title: "Helm releases are atomic, wait, and clean up on failure",
    resourceTypes: ["helm_release"],
    tiers: ALL,
    rationale: "a half-applied release leaves a broken workload that the next apply may not repair",
    source: "Terraform helm provider docs (atomic, wait, wait_for_jobs, cleanup_on_fail)",
    fix: "create releases through the modules/helm constructs (they set atomic, wait, wait_for_jobs, cleanup_on_fail)",
    check: (r) =>
      ["atomic", "cleanup_on_fail", "wait_for_jobs"]
        .filter((k) => r.config[k] !== true)
        .map((k) => `${k} is not true`)
        .concat(r.config.wait === false ? ["wait is false"] : []),
  },
  {
    id: "VER-1",
    title: "Chart versions are pinned",
    resourceTypes: ["helm_release"],
    tiers: ALL,
    rationale: "an unpinned chart changes under you on the next apply",
    source: "Helm best practices; Terraform helm provider docs (version)",
    fix: "pin the chart version in the environment config",
    check: (r) => {
      const local =
        !set(r.config.repository) && /^(\.{0,2}\/|assets\/)/.test(String(r.config.chart ?? ""));
      return local || /^v?\d+\.\d+\.\d+/.test(String(r.config.version ?? ""))
        ? []
        : [`version "${String(r.config.version ?? "")}" is not an exact version`];
    },
  },
  {
    id: "VER-2",
    title: "Providers are pinned to exact versions",
    resourceTypes: [],
    tiers: ALL,
    rationale: "a provider upgrade changes plans; it should arrive as a reviewed change",
    source: "OpenTofu provider requirements docs",
    fix: "keep the version the prebuilt binding was generated for (StrataStack emits it)",
    checkStack: (ctx) =>
      Object.entries(ctx.json.terraform?.required_providers ?? {})
        .filter(
          ([, p]) => !/^\d+\.\d+\.\d+$/.test(p.version ?? "") || !(p.source ?? "").includes("/"),
        )
        .map(([name, p]) => ({
          address: `provider.${name}`,
          detail: `source "${p.source ?? ""}" version "${p.version ?? ""}" is not qualified and exact`,
        })),
  },
  {
    id: "SEC-1",
    title: "No plaintext secret values in the configuration",
    resourceTypes: [],
    tiers: ALL,
    rationale: "anything in cdktf.out is in git history, CI logs and plan files",
    source: "checkov CKV_SECRET_*; trivy secret scanning",
    fix: "generate passwords with random_password into Kubernetes Secrets, or reference a secret manager; pass Secret names to charts",
    checkStack: (ctx) => {
      const out: Array<{ address: string; detail: string }> = [];
      for (const r of ctx.resources) {
        for (const f of findLiteralSecrets(r.config))
          out.push({ address: `${r.type}.${r.name}`, detail: `${f.path.join(".")} ${f.reason}` });
      }
      for (const [section, value] of Object.entries({
        provider: ctx.json.provider,
        variable: ctx.json.variable,
        output: ctx.json.output,
        locals: ctx.json.locals,
      })) {
        for (const f of findLiteralSecrets(value))
          out.push({ address: section, detail: `${f.path.join(".")} ${f.reason}` });
      }
      return out;
    },
  },
  {
    id: "IMG-1",
    title: "No image from a frozen registry",
    resourceTypes: [],
    tiers: ALL,
    rationale:
      "a frozen registry gets no security fixes: every CVE found after the freeze stays in the image",
    source:
      "Bitnami catalog changes of August 28th, 2025 (bitnami/containers#83267, bitnami/charts#35164); facts/image-policy.json",
    fix: "run a maintained image (an operator or chart whose images are maintained, or a maintained registry via workloads.images); until then waive it with the migration that replaces it",
    checkStack: (ctx) => {
      const { images } = imagesOf(ctx.resources);
      return images.flatMap((i) => {
        const frozen = frozenRegistryOf(i.image, IMAGE_FACTS.frozenRegistries);
        return frozen
          ? [
              imageFinding(
                i,
                `${i.where} runs ${formatImageRef(i.image)} (${i.from}) from ${frozen.prefix}: ${frozen.why}`,
              ),
            ]
          : [];
      });
    },
  },
  {
    id: "IMG-2",
    title: "Images are pinned: never latest or untagged; prod to an exact version or digest",
    resourceTypes: [],
    tiers: ALL,
    rationale:
      "a mutable tag runs whatever was pushed last: the same config deploys different code, and a rollback does not roll back",
    source:
      "Kubernetes docs (Images: image pull policy, 'avoid the :latest tag in production'); checkov CKV_K8S_14/CKV_K8S_43; facts/charts.json for chart defaults",
    fix: 'set the image tag to an exact version (1.4.2) or a digest (sha256:…), never "latest"; an image Strata cannot resolve needs its chart\'s defaultImages in facts/charts.json or image values Strata reads',
    checkStack: (ctx) => {
      const prod = ctx.tier === "prod";
      const { images, unresolved } = imagesOf(ctx.resources);
      return [
        ...unresolved.map((u) =>
          imageFinding(u, `cannot tell which image ${u.where} runs: ${u.reason}`),
        ),
        ...images.flatMap((i) => {
          const ref = formatImageRef(i.image);
          const mutable = mutableTag(i.image);
          if (mutable)
            return [imageFinding(i, `${i.where} runs ${ref} (${i.from}), which ${mutable}`)];
          return prod && !pinned(i.image)
            ? [
                imageFinding(
                  i,
                  `${i.where} runs ${ref} (${i.from}): tag "${i.image.tag ?? ""}" is not an exact version or digest (prod)`,
                ),
              ]
            : [];
        }),
      ];
    },
  },
  {
    id: "IMG-3",
    title: "No image below the fixed version of a known critical CVE or security floor",
    resourceTypes: [],
    tiers: ALL,
    rationale: "a known critical CVE with a published fix is the first thing an attacker tries",
    source:
      "the advisories cited in facts/image-policy.json (Redis GHSA-4789-qfc9-5f9q, n8n GHSA-v98v-ff95-f3cp and GHSA-6cqr-8cfr-67f8, Valkey 8.1.4/8.0.6, Meilisearch 1.48.2)",
    fix: "upgrade the image to a fixed version of its release line (facts/image-policy.json lists them); tag it with its version so the gate can read it",
    checkStack: (ctx) => {
      const { images } = imagesOf(ctx.resources);
      return images.flatMap((i) => {
        const ref = formatImageRef(i.image);
        const found = knownCvesOf(i.image, IMAGE_FACTS.cves);
        if (found === "unknown")
          return [
            imageFinding(
              i,
              `${i.where} runs ${ref} (${i.from}): its tag carries no version to check against ${IMAGE_FACTS.cves
                .filter((c) => c.images.some((n) => ref.includes(n)))
                .map((c) => c.id)
                .join(", ")}`,
            ),
          ];
        return found.map((c) =>
          imageFinding(
            i,
            `${i.where} runs ${ref} (${i.from}), affected by ${c.id} (${c.advisory}, ${c.severity}): ${c.title}; fixed in ${c.fixedVersions.join(", ")} (${c.url})`,
          ),
        );
      });
    },
  },
];
