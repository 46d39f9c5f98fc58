/**
 * The review hides nothing (scripts/lib/review.ts): each class of dangerous change is flagged
 * with its reason, exit 2 in staging and prod, reported in dev; renames show as moves; policy
 * documents are diffed by key.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readCdktfOut } from "../../scripts/lib/cdktf-out";
import { renderText, reviewOutputs, type Review } from "../../scripts/lib/review";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "strata-review-dangers-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A cdktf.out with these stack files. */
function out(stacks: Record<string, object>): string {
  const dir = fs.mkdtempSync(path.join(work, "out-"));
  const manifest: Record<string, object> = {};
  for (const [name, tf] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(tf));
    manifest[name] = { name, dependencies: [], synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: manifest }));
  return dir;
}

function review(before: Record<string, object>, after: Record<string, object>): Review {
  return reviewOutputs(readCdktfOut(out(before)), readCdktfOut(out(after)), {
    prodEnvironments: ["prod"],
    stagingEnvironments: ["staging"],
    knownEnvironments: ["dev", "staging", "prod"],
  });
}

const encrypted = {
  backend: { s3: { bucket: "tf-prod", key: "prod/x" } },
  encryption: {
    key_provider: { pbkdf2: { strata: { passphrase: "${var.p}" } } },
    method: { aes_gcm: { strata: { keys: "${key_provider.pbkdf2.strata}" } } },
    state: { method: "method.aes_gcm.strata", enforced: true },
    plan: { method: "method.aes_gcm.strata", enforced: true },
  },
};

describe("dangerous changes in the terraform block", () => {
  test("the backend moved to another type or bucket", () => {
    const r = review(
      { "prod-aws-data": { terraform: encrypted } },
      { "prod-aws-data": { terraform: { ...encrypted, backend: { local: { path: "x" } } } } },
    );
    expect(r.dangers).toEqual([
      expect.objectContaining({
        tier: "prod",
        address: "terraform",
        reason: expect.stringMatching(
          /^backend moved \(s3 bucket tf-prod → local\): tofu starts from the new backend's state/,
        ),
      }),
    ]);
    expect(r.exitCode).toBe(2);
  });

  test("state and plan encryption turned off, or no longer enforced", () => {
    const off = review(
      { "staging-aws-data": { terraform: encrypted } },
      { "staging-aws-data": { terraform: { backend: encrypted.backend } } },
    );
    expect(off.dangers.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^state encryption turned off/),
      expect.stringMatching(/^plan encryption turned off/),
    ]);
    expect(off.exitCode).toBe(2);
    const loose = review(
      { "prod-aws-data": { terraform: encrypted } },
      {
        "prod-aws-data": {
          terraform: {
            ...encrypted,
            encryption: { ...encrypted.encryption, state: { method: "method.aes_gcm.strata" } },
          },
        },
      },
    );
    expect(loose.dangers.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^state encryption no longer enforced/),
    ]);
  });
});

describe("a tier downgrade", () => {
  test("flagged from the tiers the stacks record, and gated on the higher one", () => {
    const stack = (tier: string) => ({
      "//": { strata: { environment: "qa", tier } },
      resource: {},
    });
    const r = review({ "qa-gcp-network": stack("prod") }, { "qa-gcp-network": stack("dev") });
    expect(r.dangers).toEqual([
      expect.objectContaining({
        tier: "prod",
        reason: expect.stringMatching(/^tier downgrade \(prod → dev\)/),
      }),
    ]);
    expect(r.exitCode).toBe(2);
  });
});

