// Ways around the pack, tried on the whole pack in-process (support/expect.ts useInProcessPack: the analyzer's
// Analyze and AnalyzeStack without the process): each insecure construct must be caught by the rule named next to
// it, and each secure construct must pass with no diagnostic at all. Every construct goes through Analyze (each
// resource's inputs) and AnalyzeStack (the whole stack), as a preview or update does. The counts in docs/policy.md
// come from this file: `npx mocha tests/policy/rules-sidestep.test.ts` prints one line per construct under
// "insecure" (caught) and "secure" (not flagged).
//
// What this cannot prove: that AWS or a client library reads a setting as the pack does. The readings encoded here
// (EC2 CIDR semantics, libpq, pgJDBC, MySQL Connector/J, Prisma, node-postgres, Npgsql) come from their documentation.
import * as assert from "node:assert/strict";
import { urnOf, type AnalyzedResource, type Diagnostic } from "../../tools/policy/analyzer";
import { useInProcessPack, type PolicyName } from "./support/expect";
import {
    CLUSTER,
    CLUSTER_PG,
    DEFAULT_SG,
    ECS_TASK,
    ENDPOINT,
    LAMBDA,
    LB,
    LISTENER,
    PREFIX_LIST,
    PREFIX_LIST_ENTRY,
    SECRET_VERSION,
    SG,
    SG_RULE,
    SSM,
    TARGET_GROUP,
    VPC_INGRESS,
} from "./support/tokens";

interface Construct {
    readonly title: string;
    readonly resources: readonly AnalyzedResource[];
    /** For an insecure construct, the rule that must catch it. */
    readonly caughtBy?: PolicyName;
}

