// The network rules of the policy pack, called in-process as the SDK calls them (see tools/mutation/in-process-policy):
// public RDS, world-open database ports in all three security-group shapes, stack listener ports, internet-facing
// load balancers and endpoint services open to everyone. Exact messages, violations and non-violations, unknown
// values next to known ones. One verdict table per rule: the policy alone, then, after each, the cases that need the
// whole pack in-process (pack config, other policies staying silent) and the ways around it (support/constructs.ts);
// wire.test.ts and preview.test.ts prove the rules through
// the pack's real interface; these exist so mutation testing can measure the rules with per-test coverage.
import * as assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import { endpointServiceNoWildcardPrincipals } from "../../policy-pack/rules/endpoint-services";
import { noInternetFacingDatabaseListener } from "../../policy-pack/rules/load-balancers";
import { rdsNoPublicAccess } from "../../policy-pack/rules/public-rds";
import {
    findOpenIngress,
    SECURITY_GROUP_TYPES,
    showCidr,
    valuesOf,
    type OpenIngress,
} from "../../policy-pack/rules/ingress";
import {
    collectListenerPorts,
    noWorldOpenDatabasePorts,
    noWorldOpenListenerPorts,
} from "../../policy-pack/rules/security-groups";
import {
    UNKNOWN,
    urnOf,
    validateResource,
    validateStack,
    type Outcome,
    type TestResource,
} from "../../tools/mutation/in-process-policy";
import type { AnalyzedResource } from "../../tools/policy/analyzer";
import { balancer, describeConstructs, inline, ruleFrom, vpcRules } from "./support/constructs";
import { useInProcessPack, violation } from "./support/expect";
import {
    ALB,
    ALB_LISTENER,
    CLUSTER,
    DEFAULT_SG,
    INSTANCE,
    LB,
    LISTENER,
    PROXY,
    SG,
    SG_RULE,
    TARGET_GROUP,
    VPC_EGRESS,
    VPC_INGRESS,
} from "./support/tokens";

const ALL_DB_PORTS = "ports 1433, 1521, 3306, 5432, 5439, 6379, 9042, 27017";
const FIX_INLINE =
    "Fix: allow the clients' security group (securityGroups) or a private CIDR instead, and open only the ports they need.";
const FIX_RULE =
    "Fix: use sourceSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";
const FIX_VPC_RULE =
    "Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";
const WORLD = "to the whole internet";

/** The whole-pack message of a world-open inline rule of security group "db". */
function inlineMessage(index: number, traffic: string, cidrs: string, ports: string): string {
    return `${SG} "db" ingress[${index}] allows ${traffic} from ${cidrs}, which opens database ${ports} ${WORLD}. ${FIX_INLINE}`;
}
const PUBLIC = "to addresses outside private space";

function only(message: string): Outcome {
    return { violations: [{ message }] };
}

function atUrn(type: string, name: string, ...messages: string[]): Outcome {
    return { violations: messages.map((message) => ({ message, urn: urnOf(type, name) })) };
}

const NONE: Outcome = { violations: [] };

describe("policy rules in-process: rds-no-public-access", () => {
    const fix =
        "Fix: remove publiclyAccessible or set it to false; clients reach the database through RDS Proxy and PrivateLink.";
    const cases: Array<[string, unknown, boolean]> = [
        [INSTANCE, true, true],
        ["aws:rds/clusterInstance:ClusterInstance", true, true],
        [INSTANCE, false, false],
        [INSTANCE, "false", false],
        [INSTANCE, undefined, false],
        [CLUSTER, true, true],
        [PROXY, true, false],
    ];
    for (const [type, value, blocked] of cases) {
        it(`${blocked ? "blocks" : "passes"} ${type} with publiclyAccessible ${JSON.stringify(value)}`, async () => {
            const props = value === undefined ? {} : { publiclyAccessible: value };
            assert.deepEqual(
                await validateResource(rdsNoPublicAccess, { type, name: "db", props }),
                blocked
                    ? only(
                          `${type} "db" sets publiclyAccessible: true, which gives it a public IP address. ${fix}`,
                      )
                    : NONE,
            );
        });
    }
    it("reports an unknown publiclyAccessible as unknown, not as a pass", async () => {
        assert.deepEqual(
            await validateResource(rdsNoPublicAccess, {
                type: INSTANCE,
                name: "db",
                props: { publiclyAccessible: UNKNOWN.bool },
            }),
            { violations: [], unknown: "boolean value at .publiclyAccessible can't be known during preview" },
        );
    });
});

describe("policy pack in-process: rds-no-public-access, whole pack", () => {
    const pack = useInProcessPack();
    describe("rds-no-public-access", () => {
        it("passes a cluster instance with publiclyAccessible: false", async () => {
            const diags = await pack().analyze({
                type: "aws:rds/clusterInstance:ClusterInstance",
                name: "writer",
                props: { publiclyAccessible: false },
            });
            assert.deepEqual(diags, []);
        });
        it("ignores publiclyAccessible on other resource types", async () => {
            const diags = await pack().analyze({
                type: "aws:mq/broker:Broker",
                name: "queue",
                props: { publiclyAccessible: true },
            });
            assert.deepEqual(diags, []);
        });
    });
});

