import { checkAddresses, statefulAddresses } from "../../../../modules/common/policy/addresses";
import type { StackJson } from "../../../../modules/common/policy/engine";

const stack = (
  resources: Record<string, string[]>,
  moved?: Array<{ from: string; to: string }>,
): StackJson =>
  ({
    resource: Object.fromEntries(
      Object.entries(resources).map(([type, ids]) => [
        type,
        Object.fromEntries(ids.map((id) => [id, {}])),
      ]),
    ),
    ...(moved ? { moved } : {}),
  }) as StackJson;

describe("stable addresses", () => {
  test("lists only stateful resources, sorted", () => {
    const stacks = new Map([["s", stack({ aws_dynamodb_table: ["B", "A"], aws_iam_role: ["R"] })]]);
    expect(statefulAddresses(stacks)).toEqual({
      s: ["aws_dynamodb_table.A", "aws_dynamodb_table.B"],
    });
  });

  test("a stateful address that disappears without a moved block is lost, and named", () => {
    const now = new Map([["s", stack({ aws_dynamodb_table: ["Renamed"] })]]);
    expect(checkAddresses({ s: ["aws_dynamodb_table.Events"] }, now)).toEqual({
      lost: [{ stack: "s", address: "aws_dynamodb_table.Events" }],
      moved: [],
      added: [{ stack: "s", address: "aws_dynamodb_table.Renamed" }],
    });
  });

  test("a moved block covers the rename", () => {
    const now = new Map([
      [
        "s",
        stack({ aws_dynamodb_table: ["Renamed"] }, [
          { from: "aws_dynamodb_table.Events", to: "aws_dynamodb_table.Renamed" },
        ]),
      ],
    ]);
    expect(checkAddresses({ s: ["aws_dynamodb_table.Events"] }, now).lost).toEqual([]);
    expect(checkAddresses({ s: ["aws_dynamodb_table.Events"] }, now).moved).toEqual([
      { stack: "s", from: "aws_dynamodb_table.Events", to: "aws_dynamodb_table.Renamed" },
    ]);
  });

  test("a removed stack loses its addresses", () => {
    expect(checkAddresses({ gone: ["google_bigtable_instance.I"] }, new Map()).lost).toEqual([
      { stack: "gone", address: "google_bigtable_instance.I" },
    ]);
  });
});
