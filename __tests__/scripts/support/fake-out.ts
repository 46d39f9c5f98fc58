/** Hand-made cdktf.out folders for graph tests. */
import fs from "node:fs";
import path from "node:path";

/**
 * Writes a cdktf.out in a new folder under `work` with these stacks and dependencies; each stack
 * file holds only cdktf's backend metadata (local for dev-*, gcs otherwise).
 */
export function fakeOut(work: string, deps: Record<string, string[]>): string {
  const dir = fs.mkdtempSync(path.join(work, "out-"));
  const stacks: Record<string, object> = {};
  for (const [name, dependencies] of Object.entries(deps)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "stacks", name, "cdk.tf.json"),
      JSON.stringify({
        "//": { metadata: { backend: name.startsWith("dev-") ? "local" : "gcs" } },
      }),
    );
    stacks[name] = {
      name,
      dependencies,
      synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
      workingDirectory: `stacks/${name}`,
    };
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks, version: "0.21.0" }));
  return dir;
}
