// policy-pack/lib/ports.ts in-process, table-driven: protocol names and numbers as EC2 reads them, port bounds
// (missing, -1, text, non-numbers), inclusive range edges, and what counts as a port.
import * as assert from "node:assert/strict";
import {
    DEFAULT_DATABASE_PORTS,
    formatRange,
    isPort,
    portReadings,
    watchedPortOf,
    normalizeProtocol,
    portRangeOf,
    portsInRange,
    type PortRange,
    type RuleProtocol,
} from "../../policy-pack/lib/ports";

describe("policy lib ports: the built-in database ports", () => {
    it("are PostgreSQL, MySQL/MariaDB, SQL Server, Oracle, Redshift, MongoDB, Redis and Cassandra", () => {
        assert.deepEqual(DEFAULT_DATABASE_PORTS, [5432, 3306, 1433, 1521, 5439, 27017, 6379, 9042]);
    });
});

describe("policy lib ports: normalizeProtocol", () => {
    const cases: Array<[unknown, RuleProtocol]> = [
        [undefined, "all"],
        [null, "all"],
        ["", "all"],
        ["  ", "all"],
        ["-1", "all"],
        [" -1 ", "all"],
        [-1, "all"],
        ["all", "all"],
        ["All", "all"],
        ["tcp", "tcp"],
        [" TCP ", "tcp"],
        ["udp", "udp"],
        ["icmp", "icmp"],
        ["ICMPv6", "icmpv6"],
        ["6", "tcp"],
        [6, "tcp"],
        ["17", "udp"],
        [17, "udp"],
        ["1", "icmp"],
        ["58", "icmpv6"],
        ["006", "tcp"],
        ["0", "other"],
        ["50", "other"],
        [132, "other"],
        ["-2", "other"],
        [6.5, "other"],
        ["sctp", "other"],
        ["tcp6", "other"],
        ["icmp6", "other"],
    ];
    for (const [raw, expected] of cases) {
        it(`${JSON.stringify(raw)} is ${expected}`, () => {
            assert.equal(normalizeProtocol(raw), expected);
        });
    }
});

