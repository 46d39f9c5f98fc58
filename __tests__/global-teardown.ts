import fs from "node:fs";

export default function globalTeardown(): void {
  const dir = process.env.STRATA_TEST_APP_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
