// Network exposure rules, the whole pack run in-process on each case (support/expect.ts useInProcessPack: the
// analyzer's Analyze and AnalyzeStack without the process), so each case also proves no other policy fires: public
// RDS, world-open database ports in all three security-group shapes, stack listener ports, internet-facing load
// balancers and endpoint services open to everyone. rules-network.test.ts calls each policy alone; wire.test.ts
// proves the wire format through the real analyzer. What this cannot prove: that AWS itself reads a rule as the pack does; the
// EC2 semantics encoded here (protocol numbers, -1, inclusive ranges) come from the EC2 API reference.
import * as assert from "node:assert/strict";
import { urnOf, type AnalyzedResource } from "../../tools/policy/analyzer";
import { useInProcessPack, violation } from "./support/expect";
import { LB, LISTENER, SG, SG_RULE, VPC_EGRESS, VPC_INGRESS } from "./support/tokens";

const ALL_DB_PORTS = "ports 1433, 1521, 3306, 5432, 5439, 6379, 9042, 27017";
const FIX_INLINE =
    "Fix: allow the clients' security group (securityGroups) or a private CIDR instead, and open only the ports they need.";
const FIX_RULE =
    "Fix: use sourceSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";
const FIX_VPC_RULE =
    "Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";

function inlineMessage(index: number, traffic: string, cidrs: string, ports: string): string {
    return `${SG} "db" ingress[${index}] allows ${traffic} from ${cidrs}, which opens database ${ports} to the whole internet. ${FIX_INLINE}`;
}

