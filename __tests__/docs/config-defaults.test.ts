/**
 * The configuration tables in docs/ come from the schemas' TSDoc (scripts/docs/schema-keys.ts).
 * Here every literal `@default` is checked against what the schema really resolves, for an
 * environment that writes every section with as little as it may, in each tier: a TSDoc default
 * that drifted from the code fails, naming the key.
 */
import { EnvironmentSchema, type EnvironmentInput } from "../../environments/schema";
import { docLiteral } from "../../scripts/docs/config-tables";
import { documentedKeys } from "../../scripts/docs/generate";

/** Every section present, nothing set that has a default (except what a section requires). */
function probe(tier: "dev" | "staging" | "prod"): EnvironmentInput {
  return {
    name: "probe",
    tier,
    owner: "docs",
    team: "docs",
    ...(tier === "dev" ? {} : { backend: { type: "gcs", bucket: "probe-state" } }),
    targets: {
      gcp: {
        project: "probe-project",
        projectNumber: "123456789012",
        region: "europe-west1",
        cluster: {},
        eventStore: { instanceId: "probe-events" },
        pubsub: { topics: { t: {} }, subscriptions: { s: { topic: "t" } } },
        workloadIdentities: [{ app: "app", eventStore: "read" }],
      },
      aws: {
        region: "eu-west-1",
        cluster: {},
        eventStore: {},
        messaging: { topics: [{ name: "t" }], consumers: [{ name: "c", topic: "t" }] },
        workloadIdentities: [{ app: "app", eventStore: "read" }],
      },
      digitalocean: {
        region: "ams3",
        network: { ipRange: "10.0.0.0/16" },
        cluster: { pools: [{ name: "p" }] },
        databases: {
          postgres: { databases: [{ name: "d", user: "u" }] },
          redis: {},
          kafka: { users: [{ name: "k" }] },
        },
      },
    },
    workloads: {
      images: { bitnami: { registry: "docker.io", namespace: "bitnamilegacy" } },
      platform: { certManager: {}, envoyGateway: {}, argocd: {} },
      databases: {
        postgresql: { migration: { image: { repository: "example/migrate", tag: "1" } } },
        redis: {},
        clickhouse: {},
        meilisearch: {},
      },
      buses: { rabbitmq: {}, kafka: {} },
      apps: {
        app: {
          image: { repository: "example/app", tag: "1" },
          database: true,
          autoscaling: { maxReplicas: 3 },
          migration: { image: { repository: "example/migrate", tag: "1" } },
        },
      },
    },
  };
}

/** The value at a documented key path (`a.b[].c.<name>`: first element, first key). */
function at(value: unknown, keyPath: string): unknown {
  let v = value;
  for (const part of keyPath.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    const o = v as Record<string, unknown>;
    if (part === "<name>") v = o[Object.keys(o)[0]];
    else if (part.endsWith("[]")) v = (o[part.slice(0, -2)] as unknown[] | undefined)?.[0];
    else v = o[part];
  }
  return v;
}

/** A TSDoc literal as data: `{ mode: "on-demand" }` → { mode: "on-demand" }. */
function parseLiteral(text: string): unknown {
  return JSON.parse(text.replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":'));
}

/**
 * TSDoc defaults the code contradicts in one place, with why. Each must still be contradicted:
 * when the schema's comment or code changes, the entry goes.
 */
const KNOWN: Readonly<Record<string, string>> = {
  "workloads.platform.argocd.enabled":
    "the platform toggles share one TSDoc (`enabled` @default true), but Argo CD is off by default (platform.argocd: @default - off); the docs show the latter",
};

const keys = documentedKeys().filter((k) => docLiteral(k) !== undefined);

test("literal defaults are found", () => {
  expect(keys.length).toBeGreaterThan(50);
});

describe.each(["dev", "staging", "prod"] as const)("%s tier", (tier) => {
  const input = probe(tier);
  const resolved = EnvironmentSchema.parse(input);

  test("every literal @default is what the schema resolves", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const k of keys) {
      if (at(input, k.path) !== undefined) continue; // the probe writes it: the default is not seen
      const actual = at(resolved, k.path);
      if (actual === undefined) continue; // another variant (backend.dir with a gcs backend)
      checked++;
      const expected = parseLiteral(docLiteral(k)!);
      const same = JSON.stringify(expected) === JSON.stringify(actual);
      if (same === k.path in KNOWN)
        wrong.push(
          k.path in KNOWN
            ? `${k.path}: listed in KNOWN but now resolves to its TSDoc default; remove it from KNOWN`
            : `${k.path} (${k.source}): TSDoc @default ${docLiteral(k)}, but the schema resolves ${JSON.stringify(actual)}`,
        );
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
