// Synthesizes the real app once for the whole jest run; app-level test files read it through
// realApp() (__tests__/support/app.ts) instead of each synthesizing it again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { synthesizeRealApp } from "./support/app";

export default function globalSetup(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "strata-jest-app-"));
  synthesizeRealApp(outdir);
  process.env.STRATA_TEST_APP_DIR = outdir;
}
