// Pure helpers of the policy pack, table-driven. These run in-process: they take plain values, so there is no
// wire encoding to exercise (the analyzer tests do that).
import * as assert from "node:assert/strict";
import { isWorldCidr, judgeCidr, parseCidr } from "../../policy-pack/lib/cidr";
import {
    checkConnectionString,
    checkPgSslMode,
    describeCheck,
    findTlsProblemsInText,
    judgeTlsSetting,
    parseKeywordDsn,
    urlQueryParameters,
} from "../../policy-pack/lib/connection-strings";
import { formatRange, normalizeProtocol, portRangeOf, portsInRange } from "../../policy-pack/lib/ports";
import { databasePorts, readPortList, readStringList } from "../../policy-pack/lib/resources";
import { tlsParameterFor } from "../../policy-pack/rules/tls-parameter-groups";
import { isDatabaseEndpoint } from "../../policy-pack/rules/tls-endpoint-dns";

describe("policy helpers: CIDR", () => {
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

describe("policy helpers: CIDR against private space", () => {
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

describe("policy helpers: protocols and port ranges", () => {
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
    it("merges configured ports into the built-in list", () => {
        assert.deepEqual(
            databasePorts([8443, 5432]),
            [1433, 1521, 3306, 5432, 5439, 6379, 8443, 9042, 27017],
        );
    });
    it("validates port and string lists from policy config", () => {
        assert.deepEqual(readPortList({}, "extraPorts", "p"), []);
        assert.deepEqual(readPortList({ extraPorts: [1, 65535] }, "extraPorts", "p"), [1, 65535]);
        assert.throws(() => readPortList({ extraPorts: [0] }, "extraPorts", "p"), {
            message:
                "Policy config p.extraPorts must be a list of integer ports from 1 to 65535; received [0].",
        });
        assert.throws(() => readPortList({ extraPorts: "5432" }, "extraPorts", "p"), {
            message:
                'Policy config p.extraPorts must be a list of integer ports from 1 to 65535; received "5432".',
        });
        assert.throws(() => readStringList({ names: [""] }, "names", "p"), {
            message: 'Policy config p.names must be a list of non-empty strings; received [""].',
        });
    });
});

describe("policy helpers: connection strings", () => {
    const cases: Array<[string, ReturnType<typeof checkConnectionString>]> = [
        [
            "postgres://u:p@h:5432/db?sslmode=verify-full",
            { kind: "postgres-url", modes: ["verify-full"], ok: true },
        ],
        ["POSTGRESQL://h/db?sslmode=verify-full", { kind: "postgres-url", modes: ["verify-full"], ok: true }],
        [
            "postgresql+psycopg://h/db?sslmode=require",
            { kind: "postgres-url", modes: ["require"], ok: false },
        ],
        [
            "postgres://h1:5432,h2:5432/db?target_session_attrs=read-write&sslmode=verify-full",
            { kind: "postgres-url", modes: ["verify-full"], ok: true },
        ],
        ["postgres://h/db?sslmode=verify%2Dfull", { kind: "postgres-url", modes: ["verify-full"], ok: true }],
        ["postgres://h/db?sslmode=VERIFY-FULL", { kind: "postgres-url", modes: ["VERIFY-FULL"], ok: false }],
        ["postgres://h/db?SSLMODE=verify-full", { kind: "postgres-url", modes: [], ok: false }],
        ["postgres://h/db#sslmode=verify-full", { kind: "postgres-url", modes: [], ok: false }],
        ["postgres://h/db?ssl=true", { kind: "postgres-url", modes: [], ok: false }],
        ["postgres://h/db?sslmode=", { kind: "postgres-url", modes: [""], ok: false }],
        [
            "jdbc:postgresql://h/db?sslmode=verify-ca",
            { kind: "postgres-url", modes: ["verify-ca"], ok: false },
        ],
        [
            "host=h dbname=db sslmode=verify-full",
            { kind: "postgres-keyword-dsn", modes: ["verify-full"], ok: true },
        ],
        [
            "host = h  sslmode = 'verify-full'",
            { kind: "postgres-keyword-dsn", modes: ["verify-full"], ok: true },
        ],
        ["service=prod", { kind: "postgres-keyword-dsn", modes: [], ok: false }],
        ["host=h password='it''s' sslmode=verify-full", undefined],
        [
            "mysql://u@h:3306/db?ssl-mode=VERIFY_IDENTITY",
            { kind: "mysql-url", modes: ["VERIFY_IDENTITY"], ok: true },
        ],
        [
            "mysqlx://h/db?ssl_mode=verify_identity",
            { kind: "mysql-url", modes: ["verify_identity"], ok: true },
        ],
        ["mysql+pymysql://h/db?ssl-mode=VERIFY_CA", { kind: "mysql-url", modes: ["VERIFY_CA"], ok: false }],
        ["mariadb://h/db", { kind: "mysql-url", modes: [], ok: false }],
        ["https://example.com/?sslmode=disable", undefined],
        ["a=b c=d", undefined],
        ["just text", undefined],
    ];
    for (const [text, expected] of cases) {
        it(`checks ${JSON.stringify(text)}`, () => {
            assert.deepEqual(checkConnectionString(text), expected);
        });
    }
    it("parses keyword DSNs with quotes and escapes, and rejects other text", () => {
        assert.deepEqual(parseKeywordDsn("host=h password='a b\\'c' port=5432"), [
            ["host", "h"],
            ["password", "a b'c"],
            ["port", "5432"],
        ]);
        assert.equal(parseKeywordDsn("host=h trailing"), undefined);
        assert.equal(parseKeywordDsn("host='unclosed"), undefined);
        assert.equal(parseKeywordDsn(""), undefined);
    });
    it("reads URL query parameters in order, decoded, without the fragment", () => {
        assert.deepEqual(urlQueryParameters("postgres://u:p@h/db?a=1&sslmode=verify%2Dfull&flag#x=y"), [
            ["a", "1"],
            ["sslmode", "verify-full"],
            ["flag", ""],
        ]);
        assert.deepEqual(urlQueryParameters("postgres://h/db"), []);
    });
    it("describes a failed check without repeating the string", () => {
        assert.equal(
            describeCheck({ kind: "postgres-url", modes: ["require"], ok: false }),
            "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
        );
        assert.equal(
            describeCheck({ kind: "mysql-url", modes: [], ok: false }),
            "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)",
        );
        assert.equal(
            describeCheck({ kind: "postgres-keyword-dsn", modes: [""], ok: false }),
            "a PostgreSQL keyword connection string with sslmode=(empty) (needs sslmode=verify-full)",
        );
    });
    it("checks PGSSLMODE exactly", () => {
        assert.equal(checkPgSslMode("verify-full"), undefined);
        assert.equal(checkPgSslMode("Verify-Full"), "PGSSLMODE=Verify-Full (needs PGSSLMODE=verify-full)");
        assert.equal(checkPgSslMode(""), "PGSSLMODE=(empty) (needs PGSSLMODE=verify-full)");
    });
    it("walks JSON text and names the path of each problem", () => {
        assert.deepEqual(
            findTlsProblemsInText(
                '{"a": {"b-c": ["postgres://h/db"]}, "PGSSLMODE": "disable", "ok": "postgres://h/db?sslmode=verify-full"}',
                "secretString",
            ),
            [
                {
                    path: 'secretString.a["b-c"][0]',
                    problem: "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
                },
                {
                    path: "secretString.PGSSLMODE",
                    problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)",
                },
            ],
        );
        assert.deepEqual(findTlsProblemsInText("{not json postgres://h/db", "value"), []);
        assert.deepEqual(findTlsProblemsInText("  mysql://h/db  ", "value"), [
            { path: "value", problem: "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)" },
        ]);
    });
});

describe("policy helpers: TLS settings by name", () => {
    const cases: Array<[string, unknown, string | undefined]> = [
        ["PGSSLMODE", "verify-full", undefined],
        ["PGSSLMODE", "Verify-Full", "PGSSLMODE=Verify-Full (needs PGSSLMODE=verify-full)"],
        ["sslmode", "verify-full", undefined],
        ["ssl-mode", "VERIFY_IDENTITY", undefined],
        ["SSL Mode", "VerifyFull", undefined],
        [
            "DB_SSLMODE",
            "disable",
            "DB_SSLMODE=disable (needs DB_SSLMODE=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslMode",
            "VERIFY_CA",
            "sslMode=VERIFY_CA (needs sslMode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        [
            "sslmode",
            "a secret value!",
            "sslmode=(value not shown) (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
        ],
        ["ssl", false, "ssl=false, which turns server verification off"],
        ["ssl", true, undefined],
        ["DB_SSL", "0", "DB_SSL=0, which turns server verification off"],
        ["SMTP_SSL", "false", undefined],
        ["useSSL", "false", "useSSL=false, which turns server verification off"],
        ["rejectUnauthorized", false, "rejectUnauthorized=false, which turns server verification off"],
        ["rejectUnauthorized", true, undefined],
        [
            "NODE_TLS_REJECT_UNAUTHORIZED",
            "0",
            "NODE_TLS_REJECT_UNAUTHORIZED=0, which turns server verification off",
        ],
        ["NODE_TLS_REJECT_UNAUTHORIZED", "1", undefined],
        [
            "sslaccept",
            "accept_invalid_certs",
            "sslaccept=accept_invalid_certs, which turns server verification off",
        ],
        ["sslaccept", "strict", undefined],
        [
            "verifyServerCertificate",
            "false",
            "verifyServerCertificate=false, which turns server verification off",
        ],
        [
            "trustServerCertificate",
            "true",
            "trustServerCertificate=true, which turns server verification off",
        ],
        ["Trust Server Certificate", "false", undefined],
        ["ssl-verify-server-cert", "off", "ssl-verify-server-cert=off, which turns server verification off"],
        [
            "sslfactory",
            "org.postgresql.ssl.NonValidatingFactory",
            "sslfactory=org.postgresql.ssl.NonValidatingFactory, which turns server verification off",
        ],
        ["sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory", undefined],
        ["tls", "skip-verify", "tls=skip-verify, which turns server verification off"],
        ["tls", "true", undefined],
        ["Encrypt", "false", "Encrypt=false, which turns server verification off"],
        ["sslrootcert", "/opt/AmazonRootCA1.pem", undefined],
        ["host", "db.example", undefined],
    ];
    for (const [key, value, expected] of cases) {
        it(`${key}=${JSON.stringify(value)} is ${expected === undefined ? "fine" : "weak"}`, () => {
            assert.equal(judgeTlsSetting(key, value), expected);
        });
    }
});

describe("policy helpers: parameter-group families and database endpoints", () => {
    const families: Array<[string, string | undefined]> = [
        ["aurora-postgresql16", "rds.force_ssl"],
        ["postgres15", "rds.force_ssl"],
        ["sqlserver-se-15.0", "rds.force_ssl"],
        ["aurora-mysql8.0", "require_secure_transport"],
        ["aurora5.6", "require_secure_transport"],
        ["mysql8.0", "require_secure_transport"],
        ["MariaDB10.11", "require_secure_transport"],
        ["oracle-ee-19", undefined],
    ];
    for (const [family, parameter] of families) {
        it(`family ${family} is forced to TLS by ${parameter ?? "no known parameter"}`, () => {
            assert.equal(tlsParameterFor(family)?.name, parameter);
        });
    }
    it("defines a database endpoint as an interface endpoint to a customer endpoint service", () => {
        const svc = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
        assert.equal(isDatabaseEndpoint({ vpcEndpointType: "Interface", serviceName: svc }, []), true);
        assert.equal(isDatabaseEndpoint({ vpcEndpointType: "interface", serviceName: svc }, [svc]), true);
        assert.equal(
            isDatabaseEndpoint({ vpcEndpointType: "Interface", serviceName: svc }, ["other"]),
            false,
        );
        assert.equal(isDatabaseEndpoint({ serviceName: svc }, []), false);
        assert.equal(
            isDatabaseEndpoint({ vpcEndpointType: "GatewayLoadBalancer", serviceName: svc }, []),
            false,
        );
        assert.equal(
            isDatabaseEndpoint(
                { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.rds" },
                [],
            ),
            false,
        );
    });
});
