/**
 * Aurora DSQL names (vocabulary/dsql.ts): each rule's verdicts, table-driven, and the names built from the parts.
 * What this cannot prove: that AWS issues only names of these shapes. The patterns come from the DSQL API Reference
 * and User Guide (cited in the module); a real name they refused would fail loudly, with the rule's message.
 */
import * as assert from "node:assert/strict";
import {
    argumentSurface,
    checkValue,
    dsqlClusterArn,
    dsqlClusterArnRule,
    dsqlClusterHostname,
    dsqlClusterIdRule,
    dsqlConnectionServiceNameRule,
    dsqlManagementServiceName,
    dsqlPrivateHostnameRule,
    dsqlPrivateZoneName,
    dsqlPrivateZoneWildcard,
    dsqlRoleNameRule,
    dsqlServiceIdentifier,
    dsqlServiceIdentifierRule,
    parseDsqlClusterArn,
    parseDsqlConnectionServiceName,
    parseDsqlHostname,
    type Problem,
    type Rule,
} from "../../vocabulary";

const ID = "abcde1f234ghijklmnop5qr6st";

/** Each rule with the values it must accept and refuse. */
const TABLE: [string, Rule<string>, unknown[], unknown[]][] = [
    [
        "cluster identifier",
        dsqlClusterIdRule,
        [ID, "0".repeat(26)],
        [ID.slice(1), `${ID}a`, ID.toUpperCase(), `${ID.slice(1)}-`, 26, undefined, ""],
    ],
    [
        "cluster ARN",
        dsqlClusterArnRule,
        [
            `arn:aws:dsql:us-east-1:123456789012:cluster/${ID}`,
            `arn:aws-us-gov:dsql:us-gov-west-1:123456789012:cluster/${ID}`,
        ],
        [
            `arn:aws:dsql:us-east-1:123456789012:cluster/${ID.slice(1)}`,
            `arn:aws-evil:dsql:us-east-1:123456789012:cluster/${ID}`,
            `arn:aws:dsql:nowhere:123456789012:cluster/${ID}`,
            `arn:aws:dsql:us-east-1:12345678901:cluster/${ID}`,
            `arn:aws:rds:us-east-1:123456789012:cluster/${ID}`,
            `arn:aws:dsql:us-east-1:123456789012:cluster/*`,
            `arn:aws:dsql:us-east-1:123456789012:cluster/${ID}/x`,
        ],
    ],
    [
        "connection service name",
        dsqlConnectionServiceNameRule,
        ["com.amazonaws.us-east-1.dsql-fnh4", "com.amazonaws.eu-west-1.dsql-0a1b2c"],
        [
            "com.amazonaws.us-east-1.dsql",
            "com.amazonaws.us-east-1.dsql-",
            "com.amazonaws.us-east-1.dsql-FNH4",
            "com.amazonaws.us-east-1.dsql-fnh4.evil",
            "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
            "com.amazonaws.nowhere.dsql-fnh4",
            `com.amazonaws.us-east-1.dsql-${"a".repeat(21)}`,
            "cn.com.amazonaws.cn-north-1.dsql-fnh4",
        ],
    ],
    [
        "service identifier",
        dsqlServiceIdentifierRule,
        ["dsql-fnh4", "dsql-0a1b2c"],
        ["dsql", "dsql-", "dsql-Fnh4", "fnh4", "dsql-fnh4.us-east-1", "vpce-svc-0123456789abcdef0"],
    ],
    [
        "PrivateLink hostname",
        dsqlPrivateHostnameRule,
        [`${ID}.dsql-fnh4.us-east-1.on.aws`],
        [
            `${ID}.dsql.us-east-1.on.aws`,
            `x.${ID}.dsql-fnh4.us-east-1.on.aws`,
            `${ID}.dsql-fnh4.us-east-1.on.aws.evil`,
            `${ID}.dsql-fnh4.nowhere.on.aws`,
            "vpce-0123456789abcdef0-abcdefgh.dsql-fnh4.us-east-1.vpce.amazonaws.com",
            `*.dsql-fnh4.us-east-1.on.aws`,
        ],
    ],
    [
        "database role name",
        dsqlRoleNameRule,
        ["orders_app", "a", `a${"b".repeat(62)}`],
        [
            "admin",
            "sys",
            "information_schema",
            "postgres",
            "public",
            "pg_monitor",
            "rcx_bootstrap_x",
            "Orders",
            "1app",
            "a-b",
            'a"b',
            `a${"b".repeat(63)}`,
            "",
        ],
    ],
];

