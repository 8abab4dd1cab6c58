/** Ports of the common database engines: PostgreSQL, MySQL/MariaDB, SQL Server, Oracle, Redshift, MongoDB, Redis, Cassandra. */
export const DEFAULT_DATABASE_PORTS: readonly number[] = [5432, 3306, 1433, 1521, 5439, 27017, 6379, 9042];

/** An IP protocol as security-group rules mean it. `other` is any protocol without ports, which EC2 opens entirely. */
export type RuleProtocol = "all" | "tcp" | "udp" | "icmp" | "icmpv6" | "other";

/** An inclusive port range. */
export interface PortRange {
    readonly from: number;
    readonly to: number;
}

const PROTOCOL_NUMBERS: Record<number, RuleProtocol> = { 1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6" };

/**
 * Normalizes a security-group protocol as EC2 reads it: names in any case, IANA numbers (`6`, `17`, also as
 * numbers), and `-1`/`all` for every protocol. A missing protocol is treated as every protocol, the
 * conservative reading.
 */
export function normalizeProtocol(value: unknown): RuleProtocol {
    if (value === undefined || value === null) {
        return "all";
    }
    const text = String(value).trim().toLowerCase();
    if (text === "" || text === "-1" || text === "all") {
        return "all";
    }
    if (/^\d+$/.test(text)) {
        return PROTOCOL_NUMBERS[Number(text)] ?? "other";
    }
    if (text === "tcp" || text === "udp" || text === "icmp" || text === "icmpv6") {
        return text;
    }
    return "other";
}

function portNumber(value: unknown, fallback: number): number {
    if (value === undefined || value === null || value === "") {
        return fallback;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n === -1) {
        return fallback;
    }
    return n;
}

/**
 * The ports a rule opens. TCP and UDP use `fromPort`..`toPort` inclusively (missing or `-1` bounds widen to
 * 0 and 65535); ICMP and ICMPv6 carry types and codes, not ports, so they open none; every other protocol,
 * `-1` included, opens every port, because EC2 ignores the port fields for them.
 */
export function portRangeOf(
    protocol: RuleProtocol,
    fromPort: unknown,
    toPort: unknown,
): PortRange | undefined {
    switch (protocol) {
        case "icmp":
        case "icmpv6":
            return undefined;
        case "tcp":
        case "udp":
            return { from: portNumber(fromPort, 0), to: portNumber(toPort, 65535) };
        case "all":
        case "other":
            return { from: 0, to: 65535 };
    }
}

/** The ports of `ports` that lie in `range`, ascending and without duplicates. */
export function portsInRange(range: PortRange | undefined, ports: Iterable<number>): number[] {
    if (range === undefined) {
        return [];
    }
    const hits = new Set<number>();
    for (const port of ports) {
        if (port >= range.from && port <= range.to) {
            hits.add(port);
        }
    }
    return [...hits].sort((a, b) => a - b);
}

/** Human text for a range: `5432`, `0-65535`. */
export function formatRange(range: PortRange): string {
    return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/** True for an integer that is a valid TCP/UDP port (1-65535). */
export function isPort(value: unknown): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}
