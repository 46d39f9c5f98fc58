/**
 * charts/migration with the real helm binary: lint and render it with the values the seeds'
 * apps layers synthesize, and check the hook Job.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { realApp } from "../support/app";
import {
  applicationReleasesOf,
  releasesOf,
  type SynthesizedRelease,
} from "../support/chart-values";
import { helm, helmBinary, helmUnavailableReason } from "../support/helm";
import { podSpecProblems, podSpecs } from "../support/pod-checks";

const CHART = path.join(__dirname, "..", "..", "charts", "migration");
const available = helmBinary() !== undefined;
if (!available) {
  console.warn(`skipping chart tests: no helm binary (${helmUnavailableReason()})`);
}
const describeWithHelm = available ? describe : describe.skip;

type Job = {
  kind: string;
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    template: {
      spec: {
        restartPolicy: string;
        automountServiceAccountToken: boolean;
        securityContext: Record<string, unknown>;
        containers: Array<{
          image: string;
          args?: string[];
          env: Array<{ name: string; value?: string; valueFrom?: unknown }>;
          securityContext: Record<string, unknown>;
          resources: unknown;
        }>;
      };
    };
  };
};

let tmp: string;
let releases: Array<{ stack: string; namespace: string; release: SynthesizedRelease }>;

beforeAll(() => {
  if (!available) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "strata-migration-chart-"));
  // helm_releases of the chart, and the charts/migration sources of Argo CD Applications.
  releases = [...realApp().stacks].flatMap(([stack, tf]) =>
    [
      ...releasesOf(tf).filter((r) => r.chart.startsWith("./assets/MigrationChart/")),
      ...applicationReleasesOf(tf, "charts/migration"),
    ].map((release) => ({ stack, namespace: release.raw.namespace as string, release })),
  );
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function valuesFile(values: unknown): string {
  const file = path.join(tmp, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

describeWithHelm("charts/migration with helm", () => {
  test("the seeds run it in prod and staging, on DigitalOcean where angzarr uses PostgreSQL", () => {
    expect(releases.map((r) => `${r.stack}/${r.release.name}`).sort()).toEqual([
      "prod-do-apps/angzarr-migrate",
      "staging-do-apps/angzarr-migrate",
    ]);
  });

  test("helm lint passes with each environment's values", () => {
    for (const { release } of releases) {
      expect(() =>
        helm(["lint", CHART, "--strict", "-f", valuesFile(release.values)]),
      ).not.toThrow();
    }
  });

  test("a pre-install/pre-upgrade hook Job: non-root, read-only, bounded, password from the Secret", () => {
    for (const { namespace, release } of releases) {
      const out = helm([
        "template",
        release.name,
        CHART,
        "-n",
        namespace,
        "-f",
        valuesFile(release.values),
      ]);
      const docs = parseAllDocuments(out)
        .map((d) => d.toJS() as Job)
        .filter(Boolean);
      expect(docs.map((d) => d.kind)).toEqual(["Job"]);
      expect(podSpecs(docs).flatMap((p) => podSpecProblems(p.spec))).toEqual([]);
      const job = docs[0];
      const v = release.values as { jobName: string; image: { tag: string } };
      expect(job.metadata.name).toBe(v.jobName);
      expect(job.metadata.name).toContain(v.image.tag.replace(/\./g, "-"));
      expect(job.metadata.annotations).toEqual({
        "helm.sh/hook": "pre-install,pre-upgrade",
        "helm.sh/hook-weight": "0",
        "helm.sh/hook-delete-policy": "before-hook-creation",
      });
      expect(job.spec).toMatchObject({
        backoffLimit: 2,
        ttlSecondsAfterFinished: 86400,
        activeDeadlineSeconds: expect.any(Number),
      });
      const pod = job.spec.template.spec;
      expect(pod).toMatchObject({
        restartPolicy: "Never",
        automountServiceAccountToken: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          seccompProfile: { type: "RuntimeDefault" },
        },
      });
      const [c] = pod.containers;
      expect(c.image).toBe(`ghcr.io/angzarr/angzarr-migrations:${v.image.tag}`);
      expect(c.args).toContain("$(DATABASE_URL)");
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(c.resources).toMatchObject({ requests: expect.any(Object) });
      expect(c.env.find((e) => e.name === "DB_PASSWORD")).toEqual({
        name: "DB_PASSWORD",
        valueFrom: {
          secretKeyRef: {
            name: "db-credentials",
            key: "password",
          },
        },
      });
      expect(c.env.filter((e) => e.name === "DB_PASSWORD" && e.value !== undefined)).toEqual([]);
    }
  });

  test("the schema refuses a literal credential shape it does not know (unknown keys)", () => {
    expect(() =>
      helm([
        "template",
        "x",
        CHART,
        "-f",
        valuesFile({ jobName: "x-1", image: { repository: "r", tag: "1" }, password: "p" }),
      ]),
    ).toThrow(/additional properties 'password' not allowed/);
  });
});
