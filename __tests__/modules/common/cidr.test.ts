import {
  cidrContains,
  cidrSubnet,
  cidrsOverlap,
  isNetworkAligned,
  isPrivateCidr,
  parseCidr,
} from "../../../modules/common/cidr";

const c = (t: string) => {
  const parsed = parseCidr(t);
  if (!parsed) throw new Error(`bad fixture ${t}`);
  return parsed;
};

describe("parseCidr", () => {
  test("parses valid blocks and rejects malformed ones", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ base: 0x0a000000, prefix: 16 });
    expect(parseCidr("10.0.0.0")).toBeUndefined();
    expect(parseCidr("10.0.0.256/16")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("ten/8")).toBeUndefined();
  });

  test("detects host bits", () => {
    expect(isNetworkAligned(c("10.0.0.0/16"))).toBe(true);
    expect(isNetworkAligned(c("10.0.1.0/16"))).toBe(false);
  });
});

describe("relations", () => {
  test("overlap and containment", () => {
    expect(cidrsOverlap(c("10.0.0.0/16"), c("10.0.128.0/17"))).toBe(true);
    expect(cidrsOverlap(c("10.0.0.0/16"), c("10.1.0.0/16"))).toBe(false);
    expect(cidrContains(c("10.0.0.0/8"), c("10.200.0.0/16"))).toBe(true);
    expect(cidrContains(c("10.200.0.0/16"), c("10.0.0.0/8"))).toBe(false);
  });

  test("private ranges", () => {
    expect(isPrivateCidr(c("192.168.10.0/24"))).toBe(true);
    expect(isPrivateCidr(c("172.32.0.0/16"))).toBe(false);
    expect(isPrivateCidr(c("8.8.8.0/24"))).toBe(false);
  });
});

describe("cidrSubnet", () => {
  test("matches Terraform's cidrsubnet", () => {
    expect(cidrSubnet("10.30.0.0/16", 3, 0)).toBe("10.30.0.0/19");
    expect(cidrSubnet("10.30.0.0/16", 3, 2)).toBe("10.30.64.0/19");
    expect(cidrSubnet("10.30.0.0/16", 5, 24)).toBe("10.30.192.0/21");
  });

  test("refuses subnets that do not fit", () => {
    expect(() => cidrSubnet("10.0.0.0/30", 4, 0)).toThrow(/does not fit/);
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow(/does not fit/);
  });
});
