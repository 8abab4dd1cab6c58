import * as net from "node:net";

/** A parsed CIDR block: address family and prefix length. */
export interface Cidr {
    /** 4 for IPv4, 6 for IPv6. */
    readonly family: 4 | 6;
    /** Number of leading bits that are fixed; 0 means every address of the family. */
    readonly prefixLength: number;
}

/**
 * Parses an IPv4 or IPv6 CIDR block in any spelling the EC2 API accepts (`::/0`, `0000::/0`, fully expanded
 * groups, leading zeros in the prefix). Returns undefined for anything that is not a CIDR block, including a
 * bare address without a prefix.
 */
export function parseCidr(value: string): Cidr | undefined {
    const text = value.trim();
    const slash = text.lastIndexOf("/");
    if (slash <= 0) {
        return undefined;
    }
    const address = text.slice(0, slash);
    const prefix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix)) {
        return undefined;
    }
    const prefixLength = Number(prefix);
    if (net.isIPv4(address)) {
        return prefixLength <= 32 ? { family: 4, prefixLength } : undefined;
    }
    if (net.isIPv6(address)) {
        return prefixLength <= 128 ? { family: 6, prefixLength } : undefined;
    }
    return undefined;
}

/** True when the CIDR block covers every IPv4 or every IPv6 address: any `/0`, whatever the address bits. */
export function isWorldCidr(value: string): boolean {
    const cidr = parseCidr(value);
    return cidr !== undefined && cidr.prefixLength === 0;
}
