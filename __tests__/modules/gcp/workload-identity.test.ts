import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { Testing } from "cdktf";
import {
  WorkloadIdentity,
  type WorkloadIdentityProps,
} from "../../../modules/gcp/workload-identity";

const props: WorkloadIdentityProps = {
  project: "strata-test",
  accountId: "test-angzarr",
  workloadPool: "strata-test.svc.id.goog",
  namespace: "test",
  kubernetesServiceAccount: "angzarr",
};
let built: WorkloadIdentity | undefined;
const synth = (p: Partial<WorkloadIdentityProps> = {}) =>
  Testing.synthScope((scope) => {
    built = new WorkloadIdentity(scope, "Identity", { ...props, ...p });
  });

describe("WorkloadIdentity", () => {
  test("a Google service account without roles of its own", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(ServiceAccount, {
      account_id: "test-angzarr",
      project: "strata-test",
      display_name: "Workload identity of test/angzarr",
    });
    expect(Object.keys(JSON.parse(out).resource)).toEqual([
      "google_service_account",
      "google_service_account_iam_member",
    ]);
  });

  test("bound to the Kubernetes service account through the workload pool", () => {
    expect(synth()).toHaveResourceWithProperties(ServiceAccountIamMember, {
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:strata-test.svc.id.goog[test/angzarr]",
      service_account_id: "${google_service_account.Identity_ServiceAccount_EA7AE446.name}",
    });
    expect(built?.email).toBe("test-angzarr@strata-test.iam.gserviceaccount.com");
    expect(built?.principal).toEqual({
      member: "serviceAccount:test-angzarr@strata-test.iam.gserviceaccount.com",
      key: "test-angzarr",
    });
  });

  test("display name can be set", () => {
    expect(synth({ displayName: "Angzarr" })).toHaveResourceWithProperties(ServiceAccount, {
      display_name: "Angzarr",
    });
  });

  test("bad account id, namespace, service account or pool", () => {
    expect(() => synth({ accountId: "ab" })).toThrow(/accountId: .* must be 6–30/);
    expect(() => synth({ namespace: "Prod" })).toThrow(/namespace: DNS label "Prod"/);
    expect(() => synth({ kubernetesServiceAccount: "a_b" })).toThrow(/kubernetesServiceAccount/);
    expect(() => synth({ workloadPool: "strata-test" })).toThrow(
      /must be <project>\.svc\.id\.goog/,
    );
  });
});