describe("policy rules in-process: no-world-open-database-ports", () => {
    const inline = (
        index: number,
        traffic: string,
        cidrs: string,
        reach: string,
        ports = "port 5432",
    ): string =>
        `${SG} "db" ingress[${index}] allows ${traffic} from ${cidrs}, which opens database ${ports} ${reach}. ${FIX_INLINE}`;
    const check = (
        props: Record<string, unknown>,
        config: Record<string, unknown> = {},
        type = SG,
    ): Promise<Outcome> => validateResource(noWorldOpenDatabasePorts, { type, name: "db", props }, config);
    const tcp = (from: unknown, to: unknown, cidrs: Record<string, unknown>): Record<string, unknown> => ({
        protocol: "tcp",
        fromPort: from,
        toPort: to,
        ...cidrs,
    });

    it("blocks an inline rule open to the world, and names its index", async () => {
        assert.deepEqual(
            await check({
                ingress: [
                    tcp(5432, 5432, { cidrBlocks: ["10.0.0.0/16"] }),
                    tcp(5432, 5432, { cidrBlocks: ["10.0.0.0/16", "0.0.0.0/0"] }),
                ],
            }),
            only(inline(1, "tcp 5432", "0.0.0.0/0", WORLD)),
        );
    });
    it("blocks a world-open IPv6 block next to private IPv4 blocks", async () => {
        assert.deepEqual(
            await check({
                ingress: [
                    tcp(3306, 3306, { cidrBlocks: ["10.0.0.0/8"], ipv6CidrBlocks: ["fd00::/8", "::/0"] }),
                ],
            }),
            only(inline(0, "tcp 3306", "::/0", WORLD, "port 3306")),
        );
    });
    it("says 'outside private space' for a public block that is not the world", async () => {
        assert.deepEqual(
            await check({ ingress: [tcp(5432, 5432, { cidrBlocks: ["8.8.8.0/24", "1.1.1.1/32"] })] }),
            only(inline(0, "tcp 5432", "8.8.8.0/24, 1.1.1.1/32", PUBLIC)),
        );
    });
    it("counts an unreadable value as open, with the reason", async () => {
        assert.deepEqual(
            await check({ ingress: [tcp(5432, 5432, { cidrBlocks: ["10.0.0.1/8", 42] })] }),
            only(
                `${SG} "db" ingress[0] allows tcp 5432 from "10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0)), "42" (unreadable: not a string), ` +
                    `which the pack cannot read as CIDR blocks inside private space, so they count as opening database port 5432 to addresses outside private space. ${FIX_INLINE}`,
            ),
        );
    });
    it("reports the widest reach: the world over public over unreadable", async () => {
        assert.deepEqual(
            await check({
                ingress: [
                    tcp(5432, 5432, { cidrBlocks: ["10.0.0.1/8", "8.8.8.8/32", "0.0.0.0/0", "9.9.9.9/32"] }),
                    tcp(5432, 5432, { cidrBlocks: ["10.0.0.1/8", "8.8.8.8/32"] }),
                    tcp(5432, 5432, { cidrBlocks: ["8.8.8.8/32", "10.0.0.1/8"] }),
                ],
            }),
            {
                violations: [
                    {
                        message: inline(
                            0,
                            "tcp 5432",
                            '"10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0)), 8.8.8.8/32, 0.0.0.0/0, 9.9.9.9/32',
                            WORLD,
                        ),
                    },
                    {
                        message: inline(
                            1,
                            "tcp 5432",
                            '"10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0)), 8.8.8.8/32',
                            PUBLIC,
                        ),
                    },
                    {
                        message: inline(
                            2,
                            "tcp 5432",
                            '8.8.8.8/32, "10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0))',
                            PUBLIC,
                        ),
                    },
                ],
            },
        );
    });
    it("reads a single CIDR string as a list of one", async () => {
        assert.deepEqual(
            await check({ ingress: [tcp(5432, 5432, { cidrBlocks: "0.0.0.0/0" })] }),
            only(inline(0, "tcp 5432", "0.0.0.0/0", WORLD)),
        );
    });
    const traffic: Array<[string, Record<string, unknown>, string | undefined]> = [
        ["all traffic (-1)", { protocol: "-1", fromPort: 0, toPort: 0 }, `all traffic|${ALL_DB_PORTS}`],
        ["all traffic (missing protocol)", { fromPort: 5432, toPort: 5432 }, `all traffic|${ALL_DB_PORTS}`],
        [
            "another protocol",
            { protocol: "50", fromPort: 0, toPort: 0 },
            `protocol 50 (all ports)|${ALL_DB_PORTS}`,
        ],
        ["another protocol by name", { protocol: "sctp" }, `protocol sctp (all ports)|${ALL_DB_PORTS}`],
        ["every TCP port", { protocol: "tcp", fromPort: 0, toPort: 65535 }, `tcp 0-65535|${ALL_DB_PORTS}`],
        [
            "a TCP range with two database ports",
            { protocol: "6", fromPort: 3306, toPort: 5432 },
            "tcp 3306-5432|ports 3306, 5432",
        ],
        [
            "a UDP range ending on a database port",
            { protocol: "udp", fromPort: 5000, toPort: 5432 },
            "udp 5000-5432|port 5432",
        ],
        [
            "a TCP range starting on a database port",
            { protocol: "tcp", fromPort: 27017, toPort: 30000 },
            "tcp 27017-30000|port 27017",
        ],
        ["a TCP port next to a database port", { protocol: "tcp", fromPort: 5433, toPort: 5438 }, undefined],
        ["SSH", { protocol: "tcp", fromPort: 22, toPort: 22 }, undefined],
        ["ICMP", { protocol: "icmp", fromPort: -1, toPort: -1 }, undefined],
        ["ICMPv6", { protocol: "58", fromPort: -1, toPort: -1 }, undefined],
    ];
    for (const [what, rule, expected] of traffic) {
        it(`${expected === undefined ? "passes" : "blocks"} ${what} from the world`, async () => {
            const outcome = await check({ ingress: [{ ...rule, cidrBlocks: ["0.0.0.0/0"] }] });
            if (expected === undefined) {
                assert.deepEqual(outcome, NONE);
            } else {
                const [text, ports] = expected.split("|");
                assert.deepEqual(outcome, only(inline(0, text, "0.0.0.0/0", WORLD, ports)));
            }
        });
    }
    it("passes private, link-local and shared address space", async () => {
        assert.deepEqual(
            await check({
                ingress: [
                    tcp(0, 65535, {
                        cidrBlocks: [
                            "10.0.0.0/8",
                            "172.16.0.0/12",
                            "192.168.0.0/16",
                            "100.64.0.0/10",
                            "169.254.0.0/16",
                        ],
                    }),
                    tcp(0, 65535, { ipv6CidrBlocks: ["fc00::/7", "fe80::/10"] }),
                    tcp(5432, 5432, {}),
                    tcp(5432, 5432, { cidrBlocks: [], securityGroups: ["sg-1"] }),
                ],
            }),
            NONE,
        );
    });
    it("ignores egress, and rules of a type that holds none", async () => {
        assert.deepEqual(await check({ egress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })] }), NONE);
        assert.deepEqual(
            await check(
                { ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })] },
                {},
                "aws:ec2/instance:Instance",
            ),
            NONE,
        );
        assert.deepEqual(await check({ ingress: "0.0.0.0/0" }), NONE);
    });
    it("checks the VPC's default security group like any other", async () => {
        assert.deepEqual(
            await check({ ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })] }, {}, DEFAULT_SG),
            only(
                `${DEFAULT_SG} "db" ingress[0] allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 ${WORLD}. ${FIX_INLINE}`,
            ),
        );
    });
    it("watches the configured extra ports, and refuses a bad extraPorts", async () => {
        assert.deepEqual(
            await check(
                { ingress: [tcp(8443, 8443, { cidrBlocks: ["0.0.0.0/0"] })] },
                { extraPorts: [8443] },
            ),
            only(inline(0, "tcp 8443", "0.0.0.0/0", WORLD, "port 8443")),
        );
        assert.deepEqual(await check({ ingress: [tcp(8443, 8443, { cidrBlocks: ["0.0.0.0/0"] })] }), NONE);
        await assert.rejects(check({ ingress: [] }, { extraPorts: [0] }), {
            message:
                "Policy config no-world-open-database-ports.extraPorts must be a list of integer ports from 1 to 65535; received [0].",
        });
    });
    it("blocks a SecurityGroupRule of type ingress, in any case, and ignores egress rules", async () => {
        const rule = {
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: ["0.0.0.0/0"],
            ipv6CidrBlocks: ["::/0"],
        };
        const message = `${SG_RULE} "db" allows tcp 5432 from 0.0.0.0/0, ::/0, which opens database port 5432 ${WORLD}. ${FIX_RULE}`;
        assert.deepEqual(await check({ ...rule, type: "ingress" }, {}, SG_RULE), only(message));
        assert.deepEqual(await check({ ...rule, type: "INGRESS" }, {}, SG_RULE), only(message));
        assert.deepEqual(await check({ ...rule, type: "egress" }, {}, SG_RULE), NONE);
        assert.deepEqual(await check(rule, {}, SG_RULE), NONE);
    });
    it("blocks a SecurityGroupIngressRule by ipProtocol, cidrIpv4 and cidrIpv6", async () => {
        assert.deepEqual(
            await check(
                { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
                {},
                VPC_INGRESS,
            ),
            only(
                `${VPC_INGRESS} "db" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 ${WORLD}. ${FIX_VPC_RULE}`,
            ),
        );
        assert.deepEqual(
            await check({ ipProtocol: "-1", cidrIpv6: "2001:db8::/32" }, {}, VPC_INGRESS),
            only(
                `${VPC_INGRESS} "db" allows all traffic from 2001:db8::/32, which opens database ${ALL_DB_PORTS} ${PUBLIC}. ${FIX_VPC_RULE}`,
            ),
        );
        assert.deepEqual(
            await check(
                {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrIpv4: "10.0.0.0/8",
                    cidrBlocks: ["0.0.0.0/0"],
                },
                {},
                VPC_INGRESS,
            ),
            NONE,
        );
        assert.deepEqual(
            await check(
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" },
                {},
                VPC_INGRESS,
            ),
            {
                violations: [
                    {
                        message: `${VPC_INGRESS} "db" allows all traffic from 0.0.0.0/0, which opens database ${ALL_DB_PORTS} ${WORLD}. ${FIX_VPC_RULE}`,
                    },
                ],
            },
        );
    });
    it("reports the known open rules next to unknown ones, then the unknown value", async () => {
        assert.deepEqual(
            await check({
                ingress: [
                    tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/0"] }),
                    UNKNOWN.object,
                    tcp(6379, 6379, { cidrBlocks: [UNKNOWN.string] }),
                    tcp(3306, 3306, { cidrBlocks: UNKNOWN.array, ipv6CidrBlocks: ["::/0"] }),
                ],
            }),
            {
                violations: [
                    { message: inline(0, "tcp 5432", "0.0.0.0/0", WORLD) },
                    { message: inline(3, "tcp 3306", "::/0", WORLD, "port 3306") },
                ],
                unknown: "Object value at .ingress.1 can't be known during preview",
            },
        );
        assert.deepEqual(await check({ ingress: UNKNOWN.array }), {
            violations: [],
            unknown: "Array value at .ingress can't be known during preview",
        });
    });
});

