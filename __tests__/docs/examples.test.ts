/**
 * The example environment files are valid and synthesize their stacks, as the README tells users
 * to run them: `STRATA_ENV_FILE=examples/<cloud>.yaml STRATA_ENVS=<name> npm run synth`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readEnvironmentFile } from "../../environments";
import { EXAMPLES } from "../../scripts/docs/generate";
import { synthesizeRealApp } from "../support/app";

const ROOT = path.join(__dirname, "..", "..");

/** What each example must produce. */
const EXPECTED: Readonly<Record<keyof typeof EXAMPLES, { name: string; stacks: string[] }>> = {
  gcp: {
    name: "orders",
    stacks: ["network", "cluster", "data", "messaging", "platform", "apps"].map(
      (l) => `orders-gcp-${l}`,
    ),
  },
  aws: {
    name: "billing",
    stacks: ["network", "cluster", "data", "messaging", "platform", "apps"].map(
      (l) => `billing-aws-${l}`,
    ),
  },
  digitalocean: {
    name: "shop",
    stacks: ["network", "cluster", "platform", "databases", "apps"].map((l) => `shop-do-${l}`),
  },
};

test("there is one example per cloud, and the tests know each", () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(EXAMPLES).sort());
  expect(fs.readdirSync(path.join(ROOT, "examples")).sort()).toEqual(
    Object.values(EXAMPLES)
      .map((f) => path.basename(f))
      .sort(),
  );
});

describe.each(Object.entries(EXAMPLES) as Array<[keyof typeof EXAMPLES, string]>)(
  "%s: %s",
  (cloud, file) => {
    const envFile = path.join(ROOT, file);
    const expected = EXPECTED[cloud];

    test("is one environment of that cloud only", () => {
      const [env, ...rest] = readEnvironmentFile(envFile) as Array<{
        name: string;
        targets: Record<string, unknown>;
      }>;
      expect(rest).toEqual([]);
      expect(env.name).toBe(expected.name);
      expect(Object.keys(env.targets)).toEqual([cloud]);
    });

    test("synthesizes its stacks beside the built-in environments, policy gate included", () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), `strata-example-${cloud}-`));
      try {
        const app = synthesizeRealApp(out, { envFile, envs: expected.name });
        // It adds an environment; it replaces none of the built-in ones.
        expect(app.registry.warnings.filter((w) => w.message.includes("replaces"))).toEqual([]);
        expect(Object.keys(app.manifest.stacks).sort()).toEqual([...expected.stacks].sort());
        for (const [name, tf] of app.stacks) {
          // Every stack has resources of its own and the environment's labels.
          expect(Object.keys(tf.resource ?? {}).length).toBeGreaterThan(0);
          expect(app.files.get(name)).toContain(`"environment": "${expected.name}"`);
        }
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  },
);
