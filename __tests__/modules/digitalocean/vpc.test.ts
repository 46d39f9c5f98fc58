import { Vpc } from "@cdktf/provider-digitalocean/lib/vpc";
import { Testing } from "cdktf";
import { DoVpc, type DoVpcProps } from "../../../modules/digitalocean/vpc";

const props: DoVpcProps = { name: "test-vpc", region: "fra1", ipRange: "10.200.0.0/20" };
const synth = (p: Partial<DoVpcProps> = {}) =>
  Testing.synthScope((scope) => void new DoVpc(scope, "Vpc", { ...props, ...p }));

describe("DoVpc", () => {
  test("a VPC in the region with the private range", () => {
    expect(synth()).toHaveResourceWithProperties(Vpc, {
      name: "test-vpc",
      region: "fra1",
      ip_range: "10.200.0.0/20",
    });
  });
  test("public or oversized ranges are refused", () => {
    expect(() => synth({ ipRange: "8.8.0.0/16" })).toThrow(
      /must be a private \(RFC 1918\) \/16 to \/24/,
    );
    expect(() => synth({ ipRange: "10.0.0.0/8" })).toThrow(/\/16 to \/24/);
  });
  test("names DigitalOcean refuses", () => {
    expect(() => synth({ name: "Test VPC" })).toThrow(/may contain only/);
  });
});
