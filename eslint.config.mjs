// Lint: typescript-eslint's recommended rules (syntax-only, fast) plus the project's house rules.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "cdktf.out.*/", ".gen/", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // Loading a provider package's barrel costs seconds and hundreds of MB: import by deep path.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@cdktf/provider-[a-z0-9-]+(/lib)?(/index(\\.js)?)?$",
              message:
                "Import the resource class by deep path, e.g. @cdktf/provider-google/lib/compute-network.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
