/**
 * Refactoring without replacement (stacks/moves.ts): a renamed construct gets a `moved` block
 * against the base synthesis, and the real engine plans it as a move.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LocalBackend, TerraformStack, type App } from "cdktf";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  findEngine,
  mirroredProviders,
  pinToMirror,
  readMirrorGaps,
} from "../../scripts/lib/engine";
import type { StackJson } from "../../scripts/lib/cdktf-out";
import { findCrossStackMoves, findMoves, type MovableStack } from "../../stacks/moves";
import { synthesizeAtomically } from "../../stacks/synth";

const stack = (resource: MovableStack["resource"]): MovableStack => ({ resource });

describe("findMoves", () => {
  test("a renamed resource with the same configuration is a move", () => {
    expect(
      findMoves(
        stack({
          aws_sqs_queue: { Queue0: { name: "q", "//": { metadata: { path: "s/Queue0" } } } },
        }),
        stack({ aws_sqs_queue: { "Queue-orders": { name: "q" } } }),
      ),
    ).toEqual([
      { from: "aws_sqs_queue.Queue0", to: "aws_sqs_queue.Queue-orders", by: "configuration" },
    ]);
  });

  test("resources that differ only by what they reference follow the moves of those", () => {
    const before = stack({
      aws_subnet: { A0: { cidr_block: "10.0.0.0/24" }, A1: { cidr_block: "10.0.1.0/24" } },
      aws_route_table_association: {
        R0: { subnet_id: "${aws_subnet.A0.id}" },
        R1: { subnet_id: "${aws_subnet.A1.id}" },
      },
    });
    const after = stack({
      aws_subnet: { "A-a": { cidr_block: "10.0.0.0/24" }, "A-b": { cidr_block: "10.0.1.0/24" } },
      aws_route_table_association: {
        "R-a": { subnet_id: "${aws_subnet.A-a.id}" },
        "R-b": { subnet_id: "${aws_subnet.A-b.id}" },
      },
    });
    expect(findMoves(before, after).map((m) => [m.from, m.to, m.by])).toEqual([
      ["aws_route_table_association.R0", "aws_route_table_association.R-a", "references"],
      ["aws_route_table_association.R1", "aws_route_table_association.R-b", "references"],
      ["aws_subnet.A0", "aws_subnet.A-a", "configuration"],
      ["aws_subnet.A1", "aws_subnet.A-b", "configuration"],
    ]);
  });

  test("a rename with a changed setting is a move by identity (the same name)", () => {
    expect(
      findMoves(
        stack({ aws_sqs_queue: { Queue0: { name: "q", visibility_timeout_seconds: 30 } } }),
        stack({
          aws_sqs_queue: { "Queue-orders": { name: "q", visibility_timeout_seconds: 300 } },
        }),
      ),
    ).toEqual([{ from: "aws_sqs_queue.Queue0", to: "aws_sqs_queue.Queue-orders", by: "identity" }]);
  });

  test("identity follows moved references: a subscription of a moved topic and queue, with a new setting", () => {
    const before = stack({
      aws_sns_topic: { Topic0: { name: "events" } },
      aws_sqs_queue: { Queue0: { name: "a" }, Queue1: { name: "b" } },
      aws_sns_topic_subscription: {
        Sub0: { topic_arn: "${aws_sns_topic.Topic0.arn}", endpoint: "${aws_sqs_queue.Queue0.arn}" },
        Sub1: { topic_arn: "${aws_sns_topic.Topic0.arn}", endpoint: "${aws_sqs_queue.Queue1.arn}" },
      },
    });
    const dlq = { redrive_policy: "{}" };
    const after = stack({
      aws_sns_topic: { "Topic-events": { name: "events" } },
      aws_sqs_queue: { "Queue-a": { name: "a" }, "Queue-b": { name: "b" } },
      aws_sns_topic_subscription: {
        "Sub-a": {
          topic_arn: "${aws_sns_topic.Topic-events.arn}",
          endpoint: "${aws_sqs_queue.Queue-a.arn}",
          ...dlq,
        },
        "Sub-b": {
          topic_arn: "${aws_sns_topic.Topic-events.arn}",
          endpoint: "${aws_sqs_queue.Queue-b.arn}",
          ...dlq,
        },
      },
    });
    expect(
      findMoves(before, after)
        .filter((m) => m.from.startsWith("aws_sns_topic_subscription"))
        .map((m) => [m.from, m.to, m.by]),
    ).toEqual([
      ["aws_sns_topic_subscription.Sub0", "aws_sns_topic_subscription.Sub-a", "identity"],
      ["aws_sns_topic_subscription.Sub1", "aws_sns_topic_subscription.Sub-b", "identity"],
    ]);
  });

  test("no move when the physical resource differs, or when two candidates are alike", () => {
    expect(
      findMoves(
        stack({ aws_sqs_queue: { Queue0: { name: "q" } } }),
        stack({ aws_sqs_queue: { "Queue-x": { name: "other" } } }),
      ),
    ).toEqual([]);
    expect(
      findMoves(
        stack({ aws_eip: { E0: { domain: "vpc" }, E1: { domain: "vpc" } } }),
        stack({ aws_eip: { "E-a": { domain: "vpc" }, "E-b": { domain: "vpc" } } }),
      ),
    ).toEqual([]);
  });

  test("a resource that moved to another stack comes with the state steps", () => {
    const before = new Map([
      ["a", stack({ aws_sqs_queue: { Q: { name: "orders" } } })],
      ["b", stack({})],
    ]);
    const after = new Map([
      ["a", stack({})],
      ["b", stack({ aws_sqs_queue: { Orders: { name: "orders" } } })],
    ]);
    expect(findCrossStackMoves(before, after)).toEqual([
      {
        type: "aws_sqs_queue",
        from: { stack: "a", address: "aws_sqs_queue.Q" },
        to: { stack: "b", address: "aws_sqs_queue.Orders" },
        steps: [
          expect.stringMatching(/cdktf\.out\/stacks\/a && tofu state rm 'aws_sqs_queue\.Q'/),
          expect.stringMatching(
            /cdktf\.out\/stacks\/b && tofu import 'aws_sqs_queue\.Orders' <id>/,
          ),
        ],
      },
    ]);
  });
});

/** A one-queue app whose queue's construct id is `id`. */
function queueApp(id: string) {
  return (app: App) => {
    const s = new TerraformStack(app, "queues");
    new LocalBackend(s, { path: "terraform.tfstate" });
    new AwsProvider(s, "aws", {
      region: "us-east-1",
      accessKey: "test",
      secretKey: "test",
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: "true",
      skipRegionValidation: true,
    });
    new SqsQueue(s, id, { name: "orders" });
  };
}

