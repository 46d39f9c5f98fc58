/**
 * `workloads.databases.postgresql.engine`: CloudNativePG by default, the deprecated Bitnami
 * releases on request; `restore`; and the checks that need the cluster's owner.
 */
import { EnvironmentSchema } from "../../environments/schema";
import { checkCloudNativePg, type CnpgEnvironment } from "../../environments/schema/cloudnative-pg";
import { CHART_VERSIONS, type WorkloadsInput } from "../../environments/schema/workloads";
import { platformWebhookPorts } from "../../stacks/kubernetes/webhooks";
import { BITNAMI_IMAGES, clusterInput, clusterWorkloads, problems } from "../support/env";

describe("databases.postgresql.engine", () => {
  test("CloudNativePG by default: no Bitnami image location, no pgpool, the operator installed", () => {
    const w = clusterWorkloads({ databases: { postgresql: {} } });
    expect(w.databases.postgresql).toMatchObject({ engine: "cloudnativepg", releaseName: "db" });
    expect(w.databases.postgresql).not.toHaveProperty("pgpoolReplicas");
    expect(w.platform.cloudnativePg).toEqual({ enabled: true });
    expect(problems(clusterInput({ databases: { postgresql: {} } }))).toEqual([]);
    expect(CHART_VERSIONS).toMatchObject({ cloudnativePg: "0.29.0", barmanCloudPlugin: "0.7.0" });
    // Its admission webhooks listen on 9443, which a private GKE control plane must reach.
    const off = { ...w.platform, cloudnativePg: { enabled: false } };
    expect(platformWebhookPorts(w.platform)).toEqual([...platformWebhookPorts(off), 9443]);
  });

  test("without PostgreSQL, or with the bitnami engine, no operator (unless asked for)", () => {
    expect(clusterWorkloads({}).platform.cloudnativePg).toEqual({ enabled: false });
    const w = clusterWorkloads({
      images: BITNAMI_IMAGES,
      databases: { postgresql: { engine: "bitnami" } },
    });
    expect(w.platform.cloudnativePg).toEqual({ enabled: false });
    expect(w.databases.postgresql).toMatchObject({ engine: "bitnami", pgpoolReplicas: 1 });
    expect(
      clusterWorkloads({ platform: { cloudnativePg: { enabled: true } } }).platform.cloudnativePg,
    ).toEqual({ enabled: true });
  });

  test("an unknown engine names the choices", () => {
    expect(
      problems(clusterInput({ databases: { postgresql: { engine: "zalando" as "bitnami" } } })),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.engine: postgresql engine "zalando" is not one of "cloudnativepg" \(maintained; the default\) or "bitnami" \(deprecated\)/,
      ),
    ]);
  });

  test("Bitnami-only fields on CloudNativePG are refused with the fix", () => {
    expect(
      problems(
        clusterInput({
          databases: {
            postgresql: { pgpoolReplicas: 2, images: { registry: "mirror.example.com" } },
          },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.pgpoolReplicas: pgpoolReplicas applies to the bitnami engine only/,
      ),
      expect.stringMatching(
        /workloads\.databases\.postgresql\.images: images applies to the bitnami engine only/,
      ),
    ]);
  });
});

describe("databases.postgresql.restore", () => {
  test("a new release restored from the old one's backups at a point in time", () => {
    const w = EnvironmentSchema.parse(
      clusterInput({
        databases: {
          postgresql: {
            releaseName: "db2",
            backup: { enabled: true },
            restore: { from: "db", targetTime: "2026-11-30T04:00:00Z" },
          },
        },
      }),
    ).workloads;
    expect(w.databases.postgresql).toMatchObject({
      releaseName: "db2",
      restore: { from: "db", targetTime: "2026-11-30T04:00:00Z" },
      backup: { enabled: true },
    });
  });

  test("refused: restoring a release into itself, without backups, on Bitnami, a time without zone", () => {
    const at = (postgresql: NonNullable<WorkloadsInput["databases"]>["postgresql"]) =>
      problems(clusterInput({ images: BITNAMI_IMAGES, databases: { postgresql } }));
    expect(at({ backup: { enabled: true }, restore: { from: "db" } })).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.restore\.from: restore\.from is this release \(db\).*restore into a new releaseName/,
      ),
    ]);
    expect(at({ releaseName: "db2", backup: { enabled: false }, restore: { from: "db" } })).toEqual(
      [
        expect.stringMatching(
          /workloads\.databases\.postgresql\.restore: restore reads the environment's PostgreSQL backup store, which backup\.enabled: false turns off/,
        ),
      ],
    );
    expect(at({ engine: "bitnami", releaseName: "db2", restore: { from: "db" } })).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.restore: restore bootstraps a CloudNativePG cluster from its backups; the bitnami engine has none/,
      ),
    ]);
    expect(
      at({
        releaseName: "db2",
        backup: { enabled: true },
        restore: { from: "db", targetTime: "2026-11-30 04:00" },
      }),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.restore\.targetTime: restore targetTime "2026-11-30 04:00" must be an RFC 3339 time with a zone/,
      ),
    ]);
  });
});

