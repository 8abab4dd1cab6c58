/**
 * The proxy's own addresses: IPv4 parsing, subnet CIDRs, and the check every lookup passes before anything is
 * registered (DESIGN.md §4: only the proxy's own addresses; anything else is a failed lookup).
 *
 * Plain functions only: the Lambda bundle and the serialized dynamic provider both carry this module.
 */
import { isNetworkAddress, parseIpv4Cidr } from "../../../vocabulary/cidr";

/** The 32-bit value of a dotted-quad IPv4 address, or undefined when it is not one (no leading zeros). */
export function ipv4Value(ip: string): number | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
    if (!m) return undefined;
    let value = 0;
    for (const part of m.slice(1)) {
        if ((part.length > 1 && part.startsWith("0")) || Number(part) > 255) return undefined;
        value = value * 256 + Number(part);
    }
    return value;
}

/**
 * An IPv4 CIDR block as network address and prefix length, or undefined when it is not one: the vocabulary's strict
 * parser, and the address must be the block's first one ("10.0.1.0/24", not "10.0.1.7/24"), as EC2 reports subnets.
 */
export function parseCidr(cidr: string): { network: number; prefix: number } | undefined {
    const block = parseIpv4Cidr(cidr);
    return block && isNetworkAddress(block) ? { network: block.address, prefix: block.prefix } : undefined;
}

/** True when `cidr` is an IPv4 CIDR block such as "10.0.1.0/24". */
export function isCidr(value: unknown): boolean {
    return typeof value === "string" && parseCidr(value) !== undefined;
}

/** True when `ip` is an IPv4 address inside `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
    const block = parseCidr(cidr);
    const value = ipv4Value(ip);
    if (!block || value === undefined) return false;
    const size = 2 ** (32 - block.prefix);
    return value >= block.network && value < block.network + size;
}

/**
 * Throws (changing nothing) when any address is outside every one of the proxy's subnets, naming each such
 * address. A DNS resolver that answers with a public address, a loopback or link-local address (such as the
 * instance metadata service), or an address of another subnet of the VPC, would otherwise have the NLB forward
 * consumers' connections, and their credentials, to it. The whole lookup fails, so its real addresses are
 * not counted as found and the missing ones not counted as misses either.
 */
export function assertOwnAddresses(
    ips: readonly string[],
    subnetCidrs: readonly string[],
    what: string,
): void {
    if (subnetCidrs.length === 0) {
        const e = new Error(
            `The proxy's subnet CIDRs are unknown, so no address of ${what} can be trusted; nothing was changed.`,
        );
        e.name = "ForeignAddressError";
        throw e;
    }
    const foreign = ips.filter((ip) => !subnetCidrs.some((cidr) => cidrContains(cidr, ip)));
    if (foreign.length > 0) {
        const e = new Error(
            `The lookup of ${what} returned ${foreign.join(", ")}, outside the proxy's subnets ` +
                `(${subnetCidrs.join(", ")}): a poisoned or misdirected answer, not the proxy's own addresses; ` +
                `nothing was changed. Check the resolver (or the interfaces) that answered before the next sync.`,
        );
        e.name = "ForeignAddressError";
        throw e;
    }
}
