/**
 * App contracts (modules/common/app-contracts.ts): every third-party app the seeds run gets the
 * variables its contract documents, in its ConfigMap or Secret, and each of those variables is
 * a recorded fact (facts/apps/<app>.json).
 */
import fs from "node:fs";
import path from "node:path";
import { loadEnvironments } from "../../environments";
import { APP_CONTRACTS, contractOf, contractVariables } from "../../modules/common/app-contracts";
import { CLOUD_CODE } from "../../stacks/kubernetes/cluster-ref";
import { realApp } from "../support/app";

const ROOT = path.join(__dirname, "..", "..");

describe("app contracts", () => {
  test.each(APP_CONTRACTS.map((c) => [c.app, c] as const))(
    "%s: each variable the contract sets is in its facts file",
    (_name, contract) => {
      const facts = fs.readFileSync(path.join(ROOT, contract.facts), "utf8");
      for (const variable of contractVariables(contract))
        expect({ variable, found: facts.includes(`"${variable}"`) }).toEqual({
          variable,
          found: true,
        });
      if (contract.unsupported.databaseUrlEnv) expect(facts).toMatch(/DATABASE_URL/);
    },
  );

  test("every seed app that runs a known image gets its contract's variables, and no generic database ones", () => {
    const app = realApp();
    let checked = 0;
    for (const env of app.registry.all) {
      for (const [name, settings] of Object.entries(env.workloads.apps)) {
        const contract = contractOf(settings.image.repository);
        if (!contract) continue;
        for (const cloud of settings.clouds) {
          const tf = app.stacks.get(`${env.name}-${CLOUD_CODE[cloud]}-apps`)!;
          const data = (type: string, suffix: string) =>
            Object.values(
              (tf.resource?.[type] ?? {}) as Record<
                string,
                { metadata: { name: string }; data: object }
              >,
            ).find((r) => r.metadata.name === `${name}-${suffix}`)!.data;
          const keys = [
            ...Object.keys(data("kubernetes_config_map_v1", "config")),
            ...Object.keys(data("kubernetes_secret_v1", "credentials")),
          ];
          expect(keys).toEqual(expect.arrayContaining(contractVariables(contract)));
          expect(keys).not.toEqual(expect.arrayContaining(["DATABASE_URL"]));
          expect(keys).not.toEqual(expect.arrayContaining(["DB_HOST"]));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

/**
 * n8n's security floor (facts/apps/n8n.json `security.floor`, one minimum per major line, from
 * the advisories of CVE-2025-68613 and of its bypass CVE-2026-25049): no seed may run n8n below
 * it, nor in a major line the facts do not list, nor under a tag that is not a plain version.
 */
describe("n8n security floor", () => {
  const facts = JSON.parse(fs.readFileSync(path.join(ROOT, "facts/apps/n8n.json"), "utf8")) as {
    security: { floor: Record<string, string>; advisories: { id: string; fixedIn: string[] }[] };
  };
  const floors = facts.security.floor;

  const parse = (v: string): number[] | undefined =>
    /^\d+\.\d+\.\d+$/.test(v) ? v.split(".").map(Number) : undefined;
  /** Why a tag is refused, or undefined when it is at or above its line's floor. */
  const refusal = (tag: string): string | undefined => {
    const version = parse(tag);
    if (!version) return `tag ${tag} is not a plain x.y.z version`;
    const floor = floors[String(version[0])];
    if (!floor) return `n8n ${version[0]}.x has no floor in facts/apps/n8n.json`;
    const min = parse(floor)!;
    const below = version[1] !== min[1] ? version[1] < min[1] : version[2] < min[2];
    return below ? `n8n ${tag} is below the floor ${floor}` : undefined;
  };

  test("the floor covers CVE-2025-68613 in every line it lists", () => {
    expect(facts.security.advisories.map((a) => a.id)).toContain("CVE-2025-68613");
    for (const floor of Object.values(floors)) expect(parse(floor)).toBeDefined();
    // 1.98.1 (the seeds' old pin) and the advisory's first fixed versions are refused; the floors pass.
    expect(refusal("1.98.1")).toMatch(/below the floor 1\.123\.17/);
    expect(refusal("1.120.4")).toBeDefined();
    expect(refusal("2.5.1")).toBeDefined();
    expect(refusal("3.0.0")).toMatch(/no floor/);
    expect(refusal("latest")).toMatch(/not a plain/);
    for (const floor of Object.values(floors)) expect(refusal(floor)).toBeUndefined();
  });

  test("every seed app running n8n is at or above the floor", () => {
    const seeds = loadEnvironments().all.flatMap((env) =>
      Object.entries(env.workloads.apps)
        .filter(([, app]) => contractOf(app.image.repository)?.app === "n8n")
        .map(([name, app]) => ({ app: `${env.name}/${name}`, tag: app.image.tag })),
    );
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.map((s) => ({ ...s, refused: refusal(s.tag) }))).toEqual(
      seeds.map((s) => ({ ...s, refused: undefined })),
    );
  });
});