/** Inline ingress of a security group on 5432 from the given IPv4 and IPv6 blocks. */
function inline(cidrBlocks: string[], ipv6CidrBlocks: string[] = []): AnalyzedResource[] {
    return [
        {
            type: SG,
            name: "db",
            props: {
                ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks, ipv6CidrBlocks }],
            },
        },
    ];
}
/** One aws.vpc.SecurityGroupIngressRule per block, on 5432. */
function vpcRules(blocks: string[]): AnalyzedResource[] {
    return blocks.map((cidr, i) => ({
        type: VPC_INGRESS,
        name: `in-${i}`,
        props: {
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        },
    }));
}
function ruleFrom(props: Record<string, unknown>): AnalyzedResource[] {
    return [
        {
            type: SG_RULE,
            name: "in",
            props: { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, ...props },
        },
    ];
}
function ssm(value: string): AnalyzedResource[] {
    return [{ type: SSM, name: "db", props: { type: "SecureString", value } }];
}
function secretJson(value: unknown): AnalyzedResource[] {
    return [{ type: SECRET_VERSION, name: "db", props: { secretString: JSON.stringify(value) } }];
}
function lambda(variables: Record<string, string>): AnalyzedResource[] {
    return [{ type: LAMBDA, name: "api", props: { environment: { variables } } }];
}
function ecs(environment: Array<{ name: string; value: string }>): AnalyzedResource[] {
    return [
        {
            type: ECS_TASK,
            name: "api",
            props: {
                family: "api",
                containerDefinitions: JSON.stringify([{ name: "api", image: "api", environment }]),
            },
        },
    ];
}
/** A prefix-list rule on 5432 that references `id`, next to `others` in the stack. */
function prefixListRule(id: string, others: AnalyzedResource[]): AnalyzedResource[] {
    return [
        ...others,
        {
            type: VPC_INGRESS,
            name: "from-list",
            props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, prefixListId: id },
        },
    ];
}
function stackList(cidrs: string[]): AnalyzedResource {
    return {
        type: PREFIX_LIST,
        name: "clients",
        props: {
            id: "pl-0clients",
            addressFamily: "IPv4",
            maxEntries: 5,
            entries: cidrs.map((cidr) => ({ cidr })),
        },
    };
}
/** A load balancer, a listener on `port` and a target group on `targetPort`, linked by the engine's dependencies. */
function balancer(
    internal: boolean | undefined,
    port: number,
    targetPort: number,
    protocol = "TCP",
): AnalyzedResource[] {
    return [
        { type: LB, name: "nlb", props: internal === undefined ? {} : { internal } },
        { type: TARGET_GROUP, name: "db", props: { port: targetPort, protocol: "TCP" } },
        {
            type: LISTENER,
            name: "front",
            props: { protocol, port, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
            propertyDependencies: {
                loadBalancerArn: [urnOf(LB, "nlb")],
                defaultActions: [urnOf(TARGET_GROUP, "db")],
            },
        },
    ];
}
function clusterWithGroup(clusterName: string, groupName: string, forceSsl: string): AnalyzedResource[] {
    return [
        { type: CLUSTER, name: "db", props: { dbClusterParameterGroupName: clusterName } },
        {
            type: CLUSTER_PG,
            name: "params",
            props: {
                name: groupName,
                family: "aurora-postgresql16",
                parameters: [{ name: "rds.force_ssl", value: forceSsl }],
            },
        },
    ];
}

const WORLD = "no-world-open-database-ports";
const LISTS = "no-open-prefix-lists-on-database-ports";
const TLS = "connection-strings-verify-full";

const INSECURE: Array<{ group: string; constructs: Construct[] }> = [
    {
        group: "split world-open IPv4",
        constructs: [
            {
                title: "0.0.0.0/1 + 128.0.0.0/1 inline",
                resources: inline(["0.0.0.0/1", "128.0.0.0/1"]),
                caughtBy: WORLD,
            },
            { title: "0.0.0.0/1 alone", resources: inline(["0.0.0.0/1"]), caughtBy: WORLD },
            {
                title: "four /2 blocks",
                resources: inline(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]),
                caughtBy: WORLD,
            },
            {
                title: "two separate /1 rule resources",
                resources: vpcRules(["0.0.0.0/1", "128.0.0.0/1"]),
                caughtBy: WORLD,
            },
            {
                title: "0.0.0.0/1 in a SecurityGroupRule",
                resources: ruleFrom({ cidrBlocks: ["0.0.0.0/1"] }),
                caughtBy: WORLD,
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
                caughtBy: WORLD,
            },
            {
                title: "172.16.0.0/11 (one bit wider than RFC 1918)",
                resources: inline(["172.16.0.0/11"]),
                caughtBy: WORLD,
            },
            {
                title: "100.64.0.0/9 (wider than RFC 6598)",
                resources: inline(["100.64.0.0/9"]),
                caughtBy: WORLD,
            },
        ],
    },
    {
        group: "split world-open IPv6",
        constructs: [
            { title: "::/1 + 8000::/1", resources: inline([], ["::/1", "8000::/1"]), caughtBy: WORLD },
            { title: "2000::/3 (global unicast)", resources: inline([], ["2000::/3"]), caughtBy: WORLD },
            { title: "two separate IPv6 rules", resources: vpcRules(["::/1", "8000::/1"]), caughtBy: WORLD },
            { title: "fc00::/6 (wider than ULA)", resources: inline([], ["fc00::/6"]), caughtBy: WORLD },
            {
                title: "IPv6 in a SecurityGroupRule",
                resources: ruleFrom({ ipv6CidrBlocks: ["2001:db8::/32"] }),
                caughtBy: WORLD,
            },
        ],
    },
    {
        group: "public /32",
        constructs: [
            { title: "8.8.8.8/32", resources: inline(["8.8.8.8/32"]), caughtBy: WORLD },
            {
                title: "a public /32 next to a private block",
                resources: inline(["10.0.0.0/8", "203.0.113.7/32"]),
                caughtBy: WORLD,
            },
            { title: "2001:db8::1/128", resources: vpcRules(["2001:db8::1/128"]), caughtBy: WORLD },
        ],
    },
    {
        group: "not private space: loopback, multicast, reserved",
        constructs: [
            { title: "127.0.0.0/8", resources: inline(["127.0.0.0/8"]), caughtBy: WORLD },
            { title: "224.0.0.0/4", resources: inline(["224.0.0.0/4"]), caughtBy: WORLD },
            { title: "240.0.0.0/4", resources: inline(["240.0.0.0/4"]), caughtBy: WORLD },
            { title: "::1/128", resources: inline([], ["::1/128"]), caughtBy: WORLD },
        ],
    },
    {
        group: "unreadable CIDR",
        constructs: [
            {
                title: "010.020.000.000/16 (leading zeros)",
                resources: inline(["010.020.000.000/16"]),
                caughtBy: WORLD,
            },
            { title: "10.0.0.1/8 (host bits set)", resources: inline(["10.0.0.1/8"]), caughtBy: WORLD },
            { title: "0.0.0.0/00", resources: vpcRules(["0.0.0.0/00"]), caughtBy: WORLD },
            { title: "a bare address", resources: inline(["10.0.0.1"]), caughtBy: WORLD },
            {
                title: "::ffff:0.0.0.0/96 (embedded IPv4)",
                resources: inline([], ["::ffff:0.0.0.0/96"]),
                caughtBy: WORLD,
            },
            {
                title: "fe80::1%eth0/64 (zone index)",
                resources: inline([], ["fe80::1%eth0/64"]),
                caughtBy: WORLD,
            },
        ],
    },
    {
        group: "prefix list from the stack",
        constructs: [
            {
                title: "a stack list with 0.0.0.0/1 and 128.0.0.0/1",
                resources: prefixListRule("pl-0clients", [stackList(["0.0.0.0/1", "128.0.0.0/1"])]),
                caughtBy: LISTS,
            },
            {
                title: "a stack list linked by dependency, holding 8.8.8.8/32",
                resources: [
                    {
                        ...stackList(["8.8.8.8/32"]),
                        props: { addressFamily: "IPv4", maxEntries: 5, entries: [{ cidr: "8.8.8.8/32" }] },
                    },
                    {
                        type: VPC_INGRESS,
                        name: "from-list",
                        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                        propertyDependencies: { prefixListId: [urnOf(PREFIX_LIST, "clients")] },
                    },
                ],
                caughtBy: LISTS,
            },
            {
                title: "a public ManagedPrefixListEntry added to a private stack list",
                resources: prefixListRule("pl-0clients", [
                    stackList(["10.0.0.0/8"]),
                    {
                        type: PREFIX_LIST_ENTRY,
                        name: "extra",
                        props: { prefixListId: "pl-0clients", cidr: "0.0.0.0/0" },
                    },
                ]),
                caughtBy: LISTS,
            },
            {
                title: "inline prefixListIds on a security group",
                resources: [
                    stackList(["::/0"]),
                    {
                        type: SG,
                        name: "db",
                        props: {
                            ingress: [
                                {
                                    protocol: "tcp",
                                    fromPort: 5432,
                                    toPort: 5432,
                                    prefixListIds: ["pl-0clients"],
                                },
                            ],
                        },
                    },
                ],
                caughtBy: LISTS,
            },
        ],
    },
    {
        group: "unknown prefix list",
        constructs: [
            {
                title: "a pl- ID not created in the stack",
                resources: prefixListRule("pl-0123456789abcdef0", []),
                caughtBy: LISTS,
            },
            {
                title: "a pl- ID in a SecurityGroupRule",
                resources: ruleFrom({ prefixListIds: ["pl-0123456789abcdef0"] }),
                caughtBy: LISTS,
            },
        ],
    },
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
    {
        group: "parameter-group name in another letter case",
        constructs: [
            {
                title: "cluster names DB-TLS, group is db-tls with rds.force_ssl=0",
                resources: clusterWithGroup("DB-TLS", "db-tls", "0"),
                caughtBy: "rds-parameter-group-forces-tls",
            },
        ],
    },
    {
        group: "connection strings outside the URL form",
        constructs: [
            {
                title: ".env blob with sslmode=disable",
                resources: ssm("DB_HOST=db.example\nDB_NAME=app\nsslmode=disable\n"),
                caughtBy: TLS,
            },
            {
                title: ".env blob with DATABASE_URL without verify-full",
                resources: ssm("export DATABASE_URL='postgres://db.example/app?sslmode=require'\nLOG=info"),
                caughtBy: TLS,
            },
            {
                title: ".env blob with PGSSLMODE=prefer",
                resources: ssm("PGHOST=db.example\nPGSSLMODE=prefer"),
                caughtBy: TLS,
            },
            {
                title: "a libpq keyword line in a multi-line blob",
                resources: ssm("# db\nhost=db.example dbname=app sslmode=allow"),
                caughtBy: TLS,
            },
            {
                title: 'JSON {"sslmode":"disable"}',
                resources: secretJson({ host: "db.example", sslmode: "disable" }),
                caughtBy: TLS,
            },
            {
                title: 'JSON {"ssl": false}',
                resources: secretJson({ host: "db.example", ssl: false }),
                caughtBy: TLS,
            },
            {
                title: 'JSON {"ssl": {"rejectUnauthorized": false}}',
                resources: secretJson({ host: "db.example", ssl: { rejectUnauthorized: false } }),
                caughtBy: TLS,
            },
            {
                title: 'JSON {"ssl-mode": "REQUIRED"}',
                resources: secretJson({ host: "db.example", "ssl-mode": "REQUIRED" }),
                caughtBy: TLS,
            },
            {
                title: "JDBC NonValidatingFactory next to verify-full",
                resources: ssm(
                    "jdbc:postgresql://db.example/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory",
                ),
                caughtBy: TLS,
            },
            {
                title: "keyword DSN with sslmode=verify-full and sslfactory",
                resources: ssm(
                    "host=db.example sslmode=verify-full sslfactory=org.postgresql.ssl.NonValidatingFactory",
                ),
                caughtBy: TLS,
            },
            {
                title: "MySQL sslaccept=accept_invalid_certs",
                resources: ssm(
                    "mysql://db.example/app?ssl-mode=VERIFY_IDENTITY&sslaccept=accept_invalid_certs",
                ),
                caughtBy: TLS,
            },
            {
                title: "MySQL ssl-mode=PREFERRED",
                resources: ssm("mysql://db.example/app?ssl-mode=PREFERRED"),
                caughtBy: TLS,
            },
            {
                title: "MySQL ssl-mode=VERIFY_CA",
                resources: ssm("mysql://db.example/app?ssl-mode=VERIFY_CA"),
                caughtBy: TLS,
            },
            {
                title: "MySQL ssl-mode=DISABLED",
                resources: ssm("mysql://db.example/app?ssl-mode=DISABLED"),
                caughtBy: TLS,
            },
            {
                title: "JDBC MySQL useSSL=false next to VERIFY_IDENTITY",
                resources: ssm("jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&useSSL=false"),
                caughtBy: TLS,
            },
            {
                title: "JDBC MySQL verifyServerCertificate=false",
                resources: ssm(
                    "jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&verifyServerCertificate=false",
                ),
                caughtBy: TLS,
            },
            {
                title: "trustServerCertificate=true",
                resources: ssm(
                    "jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&trustServerCertificate=true",
                ),
                caughtBy: TLS,
            },
            {
                title: "Npgsql SSL Mode=Require",
                resources: ssm("Host=db.example;Database=app;SSL Mode=Require"),
                caughtBy: TLS,
            },
            {
                title: "Npgsql VerifyFull with Trust Server Certificate=true",
                resources: ssm(
                    "Host=db.example;Database=app;SSL Mode=VerifyFull;Trust Server Certificate=true",
                ),
                caughtBy: TLS,
            },
        ],
    },
    {
        group: "Lambda and ECS environment variables",
        constructs: [
            {
                title: "Lambda DB_SSLMODE=disable",
                resources: lambda({ DB_SSLMODE: "disable" }),
                caughtBy: TLS,
            },
            { title: "Lambda PGSSLMODE=disable", resources: lambda({ PGSSLMODE: "disable" }), caughtBy: TLS },
            {
                title: "Lambda NODE_TLS_REJECT_UNAUTHORIZED=0",
                resources: lambda({ NODE_TLS_REJECT_UNAUTHORIZED: "0" }),
                caughtBy: TLS,
            },
            {
                title: "Lambda MYSQL_SSL_MODE=REQUIRED",
                resources: lambda({ MYSQL_SSL_MODE: "REQUIRED" }),
                caughtBy: TLS,
            },
            { title: "Lambda DB_SSL=false", resources: lambda({ DB_SSL: "false" }), caughtBy: TLS },
            {
                title: "Lambda variable holding a JSON config with ssl false",
                resources: lambda({ DB_CONFIG: '{"host":"db.example","ssl":false}' }),
                caughtBy: TLS,
            },
            {
                title: "ECS PGSSLMODE=require",
                resources: ecs([{ name: "PGSSLMODE", value: "require" }]),
                caughtBy: TLS,
            },
            {
                title: "ECS NODE_TLS_REJECT_UNAUTHORIZED=0",
                resources: ecs([{ name: "NODE_TLS_REJECT_UNAUTHORIZED", value: "0" }]),
                caughtBy: TLS,
            },
            {
                title: "ECS DATABASE_URL without sslmode",
                resources: ecs([{ name: "DATABASE_URL", value: "postgres://db.example/app" }]),
                caughtBy: TLS,
            },
        ],
    },
];

