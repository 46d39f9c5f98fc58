/** Jest: transpile-only through esbuild (type-checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/scripts/jest-esbuild.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  cacheDirectory: "<rootDir>/node_modules/.cache/jest",
  // Two workers on the 2-core machines this runs on (jest's default, cores - 1, runs in band);
  // a worker that grows past 512 MB is replaced, which keeps the whole run under 1 GB.
  maxWorkers: 2,
  workerIdleMemoryLimit: "320MB",
};