describe("policy pack in-process: no-world-open-database-ports, whole pack", () => {
    const pack = useInProcessPack();
    describe("no-world-open-database-ports: inline security group ingress", () => {
        const cases: Array<{ title: string; rule: Record<string, unknown>; expected: string | undefined }> = [
            {
                title: "tcp 5432 from 0.0.0.0/0",
                rule: { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "tcp 5432", "0.0.0.0/0", "port 5432"),
            },
            {
                title: "tcp 3306 from ::/0",
                rule: { protocol: "tcp", fromPort: 3306, toPort: 3306, ipv6CidrBlocks: ["::/0"] },
                expected: inlineMessage(0, "tcp 3306", "::/0", "port 3306"),
            },
            {
                title: "IPv6 world spelled 0000::/0",
                rule: { protocol: "tcp", fromPort: 1433, toPort: 1433, ipv6CidrBlocks: ["0000::/0"] },
                expected: inlineMessage(0, "tcp 1433", "0000::/0", "port 1433"),
            },
            {
                title: "IPv6 world fully expanded",
                rule: {
                    protocol: "tcp",
                    fromPort: 27017,
                    toPort: 27017,
                    ipv6CidrBlocks: ["0000:0000:0000:0000:0000:0000:0000:0000/0"],
                },
                expected: inlineMessage(
                    0,
                    "tcp 27017",
                    "0000:0000:0000:0000:0000:0000:0000:0000/0",
                    "port 27017",
                ),
            },
            {
                title: "protocol ALL in upper case",
                rule: { protocol: "ALL", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "all traffic", "0.0.0.0/0", ALL_DB_PORTS),
            },
            {
                title: "protocol number 6 with a range",
                rule: { protocol: "6", fromPort: 5000, toPort: 6000, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "tcp 5000-6000", "0.0.0.0/0", "ports 5432, 5439"),
            },
            {
                title: "protocol TCP in upper case",
                rule: { protocol: "TCP", fromPort: 9042, toPort: 9042, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "tcp 9042", "0.0.0.0/0", "port 9042"),
            },
            {
                title: "protocol number 17 (udp)",
                rule: { protocol: "17", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "udp 6379", "0.0.0.0/0", "port 6379"),
            },
            {
                title: "an inclusive range that ends on a database port",
                rule: { protocol: "tcp", fromPort: 1000, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "tcp 1000-5432", "0.0.0.0/0", "ports 1433, 1521, 3306, 5432"),
            },
            {
                title: "a private CIDR",
                rule: { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] },
                expected: undefined,
            },
            {
                title: "half of the IPv4 space (not the world, but outside private space)",
                rule: { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/1"] },
                expected: `${SG} "db" ingress[0] allows tcp 5432 from 0.0.0.0/1, which opens database port 5432 to addresses outside private space. ${FIX_INLINE}`,
            },
        ];
        for (const c of cases) {
            it(`${c.expected === undefined ? "passes" : "blocks"} ${c.title}`, async () => {
                const diags = await pack().analyze({ type: SG, name: "db", props: { ingress: [c.rule] } });
                assert.deepEqual(
                    diags,
                    c.expected === undefined ? [] : [violation("no-world-open-database-ports", c.expected)],
                );
            });
        }

        it("evaluates every rule: self and prefix-list rules before a world-open one do not end the check", async () => {
            const diags = await pack().analyze({
                type: SG,
                name: "db",
                props: {
                    ingress: [
                        { protocol: "tcp", fromPort: 5432, toPort: 5432, self: true },
                        { protocol: "tcp", fromPort: 5432, toPort: 5432, prefixListIds: ["pl-123"] },
                        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                    ],
                },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    inlineMessage(2, "tcp 5432", "0.0.0.0/0", "port 5432"),
                ),
            ]);
        });
        it("reports each offending rule, and a self rule that also allows the world", async () => {
            const diags = await pack().analyze({
                type: SG,
                name: "db",
                props: {
                    ingress: [
                        {
                            protocol: "tcp",
                            fromPort: 5432,
                            toPort: 5432,
                            self: true,
                            cidrBlocks: ["0.0.0.0/0"],
                        },
                        { protocol: "tcp", fromPort: 3306, toPort: 3306, ipv6CidrBlocks: ["::/0"] },
                    ],
                },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    inlineMessage(0, "tcp 5432", "0.0.0.0/0", "port 5432"),
                ),
                violation("no-world-open-database-ports", inlineMessage(1, "tcp 3306", "::/0", "port 3306")),
            ]);
        });
    });
    describe("no-world-open-database-ports: private space, however the ranges are split or spelled", () => {
        const outside = (cidrs: string, ports = "port 5432") =>
            `${VPC_INGRESS} "in" allows tcp 5432 from ${cidrs}, which opens database ${ports} to addresses outside private space. ${FIX_VPC_RULE}`;
        const unreadable = (cidrs: string) =>
            `${VPC_INGRESS} "in" allows tcp 5432 from ${cidrs}, which the pack cannot read as CIDR blocks inside private space, so they count as opening database port 5432 to addresses outside private space. ${FIX_VPC_RULE}`;
        const classes: Array<{
            name: string;
            cases: Array<{ cidr: string; expected: string | undefined }>;
        }> = [
            {
                name: "split world-open IPv4",
                cases: [
                    { cidr: "0.0.0.0/1", expected: outside("0.0.0.0/1") },
                    { cidr: "128.0.0.0/1", expected: outside("128.0.0.0/1") },
                    { cidr: "64.0.0.0/2", expected: outside("64.0.0.0/2") },
                    { cidr: "172.16.0.0/11", expected: outside("172.16.0.0/11") },
                ],
            },
            {
                name: "split world-open IPv6",
                cases: [
                    { cidr: "::/1", expected: outside("::/1") },
                    { cidr: "8000::/1", expected: outside("8000::/1") },
                    { cidr: "2000::/3", expected: outside("2000::/3") },
                    { cidr: "fc00::/6", expected: outside("fc00::/6") },
                ],
            },
            {
                name: "public /32 and /128",
                cases: [
                    { cidr: "8.8.8.8/32", expected: outside("8.8.8.8/32") },
                    { cidr: "2001:db8::1/128", expected: outside("2001:db8::1/128") },
                ],
            },
            {
                name: "loopback, multicast and reserved ranges (not private space)",
                cases: [
                    { cidr: "127.0.0.0/8", expected: outside("127.0.0.0/8") },
                    { cidr: "224.0.0.0/4", expected: outside("224.0.0.0/4") },
                    { cidr: "240.0.0.0/4", expected: outside("240.0.0.0/4") },
                    { cidr: "::1/128", expected: outside("::1/128") },
                    { cidr: "ff00::/8", expected: outside("ff00::/8") },
                ],
            },
            {
                name: "unreadable CIDR",
                cases: [
                    {
                        cidr: "010.020.000.000/16",
                        expected: unreadable(
                            `"010.020.000.000/16" (unreadable: leading zero in the octet "010" (some parsers read it as octal))`,
                        ),
                    },
                    {
                        cidr: "10.0.0.1/8",
                        expected: unreadable(
                            `"10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0))`,
                        ),
                    },
                    {
                        cidr: "fd00::1/8",
                        expected: unreadable(
                            `"fd00::1/8" (unreadable: host bits set (the network address of /8 is fd00::))`,
                        ),
                    },
                    {
                        cidr: "10.0.0.0/08",
                        expected: unreadable(
                            `"10.0.0.0/08" (unreadable: "/08" is not a prefix length without leading zeros)`,
                        ),
                    },
                    {
                        cidr: "10.0.0.0",
                        expected: unreadable(`"10.0.0.0" (unreadable: no /prefix length)`),
                    },
                ],
            },
            {
                name: "private space",
                cases: [
                    { cidr: "10.0.0.0/8", expected: undefined },
                    { cidr: "172.16.0.0/12", expected: undefined },
                    { cidr: "172.31.255.0/24", expected: undefined },
                    { cidr: "192.168.0.0/16", expected: undefined },
                    { cidr: "100.64.0.0/10", expected: undefined },
                    { cidr: "169.254.0.0/16", expected: undefined },
                    { cidr: "10.1.2.3/32", expected: undefined },
                    { cidr: "fc00::/7", expected: undefined },
                    { cidr: "fd12:3456:789a::/48", expected: undefined },
                    { cidr: "fe80::/10", expected: undefined },
                ],
            },
        ];
        for (const cls of classes) {
            describe(cls.name, () => {
                for (const c of cls.cases) {
                    it(`${c.expected === undefined ? "passes" : "blocks"} ${c.cidr}`, async () => {
                        const family = c.cidr.includes(":") ? { cidrIpv6: c.cidr } : { cidrIpv4: c.cidr };
                        const diags = await pack().analyze({
                            type: VPC_INGRESS,
                            name: "in",
                            props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, ...family },
                        });
                        assert.deepEqual(
                            diags,
                            c.expected === undefined
                                ? []
                                : [violation("no-world-open-database-ports", c.expected)],
                        );
                    });
                }
            });
        }
        it("reports only the blocks outside private space, and the whole internet when one is a /0", async () => {
            const diags = await pack().analyze({
                type: SG,
                name: "db",
                props: {
                    ingress: [
                        {
                            protocol: "tcp",
                            fromPort: 5432,
                            toPort: 5432,
                            cidrBlocks: ["10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1"],
                        },
                        {
                            protocol: "tcp",
                            fromPort: 3306,
                            toPort: 3306,
                            cidrBlocks: ["192.168.0.0/16", "0.0.0.0/0"],
                            ipv6CidrBlocks: ["fd00::/8", "2000::/3"],
                        },
                    ],
                },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    `${SG} "db" ingress[0] allows tcp 5432 from 0.0.0.0/1, 128.0.0.0/1, which opens database port 5432 to addresses outside private space. ${FIX_INLINE}`,
                ),
                violation(
                    "no-world-open-database-ports",
                    inlineMessage(1, "tcp 3306", "0.0.0.0/0, 2000::/3", "port 3306"),
                ),
            ]);
        });
    });
    describe("no-world-open-database-ports: separate rule resources", () => {
        it("blocks an aws.vpc.SecurityGroupIngressRule with ipProtocol -1 from ::/0 (no ports given)", async () => {
            const diags = await pack().analyze({
                type: VPC_INGRESS,
                name: "any",
                props: { ipProtocol: "-1", cidrIpv6: "::/0" },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    `${VPC_INGRESS} "any" allows all traffic from ::/0, which opens database ${ALL_DB_PORTS} to the whole internet. ${FIX_VPC_RULE}`,
                ),
            ]);
        });
        it("ignores an aws.vpc.SecurityGroupEgressRule to the world", async () => {
            const diags = await pack().analyze({
                type: VPC_EGRESS,
                name: "out",
                props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
            });
            assert.deepEqual(diags, []);
        });
    });
    describe("no-world-open-database-ports: pack config", () => {
        const rule: AnalyzedResource = {
            type: VPC_INGRESS,
            name: "admin",
            props: { ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "0.0.0.0/0" },
        };
        it("passes a port outside the built-in list", async () => {
            assert.deepEqual(await pack().analyze(rule), []);
        });
        it("blocks a port added through extraPorts", async () => {
            await pack().configure({ "no-world-open-database-ports": { extraPorts: [8443] } });
            assert.deepEqual(await pack().analyze(rule), [
                violation(
                    "no-world-open-database-ports",
                    `${VPC_INGRESS} "admin" allows tcp 8443 from 0.0.0.0/0, which opens database port 8443 to the whole internet. ${FIX_VPC_RULE}`,
                ),
            ]);
        });
        // Enforcement levels and the SDK's config errors belong to the pack's process: wire.test.ts.
    });
});

