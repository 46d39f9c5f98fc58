/** A one-stack fixture app for move tests: one SQS queue whose construct id is chosen. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { LocalBackend, TerraformStack, type App } from "cdktf";

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
