import { DigitaloceanProvider } from "@cdktf/provider-digitalocean/lib/provider";
import type { Construct } from "constructs";

/** The digitalocean provider; the API token comes from DIGITALOCEAN_TOKEN at plan/apply time. */
export function digitaloceanProvider(scope: Construct): DigitaloceanProvider {
  return new DigitaloceanProvider(scope, "digitalocean", {});
}
