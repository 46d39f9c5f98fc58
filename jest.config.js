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
  // Two workers on the 2-core machines this runs on (jest's default, cores - 1, runs in band).
  // Memory: every test file loads cdktf and provider classes afresh, and V8 lets the garbage pile
  // up to ~500 MB a worker. `npm test` runs jest with a 256 MB old and 4 MB young generation
  // (workers inherit node's flags), so V8 collects sooner: ~300 MB a worker and ~0.85 GB for the
  // whole run with its children, instead of 1.1 GB, for ~1.5 s more.
  // A worker whose heap still holds more than 320 MB after a test file is replaced.
  maxWorkers: 2,
  workerIdleMemoryLimit: "320MB",
};