const SECURE: Array<{ group: string; constructs: Construct[] }> = [
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
            { title: "fe80::/10 (IPv6 link-local)", resources: vpcRules(["fe80::/10"]) },
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
    {
        group: "prefix lists that pass",
        constructs: [
            {
                title: "a stack list with private entries",
                resources: prefixListRule("pl-0clients", [stackList(["10.0.0.0/16", "192.168.1.0/24"])]),
            },
            {
                title: "a gateway endpoint's AWS-managed list, by value",
                resources: prefixListRule("pl-0dynamodb", [
                    {
                        type: ENDPOINT,
                        name: "dynamodb",
                        props: {
                            serviceName: "com.amazonaws.eu-west-1.dynamodb",
                            vpcEndpointType: "Gateway",
                            prefixListId: "pl-0dynamodb",
                        },
                    },
                ]),
            },
            {
                title: "a gateway endpoint's AWS-managed list, by dependency",
                resources: [
                    {
                        type: ENDPOINT,
                        name: "s3",
                        props: { serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" },
                    },
                    {
                        type: VPC_INGRESS,
                        name: "from-list",
                        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
                        propertyDependencies: { prefixListId: [urnOf(ENDPOINT, "s3")] },
                    },
                ],
            },
            {
                title: "an unknown pl- ID on a port that is no database port",
                resources: [
                    {
                        type: VPC_INGRESS,
                        name: "https",
                        props: {
                            ipProtocol: "tcp",
                            fromPort: 443,
                            toPort: 443,
                            prefixListId: "pl-0123456789abcdef0",
                        },
                    },
                ],
            },
        ],
    },
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
    {
        group: "parameter groups that pass",
        constructs: [
            {
                title: "cluster names DB-TLS, group db-tls forces TLS",
                resources: clusterWithGroup("DB-TLS", "db-tls", "1"),
            },
        ],
    },
    {
        group: "verify-full settings",
        constructs: [
            {
                title: "sslmode=verify-full with sslrootcert",
                resources: ssm(
                    "postgres://db.example/app?sslmode=verify-full&sslrootcert=/opt/AmazonRootCA1.pem",
                ),
            },
            {
                title: "JDBC verify-full with the default factory",
                resources: ssm(
                    "jdbc:postgresql://db.example/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory",
                ),
            },
            {
                title: "MySQL ssl-mode=VERIFY_IDENTITY with sslaccept=strict",
                resources: ssm("mysql://db.example/app?ssl-mode=VERIFY_IDENTITY&sslaccept=strict"),
            },
            {
                title: "JDBC MySQL sslMode=VERIFY_IDENTITY, useSSL=true",
                resources: ssm("jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&useSSL=true"),
            },
            {
                title: "Npgsql SSL Mode=VerifyFull",
                resources: ssm(
                    "Host=db.example;Database=app;SSL Mode=VerifyFull;Root Certificate=/opt/AmazonRootCA1.pem",
                ),
            },
            {
                title: "JSON ssl { rejectUnauthorized: true, ca }",
                resources: secretJson({
                    host: "db.example",
                    ssl: {
                        rejectUnauthorized: true,
                        ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                    },
                }),
            },
            {
                title: 'JSON {"sslmode": "verify-full"}',
                resources: secretJson({ host: "db.example", sslmode: "verify-full" }),
            },
            {
                title: "an RDS credentials secret",
                resources: secretJson({
                    username: "app",
                    password: "p=q;r s=t",
                    engine: "postgres",
                    host: "db.example",
                    port: 5432,
                }),
            },
            {
                title: ".env blob with verify-full",
                resources: ssm(
                    "PGHOST=db.example\nPGSSLMODE=verify-full\nPGSSLROOTCERT=/opt/AmazonRootCA1.pem\nDATABASE_URL=postgres://db.example/app?sslmode=verify-full",
                ),
            },
            {
                title: "Lambda DB_SSLMODE=verify-full and NODE_TLS_REJECT_UNAUTHORIZED=1",
                resources: lambda({
                    DB_SSLMODE: "verify-full",
                    NODE_TLS_REJECT_UNAUTHORIZED: "1",
                    LOG_LEVEL: "info",
                }),
            },
            {
                title: "Lambda SMTP_USE_SSL=false (not a database setting)",
                resources: lambda({ SMTP_USE_SSL: "false", MAIL_HOST: "smtp.example" }),
            },
            {
                title: "Lambda MYSQL_SSL_MODE=VERIFY_IDENTITY",
                resources: lambda({ MYSQL_SSL_MODE: "VERIFY_IDENTITY" }),
            },
            {
                title: "ECS PGSSLMODE=verify-full and a verify-full URL",
                resources: ecs([
                    { name: "PGSSLMODE", value: "verify-full" },
                    { name: "DATABASE_URL", value: "postgres://db.example/app?sslmode=verify-full" },
                ]),
            },
            {
                title: "text that is not a connection string",
                resources: ssm("https://example.com/?sslmode=disable"),
            },
            {
                title: "a PEM certificate",
                resources: ssm(
                    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----",
                ),
            },
        ],
    },
];

/** Every diagnostic the pack gives a construct: Analyze per resource, then AnalyzeStack over all of them. */
async function diagnose(
    pack: ReturnType<typeof useInProcessPack>,
    resources: readonly AnalyzedResource[],
): Promise<Diagnostic[]> {
    const found: Diagnostic[] = [];
    for (const r of resources) {
        found.push(...(await pack().analyze(r)));
    }
    found.push(...(await pack().analyzeStack(resources)));
    return found;
}

describe("policy pack in-process: ways around it", () => {
    const pack = useInProcessPack();
    const insecureCount = INSECURE.reduce((n, g) => n + g.constructs.length, 0);
    const secureCount = SECURE.reduce((n, g) => n + g.constructs.length, 0);

    describe(`insecure constructs (${insecureCount}), each caught`, () => {
        for (const group of INSECURE) {
            describe(group.group, () => {
                for (const c of group.constructs) {
                    it(`${c.title} (${c.caughtBy})`, async () => {
                        const diags = await diagnose(pack, c.resources);
                        assert.ok(
                            diags.some(
                                (d) => d.policyName === c.caughtBy && d.enforcementLevel === "mandatory",
                            ),
                            `expected a mandatory ${c.caughtBy} violation; got ${JSON.stringify(diags, null, 2)}`,
                        );
                    });
                }
            });
        }
    });

    describe(`secure constructs (${secureCount}), none flagged`, () => {
        for (const group of SECURE) {
            describe(group.group, () => {
                for (const c of group.constructs) {
                    it(c.title, async () => {
                        // A cluster whose group is in the stack still needs nothing else; the pack must say nothing.
                        assert.deepEqual(await diagnose(pack, c.resources), []);
                    });
                }
            });
        }
    });
});
