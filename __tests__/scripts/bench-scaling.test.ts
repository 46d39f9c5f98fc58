import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEnvironments } from "../../environments";
import { fit, generateCopies } from "../../scripts/bench/scaling";

describe("bench scaling series", () => {
  test("generated copies of prod are valid environments that do not clash with each other or the seeds", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strata-bench-test-"));
    try {
      const { file, names } = generateCopies(40, dir);
      const registry = loadEnvironments({ envFile: file, envs: names.join(",") });
      expect(registry.selected.map((e) => e.name)).toEqual(names);
      expect(
        new Set(registry.selected.map((e) => e.targets.digitalocean?.network.ipRange)).size,
      ).toBe(40);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("fit recovers slope and intercept", () => {
    expect(
      fit([
        [10, 120],
        [20, 170],
        [40, 270],
      ]),
    ).toEqual({ slope: 5, intercept: 70 });
  });
});
