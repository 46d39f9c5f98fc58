import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { checkNamespace, checkReleaseName, MAX_TIMEOUT_SECONDS } from "./kubernetes-values";

/** Where a chart comes from. */
export interface ChartSource {
  /** `https://…` or `oci://…`; absent when `chart` is a path (a chart shipped as an asset). */
  readonly repository?: string;
  /** Chart name in the repository, or a path. */
  readonly chart: string;
  /** Exact chart version. Required with a repository; a path's version is its Chart.yaml's. */
  readonly version?: string;
}

/** Props of {@link HelmChartRelease}. */
export interface HelmChartReleaseProps {
  /** Release name: a DNS label of at most 53 characters. */
  readonly name: string;
  readonly namespace: string;
  readonly chart: ChartSource;
  /** Chart values; serialized as one YAML document. Never put a secret here. */
  readonly values: object;
  /** Seconds Helm waits for resources and hooks. @default 600 */
  readonly timeoutSeconds?: number;
  /** Release revisions kept for rollback. @default 10 */
  readonly maxHistory?: number;
  /** Resources the release needs first (its Secret, its namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** Helm's default is 300 s; StatefulSets that provision volumes on a fresh cluster need longer. */
export const DEFAULT_TIMEOUT_SECONDS = 600;
/** Enough revisions to roll back a bad week; Helm's own default (unlimited) grows Secrets forever. */
export const DEFAULT_MAX_HISTORY = 10;

/** An exact version: no ranges, no `latest`. */
const EXACT_VERSION_RE = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * One Helm release with Strata's safe settings: atomic (a failed upgrade rolls back), waits for
 * resources and jobs, cleans up on failure, bounded history, a pinned chart version, values as
 * typed data serialized to YAML.
 */
export class HelmChartRelease extends Construct {
  readonly release: Release;
  /** The values given, as data (tests check every key path against the chart's values.yaml). */
  readonly values: object;
  readonly name: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: HelmChartReleaseProps) {
    super(scope, id);
    const path = this.node.path;
    checkReleaseName(path, props.name);
    checkNamespace(path, props.namespace);
    const { repository, chart, version } = props.chart;
    if (repository !== undefined && (version === undefined || !EXACT_VERSION_RE.test(version))) {
      throw new Error(
        `${path}: chart ${chart} from ${repository} has no pinned version (got ${JSON.stringify(version)}); set an exact version such as 1.4.2 (no ranges, no "latest")`,
      );
    }
    const timeout = props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeout) || timeout < 60 || timeout > MAX_TIMEOUT_SECONDS) {
      throw new Error(
        `${path}: timeoutSeconds (${timeout}) must be an integer from 60 to ${MAX_TIMEOUT_SECONDS} (4 h)`,
      );
    }
    this.name = props.name;
    this.namespace = props.namespace;
    this.values = props.values;
    this.release = new Release(this, "Release", {
      name: props.name,
      namespace: props.namespace,
      ...(repository !== undefined ? { repository, version } : {}),
      chart,
      values: [stringify(props.values, { lineWidth: 0, aliasDuplicateObjects: false })],
      atomic: true,
      wait: true,
      waitForJobs: true,
      cleanupOnFail: true,
      createNamespace: false,
      timeout,
      maxHistory: props.maxHistory ?? DEFAULT_MAX_HISTORY,
      dependsOn: props.dependsOn,
    });
  }
}
