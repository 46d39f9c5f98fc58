/**
 * Refactoring without replacement (stacks/moves.ts): a renamed construct gets a `moved` block
 * against the base synthesis. (The real engine's plan of it: __tests__/engine.test.ts.)
 */
import { findCrossStackMoves, findMoves, type MovableStack } from "../../stacks/moves";
import { synthesizeAtomically } from "../../stacks/synth";
import { queueApp, queueWorkspace } from "../support/queue-app";

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

describe("synthesis against a base (STRATA_BASE)", () => {
  const ws = queueWorkspace("strata-moves-");
  const { base, out, read } = ws;
  afterAll(ws.cleanup);

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
});