describe("policy lib ports: portRangeOf", () => {
    const cases: Array<[RuleProtocol, unknown, unknown, PortRange | undefined]> = [
        ["tcp", 5432, 5432, { from: 5432, to: 5432 }],
        ["udp", 0, 65535, { from: 0, to: 65535 }],
        ["tcp", undefined, undefined, { from: 0, to: 65535 }],
        ["tcp", null, null, { from: 0, to: 65535 }],
        ["tcp", "", "", { from: 0, to: 65535 }],
        ["tcp", -1, -1, { from: 0, to: 65535 }],
        ["tcp", "-1", "-1", { from: 0, to: 65535 }],
        ["tcp", "abc", "x", { from: 0, to: 65535 }],
        ["tcp", Infinity, -Infinity, { from: 0, to: 65535 }],
        ["tcp", "5000", "6000", { from: 5000, to: 6000 }],
        ["tcp", 22, undefined, { from: 22, to: 65535 }],
        ["udp", undefined, 1024, { from: 0, to: 1024 }],
        ["tcp", -2, 70000, { from: -2, to: 70000 }],
        ["icmp", 0, 65535, undefined],
        ["icmpv6", -1, -1, undefined],
        ["all", 22, 22, { from: 0, to: 65535 }],
        ["other", 5432, 5432, { from: 0, to: 65535 }],
    ];
    for (const [protocol, from, to, expected] of cases) {
        it(`${protocol} ${JSON.stringify(from)}..${JSON.stringify(to)} is ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(portRangeOf(protocol, from, to), expected);
        });
    }
});

describe("policy lib ports: portsInRange and formatRange", () => {
    const cases: Array<[PortRange | undefined, number[], number[]]> = [
        [undefined, [5432], []],
        [{ from: 5432, to: 5432 }, [5432], [5432]],
        [{ from: 5433, to: 5433 }, [5432, 5434], []],
        [{ from: 5431, to: 5431 }, [5432], []],
        [{ from: 3306, to: 5432 }, [5432, 3305, 3306, 5433, 1433], [3306, 5432]],
        [{ from: 0, to: 65535 }, [9042, 5432, 5432, 27017, 1433], [1433, 5432, 9042, 27017]],
        [{ from: 10, to: 1 }, [5], []],
    ];
    for (const [range, ports, expected] of cases) {
        it(`${JSON.stringify(range)} holds ${JSON.stringify(expected)} of ${JSON.stringify(ports)}`, () => {
            assert.deepEqual(portsInRange(range, ports), expected);
        });
    }
    it("takes any iterable of ports", () => {
        assert.deepEqual(portsInRange({ from: 1, to: 10 }, new Set([10, 2, 11])), [2, 10]);
    });
    it("formats a single port and a range", () => {
        assert.equal(formatRange({ from: 5432, to: 5432 }), "5432");
        assert.equal(formatRange({ from: 5432, to: 5433 }), "5432-5433");
        assert.equal(formatRange({ from: 0, to: 65535 }), "0-65535");
    });
});

describe("policy lib ports: isPort", () => {
    const cases: Array<[unknown, boolean]> = [
        [1, true],
        [5432, true],
        [65535, true],
        [0, false],
        [-1, false],
        [65536, false],
        [5432.5, false],
        ["5432", false],
        [NaN, false],
        [undefined, false],
    ];
    for (const [value, expected] of cases) {
        it(`${String(value)} is ${expected ? "" : "not "}a port`, () => {
            assert.equal(isPort(value), expected);
        });
    }
});

describe("policy lib ports: protocols and ranges, more cases", () => {
    const protocols: Array<[unknown, string]> = [
        ["-1", "all"],
        [-1, "all"],
        ["all", "all"],
        ["ALL", "all"],
        [undefined, "all"],
        ["tcp", "tcp"],
        ["TCP", "tcp"],
        ["6", "tcp"],
        [6, "tcp"],
        ["17", "udp"],
        ["Udp", "udp"],
        ["1", "icmp"],
        ["icmpv6", "icmpv6"],
        ["58", "icmpv6"],
        ["50", "other"],
        ["sctp", "other"],
    ];
    for (const [raw, expected] of protocols) {
        it(`reads protocol ${JSON.stringify(raw)} as ${expected}`, () => {
            assert.equal(normalizeProtocol(raw), expected);
        });
    }
    it("takes tcp/udp ranges inclusively, widening missing or -1 bounds", () => {
        assert.deepEqual(portRangeOf("tcp", 5432, 5432), { from: 5432, to: 5432 });
        assert.deepEqual(portRangeOf("udp", undefined, undefined), { from: 0, to: 65535 });
        assert.deepEqual(portRangeOf("tcp", -1, -1), { from: 0, to: 65535 });
        assert.deepEqual(portRangeOf("tcp", "5000", "6000"), { from: 5000, to: 6000 });
    });
    it("gives icmp no ports and every other protocol all ports", () => {
        assert.equal(portRangeOf("icmp", -1, -1), undefined);
        assert.equal(portRangeOf("icmpv6", 128, 0), undefined);
        assert.deepEqual(portRangeOf("all", 0, 0), { from: 0, to: 65535 });
        assert.deepEqual(portRangeOf("other", 22, 22), { from: 0, to: 65535 });
    });
    it("finds the watched ports in a range, boundaries included", () => {
        assert.deepEqual(portsInRange({ from: 3306, to: 5432 }, [5432, 3306, 1433, 5439]), [3306, 5432]);
        assert.deepEqual(portsInRange({ from: 5433, to: 5438 }, [5432, 5439]), []);
        assert.deepEqual(portsInRange(undefined, [5432]), []);
    });
    it("formats ranges", () => {
        assert.equal(formatRange({ from: 5432, to: 5432 }), "5432");
        assert.equal(formatRange({ from: 0, to: 65535 }), "0-65535");
    });
});

describe("policy lib ports: portReadings, as the provider reads a port", () => {
    const cases: Array<[unknown, number[]]> = [
        [5432, [5432]],
        [5432.9, [5432]],
        ["5432", [5432]],
        ["+5432", [5432]],
        ["5432.0", [5432]],
        ["5.432e3", [5432]],
        ["0x1538", [5432]],
        ["0X1538", [5432]],
        ["0o12470", [5432]],
        ["0b1010100111000", [5432]],
        ["5_432", [5432]],
        ["012470", [12470, 5432]],
        ["05432", [5432, 2842]],
        ["5432.5", []],
        [" 5432", []],
        ["5432 ", []],
        ["port 5432", []],
        ["", []],
        ["0", []],
        ["-5432", []],
        ["65536", []],
        ["0x", []],
        [0, []],
        [70000, []],
        [true, []],
        [null, []],
        [undefined, []],
        [[5432], []],
    ];
    for (const [value, expected] of cases) {
        it(`reads ${JSON.stringify(value)} as ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(portReadings(value), expected);
        });
    }
    it("gives the first watched port among the readings", () => {
        assert.equal(watchedPortOf("012470", [5432, 12470]), 12470);
        assert.equal(watchedPortOf("012470", [5432]), 5432);
        assert.equal(watchedPortOf("5432", [3306]), undefined);
        assert.equal(watchedPortOf(undefined, [5432]), undefined);
    });
});
