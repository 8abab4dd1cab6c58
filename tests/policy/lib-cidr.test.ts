// policy-pack/lib/cidr.ts in-process, table-driven: every edge of every private block (the last address before it,
// its first and last address, the first address after it, and a prefix one bit too short), every reason a value is
// unreadable, and the network address that the host-bits message shows (RFC 5952 spelling for IPv6).
import * as assert from "node:assert/strict";
import {
    isWorldCidr,
    judgeCidr,
    parseCidr,
    PRIVATE_BLOCKS,
    type CidrVerdict,
} from "../../policy-pack/lib/cidr";

const ALL_F = "ffff:ffff:ffff:ffff:ffff:ffff:ffff";

describe("policy lib cidr: parseCidr and isWorldCidr", () => {
    const cases: Array<[string, ReturnType<typeof parseCidr>]> = [
        ["0.0.0.0/0", { family: 4, prefixLength: 0 }],
        ["\t10.0.0.0/32\n", { family: 4, prefixLength: 32 }],
        ["10.0.0.0/33", undefined],
        ["10.0.0.0/999", undefined],
        ["10.0.0.0/1000", undefined],
        ["10.0.0.0/", undefined],
        ["10.0.0.0/a", undefined],
        ["10.0.0.0/ 8", undefined],
        ["::/128", { family: 6, prefixLength: 128 }],
        ["::/129", undefined],
        ["fd00::/007", { family: 6, prefixLength: 7 }],
        ["0.0.0.0/0e1", undefined],
        ["10.0.0.0/1e1", undefined],
        ["1.2.3.4/8/0", undefined],
        ["/8", undefined],
        ["10.0.0.0", undefined],
        ["db.example/0", undefined],
        ["", undefined],
    ];
    for (const [text, expected] of cases) {
        it(`parseCidr(${JSON.stringify(text)}) is ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(parseCidr(text), expected);
        });
    }
    const world: Array<[string, boolean]> = [
        ["0.0.0.0/0", true],
        ["192.168.1.1/0", true],
        ["::/0", true],
        ["fd00::/0", true],
        ["0.0.0.0/1", false],
        ["::/1", false],
        ["0.0.0.0", false],
        ["0.0.0.0/x", false],
    ];
    for (const [text, expected] of world) {
        it(`isWorldCidr(${JSON.stringify(text)}) is ${String(expected)}`, () => {
            assert.equal(isWorldCidr(text), expected);
        });
    }
});

describe("policy lib cidr: the private blocks", () => {
    it("are exactly RFC 1918, RFC 6598, IPv4 link-local, IPv6 unique local and IPv6 link-local", () => {
        assert.deepEqual(
            PRIVATE_BLOCKS.map((b) => [b.text, b.family, b.network, b.prefixLength]),
            [
                ["10.0.0.0/8", 4, 0x0a000000n, 8],
                ["172.16.0.0/12", 4, 0xac100000n, 12],
                ["192.168.0.0/16", 4, 0xc0a80000n, 16],
                ["100.64.0.0/10", 4, 0x64400000n, 10],
                ["169.254.0.0/16", 4, 0xa9fe0000n, 16],
                ["fc00::/7", 6, 0xfc00n << 112n, 7],
                ["fe80::/10", 6, 0xfe80n << 112n, 10],
            ],
        );
    });
});

const pub: CidrVerdict = { kind: "public", world: false };
const priv = (block: string): CidrVerdict => ({ kind: "private", block });
const unreadable = (reason: string): CidrVerdict => ({ kind: "unreadable", reason });

describe("policy lib cidr: judgeCidr at every private edge", () => {
    const cases: Array<[string, CidrVerdict]> = [
        // 10.0.0.0/8
        ["9.255.255.255/32", pub],
        ["10.0.0.0/32", priv("10.0.0.0/8")],
        ["10.255.255.255/32", priv("10.0.0.0/8")],
        ["11.0.0.0/32", pub],
        ["10.0.0.0/8", priv("10.0.0.0/8")],
        ["10.0.0.0/7", pub],
        // 172.16.0.0/12
        ["172.15.255.255/32", pub],
        ["172.16.0.0/32", priv("172.16.0.0/12")],
        ["172.31.255.255/32", priv("172.16.0.0/12")],
        ["172.32.0.0/32", pub],
        ["172.16.0.0/12", priv("172.16.0.0/12")],
        ["172.16.0.0/11", pub],
        // 192.168.0.0/16
        ["192.167.255.255/32", pub],
        ["192.168.0.0/32", priv("192.168.0.0/16")],
        ["192.168.255.255/32", priv("192.168.0.0/16")],
        ["192.169.0.0/32", pub],
        ["192.168.0.0/16", priv("192.168.0.0/16")],
        ["192.168.0.0/15", pub],
        // 100.64.0.0/10
        ["100.63.255.255/32", pub],
        ["100.64.0.0/32", priv("100.64.0.0/10")],
        ["100.127.255.255/32", priv("100.64.0.0/10")],
        ["100.128.0.0/32", pub],
        ["100.64.0.0/10", priv("100.64.0.0/10")],
        ["100.64.0.0/9", pub],
        // 169.254.0.0/16
        ["169.253.255.255/32", pub],
        ["169.254.0.0/32", priv("169.254.0.0/16")],
        ["169.254.255.255/32", priv("169.254.0.0/16")],
        ["169.255.0.0/32", pub],
        ["169.254.0.0/16", priv("169.254.0.0/16")],
        ["169.254.0.0/15", pub],
        // fc00::/7
        [`fbff:${ALL_F}/128`, pub],
        ["fc00::/128", priv("fc00::/7")],
        [`fdff:${ALL_F}/128`, priv("fc00::/7")],
        ["fe00::/128", pub],
        ["fc00::/7", priv("fc00::/7")],
        ["fd00::/8", priv("fc00::/7")],
        ["fc00::/6", pub],
        // fe80::/10
        [`fe7f:${ALL_F}/128`, pub],
        ["fe80::/128", priv("fe80::/10")],
        [`febf:${ALL_F}/128`, priv("fe80::/10")],
        ["fec0::/128", pub],
        ["fe80::/10", priv("fe80::/10")],
        ["fe80::/9", pub],
        // Outside private space by definition.
        ["127.0.0.0/8", pub],
        ["0.0.0.0/8", pub],
        ["255.255.255.255/32", pub],
        ["::/128", pub],
        ["::ffff:a00:0/104", pub],
        ["::a00:0/104", pub],
        ["2001:db8::/32", pub],
        ["ff02::/16", pub],
        // The world.
        ["0.0.0.0/0", { kind: "public", world: true }],
        ["10.0.0.0/0", { kind: "public", world: true }],
        ["::/0", { kind: "public", world: true }],
        ["fd00::/0", { kind: "public", world: true }],
        // Host bits set outside private space: judged by the network a lenient reader would open.
        ["8.8.8.8/8", pub],
        ["10.0.0.1/7", pub],
        ["fd00::1/6", pub],
    ];
    for (const [value, expected] of cases) {
        it(`judges ${value} as ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(judgeCidr(value), expected);
        });
    }
});

