/** The policy gate, waivers and stable addresses over the real app. */
import fs from "node:fs";
import path from "node:path";
import { checkAddresses, type AddressList } from "../modules/common/policy/addresses";
import { environmentOfStack, policyReport } from "../modules/common/policy/report";
import { RULES } from "../modules/common/policy/rules";
import { realApp, type SynthesizedApp } from "./support/app";

let app: SynthesizedApp;
beforeAll(() => {
  app = realApp();
});

describe("policy over the real app", () => {
  test("every stack belongs to a known environment", () => {
    for (const stack of app.stacks.keys())
      expect({ stack, env: environmentOfStack(stack, app.registry.all)?.name }).toEqual({
        stack,
        env: expect.any(String),
      });
  });

  test("the seeds pass the gate with no waivers at all (their image debt is paid: every data service is on a maintained upstream)", () => {
    for (const env of app.registry.all)
      expect({ env: env.name, waivers: env.waivers }).toEqual({ env: env.name, waivers: [] });
    const prod = app.registry.all.filter((e) => e.tier === "prod");
    expect(prod.length).toBeGreaterThan(0);
    const report = policyReport(app.stacks, prod, "2026-01-01");
    const prodStacks = [...app.stacks.keys()].filter((s) =>
      prod.some((e) => environmentOfStack(s, [e])),
    );
    expect(prodStacks.length).toBeGreaterThan(0);
    expect(report.violations.map((v) => `${v.rule.id} ${v.address}: ${v.detail}`)).toEqual([]);
  });

  test("every environment passes the gate", () => {
    const report = policyReport(app.stacks, app.registry.all, "2026-01-01");
    expect(report.violations.map((v) => `${v.rule.id} ${v.address}: ${v.detail}`)).toEqual([]);
    expect(report.unknownStacks).toEqual([]);
  });
});

describe("stable addresses", () => {
  test("no stateful address in stacks/stateful-addresses.json disappeared without a moved block, and the list is current", () => {
    const committed = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "stacks", "stateful-addresses.json"), "utf8"),
    ) as AddressList;
    const { lost, moved, added } = checkAddresses(committed, app.stacks);
    expect({
      lost,
      hint: "a stateful resource changed its address: add a moved block (resource.moveTo) or revert the rename",
    }).toEqual({ lost: [], hint: expect.any(String) });
    expect({
      moved,
      added,
      hint: "the list is out of date: npm run synth && npm run addresses -- --update, and review the diff",
    }).toEqual({
      moved: [],
      added: [],
      hint: expect.any(String),
    });
  });
});

describe("documentation", () => {
  test("the README's rule table lists every rule", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    for (const rule of RULES)
      expect({
        id: rule.id,
        documented: new RegExp(`^\\| ${rule.id} +\\|`, "m").test(readme),
      }).toEqual({
        id: rule.id,
        documented: true,
      });
  });
});
