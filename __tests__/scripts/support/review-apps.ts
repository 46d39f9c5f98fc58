/**
 * Two small cdktf apps, "before" and "after" a change, synthesized into temporary folders: the
 * review's fixture. Between them, prod replaces a Bigtable instance (cluster zone), removes a
 * Bigtable table, adds a Pub/Sub topic, changes a VPC description and two masked values of a
 * PostgreSQL release; dev replaces a DynamoDB table (hash key) and removes an ingress release; a
 * staging stack is removed and another added.
 */
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BigtableInstance } from "@cdktf/provider-google/lib/bigtable-instance";
import { BigtableTable } from "@cdktf/provider-google/lib/bigtable-table";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { PubsubTopic } from "@cdktf/provider-google/lib/pubsub-topic";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type Side = "before" | "after";

/** A literal that must never show up in review output. */
export const SECRET_VALUE = "s3cr3t-Value-7b1e";

function gcpStack(app: App, name: string): TerraformStack {
  const stack = new TerraformStack(app, name);
  new GoogleProvider(stack, "google", { project: "p-test", region: "us-central1" });
  return stack;
}

function build(app: App, side: Side): void {
  const before = side === "before";

  const data = gcpStack(app, "prod-gcp-data");
  const instance = new BigtableInstance(data, "Instance", {
    name: "prod-events",
    cluster: [{ clusterId: "prod-events-c1", zone: before ? "us-central1-a" : "us-central1-b" }],
  });
  if (before) new BigtableTable(data, "Table", { name: "events", instanceName: instance.name });
  if (!before) new PubsubTopic(data, "Topic", { name: "prod-events" });

  const network = gcpStack(app, "prod-gcp-network");
  new ComputeNetwork(network, "Vpc", {
    name: "prod-vpc",
    description: before ? "prod network" : "prod network, renamed",
  });

  const apps = new TerraformStack(app, "prod-gcp-databases");
  new HelmProvider(apps, "helm", {});
  const dbPassword = new TerraformVariable(apps, "db_password", {
    type: "string",
    sensitive: true,
  });
  new Release(apps, "Postgres", {
    name: "postgresql",
    chart: "oci://registry-1.docker.io/bitnamicharts/postgresql",
    namespace: "prod",
    setSensitive: [{ name: "auth.postgresPassword", value: before ? SECRET_VALUE : "other" }],
    values: [`primary:\n  resources:\n    limits: { memory: ${before ? "1Gi" : "2Gi"} }\n`],
    set: [{ name: "auth.password", value: before ? dbPassword.stringValue : `x${dbPassword}` }],
  });

  const dev = new TerraformStack(app, "dev-aws-data");
  new AwsProvider(dev, "aws", { region: "eu-west-1" });
  new DynamodbTable(dev, "Table", {
    name: "dev-events",
    hashKey: before ? "id" : "pk",
    attribute: [{ name: before ? "id" : "pk", type: "S" }],
    billingMode: "PAY_PER_REQUEST",
  });
  const devApps = new TerraformStack(app, "dev-gcp-platform");
  new HelmProvider(devApps, "helm", {});
  if (before) {
    new Release(devApps, "Ingress", { name: "ingress", chart: "ingress-nginx", namespace: "ing" });
  } else {
    new Release(devApps, "Cache", { name: "cache", chart: "redis", namespace: "dev" });
  }

  if (before) new ComputeNetwork(gcpStack(app, "staging-gcp-network"), "Vpc", { name: "stg" });
  else new ComputeNetwork(gcpStack(app, "staging-gcp-cluster"), "Vpc", { name: "stg" });
}

/** Synthesizes one side into a new temporary folder and returns it. */
export function synthSide(
  side: Side,
  root = fs.mkdtempSync(path.join(os.tmpdir(), "strata-review-")),
): string {
  const outdir = path.join(root, side);
  const app = new App({ outdir, stackTraces: false });
  build(app, side);
  app.synth();
  return outdir;
}
