/**
 * The offline review over two small apps synthesized before and after a change: adds, removes,
 * changes with attribute paths, dangerous removals and replacements (prod first, exit 2),
 * masking, stack additions and removals, and the three renderings.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { App, TerraformStack } from "cdktf";
import { readCdktfOut } from "../../scripts/lib/cdktf-out";
import {
  renderJson,
  renderMarkdown,
  renderText,
  reviewOutputs,
  type Review,
} from "../../scripts/lib/review";
import { SECRET_VALUE, synthSide } from "./support/review-apps";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "strata-review-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const before = readCdktfOut(synthSide("before", root));
const after = readCdktfOut(synthSide("after", root));
const review = reviewOutputs(before, after, {
  prodEnvironments: ["prod"],
  knownEnvironments: ["dev", "staging", "prod"],
});

function stack(r: Review, name: string) {
  const s = r.stacks.find((x) => x.name === name);
  if (!s) throw new Error(`no stack ${name} in review`);
  return s;
}
function resource(r: Review, stackName: string, address: string) {
  const res = stack(r, stackName).resources.find((x) => x.address === address);
  if (!res) throw new Error(`no ${address} in ${stackName}`);
  return res;
}
const uid = (stackName: string, type: string) =>
  Object.keys(
    (
      JSON.parse(
        fs.readFileSync(path.join(after.dir, "stacks", stackName, "cdk.tf.json"), "utf8"),
      ) as { resource: Record<string, object> }
    ).resource[type],
  )[0];

describe("resources", () => {
  test("an added resource is listed as an add", () => {
    const topic = `google_pubsub_topic.${uid("prod-gcp-data", "google_pubsub_topic")}`;
    expect(resource(review, "prod-gcp-data", topic).kind).toBe("add");
  });

  test("a removed resource is listed as a remove", () => {
    const removed = stack(review, "prod-gcp-data").resources.filter((r) => r.kind === "remove");
    expect(removed.map((r) => r.type)).toEqual(["google_bigtable_table"]);
  });

  test("a changed resource lists attribute paths with before → after values", () => {
    const vpc = stack(review, "prod-gcp-network").resources.find(
      (r) => r.type === "google_compute_network",
    )!;
    expect(vpc.kind).toBe("change");
    expect(vpc.changes).toEqual([
      { path: "description", before: '"prod network"', after: '"prod network, renamed"' },
    ]);
  });

  test("nested paths are reported with list indexes", () => {
    const instance = stack(review, "prod-gcp-data").resources.find(
      (r) => r.type === "google_bigtable_instance",
    )!;
    expect(instance.changes).toEqual([
      expect.objectContaining({
        path: "cluster[0].zone",
        before: '"us-central1-a"',
        after: '"us-central1-b"',
        forcesReplacement: "cluster.*.zone",
      }),
    ]);
  });

  test("cdktf's // metadata is ignored: a stack differing only there is unchanged", () => {
    const copy = path.join(root, "meta-only");
    fs.cpSync(after.dir, copy, { recursive: true });
    const file = path.join(copy, "stacks", "prod-gcp-network", "cdk.tf.json");
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const byName of Object.values(tf.resource) as Array<Record<string, { "//": unknown }>>) {
      for (const r of Object.values(byName)) r["//"] = { metadata: { path: "moved/elsewhere" } };
    }
    tf["//"] = { changed: true };
    fs.writeFileSync(file, JSON.stringify(tf));
    const r = reviewOutputs(after, readCdktfOut(copy), { prodEnvironments: ["prod"] });
    expect(stack(r, "prod-gcp-network").status).toBe("unchanged");
    expect(r.summary.change).toBe(0);
  });

  test("a backend change is listed under the stack's terraform settings, not as a resource", () => {
    const copy = path.join(root, "backend");
    fs.cpSync(after.dir, copy, { recursive: true });
    const file = path.join(copy, "stacks", "prod-gcp-network", "cdk.tf.json");
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    tf.terraform.backend = { gcs: { bucket: "b", prefix: "prod/prod-gcp-network" } };
    fs.writeFileSync(file, JSON.stringify(tf));
    const r = reviewOutputs(after, readCdktfOut(copy), { prodEnvironments: ["prod"] });
    expect(resource(r, "prod-gcp-network", "terraform").changes).toEqual([
      expect.objectContaining({
        path: "backend.gcs",
        before: undefined,
        after: '{"bucket":"b","prefix":"prod/prod-gcp-network"}',
      }),
      expect.objectContaining({ path: "backend.local", after: undefined }),
    ]);
    expect(r.summary.change).toBe(0);
  });

  test("the same folder on both sides gives no changes and exit 0", () => {
    const r = reviewOutputs(after, after, { prodEnvironments: ["prod"] });
    expect(r.stacks.every((s) => s.status === "unchanged")).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(renderText(r)).toMatch(/No changes\./);
  });
});

describe("stacks", () => {
  test("added and removed stacks are reported with their resources", () => {
    expect(stack(review, "staging-gcp-cluster").status).toBe("added");
    expect(stack(review, "staging-gcp-network").status).toBe("removed");
    expect(stack(review, "staging-gcp-network").resources.map((r) => r.kind)).toEqual(["remove"]);
    expect(review.summary).toMatchObject({ stacksAdded: 1, stacksRemoved: 1 });
  });

  test("a stack's environment is its name prefix; prod comes from the given prod tier", () => {
    expect(stack(review, "prod-gcp-data")).toMatchObject({ environment: "prod", prod: true });
    expect(stack(review, "dev-aws-data")).toMatchObject({ environment: "dev", prod: false });
  });
});

describe("dangerous changes", () => {
  test("removal and replacement of stateful resources are flagged, prod first", () => {
    expect(
      review.dangers.map((d) => [d.stack, d.address.split(".")[0], d.reason.split(":")[0]]),
    ).toEqual([
      ["prod-gcp-data", "google_bigtable_instance", "replaced"],
      ["prod-gcp-data", "google_bigtable_table", "removed"],
      ["dev-aws-data", "aws_dynamodb_table", "replaced"],
    ]);
    expect(review.dangers[0].reason).toMatch(
      /Bigtable instance destroyed and recreated \(cluster\.\*\.zone forces it\)/,
    );
    expect(review.dangers[2].reason).toMatch(/DynamoDB table .*hash_key forces it/);
  });

  test("a dangerous change in a prod-tier stack gives exit code 2", () => {
    expect(review.exitCode).toBe(2);
  });

  test("dangerous changes outside prod are flagged but exit 0", () => {
    const r = reviewOutputs(before, after, { prodEnvironments: ["qa"] });
    expect(r.dangers.length).toBe(3);
    expect(r.dangers.every((d) => !d.prod)).toBe(true);
    expect(r.exitCode).toBe(0);
  });

  test("in-place changes of stateless resources are not dangerous", () => {
    expect(review.dangers.some((d) => d.stack === "prod-gcp-network")).toBe(false);
  });

  test("an app's release removed (uninstalled, e.g. moved to Argo CD) and a data release that swaps its chart are dangers", () => {
    const side = (after: boolean) => {
      const outdir = path.join(root, `swap-${String(after)}`);
      const app = new App({ outdir, stackTraces: false });
      const stack = new TerraformStack(app, "prod-do-apps");
      new HelmProvider(stack, "helm", {});
      if (!after)
        new Release(stack, "Web", {
          name: "web",
          chart: "./assets/ServiceChart/ABC",
          namespace: "prod",
        });
      const data = new TerraformStack(app, "prod-do-databases");
      new HelmProvider(data, "helm", {});
      new Release(data, "Cache", {
        name: "cache",
        repository: after
          ? "oci://registry-1.docker.io/cloudpirates"
          : "oci://registry-1.docker.io/bitnamicharts",
        chart: after ? "valkey" : "redis",
        version: after ? "0.25.5" : "23.1.1",
        namespace: "prod",
      });
      app.synth();
      return readCdktfOut(outdir);
    };
    const r = reviewOutputs(side(false), side(true), {
      prodEnvironments: ["prod"],
      knownEnvironments: ["prod"],
    });
    const reasons = r.dangers.map((d) => `${d.stack}: ${d.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^prod-do-apps: application web uninstalled .*tofu state rm/),
        expect.stringMatching(/^prod-do-databases: chart redis → valkey under the same release/),
      ]),
    );
    expect(r.exitCode).toBe(2);
  });

  test("a new version of a chart whose CRDs Helm never upgrades is a danger (apply its CRDs first)", () => {
    const side = (version: string) => {
      const outdir = path.join(root, `gateway-${version}`);
      const app = new App({ outdir, stackTraces: false });
      const stack = new TerraformStack(app, "dev-aws-platform");
      new HelmProvider(stack, "helm", {});
      for (const [id, chart] of [
        ["EnvoyGateway", "gateway-helm"],
        ["CertManager", "cert-manager"],
        ["RabbitmqOperator", "rabbitmq-cluster-operator"],
        ["Strimzi", "strimzi-kafka-operator"],
      ]) {
        new Release(stack, id!, {
          name: chart!,
          repository: "oci://example.com/charts",
          chart: chart!,
          version,
          namespace: "platform",
        });
      }
      app.synth();
      return readCdktfOut(outdir);
    };
    const r = reviewOutputs(side("v1.9.0"), side("v1.10.0"), {
      prodEnvironments: ["prod"],
      knownEnvironments: ["dev"],
    });
    // cert-manager keeps its CRDs in templates (crds.enabled), which Helm upgrades: no danger.
    // Each names its own upgrade procedure.
    expect(r.dangers.map((x) => x.reason).sort()).toEqual([
      expect.stringMatching(
        /^gateway-helm v1\.9\.0 → v1\.10\.0: Helm does not upgrade the CRDs this chart carries; apply the new version's CRDs first \(docs\/edge\.md/,
      ),
      // The RabbitMQ Cluster Operator's chart keeps its CRDs in crds/ too; its procedure is its own.
      expect.stringMatching(
        /^rabbitmq-cluster-operator v1\.9\.0 → v1\.10\.0: Helm does not upgrade the CRDs this chart carries; apply the new version's CRDs first \(docs\/data-services\.md, "Upgrading the RabbitMQ Cluster Operator"\)/,
      ),
      expect.stringMatching(
        /^strimzi-kafka-operator v1\.9\.0 → v1\.10\.0: Helm does not upgrade the CRDs .*docs\/data-services\.md, "Upgrading Strimzi"/,
      ),
    ]);
  });

  test("a helm release is stateful only for a data chart", () => {
    // dev removes an ingress-nginx release (not dangerous) and adds a redis release.
    const platform = stack(review, "dev-gcp-platform").resources;
    expect(platform.map((r) => r.kind).sort()).toEqual(["add", "remove"]);
    expect(review.dangers.some((d) => d.stack === "dev-gcp-platform")).toBe(false);
  });

  test("a removed stack's stateful resources are flagged", () => {
    const removedStack = fs.mkdtempSync(path.join(root, "no-data-"));
    fs.cpSync(after.dir, removedStack, { recursive: true });
    const manifestFile = path.join(removedStack, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    delete manifest.stacks["prod-gcp-data"];
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const gone = reviewOutputs(after, readCdktfOut(removedStack), { prodEnvironments: ["prod"] });
    expect(stack(gone, "prod-gcp-data").status).toBe("removed");
    expect(gone.dangers.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^stack removed: Bigtable instance destroyed/),
      expect.stringMatching(/^stack removed: Pub\/Sub topic destroyed/),
    ]);
    expect(gone.exitCode).toBe(2);
  });
});

describe("masking", () => {
  const release = () =>
    stack(review, "prod-gcp-databases").resources.find((r) => r.type === "helm_release")!;

  test("values under set_sensitive are masked on both sides", () => {
    const change = release().changes.find((c) => c.path === "set_sensitive[0].value");
    expect(change).toEqual({
      path: "set_sensitive[0].value",
      before: "(sensitive)",
      after: "(sensitive)",
    });
  });

  test("values referencing a sensitive variable are masked", () => {
    const change = release().changes.find((c) => c.path === "set[0].value");
    expect(change).toMatchObject({ before: "(sensitive)", after: "(sensitive)" });
  });

  test("other values of the same resource are shown, key by key inside the Helm values", () => {
    const change = release().changes.find((c) => c.path.startsWith("values[0]"));
    expect(change).toEqual({
      path: "values[0] › primary.resources.limits.memory",
      before: '"1Gi"',
      after: '"2Gi"',
    });
  });

  test("no rendering contains a sensitive literal", () => {
    for (const text of [renderText(review), renderMarkdown(review), renderJson(review)]) {
      expect(text).not.toContain(SECRET_VALUE);
      expect(text).toContain("(sensitive)");
    }
  });
});

describe("rendering", () => {
  test("the terminal table puts dangers before the stacks", () => {
    const text = renderText(review);
    expect(text).toMatch(
      /^!! 3 dangerous changes \(2 in staging\/prod: needs explicit approval\)$/m,
    );
    expect(text.indexOf("!! 3 dangerous")).toBeLessThan(
      text.indexOf("prod-gcp-data [prod]: stack changed"),
    );
    expect(text).toMatch(
      /~\s+google_bigtable_instance\.\S+\s+cluster\[0\]\.zone \(forces replacement\)\s+"us-central1-a" → "us-central1-b"/,
    );
    expect(text).toMatch(/staging-gcp-network: stack removed/);
  });

  test("Markdown has a dangers table and a table per changed stack", () => {
    const md = renderMarkdown(review);
    expect(md).toMatch(/^### :warning: 3 dangerous changes/m);
    expect(md).toMatch(
      /^\| \*\*prod \(prod\)\*\* \| prod-gcp-data \| `google_bigtable_instance\.\S+` \| replaced: /m,
    );
    expect(md).toMatch(/^### prod-gcp-network \(prod\): changed$/m);
    expect(md).toMatch(
      /^\| ~ \| `google_compute_network\.\S+` \| `description` \| `"prod network"` → `"prod network, renamed"` \|$/m,
    );
  });

  test("JSON is the review itself", () => {
    expect(JSON.parse(renderJson(review))).toEqual(JSON.parse(JSON.stringify(review)));
  });
});
