// Network exposure rules, driven through the pack's gRPC analyzer as the CLI drives it: public RDS, world-open
// database ports in all three security-group shapes, stack listener ports, internet-facing load balancers and
// endpoint services open to everyone. What this cannot prove: that AWS itself reads a rule as the pack does; the
// EC2 semantics encoded here (protocol numbers, -1, inclusive ranges) come from the EC2 API reference.
import * as assert from "node:assert/strict";
import { urnOf, type AnalyzedResource } from "../../tools/policy/analyzer";
import { usePolicyPack, violation } from "./support/expect";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const VPC_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";

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

describe("policy pack: network exposure (through the analyzer)", () => {
    const pack = usePolicyPack();

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
                type: "aws:redshift/cluster:Cluster",
                name: "warehouse",
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
                title: "protocol -1 (all traffic, ports ignored)",
                rule: { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "all traffic", "0.0.0.0/0", ALL_DB_PORTS),
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
                title: "a protocol without ports (50, ESP) opens every port",
                rule: { protocol: "50", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "protocol 50 (all ports)", "0.0.0.0/0", ALL_DB_PORTS),
            },
            {
                title: "an inclusive range that ends on a database port",
                rule: { protocol: "tcp", fromPort: 1000, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                expected: inlineMessage(0, "tcp 1000-5432", "0.0.0.0/0", "ports 1433, 1521, 3306, 5432"),
            },
            {
                title: "icmp from anywhere opens no port",
                rule: { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
                expected: undefined,
            },
            {
                title: "a range between database ports",
                rule: { protocol: "tcp", fromPort: 5433, toPort: 5438, cidrBlocks: ["0.0.0.0/0"] },
                expected: undefined,
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
        it("reports at the configured enforcement level", async () => {
            await pack().configure({ "no-world-open-database-ports": { enforcementLevel: "advisory" } });
            const diags = await pack().analyze({
                ...rule,
                props: { ...rule.props, fromPort: 5432, toPort: 5432 },
            });
            assert.deepEqual(diags, [
                {
                    ...violation(
                        "no-world-open-database-ports",
                        `${VPC_INGRESS} "admin" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${FIX_VPC_RULE}`,
                    ),
                    enforcementLevel: "advisory",
                },
            ]);
        });
        it("reports nothing when disabled", async () => {
            await pack().configure({ "no-world-open-database-ports": { enforcementLevel: "disabled" } });
            const diags = await pack().analyze({
                ...rule,
                props: { ...rule.props, fromPort: 5432, toPort: 5432 },
            });
            assert.deepEqual(diags, []);
        });
        it('applies an "all" level to every policy without its own entry', async () => {
            await pack().configure({
                all: { enforcementLevel: "advisory" },
                "no-world-open-database-ports": { enforcementLevel: "mandatory" },
            });
            const open = await pack().analyze({
                ...rule,
                props: { ...rule.props, fromPort: 5432, toPort: 5432 },
            });
            const proxy = await pack().analyze({ type: "aws:rds/proxy:Proxy", name: "proxy", props: {} });
            assert.deepEqual(
                [...open, ...proxy].map((d) => [d.policyName, d.enforcementLevel]),
                [
                    ["no-world-open-database-ports", "mandatory"],
                    ["rds-proxy-require-tls", "advisory"],
                ],
            );
        });
        it("rejects an extraPorts value that is not a list of ports", async () => {
            await pack().configure({ "no-world-open-database-ports": { extraPorts: [70000] } });
            await assert.rejects(pack().analyze(rule), (error: Error) => {
                assert.match(
                    error.message,
                    /Policy config no-world-open-database-ports\.extraPorts must be a list of integer ports from 1 to 65535; received \[70000\]\./,
                );
                return true;
            });
        });
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
                { type: LISTENER, name: "writer", props: { protocol: "TCP", port: 5432 } },
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
        it("blocks a port added through extraPorts", async () => {
            await pack().configure({ "no-internet-facing-database-listener": { extraPorts: [8443] } });
            const diags = await pack().analyzeStack([
                { type: LB, name: "nlb", props: {} },
                { type: LISTENER, name: "admin", props: { protocol: "TLS", port: 8443 } },
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
