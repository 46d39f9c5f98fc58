/**
 * The pinned providers' argument rules (facts/providers/*.json, read from their Go source at the
 * pinned tags) over every stack of the real app, the checker's rule kinds on hand-made configs,
 * and the facts files themselves.
 */
import {
  checkProviderConstraints,
  factsProblems,
  formatViolation,
  loadProviderFacts,
  type FactsFile,
  type ProviderFacts,
  type Rule,
  type TerraformJson,
} from "../../scripts/lib/provider-constraints";
import { realApp } from "../support/app";

const facts = loadProviderFacts();

describe("the real app against the pinned providers' rules", () => {
  test("every stack's resources and data sources satisfy their provider's rules", () => {
    const app = realApp();
    expect(app.stacks.size).toBeGreaterThan(0);
    const violations = [...app.stacks].flatMap(([stack, tf]) =>
      checkProviderConstraints(stack, tf as TerraformJson, facts),
    );
    // All of them at once, one line each, with the rule's citation.
    expect(violations.map(formatViolation).join("\n")).toBe("");
  });

  test("every provider the app pins has facts read at the pinned version", () => {
    const pins = new Map<string, string>();
    for (const tf of realApp().stacks.values())
      for (const p of Object.values(tf.terraform?.required_providers ?? {}))
        pins.set(p.source.replace(/^registry\.(terraform|opentofu)\.io\//, ""), p.version);
    expect(pins.size).toBeGreaterThan(0);
    const recorded = new Map(facts.map((f) => [f.facts.provider, f.facts.version]));
    for (const [provider, version] of pins)
      expect({ provider, facts: recorded.get(provider) }).toEqual({ provider, facts: version });
  });
});

// ---------------------------------------------------------------------------------------------
// Each rule kind on small hand-made configs.

const SRC = "https://github.com/example/terraform-provider-test/blob/v1.0.0/thing.go#L1";
/** A rule without its citation (Omit spread over the union's members). */
type WithoutSource<R> = R extends unknown ? Omit<R, "source"> : never;
type RuleSpec = WithoutSource<Rule>;
const rule = (r: RuleSpec): Rule => ({ source: SRC, ...r }) as Rule;

function factsWith(rules: Rule[], extra: Partial<ProviderFacts> = {}): FactsFile[] {
  return [
    {
      file: "/facts/providers/test.json",
      facts: {
        provider: "example/test",
        version: "1.0.0",
        repository: "https://github.com/example/terraform-provider-test",
        tag: "v1.0.0",
        readAt: "v1.0.0",
        types: { test_thing: { kind: "resource", source: SRC, rules } },
        ...extra,
      },
    },
  ];
}

/** The violations of one rule for one test_thing body. */
function check(r: Rule, body: Record<string, unknown>, tf: Partial<TerraformJson> = {}) {
  return checkProviderConstraints(
    "stack",
    { resource: { test_thing: { x: body } }, ...tf },
    factsWith([r]),
  ).map((v) => ({ rule: v.rule, attributes: v.attributes, message: v.message }));
}

describe("checker rule kinds", () => {
  test("conflictsWith fires when both are set, once per pair", () => {
    const r = rule({ kind: "conflictsWith", attribute: "name", with: ["name_prefix"] });
    const back = rule({ kind: "conflictsWith", attribute: "name_prefix", with: ["name"] });
    expect(check(r, { name: "a" })).toEqual([]);
    expect(check(r, { name: "a", name_prefix: null })).toEqual([]);
    const both = checkProviderConstraints(
      "stack",
      { resource: { test_thing: { x: { name: "a", name_prefix: "${var.p}" } } } },
      factsWith([r, back]),
    );
    expect(both).toHaveLength(1);
    expect(both[0]).toMatchObject({
      stack: "stack",
      address: "test_thing.x",
      rule: "conflictsWith",
      source: SRC,
    });
    expect(both[0].message).toContain("name conflicts with name_prefix: set only one of them");
  });

  test("conflictsWith inside a nested block applies per block, objects and arrays alike", () => {
    const r = rule({
      kind: "conflictsWith",
      attribute: "launch_template.id",
      with: ["launch_template.name"],
    });
    expect(check(r, { launch_template: { id: "i" } })).toEqual([]);
    expect(check(r, { launch_template: { id: "i", name: "n" } })).toHaveLength(1);
    expect(check(r, { launch_template: [{ id: "i" }, { id: "j", name: "n" }] })).toEqual([
      expect.objectContaining({ attributes: ["launch_template[1].id", "launch_template[1].name"] }),
    ]);
  });

  test("exactlyOneOf fires when none or two are set", () => {
    const r = rule({ kind: "exactlyOneOf", attributes: ["id", "name", "region"] });
    expect(check(r, { name: "a" })).toEqual([]);
    expect(check(r, {})).toEqual([
      expect.objectContaining({
        rule: "exactlyOneOf",
        message: expect.stringContaining("exactly one of id, name, region must be set, none is"),
      }),
    ]);
    expect(check(r, { name: "a", region: "r" })).toEqual([
      expect.objectContaining({
        rule: "exactlyOneOf",
        attributes: ["name", "region"],
        message: expect.stringContaining("but name, region are"),
      }),
    ]);
  });

  test("a nested exactlyOneOf applies only where its block is", () => {
    const r = rule({
      kind: "exactlyOneOf",
      attributes: ["update_config.max_unavailable", "update_config.max_unavailable_percentage"],
    });
    expect(check(r, {})).toEqual([]);
    expect(check(r, { update_config: { max_unavailable: 1 } })).toEqual([]);
    expect(check(r, { update_config: {} })).toHaveLength(1);
  });

  test("requiredWith fires when the attribute is set without its partner", () => {
    const r = rule({
      kind: "requiredWith",
      attribute: "rotation_period_in_days",
      with: ["enable_key_rotation"],
    });
    expect(check(r, {})).toEqual([]);
    expect(check(r, { rotation_period_in_days: 90, enable_key_rotation: true })).toEqual([]);
    expect(check(r, { rotation_period_in_days: 90 })).toEqual([
      expect.objectContaining({
        rule: "requiredWith",
        message: expect.stringContaining(
          "rotation_period_in_days requires enable_key_rotation: set enable_key_rotation as well",
        ),
      }),
    ]);
  });

  test("atLeastOneOf fires when none is set", () => {
    const r = rule({
      kind: "atLeastOneOf",
      attributes: ["private.enable_private_nodes", "private.master_ipv4_cidr_block"],
    });
    expect(check(r, { private: { enable_private_nodes: false } })).toEqual([]);
    expect(check(r, { private: [{}] })).toEqual([
      expect.objectContaining({
        rule: "atLeastOneOf",
        message: expect.stringContaining("at least one of private[0].enable_private_nodes"),
      }),
    ]);
  });

  test("required fires for a missing top-level or nested attribute; tokens count as set", () => {
    const top = rule({ kind: "required", attribute: "name" });
    const nested = rule({ kind: "required", attribute: "rule.type" });
    expect(check(top, { name: "${var.name}" })).toEqual([]);
    expect(check(top, { name: null })).toEqual([
      expect.objectContaining({
        rule: "required",
        message: expect.stringContaining("name is required"),
      }),
    ]);
    expect(check(nested, {})).toEqual([]);
    expect(check(nested, { rule: [{ type: "k8s" }, { value: "x" }] })).toEqual([
      expect.objectContaining({ attributes: ["rule[1].type"] }),
    ]);
  });

  test("maxItems and minItems count blocks; an object is one block, tokens are skipped", () => {
    const max = rule({ kind: "maxItems", attribute: "vpc_config", value: 1 });
    const min = rule({ kind: "minItems", attribute: "subnet_ids", value: 1 });
    expect(check(max, { vpc_config: { a: 1 } })).toEqual([]);
    expect(check(max, { vpc_config: [{ a: 1 }, { a: 2 }] })).toEqual([
      expect.objectContaining({
        rule: "maxItems",
        message: expect.stringContaining("vpc_config takes at most 1 item(s), got 2"),
      }),
    ]);
    expect(check(min, { subnet_ids: "${data.aws_subnets.x.ids}" })).toEqual([]);
    expect(check(min, { subnet_ids: ["a"] })).toEqual([]);
  });

  test("oneOf fires for a value outside the enum, item by item; tokens are skipped", () => {
    const r = rule({ kind: "oneOf", attribute: "log_types", values: ["api", "audit"] });
    const ci = rule({ kind: "oneOf", attribute: "day", values: ["Monday"], caseInsensitive: true });
    const num = rule({ kind: "oneOf", attribute: "retention", values: [1, 3, 90] });
    expect(check(r, { log_types: ["api", "${var.t}"] })).toEqual([]);
    expect(check(r, { log_types: ["api", "apiserver"] })).toEqual([
      expect.objectContaining({
        rule: "oneOf",
        message: expect.stringContaining('log_types = "apiserver" is not one of "api", "audit"'),
      }),
    ]);
    expect(check(ci, { day: "monday" })).toEqual([]);
    expect(check(num, { retention: 90 })).toEqual([]);
    expect(check(num, { retention: 91 })).toHaveLength(1);
  });

  test("between and length check known values only", () => {
    const b = rule({ kind: "between", attribute: "days", min: 7, max: 30 });
    const l = rule({ kind: "length", attribute: "name", min: 1, max: 5 });
    expect(check(b, { days: 30 })).toEqual([]);
    expect(check(b, { days: "${var.d}" })).toEqual([]);
    expect(check(b, { days: 31 })).toEqual([
      expect.objectContaining({
        rule: "between",
        message: expect.stringContaining("outside 7..30"),
      }),
    ]);
    expect(check(l, { name: "abcdef" })).toHaveLength(1);
  });

  test("atLeastSumOf and atLeastOneTrue", () => {
    const sum = rule({ kind: "atLeastSumOf", attribute: "length", of: ["min_upper", "min_lower"] });
    const t = rule({ kind: "atLeastOneTrue", attribute: "numeric", others: ["special", "upper"] });
    expect(check(sum, { length: 4, min_upper: 2, min_lower: 2 })).toEqual([]);
    expect(check(sum, { length: 3, min_upper: 2, min_lower: 2 })).toHaveLength(1);
    expect(check(t, { numeric: false, special: false })).toEqual([]);
    expect(check(t, { numeric: false, special: false, upper: false })).toHaveLength(1);
  });

  test("a type with no facts is a violation that says where to record them", () => {
    const found = checkProviderConstraints("s", { data: { test_other: { y: {} } } }, factsWith([]));
    expect(found).toEqual([
      expect.objectContaining({
        stack: "s",
        address: "data.test_other.y",
        rule: "unknownType",
        message: expect.stringContaining(
          "no provider facts for data.test_other: record its rules in facts/providers/test.json",
        ),
      }),
    ]);
  });

  test("a stack pinning another provider version than the facts were read at is a violation", () => {
    const pinned = (version: string) =>
      check(
        rule({ kind: "required", attribute: "name" }),
        { name: "a" },
        { terraform: { required_providers: { test: { source: "example/test", version } } } },
      );
    expect(pinned("1.0.0")).toEqual([]);
    expect(pinned("1.1.0")).toEqual([
      expect.objectContaining({
        rule: "providerVersion",
        message: expect.stringContaining(
          "pinned at 1.1.0 but test.json records its rules at 1.0.0",
        ),
      }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The facts files.

describe("facts/providers", () => {
  test("every file is well-formed: every type and rule cites a source at the pinned tag", () => {
    expect(facts.flatMap(factsProblems)).toEqual([]);
    for (const { facts: f } of facts)
      for (const [name, type] of Object.entries(f.types)) {
        expect({ name, source: type.source }).toEqual({
          name,
          source: expect.stringContaining(`/v${f.version}/`),
        });
        for (const r of type.rules)
          expect({ name, source: r.source }).toEqual({
            name,
            source: expect.stringContaining(`/v${f.version}/`),
          });
      }
  });

  test("the well-formedness check catches a bad file", () => {
    const [good] = factsWith([rule({ kind: "required", attribute: "name" })]);
    const bad: FactsFile = {
      file: good.file,
      facts: {
        ...good.facts,
        types: {
          test_thing: {
            kind: "resource",
            source: "https://github.com/example/terraform-provider-test/blob/main/thing.go",
            rules: [
              { kind: "oneOf", attribute: "a", values: [], source: SRC },
              { kind: "nope", attribute: "b", source: SRC } as unknown as Rule,
            ],
          },
        },
      },
    };
    expect(factsProblems(good)).toEqual([]);
    expect(factsProblems(bad)).toEqual([
      expect.stringContaining(
        'source "https://github.com/example/terraform-provider-test/blob/main',
      ),
      expect.stringContaining("no values"),
      expect.stringContaining("unknown kind"),
    ]);
  });
});
