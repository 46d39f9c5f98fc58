// Jest transformer: TypeScript → CommonJS with esbuild, no type-checking (that is `npm run typecheck`).
const { transformSync } = require("esbuild");
const { createHash } = require("crypto");
const { version } = require("esbuild/package.json");

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "inline",
      sourcefile: filename,
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return createHash("sha256").update(version).update(filename).update(source).digest("hex");
  },
};
