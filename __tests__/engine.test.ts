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
import { spawnSync } from "node:child_process";
import { synthesizeAtomically } from "../stacks/synth";
import { realApp } from "./support/app";
import { queueApp, queueWorkspace } from "./support/queue-app";

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

describe("a moved block planned by the engine (stacks/moves.ts)", () => {
  const ws = queueWorkspace("strata-engine-moves-");
  const { tmp, base, out, read } = ws;
  afterAll(ws.cleanup);
  const moveSkip = !engine
    ? String(found)
    : mirrored.has("hashicorp/aws")
      ? undefined
      : "the AWS provider is not in a local mirror (STRATA_TF_MIRROR)";
  if (moveSkip) console.log(`moved-block plan skipped: ${moveSkip}`);
  (moveSkip ? test.skip : test)(
    "the engine plans the moved block as a move, not destroy + create",
    () => {
      if (!engine) return;
      synthesizeAtomically(base, queueApp("Queue0"));
      synthesizeAtomically(out, queueApp("Queue-orders"), { base });
      const dir = path.join(tmp, "plan");
      fs.mkdirSync(dir, { recursive: true });
      const tf = read();
      pinToMirror(tf, mirrored, readMirrorGaps());
      fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(tf));
      // The state the base applied: the queue at its old address, attributes as the provider keeps them.
      const attributes = {
        id: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
        arn: "arn:aws:sqs:us-east-1:123456789012:orders",
        url: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
        name: "orders",
        name_prefix: "",
        fifo_queue: false,
        content_based_deduplication: false,
        deduplication_scope: "",
        fifo_throughput_limit: "",
        delay_seconds: 0,
        max_message_size: 262144,
        message_retention_seconds: 345600,
        receive_wait_time_seconds: 0,
        visibility_timeout_seconds: 30,
        sqs_managed_sse_enabled: true,
        kms_master_key_id: "",
        kms_data_key_reuse_period_seconds: 300,
        policy: "",
        redrive_policy: "",
        redrive_allow_policy: "",
        tags: {},
        tags_all: {},
      };
      fs.writeFileSync(
        path.join(dir, "terraform.tfstate"),
        JSON.stringify({
          version: 4,
          terraform_version: "1.11.4",
          serial: 1,
          lineage: "strata-moves-test",
          outputs: {},
          resources: [
            {
              mode: "managed",
              type: "aws_sqs_queue",
              name: "Queue0",
              provider: 'provider["registry.terraform.io/hashicorp/aws"]',
              instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
            },
          ],
        }),
      );
      const config = path.join(dir, "engine.tfrc");
      const mirrors = [...new Set([...mirrored.values()].map((m) => m.mirror))];
      fs.writeFileSync(
        config,
        `provider_installation {\n${mirrors.map((m) => `  filesystem_mirror {\n    path = ${JSON.stringify(m)}\n  }`).join("\n")}\n}\n`,
      );
      const env = { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: "1" };
      const run = (args: string[]) =>
        spawnSync(engine.binary, args, { cwd: dir, env, encoding: "utf8" });
      const init = run(["init", "-input=false", "-no-color"]);
      expect(init.stderr).toBe("");
      expect(init.status).toBe(0);
      // The plan as the engine's JSON messages: each change with its action, one provider start.
      const plan = run(["plan", "-refresh=false", "-input=false", "-no-color", "-json"]);
      const messages = plan.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; change?: object; changes?: object });
      expect(messages.filter((m) => m.type === "planned_change").map((m) => m.change)).toEqual([
        expect.objectContaining({
          resource: expect.objectContaining({ addr: "aws_sqs_queue.Queue-orders" }),
          previous_resource: expect.objectContaining({ addr: "aws_sqs_queue.Queue0" }),
          action: "move",
        }),
      ]);
      expect(messages.find((m) => m.type === "change_summary")?.changes).toMatchObject({
        add: 0,
        change: 0,
        remove: 0,
      });
    },
    120_000,
  );
});
