// The wire format and the pack's process, through the real analyzer as the CLI drives it (the pack started by the
// CLI's runner, so ts-node type-checks it; Configure, Analyze and AnalyzeStack over gRPC): for each policy, one
// compliant and one non-compliant construct, the violation's exact shape (policy name, enforcement level, the
// description and the detail joined by a newline, the URN a stack policy names, none for a resource policy); then
// what only the process does: enforcement levels and a knob from Configure, and the SDK's config errors. The verdict tables
// live in the rules-*.test.ts files (in-process); preview.test.ts covers unknown values and secrets on the wire.
import * as assert from "node:assert/strict";
import { secret, urnOf, type AnalyzedResource, type Diagnostic } from "../../tools/policy/analyzer";
import { usePolicyPack, violation, type PolicyName } from "./support/expect";
import {
    EC2_INSTANCE,
    ENDPOINT,
    INSTANCE,
    INSTANCE_PG,
    LATTICE_POLICY,
    LB,
    LISTENER,
    PROXY,
    RAM_PRINCIPAL,
    RECORD,
    RESOURCE_CONFIGURATION,
    RESOURCE_GATEWAY,
    SG,
    SSM,
    VPC_EGRESS,
    VPC_INGRESS,
    ZONE,
} from "./support/tokens";

const FIX_VPC_RULE =
    "Fix: use referencedSecurityGroupId (the clients' security group) or a private CIDR instead, and open only the ports they need.";
const SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
const PROXY_HOST = "db-proxy.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com";
const ENDPOINT_SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

interface WireCase {
    readonly policy: PolicyName;
    /** Stack policies go through AnalyzeStack, resource policies through Analyze (one resource). */
    readonly stack: boolean;
    readonly compliant: readonly AnalyzedResource[];
    readonly nonCompliant: readonly AnalyzedResource[];
    readonly expected: Diagnostic;
}

const open5432: AnalyzedResource = {
    type: VPC_INGRESS,
    name: "admin",
    props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
};

