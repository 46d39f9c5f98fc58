import { Vpc } from "@cdktf/provider-digitalocean/lib/vpc";
import { Construct } from "constructs";
import { isPrivateCidr, parseCidr } from "../common/cidr";
import { checkName, NAME_RULES } from "../common/naming";

/** Props of {@link DoVpc}. */
export interface DoVpcProps {
  readonly name: string;
  /** Region slug, e.g. nyc3. */
  readonly region: string;
  /** Private range, /16 to /24. */
  readonly ipRange: string;
  /** @default - "Managed by Strata" */
  readonly description?: string;
}

/** A DigitalOcean VPC: the private network of an environment's cluster and managed databases. */
export class DoVpc extends Construct {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: DoVpcProps) {
    super(scope, id);
    const nameProblem = checkName(props.name, NAME_RULES.digitalocean);
    if (nameProblem) throw new Error(`${this.node.path}: name: ${nameProblem}`);
    const c = parseCidr(props.ipRange);
    if (!c || !isPrivateCidr(c) || c.prefix < 16 || c.prefix > 24) {
      throw new Error(
        `${this.node.path}: ipRange "${props.ipRange}" must be a private (RFC 1918) /16 to /24`,
      );
    }
    this.vpc = new Vpc(this, "Vpc", {
      name: props.name,
      region: props.region,
      ipRange: props.ipRange,
      description: props.description ?? "Managed by Strata",
    });
  }
}
