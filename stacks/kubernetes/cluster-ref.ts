/**
 * How the Helm layers find a cluster: by name, through data sources, never through another
 * stack's internals. The cluster layers create clusters with exactly these names.
 */
import type { Environment } from "../../environments/schema";
import type { ConfigCloud } from "../../environments/schema/workloads";
import { resourceName, stackName, type Cloud } from "../../modules/common/naming";

/** Cloud code in stack names for a config cloud key. */
export const CLOUD_CODE: Readonly<Record<ConfigCloud, Cloud>> = {
  gcp: "gcp",
  aws: "aws",
  digitalocean: "do",
};

/** Everything needed to look a cluster up by name. */
export type ClusterRef =
  | {
      readonly cloud: "gcp";
      readonly environment: string;
      readonly stack: string;
      readonly name: string;
      readonly project: string;
      readonly location: string;
    }
  | {
      readonly cloud: "aws";
      readonly environment: string;
      readonly stack: string;
      readonly name: string;
      readonly region: string;
    }
  | {
      readonly cloud: "digitalocean";
      readonly environment: string;
      readonly stack: string;
      readonly name: string;
      readonly region: string;
    };

/** Physical name of an environment's cluster on a cloud: `<env>-gke`, `<env>-eks`, `<env>-doks`. */
export function clusterName(environment: string, cloud: ConfigCloud): string {
  return resourceName(environment, { gcp: "gke", aws: "eks", digitalocean: "doks" }[cloud]);
}

/** The cluster `owner` runs on `cloud`. Throws when it has none (the registry checks this first). */
export function clusterRef(owner: Environment, cloud: ConfigCloud): ClusterRef {
  const base = {
    environment: owner.name,
    stack: stackName(owner.name, CLOUD_CODE[cloud], "cluster"),
    name: clusterName(owner.name, cloud),
  };
  const missing = () =>
    new Error(`environment "${owner.name}" has no ${cloud} cluster (targets.${cloud}.cluster)`);
  switch (cloud) {
    case "gcp": {
      const t = owner.targets.gcp;
      if (!t?.cluster) throw missing();
      return {
        ...base,
        cloud,
        project: t.project,
        location: t.cluster.regional ? t.region : t.zones[0],
      };
    }
    case "aws": {
      const t = owner.targets.aws;
      if (!t?.cluster) throw missing();
      return { ...base, cloud, region: t.region };
    }
    case "digitalocean": {
      const t = owner.targets.digitalocean;
      if (!t?.cluster) throw missing();
      return { ...base, cloud, region: t.region };
    }
  }
}