const CASES: readonly WireCase[] = [
    {
        policy: "rds-no-public-access",
        stack: false,
        compliant: [{ type: CLUSTER_INSTANCE, name: "writer", props: { publiclyAccessible: false } }],
        nonCompliant: [{ type: CLUSTER_INSTANCE, name: "writer", props: { publiclyAccessible: true } }],
        expected: violation(
            "rds-no-public-access",
            `${CLUSTER_INSTANCE} "writer" sets publiclyAccessible: true, which gives it a public IP address. Fix: remove publiclyAccessible or set it to false; clients reach the database through RDS Proxy and PrivateLink.`,
        ),
    },
    {
        policy: "no-world-open-database-ports",
        stack: false,
        compliant: [{ ...open5432, props: { ...open5432.props, cidrIpv4: "10.0.0.0/8" } }],
        nonCompliant: [open5432],
        expected: violation(
            "no-world-open-database-ports",
            `${VPC_INGRESS} "admin" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${FIX_VPC_RULE}`,
        ),
    },
    {
        policy: "no-world-open-listener-ports",
        stack: true,
        compliant: [
            { type: LISTENER, name: "writer", props: { protocol: "TCP", port: 15432 } },
            {
                type: VPC_INGRESS,
                name: "wide",
                props: { ipProtocol: "tcp", fromPort: 15000, toPort: 16000, cidrIpv4: "10.0.0.0/16" },
            },
        ],
        nonCompliant: [
            { type: LISTENER, name: "writer", props: { protocol: "TCP", port: 15432 } },
            {
                type: VPC_INGRESS,
                name: "wide",
                props: { ipProtocol: "tcp", fromPort: 15000, toPort: 16000, cidrIpv4: "0.0.0.0/0" },
            },
        ],
        expected: violation(
            "no-world-open-listener-ports",
            `${VPC_INGRESS} "wide" allows tcp 15000-16000 from 0.0.0.0/0, which opens listener port 15432 (${LISTENER} "writer") to the whole internet. ${FIX_VPC_RULE}`,
            urnOf(VPC_INGRESS, "wide"),
        ),
    },
    {
        policy: "no-open-prefix-lists-on-database-ports",
        stack: true,
        compliant: [
            {
                type: VPC_INGRESS,
                name: "from-list",
                props: {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    prefixListId: "pl-0123456789abcdef0",
                },
                propertyDependencies: {
                    prefixListId: [urnOf("aws:ec2/managedPrefixList:ManagedPrefixList", "clients")],
                },
            },
            {
                type: "aws:ec2/managedPrefixList:ManagedPrefixList",
                name: "clients",
                props: { addressFamily: "IPv4", maxEntries: 1, entries: [{ cidr: "10.1.0.0/16" }] },
            },
        ],
        nonCompliant: [
            {
                type: VPC_INGRESS,
                name: "from-list",
                props: {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    prefixListId: "pl-0123456789abcdef0",
                },
            },
        ],
        expected: violation(
            "no-open-prefix-lists-on-database-ports",
            `${VPC_INGRESS} "from-list" allows tcp 5432 from the prefix list pl-0123456789abcdef0, which is neither created in this stack nor recognisably AWS-managed, so the pack cannot see what it admits to database port 5432. Fix: allow the clients' security group instead, create the prefix list in this stack (aws.ec2.ManagedPrefixList with private entries), or, for an AWS-managed prefix list, reference the prefixListId of the gateway endpoint created in this stack or list its ID in this policy's trustedPrefixListIds.`,
            urnOf(VPC_INGRESS, "from-list"),
        ),
    },
    {
        policy: "rds-proxy-require-tls",
        stack: false,
        compliant: [{ type: PROXY, name: "proxy", props: { requireTls: true } }],
        nonCompliant: [{ type: PROXY, name: "proxy", props: { requireTls: false } }],
        expected: violation(
            "rds-proxy-require-tls",
            `${PROXY} "proxy" sets requireTls: false, so clients can connect without TLS. Fix: set requireTls: true on the proxy.`,
        ),
    },
    {
        policy: "rds-parameter-group-required",
        stack: false,
        compliant: [
            { type: INSTANCE, name: "pg", props: { engine: "postgres", parameterGroupName: "pg-tls" } },
        ],
        nonCompliant: [{ type: INSTANCE, name: "pg", props: { engine: "postgres" } }],
        expected: violation(
            "rds-parameter-group-required",
            `${INSTANCE} "pg" does not set parameterGroupName, so it runs on the engine's default parameter group, which does not force TLS. Fix: create an aws.rds.ParameterGroup with rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB) and set parameterGroupName to its name.`,
        ),
    },
    {
        policy: "rds-parameter-group-forces-tls",
        stack: true,
        compliant: [
            { type: INSTANCE, name: "pg", props: { parameterGroupName: "pg" } },
            {
                type: INSTANCE_PG,
                name: "pg",
                props: {
                    name: "pg",
                    family: "postgres16",
                    parameters: [{ name: "rds.force_ssl", value: "1" }],
                },
            },
        ],
        nonCompliant: [
            { type: INSTANCE, name: "ora", props: { parameterGroupName: "ora" } },
            {
                type: INSTANCE_PG,
                name: "ora",
                props: { name: "ora", family: "oracle-ee-19", parameters: [] },
            },
        ],
        expected: violation(
            "rds-parameter-group-forces-tls",
            `${INSTANCE_PG} "ora" (family oracle-ee-19), used by ${INSTANCE} "ora", has a family this policy cannot check for TLS. Fix: use a postgres, aurora-postgresql, sqlserver, mysql, mariadb or aurora-mysql family, or disable this policy for the stack.`,
            urnOf(INSTANCE_PG, "ora"),
        ),
    },
    {
        policy: "connection-strings-verify-full",
        stack: false,
        // A SecureString's value arrives as a secret: the pack must unwrap it to judge it.
        compliant: [
            {
                type: SSM,
                name: "db-url",
                props: {
                    type: "SecureString",
                    value: secret("postgres://db.example/app?sslmode=verify-full"),
                },
            },
        ],
        nonCompliant: [
            {
                type: SSM,
                name: "db-url",
                props: {
                    type: "SecureString",
                    value: secret("postgres://app:pw@db.example/app?sslmode=require"),
                },
            },
        ],
        expected: violation(
            "connection-strings-verify-full",
            `${SSM} "db-url" value holds a PostgreSQL URL with sslmode=require (needs sslmode=verify-full), so the client does not verify the server's certificate and host name. Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, with the Amazon root CA (AmazonRootCA1) as the trusted root.`,
        ),
    },
    {
        policy: "database-endpoint-private-dns",
        stack: true,
        compliant: [
            { type: ENDPOINT, name: "db", props: { vpcEndpointType: "Interface", serviceName: SERVICE } },
            { type: ZONE, name: "proxy", props: { name: PROXY_HOST, vpcs: [{ vpcId: "vpc-0app" }] } },
            {
                type: RECORD,
                name: "proxy",
                props: {
                    zoneId: "Z0PROXY",
                    name: PROXY_HOST,
                    type: "A",
                    aliases: [
                        {
                            name: "vpce-0abc.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
                            zoneId: "Z1",
                            evaluateTargetHealth: false,
                        },
                    ],
                },
            },
        ],
        nonCompliant: [
            { type: ENDPOINT, name: "db", props: { vpcEndpointType: "Interface", serviceName: SERVICE } },
        ],
        expected: violation(
            "database-endpoint-private-dns",
            `${ENDPOINT} "db" connects to the database endpoint service ${SERVICE}, but the stack has no private hosted zone for a proxy hostname within rds.amazonaws.com, so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. Fix: create a private hosted zone (aws.route53.Zone with vpcs set to the consumer VPC) for the proxy's hostname and an alias A record for that hostname pointing at the endpoint's DNS name.`,
            urnOf(ENDPOINT, "db"),
        ),
    },
    {
        policy: "endpoint-service-no-wildcard-principals",
        stack: false,
        compliant: [
            {
                type: ENDPOINT_SERVICE,
                name: "db",
                props: { allowedPrincipals: ["arn:aws:iam::111122223333:root"] },
            },
        ],
        nonCompliant: [{ type: ENDPOINT_SERVICE, name: "db", props: { allowedPrincipals: ["*"] } }],
        expected: violation(
            "endpoint-service-no-wildcard-principals",
            `${ENDPOINT_SERVICE} "db" allowedPrincipals[0] is "*", which lets any AWS account connect to the service. Fix: allow each consumer account explicitly (arn:aws:iam::<account-id>:root, or a role ARN), never a wildcard.`,
        ),
    },
    {
        policy: "no-internet-facing-database-listener",
        stack: true,
        compliant: [
            { type: LB, name: "nlb", props: { loadBalancerType: "network", internal: true } },
            {
                type: LISTENER,
                name: "writer",
                props: { protocol: "TCP", port: 5432 },
                propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
            },
        ],
        nonCompliant: [
            { type: LB, name: "nlb", props: { loadBalancerType: "network" } },
            {
                type: LISTENER,
                name: "writer",
                props: { protocol: "TCP", port: 5432 },
                propertyDependencies: { loadBalancerArn: [urnOf(LB, "nlb")] },
            },
        ],
        expected: violation(
            "no-internet-facing-database-listener",
            `${LISTENER} "writer" listens on database port 5432 of the internet-facing load balancer ${LB} "nlb" (internal is not true). Fix: set internal: true on the load balancer; consumers reach it through the VPC endpoint service.`,
            urnOf(LISTENER, "writer"),
        ),
    },
    {
        policy: "database-client-instances-private",
        stack: true,
        compliant: [
            { type: SG, name: "client", props: {} },
            {
                type: VPC_EGRESS,
                name: "to-db",
                props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                propertyDependencies: { securityGroupId: [urnOf(SG, "client")] },
            },
            {
                type: EC2_INSTANCE,
                name: "dev",
                props: { associatePublicIpAddress: false, metadataOptions: { httpTokens: "required" } },
                propertyDependencies: { vpcSecurityGroupIds: [urnOf(SG, "client")] },
            },
        ],
        nonCompliant: [
            { type: SG, name: "client", props: {} },
            {
                type: VPC_EGRESS,
                name: "to-db",
                props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                propertyDependencies: { securityGroupId: [urnOf(SG, "client")] },
            },
            {
                type: EC2_INSTANCE,
                name: "dev",
                props: { associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } },
                propertyDependencies: { vpcSecurityGroupIds: [urnOf(SG, "client")] },
            },
        ],
        expected: violation(
            "database-client-instances-private",
            `${EC2_INSTANCE} "dev" is in the database client security group ${SG} "client" and sets associatePublicIpAddress: true, which gives it a public IP address. Fix: set associatePublicIpAddress: false and metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }, and reach the instance through Session Manager instead of a public address.`,
            urnOf(EC2_INSTANCE, "dev"),
        ),
    },
    {
        policy: "ram-share-named-principals",
        stack: false,
        compliant: [{ type: RAM_PRINCIPAL, name: "consumer", props: { principal: "111122223333" } }],
        nonCompliant: [{ type: RAM_PRINCIPAL, name: "consumer", props: { principal: "*" } }],
        expected: violation(
            "ram-share-named-principals",
            `${RAM_PRINCIPAL} "consumer" principal is "*", which is a wildcard, which would share the resource with principals the stack does not name. Fix: name each consumer account by its 12-digit ID (or an organization or OU ARN of arn:aws:organizations::<management-account>:…), never a wildcard.`,
        ),
    },
    {
        policy: "lattice-resource-policy-no-open-grant",
        stack: false,
        compliant: [
            {
                type: LATTICE_POLICY,
                name: "share",
                props: {
                    policy: JSON.stringify({
                        Statement: [{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "*" }],
                    }),
                },
            },
        ],
        nonCompliant: [
            {
                type: LATTICE_POLICY,
                name: "share",
                props: {
                    policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*" }] }),
                },
            },
        ],
        expected: violation(
            "lattice-resource-policy-no-open-grant",
            `${LATTICE_POLICY} "share" policy Statement[0] allows the principal "*" without a Condition, which grants every AWS account. Fix: name the consumer accounts as principals ("AWS": "arn:aws:iam::<account-id>:root"), or keep "*" only with a Condition that bounds it (aws:PrincipalOrgID, aws:PrincipalAccount).`,
        ),
    },
    {
        policy: "lattice-database-resource-configuration",
        stack: false,
        compliant: [
            {
                type: RESOURCE_CONFIGURATION,
                name: "writer",
                props: {
                    resourceConfigurationDefinition: { dnsResource: { domainName: PROXY_HOST } },
                    portRanges: ["5432"],
                    protocol: "TCP",
                },
            },
        ],
        nonCompliant: [
            {
                type: RESOURCE_CONFIGURATION,
                name: "writer",
                props: {
                    resourceConfigurationDefinition: { dnsResource: { domainName: PROXY_HOST } },
                    portRanges: ["1-65535"],
                    protocol: "TCP",
                },
            },
        ],
        expected: violation(
            "lattice-database-resource-configuration",
            `${RESOURCE_CONFIGURATION} "writer" publishes the database ${PROXY_HOST}, and portRanges[0] is "1-65535", which exposes 65535 ports of the target. Fix: list the engine's port alone (for example "5432").`,
        ),
    },
    {
        policy: "resource-endpoint-private-dns-domains",
        stack: false,
        compliant: [
            {
                type: ENDPOINT,
                name: "writer",
                props: {
                    vpcEndpointType: "Resource",
                    privateDnsEnabled: true,
                    dnsOptions: {
                        privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
                        privateDnsSpecifiedDomains: [PROXY_HOST],
                    },
                },
            },
        ],
        nonCompliant: [
            {
                type: ENDPOINT,
                name: "writer",
                props: {
                    vpcEndpointType: "Resource",
                    privateDnsEnabled: true,
                    dnsOptions: { privateDnsPreference: "ALL_DOMAINS" },
                },
            },
        ],
        expected: violation(
            "resource-endpoint-private-dns-domains",
            `${ENDPOINT} "writer" has privateDnsEnabled and dnsOptions.privateDnsPreference "ALL_DOMAINS", which makes VPC Lattice answer every custom domain name the resource's owner sets, verified or not, inside the VPC. Fix: set dnsOptions { privateDnsPreference: "SPECIFIED_DOMAINS_ONLY", privateDnsSpecifiedDomains: [the proxy's hostnames] }.`,
        ),
    },
    {
        policy: "resource-gateway-egress-private",
        stack: true,
        compliant: [
            { type: SG, name: "gateway", props: {} },
            {
                type: RESOURCE_GATEWAY,
                name: "db",
                props: { vpcId: "vpc-0db", subnetIds: ["subnet-a"] },
                propertyDependencies: { securityGroupIds: [urnOf(SG, "gateway")] },
            },
        ],
        nonCompliant: [
            {
                type: SG,
                name: "gateway",
                props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
            },
            {
                type: RESOURCE_GATEWAY,
                name: "db",
                props: { vpcId: "vpc-0db", subnetIds: ["subnet-a"] },
                propertyDependencies: { securityGroupIds: [urnOf(SG, "gateway")] },
            },
        ],
        expected: violation(
            "resource-gateway-egress-private",
            `${SG} "gateway" egress[0] allows egress to 0.0.0.0/0 from the security group ${SG} "gateway" of the resource gateway ${RESOURCE_GATEWAY} "db", which lets the gateway connect to addresses outside private space. Fix: allow egress only to the proxy's security group (referencedSecurityGroupId, or securityGroups inline) on the engine port.`,
            urnOf(SG, "gateway"),
        ),
    },
];

