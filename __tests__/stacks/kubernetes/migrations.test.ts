/**
 * Migrations in the apps stack: a hook release per migration, ordered before the releases that need
 * them, placed where the database is used, and a plan that changes only when the tag does.
 */
import { App } from "cdktf";
import type { EnvironmentInput } from "../../../environments/schema";
import type { MigrationInput } from "../../../environments/schema/workloads";
import { AppsStack } from "../../../stacks/kubernetes/apps";
import { clusterRef } from "../../../stacks/kubernetes/cluster-ref";
import { migrationsOn } from "../../../stacks/kubernetes/migrations";
import { realApp } from "../../support/app";
import { applicationReleasesOf } from "../../support/chart-values";
import { BITNAMI_IMAGES, testEnv } from "../../support/env";
import { synthJson, type TfJson } from "../../support/synth";

const ATLAS = { repository: "docker.io/arigaio/atlas", tag: "0.36.0" };

/** A DigitalOcean-only environment whose apps share the in-cluster PostgreSQL. */
function env(
  migrations: { orders?: MigrationInput; billing?: MigrationInput; db?: MigrationInput },
  overrides: Partial<EnvironmentInput> = {},
) {
  return testEnv({
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
    workloads: {
      images: BITNAMI_IMAGES,
      databases: { postgresql: { ...(migrations.db ? { migration: migrations.db } : {}) } },
      apps: {
        orders: {
          image: { repository: "ghcr.io/x/orders", tag: "1.0.0" },
          database: true,
          ...(migrations.orders ? { migration: migrations.orders } : {}),
        },
        billing: {
          image: { repository: "ghcr.io/x/billing", tag: "2.0.0" },
          eventStore: "postgres",
          ...(migrations.billing ? { migration: migrations.billing } : {}),
        },
        web: { image: { repository: "ghcr.io/x/web", tag: "3.0.0" } },
      },
    },
    ...overrides,
  });
}

function synth(e: ReturnType<typeof env>): TfJson {
  return synthJson(
    new AppsStack(new App(), "test-do-apps", {
      env: e,
      cluster: clusterRef(e, "digitalocean"),
      clusterOwner: e,
    }),
  );
}

/** helm_release blocks by release name. */
function releases(tf: TfJson): Record<string, Record<string, unknown> & { address: string }> {
  return Object.fromEntries(
    Object.entries(tf.resource?.helm_release ?? {}).map(([id, r]) => [
      r.name as string,
      { ...r, address: `helm_release.${id}` },
    ]),
  );
}