describe("policy lib cidr: judgeCidr reasons for unreadable values", () => {
    const cases: Array<[unknown, string]> = [
        [undefined, "not a string"],
        [null, "not a string"],
        [["10.0.0.0/8"], "not a string"],
        ["", "no /prefix length"],
        ["10.0.0.0", "no /prefix length"],
        ["10.0.0.0/", '"/" is not a prefix length without leading zeros'],
        ["10.0.0.0/08", '"/08" is not a prefix length without leading zeros'],
        ["10.0.0.0/00", '"/00" is not a prefix length without leading zeros'],
        ["10.0.0.0/1000", '"/1000" is not a prefix length without leading zeros'],
        ["10.0.0.0/+8", '"/+8" is not a prefix length without leading zeros'],
        ["/8", "an IPv4 address has four dot-separated octets"],
        ["10.01a.0.0/16", '"01a" is not a decimal octet'],
        ["10.1000a.0.0/16", '"1000a" is not a decimal octet'],
        ["10.0.0.0/8 ", '"/8 " is not a prefix length without leading zeros'],
        ["10.0.0.0/8/8", '"/8/8" is not a prefix length without leading zeros'],
        ["10.0.0.0/33", "prefix length 33 is above 32"],
        ["10.0.0.0/999", "prefix length 999 is above 32"],
        ["fd00::/129", "prefix length 129 is above 128"],
        ["10.0.0/8", "an IPv4 address has four dot-separated octets"],
        ["10.0.0.0.0/8", "an IPv4 address has four dot-separated octets"],
        ["10..0.0/8", '"" is not a decimal octet'],
        ["10.a.0.0/16", '"a" is not a decimal octet'],
        ["10.-1.0.0/16", '"-1" is not a decimal octet'],
        ["10.0.0.00/32", 'leading zero in the octet "00" (some parsers read it as octal)'],
        ["10.01.0.0/16", 'leading zero in the octet "01" (some parsers read it as octal)'],
        ["10.0.0.256/32", "octet 256 is above 255"],
        ["10.999.0.0/16", "octet 999 is above 255"],
        ["10.1000.0.0/16", "octet 1000 is above 255"],
        ["fd00::1::/64", "more than one :: in an IPv6 address"],
        ["fe80::%eth0/64", "an IPv6 zone index (%) has no place in a CIDR block"],
        ["::ffff:10.0.0.0/104", "an IPv6 address with an embedded dotted IPv4 address"],
        ["fd00:0:0:0:0:0:0/64", "an IPv6 address has eight groups (fewer only with ::)"],
        ["fd00:0:0:0:0:0:0:0:0/64", "an IPv6 address has eight groups (fewer only with ::)"],
        ["fd00::1:2:3:4:5:6:7/128", "an IPv6 address has eight groups (fewer only with ::)"],
        ["fd00:12345::/32", '"12345" is not an IPv6 group of 1-4 hex digits'],
        ["fd0g::/16", '"fd0g" is not an IPv6 group of 1-4 hex digits'],
        [":::/0", '"" is not an IPv6 group of 1-4 hex digits'],
        ["fd00:::1/64", '"" is not an IPv6 group of 1-4 hex digits'],
    ];
    for (const [value, reason] of cases) {
        it(`${JSON.stringify(value)}: ${reason}`, () => {
            assert.deepEqual(judgeCidr(value), unreadable(reason));
        });
    }
    it("reads IPv6 with seven groups around ::, upper case hex and full spelling", () => {
        assert.deepEqual(judgeCidr("fd00:1:2:3::4:5:6/128"), priv("fc00::/7"));
        assert.deepEqual(judgeCidr("FE80:0000:0000:0000:0000:0000:0000:0000/10"), priv("fe80::/10"));
        assert.deepEqual(judgeCidr("::fd00/128"), pub);
    });
});

