/**
 * The image policy end to end: an environment that asks for a frozen image, a mutable tag, an
 * unpinned prod image or a version with a known critical CVE fails synthesis with the rule's id and
 * fix, for every service's deprecated Bitnami engine too; the seeds pass with no waiver at all.
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
  test("pass the image rules with no waiver: every data service is on a maintained upstream", () => {
    const app = realApp();
    for (const env of app.registry.all)
      expect({ env: env.name, waivers: env.waivers }).toEqual({ env: env.name, waivers: [] });
    const report = policyReport(app.stacks, app.registry.all, "2026-11-30");
    expect(report.violations.filter((v) => v.rule.id.startsWith("IMG-"))).toEqual([]);
    expect(report.waived).toEqual([]);
  });
});

describe("every service's deprecated Bitnami engine is refused by IMG-1, naming its release", () => {
  // One row per service: its config asking for the frozen release, and the construct it lands at.
  const cases: Array<[string, Partial<EnvironmentInput>["workloads"], RegExp]> = [
    [
      "postgresql",
      { databases: { postgresql: { engine: "bitnami" } } },
      /\/Postgresql\/Chart\/Release/,
    ],
    ["redis", { databases: { redis: { engine: "bitnami" } } }, /\/Redis\/Chart\/Release/],
    [
      "clickhouse",
      { databases: { clickhouse: { engine: "bitnami" } } },
      /\/Clickhouse\/Chart\/Release/,
    ],
    ["rabbitmq", { buses: { rabbitmq: { engine: "bitnami" } } }, /\/Rabbitmq\/Chart\/Release/],
    ["kafka", { buses: { kafka: { engine: "bitnami" } } }, /\/Kafka\/Chart\/Release/],
  ];
  test.each(cases)("%s", (_service, workloads, construct) => {
    const error = synth({ workloads: { images: BITNAMI_IMAGES, ...workloads } });
    expectViolation(error, "IMG-1", /image runs docker\.io\/bitnamilegacy\//);
    expect(error).toMatch(construct);
  });
});

test("envInput is used unchanged (no default waivers hide image violations)", () => {
  expect(envInput().waivers).toBeUndefined();
});
