/**
 * The one place where stack names and physical resource names are made.
 * Stack: `<env>-<cloud>-<layer>`. Resource: `<env>-<component>`.
 */

/** Cloud codes as they appear in stack names. */
export const CLOUDS = ["gcp", "aws", "do"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Layers in dependency order (docs/architecture-and-extending.md). */
export const LAYERS = [
  "network",
  "cluster",
  "data",
  "messaging",
  "platform",
  "databases",
  "buses",
  "apps",
] as const;
export type Layer = (typeof LAYERS)[number];

/** Stack name for an environment, cloud and layer: `prod-gcp-cluster`. */
export function stackName(env: string, cloud: Cloud, layer: Layer): string {
  return `${env}-${cloud}-${layer}`;
}

/** The `-<cloud>-<layer>` end of a stack name; groups 1 and 2 are the cloud and the layer. */
export const STACK_SUFFIX_RE = new RegExp(`-(${CLOUDS.join("|")})-(${LAYERS.join("|")})$`);

/** Pattern every stack name matches. */
export const STACK_NAME_RE = new RegExp(`^[a-z][a-z0-9-]*${STACK_SUFFIX_RE.source}`);

/** A cloud's naming rule for one kind of resource. */
export interface NameRule {
  /** What the rule applies to, for messages ("GCP resource name"). */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** The allowed characters in words, for messages. */
  readonly charset: string;
}

/** Naming rules of the clouds, with their sources. */
export const NAME_RULES = {
  /** RFC 1035 label: most GCP resources. @see https://cloud.google.com/compute/docs/naming-resources */
  gcp: {
    what: "GCP resource name",
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    charset: "lower-case letters, digits and hyphens, starting with a letter",
  },
  /** GCP project id. @see https://cloud.google.com/resource-manager/docs/creating-managing-projects */
  gcpProject: {
    what: "GCP project id",
    minLength: 6,
    maxLength: 30,
    pattern: /^[a-z][-a-z0-9]*[a-z0-9]$/,
    charset: "lower-case letters, digits and hyphens, starting with a letter",
  },
  /** Label keys and values. @see https://cloud.google.com/resource-manager/docs/labels-overview */
  gcpLabel: {
    what: "GCP label value",
    minLength: 0,
    maxLength: 63,
    pattern: /^[a-z0-9_-]*$/,
    charset: "lower-case letters, digits, underscores and hyphens",
  },
  /** Kubernetes namespaces and most object names (RFC 1123 label). */
  dnsLabel: {
    what: "DNS label",
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    charset: "lower-case letters, digits and hyphens, starting and ending alphanumeric",
  },
  /** DigitalOcean resource names. */
  digitalocean: {
    what: "DigitalOcean resource name",
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    charset: "lower-case letters, digits, dots and hyphens",
  },
  /** AWS names used for VPC-level tags, IAM roles and log groups share this conservative rule. */
  aws: {
    what: "AWS resource name",
    minLength: 1,
    maxLength: 64,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    charset: "letters, digits, underscores, dots and hyphens",
  },
} satisfies Record<string, NameRule>;

/** Returns a message when `name` breaks `rule`, else undefined. */
export function checkName(name: string, rule: NameRule): string | undefined {
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    return `${rule.what} "${name}" is ${name.length} characters; it must be ${rule.minLength}–${rule.maxLength}`;
  }
  if (!rule.pattern.test(name)) {
    return `${rule.what} "${name}" may contain only ${rule.charset}`;
  }
  return undefined;
}

/**
 * Physical name `<env>-<component>`, checked against the cloud's rule. Throws with the fix when
 * the result is too long or has characters the cloud refuses.
 */
export function resourceName(
  env: string,
  component: string,
  rule: NameRule = NAME_RULES.gcp,
): string {
  const name = `${env}-${component}`;
  const problem = checkName(name, rule);
  if (problem) {
    throw new Error(`${problem}; shorten the environment name or the component "${component}"`);
  }
  return name;
}
