/**
 * IPv4 CIDR arithmetic used by the environment schema (overlap and containment checks) and by the
 * network modules (deterministic subnet layout). Pure functions, no dependencies.
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly base: number;
  /** Prefix length, 0–32. */
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not a well-formed IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = (((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0) >>> 0;
  return { base, prefix };
}

/** Netmask for a prefix length as an unsigned 32-bit integer. */
function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** True when the address has no bits set below the prefix (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAligned(c: Cidr): boolean {
  return (c.base & mask(c.prefix)) >>> 0 === c.base;
}

/** Formats a CIDR back to text. */
export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** First and last address of the block, inclusive. */
function range(c: Cidr): [number, number] {
  const size = 2 ** (32 - c.prefix);
  return [c.base, c.base + size - 1];
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  const [o0, o1] = range(outer);
  const [i0, i1] = range(inner);
  return o0 <= i0 && i1 <= o1;
}

/** RFC 1918 private ranges. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(
  (t) => parseCidr(t) as Cidr,
);

/** True when the block lies inside one RFC 1918 private range. */
export function isPrivateCidr(c: Cidr): boolean {
  return PRIVATE_RANGES.some((p) => cidrContains(p, c));
}

/**
 * The `netnum`-th subnet of `parent` with `newbits` more prefix bits, like Terraform's
 * `cidrsubnet(parent, newbits, netnum)`. Throws when the subnet does not fit.
 */
export function cidrSubnet(parent: string, newbits: number, netnum: number): string {
  const p = parseCidr(parent);
  if (!p) throw new Error(`cidrSubnet: "${parent}" is not an IPv4 CIDR`);
  const prefix = p.prefix + newbits;
  if (prefix > 32 || netnum < 0 || netnum >= 2 ** newbits) {
    throw new Error(
      `cidrSubnet: subnet ${netnum} with ${newbits} extra bits does not fit in ${parent}`,
    );
  }
  const base = (p.base + netnum * 2 ** (32 - prefix)) >>> 0;
  return formatCidr({ base, prefix });
}
