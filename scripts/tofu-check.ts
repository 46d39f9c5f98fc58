/**
 * `npm run tofu:check`: is the engine the cdktf CLI will run (TERRAFORM_BINARY_NAME, default
 * "terraform", exactly as cdktf-cli 0.21 reads it) an OpenTofu recent enough for Strata's stacks?
 * Without it, `cdktf diff/deploy` fail with "execvp(3) failed.: No such file or directory" or,
 * under Terraform, on the `encryption` block. Exit 0: usable; 1: not.
 */
import { spawnSync } from "node:child_process";

/** OpenTofu ≥ 1.8 reads variables in the encryption block; ≥ 1.10 locks S3 state natively (use_lockfile). */
export const MIN_TOFU = [1, 10] as const;

const USAGE = `usage: npm run tofu:check [-- --quiet]
Checks that $TERRAFORM_BINARY_NAME (what cdktf diff/deploy run; default "terraform") is OpenTofu
>= ${MIN_TOFU.join(".")}. Set TERRAFORM_BINARY_NAME=tofu. Exit 0 usable, 1 not.`;

const INSTALL = "install OpenTofu >= 1.10 (https://opentofu.org/docs/intro/install/)";

function check(quiet: boolean): number {
  const configured = process.env.TERRAFORM_BINARY_NAME;
  const binary = configured || "terraform";
  const how = configured ? `TERRAFORM_BINARY_NAME=${configured}` : "TERRAFORM_BINARY_NAME is unset";
  const result = spawnSync(binary, ["version"], { encoding: "utf8" });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    console.error(
      `strata: ${how}, so cdktf runs "${binary}", which is not on PATH (${code}); cdktf diff/deploy would fail ` +
        `with "execvp(3) failed.: No such file or directory". Fix: ${INSTALL} and set TERRAFORM_BINARY_NAME=tofu.`,
    );
    return 1;
  }
  const first = `${result.stdout}`.split("\n")[0].trim();
  const m = /^(OpenTofu|Terraform) v(\d+)\.(\d+)\.(\d+)/.exec(first);
  if (!m) {
    console.error(
      `strata: "${binary} version" printed "${first}", not an OpenTofu version. Fix: ${INSTALL}.`,
    );
    return 1;
  }
  const [, engine, major, minor] = m;
  if (engine !== "OpenTofu") {
    console.error(
      `strata: ${how}, so cdktf runs ${first}. Strata's stacks need OpenTofu: Terraform rejects the ` +
        `terraform.encryption block (state encryption, staging/prod). Fix: ${INSTALL} and set TERRAFORM_BINARY_NAME=tofu.`,
    );
    return 1;
  }
  const [wantMajor, wantMinor] = MIN_TOFU;
  if (Number(major) < wantMajor || (Number(major) === wantMajor && Number(minor) < wantMinor)) {
    console.error(
      `strata: ${first} is too old: Strata needs OpenTofu >= ${MIN_TOFU.join(".")} (variables in the ` +
        `encryption block: 1.8; S3 native locking, use_lockfile: 1.10). Fix: ${INSTALL}.`,
    );
    return 1;
  }
  if (!quiet)
    console.log(`strata: ${first} ("${binary}"): ok for cdktf diff/deploy and tofu plan/apply`);
  return 0;
}

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  return check(argv.includes("--quiet"));
}
