/**
 * App contracts (modules/common/app-contracts.ts): every third-party app the seeds run gets the
 * variables its contract documents, in its ConfigMap or Secret, and each of those variables is
 * a recorded fact (facts/apps/<app>.json).
 */
import fs from "node:fs";
import path from "node:path";
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
