/** The migrations and release-timeout parts of the workloads schema: defaults and every bad input. */
import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import type { MigrationInput, WorkloadsInput } from "../../environments/schema/workloads";
import { BITNAMI_IMAGES, envInput, problems } from "../support/env";

const PROD = { tier: "prod" as const, backend: { type: "gcs" as const, bucket: "tf-state" } };
const ATLAS = { repository: "docker.io/arigaio/atlas", tag: "0.36.0" };

function input(
  workloads: WorkloadsInput,
  overrides: Partial<EnvironmentInput> = {},
): EnvironmentInput {
  return envInput({
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
    workloads: { images: BITNAMI_IMAGES, ...workloads },
    ...overrides,
  });
}
/** Two apps on the in-cluster PostgreSQL, with these migrations. */
function shared(
  orders?: Partial<MigrationInput>,
  billing?: Partial<MigrationInput>,
  extra: WorkloadsInput = {},
): WorkloadsInput {
  const m = (x?: Partial<MigrationInput>) =>
    x ? { migration: { image: ATLAS, ...x } as MigrationInput } : {};
  return {
    databases: { postgresql: {} },
    ...extra,
    apps: {
      orders: {
        image: { repository: "ghcr.io/x/orders", tag: "1.0.0" },
        database: true,
        ...m(orders),
      },
      billing: {
        image: { repository: "ghcr.io/x/billing", tag: "1.0.0" },
        databaseUrlEnv: "DATABASE_URL",
        ...m(billing),
      },
      ...extra.apps,
    },
  };
}

describe("release timeouts", () => {
  test("per layer, from the tier: stateful releases wait longest", () => {
    const t = (tier: "dev" | "staging" | "prod") =>
      EnvironmentSchema.parse(input({}, tier === "dev" ? {} : { ...PROD, tier })).workloads
        .timeoutSeconds;
    expect(t("dev")).toEqual({ platform: 600, stateful: 900, apps: 600 });
    expect(t("staging")).toEqual({ platform: 600, stateful: 1800, apps: 600 });
    expect(t("prod")).toEqual({ platform: 900, stateful: 3600, apps: 900 });
  });

  test("one number sets every layer; an object overrides some", () => {
    const w = (timeoutSeconds: WorkloadsInput["timeoutSeconds"]) =>
      EnvironmentSchema.parse(input({ timeoutSeconds })).workloads.timeoutSeconds;
    expect(w(1200)).toEqual({ platform: 1200, stateful: 1200, apps: 1200 });
    expect(w({ stateful: 9600 })).toEqual({ platform: 600, stateful: 9600, apps: 600 });
  });

  test("60 s to 4 h", () => {
    expect(problems(input({ timeoutSeconds: { stateful: 14_401 } }))).toEqual([
      expect.stringMatching(/timeoutSeconds\.stateful: timeout 14401 s is above 4 h \(14400 s\)/),
    ]);
    expect(problems(input({ timeoutSeconds: 30 }))).toEqual([
      expect.stringMatching(/timeoutSeconds.*timeout 30 s is below 60 s/),
    ]);
  });
});

describe("migration defaults", () => {
  test("named after the app, the in-cluster PostgreSQL, 10 minutes, 2 retries, a day of TTL", () => {
    const w = EnvironmentSchema.parse(input(shared({}))).workloads;
    expect(w.apps.orders.migration).toEqual({
      name: "orders-migrate",
      image: ATLAS,
      database: "postgresql",
      urlEnv: "DATABASE_URL",
      env: {},
      timeoutSeconds: 600,
      backoffLimit: 2,
      ttlSecondsAfterFinished: 86400,
      after: [],
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      runAsUser: 10001,
    });
    expect(w.apps.billing.migration).toBeUndefined();
  });

  test("a database's own migration is named after its release", () => {
    const w = EnvironmentSchema.parse(
      input({ databases: { postgresql: { migration: { image: ATLAS } } } }),
    ).workloads;
    expect(w.databases.postgresql?.migration?.name).toBe("db-migrate");
  });

  test("a resolved environment with migrations is valid input that resolves to itself", () => {
    const once = EnvironmentSchema.parse(input(shared({ after: ["billing-migrate"] }, {})));
    expect(EnvironmentSchema.parse(once)).toEqual(once);
  });
});

