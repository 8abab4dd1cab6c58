/**
 * IPv4 CIDR facts: strict parsing (canonical text only) and the private ranges a VPC of this project may use.
 *
 * EC2 stores a VPC's CIDR in canonical form ("if you specify 100.68.0.18/18, we modify it to 100.68.0.0/18",
 * EC2 API reference, CreateVpc, CidrBlock), so anything else would show as a change on every preview: only the
 * canonical text is accepted. Octets with leading zeros (`010.020.000.000`) are refused because tools disagree
 * on them (some read them as octal).
 */

/** A parsed IPv4 CIDR: its network address as a 32-bit number and its prefix length. */
export interface Ipv4Cidr {
    readonly address: number;
    readonly prefix: number;
}

const OCTET = "(0|[1-9]\\d{0,2})";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(0|[1-9]\\d?)$`);

/** Parses `a.b.c.d/n` strictly: decimal octets without leading zeros, each at most 255, a prefix up to 32. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
    const m = CIDR_PATTERN.exec(text);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    return { address, prefix };
}

/** True when the host bits of the CIDR are zero (`10.0.0.0/16`, not `10.0.0.1/16`). */
export function isNetworkAddress(cidr: Ipv4Cidr): boolean {
    const hostMask = cidr.prefix === 0 ? 0xffffffff : 0xffffffff >>> cidr.prefix;
    return (cidr.address & hostMask) === 0;
}

/** True when `inner` lies entirely inside `outer`. */
export function isWithin(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
    if (inner.prefix < outer.prefix) return false;
    const mask = outer.prefix === 0 ? 0 : (0xffffffff << (32 - outer.prefix)) >>> 0;
    return (inner.address & mask) >>> 0 === outer.address;
}

/**
 * Address space for a VPC of this project: RFC 1918 private space and RFC 6598 shared address space. Public
 * ranges are refused: the VPC is isolated and needs none, and a public range would shadow the real owners of
 * those addresses for anything routed through it later. Loopback, link-local, multicast and reserved ranges
 * are not in this list, so they are refused too.
 */
export const VPC_ADDRESS_SPACE: readonly string[] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
];

/** The prefix lengths a VPC of this project may have: /16 (the largest EC2 allows) to /24. */
export const VPC_PREFIX = { min: 16, max: 24 } as const;

/** True when `text` is a canonical IPv4 network address, /16 to /24, inside `VPC_ADDRESS_SPACE`. */
export function isVpcCidr(text: string): boolean {
    const cidr = parseIpv4Cidr(text);
    if (!cidr || !isNetworkAddress(cidr)) return false;
    if (cidr.prefix < VPC_PREFIX.min || cidr.prefix > VPC_PREFIX.max) return false;
    return VPC_ADDRESS_SPACE.some((space) => isWithin(cidr, parseIpv4Cidr(space) as Ipv4Cidr));
}