describeConstructs(
    "policy pack in-process: no-world-open-database-ports, ways around it",
    [
        {
            group: "split world-open IPv4",
            constructs: [
                {
                    title: "0.0.0.0/1 + 128.0.0.0/1 inline",
                    resources: inline(["0.0.0.0/1", "128.0.0.0/1"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "four /2 blocks",
                    resources: inline(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "two separate /1 rule resources",
                    resources: vpcRules(["0.0.0.0/1", "128.0.0.0/1"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "0.0.0.0/1 in a SecurityGroupRule",
                    resources: ruleFrom({ cidrBlocks: ["0.0.0.0/1"] }),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "the default security group with 128.0.0.0/1",
                    resources: [
                        {
                            type: DEFAULT_SG,
                            name: "default",
                            props: {
                                ingress: [
                                    { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["128.0.0.0/1"] },
                                ],
                            },
                        },
                    ],
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "172.16.0.0/11 (one bit wider than RFC 1918)",
                    resources: inline(["172.16.0.0/11"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "100.64.0.0/9 (wider than RFC 6598)",
                    resources: inline(["100.64.0.0/9"]),
                    caughtBy: "no-world-open-database-ports",
                },
            ],
        },
        {
            group: "split world-open IPv6",
            constructs: [
                {
                    title: "::/1 + 8000::/1",
                    resources: inline([], ["::/1", "8000::/1"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "2000::/3 (global unicast)",
                    resources: inline([], ["2000::/3"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "two separate IPv6 rules",
                    resources: vpcRules(["::/1", "8000::/1"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "fc00::/6 (wider than ULA)",
                    resources: inline([], ["fc00::/6"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "IPv6 in a SecurityGroupRule",
                    resources: ruleFrom({ ipv6CidrBlocks: ["2001:db8::/32"] }),
                    caughtBy: "no-world-open-database-ports",
                },
            ],
        },
        {
            group: "public /32",
            constructs: [
                {
                    title: "8.8.8.8/32",
                    resources: inline(["8.8.8.8/32"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "a public /32 next to a private block",
                    resources: inline(["10.0.0.0/8", "203.0.113.7/32"]),
                    caughtBy: "no-world-open-database-ports",
                },
            ],
        },
        {
            group: "not private space: loopback, multicast, reserved",
            constructs: [
                {
                    title: "127.0.0.0/8",
                    resources: inline(["127.0.0.0/8"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "224.0.0.0/4",
                    resources: inline(["224.0.0.0/4"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "240.0.0.0/4",
                    resources: inline(["240.0.0.0/4"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "::1/128",
                    resources: inline([], ["::1/128"]),
                    caughtBy: "no-world-open-database-ports",
                },
            ],
        },
        {
            group: "unreadable CIDR",
            constructs: [
                {
                    title: "010.020.000.000/16 (leading zeros)",
                    resources: inline(["010.020.000.000/16"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "10.0.0.1/8 (host bits set)",
                    resources: inline(["10.0.0.1/8"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "0.0.0.0/00",
                    resources: vpcRules(["0.0.0.0/00"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "a bare address",
                    resources: inline(["10.0.0.1"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "::ffff:0.0.0.0/96 (embedded IPv4)",
                    resources: inline([], ["::ffff:0.0.0.0/96"]),
                    caughtBy: "no-world-open-database-ports",
                },
                {
                    title: "fe80::1%eth0/64 (zone index)",
                    resources: inline([], ["fe80::1%eth0/64"]),
                    caughtBy: "no-world-open-database-ports",
                },
            ],
        },
    ],
    [
        {
            group: "private ranges",
            constructs: [
                { title: "10.0.0.0/8", resources: inline(["10.0.0.0/8"]) },
                {
                    title: "172.16.0.0/12 and 192.168.0.0/16",
                    resources: inline(["172.16.0.0/12", "192.168.0.0/16"]),
                },
                { title: "a /32 inside RFC 1918", resources: vpcRules(["10.20.30.40/32"]) },
                { title: "100.64.0.0/10 (RFC 6598)", resources: inline(["100.64.0.0/10"]) },
                { title: "169.254.0.0/16 (link-local)", resources: inline(["169.254.0.0/16"]) },
                { title: "fd00::/8 and fc00::/7 (ULA)", resources: inline([], ["fd00::/8", "fc00::/7"]) },
                {
                    title: "a public CIDR on a port that is no database port",
                    resources: [
                        {
                            type: VPC_INGRESS,
                            name: "web",
                            props: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
                        },
                    ],
                },
            ],
        },
        {
            group: "security-group sources",
            constructs: [
                {
                    title: "referencedSecurityGroupId",
                    resources: [
                        {
                            type: VPC_INGRESS,
                            name: "from-app",
                            props: {
                                ipProtocol: "tcp",
                                fromPort: 5432,
                                toPort: 5432,
                                referencedSecurityGroupId: "sg-0app",
                            },
                        },
                    ],
                },
                { title: "sourceSecurityGroupId", resources: ruleFrom({ sourceSecurityGroupId: "sg-0app" }) },
                {
                    title: "inline securityGroups and self",
                    resources: [
                        {
                            type: SG,
                            name: "db",
                            props: {
                                ingress: [
                                    {
                                        protocol: "tcp",
                                        fromPort: 5432,
                                        toPort: 5432,
                                        securityGroups: ["sg-0app"],
                                        self: true,
                                    },
                                ],
                            },
                        },
                    ],
                },
            ],
        },
    ],
);

describe("policy rules in-process: security-group helpers", () => {
    it("finds no ingress in a resource of another type", () => {
        const hits: OpenIngress[] = [];
        findOpenIngress(
            "aws:ec2/instance:Instance",
            { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
            [5432],
            (hit) => hits.push(hit),
        );
        assert.deepEqual(hits, []);
    });
    it("lists the security-group types", () => {
        assert.deepEqual(SECURITY_GROUP_TYPES, [SG, DEFAULT_SG, SG_RULE, VPC_INGRESS]);
    });
    it("reads one value or a list as a list", () => {
        assert.deepEqual(Array.from(valuesOf("a")), ["a"]);
        assert.deepEqual(Array.from(valuesOf(["a", "b"])), ["a", "b"]);
        assert.deepEqual(Array.from(valuesOf(undefined)), []);
        assert.deepEqual(Array.from(valuesOf(7)), []);
    });
    it("shows a CIDR as written, quoted with the reason when unreadable", () => {
        assert.equal(showCidr("0.0.0.0/0", { kind: "public", world: true }), "0.0.0.0/0");
        assert.equal(showCidr(7, { kind: "public", world: false }), "7");
        assert.equal(showCidr("x", { kind: "unreadable", reason: "why" }), '"x" (unreadable: why)');
        assert.equal(
            showCidr(null, { kind: "unreadable", reason: "not a string" }),
            '"null" (unreadable: not a string)',
        );
    });
    it("hands each hit over with its shape's fix and reach", () => {
        const hits: OpenIngress[] = [];
        findOpenIngress(
            SG,
            {
                ingress: [
                    { protocol: "tcp", fromPort: 23, toPort: 6000, cidrBlocks: ["10.0.0.1/8"] },
                    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                ],
            },
            [22, 5432, 3306],
            (hit) => hits.push(hit),
        );
        assert.deepEqual(hits, [
            {
                where: "ingress[0]",
                traffic: "tcp 23-6000",
                cidrs: ['"10.0.0.1/8" (unreadable: host bits set (the network address of /8 is 10.0.0.0))'],
                reach: "unreadable",
                ports: [3306, 5432],
                fix: FIX_INLINE,
            },
            {
                where: "ingress[1]",
                traffic: "tcp 22",
                cidrs: ["0.0.0.0/0"],
                reach: "world",
                ports: [22],
                fix: FIX_INLINE,
            },
        ]);
    });
});

function res(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps?: Record<string, string[]>,
): TestResource {
    return deps === undefined ? { type, name, props } : { type, name, props, propertyDependencies: deps };
}

function policyResource(type: string, name: string, props: Record<string, unknown>): PolicyResource {
    return { type, name, props, propertyDependencies: {} } as unknown as PolicyResource;
}

describe("policy rules in-process: collectListenerPorts", () => {
    it("records each port with the first resource that listens on it", () => {
        const ports = new Map<number, string>();
        collectListenerPorts(
            [
                policyResource(CLUSTER, "c", { port: 6000 }),
                policyResource(INSTANCE, "i", { port: 6000 }),
                policyResource(INSTANCE, "i2", { port: 6001.5 }),
                policyResource(INSTANCE, "i3", { port: "6002" }),
                policyResource(PROXY, "pg", { engineFamily: "postgresql" }),
                policyResource(PROXY, "my", { engineFamily: "MYSQL" }),
                policyResource(PROXY, "ms", { engineFamily: "SQLSERVER" }),
                policyResource(PROXY, "x", { engineFamily: "ORACLE" }),
                policyResource(LISTENER, "tcp", { protocol: "tcp", port: 7000 }),
                policyResource(ALB_LISTENER, "tls", { protocol: "TLS", port: 7001 }),
                policyResource(LISTENER, "udp", { protocol: "UDP", port: 7002 }),
                policyResource(LISTENER, "tcpudp", { protocol: "TCP_UDP", port: 7003 }),
                policyResource(LISTENER, "https", {
                    protocol: "HTTPS",
                    port: 443,
                    defaultActions: [{ targetGroupArn: "arn:tg-pg" }],
                }),
                policyResource(LISTENER, "http", {
                    protocol: "HTTP",
                    port: 80,
                    defaultActions: [{ targetGroupArn: "arn:tg-web" }],
                }),
                policyResource(LISTENER, "geneve", {
                    protocol: "GENEVE",
                    port: 6081,
                    defaultActions: [{ targetGroupArn: "arn:tg-6000" }],
                }),
                policyResource(TARGET_GROUP, "tg-pg", { arn: "arn:tg-pg", port: 5432 }),
                policyResource(TARGET_GROUP, "tg-web", { arn: "arn:tg-web", port: 8080 }),
                policyResource("aws:alb/targetGroup:TargetGroup", "tg-6000", {
                    arn: "arn:tg-6000",
                    port: 6000,
                }),
                policyResource("aws:ec2/instance:Instance", "vm", { port: 9000 }),
                policyResource(TARGET_GROUP, "tg-tcp", { arn: "arn:tg-tcp", protocol: "TCP", port: 6100 }),
                policyResource(LISTENER, "to-db", {
                    protocol: "HTTP",
                    port: 8081,
                    defaultActions: [{ targetGroupArn: "arn:db" }],
                }),
                policyResource(INSTANCE, "db-with-arn", { arn: "arn:db", port: 5432 }),
            ],
            ports,
        );
        assert.deepEqual(
            [...ports.entries()].sort(([a], [b]) => a - b),
            [
                [443, `${LISTENER} "https"`],
                [1433, `${PROXY} "ms"`],
                [3306, `${PROXY} "my"`],
                [5432, `${PROXY} "pg"`],
                [6000, `${CLUSTER} "c"`],
                [6001, `${INSTANCE} "i2"`],
                [6002, `${INSTANCE} "i3"`],
                [6081, `${LISTENER} "geneve"`],
                [7000, `${LISTENER} "tcp"`],
                [7001, `${ALB_LISTENER} "tls"`],
                [7002, `${LISTENER} "udp"`],
                [7003, `${LISTENER} "tcpudp"`],
            ],
        );
    });
    it("keeps the ports already recorded", () => {
        const ports = new Map<number, string>([[6000, "earlier"]]);
        collectListenerPorts([policyResource(CLUSTER, "c", { port: 6000 })], ports);
        assert.deepEqual([...ports.entries()], [[6000, "earlier"]]);
    });
});

describe("policy rules in-process: no-world-open-listener-ports", () => {
    const sg = (cidr: string, from: number, to: number): TestResource =>
        res(SG, "sg", { ingress: [{ protocol: "tcp", fromPort: from, toPort: to, cidrBlocks: [cidr] }] });
    const message = (traffic: string, cidr: string, what: string, reach = WORLD): string =>
        `${SG} "sg" ingress[0] allows ${traffic} from ${cidr}, which opens listener ${what} ${reach}. ${FIX_INLINE}`;
    it("blocks a port a cluster listens on, naming the cluster", async () => {
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "db", { port: 6000 }),
                sg("0.0.0.0/0", 6000, 6000),
            ]),
            atUrn(SG, "sg", message("tcp 6000", "0.0.0.0/0", `port 6000 (${CLUSTER} "db")`)),
        );
    });
    it("names every listener port a rule opens", async () => {
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(LISTENER, "nlb", { protocol: "TCP", port: 7000 }),
                res(INSTANCE, "db", { port: 6000 }),
                sg("8.8.8.0/24", 5000, 8000),
            ]),
            atUrn(
                SG,
                "sg",
                message(
                    "tcp 5000-8000",
                    "8.8.8.0/24",
                    `ports 6000 (${INSTANCE} "db"), 7000 (${LISTENER} "nlb")`,
                    PUBLIC,
                ),
            ),
        );
    });
    it("leaves the built-in database ports to no-world-open-database-ports", async () => {
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "db", { port: 5432 }),
                res(PROXY, "proxy", { engineFamily: "POSTGRESQL" }),
                sg("0.0.0.0/0", 0, 65535),
            ]),
            NONE,
        );
    });
    it("passes a stack without listeners, private blocks and closed ports", async () => {
        assert.deepEqual(await validateStack(noWorldOpenListenerPorts, [sg("0.0.0.0/0", 0, 65535)]), NONE);
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "db", { port: 6000 }),
                sg("10.0.0.0/8", 6000, 6000),
            ]),
            NONE,
        );
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "db", { port: 6000 }),
                sg("0.0.0.0/0", 6001, 7000),
            ]),
            NONE,
        );
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "db", { port: 6000 }),
                res("aws:ec2/instance:Instance", "vm", {
                    ingress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
                }),
            ]),
            NONE,
        );
    });
    it("checks every security-group shape of the stack", async () => {
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "db", { port: 6000 }),
                res(VPC_INGRESS, "r", { ipProtocol: "tcp", fromPort: 6000, toPort: 6000, cidrIpv6: "::/0" }),
                res(SG_RULE, "r2", { type: "ingress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }),
            ]),
            {
                violations: [
                    {
                        message: `${VPC_INGRESS} "r" allows tcp 6000 from ::/0, which opens listener port 6000 (${CLUSTER} "db") ${WORLD}. ${FIX_VPC_RULE}`,
                        urn: urnOf(VPC_INGRESS, "r"),
                    },
                    {
                        message: `${SG_RULE} "r2" allows all traffic from 0.0.0.0/0, which opens listener port 6000 (${CLUSTER} "db") ${WORLD}. ${FIX_RULE}`,
                        urn: urnOf(SG_RULE, "r2"),
                    },
                ],
            },
        );
    });
    it("judges the known ports when another listener's port is unknown, then reports the unknown value", async () => {
        assert.deepEqual(
            await validateStack(noWorldOpenListenerPorts, [
                res(CLUSTER, "a", { port: UNKNOWN.number }),
                res(CLUSTER, "b", { port: 6000 }),
                sg("0.0.0.0/0", 6000, 6000),
            ]),
            {
                ...atUrn(SG, "sg", message("tcp 6000", "0.0.0.0/0", `port 6000 (${CLUSTER} "b")`)),
                unknown: "number value at .port can't be known during preview",
            },
        );
    });
});

describe("policy pack in-process: no-world-open-listener-ports, whole pack", () => {
    const pack = useInProcessPack();
    describe("no-world-open-listener-ports (stack)", () => {
        const fixVpc = FIX_VPC_RULE;
        it("counts an HTTP listener that forwards to a database target group, through the engine's dependency", async () => {
            const TG = "aws:lb/targetGroup:TargetGroup";
            const diags = await pack().analyzeStack([
                { type: LB, name: "alb", props: { internal: true } },
                { type: TG, name: "db", props: { port: 5432 } },
                {
                    type: LISTENER,
                    name: "http",
                    props: { protocol: "HTTP", port: 8080 },
                    propertyDependencies: {
                        defaultActions: [urnOf(TG, "db")],
                        loadBalancerArn: [urnOf(LB, "alb")],
                    },
                },
                {
                    type: VPC_INGRESS,
                    name: "wide",
                    props: { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "198.51.100.0/24" },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-listener-ports",
                    `${VPC_INGRESS} "wide" allows tcp 8080 from 198.51.100.0/24, which opens listener port 8080 (${LISTENER} "http") to addresses outside private space. ${fixVpc}`,
                    urnOf(VPC_INGRESS, "wide"),
                ),
            ]);
        });
        it("does not count HTTP listeners as database listeners", async () => {
            const diags = await pack().analyzeStack([
                { type: LB, name: "web", props: { internal: true } },
                { type: LISTENER, name: "http", props: { protocol: "HTTP", port: 8080 } },
                {
                    type: VPC_INGRESS,
                    name: "web",
                    props: { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "0.0.0.0/0" },
                },
            ]);
            assert.deepEqual(diags, []);
        });
        it("leaves built-in database ports to the resource rule, so each hole is reported once", async () => {
            const diags = await pack().analyzeStack([
                { type: LB, name: "nlb", props: { internal: true } },
                {
                    type: LISTENER,
                    name: "writer",
                    props: { protocol: "TCP", port: 5432 },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
                },
                {
                    type: VPC_INGRESS,
                    name: "open",
                    props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
                },
            ]);
            assert.deepEqual(diags, []);
        });
    });
});

describe("policy rules in-process: endpoint-service-no-wildcard-principals", () => {
    const FIX =
        "Fix: allow each consumer account explicitly (arn:aws:iam::<account-id>:root, or a role ARN), never a wildcard.";
    const SVC = "aws:ec2/vpcEndpointService:VpcEndpointService";
    const PRINCIPLE = "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple";
    it("blocks each wildcard of allowedPrincipals, by index", async () => {
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: SVC,
                name: "svc",
                props: {
                    allowedPrincipals: ["arn:aws:iam::111111111111:root", "*", 7, "arn:aws:iam::*:root"],
                },
            }),
            {
                violations: [
                    {
                        message: `${SVC} "svc" allowedPrincipals[1] is "*", which lets any AWS account connect to the service. ${FIX}`,
                    },
                    {
                        message: `${SVC} "svc" allowedPrincipals[3] is "arn:aws:iam::*:root", which lets any AWS account connect to the service. ${FIX}`,
                    },
                ],
            },
        );
    });
    it("passes explicit principals and a missing list", async () => {
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: SVC,
                name: "svc",
                props: { allowedPrincipals: ["arn:aws:iam::111111111111:root"] },
            }),
            NONE,
        );
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: SVC,
                name: "svc",
                props: {},
            }),
            NONE,
        );
    });
    it("blocks a wildcard principalArn of an allowed-principal resource", async () => {
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: PRINCIPLE,
                name: "p",
                props: { principalArn: "*" },
            }),
            only(
                `${PRINCIPLE} "p" sets principalArn to "*", which lets any AWS account connect to the service. ${FIX}`,
            ),
        );
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: PRINCIPLE,
                name: "p",
                props: { principalArn: "arn:aws:iam::111111111111:root" },
            }),
            NONE,
        );
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: PRINCIPLE,
                name: "p",
                props: { principalArn: ["*"] },
            }),
            NONE,
        );
    });
    it("ignores other types", async () => {
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: "e",
                props: { allowedPrincipals: ["*"], principalArn: "*" },
            }),
            NONE,
        );
    });
    it("reports a wildcard next to an unknown principal, then the unknown value", async () => {
        assert.deepEqual(
            await validateResource(endpointServiceNoWildcardPrincipals, {
                type: SVC,
                name: "svc",
                props: { allowedPrincipals: [UNKNOWN.string, "*"] },
            }),
            {
                violations: [
                    {
                        message: `${SVC} "svc" allowedPrincipals[1] is "*", which lets any AWS account connect to the service. ${FIX}`,
                    },
                ],
                unknown: "string value at .allowedPrincipals.0 can't be known during preview",
            },
        );
    });
});

