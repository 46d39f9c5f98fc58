import { clusterName, clusterRef } from "../../../stacks/kubernetes/cluster-ref";
import { testEnv } from "../../support/env";

describe("clusterRef", () => {
  test("GKE: zonal in the first zone unless regional", () => {
    const zonal = testEnv({
      targets: {
        gcp: {
          project: "strata-test",
          region: "europe-west1",
          zones: ["europe-west1-b"],
          cluster: {},
        },
      },
    });
    expect(clusterRef(zonal, "gcp")).toEqual({
      cloud: "gcp",
      environment: "test",
      stack: "test-gcp-cluster",
      name: "test-gke",
      project: "strata-test",
      location: "europe-west1-b",
    });
    const regional = testEnv({
      highAvailability: true,
      targets: { gcp: { project: "strata-test", region: "europe-west1", cluster: {} } },
    });
    expect(clusterRef(regional, "gcp")).toMatchObject({ location: "europe-west1" });
  });

  test("EKS and DOKS by name and region", () => {
    const env = testEnv({
      targets: {
        aws: { region: "eu-west-1", cluster: {} },
        digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
      },
    });
    expect(clusterRef(env, "aws")).toMatchObject({
      name: "test-eks",
      region: "eu-west-1",
      stack: "test-aws-cluster",
    });
    expect(clusterRef(env, "digitalocean")).toMatchObject({
      name: "test-doks",
      region: "fra1",
      stack: "test-do-cluster",
    });
    expect(clusterName("prod", "digitalocean")).toBe("prod-doks");
  });

  test("an environment without that cluster", () => {
    expect(() => clusterRef(testEnv(), "aws")).toThrow(/environment "test" has no aws cluster/);
  });
});
