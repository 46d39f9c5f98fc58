/**
 * What the example GitHub Actions workflows (.github/workflows/strata.yml, strata-wave.yml) need
 * to know about each synthesized stack besides `npm run graph`'s plan: where its jobs run and
 * which clouds' credentials they need. Read from the stack's JSON, so it follows the stacks:
 *
 * - `cluster`: the cluster its kubernetes/helm providers talk to (scripts/lib/kube-context.ts), or
 *   null. A stack with a cluster needs the cluster's API, which private control planes answer only
 *   inside their network: its apply job runs on the self-hosted runner labelled
 *   `strata-<cluster>` (`runsOn`), its plan job on the separate `strata-<cluster>-plan` runner
 *   (`planRunsOn`); the others run on GitHub-hosted runners.
 * - `credentials`: the clouds whose APIs it calls — its providers, its state backend (s3: AWS,
 *   gcs: GCP) and the backends of any terraform_remote_state it reads.
 *
 * `node scripts/run-app.mjs scripts/lib/delivery.ts [cdktf.out]` prints them as JSON by stack
 * name; the workflow's graph job merges them into the plan's steps with jq.
 */
import { readCdktfOut, readStack, stackParts, type CdktfOut, type StackJson } from "./cdktf-out";
import { runnerLabel, stackCluster, type StackCluster } from "./kube-context";

/** GitHub-hosted runner of the jobs that need no cluster API. */
export const HOSTED_RUNNER = "ubuntu-latest";

/** Clouds whose credentials a job may need. */
export interface Credentials {
  readonly gcp: boolean;
  readonly aws: boolean;
  readonly digitalocean: boolean;
}

/** A stack's delivery facts, as the workflows read them (matrix fields). */
export interface StackDelivery {
  readonly cloud: string;
  readonly layer: string;
  readonly cluster: StackCluster | null;
  /** `runs-on` of its apply job. */
  readonly runsOn: string | readonly string[];
  /** `runs-on` of its plan job (pull requests). */
  readonly planRunsOn: string | readonly string[];
  readonly credentials: Credentials;
}

const PROVIDER_CLOUD: Readonly<Record<string, keyof Credentials>> = {
  google: "gcp",
  "google-beta": "gcp",
  aws: "aws",
  digitalocean: "digitalocean",
};
const BACKEND_CLOUD: Readonly<Record<string, keyof Credentials>> = { s3: "aws", gcs: "gcp" };

/** The clouds whose credentials a stack's plan and apply need. */
export function stackCredentials(json: StackJson): Credentials {
  const need = new Set<keyof Credentials>();
  for (const p of Object.keys(json.provider ?? {})) {
    if (PROVIDER_CLOUD[p]) need.add(PROVIDER_CLOUD[p]);
  }
  for (const b of Object.keys((json.terraform?.backend ?? {}) as object)) {
    if (BACKEND_CLOUD[b]) need.add(BACKEND_CLOUD[b]);
  }
  for (const r of Object.values(json.data?.terraform_remote_state ?? {})) {
    const b = String((r as { backend?: unknown }).backend ?? "");
    if (BACKEND_CLOUD[b]) need.add(BACKEND_CLOUD[b]);
  }
  return { gcp: need.has("gcp"), aws: need.has("aws"), digitalocean: need.has("digitalocean") };
}

/** The delivery facts of one stack. */
export function stackDelivery(json: StackJson, stack: string): StackDelivery {
  const parts = stackParts(stack);
  const cluster = stackCluster(json, stack) ?? null;
  return {
    cloud: parts.cloud ?? "",
    layer: parts.layer ?? "",
    cluster,
    runsOn: cluster ? ["self-hosted", runnerLabel(cluster)] : HOSTED_RUNNER,
    planRunsOn: cluster ? ["self-hosted", `${runnerLabel(cluster)}-plan`] : HOSTED_RUNNER,
    credentials: stackCredentials(json),
  };
}

/** Every stack's delivery facts, by stack name. */
export function deliveryFacts(out: CdktfOut): Record<string, StackDelivery> {
  return Object.fromEntries(
    [...out.stacks.keys()].sort().map((name) => [name, stackDelivery(readStack(out, name), name)]),
  );
}

/** `node scripts/run-app.mjs scripts/lib/delivery.ts [cdktf.out]`: the facts as JSON. */
export function run(argv: string[]): number {
  const [dir = "cdktf.out"] = argv;
  process.stdout.write(JSON.stringify(deliveryFacts(readCdktfOut(dir))) + "\n");
  return 0;
}
