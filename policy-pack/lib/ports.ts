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

// How the AWS provider reads a port given as a string. pulumi-aws passes a string input to the Terraform plugin
// SDK, which reads it in one of two ways: go-cty's string-to-number conversion (`cty.ParseNumberVal`, decimal:
// `big.ParseFloat(s, 10, …)`, used when the config is coerced to the schema's types, zclconf/go-cty
// cty/convert/conversion_primitive.go) and the SDK's field reader (`strconv.ParseInt(value, 0, 0)`, which also reads
// `0x`, `0o`, `0b` prefixes, a leading `0` as octal and `_` between digits; hashicorp/terraform-plugin-sdk
// helper/schema/field_reader.go `stringToPrimitive`). A number is truncated to an integer by older bridge versions
// (pulumi-terraform-bridge pkg/tfbridge/schema.go `MakeTerraformInput`: `int(v.NumberValue())`). Since the pack
// cannot know which reading applies, a value counts as every port any of them gives.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const GO_INTEGER = /^[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/;

function goInteger(text: string): number | undefined {
    if (!GO_INTEGER.test(text)) {
        return undefined;
    }
    const negative = text.startsWith("-");
    const body = text.replace(/^[+-]/, "").replace(/_/g, "").toLowerCase();
    let value: number;
    if (body.startsWith("0x") || body.startsWith("0o") || body.startsWith("0b")) {
        value = parseInt(body.slice(2), { x: 16, o: 8, b: 2 }[body[1] as "x" | "o" | "b"]);
    } else if (body.length > 1 && body.startsWith("0")) {
        value = parseInt(body.slice(1), 8);
    } else {
        value = parseInt(body, 10);
    }
    return negative ? -value : value;
}

/**
 * Every port (1-65535) the provider may read from a port value: a number's integer part; a string's decimal reading
 * (when it is a whole number) and its Go integer reading (see above). Nothing for other values.
 */
export function portReadings(value: unknown): number[] {
    const readings: number[] = [];
    if (typeof value === "number") {
        readings.push(Math.trunc(value));
    } else if (typeof value === "string") {
        if (DECIMAL.test(value)) {
            readings.push(Number(value));
        }
        const go = goInteger(value);
        if (go !== undefined) {
            readings.push(go);
        }
    }
    return [...new Set(readings.filter(isPort))];
}

/** The first port of `watched` that the provider may read from `value`, if any. */
export function watchedPortOf(value: unknown, watched: readonly number[]): number | undefined {
    return portReadings(value).find((port) => watched.includes(port));
}