describe("policy rules in-process: no-internet-facing-database-listener", () => {
    const FIX =
        "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.";
    const listens = (listener: string, port: number, lb = `${LB} "lb"`, type = LISTENER): string =>
        `${type} "${listener}" listens on database port ${port} of the internet-facing load balancer ${lb} (internal is not true). ${FIX}`;
    const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateStack(noInternetFacingDatabaseListener, resources, config);
    it("blocks a listener on a database port of a load balancer without internal", async () => {
        assert.deepEqual(
            await run([
                res(LB, "lb", { arn: "arn:lb" }),
                res(LISTENER, "l", { port: 5432, loadBalancerArn: "arn:lb" }),
            ]),
            atUrn(LISTENER, "l", listens("l", 5432)),
        );
    });
    const internal: Array<[unknown, boolean]> = [
        [false, true],
        ["false", true],
        [true, false],
    ];
    for (const [value, blocked] of internal) {
        it(`${blocked ? "blocks" : "passes"} a load balancer with internal ${JSON.stringify(value)}`, async () => {
            const outcome = await run([
                res(ALB, "lb", { arn: "arn:lb", internal: value }),
                res(ALB_LISTENER, "l", { port: 3306, loadBalancerArn: "arn:lb" }),
            ]);
            assert.deepEqual(
                outcome,
                blocked ? atUrn(ALB_LISTENER, "l", listens("l", 3306, `${ALB} "lb"`, ALB_LISTENER)) : NONE,
            );
        });
    }
    it("blocks a listener that forwards any port to a database target group, by ARN or dependency", async () => {
        const forwards = (listener: string, port: number, tg: string, tgPort: number): string =>
            `${LISTENER} "${listener}" forwards port ${port} to the database target group ${TARGET_GROUP} "${tg}" (port ${tgPort}) of the internet-facing load balancer ${LB} "lb" (internal is not true). ${FIX}`;
        assert.deepEqual(
            await run([
                res(LB, "lb", { arn: "arn:lb", internal: false }),
                res(TARGET_GROUP, "web", { arn: "arn:web", port: 443 }),
                res(TARGET_GROUP, "pg", { arn: "arn:pg", port: 5432 }),
                res(LISTENER, "a", {
                    port: 443,
                    loadBalancerArn: "arn:lb",
                    defaultActions: [{ targetGroupArn: "arn:pg" }],
                }),
                res(
                    LISTENER,
                    "b",
                    {
                        port: 8443,
                        loadBalancerArn: "arn:lb",
                        defaultActions: [{ targetGroupArn: "arn:web" }],
                    },
                    { defaultActions: ["pg"] },
                ),
                res(LISTENER, "c", {
                    port: 80,
                    loadBalancerArn: "arn:lb",
                    defaultActions: [{ targetGroupArn: "arn:web" }],
                }),
            ]),
            {
                violations: [
                    { message: forwards("a", 443, "pg", 5432), urn: urnOf(LISTENER, "a") },
                    { message: forwards("b", 8443, "pg", 5432), urn: urnOf(LISTENER, "b") },
                ],
            },
        );
    });
    it("matches a listener to its load balancer by dependency or by ARN", async () => {
        assert.deepEqual(
            await run([
                res(LB, "public", { arn: "arn:public" }),
                res(LB, "private", { arn: "arn:private", internal: true }),
                res(
                    LISTENER,
                    "dep",
                    { port: 5432, loadBalancerArn: "arn:public" },
                    { loadBalancerArn: ["private"] },
                ),
                res(LISTENER, "arn", { port: 5432, loadBalancerArn: "arn:private" }),
                res(LISTENER, "pub", { port: 5432, loadBalancerArn: "arn:public" }),
            ]),
            atUrn(LISTENER, "pub", listens("pub", 5432, `${LB} "public"`)),
        );
    });
    it("forwards only to target groups, not to another resource with the same ARN and a database port", async () => {
        assert.deepEqual(
            await run([
                res(LB, "lb", { arn: "arn:lb" }),
                res(CLUSTER, "db", { arn: "arn:db", port: 5432 }),
                res(LISTENER, "l", {
                    port: 443,
                    loadBalancerArn: "arn:lb",
                    defaultActions: [{ targetGroupArn: "arn:db" }],
                }),
            ]),
            NONE,
        );
    });
    it("passes internal load balancers, listeners on other ports, and a stack without load balancers", async () => {
        assert.deepEqual(
            await run([
                res(LB, "lb", { arn: "arn:lb", internal: true }),
                res(LISTENER, "l", { port: 5432, loadBalancerArn: "arn:lb" }),
            ]),
            NONE,
        );
        assert.deepEqual(await run([res(LB, "lb", {}), res(LISTENER, "l", { port: 443 })]), NONE);
        assert.deepEqual(await run([res(LISTENER, "l", { port: 443 })]), NONE);
        assert.deepEqual(
            await run([res(LB, "lb", {}), res("aws:ec2/instance:Instance", "vm", { port: 5432 })]),
            NONE,
        );
    });
    it("watches the configured extra ports, and refuses a bad extraPorts", async () => {
        assert.deepEqual(
            await run(
                [
                    res(LB, "lb", { arn: "arn:lb" }),
                    res(LISTENER, "l", { port: 8443, loadBalancerArn: "arn:lb" }),
                ],
                { extraPorts: [8443] },
            ),
            atUrn(LISTENER, "l", listens("l", 8443)),
        );
        await assert.rejects(run([], { extraPorts: ["x"] }), {
            message:
                'Policy config no-internet-facing-database-listener.extraPorts must be a list of integer ports from 1 to 65535; received ["x"].',
        });
    });
    it("judges the listeners of known load balancers when another's internal is unknown", async () => {
        assert.deepEqual(
            await run([
                res(LB, "unknown", { arn: "arn:unknown", internal: UNKNOWN.bool }),
                res(LB, "lb", { arn: "arn:lb" }),
                res(LISTENER, "l", { port: 5432, loadBalancerArn: "arn:lb" }),
            ]),
            {
                ...atUrn(LISTENER, "l", listens("l", 5432)),
                unknown: "boolean value at .internal can't be known during preview",
            },
        );
    });
});

