import {
  awsRoleName,
  gcpServiceAccountEmail,
  gcpServiceAccountId,
} from "../../stacks/identity-names";

describe("identity names", () => {
  test("GSA ids and emails", () => {
    expect(gcpServiceAccountId("prod", "angzarr")).toBe("prod-angzarr");
    expect(gcpServiceAccountEmail("prod", "angzarr", "angzarr-prod")).toBe(
      "prod-angzarr@angzarr-prod.iam.gserviceaccount.com",
    );
  });
  test("GSA ids outside 6–30 characters are refused with the fix", () => {
    expect(() => gcpServiceAccountId("dev", "a")).toThrow(/is 5 characters; it must be 6–30/);
    expect(() => gcpServiceAccountId("staging", "a-very-long-application-name")).toThrow(
      /must be 6–30.*shorten the application name/,
    );
  });
  test("IAM role names", () => {
    expect(awsRoleName("prod", "angzarr")).toBe("prod-angzarr");
  });
});
