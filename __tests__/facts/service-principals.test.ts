/**
 * Confused deputy, as a class: every Allow statement granting an AWS service principal — in a key
 * policy, a queue policy or a role's trust policy — carries a condition key AWS documents for that
 * service (aws:SourceAccount, aws:SourceArn, …), so no other account's resource can make the
 * service act on ours. The documented keys per principal are facts with their source
 * (facts/aws-service-principals.json); a principal without facts fails until they are recorded.
 */
import fs from "node:fs";
import path from "node:path";
import { realApp } from "../support/app";

interface PrincipalFacts {
  readonly recommendedConditionKeys: readonly string[];
  readonly source: string;
}
type RawFacts = Partial<PrincipalFacts> & Record<string, unknown>;
const RAW = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "facts", "aws-service-principals.json"), "utf8"),
) as { principals: Record<string, RawFacts> };

/**
 * A principal's facts: recorded once, or per place it is granted (`inKmsKeyPolicy`,
 * `inSqsQueuePolicy`, …); a grant must carry one of the keys documented for any place.
 */
function flatten(raw: RawFacts): PrincipalFacts {
  const parts = [
    raw,
    ...Object.values(raw).filter(
      (v): v is RawFacts => typeof v === "object" && v !== null && !Array.isArray(v),
    ),
  ];
  return {
    recommendedConditionKeys: [...new Set(parts.flatMap((p) => p.recommendedConditionKeys ?? []))],
    source: parts
      .map((p) => p.source ?? (p.sources as string[] | undefined)?.join(" "))
      .filter(Boolean)
      .join("; "),
  };
}
const FACTS = {
  principals: Object.fromEntries(Object.entries(RAW.principals).map(([k, v]) => [k, flatten(v)])),
};

interface Statement {
  Effect?: string;
  Principal?: { Service?: string | string[] };
  Condition?: Record<string, Record<string, unknown>>;
}

/** Facts for a principal; `logs.us-east-1.amazonaws.com` is recorded as `logs.<region>.amazonaws.com`. */
function factsFor(service: string): PrincipalFacts | undefined {
  return (
    FACTS.principals[service] ??
    FACTS.principals[service.replace(/^([a-z0-9-]+)\.[a-z]{2}(-gov)?-[a-z]+-\d\./, "$1.<region>.")]
  );
}

/** Every policy statement in a stack: JSON policy strings and aws_iam_policy_document data. */
function statements(tf: {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}): Array<{ where: string; statement: Statement }> {
  const out: Array<{ where: string; statement: Statement }> = [];
  for (const [type, blocks] of Object.entries(tf.resource ?? {}))
    for (const [name, block] of Object.entries(blocks))
      for (const attr of ["policy", "assume_role_policy"]) {
        const text = block[attr];
        if (typeof text !== "string" || !text.trimStart().startsWith("{")) continue;
        const doc = JSON.parse(text) as { Statement?: Statement | Statement[] };
        for (const s of [doc.Statement ?? []].flat())
          out.push({ where: `${type}.${name}.${attr}`, statement: s });
      }
  for (const [name, block] of Object.entries(tf.data?.aws_iam_policy_document ?? {}))
    for (const s of (block.statement as Array<Record<string, unknown>> | undefined) ?? []) {
      const services = ((s.principals as Array<{ type: string; identifiers: string[] }>) ?? [])
        .filter((p) => p.type === "Service")
        .flatMap((p) => p.identifiers);
      const condition: Record<string, Record<string, unknown>> = {};
      for (const c of (s.condition as Array<{ test: string; variable: string }>) ?? [])
        condition[c.test] = { ...condition[c.test], [c.variable]: true };
      out.push({
        where: `data.aws_iam_policy_document.${name}`,
        statement: {
          Effect: (s.effect as string) ?? "Allow",
          Principal: services.length ? { Service: services } : undefined,
          Condition: condition,
        },
      });
    }
  return out;
}

/** Problems with service-principal grants in a stack. */
export function confusedDeputyProblems(
  stack: string,
  tf: Parameters<typeof statements>[0],
): string[] {
  const problems: string[] = [];
  for (const { where, statement } of statements(tf)) {
    if (statement.Effect !== "Allow") continue;
    for (const service of [statement.Principal?.Service ?? []].flat()) {
      const facts = factsFor(service);
      if (!facts) {
        problems.push(
          `${stack} ${where}: service principal ${service} has no facts; record the condition keys AWS documents for it in facts/aws-service-principals.json`,
        );
        continue;
      }
      const keys = facts.recommendedConditionKeys.map((k) => k.split(" ")[0]);
      if (keys.length === 0) continue;
      const present = Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c));
      if (!keys.some((k) => present.includes(k)))
        problems.push(
          `${stack} ${where}: ${service} is granted without ${keys.join(" or ")} (confused deputy; ${facts.source})`,
        );
    }
  }
  return problems;
}

describe("service principals carry their documented confused-deputy condition", () => {
  test("in every synthesized stack", () => {
    const problems = [...realApp().stacks].flatMap(([name, tf]) =>
      confusedDeputyProblems(name, tf),
    );
    expect(problems).toEqual([]);
  });

  test("the check finds the class: a grant without a condition, and a principal without facts", () => {
    const policy = (service: string, condition?: object) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "x",
            ...(condition && { Condition: condition }),
          },
        ],
      });
    const tf = {
      resource: {
        aws_kms_key: { k: { policy: policy("sns.amazonaws.com") } },
        aws_iam_role: {
          ok: {
            assume_role_policy: policy("vpc-flow-logs.amazonaws.com", {
              StringEquals: { "aws:SourceAccount": "1" },
            }),
          },
          node: { assume_role_policy: policy("ec2.amazonaws.com") },
          other: { assume_role_policy: policy("lambda.amazonaws.com") },
        },
      },
    };
    expect(confusedDeputyProblems("s", tf)).toEqual([
      expect.stringMatching(
        /^s aws_kms_key\.k\.policy: sns\.amazonaws\.com is granted without aws:SourceArn or aws:SourceAccount/,
      ),
      expect.stringMatching(
        /^s aws_iam_role\.other\.assume_role_policy: service principal lambda\.amazonaws\.com has no facts/,
      ),
    ]);
  });

  test("every principal's facts cite a source", () => {
    for (const facts of Object.values(FACTS.principals)) expect(facts.source).toMatch(/\S{10}/);
  });
});
