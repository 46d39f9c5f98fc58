import fs from "node:fs";

export default function globalTeardown(): void {
  const root = process.env.STRATA_TEST_ROOT;
  if (root) fs.rmSync(root, { recursive: true, force: true });
}
