/**
 * A Helm-layer stack's cluster, read from its synthesized JSON (the data source its kubernetes
 * provider's `host` points at: google_container_cluster, aws_eks_cluster or
 * digitalocean_kubernetes_cluster), and a kube context of its own for that cluster: a fresh
 * kubeconfig in a temporary folder, written by the cloud's CLI (`gcloud container clusters
 * get-credentials`, `aws eks update-kubeconfig`, `doctl kubernetes cluster kubeconfig save`) with
 * KUBECONFIG pointing at it, never at the ambient ~/.kube/config. The credentials in it are exec
 * plugins (gke-gcloud-auth-plugin, `aws eks get-token`, `doctl … exec-credential`), as the stack's
 * providers use.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { UsageError, type StackJson } from "./cdktf-out";

/** The cluster a stack deploys to, as its JSON names it. */
export type StackCluster =
  | {
      readonly cloud: "gcp";
      readonly name: string;
      readonly location: string;
      readonly project: string;
      /** The providers use the control plane's internal endpoint (private_cluster_config). */
      readonly internalIp: boolean;
    }
  | { readonly cloud: "aws"; readonly name: string; readonly region: string }
  | { readonly cloud: "digitalocean"; readonly name: string };

const CLUSTER_DATA: Readonly<Record<string, StackCluster["cloud"]>> = {
  google_container_cluster: "gcp",
  aws_eks_cluster: "aws",
  digitalocean_kubernetes_cluster: "digitalocean",
};

type Json = Record<string, unknown>;
const first = (v: unknown): Json | undefined => (Array.isArray(v) ? v[0] : v) as Json | undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** The `host` of the stack's kubernetes provider, or of its helm provider's kubernetes block. */
function clusterHost(json: StackJson): string | undefined {
  const kube = first(json.provider?.kubernetes);
  const helm = first(first(json.provider?.helm)?.kubernetes);
  return str(kube?.host) ?? str(helm?.host);
}

/**
 * The cluster `stack` talks to, or undefined when it has no kubernetes/helm provider pointing at
 * a cluster data source (network, cluster, data and messaging layers).
 */
export function stackCluster(json: StackJson, stack: string): StackCluster | undefined {
  const host = clusterHost(json);
  if (!host) return undefined;
  const m = /\$\{data\.([a-z_]+)\.([A-Za-z0-9_-]+)\./.exec(host);
  const cloud = m ? CLUSTER_DATA[m[1]] : undefined;
  if (!m || !cloud) {
    throw new UsageError(
      `${stack}: its kubernetes provider's host (${host}) names no google_container_cluster, aws_eks_cluster or digitalocean_kubernetes_cluster data source`,
    );
  }
  const data = (json.data?.[m[1]]?.[m[2]] ?? {}) as Json;
  const name = str(data.name);
  if (!name) throw new UsageError(`${stack}: data.${m[1]}.${m[2]} has no name`);
  switch (cloud) {
    case "gcp": {
      const project = str(data.project) ?? str(first(json.provider?.google)?.project);
      const location = str(data.location);
      if (!project || !location) {
        throw new UsageError(`${stack}: data.${m[1]}.${m[2]} needs a project and a location`);
      }
      return { cloud, name, location, project, internalIp: /private_endpoint/.test(host) };
    }
    case "aws": {
      const region = str(first(json.provider?.aws)?.region) ?? execRegion(json);
      if (!region) throw new UsageError(`${stack}: no AWS region for cluster ${name}`);
      return { cloud, name, region };
    }
    case "digitalocean":
      return { cloud, name };
  }
}

/** The `--region` of `aws eks get-token` in the kubernetes provider's exec block. */
function execRegion(json: StackJson): string | undefined {
  const exec = first(first(json.provider?.kubernetes)?.exec);
  const args = Array.isArray(exec?.args) ? (exec.args as unknown[]).map(String) : [];
  const i = args.indexOf("--region");
  return i >= 0 ? args[i + 1] : undefined;
}

/** One line describing the cluster: `prod-gke (gcp, project angzarr-prod, us-central1)`. */
export function describeCluster(c: StackCluster): string {
  switch (c.cloud) {
    case "gcp":
      return `${c.name} (gcp, project ${c.project}, ${c.location})`;
    case "aws":
      return `${c.name} (aws, ${c.region})`;
    case "digitalocean":
      return `${c.name} (digitalocean)`;
  }
}

/** The self-hosted runner label whose machines sit in the network that reaches `c`'s API. */
export function runnerLabel(c: StackCluster): string {
  return `strata-${c.name}`;
}

/**
 * The kube context the cloud's CLI writes for `c`: gcloud's own `gke_<project>_<location>_<name>`;
 * for EKS and DOKS the cluster's name, through the CLIs' `--alias`.
 */
export function contextName(c: StackCluster): string {
  return c.cloud === "gcp" ? `gke_${c.project}_${c.location}_${c.name}` : c.name;
}

/** A command line: program and arguments. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The CLI command that writes `c`'s endpoint, CA and exec credentials into `kubeconfig` (it runs
 * with KUBECONFIG=kubeconfig; the AWS CLI is also given the file by flag).
 */
export function credentialsCommand(c: StackCluster, kubeconfig: string): Command {
  switch (c.cloud) {
    case "gcp":
      return {
        command: "gcloud",
        args: [
          "container",
          "clusters",
          "get-credentials",
          c.name,
          "--location",
          c.location,
          "--project",
          c.project,
          ...(c.internalIp ? ["--internal-ip"] : []),
        ],
      };
    case "aws":
      return {
        command: "aws",
        args: [
          "eks",
          "update-kubeconfig",
          "--name",
          c.name,
          "--region",
          c.region,
          "--kubeconfig",
          kubeconfig,
          "--alias",
          contextName(c),
        ],
      };
    case "digitalocean":
      return {
        command: "doctl",
        args: ["kubernetes", "cluster", "kubeconfig", "save", c.name, "--alias", contextName(c)],
      };
  }
}

/** How a command ended and what it printed (stdout is empty when it was not captured). */
export interface RunResult {
  readonly status: number | null;
  readonly signal?: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started (ENOENT: not on PATH). */
  readonly error?: NodeJS.ErrnoException;
}

/** Runs a command with exactly `env`. `stream`: stdout goes to the terminal as it comes. */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options: { readonly env: NodeJS.ProcessEnv; readonly stream: boolean },
) => RunResult;

