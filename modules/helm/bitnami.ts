/**
 * What every Bitnami chart shares: image locations (never the chart's default since Bitnami moved
 * its versioned images to docker.io/bitnamilegacy in August 2025), resources, persistence and
 * PVC retention, the `global` block.
 */
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { HelmChartRelease } from "./chart-release";
import type { ResourceRequirements } from "./kubernetes-values";

export { bitnamiFullname } from "./bitnami-names";

/** A registry and the namespace under it that holds the Bitnami images (`docker.io` + `bitnamilegacy`). */
export interface ImageLocation {
  readonly registry: string;
  readonly namespace: string;
}

/** Bitnami chart repository. */
export const BITNAMI_REPOSITORY = "oci://registry-1.docker.io/bitnamicharts";

/** `image` values for one Bitnami image (`postgresql`, `os-shell`, …). */
export function bitnamiImage(location: ImageLocation, name: string) {
  return { registry: location.registry, repository: `${location.namespace}/${name}` };
}

/**
 * The `global` block: the storage class, and permission to use images from a location other than
 * the chart's default (without it the chart refuses to render with a changed repository).
 */
export function bitnamiGlobal(storageClass: string) {
  return { defaultStorageClass: storageClass, security: { allowInsecureImages: true } };
}

/** Explicit resources (`resourcesPreset: none` so the preset never silently applies). */
export function bitnamiResources(resources: ResourceRequirements) {
  return { resourcesPreset: "none", resources };
}

/** Volumes outlive the release: PVCs are kept when it is deleted or scaled down. */
export const RETAIN_PVCS = { enabled: true, whenDeleted: "Retain", whenScaled: "Retain" } as const;

/** A persistent volume per replica. */
export function bitnamiPersistence(size: string, storageClass: string) {
  return { enabled: true, size, storageClass };
}

/** Props every Bitnami module takes. */
export interface BitnamiReleaseProps {
  /** Release name (DNS label, ≤ 53). */
  readonly name: string;
  readonly namespace: string;
  /** Where the chart's images are pulled from: required, since the chart's default is unmaintained. */
  readonly images: ImageLocation;
  /** Storage class of the volumes (`standard-rwo`, `gp3`, `do-block-storage`). */
  readonly storageClass: string;
  /** Labels on every object of the release (`commonLabels`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly maxHistory?: number;
  /** Metrics exporter. @default false */
  readonly metrics?: boolean;
}

/**
 * The release of a Bitnami chart (construct id "Chart" under `scope`): Bitnami's OCI repository,
 * the pinned version (or the module's default), and the release settings every module shares.
 */
export function bitnamiChartRelease(
  scope: Construct,
  chart: string,
  defaultVersion: string,
  props: BitnamiReleaseProps & { readonly version?: string },
  values: object,
  dependsOn: ITerraformDependable[],
): HelmChartRelease {
  return new HelmChartRelease(scope, "Chart", {
    name: props.name,
    namespace: props.namespace,
    chart: { repository: BITNAMI_REPOSITORY, chart, version: props.version ?? defaultVersion },
    values,
    timeoutSeconds: props.timeoutSeconds,
    maxHistory: props.maxHistory,
    dependsOn,
  });
}
