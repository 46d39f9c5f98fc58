/** Where an environment's Helm layers run: its own clusters, or another environment's cluster. */
import { z } from "zod";
import { NAME_RULES } from "../../modules/common/naming";
import { named, obj } from "./common";

export const ConfigCloud = z.enum(["gcp", "aws", "digitalocean"]);
export type ConfigCloud = z.infer<typeof ConfigCloud>;

/** Namespaces every cluster already has; workloads never go there. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export const Workloads = obj({
  /** Kubernetes namespace of this environment's workloads. @default - the environment name */
  namespace: named(NAME_RULES.dnsLabel)
    .refine((ns) => !RESERVED_NAMESPACES.includes(ns) && !ns.startsWith("kube-"), {
      error: (i) =>
        `namespace ${JSON.stringify(i.input)} belongs to Kubernetes itself (default, kube-*); choose a namespace of the environment's own`,
    })
    .optional(),
  /**
   * Run on another environment's cluster instead of clusters of this environment's own
   * (staging on prod's cluster, isolated by namespace). That environment must have a cluster on
   * that cloud and must not itself share one; an environment that shares declares no clusters
   * of its own (on any cloud).
   */
  sharedCluster: obj({ environment: z.string(), cloud: ConfigCloud }).optional(),
});
