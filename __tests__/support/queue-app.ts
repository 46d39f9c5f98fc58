/** A one-stack fixture app for move tests: one SQS queue whose construct id is chosen. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LocalBackend, TerraformStack, type App } from "cdktf";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A one-queue app whose queue's construct id is `id` (the physical queue is always "orders"). */
export function queueApp(id: string) {
  return (app: App) => {
    const s = new TerraformStack(app, "queues");
    new LocalBackend(s, { path: "terraform.tfstate" });
    new AwsProvider(s, "aws", {
      region: "us-east-1",
      accessKey: "test",
      secretKey: "test",
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: "true",
      skipRegionValidation: true,
    });
    new SqsQueue(s, id, { name: "orders" });
  };
}

/**
 * Two output folders for the queue app (`base`, the applied synthesis, and `out`), the queue
 * stack's JSON as `out` holds it, and a cleanup for afterAll.
 */
export function queueWorkspace(prefix: string) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const out = path.join(tmp, "out");
  return {
    tmp,
    base: path.join(tmp, "base"),
    out,
    read: () =>
      JSON.parse(fs.readFileSync(path.join(out, "stacks", "queues", "cdk.tf.json"), "utf8")) as {
        resource?: Record<string, Record<string, Record<string, unknown>>>;
        terraform?: Record<string, unknown>;
        moved?: unknown;
      },
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
