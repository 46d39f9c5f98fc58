// Formats Markdown for scripts/docs/generate.ts with the project's prettier config, so generated
// docs pass `prettier --check`. Reads [{ file, text }] (JSON) on stdin, writes the same list
// formatted on stdout. A process of its own: prettier 3 loads its parsers with import(), which
// jest's module system does not allow inside a test.
import { format, resolveConfig } from "prettier";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const files = JSON.parse(input);
const out = [];
for (const { file, text } of files) {
  const config = (await resolveConfig(file)) ?? {};
  out.push({ file, text: await format(text, { ...config, filepath: file }) });
}
process.stdout.write(JSON.stringify(out));