describe("migrations in the apps stack", () => {
  test("an app's release depends on its migration's release, which runs the migration chart", () => {
    const r = releases(synth(env({ orders: { image: ATLAS } })));
    expect(r["orders-migrate"].chart).toMatch(/^\.\/assets\/MigrationChart\//);
    expect(r.orders.depends_on).toContain(r["orders-migrate"].address);
    expect(r.web.depends_on).not.toContain(r["orders-migrate"].address);
    expect(r["orders-migrate"]).toMatchObject({
      atomic: true,
      wait: true,
      wait_for_jobs: true,
      cleanup_on_fail: true,
      namespace: "test",
      timeout: 600 + 120,
    });
  });

  test("the Job reads the password from the database Secret the app's Secret copies from", () => {
    const tf = synth(env({ orders: { image: ATLAS } }));
    const values = String((releases(tf)["orders-migrate"].values as string[])[0]);
    expect(values).toMatch(
      /- name: DB_PASSWORD\n\s+secretKeyRef:\n\s+name: db-credentials\n\s+key: password/,
    );
    const copied = Object.values(tf.data?.kubernetes_secret_v1 ?? {}).map(
      (d) => (d.metadata as { name: string }).name,
    );
    expect(copied).toContain("db-credentials");
    expect(values).toMatch(/DB_HOST\n\s+value: db-rw\.test\.svc\.cluster\.local/);
  });

  test("migrations sharing a database run in the declared order, the database's own first", () => {
    const r = releases(
      synth(
        env({
          db: { image: ATLAS },
          orders: { image: ATLAS, after: ["billing-migrate"] },
          billing: { image: ATLAS },
        }),
      ),
    );
    expect(r["db-migrate"].depends_on ?? []).toEqual([]);
    expect(r["billing-migrate"].depends_on).toEqual([r["db-migrate"].address]);
    // depends_on is a set to the engine (written sorted): the order is in the chain itself.
    expect([...(r["orders-migrate"].depends_on as string[])].sort()).toEqual(
      [r["db-migrate"].address, r["billing-migrate"].address].sort(),
    );
    expect(
      migrationsOn(
        env({ orders: { image: ATLAS, after: ["billing-migrate"] }, billing: { image: ATLAS } }),
        "digitalocean",
      ).map((m) => m.name),
    ).toEqual(["billing-migrate", "orders-migrate"]);
  });

  test("an unchanged tag synthesizes the same stack; a new tag changes only the migration's values", () => {
    const before = synth(env({ orders: { image: ATLAS } }));
    expect(synth(env({ orders: { image: ATLAS } }))).toEqual(before);
    const after = synth(env({ orders: { image: { ...ATLAS, tag: "0.37.0" } } }));
    const [b, a] = [releases(before), releases(after)];
    expect(a["orders-migrate"].address).toBe(b["orders-migrate"].address);
    expect(String(b["orders-migrate"].values)).toMatch(/jobName: orders-migrate-0-36-0/);
    expect(String(a["orders-migrate"].values)).toMatch(/jobName: orders-migrate-0-37-0/);
    expect(a.orders).toEqual(b.orders);
  });

  test("runs only where the app uses the database", () => {
    const e = testEnv({
      targets: {
        gcp: {
          project: "strata-test",
          region: "europe-west1",
          cluster: {},
          eventStore: { instanceId: "test-events" },
          workloadIdentities: [{ app: "core", eventStore: "read-write" }],
        },
        digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
      },
      workloads: {
        images: BITNAMI_IMAGES,
        databases: { postgresql: {} },
        apps: {
          core: {
            image: { repository: "ghcr.io/x/core", tag: "1.0.0" },
            eventStore: { gcp: "bigtable", digitalocean: "postgres" },
            migration: { image: ATLAS },
          },
        },
      },
    });
    expect(migrationsOn(e, "digitalocean").map((m) => m.name)).toEqual(["core-migrate"]);
    expect(migrationsOn(e, "gcp")).toEqual([]);
  });

  test("no migration: no migration chart in the stack", () => {
    const tf = synth(env({}));
    expect(Object.values(tf.resource?.helm_release ?? {}).map((r) => r.name)).not.toContain(
      "orders-migrate",
    );
    expect(JSON.stringify(tf)).not.toMatch(/MigrationChart/);
  });
});

describe("the seeds", () => {
  test("prod's angzarr migrates its PostgreSQL event store before its app, on DigitalOcean only (Argo CD: a source of its Application)", () => {
    const app = realApp();
    const tf = app.stacks.get("prod-do-apps")!;
    // Argo CD delivers prod's apps on DigitalOcean: no helm_release of the migration; it is a
    // source of angzarr's Application (its hook Job runs in PreSync, before the app's objects).
    expect(releases(tf)["angzarr-migrate"]).toBeUndefined();
    const [migration] = applicationReleasesOf(tf, "charts/migration");
    expect(migration).toMatchObject({
      name: "angzarr-migrate",
      raw: { application: "prod-angzarr", namespace: "prod" },
      values: {
        jobName: "angzarr-migrate-0-4-3",
        image: { repository: "ghcr.io/angzarr/angzarr-migrations", tag: "0.4.3" },
      },
    });
    for (const stack of ["prod-gcp-apps", "prod-aws-apps"]) {
      expect(releases(app.stacks.get(stack)!)["angzarr-migrate"]).toBeUndefined();
    }
  });
});