// Blocks for issue 15's network cases: every database that can be public, string-typed booleans and ports read the
// way the provider reads them, listeners and attachments judged by the load balancer they really belong to (unknown:
// fail closed on a database port), attachments overriding the port, classic load balancers. Each insecure case has
// a secure look-alike that passes.
const ATTACHMENT = "aws:lb/targetGroupAttachment:TargetGroupAttachment";
const ELB = "aws:elb/loadBalancer:LoadBalancer";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";
const LB_FIX =
    "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.";
const UNDECLARED_LB_FIX =
    "Fix: declare the load balancer in this stack with internal: true, or, if it is internal and managed elsewhere, add its ARN to the policy config no-internet-facing-database-listener.internalLoadBalancerArns.";
const UNDECLARED_TG_FIX =
    "Fix: declare the target group, its listener and an internal load balancer in this stack, or, if only internal load balancers forward to it, add its ARN to the policy config no-internet-facing-database-listener.internalTargetGroupArns.";

describe("policy rules in-process: rds-no-public-access, every database that can be public", () => {
    const viaProxy =
        "Fix: remove publiclyAccessible or set it to false; clients reach the database through RDS Proxy and PrivateLink.";
    const viaVpc =
        "Fix: remove publiclyAccessible or set it to false; clients reach the database through the VPC or PrivateLink.";
    const types: Array<[string, string]> = [
        [INSTANCE, viaProxy],
        ["aws:rds/clusterInstance:ClusterInstance", viaProxy],
        [CLUSTER, viaProxy],
        ["aws:rds/shardGroup:ShardGroup", viaProxy],
        ["aws:redshift/cluster:Cluster", viaVpc],
        ["aws:redshiftserverless/workgroup:Workgroup", viaVpc],
        ["aws:docdb/clusterInstance:ClusterInstance", viaVpc],
        ["aws:neptune/clusterInstance:ClusterInstance", viaVpc],
        [
            "aws:lightsail/database:Database",
            "Fix: remove publiclyAccessible or set it to false; clients reach the database through Lightsail resources in the same region.",
        ],
    ];
    const check = (type: string, value: unknown): Promise<Outcome> =>
        validateResource(rdsNoPublicAccess, { type, name: "db", props: { publiclyAccessible: value } });
    for (const [type, fix] of types) {
        it(`blocks ${type} with publiclyAccessible true, and passes it private`, async () => {
            assert.deepEqual(
                await check(type, true),
                only(
                    `${type} "db" sets publiclyAccessible: true, which gives it a public IP address. ${fix}`,
                ),
            );
            assert.deepEqual(await check(type, false), NONE);
            assert.deepEqual(
                await validateResource(rdsNoPublicAccess, { type, name: "db", props: {} }),
                NONE,
            );
        });
    }
    for (const value of ["True", "TRUE", "true", "t", "1", 1]) {
        it(`blocks publiclyAccessible ${JSON.stringify(value)}, which the provider reads as true`, async () => {
            assert.deepEqual(
                await check(CLUSTER, value),
                only(
                    `${CLUSTER} "db" sets publiclyAccessible: ${JSON.stringify(value)}, which the provider reads as true and which gives it a public IP address. ${viaProxy}`,
                ),
            );
        });
    }
    for (const value of ["False", "false", "f", "0", 0, null]) {
        it(`passes publiclyAccessible ${JSON.stringify(value)}, which the provider reads as false or omitted`, async () => {
            assert.deepEqual(await check(INSTANCE, value), NONE);
        });
    }
    for (const value of ["yes", "on", 2, ["true"]]) {
        it(`blocks publiclyAccessible ${JSON.stringify(value)}, which it cannot read as false`, async () => {
            assert.deepEqual(
                await check("aws:redshift/cluster:Cluster", value),
                only(
                    `aws:redshift/cluster:Cluster "db" sets publiclyAccessible: ${JSON.stringify(value)}, which is not a boolean the provider reads as false, so the pack cannot tell that it stays private. ${viaVpc}`,
                ),
            );
        });
    }
    it("ignores publiclyAccessible on resources that are not databases", async () => {
        for (const type of [
            "aws:docdb/cluster:Cluster",
            "aws:dms/replicationInstance:ReplicationInstance",
            PROXY,
        ]) {
            assert.deepEqual(
                await validateResource(rdsNoPublicAccess, {
                    type,
                    name: "x",
                    props: { publiclyAccessible: true },
                }),
                NONE,
            );
        }
    });
});

