/** `npm run policy` (scripts/policy.ts): exit codes, including stacks it cannot judge. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "../../scripts/policy";
import { fakeOut } from "./support/fake-out";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-policy-cli-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function quietly<T>(fn: () => T): { result: T; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest
    .spyOn(console, "log")
    .mockImplementation((m: unknown) => void out.push(String(m)));
  const error = jest
    .spyOn(console, "error")
    .mockImplementation((m: unknown) => void err.push(String(m)));
  try {
    return { result: fn(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe("npm run policy", () => {
  test("clean stacks of known environments: exit 0", () => {
    const dir = fakeOut(work, { "dev-gcp-network": [] });
    const { result, out } = quietly(() => run(["--dir", dir]));
    expect(out).toMatch(/^Policy: 1 stacks, \d+ rules, 0 violation\(s\)/);
    expect(result).toBe(0);
  });

  test("a stack no environment owns is not judged: said in the report, and exit 1", () => {
    const dir = fakeOut(work, { "dev-gcp-network": [], "mystery-gcp-network": [] });
    const { result, out, err } = quietly(() => run(["--dir", dir]));
    expect(out).toMatch(/^Policy: 2 stacks \(1 not judged\)/);
    expect(err).toMatch(/1 stack\(s\) were not judged .*: mystery-gcp-network/);
    expect(result).toBe(1);
  });
});
