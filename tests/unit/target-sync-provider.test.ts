import * as assert from "node:assert/strict";
import {
    diffInputs,
    hasDrift,
    pickInputs,
    UNKNOWN,
    validateInputs,
    type TargetRegistrationInputs,
} from "../../components/target-sync/provider";
import { parseDnsServer } from "../../components/target-sync/sources/dns";
import { proxyEniDescription } from "../../components/target-sync/sources/eni";

const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/writer/0123456789abcdef";
const good: TargetRegistrationInputs = {
    targetGroupArn: ARN,
    port: 5432,
    source: "eni",
    proxyName: "app-proxy",
    vpcId: "vpc-0123456789abcdef0",
    proxySubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    proxySecurityGroupIds: ["sg-0123456789abcdef0"],
    missesBeforeDeregister: 3,
    region: "eu-west-1",
};

describe("target-sync dynamic provider: check (validateInputs)", () => {
    it("accepts valid eni and dns inputs", () => {
        assert.deepEqual(validateInputs(good), []);
        assert.deepEqual(
            validateInputs({
                ...good,
                source: "dns",
                proxySecurityGroupIds: undefined,
                proxyEndpoint: "app-proxy.proxy-abc.eu-west-1.rds.amazonaws.com",
                dnsServer: "127.0.0.1:5353",
                assumeRoleArn: "arn:aws:iam::123456789012:role/deployer",
                stateTableName: "sync-state-1",
            }),
            [],
        );
    });

    it("skips values that are unknown during preview", () => {
        assert.deepEqual(
            validateInputs({ ...good, targetGroupArn: UNKNOWN, vpcId: UNKNOWN, port: UNKNOWN }),
            [],
        );
    });

    /** The provider's message for an input that breaks its rule. */
    const bad = (name: string, got: string, must: string, example: string) =>
        `TargetRegistration input '${name}' ${got}, but it must be ${must}. Pass such a value, for example ${example}.`;
    const ARN_RULE =
        "an ELBv2 target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)";
    const ARN_EXAMPLE =
        '"arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/db-rw/0123456789abcdef"';
    const table: [string, Record<string, unknown>, [string, string][]][] = [
        [
            "reports every missing required input at once",
            {},
            [
                ["targetGroupArn", bad("targetGroupArn", "is not set", ARN_RULE, ARN_EXAMPLE)],
                ["port", bad("port", "is not set", "a TCP port from 1 to 65535", "5432")],
                ["source", bad("source", "is not set", 'one of "eni", "dns"', '"dns"')],
                [
                    "proxyName",
                    bad(
                        "proxyName",
                        "is not set",
                        "an RDS Proxy name (1-63 letters, digits and single hyphens, starting with a letter)",
                        '"db-account-proxy"',
                    ),
                ],
                ["vpcId", bad("vpcId", "is not set", "a VPC ID", '"vpc-0123456789abcdef0"')],
                [
                    "proxySubnetIds",
                    bad(
                        "proxySubnetIds",
                        "is not set",
                        "one or more distinct subnet IDs (comma-separated where a single string is given)",
                        '"subnet-0123456789abcdef0,subnet-0123456789abcdef1"',
                    ),
                ],
                [
                    "missesBeforeDeregister",
                    bad("missesBeforeDeregister", "is not set", "a whole number from 1 to 100", "3"),
                ],
                ["region", bad("region", "is not set", "an AWS region code", '"eu-west-1"')],
            ],
        ],
        [
            "names the bad value and what is allowed",
            { ...good, port: 70000, source: "route53", missesBeforeDeregister: 0, region: "Ireland" },
            [
                ["port", bad("port", "is 70000", "a TCP port from 1 to 65535", "5432")],
                ["source", bad("source", 'is "route53"', 'one of "eni", "dns"', '"dns"')],
                [
                    "missesBeforeDeregister",
                    bad("missesBeforeDeregister", "is 0", "a whole number from 1 to 100", "3"),
                ],
                ["region", bad("region", 'is "Ireland"', "an AWS region code", '"eu-west-1"')],
            ],
        ],
        [
            "the stack's range for missesBeforeDeregister",
            { ...good, missesBeforeDeregister: 100000 },
            [
                [
                    "missesBeforeDeregister",
                    bad("missesBeforeDeregister", "is 100000", "a whole number from 1 to 100", "3"),
                ],
            ],
        ],
        [
            "every source needs the VPC and subnets; eni needs the security groups",
            { ...good, vpcId: undefined, proxySubnetIds: [], proxySecurityGroupIds: undefined },
            [
                [
                    "vpcId",
                    `TargetRegistration input 'vpcId' is not set, but it must be a VPC ID. Pass such a ` +
                        `value, for example "vpc-0123456789abcdef0".`,
                ],
                [
                    "proxySubnetIds",
                    `TargetRegistration input 'proxySubnetIds' is [], but it must be one or more distinct subnet IDs ` +
                        `(comma-separated where a single string is given). Pass such a value, for example ` +
                        `"subnet-0123456789abcdef0,subnet-0123456789abcdef1".`,
                ],
                [
                    "proxySecurityGroupIds",
                    `TargetRegistration input 'proxySecurityGroupIds' is not set, but it is required when source is ` +
                        `"eni" (an interface is the proxy's only if it carries them). Pass such a value, for example ` +
                        `"sg-0123456789abcdef0".`,
                ],
            ],
        ],
        [
            "dns without endpoint",
            { ...good, source: "dns" },
            [
                [
                    "proxyEndpoint",
                    `TargetRegistration input 'proxyEndpoint' is not set, but it is required when source is "dns". ` +
                        `Pass such a value, for example "db.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com".`,
                ],
            ],
        ],
        [
            "malformed identifiers",
            {
                ...good,
                targetGroupArn: "tg-1",
                proxyName: "bad--name",
                vpcId: "vpc-x",
                assumeRoleArn: "deployer",
                dnsServer: "999.1.1.1:53",
                proxySubnetCidrs: ["10.0.1.7/24"],
            },
            [
                ["targetGroupArn", bad("targetGroupArn", 'is "tg-1"', ARN_RULE, ARN_EXAMPLE)],
                [
                    "proxyName",
                    bad(
                        "proxyName",
                        'is "bad--name"',
                        "an RDS Proxy name (1-63 letters, digits and single hyphens, starting with a letter)",
                        '"db-account-proxy"',
                    ),
                ],
                ["vpcId", bad("vpcId", 'is "vpc-x"', "a VPC ID", '"vpc-0123456789abcdef0"')],
                [
                    "proxySubnetCidrs",
                    bad(
                        "proxySubnetCidrs",
                        'is ["10.0.1.7/24"]',
                        "one or more distinct IPv4 CIDR blocks (comma-separated where a single string is given)",
                        '"10.0.0.0/20,10.0.16.0/20"',
                    ),
                ],
                [
                    "dnsServer",
                    bad(
                        "dnsServer",
                        'is "999.1.1.1:53"',
                        "an IP address with an optional port: IPV4[:PORT] or [IPV6]:PORT",
                        '"10.0.0.2:53"',
                    ),
                ],
                [
                    "assumeRoleArn",
                    bad(
                        "assumeRoleArn",
                        'is "deployer"',
                        "an IAM role ARN (a known partition, a 12-digit account, a role name of 1-64 characters)",
                        '"arn:aws:iam::111111111111:role/rds-cross-account-deployer"',
                    ),
                ],
            ],
        ],
    ];
    for (const [name, inputs, expected] of table) {
        it(name, () => {
            assert.deepEqual(
                validateInputs(inputs).map((p) => [p.path, p.message]),
                expected,
            );
        });
    }
});