describe("databases.postgresql.import", () => {
  test("a new release importing from today's Bitnami release, which is kept with its images", () => {
    const w = clusterWorkloads({
      images: BITNAMI_IMAGES,
      databases: { postgresql: { releaseName: "pg", import: { from: "db" } } },
    });
    expect(w.databases.postgresql).toMatchObject({
      engine: "cloudnativepg",
      releaseName: "pg",
      import: { from: "db", images: { registry: BITNAMI_IMAGES.bitnami.registry } },
    });
  });

  test("refused: importing into the same release name, without the Bitnami images, on Bitnami", () => {
    const at = (w: WorkloadsInput) => problems(clusterInput(w));
    expect(
      at({ images: BITNAMI_IMAGES, databases: { postgresql: { import: { from: "db" } } } }),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.import\.from: import\.from is this release \(db\).*set releaseName to a new name/,
      ),
    ]);
    expect(
      at({ databases: { postgresql: { releaseName: "pg", import: { from: "db" } } } }),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.import: import keeps the Bitnami release running .* set workloads\.images\.bitnami/,
      ),
    ]);
    expect(
      at({
        images: BITNAMI_IMAGES,
        databases: { postgresql: { engine: "bitnami", import: { from: "old" } } },
      }),
    ).toEqual([
      expect.stringMatching(
        /workloads\.databases\.postgresql\.import: import moves a Bitnami release/,
      ),
    ]);
  });
});

describe("checks that need the cluster's owner", () => {
  const env = (
    name: string,
    over: {
      engine?: string;
      operator?: boolean;
      certManager?: boolean;
      shared?: string;
      eks?: string;
      doks?: { version?: string; versionPrefix?: string };
    } = {},
  ): CnpgEnvironment => ({
    name,
    targets: {
      ...(over.eks ? { aws: { cluster: { version: over.eks } } } : {}),
      ...(over.doks ? { digitalocean: { cluster: over.doks } } : {}),
    },
    workloads: {
      ...(over.shared
        ? { sharedCluster: { environment: over.shared, cloud: "digitalocean" } }
        : {}),
      platform: {
        cloudnativePg: { enabled: over.operator ?? true },
        certManager: { enabled: over.certManager ?? true },
      },
      databases: {
        postgresql: {
          engine: over.engine ?? "cloudnativepg",
          clouds: over.eks ? ["aws"] : ["digitalocean"],
        },
      },
    },
  });

  test("the seeds' shapes pass: an owner on Kubernetes 1.36 and its guest", () => {
    expect(
      checkCloudNativePg([
        env("prod", { eks: "1.36", doks: { versionPrefix: "1.36." } }),
        env("staging", { shared: "prod", operator: false }),
      ]),
    ).toEqual([]);
  });

  test("a guest on CloudNativePG whose owner does not install the operator", () => {
    expect(
      checkCloudNativePg([
        env("host", { engine: "bitnami", operator: false }),
        env("guest", { shared: "host", operator: false }),
      ]),
    ).toEqual([
      {
        path: "guest.workloads.databases.postgresql.engine",
        message: expect.stringMatching(
          /needs the CloudNativePG operator on host's cluster, which host does not install; set host\.workloads\.platform\.cloudnativePg: \{ enabled: true \}/,
        ),
      },
    ]);
  });

  test("CloudNativePG 1.30 supports Kubernetes 1.34–1.36: an older pinned cluster is refused", () => {
    expect(checkCloudNativePg([env("old", { eks: "1.33" })])).toEqual([
      {
        path: "old.targets.aws.cluster.version",
        message: expect.stringMatching(
          /CloudNativePG 1\.30, which supports Kubernetes 1\.34–1\.36, and this aws cluster pins 1\.33; upgrade the cluster/,
        ),
      },
    ]);
    expect(checkCloudNativePg([env("old", { doks: { version: "1.33.1-do.0" } })])).toEqual([
      expect.objectContaining({ path: "old.targets.digitalocean.cluster.version" }),
    ]);
    expect(checkCloudNativePg([env("ok", { eks: "1.34" })])).toEqual([]);
    // The Bitnami engine does not care.
    expect(
      checkCloudNativePg([env("old", { eks: "1.33", engine: "bitnami", operator: false })]),
    ).toEqual([]);
  });

  test("the operator without cert-manager (its backup plugin's certificates)", () => {
    expect(checkCloudNativePg([env("x", { certManager: false })])).toEqual([
      {
        path: "x.workloads.platform.cloudnativePg",
        message: expect.stringMatching(
          /barman-cloud backup plugin gets its certificates from cert-manager/,
        ),
      },
    ]);
  });
});