/** A kube context to run kubectl with: `--kubeconfig` (unless ambient) and `--context`. */
export interface KubeAccess {
  /** The temporary kubeconfig; undefined when an ambient context was asked for by name. */
  readonly kubeconfig?: string;
  readonly context: string;
  /** The environment kubectl runs with (KUBECONFIG = the temporary file when there is one). */
  readonly env: NodeJS.ProcessEnv;
  /** Removes the temporary folder. */
  readonly dispose: () => void;
}

/** The cloud CLI failed to write the cluster's kubeconfig; `output` is what it printed. */
export class ClusterAccessError extends Error {
  override readonly name = "ClusterAccessError";
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/**
 * Writes a kubeconfig of its own for `c` in a new temporary folder (under `tmpRoot`): runs the
 * cloud's CLI with KUBECONFIG set to that file, then checks the file has the expected context.
 * Throws a UsageError when the CLI is not installed, a ClusterAccessError when it fails.
 */
export function clusterAccess(
  c: StackCluster,
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
  tmpRoot: string = os.tmpdir(),
): { access: KubeAccess; command: Command } {
  const dir = fs.mkdtempSync(path.join(tmpRoot, "strata-kube-"));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  const kubeconfig = path.join(dir, "kubeconfig");
  const kubeEnv: NodeJS.ProcessEnv = { ...env, KUBECONFIG: kubeconfig };
  const command = credentialsCommand(c, kubeconfig);
  try {
    const r = runner(command.command, command.args, { env: kubeEnv, stream: false });
    if (r.error) {
      throw new UsageError(
        `cannot run ${command.command} (${r.error.code ?? r.error.message}) to get the credentials of cluster ${describeCluster(c)}: install it (${INSTALL[c.cloud]}; docs/delivery.md lists the pinned versions)`,
      );
    }
    if (r.status !== 0) {
      throw new ClusterAccessError(
        `${command.command} could not get the credentials of cluster ${describeCluster(c)} (exit ${r.status ?? r.signal})`,
        `${r.stderr}${r.stdout}`.trim(),
      );
    }
    const context = contextName(c);
    const found = kubeconfigContexts(kubeconfig);
    if (!found.includes(context)) {
      throw new ClusterAccessError(
        `${command.command} did not write context ${context} to ${kubeconfig} (it has: ${found.join(", ") || "none"})`,
        `${r.stderr}${r.stdout}`.trim(),
      );
    }
    return { access: { kubeconfig, context, env: kubeEnv, dispose }, command };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** The context names in a kubeconfig file (none when it is missing or unreadable). */
export function kubeconfigContexts(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const doc = parse(fs.readFileSync(file, "utf8")) as { contexts?: Array<{ name?: string }> };
  return (doc?.contexts ?? []).map((c) => String(c?.name ?? "")).filter(Boolean);
}

/** Where each CLI comes from. */
const INSTALL: Readonly<Record<StackCluster["cloud"], string>> = {
  gcp: "the gcloud CLI and its gke-gcloud-auth-plugin component",
  aws: "the AWS CLI v2",
  digitalocean: "doctl",
};

/** kubectl's arguments for `args` in `access`'s context. */
export function kubectlArgs(access: Pick<KubeAccess, "kubeconfig" | "context">, args: string[]) {
  return [
    ...(access.kubeconfig ? ["--kubeconfig", access.kubeconfig] : []),
    "--context",
    access.context,
    ...args,
  ];
}

/** What went wrong when kubectl or a cloud CLI failed, from its error output. */
export type FailureKind = "connection" | "credentials" | "timeout" | "other";

const CONNECTION: readonly RegExp[] = [
  /Unable to connect to the server/i,
  /The connection to the server .* was refused/i,
  /dial tcp/i,
  /i\/o timeout/i,
  /connection refused/i,
  /connection reset by peer/i,
  /no such host/i,
  /network is unreachable/i,
  /no route to host/i,
  /TLS handshake timeout/i,
  /Client\.Timeout exceeded/i,
  /context deadline exceeded/i,
  /http2: client connection lost/i,
];
const CREDENTIALS: readonly RegExp[] = [
  /Unauthorized/i,
  /You must be logged in to the server/i,
  /getting credentials: /i,
  /exec plugin/i,
  /executable .* not found/i,
  /is forbidden: User/i,
  /\(Forbidden\)/i,
];
const TIMEOUT: readonly RegExp[] = [
  /timed out waiting for the condition/i,
  /exceeded its progress deadline/i,
];

/** Classifies a failure by its error output. A wait that timed out is checked first. */
export function classifyFailure(output: string): FailureKind {
  if (TIMEOUT.some((re) => re.test(output))) return "timeout";
  if (CONNECTION.some((re) => re.test(output))) return "connection";
  if (CREDENTIALS.some((re) => re.test(output))) return "credentials";
  return "other";
}

/** The likely fixes when `c`'s API cannot be reached (`connection`) or refuses us (`credentials`). */
export function accessHints(c: StackCluster | undefined, kind: FailureKind): string[] {
  if (!c) {
    return kind === "credentials"
      ? ["check the credentials of the kubectl context you named (--context)"]
      : [
          "check that this machine can reach the API of the context you named (--context), or leave --context out to build one from the stack's cluster",
        ];
  }
  const runner = `in CI, this stack's jobs run on the self-hosted runner labelled ${runnerLabel(c)}, which must sit in the cluster's network (docs/delivery.md)`;
  if (kind === "credentials") {
    switch (c.cloud) {
      case "gcp":
        return [
          "gcloud must be logged in (CI: google-github-actions/auth; locally: gcloud auth login) as an identity with container.clusters.get and Kubernetes RBAC in the cluster",
          "gke-gcloud-auth-plugin must be on PATH (gcloud components install gke-gcloud-auth-plugin)",
        ];
      case "aws":
        return [
          "AWS credentials must be present (CI: aws-actions/configure-aws-credentials; check with aws sts get-caller-identity) and not expired",
          `the principal needs an EKS access entry on ${c.name} (authentication mode API)`,
        ];
      case "digitalocean":
        return [
          "doctl reads DIGITALOCEAN_ACCESS_TOKEN (DIGITALOCEAN_TOKEN is only the Terraform provider's name); the token needs access to the cluster",
        ];
    }
  }
  switch (c.cloud) {
    case "gcp":
      return [
        `${c.name}'s control plane admits only its authorized networks (targets.gcp.cluster.authorizedNetworks)${c.internalIp ? " and, on its internal endpoint, the cluster's VPC" : ""}: run from a machine in that network or add this machine's egress address`,
        runner,
      ];
    case "aws":
      return [
        `${c.name}'s API endpoint may be private (targets.aws.cluster.publicEndpoint) and its security group admits 443 from the VPC CIDR: run from inside the VPC (or over a VPN into it)`,
        runner,
      ];
    case "digitalocean":
      return [
        `${c.name}'s control-plane firewall admits only targets.digitalocean.cluster.controlPlaneFirewall.allowedAddresses: add this machine's egress address or run from one listed`,
        runner,
      ];
  }
}
