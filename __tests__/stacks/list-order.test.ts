/**
 * Identity from names, never positions: reversing every list in an environment's config (the
 * seeds' prod, everything in it) synthesizes byte-identical stacks. Construct ids are state
 * addresses, so a list position in one would turn a reorder into destroy + create.
 */
import fs from "node:fs";
import prod from "../../environments/prod";
import type { EnvironmentInput } from "../../environments/schema";
import { synthesizeRealApp } from "../support/app";

/**
 * Lists whose order is part of their meaning, by key or by path: a container's argv, the instance
 * types of an EKS node group (the first is preferred), and the Bigtable zones (the first is the
 * app profile's single-cluster routing target), an Argo CD app's values files (the last wins).
 * Every other list is reversed.
 */
export const ORDERED_LISTS = new Set([
  "args",
  "command",
  "instanceTypes",
  "eventStore.zones",
  "valueFiles",
]);

/** A deep copy of `value` with every list reversed but the ordered ones. */
export function reverseLists(value: unknown, path: string[] = []): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => reverseLists(v, path));
    const key = path[path.length - 1];
    const ordered = ORDERED_LISTS.has(key) || ORDERED_LISTS.has(path.slice(-2).join("."));
    return ordered ? items : items.reverse();
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, reverseLists(v, [...path, k])]),
    );
  }
  return value;
}

/** prod with more in every list the seeds keep short: topics, consumers, subscriptions, roles. */
export function richProd(): EnvironmentInput {
  const aws = prod.targets.aws!;
  const gcp = prod.targets.gcp!;
  return {
    ...prod,
    targets: {
      ...prod.targets,
      gcp: {
        ...gcp,
        cluster: {
          ...gcp.cluster,
          authorizedNetworks: [
            { cidr: "203.0.113.0/24", name: "office" },
            { cidr: "198.51.100.0/24", name: "ci" },
          ],
        },
        pubsub: {
          topics: { events: {}, audit: {} },
          subscriptions: {
            "angzarr-projector": { topic: "events", messageOrdering: true },
            "angzarr-audit": { topic: "audit" },
          },
        },
        workloadIdentities: [
          {
            app: "angzarr",
            eventStore: "read-write",
            publishes: ["events", "audit"],
            subscribes: ["angzarr-projector", "angzarr-audit"],
          },
        ],
      },
      aws: {
        ...aws,
        cluster: {
          ...aws.cluster,
          adminRoleArns: [
            "arn:aws:iam::123456789012:role/platform-admin",
            "arn:aws:iam::123456789012:role/break-glass",
          ],
        },
        messaging: {
          topics: [{ name: "events" }, { name: "audit" }],
          consumers: [
            { name: "angzarr-projector", topic: "events" },
            { name: "angzarr-audit", topic: "audit" },
            { name: "angzarr-replay", topic: "events", visibilityTimeoutSeconds: 300 },
          ],
        },
        workloadIdentities: [
          {
            app: "angzarr",
            eventStore: "read-write",
            publishes: ["events", "audit"],
            consumes: ["angzarr-projector", "angzarr-audit", "angzarr-replay"],
          },
        ],
      },
    },
  };
}

describe("list order in config changes no address", () => {
  test.each([
    ["the seeds' prod", prod],
    ["prod with several topics, consumers, subscriptions and admin roles", richProd()],
  ])("%s with every list reversed synthesizes byte-identical stacks", (_name, env) => {
    const reversed = reverseLists(env) as EnvironmentInput;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(env));
    const a = synthesizeRealApp(undefined, { builtins: [env] });
    const b = synthesizeRealApp(undefined, { builtins: [reversed] });
    try {
      expect([...b.files.keys()]).toEqual([...a.files.keys()]);
      const differing = [...a.files]
        .filter(([name, text]) => b.files.get(name) !== text)
        .map(([n]) => n);
      expect(differing).toEqual([]);
    } finally {
      fs.rmSync(a.outdir, { recursive: true, force: true });
      fs.rmSync(b.outdir, { recursive: true, force: true });
    }
  });
});
