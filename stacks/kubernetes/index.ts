/**
 * The Helm layers of an environment, on every cluster its workloads run on:
 * `<env>-<cloud>-platform` → `-databases` → `-buses` → `-apps`, each depending on the one before
 * (the first on the cluster's stack). A layer with nothing in it is not synthesized.
 */
import type { App, TerraformStack } from "cdktf";
import { placements, type Placement } from "../../environments";
import type { Environment } from "../../environments/schema";
import { postgresBackupStore } from "../../modules/common/backup-store";
import { stackName } from "../../modules/common/naming";
import { AppsStack, placedApps } from "./apps";
import { BusesStack, hasBuses } from "./buses";
import { CLOUD_CODE, clusterRef } from "./cluster-ref";
import { DatabasesStack, hasDatabases } from "./databases";
import { migrationsOn } from "./migrations";
import { PlatformStack } from "./platform";

/** The Helm stacks of one environment on one cluster. */
export interface HelmStacks {
  readonly placement: Placement;
  readonly platform: PlatformStack;
  readonly databases?: DatabasesStack;
  readonly buses?: BusesStack;
  readonly apps?: AppsStack;
}

/**
 * Builds an environment's Helm stacks on each of its clusters. `all` resolves shared clusters;
 * call it after every environment's cloud stacks exist, so the dependencies on cluster, data and
 * messaging stacks (found by name) are declared.
 */
export function buildHelmStacks(
  app: App,
  env: Environment,
  all: readonly Environment[],
): HelmStacks[] {
  return placements(env).map((placement) => {
    const owner = all.find((e) => e.name === placement.clusterEnvironment);
    if (!owner) {
      throw new Error(
        `${env.name}: cluster owner "${placement.clusterEnvironment}" is not a known environment`,
      );
    }
    const cluster = clusterRef(owner, placement.cloud);
    const code = CLOUD_CODE[placement.cloud];
    const props = { env, cluster, clusterOwner: owner };
    const named = (layer: "platform" | "databases" | "buses" | "apps") =>
      stackName(env.name, code, layer);
    const existing = (name: string) => app.node.tryFindChild(name) as TerraformStack | undefined;

    const ownsCluster = owner.name === env.name;
    // The environments on this cluster: the owner installs the operators any of them needs.
    const clusterTenants = all.filter((e) =>
      placements(e).some((p) => p.clusterEnvironment === owner.name && p.cloud === placement.cloud),
    );
    const platform = new PlatformStack(app, named("platform"), {
      ...props,
      ownsCluster,
      clusterTenants,
    });
    dependOn(platform, existing(cluster.stack));
    // A guest's releases need the owner's cluster-wide components (CRDs, ingress, storage class).
    if (!ownsCluster) dependOn(platform, existing(stackName(owner.name, code, "platform")));
    // Managed databases' Secrets are read from the databases the data stack creates.
    if (placement.cloud === "digitalocean")
      dependOn(platform, existing(stackName(env.name, code, "data")));

    const w = env.workloads;
    let last: TerraformStack = platform;
    let databases: DatabasesStack | undefined;
    let buses: BusesStack | undefined;
    let apps: AppsStack | undefined;
    if (hasDatabases(w, placement.cloud)) {
      databases = new DatabasesStack(app, named("databases"), props);
      dependOn(databases, last);
      // PostgreSQL backups go to the bucket (and identity) the environment's data stack creates.
      if (postgresBackupStore(env, placement.cloud))
        dependOn(databases, existing(stackName(env.name, code, "data")));
      last = databases;
    }
    if (hasBuses(w, placement.cloud)) {
      buses = new BusesStack(app, named("buses"), props);
      dependOn(buses, last);
      last = buses;
    }
    if (
      placedApps(w.apps, placement.cloud).length > 0 ||
      migrationsOn(env, placement.cloud).length > 0
    ) {
      apps = new AppsStack(app, named("apps"), props);
      dependOn(apps, last);
      // Cloud-native stores and buses of the environment itself (its own account/project).
      for (const layer of apps.cloudLayers) {
        dependOn(apps, existing(stackName(env.name, code, layer)));
      }
    }
    return { placement, platform, databases, buses, apps };
  });
}

function dependOn(stack: TerraformStack, on: TerraformStack | undefined): void {
  if (on) stack.addDependency(on);
}
