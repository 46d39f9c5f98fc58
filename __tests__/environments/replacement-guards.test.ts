/** A file that replaces a built-in environment (environments/index.ts: replacementGuards). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnvironments } from "../../environments";
import { ConfigError } from "../../environments/errors";
import prod from "../../environments/prod";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-guards-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function file(env: object): string {
  const f = path.join(work, `${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(env));
  return f;
}

function problemsOf(envFile: string): string[] {
  try {
    loadEnvironments({ envFile, envs: "prod" });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

/** The example: prod replaced by a dev-tier copy on a local backend, protections off. */
const downgraded = {
  ...prod,
  tier: "dev",
  backend: { type: "local" },
  deletionProtection: false,
  preventDestroy: false,
  stateEncryption: { enabled: false },
};

describe("a file replacing a staging or prod environment", () => {
  test("a tier downgrade, a backend change and protections off are refused, each with its fix", () => {
    const f = file(downgraded);
    expect(problemsOf(f)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^prod \\(${f}\\)\\.tier: tier "dev" downgrades tier "prod" .*add acknowledge: \\["tier-downgrade"\\]`,
        ),
      ),
      expect.stringMatching(
        /\.backend: backend local replaces s3 bucket angzarr-tfstate-prod: .*acknowledge: \["backend-change"\]/,
      ),
      expect.stringMatching(
        /\.deletionProtection: deletionProtection turns off .*acknowledge: \["protection-off"\]/,
      ),
      expect.stringMatching(/\.preventDestroy: preventDestroy turns off/),
      expect.stringMatching(/\.stateEncryption\.enabled: stateEncryption\.enabled turns off/),
    ]);
  });

  test("acknowledged by name: synthesized, with a warning that it replaces the built-in", () => {
    const f = file({
      ...downgraded,
      acknowledge: ["tier-downgrade", "backend-change", "protection-off"],
    });
    const registry = loadEnvironments({ envFile: f, envs: "prod", today: "2026-09-01" });
    expect(registry.selected[0].tier).toBe("dev");
    expect(registry.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^replaces the environment "prod" of prod \(same name\)$/),
      }),
    ]);
  });

  test("an acknowledgement nothing needs is a warning", () => {
    const f = file({ ...prod, acknowledge: ["backend-change"] });
    const registry = loadEnvironments({ envFile: f, envs: "prod", today: "2026-09-01" });
    expect(registry.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^replaces the environment/),
      expect.stringMatching(/^acknowledges "backend-change" but the file makes no such change/),
    ]);
  });

  test("an unknown acknowledgement is a schema error naming the field", () => {
    expect(problemsOf(file({ ...prod, acknowledge: ["yolo"] }))).toEqual([
      expect.stringMatching(/\.acknowledge\[0\]: /),
    ]);
  });
});