describe("policy lib cidr: the network address a host-bits message shows", () => {
    const cases: Array<[string, string]> = [
        ["10.0.0.1/8", "10.0.0.0"],
        ["10.1.2.3/16", "10.1.0.0"],
        ["192.168.255.255/17", "192.168.128.0"],
        ["172.16.0.1/31", "172.16.0.0"],
        ["fd00::1/64", "fd00::"],
        ["fd01:2:3:4:5:6:7:8/112", "fd01:2:3:4:5:6:7:0"],
        ["fd00:0:1:0:0:0:1:1/127", "fd00:0:1::1:0"],
        ["fd00:0:0:1:0:0:1:1/127", "fd00::1:0:0:1:0"],
        ["fd00:0:1:2:3:4:5:7/127", "fd00:0:1:2:3:4:5:6"],
        ["fd00:1:2:3:4:5:0:1/120", "fd00:1:2:3:4:5::"],
        ["fdab:cdef:1234:5678:9abc:def0:1:ffff/96", "fdab:cdef:1234:5678:9abc:def0::"],
        ["fe80::ff/120", "fe80::"],
    ];
    for (const [value, network] of cases) {
        const prefix = value.slice(value.indexOf("/") + 1);
        it(`${value} has the network ${network}`, () => {
            assert.deepEqual(
                judgeCidr(value),
                unreadable(`host bits set (the network address of /${prefix} is ${network})`),
            );
        });
    }
});

describe("policy lib cidr: parseCidr and isWorldCidr, more spellings", () => {
    const cases: Array<[string, ReturnType<typeof parseCidr>, boolean]> = [
        ["0.0.0.0/0", { family: 4, prefixLength: 0 }, true],
        [" 0.0.0.0/0 ", { family: 4, prefixLength: 0 }, true],
        ["10.1.2.3/0", { family: 4, prefixLength: 0 }, true],
        ["0.0.0.0/00", { family: 4, prefixLength: 0 }, true],
        ["::/0", { family: 6, prefixLength: 0 }, true],
        ["0000::/0", { family: 6, prefixLength: 0 }, true],
        ["0:0:0:0:0:0:0:0/0", { family: 6, prefixLength: 0 }, true],
        ["0000:0000:0000:0000:0000:0000:0000:0000/0", { family: 6, prefixLength: 0 }, true],
        ["::ffff:0.0.0.0/0", { family: 6, prefixLength: 0 }, true],
        ["0.0.0.0/1", { family: 4, prefixLength: 1 }, false],
        ["10.0.0.0/8", { family: 4, prefixLength: 8 }, false],
        ["2001:db8::/32", { family: 6, prefixLength: 32 }, false],
        ["0.0.0.0", undefined, false],
        ["0.0.0.0/33", undefined, false],
        ["::/129", undefined, false],
        ["256.0.0.0/0", undefined, false],
        ["sg-0123/0", undefined, false],
        ["/0", undefined, false],
        ["0.0.0.0/-0", undefined, false],
    ];
    for (const [text, parsed, world] of cases) {
        it(`${JSON.stringify(text)} parses to ${JSON.stringify(parsed)} and is ${world ? "" : "not "}the world`, () => {
            assert.deepEqual(parseCidr(text), parsed);
            assert.equal(isWorldCidr(text), world);
        });
    }
});

