import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey as AwsKmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyDocument, type IGrantable, type PolicyStatement } from "./iam-policy";

/** The account a key lives in, for the ARNs a service grant is tied to. */
export interface KeyAccount {
  /** `aws`, `aws-cn`, … (a token). */
  readonly partition: string;
  /** The 12-digit account id (a token). */
  readonly accountId: string;
}

/**
 * An AWS service allowed to use the key through the key policy. Every such statement is tied to
 * this account (`aws:SourceAccount`) and, where given, to the resources acting (`aws:SourceArn`),
 * so no other account's resource can make the service use the key (the confused-deputy problem;
 * facts/aws-service-principals.json).
 */
export interface KmsServiceAccess {
  /** Service principal, e.g. `sns.amazonaws.com`. */
  readonly service: string;
  /** KMS actions the service may call, e.g. `["kms:GenerateDataKey*", "kms:Decrypt"]`. */
  readonly actions: readonly string[];
  /** The resources on whose behalf the service may use the key (ArnLike). @default - any in this account */
  readonly sourceArns?: (account: KeyAccount) => readonly string[];
}

/** Props of {@link KmsKey}. */
export interface KmsKeyProps {
  /** Alias without the `alias/` prefix, e.g. `prod-eks-secrets`. */
  readonly alias: string;
  readonly description: string;
  /** Services that use the key on their own behalf (not through a caller's IAM permissions). @default [] */
  readonly services?: readonly KmsServiceAccess[];
  /**
   * Days before a scheduled deletion takes effect, 7–30.
   * @default 30 (the longest: a deleted key makes its data unreadable)
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
   */
  readonly deletionWindowInDays?: number;
  /** Keep the key on `tofu destroy`. @default false */
  readonly preventDestroy?: boolean;
}

/** 30 days, the maximum KMS allows: time to notice and cancel a mistaken deletion. */
const DEFAULT_DELETION_WINDOW_DAYS = 30;

/**
 * A symmetric customer-managed KMS key with yearly automatic rotation (CIS AWS 3.6), an alias,
 * and a key policy that (1) lets the account's IAM policies grant use of the key — the AWS
 * default key policy, without which no IAM grant works — and (2) lets the listed services use it.
 */
export class KmsKey extends Construct {
  readonly resource: AwsKmsKey;
  readonly alias: KmsAlias;
  /** ARN of the key. */
  readonly arn: string;
  /** `alias/<alias>`. */
  readonly aliasName: string;
  /** The services the key policy lets use the key. */
  readonly services: readonly KmsServiceAccess[];

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? DEFAULT_DELETION_WINDOW_DAYS;
    if (
      !Number.isInteger(deletionWindowInDays) ||
      deletionWindowInDays < 7 ||
      deletionWindowInDays > 30
    ) {
      throw new Error(
        `${this.node.path}: deletionWindowInDays (${deletionWindowInDays}) must be an integer from 7 to 30`,
      );
    }
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) || props.alias.startsWith("aws/")) {
      throw new Error(
        `${this.node.path}: alias "${props.alias}" may contain only letters, digits, /, _ and - (1–250 characters), and must not start with aws/`,
      );
    }
    this.services = props.services ?? [];
    const account = new DataAwsCallerIdentity(this, "Account");
    const partition = new DataAwsPartition(this, "Partition");
    const statements: PolicyStatement[] = [
      {
        Sid: "EnableIamPolicies",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...this.services.map((s): PolicyStatement => {
        const arns = s.sourceArns?.({
          partition: partition.partition,
          accountId: account.accountId,
        });
        return {
          Sid: `AllowService${pascal(s.service.split(".")[0])}`,
          Effect: "Allow",
          Principal: { Service: s.service },
          Action: [...s.actions],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceAccount": account.accountId },
            ...(arns && arns.length > 0 ? { ArnLike: { "aws:SourceArn": [...arns] } } : {}),
          },
        };
      }),
    ];
    this.resource = new AwsKmsKey(this, "Key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policyDocument(statements),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.aliasName = `alias/${props.alias}`;
    this.alias = new KmsAlias(this, "Alias", {
      name: this.aliasName,
      targetKeyId: this.resource.keyId,
    });
    this.arn = this.resource.arn;
  }

  /**
   * Lets `grantee` encrypt and decrypt through one AWS service only (`kms:ViaService`), e.g.
   * `dynamodb.us-east-1.amazonaws.com`.
   */
  grantEncryptDecryptVia(grantee: IGrantable, viaService: string): void {
    grantee.addToPolicy({
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: this.arn,
      Condition: { StringEquals: { "kms:ViaService": viaService } },
    });
  }

  /** Lets `grantee` decrypt (and create data keys, as SNS and SQS callers need). */
  grantEncryptDecrypt(grantee: IGrantable): void {
    grantee.addToPolicy({
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: this.arn,
    });
  }
}

/** `sns` → `Sns`, `logs-delivery` → `LogsDelivery` (policy Sids are alphanumeric). */
function pascal(word: string): string {
  return word
    .split(/[^a-zA-Z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
