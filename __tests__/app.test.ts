import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { STACK_NAME_RE } from "../modules/common/naming";
import { findLiteralSecrets } from "../modules/common/secrets";
import { buildApp } from "../stacks/app";
import { synthesizeAtomically } from "../stacks/synth";
import { readTree, realApp, synthesizeRealApp, type SynthesizedApp } from "./support/app";
import { spawnScript } from "./support/cli";

let app: SynthesizedApp;
beforeAll(() => {
  app = realApp();
});

/** The provider version each prebuilt binding was generated for, by provider name. */
function bindingVersions(): Record<string, string> {
  const dir = path.join(__dirname, "..", "node_modules", "@cdktf");
  const versions: Record<string, string> = {};
  for (const pkg of fs
    .readdirSync(dir)
    .filter(
      (d) => d.startsWith("provider-") && !["provider-generator", "provider-schema"].includes(d),
    )) {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, pkg, "package.json"), "utf8")) as {
      cdktf?: { provider?: { name: string; version: string } };
    };
    if (meta.cdktf?.provider)
      versions[meta.cdktf.provider.name.split("/").pop()!] = meta.cdktf.provider.version;
  }
  return versions;
}

describe("the real app", () => {
  test("every environment synthesizes at least its network stacks", () => {
    for (const env of app.registry.all) {
      const mine = [...app.stacks.keys()].filter((s) => s.startsWith(`${env.name}-`));
      expect(mine.length).toBeGreaterThan(0);
      for (const cloud of ["gcp", "aws", "digitalocean"] as const) {
        if (env.targets[cloud])
          expect(mine).toContain(`${env.name}-${cloud === "digitalocean" ? "do" : cloud}-network`);
      }
    }
  });

  test("DigitalOcean: dev and prod own DOKS clusters, staging shares prod's and keeps its VPC", () => {
    const doStacks = Object.fromEntries(
      Object.entries(app.manifest.stacks)
        .filter(([name]) => /-do-(network|cluster|data)$/.test(name))
        .map(([name, s]) => [name, s.dependencies]),
    );
    expect(doStacks).toEqual({
      "dev-do-network": [],
      "dev-do-cluster": ["dev-do-network"],
      "staging-do-network": [],
      "prod-do-network": [],
      "prod-do-cluster": ["prod-do-network"],
      // PostgreSQL backups: each environment's Space in its own data stack.
      "prod-do-data": ["prod-do-network", "prod-do-cluster"],
      "staging-do-data": ["staging-do-network", "prod-do-cluster"],
    });
  });

  test("every stack name is <env>-<cloud>-<layer> of a known environment", () => {
    const envs = app.registry.all.map((e) => e.name);
    for (const name of app.stacks.keys()) {
      expect(name).toMatch(STACK_NAME_RE);
      expect(envs.some((e) => name.startsWith(`${e}-`))).toBe(true);
    }
  });

  test("every stack pins each provider to a qualified source and the binding's version", () => {
    const versions = bindingVersions();
    for (const [name, tf] of app.stacks) {
      const providers = Object.entries(tf.terraform?.required_providers ?? {});
      expect(providers.length).toBeGreaterThan(0);
      for (const [provider, req] of providers) {
        expect({ name, provider, source: req.source }).toEqual({
          name,
          provider,
          source: expect.stringMatching(/^[a-z0-9-]+\/[a-z0-9-]+$/),
        });
        expect({ name, provider, version: req.version }).toEqual({
          name,
          provider,
          version: versions[provider],
        });
      }
    }
  });

  test("every stack has a backend; staging and prod encrypt their state", () => {
    for (const [name, tf] of app.stacks) {
      expect(Object.keys((tf.terraform?.backend as object) ?? {})).toHaveLength(1);
      if (!name.startsWith("dev-")) expect(tf.terraform?.encryption).toBeDefined();
    }
  });

  test("no literal secret in any synthesized file", () => {
    const findings = [...app.stacks].flatMap(([name, tf]) =>
      findLiteralSecrets(tf).map((f) => `${name}: ${f.path.join(".")} ${f.reason}`),
    );
    expect(findings).toEqual([]);
  });

  test("stack snapshots", () => {
    for (const [name, text] of app.files) expect(text).toMatchSnapshot(name);
  });
});

describe("the source tree", () => {
  test("no file imports a provider package's barrel", () => {
    const roots = ["main.ts", "environments", "stacks", "modules", "scripts", "__tests__"].map(
      (r) => path.join(__dirname, "..", r),
    );
    const offenders: string[] = [];
    const scan = (p: string) => {
      if (fs.statSync(p).isDirectory())
        return fs.readdirSync(p).forEach((e) => scan(path.join(p, e)));
      if (!/\.(ts|js|mjs)$/.test(p)) return;
      const text = fs.readFileSync(p, "utf8");
      for (const m of text.matchAll(
        /(?:from\s+|require\(\s*|import\(\s*)["'](@cdktf\/provider-[a-z0-9-]+(?:\/lib)?(?:\/index(?:\.js)?)?)["']/g,
      )) {
        offenders.push(`${path.relative(path.join(__dirname, ".."), p)}: ${m[1]}`);
      }
    };
    roots.forEach(scan);
    expect(offenders).toEqual([]);
  });
});

describe("synthesis by groups", () => {
  test("deterministic, whatever the grouping: one App for everything, in this process, is byte-identical to npm run synth's grouped output", () => {
    const registry = app.registry;
    const single = fs.mkdtempSync(path.join(os.tmpdir(), "strata-single-"));
    try {
      synthesizeAtomically(single, (a) => buildApp(a, registry.selected, registry.all));
      expect(readTree(single)).toEqual(readTree(app.outdir));
    } finally {
      fs.rmSync(single, { recursive: true, force: true });
    }
  });
});

describe("npm run config -- show", () => {
  test("a printed environment, loaded back from its file, synthesizes byte-identical stacks", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "strata-config-show-"));
    try {
      const printed = spawnScript("scripts/config.ts", ["show", "prod"]);
      expect(printed.status).toBe(0);
      const file = path.join(dir, "prod.json");
      fs.writeFileSync(file, printed.stdout);
      const reloaded = synthesizeRealApp(path.join(dir, "out"), { envFile: file, envs: "prod" });
      const prodStacks = [...app.files.keys()].filter((s) => s.startsWith("prod-"));
      expect([...reloaded.files.keys()].sort()).toEqual(prodStacks.sort());
      for (const s of prodStacks)
        expect({ s, same: reloaded.files.get(s) === app.files.get(s) }).toEqual({ s, same: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