describe("policy rules in-process: no-internet-facing-database-listener, the load balancer a listener really belongs to", () => {
    const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateStack(noInternetFacingDatabaseListener, resources, config);
    const nlb = res(LB, "nlb", { arn: "arn:nlb", internal: true, loadBalancerType: "network" });
    const undeclared = (listener: string, what: string, named: string): string =>
        `${LISTENER} "${listener}" ${what} of a load balancer that is not declared in this stack (${named}), so the pack cannot tell whether it is internal. ${UNDECLARED_LB_FIX}`;
    it("fails closed on a database listener of a load balancer outside the stack, not judging it by the stack's only one", async () => {
        assert.deepEqual(
            await run([nlb, res(LISTENER, "l", { port: 5432, loadBalancerArn: "arn:elsewhere" })]),
            atUrn(
                LISTENER,
                "l",
                undeclared("l", "listens on database port 5432", 'loadBalancerArn "arn:elsewhere"'),
            ),
        );
    });
    it("passes the look-alikes: the stack's internal load balancer, and an outside one the config vouches for", async () => {
        assert.deepEqual(
            await run([nlb, res(LISTENER, "l", { port: 5432, loadBalancerArn: "arn:nlb" })]),
            NONE,
        );
        assert.deepEqual(
            await run([nlb, res(LISTENER, "l", { port: 5432, loadBalancerArn: "arn:elsewhere" })], {
                internalLoadBalancerArns: ["arn:other", "arn:elsewhere"],
            }),
            NONE,
        );
    });
    it("fails closed when the ARN depends on something that is not a load balancer of the stack", async () => {
        assert.deepEqual(
            await run([
                nlb,
                res(STACK_REFERENCE, "shared", {}),
                res(
                    LISTENER,
                    "l",
                    { port: 3306, loadBalancerArn: "arn:nlb" },
                    { loadBalancerArn: ["shared"] },
                ),
            ]),
            atUrn(
                LISTENER,
                "l",
                undeclared("l", "listens on database port 3306", 'loadBalancerArn "arn:nlb"'),
            ),
        );
    });
    it("fails closed on an unknown or missing ARN without a dependency, and passes an unknown one that depends on the internal load balancer", async () => {
        assert.deepEqual(
            await run([
                nlb,
                res(LISTENER, "u", { port: 5432, loadBalancerArn: UNKNOWN.string }),
                res(LISTENER, "m", { port: 1433 }),
            ]),
            {
                violations: [
                    {
                        message: undeclared(
                            "u",
                            "listens on database port 5432",
                            "loadBalancerArn unknown during preview",
                        ),
                        urn: urnOf(LISTENER, "u"),
                    },
                    {
                        message: undeclared(
                            "m",
                            "listens on database port 1433",
                            "loadBalancerArn not given",
                        ),
                        urn: urnOf(LISTENER, "m"),
                    },
                ],
            },
        );
        assert.deepEqual(
            await run([
                nlb,
                res(
                    LISTENER,
                    "l",
                    { port: 5432, loadBalancerArn: UNKNOWN.string },
                    { loadBalancerArn: ["nlb"] },
                ),
            ]),
            NONE,
        );
    });
    it("leaves listeners that reach no database port alone, wherever their load balancer is", async () => {
        assert.deepEqual(
            await run([
                res(TARGET_GROUP, "web", { arn: "arn:web", port: 8080 }),
                res(LISTENER, "l", {
                    port: 443,
                    loadBalancerArn: "arn:elsewhere",
                    defaultActions: [{ targetGroupArn: "arn:web" }],
                }),
            ]),
            NONE,
        );
    });
    it("fails closed on a listener outside the stack's load balancers that forwards to a database target group", async () => {
        assert.deepEqual(
            await run([
                res(TARGET_GROUP, "pg", { arn: "arn:pg", port: "5432" }),
                res(LISTENER, "l", {
                    port: 443,
                    loadBalancerArn: "arn:x",
                    defaultActions: [{ targetGroupArn: "arn:pg" }],
                }),
            ]),
            atUrn(
                LISTENER,
                "l",
                undeclared(
                    "l",
                    `forwards port 443 to the database target group ${TARGET_GROUP} "pg" (port 5432)`,
                    'loadBalancerArn "arn:x"',
                ),
            ),
        );
    });
    it("refuses trust lists that are not lists of non-empty strings", async () => {
        await assert.rejects(run([], { internalLoadBalancerArns: [""] }), {
            message:
                'Policy config no-internet-facing-database-listener.internalLoadBalancerArns must be a list of non-empty strings; received [""].',
        });
        await assert.rejects(run([], { internalTargetGroupArns: "arn:tg" }), {
            message:
                'Policy config no-internet-facing-database-listener.internalTargetGroupArns must be a list of non-empty strings; received "arn:tg".',
        });
    });
});

describe("policy rules in-process: no-internet-facing-database-listener, attachments and string-typed values", () => {
    const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateStack(noInternetFacingDatabaseListener, resources, config);
    const stack = (internal: unknown, attachmentPort: unknown): TestResource[] => [
        res(LB, "nlb", { arn: "arn:nlb", internal, loadBalancerType: "network" }),
        res(TARGET_GROUP, "tg", { arn: "arn:tg", port: 8443, protocol: "TCP" }),
        res(LISTENER, "l", {
            port: 443,
            loadBalancerArn: "arn:nlb",
            defaultActions: [{ targetGroupArn: "arn:tg" }],
        }),
        res(ATTACHMENT, "db", { targetGroupArn: "arn:tg", targetId: "10.0.1.5", port: attachmentPort }),
    ];
    const overridden = (port: string): string =>
        `${LISTENER} "l" forwards port 443 to the target group ${TARGET_GROUP} "tg", whose attachment ${ATTACHMENT} "db" sends to database port ${port} of the internet-facing load balancer ${LB} "nlb" (internal is not true). ${LB_FIX}`;
    it("blocks an internet-facing listener whose target group's attachment overrides the port to a database port", async () => {
        assert.deepEqual(await run(stack(false, 5432)), atUrn(LISTENER, "l", overridden("5432")));
        assert.deepEqual(await run(stack(undefined, "0x1538")), atUrn(LISTENER, "l", overridden("0x1538")));
    });
    it("passes the look-alikes: an internal load balancer, an attachment on another port or on the target group's port", async () => {
        assert.deepEqual(await run(stack(true, 5432)), NONE);
        assert.deepEqual(await run(stack(false, 9443)), NONE);
        assert.deepEqual(await run(stack(false, undefined)), NONE);
    });
    it("fails closed on a database-port attachment to a target group outside the stack, unless the config vouches for it", async () => {
        const outside = [res(ATTACHMENT, "a", { targetGroupArn: "arn:outside", port: "3306" })];
        assert.deepEqual(
            await run(outside),
            atUrn(
                ATTACHMENT,
                "a",
                `${ATTACHMENT} "a" registers a target on database port 3306 in a target group that is not declared in this stack (targetGroupArn "arn:outside"), so the pack cannot tell which load balancers forward to it. ${UNDECLARED_TG_FIX}`,
            ),
        );
        assert.deepEqual(await run(outside, { internalTargetGroupArns: ["arn:outside"] }), NONE);
        assert.deepEqual(
            await run([res(ATTACHMENT, "u", { targetGroupArn: UNKNOWN.string, port: 5432 })]),
            atUrn(
                ATTACHMENT,
                "u",
                `${ATTACHMENT} "u" registers a target on database port 5432 in a target group that is not declared in this stack (targetGroupArn unknown during preview), so the pack cannot tell which load balancers forward to it. ${UNDECLARED_TG_FIX}`,
            ),
        );
    });
    it("passes attachments on other ports, and database-port attachments to a target group of the stack", async () => {
        assert.deepEqual(
            await run([res(ATTACHMENT, "a", { targetGroupArn: "arn:outside", port: 8080 })]),
            NONE,
        );
        assert.deepEqual(
            await run([
                res(TARGET_GROUP, "tg", { arn: "arn:tg", port: 5432 }),
                res(ATTACHMENT, "a", { targetGroupArn: "arn:tg", port: 5432 }),
                res(
                    ATTACHMENT,
                    "b",
                    { targetGroupArn: UNKNOWN.string, port: 5432 },
                    { targetGroupArn: ["tg"] },
                ),
            ]),
            NONE,
        );
    });
    const internal: Array<[unknown, boolean]> = [
        ["True", false],
        ["t", false],
        ["1", false],
        [1, false],
        ["False", true],
        ["0", true],
        ["yes", true],
        [0, true],
    ];
    for (const [value, blocked] of internal) {
        it(`${blocked ? "blocks" : "passes"} a load balancer with internal ${JSON.stringify(value)}, as the provider reads it`, async () => {
            const outcome = await run([
                res(LB, "nlb", { arn: "arn:nlb", internal: value }),
                res(LISTENER, "l", { port: "5432", loadBalancerArn: "arn:nlb" }),
            ]);
            assert.deepEqual(
                outcome,
                blocked
                    ? atUrn(
                          LISTENER,
                          "l",
                          `${LISTENER} "l" listens on database port 5432 of the internet-facing load balancer ${LB} "nlb" (internal is not true). ${LB_FIX}`,
                      )
                    : NONE,
            );
        });
    }
});

