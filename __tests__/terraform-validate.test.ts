/**
 * Optional: `tofu validate` of every synthesized stack through cdktf's toBeValidTerraform. It needs
 * an engine and its providers (`tofu init` downloads them), so it runs only when asked:
 *   STRATA_TF_VALIDATE=1 TERRAFORM_BINARY_NAME=tofu npm test -- terraform-validate
 * and is skipped, saying so, everywhere else (CI here has neither engine nor provider downloads).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { synthesizeRealApp } from "./support/app";

const binary = process.env.TERRAFORM_BINARY_NAME ?? "tofu";
const engineFound = spawnSync(binary, ["version"], { encoding: "utf8" }).status === 0;
const enabled = process.env.STRATA_TF_VALIDATE === "1" && engineFound;

if (!enabled) {
  test.skip(`tofu validate (set STRATA_TF_VALIDATE=1 with ${binary} and provider access to run it)`, () =>
    undefined);
} else {
  test("every stack is valid Terraform", () => {
    const app = synthesizeRealApp();
    try {
      for (const entry of Object.values(app.manifest.stacks)) {
        expect(path.join(app.outdir, entry.synthesizedStackPath)).toBeValidTerraform();
      }
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  }, 600_000);
}
