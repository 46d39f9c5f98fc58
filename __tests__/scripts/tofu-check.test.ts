/** `npm run tofu:check` against fake engines on PATH: what cdktf would run, and whether it fits. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnScript } from "../support/cli";

const bin = fs.mkdtempSync(path.join(os.tmpdir(), "strata-tofu-check-"));
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

/** A fake engine printing `version` like the real one. */
function engine(name: string, firstLine: string): void {
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/bin/sh\necho "${firstLine}"\necho "on linux_amd64"\n`);
  fs.chmodSync(file, 0o755);
}

function check(binaryName?: string) {
  return spawnScript("scripts/tofu-check.ts", [], {
    PATH: bin, // only the fakes: node runs by absolute path
    TERRAFORM_BINARY_NAME: binaryName,
  });
}

beforeAll(() => {
  engine("tofu", "OpenTofu v1.10.6");
  engine("tofu17", "OpenTofu v1.7.3");
  engine("terraform", "Terraform v1.11.4");
});

test("TERRAFORM_BINARY_NAME=tofu with OpenTofu 1.10: ok, exit 0", () => {
  const result = check("tofu");
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/OpenTofu v1\.10\.6 \("tofu"\): ok/);
});

test("unset: cdktf runs terraform, which cannot read state encryption; exit 1", () => {
  const result = check();
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /TERRAFORM_BINARY_NAME is unset, so cdktf runs Terraform v1\.11\.4.*set TERRAFORM_BINARY_NAME=tofu/,
  );
});

test("a binary that is not on PATH: says what cdktf would print and how to fix it", () => {
  const result = check("tofu-missing");
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(
    /"tofu-missing", which is not on PATH \(ENOENT\).*execvp\(3\) failed.*install OpenTofu >= 1\.10/,
  );
});

test("an OpenTofu older than 1.10: exit 1 with the reason", () => {
  const result = check("tofu17");
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/OpenTofu v1\.7\.3 is too old: Strata needs OpenTofu >= 1\.10/);
});