describe("policy rules in-process: no-internet-facing-database-listener, classic load balancers", () => {
    const run = (props: Record<string, unknown>): Promise<Outcome> =>
        validateStack(noInternetFacingDatabaseListener, [res(ELB, "elb", props)], {});
    const listener = (lbPort: unknown, instancePort: unknown) => ({
        lbPort,
        lbProtocol: "tcp",
        instancePort,
        instanceProtocol: "tcp",
    });
    const blocked = (index: number, lbPort: string, instancePort: string, port: number): string =>
        `${ELB} "elb" is internet-facing (internal is not true) and its listeners[${index}] forwards port ${lbPort} to instance port ${instancePort}, reaching database port ${port}. ${LB_FIX}`;
    it("blocks each listener that listens on or forwards to a database port, internal omitted or false", async () => {
        assert.deepEqual(
            await run({
                listeners: [
                    listener(80, 8080),
                    listener(5432, 5432),
                    listener(443, 3306),
                    listener("1433", 8080),
                    null,
                ],
            }),
            {
                violations: [
                    { message: blocked(1, "5432", "5432", 5432), urn: urnOf(ELB, "elb") },
                    { message: blocked(2, "443", "3306", 3306), urn: urnOf(ELB, "elb") },
                    { message: blocked(3, "1433", "8080", 1433), urn: urnOf(ELB, "elb") },
                ],
            },
        );
        assert.deepEqual(
            await run({ internal: "false", listeners: [listener(6379, 6379)] }),
            atUrn(ELB, "elb", blocked(0, "6379", "6379", 6379)),
        );
    });
    it("passes the look-alikes: internal (also as a string), and web ports only", async () => {
        assert.deepEqual(await run({ internal: true, listeners: [listener(5432, 5432)] }), NONE);
        assert.deepEqual(await run({ internal: "True", listeners: [listener(5432, 5432)] }), NONE);
        assert.deepEqual(await run({ listeners: [listener(80, 8080), listener(443, 8443)] }), NONE);
        assert.deepEqual(await run({}), NONE);
    });
    it("reports an unknown internal as unknown, and still judges the other classic load balancers", async () => {
        assert.deepEqual(
            await validateStack(
                noInternetFacingDatabaseListener,
                [
                    res(ELB, "unknown", { internal: UNKNOWN.bool, listeners: [listener(5432, 5432)] }),
                    res(ELB, "elb", { listeners: [listener(5432, 5432)] }),
                ],
                {},
            ),
            {
                ...atUrn(ELB, "elb", blocked(0, "5432", "5432", 5432)),
                unknown: "boolean value at .internal can't be known during preview",
            },
        );
    });
});

describe("policy rules in-process: collectListenerPorts, classic load balancers and attachments", () => {
    it("records a classic listener's lbPort when its instancePort is a database port, and an HTTP listener's port when an attachment sends to one", () => {
        const ports = new Map<number, string>();
        collectListenerPorts(
            [
                policyResource(CLUSTER, "c", { port: 6000 }),
                policyResource(ELB, "elb", {
                    listeners: [
                        { lbPort: 15432, instancePort: 5432 },
                        { lbPort: 16000, instancePort: "6000" },
                        { lbPort: 8080, instancePort: 80 },
                        null,
                    ],
                }),
                policyResource(TARGET_GROUP, "tg", { arn: "arn:tg", port: 8080 }),
                policyResource(ATTACHMENT, "a", { targetGroupArn: "arn:tg", port: 3306 }),
                policyResource(LISTENER, "http", {
                    protocol: "HTTP",
                    port: 8081,
                    defaultActions: [{ targetGroupArn: "arn:tg" }],
                }),
                policyResource(TARGET_GROUP, "web", { arn: "arn:web", port: 8080 }),
                policyResource(ATTACHMENT, "b", { targetGroupArn: "arn:web", port: 8443 }),
                // Not an attachment and not a classic load balancer, whatever their properties say.
                policyResource("aws:ec2/instance:Instance", "vm", { targetGroupArn: "arn:web", port: 5432 }),
                policyResource("aws:ec2/instance:Instance", "vm2", {
                    listeners: [{ lbPort: 17000, instancePort: 5432 }],
                }),
                policyResource(LISTENER, "https", {
                    protocol: "HTTPS",
                    port: 443,
                    defaultActions: [{ targetGroupArn: "arn:web" }],
                }),
            ],
            ports,
        );
        assert.deepEqual(
            [...ports.entries()].sort(([a], [b]) => a - b),
            [
                [6000, `${CLUSTER} "c"`],
                [8081, `${LISTENER} "http"`],
                [15432, `${ELB} "elb"`],
                [16000, `${ELB} "elb"`],
            ],
        );
    });
});

describe("policy pack in-process: no-internet-facing-database-listener, whole pack", () => {
    const pack = useInProcessPack();
    describe("no-internet-facing-database-listener (stack)", () => {
        const fix =
            "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.";
        it("blocks a listener on another port that forwards to a database target group", async () => {
            const TG = "aws:lb/targetGroup:TargetGroup";
            const diags = await pack().analyzeStack([
                { type: LB, name: "nlb", props: { internal: false } },
                { type: TG, name: "db", props: { port: 5432, arn: "arn:tg/db" } },
                { type: TG, name: "web", props: { port: 8080, arn: "arn:tg/web" } },
                {
                    type: LISTENER,
                    name: "tls",
                    props: {
                        protocol: "TLS",
                        port: 443,
                        defaultActions: [
                            {
                                type: "forward",
                                forward: { targetGroups: [{ arn: "arn:tg/web" }, { arn: "arn:tg/db" }] },
                            },
                        ],
                    },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
                },
                {
                    type: LISTENER,
                    name: "web",
                    props: {
                        protocol: "TCP",
                        port: 80,
                        defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/web" }],
                    },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-internet-facing-database-listener",
                    `${LISTENER} "tls" forwards port 443 to the database target group ${TG} "db" (port 5432) of the internet-facing load balancer ${LB} "nlb" (internal is not true). ${fix}`,
                    urnOf(LISTENER, "tls"),
                ),
            ]);
        });
        it("blocks a port added through extraPorts", async () => {
            await pack().configure({ "no-internet-facing-database-listener": { extraPorts: [8443] } });
            const diags = await pack().analyzeStack([
                { type: LB, name: "nlb", props: {} },
                {
                    type: LISTENER,
                    name: "admin",
                    props: { protocol: "TLS", port: 8443 },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-internet-facing-database-listener",
                    `${LISTENER} "admin" listens on database port 8443 of the internet-facing load balancer ${LB} "nlb" (internal is not true). ${fix}`,
                    urnOf(LISTENER, "admin"),
                ),
            ]);
        });
    });
});

describeConstructs(
    "policy pack in-process: no-internet-facing-database-listener, ways around it",
    [
        {
            group: "internet-facing load balancer forwarding to a database target group",
            constructs: [
                {
                    title: "TCP 443 to a target group on 5432",
                    resources: balancer(false, 443, 5432),
                    caughtBy: "no-internet-facing-database-listener",
                },
                {
                    title: "internal omitted, TLS 15432 to 3306",
                    resources: balancer(undefined, 15432, 3306, "TLS"),
                    caughtBy: "no-internet-facing-database-listener",
                },
            ],
        },
    ],
    [
        {
            group: "load balancers that pass",
            constructs: [
                { title: "an internal NLB forwarding to 5432", resources: balancer(true, 5432, 5432) },
                {
                    title: "an internet-facing NLB forwarding 443 to a web target group on 8443",
                    resources: balancer(false, 443, 8443),
                },
            ],
        },
    ],
);
