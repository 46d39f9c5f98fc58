/**
 * The real engine in the loop (scripts/lib/engine.ts): every synthesized stack is loaded by
 * OpenTofu or Terraform (whichever is on PATH; $STRATA_ENGINE picks one), and the stacks whose
 * providers sit in a local filesystem mirror are validated against the providers' schemas.
 * STRATA_TF_VALIDATE=1 validates every stack, downloading providers (OpenTofu users with network).
 * Without an engine the tests are skipped, saying why.
 */
import fs from "node:fs";
import path from "node:path";
import type { StackJson } from "../scripts/lib/cdktf-out";
import {
  findEngine,
  formatDiagnostics,
  loadStacks,
  mirroredProviders,
  pinToMirror,
  readMirrorGaps,
  validateStacks,
  type Engine,
} from "../scripts/lib/engine";
import { realApp } from "./support/app";

const ROOT = path.join(__dirname, "..");
const found = findEngine();
const engine: Engine | undefined = typeof found === "string" ? undefined : found;
const mirrored = mirroredProviders();
const fullValidate = process.env.STRATA_TF_VALIDATE === "1";

function stacks(): Map<string, StackJson> {
  return new Map([...realApp().stacks].map(([name, tf]) => [name, tf as StackJson]));
}

function only(name: string): Map<string, StackJson> {
  const tf = stacks().get(name);
  if (!tf) throw new Error(`no stack ${name}`);
  return new Map([[name, structuredClone(tf)]]);
}

if (!engine) {
  console.log(`engine tests skipped: ${String(found)}`);
  test.skip(`the real engine loads every stack (skipped: ${String(found)})`, () => undefined);
} else {
  describe(`${engine.kind} ${engine.version} loads every stack`, () => {
    test("no stack is refused when the engine loads its configuration", () => {
      const diagnostics = loadStacks(engine, stacks());
      expect(formatDiagnostics(diagnostics)).toBe("");
    }, 120_000);

    test("the load check finds the class: a data source with prevent_destroy is refused", () => {
      const one = only("prod-do-apps");
      const data = one.get("prod-do-apps")!.data!;
      const [type] = Object.keys(data);
      const [name] = Object.keys(data[type]);
      data[type][name].lifecycle = { prevent_destroy: true };
      const diagnostics = loadStacks(engine, one);
      expect(diagnostics).toEqual([
        expect.objectContaining({
          stack: "prod-do-apps",
          summary: "Invalid data resource lifecycle argument",
          where: `data.${type}.${name}.lifecycle`,
        }),
      ]);
    });
  });

  const mirroredAny = mirrored.size > 0 || fullValidate;
  const why = `no provider mirror found (set STRATA_TF_MIRROR, or STRATA_TF_VALIDATE=1 to download providers)`;
  if (!mirroredAny) {
    console.log(`engine validate skipped: ${why}`);
    test.skip(`validate against provider schemas (skipped: ${why})`, () => undefined);
  } else {
    describe(`${engine.kind} validate against provider schemas`, () => {
      // One init + validate for every stack at hand, plus a copy of one with an argument its
      // provider does not have: the engine must refuse exactly that copy (the check finds the
      // class), and nothing else. (An unpacked mirror is linked, not copied, into each run.)
      test("every stack whose providers are at hand validates; an unknown argument is refused", () => {
        const all = stacks();
        const probe = structuredClone(all.get("dev-aws-network")!);
        const vpcs = probe.resource!.aws_vpc;
        vpcs[Object.keys(vpcs)[0]].no_such_argument = true;
        all.set("zz-probe-unknown-argument", probe);
        const result = validateStacks(engine, all, { mirrorOnly: !fullValidate, mirrored });
        console.log(
          `validated with ${engine.kind} ${engine.version}: ${result.validated.join(", ")}; ` +
            `skipped ${result.skipped.length} (${[...new Set(result.skipped.map((s) => s.reason))].join("; ")})`,
        );
        expect(result.validated).toContain("dev-aws-network");
        expect(result.diagnostics).toEqual([
          expect.objectContaining({
            stack: "zz-probe-unknown-argument",
            detail: expect.stringMatching(/no_such_argument/),
          }),
        ]);
      }, 300_000);
    });
  }
}

describe("facts/engine-mirror.json", () => {
  const gaps = readMirrorGaps();

  test("every gap cites the provider CHANGELOG at the pinned tag and is still used by a stack", () => {
    const all = [...stacks().values()];
    for (const [source, list] of Object.entries(gaps)) {
      for (const gap of list) {
        expect(gap.source).toMatch(/^https:\/\/github\.com\/.+\/blob\/v[\d.]+\/CHANGELOG\.md/);
        const used = all.some((tf) =>
          Object.values((gap.kind === "resource" ? tf.resource : tf.data)?.[gap.type] ?? {}).some(
            (block) => gap.argument in block,
          ),
        );
        expect({ provider: source, ...gap, used }).toMatchObject({ used: true });
      }
    }
  });

  test("a gap is applied only below the version that added the argument", () => {
    const tf = (): StackJson =>
      ({
        terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "6.25.0" } } },
        resource: { aws_eks_cluster: { c: { name: "c", deletion_protection: true } } },
      }) as unknown as StackJson;
    const mirror = (version: string) =>
      new Map([["hashicorp/aws", { source: "hashicorp/aws", version, mirror: "/m" }]]);
    const old = tf();
    expect(pinToMirror(old, mirror("5.100.0"), gaps)).toHaveLength(1);
    expect(old.resource!.aws_eks_cluster.c).toEqual({ name: "c" });
    expect(old.terraform!.required_providers).toMatchObject({ aws: { version: "5.100.0" } });
    const current = tf();
    expect(pinToMirror(current, mirror("6.25.0"), gaps)).toHaveLength(0);
    expect(current.resource!.aws_eks_cluster.c).toEqual({ name: "c", deletion_protection: true });
  });

  test("the facts file is JSON with a providers map", () => {
    const json = JSON.parse(
      fs.readFileSync(path.join(ROOT, "facts", "engine-mirror.json"), "utf8"),
    );
    expect(Object.keys(json.providers).length).toBeGreaterThan(0);
  });
});