describe("policy lib cidr: judgeCidr on single values", () => {
    const cases: Array<[unknown, ReturnType<typeof judgeCidr>]> = [
        ["10.0.0.0/8", { kind: "private", block: "10.0.0.0/8" }],
        ["10.255.255.255/32", { kind: "private", block: "10.0.0.0/8" }],
        ["172.16.0.0/12", { kind: "private", block: "172.16.0.0/12" }],
        ["172.31.0.0/16", { kind: "private", block: "172.16.0.0/12" }],
        ["192.168.10.0/24", { kind: "private", block: "192.168.0.0/16" }],
        ["100.64.0.0/10", { kind: "private", block: "100.64.0.0/10" }],
        ["169.254.169.254/32", { kind: "private", block: "169.254.0.0/16" }],
        ["fc00::/7", { kind: "private", block: "fc00::/7" }],
        ["FD00:ABCD::/32", { kind: "private", block: "fc00::/7" }],
        ["fe80::/10", { kind: "private", block: "fe80::/10" }],
        ["0.0.0.0/0", { kind: "public", world: true }],
        ["::/0", { kind: "public", world: true }],
        ["0000:0000:0000:0000:0000:0000:0000:0000/0", { kind: "public", world: true }],
        ["10.1.2.3/0", { kind: "public", world: true }],
        ["0.0.0.0/1", { kind: "public", world: false }],
        ["128.0.0.0/1", { kind: "public", world: false }],
        ["172.16.0.0/11", { kind: "public", world: false }],
        ["172.32.0.0/16", { kind: "public", world: false }],
        ["100.128.0.0/10", { kind: "public", world: false }],
        ["8.8.8.8/32", { kind: "public", world: false }],
        ["127.0.0.1/32", { kind: "public", world: false }],
        ["224.0.0.0/4", { kind: "public", world: false }],
        ["::1/128", { kind: "public", world: false }],
        ["8000::/1", { kind: "public", world: false }],
        ["fe00::/7", { kind: "public", world: false }],
        [
            "10.0.0.1/8",
            { kind: "unreadable", reason: "host bits set (the network address of /8 is 10.0.0.0)" },
        ],
        [
            "010.020.000.000/16",
            { kind: "unreadable", reason: 'leading zero in the octet "010" (some parsers read it as octal)' },
        ],
        ["10.0.0.0/08", { kind: "unreadable", reason: '"/08" is not a prefix length without leading zeros' }],
        ["10.0.0.0/33", { kind: "unreadable", reason: "prefix length 33 is above 32" }],
        ["256.0.0.0/8", { kind: "unreadable", reason: "octet 256 is above 255" }],
        ["10.0.0/8", { kind: "unreadable", reason: "an IPv4 address has four dot-separated octets" }],
        [" 10.0.0.0/8", { kind: "unreadable", reason: '" 10" is not a decimal octet' }],
        ["10.0.0.0", { kind: "unreadable", reason: "no /prefix length" }],
        ["fd00::1::/64", { kind: "unreadable", reason: "more than one :: in an IPv6 address" }],
        [
            "::ffff:10.0.0.0/104",
            { kind: "unreadable", reason: "an IPv6 address with an embedded dotted IPv4 address" },
        ],
        [
            "fe80::%eth0/64",
            { kind: "unreadable", reason: "an IPv6 zone index (%) has no place in a CIDR block" },
        ],
        [42, { kind: "unreadable", reason: "not a string" }],
    ];
    for (const [value, expected] of cases) {
        it(`judges ${JSON.stringify(value)} as ${expected.kind}`, () => {
            assert.deepEqual(judgeCidr(value), expected);
        });
    }
});
