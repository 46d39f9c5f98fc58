import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import type { Construct } from "constructs";
import type { GcpTargetConfig } from "../../environments/schema/gcp";

/** The google provider of a GCP stack: project and region from the target. */
export function googleProvider(scope: Construct, target: GcpTargetConfig): GoogleProvider {
  return new GoogleProvider(scope, "google", { project: target.project, region: target.region });
}