describe("synthesis against a base (STRATA_BASE)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-moves-"));
  const base = path.join(tmp, "base");
  const out = path.join(tmp, "out");
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const read = () =>
    JSON.parse(
      fs.readFileSync(path.join(out, "stacks", "queues", "cdk.tf.json"), "utf8"),
    ) as StackJson & {
      moved?: unknown;
    };

  test("a renamed construct gets a moved block, kept when synthesizing again against the same base", () => {
    synthesizeAtomically(base, queueApp("Queue0"));
    const result = synthesizeAtomically(out, queueApp("Queue-orders"), { base });
    expect(result.moves.get("queues")).toEqual([
      { from: "aws_sqs_queue.Queue0", to: "aws_sqs_queue.Queue-orders", by: "configuration" },
    ]);
    expect(read().moved).toEqual([
      { from: "aws_sqs_queue.Queue0", to: "aws_sqs_queue.Queue-orders" },
    ]);
    // The output itself as the base (synthesizing twice before an apply): the move is kept.
    synthesizeAtomically(out, queueApp("Queue-orders"), { base: out });
    expect(read().moved).toEqual([
      { from: "aws_sqs_queue.Queue0", to: "aws_sqs_queue.Queue-orders" },
    ]);
    // No base: no moved block.
    synthesizeAtomically(out, queueApp("Queue-orders"));
    expect(read().moved).toBeUndefined();
  });

  const engine = findEngine();
  const mirrored = mirroredProviders();
  const skip =
    typeof engine === "string"
      ? engine
      : mirrored.has("hashicorp/aws")
        ? undefined
        : "the AWS provider is not in a local mirror (STRATA_TF_MIRROR)";
  if (skip) console.log(`moved-block plan skipped: ${skip}`);
  (skip ? test.skip : test)(
    "the engine plans the moved block as a move, not destroy + create",
    () => {
      if (typeof engine === "string") return;
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
      const plan = run(["plan", "-refresh=false", "-input=false", "-no-color", "-out=plan"]);
      expect(plan.stdout).toMatch(/aws_sqs_queue\.Queue0 has moved to aws_sqs_queue\.Queue-orders/);
      const show = JSON.parse(run(["show", "-json", "plan"]).stdout) as {
        resource_changes: Array<{
          address: string;
          previous_address?: string;
          change: { actions: string[] };
        }>;
      };
      expect(show.resource_changes).toEqual([
        expect.objectContaining({
          address: "aws_sqs_queue.Queue-orders",
          previous_address: "aws_sqs_queue.Queue0",
          change: expect.objectContaining({ actions: ["no-op"] }),
        }),
      ]);
    },
    120_000,
  );
});
