/**
 * Names of the cloud identities applications run as. The cloud layers create them; the apps layer
 * annotates Kubernetes service accounts with them. Both sides call these functions, so they agree
 * without reaching into each other's stacks.
 */
import { checkName, NAME_RULES } from "../modules/common/naming";

/** GCP service account ids are 6–30 characters. @see https://cloud.google.com/iam/docs/service-accounts-create */
const GSA_ID_RULE = {
  ...NAME_RULES.gcp,
  what: "GCP service account id",
  minLength: 6,
  maxLength: 30,
};

/** Account id of an application's Google service account: `<env>-<app>`. */
export function gcpServiceAccountId(env: string, app: string): string {
  const id = `${env}-${app}`;
  const problem = checkName(id, GSA_ID_RULE);
  if (problem) throw new Error(`${problem}; shorten the application name "${app}"`);
  return id;
}

/** Email of an application's Google service account. */
export function gcpServiceAccountEmail(env: string, app: string, project: string): string {
  return `${gcpServiceAccountId(env, app)}@${project}.iam.gserviceaccount.com`;
}

/** Name of an application's IAM role (IRSA): `<env>-<app>`. */
export function awsRoleName(env: string, app: string): string {
  const name = `${env}-${app}`;
  const problem = checkName(name, { ...NAME_RULES.aws, what: "IAM role name" });
  if (problem) throw new Error(`${problem}; shorten the application name "${app}"`);
  return name;
}
