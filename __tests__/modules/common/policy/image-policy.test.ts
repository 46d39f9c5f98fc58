/**
 * The image policy end to end: an environment that asks for a frozen image, a mutable tag, an
 * unpinned prod image or a version with a known critical CVE fails synthesis with the rule's id and
 * fix; the seeds pass only through their explicit image waivers, each of which waives something.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EnvironmentInput } from "../../../../environments/schema";
import { TODAY_CONTEXT } from "../../../../modules/common/policy/gate";
import { policyReport } from "../../../../modules/common/policy/report";
import { RULES } from "../../../../modules/common/policy/rules";
import { buildGroups } from "../../../../stacks/app";
import { synthesizeAtomically } from "../../../../stacks/synth";
import { realApp } from "../../../support/app";
import { BITNAMI_IMAGES, envInput, testEnv } from "../../../support/env";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-image-policy-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Synthesizes one environment; returns the error text ("" when it passes). */
function synth(overrides: Partial<EnvironmentInput>): string {
  const env = testEnv({
    targets: {
      digitalocean: {
        region: "fra1",
        network: { ipRange: "10.200.0.0/20" },
        cluster: { controlPlaneFirewall: { allowedAddresses: ["198.51.100.0/24"] } },
      },
    },
    ...overrides,
  });
  try {
    synthesizeAtomically(
      fs.mkdtempSync(path.join(work, "out-")),
      buildGroups([env], [env], (app) => app.node.setContext(TODAY_CONTEXT, "2026-11-30")),
    );
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}
const rule = (id: string) => RULES.find((r) => r.id === id)!;
const expectViolation = (error: string, id: string, problem: RegExp) => {
  expect(error).toContain(`[${id}] ${rule(id).title}`);
  expect(error).toMatch(problem);
  expect(error).toContain(`fix:      ${rule(id).fix}`);
};

describe("an environment that asks for a violating image fails synthesis", () => {
  test("IMG-1 and IMG-3: Redis from bitnamilegacy (8.2.1, CVE-2025-49844)", () => {
    const error = synth({
      workloads: { images: BITNAMI_IMAGES, databases: { redis: { engine: "bitnami" } } },
    });
    expectViolation(
      error,
      "IMG-1",
      /image runs docker\.io\/bitnamilegacy\/redis:8\.2\.1-debian-12-r0/,
    );
    expectViolation(error, "IMG-3", /affected by CVE-2025-49844 \(GHSA-4789-qfc9-5f9q, critical\)/);
    // the waiver it suggests names the one image, not the whole release
    expect(error).toContain(
      `{ rule: "IMG-3", resource: "test-do-databases/Redis/Chart/Release/image", reason`,
    );
  });

  test("IMG-2: an app tagged latest, in dev", () => {
    const error = synth({
      workloads: { apps: { web: { image: { repository: "ghcr.io/acme/web", tag: "latest" } } } },
    });
    expectViolation(
      error,
      "IMG-2",
      /ghcr\.io\/acme\/web:latest \(values\), which is tagged "latest"/,
    );
  });

  test("IMG-2: a prod app on a branch tag; an exact version passes", () => {
    const prod = (tag: string) =>
      synth({
        tier: "prod",
        backend: { type: "gcs", bucket: "tf-state" },
        preventDestroy: false,
        workloads: { apps: { web: { image: { repository: "ghcr.io/acme/web", tag } } } },
      } as Partial<EnvironmentInput>);
    expectViolation(prod("main"), "IMG-2", /tag "main" is not an exact version or digest \(prod\)/);
    expect(prod("1.4.2")).not.toContain("[IMG-");
  });

  test("IMG-3: the scheduler's n8n 1.98.1 (CVE-2025-68613); a fixed release passes", () => {
    const n8n = (tag: string) =>
      synth({
        workloads: {
          apps: { scheduler: { image: { repository: "docker.io/n8nio/n8n", tag } } },
        },
      });
    expectViolation(n8n("1.98.1"), "IMG-3", /affected by CVE-2025-68613 \(GHSA-v98v-ff95-f3cp/);
    expect(n8n("1.123.17")).not.toContain("[IMG-");
  });
});

describe("the seeds", () => {
  const IMG = ["IMG-1", "IMG-2", "IMG-3"];

  test("pass only through their image waivers: without them every violation is an image one, and each is waived by name", () => {
    const app = realApp();
    const stripped = app.registry.all.map((e) => ({
      ...e,
      waivers: e.waivers.filter((w) => !IMG.includes(w.rule)),
    }));
    const bare = policyReport(app.stacks, stripped, "2026-11-30");
    expect(bare.violations.length).toBeGreaterThan(0);
    // Only frozen images are left (Redis is Valkey 9.1.1, n8n 2.41.3: no known critical CVE).
    expect([...new Set(bare.violations.map((v) => v.rule.id))].sort()).toEqual(["IMG-1"]);
    const waived = policyReport(app.stacks, app.registry.all, "2026-11-30");
    expect(waived.violations).toEqual([]);
    expect(waived.waived.length).toBe(bare.violations.length);
  });

  test("every image waiver waives something, names its migration and expires within 90 days of 2026-11-30", () => {
    const app = realApp();
    const report = policyReport(app.stacks, app.registry.all, "2026-11-30");
    for (const env of app.registry.all)
      for (const w of env.waivers.filter((x) => IMG.includes(x.rule))) {
        const used = report.waived.filter(
          (x) => x.waiver === w && x.violation.stack.startsWith(`${env.name}-`),
        ).length;
        expect({ env: env.name, waiver: w.resource, rule: w.rule, used: used > 0 }).toEqual({
          env: env.name,
          waiver: w.resource,
          rule: w.rule,
          used: true,
        });
        expect(w.reason).toMatch(/issue 16/);
        expect(w.expires <= "2027-02-28").toBe(true);
      }
  });

  test("the seeds' waivers list each image they waive (the report names image and waiver)", () => {
    const app = realApp();
    const report = policyReport(app.stacks, app.registry.all, "2026-11-30");
    const lines = report.waived.map((x) => `${x.waiver.rule} ${x.violation.path}`);
    // Images Argo CD delivers are judged too: nothing of prod-do-apps is waived since n8n 2.41.3.
    expect(lines.filter((l) => l.includes("prod-do-apps/"))).toEqual([]);
    expect(lines).toContain("IMG-1 dev-aws-buses/Rabbitmq/Chart/Release/image");
    expect(lines.some((l) => l.includes("/Valkey/"))).toBe(false);
    // PostgreSQL moved to CloudNativePG: nothing of it is waived.
    expect(lines.some((l) => /\/Postgres(ql|qlHa|Cluster)\//.test(l))).toBe(false);
  });
});

test("envInput is used unchanged (no default waivers hide image violations)", () => {
  expect(envInput().waivers).toBeUndefined();
});