describe("DSQL names (vocabulary/dsql.ts)", () => {
    for (const [what, r, good, bad] of TABLE) {
        describe(what, () => {
            for (const v of good)
                it(`accepts ${JSON.stringify(v)}`, () => assert.equal(r.schema.safeParse(v).success, true));
            for (const v of bad)
                it(`refuses ${JSON.stringify(v)}`, () => assert.equal(r.schema.safeParse(v).success, false));
            it("its example is valid", () =>
                assert.equal(r.schema.safeParse(JSON.parse(r.example)).success, true));
        });
    }

    it("reports a bad value in the project's message format", () => {
        const problems: Problem[] = [];
        checkValue(
            argumentSurface("DsqlAccess"),
            problems,
            "serviceName",
            "com.amazonaws.us-east-1.dsql",
            dsqlConnectionServiceNameRule,
        );
        assert.deepEqual(problems, [
            {
                path: "serviceName",
                message:
                    'DsqlAccess argument \'serviceName\' is "com.amazonaws.us-east-1.dsql", but it must be an Aurora DSQL connection service name, com.amazonaws.<region>.dsql-<1-20 lowercase letters and digits>. Pass such a value, for example "com.amazonaws.us-east-1.dsql-fnh4".',
            },
        ]);
    });

    it("parses a cluster ARN into its parts and builds it back", () => {
        const arn = `arn:aws:dsql:eu-west-1:123456789012:cluster/${ID}`;
        assert.deepEqual(parseDsqlClusterArn(arn), {
            partition: "aws",
            region: "eu-west-1",
            accountId: "123456789012",
            clusterId: ID,
        });
        assert.equal(dsqlClusterArn("aws", "eu-west-1", "123456789012", ID), arn);
        assert.equal(parseDsqlClusterArn(42), undefined);
    });

    it("reads the service identifier and region out of a connection service name", () => {
        assert.deepEqual(parseDsqlConnectionServiceName("com.amazonaws.us-east-1.dsql-fnh4"), {
            region: "us-east-1",
            serviceIdentifier: "dsql-fnh4",
        });
        assert.equal(dsqlServiceIdentifier("com.amazonaws.us-east-1.dsql-fnh4"), "dsql-fnh4");
        assert.equal(dsqlServiceIdentifier(dsqlManagementServiceName("us-east-1")), undefined);
        assert.equal(dsqlManagementServiceName("us-east-1"), "com.amazonaws.us-east-1.dsql");
    });

    it("builds the cluster hostname, and parses it and the public one back", () => {
        const host = dsqlClusterHostname(ID, "dsql-fnh4", "us-east-1");
        assert.equal(host, `${ID}.dsql-fnh4.us-east-1.on.aws`);
        assert.deepEqual(parseDsqlHostname(host), {
            clusterId: ID,
            serviceIdentifier: "dsql-fnh4",
            region: "us-east-1",
            privateLink: true,
        });
        assert.deepEqual(parseDsqlHostname(`${ID}.dsql.us-east-1.on.aws`), {
            clusterId: ID,
            serviceIdentifier: "dsql",
            region: "us-east-1",
            privateLink: false,
        });
        assert.equal(
            parseDsqlHostname("vpce-0123456789abcdef0-abcdefgh.dsql-fnh4.us-east-1.vpce.amazonaws.com"),
            undefined,
        );
    });

    it("refuses to build a hostname from bad parts, naming each", () => {
        assert.throws(() => dsqlClusterHostname("short", "dsql", "nowhere"), {
            message:
                'A DSQL cluster hostname cannot be built from cluster identifier "short", service identifier "dsql", region "nowhere".',
        });
    });

    it("names the private zone and its one-label wildcard", () => {
        assert.equal(dsqlPrivateZoneName("dsql-fnh4", "us-east-1"), "dsql-fnh4.us-east-1.on.aws");
        assert.equal(dsqlPrivateZoneWildcard("dsql-fnh4", "us-east-1"), "*.dsql-fnh4.us-east-1.on.aws");
        assert.throws(
            () => dsqlPrivateZoneWildcard("dsql", "us-east-1"),
            /cannot be named from service identifier "dsql"/,
        );
    });
});
