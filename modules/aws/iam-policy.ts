import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lazy } from "cdktf";
import { Construct } from "constructs";

/** One statement of an IAM or KMS key policy document. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | "*";
  readonly Action: string | readonly string[];
  /** Absent in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[] | boolean>>>
  >;
}

/** A policy document as JSON text. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Something permissions can be granted to. Grant methods on the constructs
 * (`store.grantReadWrite(grantee)`, `bus.grantPublish(grantee, "events")`) add statements to it.
 */
export interface IGrantable {
  addToPolicy(...statements: PolicyStatement[]): void;
}

/** Props of {@link RoleInlinePolicy}. */
export interface RoleInlinePolicyProps {
  /**
   * Name of the IAM role the policy is attached to. A name, not a reference: the role may live in
   * another stack (applied first), and `aws_iam_role_policy` attaches by name.
   */
  readonly roleName: string;
  /** Name of the inline policy, unique per role (`event-store`, `messaging`). */
  readonly policyName: string;
}

/**
 * An inline policy of an IAM role that grants add statements to. Rendered once, at synthesis, so
 * every grant in one stack lands in one `aws_iam_role_policy`. A policy nothing was granted to
 * is refused: it would be an empty (invalid) document.
 */
export class RoleInlinePolicy extends Construct implements IGrantable {
  readonly resource: IamRolePolicy;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: RoleInlinePolicyProps) {
    super(scope, id);
    this.resource = new IamRolePolicy(this, "Policy", {
      role: props.roleName,
      name: props.policyName,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
    this.node.addValidation({
      validate: () =>
        this.statements.length === 0
          ? [
              `${this.node.path}: inline policy "${props.policyName}" of role ${props.roleName} grants nothing; grant something or remove it`,
            ]
          : [],
    });
  }

  /** Adds statements; one identical to a statement already there is skipped. */
  addToPolicy(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      const text = JSON.stringify(statement);
      if (!this.statements.some((s) => JSON.stringify(s) === text)) this.statements.push(statement);
    }
  }

  /** The statements granted so far (for tests and reviews). */
  get policyStatements(): readonly PolicyStatement[] {
    return this.statements;
  }
}
