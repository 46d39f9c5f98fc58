import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { AwsTargetConfig } from "../../environments/schema/aws";

/** The aws provider of an AWS stack: region, and the account it may touch when configured. */
export function awsProvider(scope: Construct, target: AwsTargetConfig): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region: target.region,
    ...(target.accountId ? { allowedAccountIds: [target.accountId] } : {}),
  });
}