describe("migration bad input", () => {
  test("a migration for a database the environment does not have", () => {
    expect(
      problems(
        input({
          apps: {
            orders: {
              image: { repository: "ghcr.io/x/orders", tag: "1.0.0" },
              migration: { image: ATLAS },
            },
          },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /apps\.orders\.migration\.database: apps\.orders's migration migrates postgresql, which this environment does not have \(workloads\.databases\.postgresql is not configured\)/,
      ),
    ]);
  });

  test("a migration of a database the app does not use", () => {
    const w = shared();
    w.apps!.web = {
      image: { repository: "ghcr.io/x/web", tag: "1.0.0" },
      migration: { image: ATLAS },
    };
    expect(problems(input(w))).toEqual([
      expect.stringMatching(
        /apps\.web\.migration\.database: web's migration migrates postgresql, but web uses it on none of its clusters \[digitalocean\]; set database: true/,
      ),
    ]);
  });

  test("a migration image without a tag", () => {
    expect(
      problems(input(shared({ image: { repository: ATLAS.repository } as typeof ATLAS }))),
    ).toEqual([
      expect.stringMatching(
        /apps\.orders\.migration\.image\.tag: a migration image needs a tag: the Job's name follows the tag/,
      ),
    ]);
    expect(problems(input(shared({ image: { ...ATLAS, tag: "" } })))).toEqual([
      expect.stringMatching(/migration\.image\.tag: migration image tag must be a Docker tag/),
    ]);
  });

  test("a migration image tagged latest in prod (allowed in dev)", () => {
    const latest = shared({ image: { ...ATLAS, tag: "latest" } });
    expect(problems(input(latest, PROD))).toEqual([
      expect.stringMatching(
        /apps\.orders\.migration\.image\.tag: a prod-tier environment cannot run migration image tag "latest"/,
      ),
    ]);
    expect(problems(input(latest))).toEqual([]);
  });

  test("a timeout outside 1 s–4 h", () => {
    expect(problems(input(shared({ timeoutSeconds: 0 })))).toEqual([
      expect.stringMatching(
        /apps\.orders\.migration\.timeoutSeconds: migration timeout 0 s is outside 1 s–4 h/,
      ),
    ]);
    expect(problems(input(shared({ timeoutSeconds: 14_401 })))).toEqual([
      expect.stringMatching(/migration timeout 14401 s is outside 1 s–4 h \(14400 s\)/),
    ]);
    expect(problems(input(shared({ timeoutSeconds: 1 })))).toEqual([]);
    expect(problems(input(shared({ timeoutSeconds: 14_400 })))).toEqual([]);
  });

  test("a cycle in migration order", () => {
    expect(
      problems(input(shared({ after: ["billing-migrate"] }, { after: ["orders-migrate"] }))),
    ).toEqual([
      expect.stringMatching(
        /apps\.\w+\.migration\.after: migration order has a cycle: (orders-migrate → billing-migrate → orders-migrate|billing-migrate → orders-migrate → billing-migrate)/,
      ),
    ]);
    expect(problems(input(shared({ after: ["orders-migrate"] })))).toEqual([
      expect.stringMatching(/cycle: orders-migrate → orders-migrate/),
    ]);
  });

  test("an order naming an unknown migration", () => {
    expect(problems(input(shared({ after: ["nope"] })))).toEqual([
      expect.stringMatching(
        /apps\.orders\.migration\.after\[0\]: migration "nope" is not declared in this environment; known: orders-migrate/,
      ),
    ]);
  });

  test("two migrations claiming the same name in one namespace", () => {
    expect(problems(input(shared({ name: "schema" }, { name: "schema" })))).toEqual([
      expect.stringMatching(
        /apps\.billing\.migration\.name: migration name "schema" is already claimed by apps\.orders\.migration in namespace "test"/,
      ),
    ]);
    // A migration's name is a Helm release: it may not be an app's or a database's either.
    expect(problems(input(shared({ name: "billing" })))).toEqual([
      expect.stringMatching(/migration name "billing" is already claimed by apps\.billing/),
    ]);
    expect(problems(input(shared({ name: "db" })))).toEqual([
      expect.stringMatching(/migration name "db" is already claimed by databases\.postgresql/),
    ]);
  });
});