describe("dangerous changes to a resource", () => {
  const eks = (over: object) => ({
    resource: {
      aws_eks_cluster: {
        C: {
          name: "prod-eks",
          deletion_protection: true,
          lifecycle: { prevent_destroy: true },
          ...over,
        },
      },
    },
  });

  test("deletion protection turned off and prevent_destroy dropped", () => {
    const r = review(
      { "prod-aws-cluster": eks({}) },
      { "prod-aws-cluster": eks({ deletion_protection: false, lifecycle: undefined }) },
    );
    expect(r.dangers.map((d) => d.reason)).toEqual([
      "deletion_protection turned off: the resource can be deleted",
      "lifecycle.prevent_destroy dropped: a plan may destroy or replace it",
    ]);
  });

  test("in dev the same change is reported, and the exit code stays 0", () => {
    const r = review(
      { "dev-aws-cluster": eks({}) },
      { "dev-aws-cluster": eks({ deletion_protection: false }) },
    );
    expect(r.dangers).toEqual([expect.objectContaining({ tier: "dev" })]);
    expect(r.exitCode).toBe(0);
  });

  test("a subnetwork range that does not contain the old one replaces it; an expansion does not", () => {
    const subnet = (range: string) => ({
      resource: { google_compute_subnetwork: { S: { name: "prod-vpc", ip_cidr_range: range } } },
    });
    const moved = review(
      { "prod-gcp-network": subnet("10.60.0.0/20") },
      { "prod-gcp-network": subnet("10.80.0.0/20") },
    );
    expect(moved.dangers.map((d) => d.reason)).toEqual([
      "replaced: the new range 10.80.0.0/20 does not contain 10.60.0.0/20: the provider recreates the subnetwork",
    ]);
    expect(moved.stacks[0].resources[0].changes[0]).toMatchObject({
      forcesReplacement: "ip_cidr_range",
    });
    const grown = review(
      { "prod-gcp-network": subnet("10.60.0.0/20") },
      { "prod-gcp-network": subnet("10.60.0.0/19") },
    );
    expect(grown.dangers).toEqual([]);
  });
});

describe("renames", () => {
  const queue = (name: string, extra: object = {}) => ({
    resource: {
      aws_sqs_queue: { [name]: { name: "prod-orders", message_retention_seconds: 345600 } },
    },
    ...extra,
  });

  test("with a moved block: shown as a move, nothing dangerous", () => {
    const r = review(
      { "prod-aws-messaging": queue("Queue0") },
      {
        "prod-aws-messaging": queue("Queue-orders", {
          moved: [{ from: "aws_sqs_queue.Queue0", to: "aws_sqs_queue.Queue-orders" }],
        }),
      },
    );
    expect(r.stacks[0].resources).toEqual([
      expect.objectContaining({
        kind: "move",
        address: "aws_sqs_queue.Queue-orders",
        movedFrom: "aws_sqs_queue.Queue0",
        movedBlock: true,
      }),
    ]);
    expect(r.summary).toMatchObject({ add: 0, remove: 0, move: 1 });
    expect(r.dangers).toEqual([]);
    expect(renderText(r)).toMatch(
      />\s+aws_sqs_queue\.Queue-orders \(moved from aws_sqs_queue\.Queue0\)/,
    );
  });

  test("without one: a stateful resource would be destroyed and created, so it is dangerous with the fix", () => {
    const r = review(
      { "prod-aws-messaging": queue("Queue0") },
      { "prod-aws-messaging": queue("Queue-orders") },
    );
    expect(r.dangers).toEqual([
      expect.objectContaining({
        address: "aws_sqs_queue.Queue-orders",
        reason: expect.stringMatching(
          /^renamed from aws_sqs_queue\.Queue0 without a moved block: .* STRATA_BASE=/,
        ),
      }),
    ]);
  });
});

describe("embedded documents", () => {
  test("an IAM policy change shows the exact statement key, the whole value", () => {
    const policy = (action: string) => ({
      resource: {
        aws_iam_role_policy: {
          P: {
            name: "grants",
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: action,
                  Resource: "arn:aws:sqs:us-east-1:123456789012:" + "q".repeat(150),
                },
              ],
            }),
          },
        },
      },
    });
    const r = review(
      { "prod-aws-data": policy("sqs:ReceiveMessage") },
      { "prod-aws-data": policy("sqs:*") },
    );
    expect(r.stacks[0].resources[0].changes).toEqual([
      { path: "policy › Statement[0].Action", before: '"sqs:ReceiveMessage"', after: '"sqs:*"' },
    ]);
  });
});