describe("policy pack: the wire format, one policy at a time (through the analyzer)", () => {
    const pack = usePolicyPack();
    const run = (c: WireCase, resources: readonly AnalyzedResource[]): Promise<Diagnostic[]> =>
        c.stack ? pack().analyzeStack(resources) : pack().analyze(resources[0]);

    it("has one case per policy of the pack", async () => {
        const info = await pack().info();
        assert.deepEqual(
            CASES.map((c) => c.policy),
            info.policies.map((p) => p.name),
        );
    });
    for (const c of CASES) {
        it(`${c.policy}: passes the compliant construct, reports the other as one mandatory diagnostic (${c.stack ? "AnalyzeStack" : "Analyze"})`, async () => {
            assert.deepEqual(await run(c, c.compliant), []);
            assert.deepEqual(await run(c, c.nonCompliant), [c.expected]);
        });
    }
});

describe("policy pack: enforcement levels and config errors (through the analyzer)", () => {
    const pack = usePolicyPack();
    const FIX = FIX_VPC_RULE;
    const rule: AnalyzedResource = open5432;

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
                    `${VPC_INGRESS} "admin" allows tcp 5432 from 0.0.0.0/0, which opens database port 5432 to the whole internet. ${FIX}`,
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
    it("takes the load balancers a stack's listeners may belong to from the config", async () => {
        const outside: AnalyzedResource[] = [
            {
                type: LISTENER,
                name: "writer",
                props: { protocol: "TCP", port: 5432, loadBalancerArn: "arn:shared-nlb" },
            },
        ];
        assert.deepEqual(
            (await pack().analyzeStack(outside)).map((d) => [d.policyName, d.urn]),
            [["no-internet-facing-database-listener", urnOf(LISTENER, "writer")]],
        );
        await pack().configure({
            "no-internet-facing-database-listener": { internalLoadBalancerArns: ["arn:shared-nlb"] },
        });
        assert.deepEqual(await pack().analyzeStack(outside), []);
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
