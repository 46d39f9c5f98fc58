/**
 * The seeds' secret rules over the whole synthesized app: passwords are generated at apply time
 * and travel only from random_password into Kubernetes Secrets (and from those Secrets into the
 * apps' Secrets); no helm values, ConfigMap or other file holds a secret value.
 */
import path from "node:path";
import { parse } from "yaml";
import dev from "../environments/dev";
import { validateEnvironment } from "../environments/schema";
import { findLiteralSecrets, isSecretKey, secretValueKind } from "../modules/common/secrets";
import { readTree, realApp, type SynthesizedApp } from "./support/app";
import { releasesOf } from "./support/chart-values";

let app: SynthesizedApp;
beforeAll(() => {
  app = realApp();
});

/** Every string in a JSON tree with its path. */
function strings(value: unknown, at: string[] = []): Array<[string[], string]> {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...at, String(i)]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => strings(v, [...at, k]));
  }
  return [];
}

const inSecretData = (at: string[]) =>
  at[0] === "resource" && at[1] === "kubernetes_secret_v1" && at[3] === "data";

describe("no secret value in cdktf.out", () => {
  test("the app has Helm layers with generated passwords to check", () => {
    const generated = [...app.stacks.values()].flatMap((tf) =>
      Object.keys(tf.resource?.random_password ?? {}),
    );
    expect(generated.length).toBeGreaterThan(20);
  });

  test("generated passwords flow only into Kubernetes Secrets", () => {
    const leaks = [...app.stacks].flatMap(([name, tf]) =>
      strings(tf)
        .filter(([, s]) => /\brandom_password\.|data\.kubernetes_secret_v1\./.test(s))
        .filter(([at]) => !inSecretData(at))
        .map(([at]) => `${name}: ${at.join(".")}`),
    );
    expect(leaks).toEqual([]);
  });

  test("Secret data is references (or usernames), never a literal password", () => {
    const literals = [...app.stacks].flatMap(([name, tf]) =>
      Object.entries(tf.resource?.kubernetes_secret_v1 ?? {}).flatMap(([id, s]) =>
        Object.entries(s.data as Record<string, string>)
          // Non-secret connection fields (a database name, a user name) may be literal.
          .filter(([k, v]) => !v.includes("${") && !["database", "username"].includes(k))
          .map(([k]) => `${name}: ${id}.${k}`),
      ),
    );
    expect(literals).toEqual([]);
  });

  test("helm values hold Secret names, never a password or a credentialed URL", () => {
    const findings = [...app.stacks].flatMap(([name, tf]) =>
      releasesOf(tf).flatMap((r) => [
        ...findLiteralSecrets(r.values).map((f) => `${name}/${r.name}: ${f.path.join(".")}`),
        ...strings(r.values)
          .filter(([, v]) => /random_password|kubernetes_secret_v1/.test(v))
          .map(([at]) => `${name}/${r.name}: ${at.join(".")} references a password`),
      ]),
    );
    expect(findings).toEqual([]);
    // Charts name Secrets as existing*Secret (Valkey, Meilisearch, the platform charts) or, in
    // Strata's operator charts, as secretName / credentialsSecret.
    const secretNames = [...app.stacks.values()].flatMap((tf) =>
      releasesOf(tf).flatMap((r) =>
        strings(r.values).filter(([at]) =>
          /^existing.*Secret$|[sS]ecretName$|credentialsSecret$/.test(String(at[at.length - 1])),
        ),
      ),
    );
    expect(secretNames.length).toBeGreaterThan(20);
  });

  test("ConfigMaps hold no credential", () => {
    const findings = [...app.stacks].flatMap(([name, tf]) =>
      Object.entries(tf.resource?.kubernetes_config_map_v1 ?? {}).flatMap(([id, c]) =>
        Object.entries(c.data as Record<string, string>)
          .filter(([k, v]) => isSecretKey(k) || secretValueKind(v) || v.includes("${"))
          .map(([k]) => `${name}: ${id}.${k}`),
      ),
    );
    expect(findings).toEqual([]);
  });

  test("no file in cdktf.out (stacks, chart assets, manifest) holds a literal secret", () => {
    const findings = Object.entries(readTree(app.outdir)).flatMap(([file, text]) => {
      const data: unknown = file.endsWith(".json")
        ? JSON.parse(text)
        : /\.ya?ml$/.test(file) && !file.includes("/templates/")
          ? parse(text)
          : text;
      return findLiteralSecrets(data).map((f) => `${file}: ${f.path.join(".")} ${f.reason}`);
    });
    expect(findings).toEqual([]);
    expect(Object.keys(readTree(app.outdir)).some((f) => f.includes(`assets${path.sep}`))).toBe(
      true,
    );
  });

  test("a secret value configured for an application never reaches synthesis", () => {
    const withCanary = JSON.parse(JSON.stringify(dev)) as typeof dev & {
      workloads: { apps: Record<string, { env?: Record<string, string> }> };
    };
    withCanary.workloads.apps.backend.env = { API_TOKEN: "canary-7f3a9c" };
    const result = validateEnvironment(withCanary, "dev");
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      "dev.workloads.apps.backend.env.API_TOKEN",
    ]);
    for (const text of Object.values(readTree(app.outdir)))
      expect(text).not.toContain("canary-7f3a9c");
  });
});