describe("target-sync dynamic provider: diff logic", () => {
    it("no input change: no changes, no replacement", () => {
        assert.deepEqual(diffInputs(good, { ...good }), { changed: [], replaces: [], unknown: false });
    });

    it("proxy name, source or threshold changes are updates", () => {
        const d = diffInputs(good, { ...good, proxyName: "other", missesBeforeDeregister: 5 });
        assert.deepEqual(d, {
            changed: ["proxyName", "missesBeforeDeregister"],
            replaces: [],
            unknown: false,
        });
    });

    it("another target group, port or region replaces", () => {
        const d = diffInputs(good, {
            ...good,
            targetGroupArn: `${ARN}0`,
            port: 3306,
            region: "eu-central-1",
        });
        assert.deepEqual(d.replaces, ["targetGroupArn", "port", "region"]);
    });

    it("an unknown new input is a change without a lookup", () => {
        const d = diffInputs(good, { ...good, proxyName: UNKNOWN });
        assert.deepEqual(d, { changed: ["proxyName"], replaces: [], unknown: true });
    });

    it("drift is any registration, deregistration or kept missing IP", () => {
        assert.equal(hasDrift({ registered: [], deregistered: [], kept: [] }), false);
        assert.equal(hasDrift({ registered: ["10.0.0.1"], deregistered: [], kept: [] }), true);
        assert.equal(
            hasDrift({ registered: [], deregistered: [{ ip: "10.0.0.1", reason: "missed" }], kept: [] }),
            true,
        );
        assert.equal(
            hasDrift({ registered: [], deregistered: [], kept: [{ ip: "10.0.0.1", misses: 1 }] }),
            true,
        );
    });

    it("pickInputs drops outputs and the serialized provider", () => {
        const props = { ...good, targets: ["10.0.0.1"], misses: {}, __provider: "code" };
        assert.deepEqual(pickInputs(props), good);
    });
});

describe("target-sync IP source helpers", () => {
    it("matches the exact RDS Proxy interface description", () => {
        assert.equal(proxyEniDescription("app"), "Network interface for DBProxy app");
    });

    it("parses DNS server addresses", () => {
        assert.deepEqual(parseDnsServer("10.0.0.2"), { host: "10.0.0.2", port: 53 });
        assert.deepEqual(parseDnsServer("127.0.0.1:5353"), { host: "127.0.0.1", port: 5353 });
        assert.deepEqual(parseDnsServer("[::1]:53"), { host: "::1", port: 53 });
        for (const bad of [
            "a b",
            "999.1.1.1:53",
            "dns.example.com:53",
            "10.0.0.2:0",
            "010.0.0.2",
            "10.0.0.2:99999",
        ]) {
            assert.throws(() => parseDnsServer(bad), {
                message: `dnsServer must be an IP address with an optional port, IPV4[:PORT] or [IPV6]:PORT (such as 10.0.0.2:53), got "${bad}".`,
            });
        }
    });
});