describe("policy pack in-process: network exposure", () => {
    const pack = useInProcessPack();

    describe("rds-no-public-access", () => {
        const fix =
            "Fix: remove publiclyAccessible or set it to false; clients reach the database through RDS Proxy and PrivateLink.";
        it("blocks an RDS instance with publiclyAccessible: true", async () => {
            const diags = await pack().analyze({
                type: "aws:rds/instance:Instance",
                name: "legacy",
                props: { publiclyAccessible: true, parameterGroupName: "pg" },
            });
            assert.deepEqual(diags, [
                violation(
                    "rds-no-public-access",
                    `aws:rds/instance:Instance "legacy" sets publiclyAccessible: true, which gives it a public IP address. ${fix}`,
                ),
            ]);
        });
        it("blocks an Aurora cluster instance with publiclyAccessible: true", async () => {
            const diags = await pack().analyze({
                type: "aws:rds/clusterInstance:ClusterInstance",
                name: "writer",
                props: { publiclyAccessible: true },
            });
            assert.deepEqual(diags, [
                violation(
                    "rds-no-public-access",
                    `aws:rds/clusterInstance:ClusterInstance "writer" sets publiclyAccessible: true, which gives it a public IP address. ${fix}`,
                ),
            ]);
        });
        it("passes a cluster instance with publiclyAccessible: false", async () => {
            const diags = await pack().analyze({
                type: "aws:rds/clusterInstance:ClusterInstance",
                name: "writer",
                props: { publiclyAccessible: false },
            });
            assert.deepEqual(diags, []);
        });
        it("passes an instance that omits publiclyAccessible (the provider default is private)", async () => {
            const diags = await pack().analyze({
                type: "aws:rds/instance:Instance",
                name: "db",
                props: { parameterGroupName: "pg" },
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
        it("checks the inline ingress of the VPC's default security group too", async () => {
            const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
            const diags = await pack().analyze({
                type: DEFAULT_SG,
                name: "default",
                props: {
                    vpcId: "vpc-1",
                    ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["0.0.0.0/0"] }],
                },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    `${DEFAULT_SG} "default" ingress[0] allows tcp 3306 from 0.0.0.0/0, which opens database port 3306 to the whole internet. ${FIX_INLINE}`,
                ),
            ]);
        });
        it("ignores egress", async () => {
            const diags = await pack().analyze({
                type: SG,
                name: "db",
                props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
            });
            assert.deepEqual(diags, []);
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
        it("blocks each of two separate /1 rules", async () => {
            const rule = (name: string, cidrIpv4: string): AnalyzedResource => ({
                type: VPC_INGRESS,
                name,
                props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4 },
            });
            assert.deepEqual(await pack().analyze(rule("in", "0.0.0.0/1")), [
                violation("no-world-open-database-ports", outside("0.0.0.0/1")),
            ]);
            assert.deepEqual(await pack().analyze(rule("in", "128.0.0.0/1")), [
                violation("no-world-open-database-ports", outside("128.0.0.0/1")),
            ]);
        });
    });

    describe("no-open-prefix-lists-on-database-ports (stack)", () => {
        const LIST = "aws:ec2/managedPrefixList:ManagedPrefixList";
        const ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry";
        const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
        const FIX_UNKNOWN =
            "Fix: allow the clients' security group instead, create the prefix list in this stack (aws.ec2.ManagedPrefixList with private entries), " +
            "or, for an AWS-managed prefix list, reference the prefixListId of the gateway endpoint created in this stack or list its ID in this policy's trustedPrefixListIds.";
        const FIX_ENTRIES =
            "Fix: keep only CIDR blocks inside private space in the prefix list, or allow the clients' security group instead.";
        const fromList = (prefixListId: string, port = 5432): AnalyzedResource => ({
            type: VPC_INGRESS,
            name: "from-list",
            props: { ipProtocol: "tcp", fromPort: port, toPort: port, prefixListId },
        });
        const list = (entries: string[]): AnalyzedResource => ({
            type: LIST,
            name: "clients",
            props: { id: "pl-0clients", entries: entries.map((cidr) => ({ cidr })) },
        });
        const unseen = (id: string, port = "database port 5432") =>
            violation(
                "no-open-prefix-lists-on-database-ports",
                `${VPC_INGRESS} "from-list" allows tcp ${port.replace(/\D+/, "")} from the prefix list ${id}, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to ${port}. ${FIX_UNKNOWN}`,
                urnOf(VPC_INGRESS, "from-list"),
            );
        it("blocks a prefix list from the stack with an entry outside private space", async () => {
            const diags = await pack().analyzeStack([
                list(["10.0.0.0/8", "0.0.0.0/1"]),
                { type: ENTRY, name: "extra", props: { prefixListId: "pl-0clients", cidr: "8.8.8.8/32" } },
                fromList("pl-0clients"),
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-open-prefix-lists-on-database-ports",
                    `${VPC_INGRESS} "from-list" allows tcp 5432 from the prefix list ${LIST} "clients", whose entries 0.0.0.0/1 (entries[1]), 8.8.8.8/32 (${ENTRY} "extra") are not inside private space, which opens database port 5432 to addresses outside private space. ${FIX_ENTRIES}`,
                    urnOf(VPC_INGRESS, "from-list"),
                ),
            ]);
        });
        it("passes a prefix list from the stack with private entries only", async () => {
            assert.deepEqual(
                await pack().analyzeStack([list(["10.0.0.0/8", "fd00::/8"]), fromList("pl-0clients")]),
                [],
            );
        });
        it("links a rule to a stack list through the engine's dependency, while the ID is unknown", async () => {
            const diags = await pack().analyzeStack([
                list(["::/0"]),
                {
                    type: VPC_INGRESS,
                    name: "from-list",
                    props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                    propertyDependencies: { prefixListId: [urnOf(LIST, "clients")] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-open-prefix-lists-on-database-ports",
                    `${VPC_INGRESS} "from-list" allows tcp 5432 from the prefix list ${LIST} "clients", whose entries ::/0 (entries[0]) are not inside private space, which opens database port 5432 to addresses outside private space. ${FIX_ENTRIES}`,
                    urnOf(VPC_INGRESS, "from-list"),
                ),
            ]);
        });
        it("blocks an unknown prefix list on a database port", async () => {
            assert.deepEqual(await pack().analyzeStack([fromList("pl-0123456789abcdef0")]), [
                unseen("pl-0123456789abcdef0"),
            ]);
        });
        it("passes an unknown prefix list on a port that is no database port", async () => {
            assert.deepEqual(await pack().analyzeStack([fromList("pl-0123456789abcdef0", 443)]), []);
        });
        it("passes the AWS-managed prefix list of a gateway endpoint of the stack (by value and by dependency)", async () => {
            const endpoint: AnalyzedResource = {
                type: ENDPOINT,
                name: "dynamodb",
                props: {
                    serviceName: "com.amazonaws.eu-west-1.dynamodb",
                    vpcEndpointType: "Gateway",
                    prefixListId: "pl-0dynamodb",
                },
            };
            assert.deepEqual(await pack().analyzeStack([endpoint, fromList("pl-0dynamodb")]), []);
            assert.deepEqual(
                await pack().analyzeStack([
                    endpoint,
                    {
                        type: VPC_INGRESS,
                        name: "from-list",
                        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                        propertyDependencies: { prefixListId: [urnOf(ENDPOINT, "dynamodb")] },
                    },
                ]),
                [],
            );
        });
        it("passes a prefix list ID listed in trustedPrefixListIds", async () => {
            await pack().configure({
                "no-open-prefix-lists-on-database-ports": { trustedPrefixListIds: ["pl-0123456789abcdef0"] },
            });
            assert.deepEqual(await pack().analyzeStack([fromList("pl-0123456789abcdef0")]), []);
        });
        it("blocks unknown lists in inline prefixListIds and SecurityGroupRule prefixListIds, on extraPorts too", async () => {
            await pack().configure({ "no-open-prefix-lists-on-database-ports": { extraPorts: [8443] } });
            const diags = await pack().analyzeStack([
                {
                    type: SG,
                    name: "db",
                    props: {
                        ingress: [
                            { protocol: "tcp", fromPort: 8443, toPort: 8443, prefixListIds: ["pl-0a"] },
                        ],
                    },
                },
                {
                    type: SG_RULE,
                    name: "rule",
                    props: {
                        type: "ingress",
                        protocol: "tcp",
                        fromPort: 3306,
                        toPort: 3306,
                        prefixListIds: ["pl-0b"],
                    },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-open-prefix-lists-on-database-ports",
                    `${SG} "db" ingress[0] allows tcp 8443 from the prefix list pl-0a, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to database port 8443. ${FIX_UNKNOWN}`,
                    urnOf(SG, "db"),
                ),
                violation(
                    "no-open-prefix-lists-on-database-ports",
                    `${SG_RULE} "rule" allows tcp 3306 from the prefix list pl-0b, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to database port 3306. ${FIX_UNKNOWN}`,
                    urnOf(SG_RULE, "rule"),
                ),
            ]);
        });
        it("ignores prefix lists in egress rules (this project's DynamoDB egress on 443 included)", async () => {
            const diags = await pack().analyzeStack([
                {
                    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                    name: "to-dynamodb",
                    props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, prefixListId: "pl-0unknown" },
                },
            ]);
            assert.deepEqual(diags, []);
        });
    });

    describe("no-world-open-database-ports: separate rule resources", () => {
        it("blocks an aws.ec2.SecurityGroupRule of type ingress", async () => {
            const diags = await pack().analyze({
                type: SG_RULE,
                name: "open",
                props: {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrBlocks: ["0.0.0.0/0"],
                },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    `${SG_RULE} "open" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${FIX_RULE}`,
                ),
            ]);
        });
        it("ignores an aws.ec2.SecurityGroupRule of type egress", async () => {
            const diags = await pack().analyze({
                type: SG_RULE,
                name: "out",
                props: {
                    type: "egress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrBlocks: ["0.0.0.0/0"],
                },
            });
            assert.deepEqual(diags, []);
        });
        it("blocks an aws.vpc.SecurityGroupIngressRule with cidrIpv4 0.0.0.0/0", async () => {
            const diags = await pack().analyze({
                type: VPC_INGRESS,
                name: "open",
                props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
            });
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-database-ports",
                    `${VPC_INGRESS} "open" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${FIX_VPC_RULE}`,
                ),
            ]);
        });
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
        it("passes an aws.vpc.SecurityGroupIngressRule that references a security group", async () => {
            const diags = await pack().analyze({
                type: VPC_INGRESS,
                name: "from-nlb",
                props: {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    referencedSecurityGroupId: "sg-0nlb",
                },
            });
            assert.deepEqual(diags, []);
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

    describe("no-world-open-listener-ports (stack)", () => {
        const fixVpc = FIX_VPC_RULE;
        it("blocks a world-open range that covers an NLB listener port of the stack", async () => {
            const diags = await pack().analyzeStack([
                { type: LISTENER, name: "writer", props: { protocol: "TCP", port: 15432 } },
                {
                    type: VPC_INGRESS,
                    name: "wide",
                    props: { ipProtocol: "tcp", fromPort: 15000, toPort: 16000, cidrIpv4: "0.0.0.0/0" },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-listener-ports",
                    `${VPC_INGRESS} "wide" allows tcp 15000-16000 from 0.0.0.0/0, which opens listener port 15432 (${LISTENER} "writer") to the whole internet. ${fixVpc}`,
                    urnOf(VPC_INGRESS, "wide"),
                ),
            ]);
        });
        it("blocks a world-open rule on a cluster's explicit port", async () => {
            const diags = await pack().analyzeStack([
                {
                    type: "aws:rds/cluster:Cluster",
                    name: "db",
                    props: { port: 6432, dbClusterParameterGroupName: "p" },
                },
                {
                    type: SG,
                    name: "db",
                    props: {
                        ingress: [
                            { protocol: "tcp", fromPort: 6432, toPort: 6432, ipv6CidrBlocks: ["::/0"] },
                        ],
                    },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-world-open-listener-ports",
                    `${SG} "db" ingress[0] allows tcp 6432 from ::/0, which opens listener port 6432 (aws:rds/cluster:Cluster "db") to the whole internet. ${FIX_INLINE}`,
                    urnOf(SG, "db"),
                ),
            ]);
        });
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

    describe("no-internet-facing-database-listener (stack)", () => {
        const fix =
            "Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.";
        it("passes a database listener on an internal load balancer", async () => {
            const diags = await pack().analyzeStack([
                { type: LB, name: "nlb", props: { internal: true, loadBalancerType: "network" } },
                {
                    type: LISTENER,
                    name: "writer",
                    props: { protocol: "TCP", port: 5432 },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
                },
            ]);
            assert.deepEqual(diags, []);
        });
        it("blocks a database listener on a load balancer that omits internal", async () => {
            const diags = await pack().analyzeStack([
                { type: LB, name: "nlb", props: { loadBalancerType: "network" } },
                {
                    type: LISTENER,
                    name: "writer",
                    props: { protocol: "TCP", port: 5432 },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-internet-facing-database-listener",
                    `${LISTENER} "writer" listens on database port 5432 of the internet-facing load balancer ${LB} "nlb" (internal is not true). ${fix}`,
                    urnOf(LISTENER, "writer"),
                ),
            ]);
        });
        it("passes a non-database listener on an internet-facing load balancer", async () => {
            const diags = await pack().analyzeStack([
                { type: LB, name: "web", props: { internal: false } },
                { type: LISTENER, name: "https", props: { protocol: "HTTPS", port: 443 } },
            ]);
            assert.deepEqual(diags, []);
        });
        it("links listeners to their own load balancer when there are several", async () => {
            const diags = await pack().analyzeStack([
                { type: LB, name: "public", props: { internal: false } },
                { type: LB, name: "private", props: { internal: true } },
                {
                    type: LISTENER,
                    name: "mysql",
                    props: { protocol: "TCP", port: 3306 },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "public")] },
                },
                {
                    type: LISTENER,
                    name: "pg",
                    props: { protocol: "TCP", port: 5432 },
                    propertyDependencies: { loadBalancerArn: [urnOf(LB, "private")] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-internet-facing-database-listener",
                    `${LISTENER} "mysql" listens on database port 3306 of the internet-facing load balancer ${LB} "public" (internal is not true). ${fix}`,
                    urnOf(LISTENER, "mysql"),
                ),
            ]);
        });
        it("links a listener by ARN when the engine sent no dependency information", async () => {
            const arn = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/pub/1";
            const diags = await pack().analyzeStack([
                { type: LB, name: "public", props: { internal: false, arn } },
                { type: LB, name: "private", props: { internal: true, arn: `${arn}2` } },
                { type: LISTENER, name: "pg", props: { protocol: "TCP", port: 5432, loadBalancerArn: arn } },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "no-internet-facing-database-listener",
                    `${LISTENER} "pg" listens on database port 5432 of the internet-facing load balancer ${LB} "public" (internal is not true). ${fix}`,
                    urnOf(LISTENER, "pg"),
                ),
            ]);
        });
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

    describe("endpoint-service-no-wildcard-principals", () => {
        const SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService";
        const PRINCIPLE = "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple";
        const fix =
            "Fix: allow each consumer account explicitly (arn:aws:iam::<account-id>:root, or a role ARN), never a wildcard.";
        it("blocks allowedPrincipals [*]", async () => {
            const diags = await pack().analyze({
                type: SERVICE,
                name: "db",
                props: { allowedPrincipals: ["*"] },
            });
            assert.deepEqual(diags, [
                violation(
                    "endpoint-service-no-wildcard-principals",
                    `${SERVICE} "db" allowedPrincipals[0] is "*", which lets any AWS account connect to the service. ${fix}`,
                ),
            ]);
        });
        it("blocks a wildcard among explicit principals", async () => {
            const diags = await pack().analyze({
                type: SERVICE,
                name: "db",
                props: { allowedPrincipals: ["arn:aws:iam::111122223333:root", "*"] },
            });
            assert.deepEqual(diags, [
                violation(
                    "endpoint-service-no-wildcard-principals",
                    `${SERVICE} "db" allowedPrincipals[1] is "*", which lets any AWS account connect to the service. ${fix}`,
                ),
            ]);
        });
        it("passes explicit principals", async () => {
            const diags = await pack().analyze({
                type: SERVICE,
                name: "db",
                props: {
                    allowedPrincipals: [
                        "arn:aws:iam::111122223333:root",
                        "arn:aws:iam::444455556666:role/app",
                    ],
                },
            });
            assert.deepEqual(diags, []);
        });
        it("blocks a VpcEndpointServiceAllowedPrinciple with principalArn *", async () => {
            const diags = await pack().analyze({
                type: PRINCIPLE,
                name: "everyone",
                props: { vpcEndpointServiceId: "vpce-svc-1", principalArn: "*" },
            });
            assert.deepEqual(diags, [
                violation(
                    "endpoint-service-no-wildcard-principals",
                    `${PRINCIPLE} "everyone" sets principalArn to "*", which lets any AWS account connect to the service. ${fix}`,
                ),
            ]);
        });
        it("passes a VpcEndpointServiceAllowedPrinciple for one account", async () => {
            const diags = await pack().analyze({
                type: PRINCIPLE,
                name: "app",
                props: { vpcEndpointServiceId: "vpce-svc-1", principalArn: "arn:aws:iam::111122223333:root" },
            });
            assert.deepEqual(diags, []);
        });
    });
});
