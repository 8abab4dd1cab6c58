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

/** A block of private address space, as the pack defines it. */
interface PrivateBlock {
    readonly text: string;
    readonly family: 4 | 6;
    readonly network: bigint;
    readonly prefixLength: number;
}

/** The verdict on one CIDR value of a security-group rule or prefix list. */
export type CidrVerdict =
    /** Entirely inside one private block. */
    | { readonly kind: "private"; readonly block: string }
    /** Admits at least one address outside private space; `world` when it is a `/0`. */
    | { readonly kind: "public"; readonly world: boolean }
    /** Not a canonical CIDR block; `reason` says why, without guessing what was meant. */
    | { readonly kind: "unreadable"; readonly reason: string };

const IPV4_OCTET = /^(0|[1-9]\d{0,2})$/;
const PREFIX = /^(0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Strict dotted-quad IPv4: four decimal octets 0-255 without leading zeros (`010` is octal to some parsers). */
function ipv4Value(text: string): bigint | string {
    const parts = text.split(".");
    if (parts.length !== 4) {
        return "an IPv4 address has four dot-separated octets";
    }
    let value = 0n;
    for (const part of parts) {
        if (!IPV4_OCTET.test(part)) {
            return /^0\d+$/.test(part)
                ? `leading zero in the octet "${part}" (some parsers read it as octal)`
                : /^\d+$/.test(part)
                  ? `octet ${part} is above 255`
                  : `"${part}" is not a decimal octet`;
        }
        const n = Number(part);
        if (n > 255) {
            return `octet ${part} is above 255`;
        }
        value = (value << 8n) | BigInt(n);
    }
    return value;
}

/** Strict IPv6: hex groups of 1-4 digits, at most one `::`, no zone index and no embedded dotted IPv4. */
function ipv6Value(text: string): bigint | string {
    if (text.includes("%")) {
        return "an IPv6 zone index (%) has no place in a CIDR block";
    }
    if (text.includes(".")) {
        return "an IPv6 address with an embedded dotted IPv4 address";
    }
    const halves = text.split("::");
    if (halves.length > 2) {
        return "more than one :: in an IPv6 address";
    }
    const groupsOf = (half: string): string[] => (half === "" ? [] : half.split(":"));
    const head = groupsOf(halves[0]);
    const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
    const count = head.length + tail.length;
    if (halves.length === 1 ? count !== 8 : count > 7) {
        return "an IPv6 address has eight groups (fewer only with ::)";
    }
    const groups = [...head, ...Array<string>(8 - count).fill("0"), ...tail];
    let value = 0n;
    for (const group of groups) {
        if (!IPV6_GROUP.test(group)) {
            return `"${group}" is not an IPv6 group of 1-4 hex digits`;
        }
        value = (value << 16n) | BigInt(parseInt(group, 16));
    }
    return value;
}

function block(text: string): PrivateBlock {
    const [address, prefix] = text.split("/");
    const family = address.includes(":") ? 6 : 4;
    const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
    if (typeof value === "string") {
        throw new Error(`Bad private block ${text}: ${value}`);
    }
    return { text, family, network: value, prefixLength: Number(prefix) };
}

/**
 * Private space as the pack defines it: RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 6598 shared address space
 * (100.64/10), IPv4 link-local (169.254/16, RFC 3927), IPv6 unique local (fc00::/7, RFC 4193) and IPv6 link-local
 * (fe80::/10, RFC 4291). Nothing else is private: loopback, multicast, documentation, benchmarking and reserved
 * ranges, IPv4-mapped IPv6 and the unspecified address all count as outside private space.
 */
export const PRIVATE_BLOCKS: readonly PrivateBlock[] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
].map(block);

/**
 * Judges one CIDR value strictly: a canonical IPv4 or IPv6 network address (host bits zero) and a decimal prefix
 * length without leading zeros. A block that reaches outside private space is `public` even when its host bits are
 * set (its network is what a lenient reader would open); a block inside private space with host bits set, and
 * anything that does not parse, is `unreadable`, which the rules treat as a violation.
 */
export function judgeCidr(value: unknown): CidrVerdict {
    if (typeof value !== "string") {
        return { kind: "unreadable", reason: "not a string" };
    }
    const slash = value.indexOf("/");
    if (slash < 0) {
        return { kind: "unreadable", reason: "no /prefix length" };
    }
    const address = value.slice(0, slash);
    const prefix = value.slice(slash + 1);
    if (!PREFIX.test(prefix)) {
        return { kind: "unreadable", reason: `"/${prefix}" is not a prefix length without leading zeros` };
    }
    const family: 4 | 6 = address.includes(":") ? 6 : 4;
    const bits = family === 4 ? 32 : 128;
    const prefixLength = Number(prefix);
    if (prefixLength > bits) {
        return { kind: "unreadable", reason: `prefix length ${prefixLength} is above ${bits}` };
    }
    const parsed = family === 4 ? ipv4Value(address) : ipv6Value(address);
    if (typeof parsed === "string") {
        return { kind: "unreadable", reason: parsed };
    }
    const hostBits = BigInt(bits - prefixLength);
    const network = (parsed >> hostBits) << hostBits;
    const inside = PRIVATE_BLOCKS.find(
        (b) =>
            b.family === family &&
            prefixLength >= b.prefixLength &&
            network >> BigInt(bits - b.prefixLength) === b.network >> BigInt(bits - b.prefixLength),
    );
    if (inside === undefined) {
        return { kind: "public", world: prefixLength === 0 };
    }
    if (network !== parsed) {
        return {
            kind: "unreadable",
            reason: `host bits set (the network address of /${prefixLength} is ${formatAddress(family, network)})`,
        };
    }
    return { kind: "private", block: inside.text };
}

function formatAddress(family: 4 | 6, value: bigint): string {
    if (family === 4) {
        return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
    }
    const groups: string[] = [];
    for (let shift = 112n; shift >= 0n; shift -= 16n) {
        groups.push(((value >> shift) & 0xffffn).toString(16));
    }
    // RFC 5952: the longest run of two or more zero groups becomes ::.
    let best = { start: -1, length: 1 };
    for (let i = 0; i < 8; i++) {
        let j = i;
        while (j < 8 && groups[j] === "0") {
            j++;
        }
        if (j - i > best.length) {
            best = { start: i, length: j - i };
        }
    }
    if (best.start < 0) {
        return groups.join(":");
    }
    const head = groups.slice(0, best.start).join(":");
    const tail = groups.slice(best.start + best.length).join(":");
    return `${head}::${tail}`;
}
