/**
 * The annotations of a Gateway's load balancer Service on each cloud, as the cloud's own
 * load-balancer controller reads them (no extra controller installed): facts/load-balancers.json,
 * read from cloud-provider-aws v1.36.1, digitalocean-cloud-controller-manager v0.1.68 and GKE's
 * documented Service parameters (ingress-gce source).
 */
import FACTS from "../../facts/load-balancers.json";

export type LoadBalancerCloud = "gcp" | "aws" | "digitalocean";

/** What the environment configures for one cloud's load balancer. */
export interface LoadBalancerSettings {
  readonly internal: boolean;
  readonly annotations: Readonly<Record<string, string>>;
  /** GCP: a reserved regional address's name. */
  readonly addressName?: string;
  /** AWS: Elastic IP allocation ids, one per public subnet. */
  readonly eipAllocations?: readonly string[];
  /** DigitalOcean: load balancer size units. */
  readonly sizeUnit?: number;
}

/** Annotation prefixes each cloud's controller owns: a key under one must be a known annotation. */
export const LOAD_BALANCER_PREFIXES: Readonly<Record<LoadBalancerCloud, readonly string[]>> = {
  gcp: ["networking.gke.io/", "cloud.google.com/"],
  aws: ["service.beta.kubernetes.io/aws-load-balancer-"],
  digitalocean: [
    "service.beta.kubernetes.io/do-loadbalancer-",
    "service.kubernetes.io/do-loadbalancer-",
    "kubernetes.digitalocean.com/",
  ],
};

/** The annotation keys the cloud's controller reads (facts/load-balancers.json). */
export function knownAnnotations(cloud: LoadBalancerCloud): readonly string[] {
  return Object.keys(FACTS[cloud].annotations);
}

/**
 * Why an annotation the environment sets would not do what it says on `cloud`: a key under the
 * cloud's prefixes its controller does not read (a typo, or one only the AWS Load Balancer
 * Controller reads), or a value that makes EKS's controller skip the Service.
 */
export function annotationProblem(
  cloud: LoadBalancerCloud,
  key: string,
  value: string,
): string | undefined {
  const known = knownAnnotations(cloud);
  if (LOAD_BALANCER_PREFIXES[cloud].some((p) => key.startsWith(p)) && !known.includes(key)) {
    const lbc =
      cloud === "aws"
        ? " (the AWS Load Balancer Controller's annotations need that controller, which Strata does not install)"
        : "";
    return `${key} is not an annotation ${cloud}'s load-balancer controller reads${lbc}; see facts/load-balancers.json`;
  }
  if (
    cloud === "aws" &&
    key === "service.beta.kubernetes.io/aws-load-balancer-type" &&
    value !== "nlb"
  ) {
    return `${key}: ${JSON.stringify(value)} makes EKS's controller skip the Service (or build a Classic ELB); Strata sets "nlb"`;
  }
  return undefined;
}

/** The load balancer Service's annotations for a Gateway of environment `env`. */
export function loadBalancerAnnotations(
  cloud: LoadBalancerCloud,
  lb: LoadBalancerSettings,
  name: string,
): Record<string, string> {
  const own: Record<string, string> = {};
  if (cloud === "gcp") {
    // Backend-service-based passthrough NLB (Google's recommended external L4 load balancer).
    if (lb.internal) own["networking.gke.io/load-balancer-type"] = "Internal";
    else own["cloud.google.com/l4-rbs"] = "enabled";
    if (lb.addressName) own["networking.gke.io/load-balancer-ip-addresses"] = lb.addressName;
  } else if (cloud === "aws") {
    // An NLB: without the annotation EKS's controller builds a Classic ELB, and the type cannot
    // change after creation.
    own["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb";
    if (lb.internal) own["service.beta.kubernetes.io/aws-load-balancer-internal"] = "true";
    if (lb.eipAllocations?.length) {
      own["service.beta.kubernetes.io/aws-load-balancer-eip-allocations"] =
        lb.eipAllocations.join(",");
    }
  } else {
    own["service.beta.kubernetes.io/do-loadbalancer-name"] = name;
    // size-unit and the deprecated size-slug exclude each other.
    if (!lb.annotations["service.beta.kubernetes.io/do-loadbalancer-size-slug"]) {
      own["service.beta.kubernetes.io/do-loadbalancer-size-unit"] = String(lb.sizeUnit ?? 1);
    }
    if (lb.internal) own["service.beta.kubernetes.io/do-loadbalancer-network"] = "INTERNAL";
  }
  return { ...own, ...lb.annotations };
}
