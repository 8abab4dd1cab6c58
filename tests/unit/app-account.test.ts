/**
 * The app-account stack's resource graph under mocks: which resources, with which security-relevant inputs,
 * under which provider and parent, for the variants the consumer supports; and its outputs.
 *
 * What a mock test cannot prove: that AWS accepts the endpoint (service acceptance, AZ availability), that
 * Route 53 answers the alias inside the VPC, or that a client's TLS verification succeeds. Invokes answer
 * what the tables below say the app account has.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ContractError } from "../../stacks/app-account/contract";
import { enginePort, type Engine } from "../../vocabulary/engines";
import { ConfigError } from "../../stacks/config/kit";
import { awsCalls, dbAccountState, exampleConfig } from "../support/fixtures";
import {
    CallHandler,
    ofType,
    parentType,
    providerName,
    RecordedResource,
    runStack,
    single,
    StackRun,
} from "../../tools/recording/harness";

const PRODUCER = "organization/rds-cross-account/db-account";
const F = "Pulumi.app-account.yaml";
const SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
const WRITER = "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
/** The read-only endpoint as clients dial it: a one-label alias under proxy-<id>, which the certificate covers. */
const READER = "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
/** The read-only endpoint's real name: what IAM tokens for it are signed for, and what older producers exported. */
const READER_REAL = "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
const ROLE = "arn:aws:iam::111111111111:role/db-account-connect-orders";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-orders-AbCdEf";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001";
const POLICY_ARN = "arn:aws:iam::222222222222:policy/app-account-access-policy";
const VPCE_DNS = "vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com";
const VPCE_ZONE = "Z38GZ743OKFT7T";
const VPC = "vpc-0d000000000000001";

/** AZs of eu-west-1 as the app account sees them: the same names map to other IDs than in the db account. */
const appZones = {
    names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    zoneIds: ["euw1-az2", "euw1-az3", "euw1-az1"],
};

/** Subnets of the app account's existing VPC, by ID: their AZ ID. */
const subnets: Record<string, { vpcId: string; availabilityZoneId: string }> = {
    "subnet-0d000000000000001": { vpcId: VPC, availabilityZoneId: "euw1-az2" },
    "subnet-0d000000000000002": { vpcId: VPC, availabilityZoneId: "euw1-az3" },
    "subnet-0d000000000000003": { vpcId: VPC, availabilityZoneId: "euw1-az1" },
};
const [S1, S2, S3] = Object.keys(subnets);

/** Security groups of the app account: two in the VPC, one elsewhere. */
const groups: Record<string, string> = {
    "sg-0d000000000000001": VPC,
    "sg-0d000000000000002": VPC,
    "sg-0e000000000000001": "vpc-0e000000000000001",
};

/** DNS attributes of the existing VPC; tests that need them off change this and restore it. */
const vpcDns = { enableDnsSupport: true, enableDnsHostnames: true };

/** Subnet IDs the mocked awsx VPC reports, one per AZ it was given. */
const newVpcSubnets = ["subnet-0f000000000000001", "subnet-0f000000000000002", "subnet-0f000000000000003"];

const calls: CallHandler = (token, inputs) => {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { ...appZones, id: "eu-west-1", groupNames: [] };
        case "aws:ec2/getSubnet:getSubnet": {
            const id = String(inputs.id);
            if (!subnets[id])
                throw new Error(`InvalidSubnetID.NotFound: The subnet ID '${id}' does not exist`);
            return { id, ...subnets[id] };
        }
        case "aws:ec2/getVpc:getVpc": {
            const id = String(inputs.id);
            if (id !== VPC) throw new Error(`InvalidVpcID.NotFound: The vpc ID '${id}' does not exist`);
            return { id, cidrBlock: "10.40.0.0/16", ...vpcDns };
        }
        case "aws:ec2/getSecurityGroup:getSecurityGroup": {
            const id = String(inputs.id);
            if (!groups[id])
                throw new Error(`InvalidGroup.NotFound: The security group '${id}' does not exist`);
            return { id, vpcId: groups[id] };
        }
        default:
            return undefined;
    }
};

function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "awsx:ec2:Vpc": {
            const count = (inputs.availabilityZoneNames as string[]).length;
            return { vpcId: "vpc-0f000000000000001", isolatedSubnetIds: newVpcSubnets.slice(0, count) };
        }
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            // AWS lists the regional name first, then one per AZ.
            return {
                dnsEntries: [
                    { dnsName: VPCE_DNS, hostedZoneId: VPCE_ZONE },
                    {
                        dnsName: VPCE_DNS.replace("-abcdefgh.", "-abcdefgh-eu-west-1a."),
                        hostedZoneId: VPCE_ZONE,
                    },
                ],
            };
        case "aws:route53/zone:Zone":
            return { zoneId: `Z-${name}` };
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::222222222222:policy/${name}` };
        default:
            return {};
    }
}

interface ContractOptions {
    engine?: Engine;
    azIds?: string[];
    readOnly?: boolean;
    region?: string;
    /**
     * How this account's applications authenticate (the contract lists another account too); `none`: a contract
     * of an earlier producer, without credentials, database name, idle timeout or read-only alias.
     */
    credentials?: "iam" | "password" | "none";
}

/** Another consumer account of the same producer, so that picking this account's entry is tested. */
const OTHER_CONSUMER = {
    accountId: "333333333333",
    databaseUser: "billing",
    auth: "iam",
    connectRoleArn: "arn:aws:iam::111111111111:role/db-account-connect-billing",
};

/** This account's entry, per mode. */
function ownEntry(auth: "iam" | "password"): Record<string, unknown> {
    return auth === "iam"
        ? { accountId: "222222222222", databaseUser: "orders", auth, connectRoleArn: ROLE }
        : { accountId: "222222222222", databaseUser: "orders", auth, secretArn: SECRET, secretKeyArn: KEY };
}

function contract(o: ContractOptions = {}): Record<string, unknown> {
    const port = enginePort(o.engine ?? "aurora-postgresql");
    return {
        version: 1,
        region: "eu-west-1",
        engine: o.engine ?? "aurora-postgresql",
        port,
        endpointServiceName: SERVICE,
        availabilityZoneIds: o.azIds ?? ["euw1-az3", "euw1-az1", "euw1-az2"],
        proxyEndpoint: WRITER,
        ...(o.readOnly === false
            ? {}
            : o.credentials === "none"
              ? { readOnlyEndpoint: READER_REAL, readOnlyPort: port + 1 }
              : { readOnlyEndpoint: READER, readOnlyPort: port + 1, readOnlyProxyEndpoint: READER_REAL }),
        ...(o.credentials === "none"
            ? {}
            : {
                  idleTimeoutSeconds: 300,
                  databaseName: "app",
                  consumers: [OTHER_CONSUMER, ownEntry(o.credentials ?? "iam")],
              }),
        tls: { sslmode: "verify-full" },
    };
}

// The canary is on by default; tests/unit/canary.test.ts covers it, so these tests see the rest of the graph only.
const base = {
    role: "app-account",
    accountId: "222222222222",
    producerStack: PRODUCER,
    canary: { enabled: false },
};
const newVpc = { ...base, network: { cidrBlock: "10.30.0.0/16", azCount: 3 } };
const existingVpc = (subnetIds: string[], extra: Record<string, unknown> = {}) => ({
    ...base,
    network: { vpcId: VPC, subnetIds },
    ...extra,
});

/** Runs the stack against a contract; the harness records the warnings it logs. */
function run(
    config: Record<string, unknown>,
    contractValue: Record<string, unknown> = contract(),
    options: { preview?: boolean; extraConfig?: Record<string, string> } = {},
): Promise<StackRun> {
    return runStack({
        stack: "app-account",
        config,
        calls,
        state,
        stackOutputs: { [PRODUCER]: { contract: contractValue } },
        ...options,
    });
}

function ok(result: StackRun): void {
    if (result.error) throw result.error;
}

/** [type, name] of every resource, sorted, for exact comparisons. */
function inventory(result: StackRun): string[][] {
    return result.resources.map((r) => [r.type, r.name]).sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

function byName(result: StackRun, name: string): RecordedResource {
    const found = result.resources.filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, `expected one resource named ${name}`);
    return found[0];
}

const T = {
    ref: "pulumi:pulumi:StackReference",
    provider: "pulumi:providers:aws",
    vpc: "awsx:ec2:Vpc",
    endpoint: "rds-cross-account:consumer:InterfaceEndpoint",
    dns: "rds-cross-account:consumer:ProxyDns",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
    zone: "aws:route53/zone:Zone",
    record: "aws:route53/record:Record",
    access: "rds-cross-account:consumer:ApplicationAccess",
    policy: "aws:iam/policy:Policy",
    api: "rds-cross-account:consumer:ApiEndpoint",
    alarms: "rds-cross-account:monitoring:ConsumerPathAlarms",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topicComponent: "rds-cross-account:monitoring:AlarmTopic",
    key: "aws:kms/key:Key",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
};

/** The interface endpoint to the API a mode's applications call, which the stack adds to a VPC it builds. */
function apiInventory(service: "sts" | "secretsmanager"): string[][] {
    const name = `app-account-api-${service}`;
    return [
        [T.api, name],
        [T.sg, `${name}-sg`],
        [T.ingress, `${name}-from-client`],
        [T.egress, `${name}-client-to-endpoint`],
        [T.vpce, `${name}-vpce`],
    ];
}

/** The warning of a stack in an existing VPC, whose applications must reach the API of their mode themselves. */
const stsWarning =
    `Applications in ${VPC} call sts.eu-west-1.amazonaws.com to assume the connect role: the VPC ` +
    "needs an interface endpoint to com.amazonaws.eu-west-1.sts with private DNS that admits HTTPS from the client " +
    "security groups, or a route out. This stack creates that endpoint only in a VPC it builds.";

/** What the stack registers for the default config (client group created, private DNS on), minus the network. */
function defaultInventory(ports: number[], readOnly: boolean, credentials = true): string[][] {
    const rows = [
        ...(credentials
            ? [
                  [T.access, "app-account-access"],
                  [T.policy, "app-account-access-policy"],
              ]
            : []),
        [T.ref, "app-account-producer"],
        [T.provider, "app-account-aws"],
        [T.endpoint, "app-account-endpoint"],
        [T.sg, "app-account-endpoint-sg"],
        [T.sg, "app-account-endpoint-client-sg"],
        [T.vpce, "app-account-endpoint-vpce"],
        ...ports.map((p) => [T.ingress, `app-account-endpoint-from-client-${p}`]),
        ...ports.map((p) => [T.egress, `app-account-endpoint-client-to-endpoint-${p}`]),
        [T.dns, "app-account-dns"],
        // The endpoint's alarm, dashboard and topic (tests/unit/alarms.test.ts).
        [T.alarms, "app-account-alarms"],
        [T.alarm, "app-account-alarms-endpoint-packets-dropped"],
        [T.dashboard, "app-account-alarms-dashboard"],
        [T.topicComponent, "app-account-alarm-topic"],
        [T.key, "app-account-alarm-topic-key"],
        [T.topic, "app-account-alarm-topic-topic"],
        [T.topicPolicy, "app-account-alarm-topic-policy"],
        [T.zone, "app-account-dns-writer-zone"],
        [T.record, "app-account-dns-writer-alias"],
        ...(readOnly
            ? [
                  [T.zone, "app-account-dns-reader-zone"],
                  [T.record, "app-account-dns-reader-alias"],
              ]
            : []),
    ];
    return rows.sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

describe("app-account stack", () => {
    describe("new VPC", () => {
        it("builds the VPC in the offered AZs and places the endpoint in every shared AZ ID", async () => {
            // The service is offered in az1 and az3; the app account calls them eu-west-1c and eu-west-1b.
            const result = await run(
                { ...base, network: { cidrBlock: "10.30.0.0/16", azCount: 2 } },
                contract({ azIds: ["euw1-az1", "euw1-az3"] }),
            );
            ok(result);
            assert.deepStrictEqual(
                inventory(result),
                [
                    ...defaultInventory([5432, 5433], true),
                    ...apiInventory("sts"),
                    [T.vpc, "app-account-vpc"],
                ].sort((a, b) => (a.join() < b.join() ? -1 : 1)),
            );
            // Isolated subnets only, no NAT: nothing in the VPC is reachable from, or reaches, the internet.
            assert.deepStrictEqual(single(result, T.vpc).inputs, {
                cidrBlock: "10.30.0.0/16",
                availabilityZoneNames: ["eu-west-1b", "eu-west-1c"],
                enableDnsHostnames: true,
                enableDnsSupport: true,
                natGateways: { strategy: "None" },
                subnetSpecs: [{ name: "isolated", type: "Isolated" }],
                subnetStrategy: "Auto",
            });
            const vpce = byName(result, "app-account-endpoint-vpce");
            assert.strictEqual(vpce.inputs.vpcId, "vpc-0f000000000000001");
            assert.deepStrictEqual(vpce.inputs.subnetIds, newVpcSubnets.slice(0, 2));
            assert.deepStrictEqual(result.outputs.endpointAzIds, ["euw1-az3", "euw1-az1"]);
            assert.deepStrictEqual(result.outputs.subnetIds, newVpcSubnets.slice(0, 2));
            assert.strictEqual(result.outputs.vpcId, "vpc-0f000000000000001");
            assert.deepStrictEqual(result.warnings, []);
        });

        it("warns when the region has only one of the offered AZ IDs", async () => {
            const result = await run(newVpc, contract({ azIds: ["euw1-az1", "euw1-az9"] }));
            ok(result);
            assert.deepStrictEqual(single(result, T.vpc).inputs.availabilityZoneNames, [
                "eu-west-1a",
                "eu-west-1b",
                "eu-west-1c",
            ]);
            assert.deepStrictEqual(byName(result, "app-account-endpoint-vpce").inputs.subnetIds, [
                newVpcSubnets[2],
            ]);
            assert.deepStrictEqual(result.warnings, [
                `The interface endpoint to ${SERVICE} is in one AZ only (euw1-az1): the path to the database has no ` +
                    `AZ redundancy. The service is offered in euw1-az1, euw1-az9, and only one of those AZ IDs is available ` +
                    `to this account; offer the service in more AZs from the db-account stack.`,
            ]);
        });

        it("fails before creating anything when no AZ of the region has an offered AZ ID", async () => {
            const result = await run(newVpc, contract({ azIds: ["euw1-az8", "euw1-az9"] }));
            assert.ok(result.error instanceof ConfigError, String(result.error));
            assert.deepStrictEqual(
                result.error.problems.map((p) => p.message),
                [
                    `Config 'rds-cross-account:network' is {"cidrBlock":"10.30.0.0/16","azCount":3}, but its subnets ` +
                        `are in AZ IDs euw1-az2, euw1-az3, euw1-az1, and the ` +
                        `endpoint service of ${PRODUCER} is offered only in AZ IDs euw1-az8, euw1-az9; PrivateLink ` +
                        `matches AZs by ID, so there is no AZ to place the interface endpoint in. No available AZ of ` +
                        `this account has one of those IDs (a new VPC is placed in them when it can), so offer the ` +
                        `service in one of euw1-az2, euw1-az3, euw1-az1 from the db-account stack.`,
                ],
            );
            assert.deepStrictEqual(inventory(result), [
                [T.provider, "app-account-aws"],
                [T.ref, "app-account-producer"],
            ]);
        });

        it("reports an azCount larger than the region", async () => {
            const result = await run({ ...base, network: { cidrBlock: "10.30.0.0/16", azCount: 4 } });
            assert.ok(result.error instanceof ConfigError, String(result.error));
            assert.deepStrictEqual(
                result.error.problems.map((p) => p.message),
                [
                    `Config 'rds-cross-account:network.azCount' is 4, but the region has only 3 available AZs ` +
                        `(eu-west-1a, eu-west-1b, eu-west-1c). Set 'network.azCount' in ${F} to at most 3.`,
                ],
            );
            assert.strictEqual(ofType(result, T.vpce).length, 0);
        });
    });

    describe("existing VPC: AZ-ID matching (table)", () => {
        // subnet 1 is in euw1-az2, subnet 2 in euw1-az3, subnet 3 in euw1-az1.
        const cases: {
            name: string;
            offered: string[];
            subnetIds: string[];
            endpointSubnets: string[];
            single: boolean;
        }[] = [
            {
                name: "1 offered, 1 shared",
                offered: ["euw1-az1"],
                subnetIds: [S1, S3],
                endpointSubnets: [S3],
                single: true,
            },
            {
                name: "2 offered, 1 shared",
                offered: ["euw1-az1", "euw1-az2"],
                subnetIds: [S1, S2],
                endpointSubnets: [S1],
                single: true,
            },
            {
                name: "2 offered, 2 shared",
                offered: ["euw1-az1", "euw1-az2"],
                subnetIds: [S1, S2, S3],
                endpointSubnets: [S1, S3],
                single: false,
            },
            {
                name: "3 offered, 2 subnets",
                offered: ["euw1-az1", "euw1-az2", "euw1-az3"],
                subnetIds: [S2, S3],
                endpointSubnets: [S2, S3],
                single: false,
            },
            {
                name: "3 offered, 3 subnets in another order",
                offered: ["euw1-az1", "euw1-az2", "euw1-az3"],
                subnetIds: [S3, S2, S1],
                endpointSubnets: [S3, S2, S1],
                single: false,
            },
        ];
        for (const c of cases) {
            it(c.name, async () => {
                const result = await run(existingVpc(c.subnetIds), contract({ azIds: c.offered }));
                ok(result);
                const vpce = byName(result, "app-account-endpoint-vpce");
                assert.strictEqual(vpce.inputs.vpcId, VPC);
                assert.deepStrictEqual(vpce.inputs.subnetIds, c.endpointSubnets);
                assert.strictEqual(ofType(result, T.vpc).length, 0);
                assert.deepStrictEqual(result.outputs.subnetIds, c.subnetIds);
                assert.deepStrictEqual(
                    result.outputs.endpointAzIds,
                    c.endpointSubnets.map((id) => subnets[id].availabilityZoneId),
                );
                // One warning for a single shared AZ; the other is that the applications must reach STS themselves.
                assert.strictEqual(result.warnings.length, c.single ? 2 : 1);
                assert.strictEqual(result.warnings.at(-1), stsWarning);
            });
        }

        const noOverlap: { name: string; offered: string[]; subnetIds: string[]; ours: string }[] = [
            {
                name: "1 offered, none shared",
                offered: ["euw1-az1"],
                subnetIds: [S1, S2],
                ours: "euw1-az2, euw1-az3",
            },
            {
                name: "2 offered, none shared",
                offered: ["euw1-az3", "euw1-az4"],
                subnetIds: [S1, S3],
                ours: "euw1-az2, euw1-az1",
            },
            {
                name: "3 offered in other AZ IDs, none shared",
                offered: ["euw1-az4", "euw1-az5", "euw1-az6"],
                subnetIds: [S1, S2, S3],
                ours: "euw1-az2, euw1-az3, euw1-az1",
            },
        ];
        for (const c of noOverlap) {
            it(`fails before creating anything: ${c.name}`, async () => {
                const result = await run(existingVpc(c.subnetIds), contract({ azIds: c.offered }));
                assert.ok(result.error instanceof ConfigError, String(result.error));
                const offered = c.offered.join(", ");
                assert.deepStrictEqual(
                    result.error.problems.map((p) => p.message),
                    [
                        `Config 'rds-cross-account:network.subnetIds' is ${JSON.stringify(c.subnetIds)}, but they ` +
                            `are in AZ IDs ${c.ours}, and the endpoint ` +
                            `service of ${PRODUCER} is offered only in AZ IDs ${offered}; PrivateLink matches AZs by ID, ` +
                            `so there is no AZ to place the interface endpoint in. Add a subnet in one of ${offered} to ` +
                            `'network.subnetIds' in ${F}, or offer the service in one of ${c.ours} from the db-account stack.`,
                    ],
                );
                assert.deepStrictEqual(inventory(result), [
                    [T.provider, "app-account-aws"],
                    [T.ref, "app-account-producer"],
                ]);
            });
        }

        it("warns once, naming the single AZ and the offered ones", async () => {
            const result = await run(existingVpc([S1, S3]), contract({ azIds: ["euw1-az1"] }));
            ok(result);
            assert.deepStrictEqual(result.warnings, [
                `The interface endpoint to ${SERVICE} is in one AZ only (euw1-az1): the path to the database has no ` +
                    `AZ redundancy. The service is offered in euw1-az1; add subnets in more of those AZ IDs to ` +
                    `'network.subnetIds', or offer the service in more AZs from the db-account stack.`,
                stsWarning,
            ]);
        });
    });

    describe("engines and the read-only endpoint", () => {
        const cases = [
            { engine: "aurora-postgresql" as const, readOnly: true, ports: [5432, 5433] },
            { engine: "aurora-postgresql" as const, readOnly: false, ports: [5432] },
            { engine: "aurora-mysql" as const, readOnly: true, ports: [3306, 3307] },
            { engine: "aurora-mysql" as const, readOnly: false, ports: [3306] },
            { engine: "postgres" as const, readOnly: true, ports: [5432, 5433] },
            { engine: "mysql" as const, readOnly: true, ports: [3306, 3307] },
            { engine: "mariadb" as const, readOnly: true, ports: [3306, 3307] },
        ];
        for (const c of cases) {
            it(`${c.engine}, ${c.readOnly ? "with" : "without"} a read-only endpoint`, async () => {
                const result = await run(
                    existingVpc([S1, S2, S3]),
                    contract({ engine: c.engine, readOnly: c.readOnly }),
                );
                ok(result);
                assert.deepStrictEqual(inventory(result), defaultInventory(c.ports, c.readOnly));

                // The endpoint's group admits exactly the client group, on exactly the proxy ports.
                for (const port of c.ports) {
                    assert.deepStrictEqual(
                        byName(result, `app-account-endpoint-from-client-${port}`).inputs,
                        {
                            securityGroupId: "app-account-endpoint-sg-id",
                            ipProtocol: "tcp",
                            fromPort: port,
                            toPort: port,
                            referencedSecurityGroupId: "app-account-endpoint-client-sg-id",
                            description: `Database clients in the client security group on TCP ${port}`,
                        },
                    );
                    assert.deepStrictEqual(
                        byName(result, `app-account-endpoint-client-to-endpoint-${port}`).inputs,
                        {
                            securityGroupId: "app-account-endpoint-client-sg-id",
                            ipProtocol: "tcp",
                            fromPort: port,
                            toPort: port,
                            referencedSecurityGroupId: "app-account-endpoint-sg-id",
                            description: `To the database interface endpoint on TCP ${port}`,
                        },
                    );
                }

                const hosts = c.readOnly
                    ? [
                          ["writer", WRITER],
                          ["reader", READER],
                      ]
                    : [["writer", WRITER]];
                for (const [key, host] of hosts) {
                    assert.deepStrictEqual(byName(result, `app-account-dns-${key}-zone`).inputs, {
                        name: host,
                        comment: `Answers ${host} with the interface endpoint to the database account (rds-cross-account)`,
                        vpcs: [{ vpcId: VPC }],
                    });
                    assert.deepStrictEqual(byName(result, `app-account-dns-${key}-alias`).inputs, {
                        zoneId: `Z-app-account-dns-${key}-zone`,
                        name: host,
                        type: "A",
                        aliases: [{ name: VPCE_DNS, zoneId: VPCE_ZONE, evaluateTargetHealth: false }],
                    });
                }
                assert.deepStrictEqual(
                    result.outputs.privateZoneIds,
                    Object.fromEntries(hosts.map(([key]) => [key, `Z-app-account-dns-${key}-zone`])),
                );
            });
        }

        it("exports, from a producer that describes no credentials, the connection with placeholders", async () => {
            const result = await run(existingVpc([S1, S2, S3]), contract({ credentials: "none" }));
            ok(result);
            const { writer, readOnly, ...rest } = result.outputs.connection as Record<string, unknown>;
            // The contract of this test has no idle timeout (producers before it did not export one): the
            // path's 350 s limit is the bound, so pools retire connections after 280 s.
            const keepalive = {
                pathIdleTimeoutSeconds: 350,
                poolIdleTimeoutSeconds: 280,
                tcpKeepaliveSeconds: 60,
                libpq: "keepalives=1 keepalives_idle=60 keepalives_interval=10 keepalives_count=3",
                nodePostgres:
                    "new pg.Pool({ keepAlive: true, keepAliveInitialDelayMillis: 60000, idleTimeoutMillis: 280000, ... })",
                mysql2: "mysql.createPool({ enableKeepAlive: true, keepAliveInitialDelay: 60000, connectionLimit: 10, maxIdle: 9, idleTimeout: 280000, ... })",
                jdbc:
                    "tcpKeepAlive=true in the JDBC URL (the OS keepalive timer applies: set net.ipv4.tcp_keepalive_time " +
                    "to 60 or less); HikariCP: idleTimeout=280000, keepaliveTime=60000",
            };
            assert.deepStrictEqual(rest, {
                host: WRITER,
                port: 5432,
                readOnlyHost: READER_REAL,
                readOnlyPort: 5433,
                engine: "aurora-postgresql",
                credentials:
                    "The producer's contract does not describe application credentials (a db-account stack of an " +
                    "earlier release): ask the database account for a user and how it authenticates. Nothing secret " +
                    "crosses the contract.",
                sslmode: "verify-full",
                caCertificateUrl: "https://www.amazontrust.com/repository/AmazonRootCA1.pem",
                caNote:
                    "RDS Proxy presents a certificate issued by AWS Certificate Manager, which chains to Amazon Root " +
                    "CA 1: trust that root. The RDS CA bundle (global-bundle.pem, rds-ca-*) signs the certificates of " +
                    "DB instances and clusters, not of a proxy, and fails verification here.",
                dns: `Private hosted zones of this stack answer ${WRITER} and ${READER_REAL} with the interface endpoint inside the VPC.`,
                keepalive,
            });
            const ca = `ssl: { ca: readFileSync("AmazonRootCA1.pem", "utf8"), rejectUnauthorized: true },`;
            for (const [endpoint, host, port] of [
                [writer, WRITER, 5432],
                [readOnly, READER_REAL, 5433],
            ] as const) {
                assert.deepStrictEqual(endpoint, {
                    host,
                    port,
                    database: "<database>",
                    user: "<user>",
                    sslmode: "verify-full",
                    caCertificateUrl: "https://www.amazontrust.com/repository/AmazonRootCA1.pem",
                    keepalive,
                    examples: {
                        cli:
                            `psql "host=${host} port=${port} dbname=<database> user=<user> sslmode=verify-full ` +
                            `sslrootcert=AmazonRootCA1.pem ${keepalive.libpq}"`,
                        url: `postgresql://<user>@${host}:${port}/<database>?sslmode=verify-full&sslrootcert=AmazonRootCA1.pem`,
                        node: [
                            `import { readFileSync } from "node:fs";`,
                            `import pg from "pg";`,
                            `const pool = new pg.Pool({`,
                            `    host: "${host}", port: ${port}, database: "<database>", user: "<user>",`,
                            `    password: process.env.PGPASSWORD,`,
                            `    ${ca}`,
                            `    keepAlive: true, keepAliveInitialDelayMillis: 60000, idleTimeoutMillis: 280000,`,
                            `});`,
                        ].join("\n"),
                        jdbc:
                            `jdbc:postgresql://${host}:${port}/<database>?sslmode=verify-full&sslrootcert=` +
                            `AmazonRootCA1.pem&tcpKeepAlive=true`,
                    },
                });
            }
            // No policy without credentials to reach.
            assert.deepStrictEqual(ofType(result, T.access), []);
            assert.deepStrictEqual(ofType(result, T.policy), []);
            assert.ok(!("applicationPolicyArn" in result.outputs));
            assert.strictEqual(result.outputs.endpointId, "app-account-endpoint-vpce-id");
            assert.strictEqual(result.outputs.endpointDnsName, VPCE_DNS);
            assert.strictEqual(result.outputs.clientSecurityGroupId, "app-account-endpoint-client-sg-id");
            assert.strictEqual(result.outputs.endpointSecurityGroupId, "app-account-endpoint-sg-id");
        });
    });

    describe("application credentials", () => {
        const keepalive300 = {
            proxyIdleTimeoutSeconds: 300,
            pathIdleTimeoutSeconds: 350,
            poolIdleTimeoutSeconds: 240,
            tcpKeepaliveSeconds: 60,
            libpq: "keepalives=1 keepalives_idle=60 keepalives_interval=10 keepalives_count=3",
            nodePostgres:
                "new pg.Pool({ keepAlive: true, keepAliveInitialDelayMillis: 60000, idleTimeoutMillis: 240000, ... })",
            mysql2: "mysql.createPool({ enableKeepAlive: true, keepAliveInitialDelay: 60000, connectionLimit: 10, maxIdle: 9, idleTimeout: 240000, ... })",
            jdbc:
                "tcpKeepAlive=true in the JDBC URL (the OS keepalive timer applies: set net.ipv4.tcp_keepalive_time " +
                "to 60 or less); HikariCP: idleTimeout=240000, keepaliveTime=60000",
        };
        const ca = `ssl: { ca: readFileSync("AmazonRootCA1.pem", "utf8"), rejectUnauthorized: true },`;
        const token = (host: string) =>
            `aws rds generate-db-auth-token --profile db-connect --hostname ${host} --port 5432 --username orders ` +
            `--region eu-west-1`;

        it("iam: this account's user, the connect role, and tokens signed for the proxy's own names and port", async () => {
            const result = await run(existingVpc([S1, S2, S3]), contract({ credentials: "iam" }));
            ok(result);
            const connection = result.outputs.connection as Record<string, unknown>;
            assert.strictEqual(connection.auth, "iam");
            assert.strictEqual(
                connection.credentials,
                `IAM: assume ${ROLE} (attach the policy of output applicationPolicyArn to the application's role), ` +
                    `sign an RDS auth token with those credentials for tokenHost and tokenPort, and send it as the ` +
                    `password of user orders. Tokens live 15 minutes: sign one per new connection.`,
            );
            assert.deepStrictEqual(
                [connection.host, connection.port, connection.readOnlyHost, connection.readOnlyPort],
                [WRITER, 5432, READER, 5433],
            );
            // The writer signs for the name it dials; the read-only endpoint dials the alias on its own listener
            // port and signs for its real name on the proxy's port.
            for (const [key, host, port, tokenHost] of [
                ["writer", WRITER, 5432, WRITER],
                ["readOnly", READER, 5433, READER_REAL],
            ] as const) {
                assert.deepStrictEqual(connection[key], {
                    host,
                    port,
                    database: "app",
                    user: "orders",
                    auth: "iam",
                    tokenHost,
                    tokenPort: 5432,
                    tokenRegion: "eu-west-1",
                    connectRoleArn: ROLE,
                    sslmode: "verify-full",
                    caCertificateUrl: "https://www.amazontrust.com/repository/AmazonRootCA1.pem",
                    keepalive: keepalive300,
                    examples: {
                        profile: {
                            ec2:
                                `aws configure set profile.db-connect.role_arn ${ROLE} && ` +
                                `aws configure set profile.db-connect.credential_source Ec2InstanceMetadata`,
                            ecs:
                                `aws configure set profile.db-connect.role_arn ${ROLE} && ` +
                                `aws configure set profile.db-connect.credential_source EcsContainer`,
                            eksPodIdentity:
                                `aws configure set profile.db-connect.role_arn ${ROLE} && ` +
                                `aws configure set profile.db-connect.credential_source EcsContainer`,
                            eksIrsa:
                                `aws configure set profile.pod.role_arn "$AWS_ROLE_ARN" && ` +
                                `aws configure set profile.pod.web_identity_token_file "$AWS_WEB_IDENTITY_TOKEN_FILE" && ` +
                                `aws configure set profile.db-connect.role_arn ${ROLE} && ` +
                                `aws configure set profile.db-connect.source_profile pod`,
                            lambda:
                                `export AWS_CONFIG_FILE=/tmp/aws-config && ` +
                                `aws configure set profile.db-connect.role_arn ${ROLE} && ` +
                                `aws configure set profile.db-connect.credential_source Environment`,
                        },
                        credential: token(tokenHost),
                        cli:
                            `PGPASSWORD="$(${token(tokenHost)})" psql "host=${host} port=${port} dbname=app ` +
                            `user=orders sslmode=verify-full sslrootcert=AmazonRootCA1.pem ${keepalive300.libpq}"`,
                        url: `postgresql://orders@${host}:${port}/app?sslmode=verify-full&sslrootcert=AmazonRootCA1.pem`,
                        node: [
                            `import { readFileSync } from "node:fs";`,
                            `import { Signer } from "@aws-sdk/rds-signer";`,
                            `import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";`,
                            `import pg from "pg";`,
                            `// Signed for the proxy's own name and port, which RDS checks the token against; dialled below.`,
                            `const signer = new Signer({`,
                            `    hostname: "${tokenHost}", port: 5432, username: "orders", region: "eu-west-1",`,
                            `    credentials: fromTemporaryCredentials({ params: { RoleArn: "${ROLE}", RoleSessionName: "db-connect" } }),`,
                            `});`,
                            `const pool = new pg.Pool({`,
                            `    host: "${host}", port: ${port}, database: "app", user: "orders",`,
                            `    password: () => signer.getAuthToken(),`,
                            `    ${ca}`,
                            `    keepAlive: true, keepAliveInitialDelayMillis: 60000, idleTimeoutMillis: 240000,`,
                            `});`,
                        ].join("\n"),
                        jdbc:
                            `jdbc:aws-wrapper:postgresql://${host}:${port}/app?user=orders&wrapperPlugins=iam` +
                            `&iamHost=${tokenHost}&iamDefaultPort=5432&iamRegion=eu-west-1&sslmode=verify-full` +
                            `&sslrootcert=AmazonRootCA1.pem&tcpKeepAlive=true`,
                    },
                });
            }
            assert.deepStrictEqual(byName(result, "app-account-access-policy").inputs, {
                description: `Lets an application assume the database connect role of ${PRODUCER}`,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AssumeDatabaseConnectRole",
                            Effect: "Allow",
                            Action: "sts:AssumeRole",
                            Resource: ROLE,
                        },
                    ],
                }),
            });
            assert.strictEqual(result.outputs.applicationPolicyArn, POLICY_ARN);
        });

        it("password (MySQL): this account's secret and key, no token, and a policy to read and decrypt it", async () => {
            const result = await run(
                existingVpc([S1, S2, S3]),
                contract({ credentials: "password", engine: "aurora-mysql", readOnly: false }),
            );
            ok(result);
            const connection = result.outputs.connection as Record<string, unknown>;
            assert.strictEqual(connection.auth, "password");
            assert.strictEqual(connection.readOnly, undefined);
            assert.strictEqual(
                connection.credentials,
                `Password: read the password of user orders from ${SECRET} (attach the policy of output ` +
                    `applicationPolicyArn to the application's role; it may also decrypt with ${KEY}). Read it for ` +
                    `each new connection, or again after an authentication failure, so that a new password is picked up.`,
            );
            const read =
                `aws secretsmanager get-secret-value --secret-id ${SECRET} --region eu-west-1 --query SecretString ` +
                `--output text | jq -r .password`;
            assert.deepStrictEqual(connection.writer, {
                host: WRITER,
                port: 3306,
                database: "app",
                user: "orders",
                auth: "password",
                secretArn: SECRET,
                secretKeyArn: KEY,
                sslmode: "verify-full",
                caCertificateUrl: "https://www.amazontrust.com/repository/AmazonRootCA1.pem",
                keepalive: keepalive300,
                examples: {
                    credential: read,
                    cli:
                        `mysql --host=${WRITER} --port=3306 --user=orders --password="$(${read})" ` +
                        `--ssl-mode=VERIFY_IDENTITY --ssl-ca=AmazonRootCA1.pem app`,
                    mariadbCli:
                        `mariadb --host=${WRITER} --port=3306 --user=orders --password="$(${read})" ` +
                        `--ssl-verify-server-cert --ssl-ca=AmazonRootCA1.pem app`,
                    url: `mysql://orders@${WRITER}:3306/app?ssl-mode=VERIFY_IDENTITY&ssl-ca=AmazonRootCA1.pem`,
                    node: [
                        `import { readFileSync } from "node:fs";`,
                        `import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";`,
                        `import mysql from "mysql2/promise";`,
                        `const secrets = new SecretsManagerClient({ region: "eu-west-1" });`,
                        `const password = async () => JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: "${SECRET}" }))).SecretString ?? "{}").password;`,
                        `const pool = mysql.createPool({`,
                        `    host: "${WRITER}", port: 3306, database: "app", user: "orders",`,
                        `    password: await password(),`,
                        // mysql2 checks the certificate's name only with verifyIdentity.
                        `    ssl: { ca: readFileSync("AmazonRootCA1.pem", "utf8"), rejectUnauthorized: true, verifyIdentity: true },`,
                        `    enableKeepAlive: true, keepAliveInitialDelay: 60000,`,
                        `    connectionLimit: 10, maxIdle: 9, idleTimeout: 240000,`,
                        `});`,
                    ].join("\n"),
                    jdbc:
                        `jdbc:aws-wrapper:mysql://${WRITER}:3306/app?wrapperPlugins=awsSecretsManager` +
                        `&secretsManagerSecretId=${SECRET}&secretsManagerRegion=eu-west-1&sslMode=VERIFY_IDENTITY` +
                        `&tcpKeepAlive=true`,
                },
            });
            assert.deepStrictEqual(byName(result, "app-account-access-policy").inputs, {
                description: `Lets an application read the database password shared by ${PRODUCER}`,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ReadDatabaseSecret",
                            Effect: "Allow",
                            Action: "secretsmanager:GetSecretValue",
                            Resource: SECRET,
                        },
                        {
                            Sid: "DecryptDatabaseSecret",
                            Effect: "Allow",
                            Action: "kms:Decrypt",
                            Resource: KEY,
                            Condition: {
                                StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
                            },
                        },
                    ],
                }),
            });
            assert.strictEqual(result.outputs.applicationPolicyArn, POLICY_ARN);
        });

        it("iam (MySQL): the token goes as a cleartext password inside verified TLS", async () => {
            const result = await run(
                existingVpc([S1, S2, S3]),
                contract({ credentials: "iam", engine: "aurora-mysql", readOnly: false }),
            );
            ok(result);
            const writer = (result.outputs.connection as Record<string, Record<string, unknown>>).writer;
            const examples = writer.examples as Record<string, string>;
            const t = `aws rds generate-db-auth-token --profile db-connect --hostname ${WRITER} --port 3306 --username orders --region eu-west-1`;
            assert.strictEqual(
                examples.cli,
                `mysql --host=${WRITER} --port=3306 --user=orders --password="$(${t})" --enable-cleartext-plugin ` +
                    `--ssl-mode=VERIFY_IDENTITY --ssl-ca=AmazonRootCA1.pem app`,
            );
            assert.strictEqual(
                examples.mariadbCli,
                `mariadb --host=${WRITER} --port=3306 --user=orders --password="$(${t})" --enable-cleartext-plugin ` +
                    `--ssl-verify-server-cert --ssl-ca=AmazonRootCA1.pem app`,
            );
            assert.ok(
                examples.node.includes(
                    `authPlugins: { mysql_clear_password: () => async () => Buffer.from((await signer.getAuthToken()) + "\\0") },`,
                ),
                examples.node,
            );
            assert.strictEqual(
                examples.jdbc,
                `jdbc:aws-wrapper:mysql://${WRITER}:3306/app?user=orders&wrapperPlugins=iam&iamHost=${WRITER}` +
                    `&iamDefaultPort=3306&iamRegion=eu-west-1&sslMode=VERIFY_IDENTITY&tcpKeepAlive=true`,
            );
        });

        it("password (MariaDB): MariaDB's client and MariaDB Connector/J, each verifying the name against the CA file", async () => {
            const result = await run(
                existingVpc([S1, S2, S3]),
                contract({ credentials: "password", engine: "mariadb", readOnly: false }),
            );
            ok(result);
            const connection = result.outputs.connection as Record<string, Record<string, unknown>>;
            assert.strictEqual(connection.engine, "mariadb");
            const read =
                `aws secretsmanager get-secret-value --secret-id ${SECRET} --region eu-west-1 --query SecretString ` +
                `--output text | jq -r .password`;
            const examples = connection.writer.examples as Record<string, string>;
            assert.deepStrictEqual(Object.keys(examples), ["credential", "cli", "url", "node", "jdbc"]);
            assert.strictEqual(
                examples.cli,
                `mariadb --host=${WRITER} --port=3306 --user=orders --password="$(${read})" ` +
                    `--ssl-verify-server-cert --ssl-ca=AmazonRootCA1.pem app`,
            );
            assert.strictEqual(
                examples.url,
                `mariadb://orders@${WRITER}:3306/app?ssl-mode=VERIFY_IDENTITY&ssl-ca=AmazonRootCA1.pem`,
            );
            assert.strictEqual(
                examples.jdbc,
                `jdbc:aws-wrapper:mariadb://${WRITER}:3306/app?wrapperPlugins=awsSecretsManager` +
                    `&secretsManagerSecretId=${SECRET}&secretsManagerRegion=eu-west-1` +
                    `&sslMode=verify-full&serverSslCert=AmazonRootCA1.pem&tcpKeepAlive=true`,
            );
            // mysql2 speaks to MariaDB as to MySQL: the same pool, verifying the name.
            const mysql = await run(
                existingVpc([S1, S2, S3]),
                contract({ credentials: "password", engine: "aurora-mysql", readOnly: false }),
            );
            ok(mysql);
            const mysqlExamples = (mysql.outputs.connection as Record<string, Record<string, unknown>>).writer
                .examples as Record<string, string>;
            assert.strictEqual(examples.node, mysqlExamples.node);
            // The MySQL engines' MariaDB command line is the MariaDB engine's own.
            assert.strictEqual(mysqlExamples.mariadbCli, examples.cli);
        });

        it("iam (MariaDB): the token as a cleartext password, the wrapper's IAM plugin over MariaDB Connector/J", async () => {
            const result = await run(
                existingVpc([S1, S2, S3]),
                contract({ credentials: "iam", engine: "mariadb", readOnly: false }),
            );
            ok(result);
            const writer = (result.outputs.connection as Record<string, Record<string, unknown>>).writer;
            const examples = writer.examples as Record<string, string>;
            const t = `aws rds generate-db-auth-token --profile db-connect --hostname ${WRITER} --port 3306 --username orders --region eu-west-1`;
            assert.strictEqual(
                examples.cli,
                `mariadb --host=${WRITER} --port=3306 --user=orders --password="$(${t})" --enable-cleartext-plugin ` +
                    `--ssl-verify-server-cert --ssl-ca=AmazonRootCA1.pem app`,
            );
            assert.strictEqual(examples.mariadbCli, undefined);
            assert.ok(
                examples.node.includes(
                    `authPlugins: { mysql_clear_password: () => async () => Buffer.from((await signer.getAuthToken()) + "\\0") },`,
                ),
                examples.node,
            );
            assert.strictEqual(
                examples.jdbc,
                `jdbc:aws-wrapper:mariadb://${WRITER}:3306/app?user=orders&wrapperPlugins=iam&iamHost=${WRITER}` +
                    `&iamDefaultPort=3306&iamRegion=eu-west-1&sslMode=verify-full&serverSslCert=AmazonRootCA1.pem` +
                    `&tcpKeepAlive=true`,
            );
        });

        // RDS for PostgreSQL and RDS for MySQL speak their Aurora counterparts' protocol: the same clients, the same
        // spelling of verify-full, the same credential code; only the engine named in the output differs.
        for (const [engine, aurora] of [
            ["postgres", "aurora-postgresql"],
            ["mysql", "aurora-mysql"],
        ] as const) {
            for (const credentials of ["iam", "password", "none"] as const) {
                it(`${credentials} (${engine}): the connection of ${aurora}, under its own engine's name`, async () => {
                    const own = await run(existingVpc([S1, S2, S3]), contract({ credentials, engine }));
                    const theirs = await run(
                        existingVpc([S1, S2, S3]),
                        contract({ credentials, engine: aurora }),
                    );
                    ok(own);
                    ok(theirs);
                    const connection = own.outputs.connection as Record<string, unknown>;
                    assert.strictEqual(connection.engine, engine);
                    assert.deepStrictEqual(connection, {
                        ...(theirs.outputs.connection as Record<string, unknown>),
                        engine,
                    });
                });
            }
        }

        for (const credentials of ["iam", "password", "none"] as const) {
            it(`${credentials}: no output is a secret or carries a credential`, async () => {
                const result = await run(existingVpc([S1, S2, S3]), contract({ credentials }));
                ok(result);
                // Credentials appear only as code or commands that fetch them at run time, never as values.
                const strings: string[] = [];
                const walk = (v: unknown): void => {
                    if (typeof v === "string") strings.push(v);
                    else if (v && typeof v === "object") Object.values(v).forEach(walk);
                };
                walk(result.outputs);
                const fetches = /^(?:"\$\(aws |\(\) => signer|await password\(\)|process\.env\.)/;
                for (const text of strings) {
                    for (const m of text.matchAll(/(?:PASSWORD=|password=|password: )(.*)/g)) {
                        assert.ok(fetches.test(m[1]), `a credential value in the outputs: ${m[0]}`);
                    }
                }
                // The stack never reads a secret, so there is none to mark: every output is plain.
                assert.deepStrictEqual(
                    Object.keys(result.outputs).filter((k) => pulumi.Output.isInstance(result.outputs[k])),
                    [],
                );
            });
        }

        it("fails before creating anything when the producer lists other accounts only", async () => {
            const others = { ...contract({ credentials: "iam" }), consumers: [OTHER_CONSUMER] };
            const result = await run(existingVpc([S1, S2, S3]), others);
            assert.ok(result.error instanceof ContractError, String(result.error));
            assert.deepStrictEqual(
                result.error.problems.map((p) => [p.path, p.message]),
                [
                    [
                        "contract.consumers",
                        `Field 'consumers' of the contract of ${PRODUCER} is ["333333333333"], but it has no entry for ` +
                            `this stack's account 222222222222 (rds-cross-account:accountId), so its applications ` +
                            `would have no database user to log in as. List account 222222222222 in the db-account ` +
                            `stack's consumers config and deploy it (pulumi up -s db-account), or fix ` +
                            `rds-cross-account:accountId or rds-cross-account:producerStack if either names the wrong ` +
                            `account or stack.`,
                    ],
                ],
            );
            assert.deepStrictEqual(inventory(result), [
                [T.provider, "app-account-aws"],
                [T.ref, "app-account-producer"],
            ]);
            assert.deepStrictEqual(result.calls, []);
        });

        it("answers the read-only alias clients dial, never the real name tokens are signed for", async () => {
            const result = await run(existingVpc([S1, S2, S3]), contract({ credentials: "iam" }));
            ok(result);
            assert.deepStrictEqual(
                ofType(result, T.zone).map((z) => [z.name, z.inputs.name]),
                [
                    ["app-account-dns-writer-zone", WRITER],
                    ["app-account-dns-reader-zone", READER],
                ],
            );
            assert.deepStrictEqual(
                ofType(result, T.record).map((r) => [r.name, r.inputs.name]),
                [
                    ["app-account-dns-writer-alias", WRITER],
                    ["app-account-dns-reader-alias", READER],
                ],
            );
        });
    });

    describe("security groups", () => {
        it("creates the endpoint group with no inline rules, no egress, and never a CIDR", async () => {
            const result = await run(existingVpc([S1, S2]));
            ok(result);
            assert.deepStrictEqual(byName(result, "app-account-endpoint-sg").inputs, {
                vpcId: VPC,
                description:
                    "Interface endpoint to the database account RDS Proxy; admits client groups on the proxy ports",
                tags: { Name: "app-account-endpoint-sg" },
            });
            assert.deepStrictEqual(byName(result, "app-account-endpoint-client-sg").inputs, {
                vpcId: VPC,
                description: "Applications that may connect to the database through the interface endpoint",
                tags: { Name: "app-account-endpoint-client-sg" },
            });
            for (const rule of [...ofType(result, T.ingress), ...ofType(result, T.egress)]) {
                assert.deepStrictEqual(
                    Object.keys(rule.inputs).filter((k) => /cidr|prefixList/i.test(k)),
                    [],
                    `${rule.name} uses an address range`,
                );
            }
        });

        it("admits the listed application groups, on every proxy port, and creates no client group", async () => {
            const result = await run(
                existingVpc([S1, S2], {
                    clientSecurityGroupIds: ["sg-0d000000000000001", "sg-0d000000000000002"],
                }),
            );
            ok(result);
            assert.deepStrictEqual(
                ofType(result, T.sg).map((r) => r.name),
                ["app-account-endpoint-sg"],
            );
            assert.deepStrictEqual(ofType(result, T.egress), []);
            assert.deepStrictEqual(
                ofType(result, T.ingress).map((r) => [
                    r.name,
                    r.inputs.referencedSecurityGroupId,
                    r.inputs.fromPort,
                    r.inputs.toPort,
                    r.inputs.description,
                ]),
                [
                    [
                        "app-account-endpoint-from-sg-0d000000000000001-5432",
                        "sg-0d000000000000001",
                        5432,
                        5432,
                        "Database clients in sg-0d000000000000001 on TCP 5432",
                    ],
                    [
                        "app-account-endpoint-from-sg-0d000000000000001-5433",
                        "sg-0d000000000000001",
                        5433,
                        5433,
                        "Database clients in sg-0d000000000000001 on TCP 5433",
                    ],
                    [
                        "app-account-endpoint-from-sg-0d000000000000002-5432",
                        "sg-0d000000000000002",
                        5432,
                        5432,
                        "Database clients in sg-0d000000000000002 on TCP 5432",
                    ],
                    [
                        "app-account-endpoint-from-sg-0d000000000000002-5433",
                        "sg-0d000000000000002",
                        5433,
                        5433,
                        "Database clients in sg-0d000000000000002 on TCP 5433",
                    ],
                ],
            );
            for (const rule of ofType(result, T.ingress)) {
                assert.strictEqual(rule.inputs.securityGroupId, "app-account-endpoint-sg-id");
            }
            assert.ok(!("clientSecurityGroupId" in result.outputs));
            assert.deepStrictEqual(
                result.calls
                    .filter((c) => c.token === "aws:ec2/getSecurityGroup:getSecurityGroup")
                    .map((c) => [c.inputs.id, providerName(c)]),
                [
                    ["sg-0d000000000000001", "app-account-aws"],
                    ["sg-0d000000000000002", "app-account-aws"],
                ],
            );
        });

        it("warns, naming the quota, when the endpoint's group would pass AWS's default 60 inbound rules", async () => {
            // 31 client groups on the two proxy ports: 62 rules; 30 would be 60, within the default.
            const ids = (n: number) =>
                Array.from({ length: n }, (_, i) => `sg-0d${String(i + 100).padStart(15, "0")}`);
            for (const id of ids(31)) groups[id] = VPC;
            try {
                const over = await run(existingVpc([S1, S2], { clientSecurityGroupIds: ids(31) }));
                ok(over);
                assert.strictEqual(ofType(over, T.ingress).length, 62);
                assert.deepStrictEqual(
                    over.warnings.filter((w) => w.includes("Inbound or outbound rules per security group")),
                    [
                        `This stack creates 62 inbound rules on the interface endpoint's security group (one per ` +
                            `client security group and port), and AWS's default quota "Inbound or outbound rules ` +
                            `per security group" (Amazon Virtual Private Cloud (Amazon VPC)) is 60: pulumi up fails ` +
                            `where the quota applied is passed. Check it in the Service Quotas console (Amazon ` +
                            `Virtual Private Cloud (Amazon VPC), "Inbound or outbound rules per security group") ` +
                            `and request an increase before pulumi up if it is too low.`,
                    ],
                );
                const within = await run(existingVpc([S1, S2], { clientSecurityGroupIds: ids(30) }));
                ok(within);
                assert.deepStrictEqual(
                    within.warnings.filter((w) => w.includes('security group"')),
                    [],
                );
            } finally {
                for (const id of ids(31)) delete groups[id];
            }
        });

        it("rejects application groups that are missing or in another VPC, before creating anything", async () => {
            const result = await run(
                existingVpc([S1, S2], {
                    clientSecurityGroupIds: ["sg-0e000000000000001", "sg-0f000000000000009"],
                }),
            );
            assert.ok(result.error instanceof ConfigError, String(result.error));
            assert.deepStrictEqual(
                result.error.problems.map((p) => p.message),
                [
                    `Config 'rds-cross-account:clientSecurityGroupIds' is ` +
                        `["sg-0e000000000000001","sg-0f000000000000009"], but "sg-0e000000000000001" is in ` +
                        `vpc-0e000000000000001, and the endpoint and the private DNS zones are in ${VPC} ` +
                        `(network.vpcId), so members of that group could not resolve or reach the proxy. List ` +
                        `security groups of ${VPC} in ${F}.`,
                    `Config 'rds-cross-account:clientSecurityGroupIds' is ` +
                        `["sg-0e000000000000001","sg-0f000000000000009"], but "sg-0f000000000000009" could not ` +
                        // The mock monitor drops the invoke's error text; the engine passes AWS's reason on.
                        `be found in the account. List security groups of ${VPC} in ${F}.`,
                ],
            );
            assert.deepStrictEqual(inventory(result), [
                [T.provider, "app-account-aws"],
                [T.ref, "app-account-producer"],
            ]);
        });
    });

    describe("the endpoint", () => {
        it("is an Interface endpoint to the contract's service, private DNS off, in the endpoint group only", async () => {
            const result = await run(existingVpc([S1, S2, S3]));
            ok(result);
            assert.deepStrictEqual(byName(result, "app-account-endpoint-vpce").inputs, {
                vpcId: VPC,
                serviceName: SERVICE,
                vpcEndpointType: "Interface",
                subnetIds: [S1, S2, S3],
                securityGroupIds: ["app-account-endpoint-sg-id"],
                privateDnsEnabled: false,
                tags: { Name: "app-account-endpoint" },
            });
        });

        it("puts every AWS resource under the account provider and inside its component", async () => {
            const result = await run(existingVpc([S1, S2, S3]));
            ok(result);
            const parents: Record<string, string> = {
                [T.sg]: T.endpoint,
                [T.ingress]: T.endpoint,
                [T.egress]: T.endpoint,
                [T.vpce]: T.endpoint,
                [T.zone]: T.dns,
                [T.record]: T.dns,
                [T.policy]: T.access,
                [T.alarm]: T.alarms,
                [T.dashboard]: T.alarms,
                [T.key]: T.topicComponent,
                [T.topic]: T.topicComponent,
                [T.topicPolicy]: T.topicComponent,
            };
            const aws = result.resources.filter((r) => r.type.startsWith("aws:"));
            assert.strictEqual(aws.length, 17);
            for (const r of aws) {
                assert.strictEqual(providerName(r), "app-account-aws", `${r.name} provider`);
                assert.strictEqual(parentType(r), parents[r.type], `${r.name} parent`);
            }
            assert.deepStrictEqual(single(result, T.provider).inputs.allowedAccountIds, '["222222222222"]');
            assert.strictEqual(single(result, T.ref).inputs.name, PRODUCER);
            for (const c of result.calls) assert.strictEqual(providerName(c), "app-account-aws", c.token);
        });
    });

    describe("existing VPC: DNS attributes", () => {
        afterEach(() => Object.assign(vpcDns, { enableDnsSupport: true, enableDnsHostnames: true }));

        const cmd = (flag: string) => `aws ec2 modify-vpc-attribute --vpc-id ${VPC} ${flag} '{"Value":true}'`;
        const cases = [
            {
                name: "DNS support off",
                dns: { enableDnsSupport: false, enableDnsHostnames: true },
                off: "enableDnsSupport",
                fix: `Turn it on (${cmd("--enable-dns-support")})`,
            },
            {
                name: "DNS hostnames off",
                dns: { enableDnsSupport: true, enableDnsHostnames: false },
                off: "enableDnsHostnames",
                fix: `Turn it on (${cmd("--enable-dns-hostnames")})`,
            },
            {
                name: "both off",
                dns: { enableDnsSupport: false, enableDnsHostnames: false },
                off: "enableDnsSupport and enableDnsHostnames",
                fix: `Turn them on (${cmd("--enable-dns-support")}; ${cmd("--enable-dns-hostnames")})`,
            },
        ];
        for (const c of cases) {
            it(`refuses a VPC with ${c.name} while privateDns is on, before creating anything`, async () => {
                Object.assign(vpcDns, c.dns);
                const result = await run(existingVpc([S1, S2]));
                assert.ok(result.error instanceof ConfigError, String(result.error));
                assert.deepStrictEqual(
                    result.error.problems.map((p) => p.message),
                    [
                        `Config 'rds-cross-account:network.vpcId' is "${VPC}", but that VPC has ${c.off} off, and the ` +
                            `private hosted zones that make the proxy hostname resolve to the endpoint need both on. ` +
                            `${c.fix}, ` +
                            `or set privateDns to false in ${F} and answer the hostname from your own DNS.`,
                    ],
                );
                assert.deepStrictEqual(inventory(result), [
                    [T.provider, "app-account-aws"],
                    [T.ref, "app-account-producer"],
                ]);
            });
        }

        it("does not look the VPC up when privateDns is off", async () => {
            Object.assign(vpcDns, { enableDnsSupport: false, enableDnsHostnames: false });
            const result = await run(existingVpc([S1, S2], { privateDns: false }));
            ok(result);
            assert.deepStrictEqual(
                result.calls.filter((c) => c.token === "aws:ec2/getVpc:getVpc"),
                [],
            );
        });
    });

    describe("privateDns off", () => {
        it("creates no zone or record, warns, and says so in the connection output", async () => {
            const result = await run(existingVpc([S1, S2, S3], { privateDns: false }));
            ok(result);
            assert.deepStrictEqual(ofType(result, T.dns), []);
            assert.deepStrictEqual(ofType(result, T.zone), []);
            assert.deepStrictEqual(ofType(result, T.record), []);
            assert.ok(!("privateZoneIds" in result.outputs));
            assert.strictEqual(ofType(result, T.vpce).length, 1);
            assert.deepStrictEqual(result.warnings, [
                `privateDns is false: ${WRITER} does not resolve to the interface endpoint in this VPC until your own ` +
                    `DNS answers it with the endpoint (output endpointDnsName). Clients must still connect to the proxy ` +
                    `hostname: the endpoint's own name fails certificate verification.`,
                stsWarning,
            ]);
            assert.strictEqual(
                (result.outputs.connection as Record<string, unknown>).dns,
                `privateDns is off: make ${WRITER} and ${READER} resolve to the interface endpoint (output ` +
                    `endpointDnsName) in the VPC yourself, for example with an alias record; connecting to the vpce- ` +
                    `name fails verification.`,
            );
        });
    });

    describe("preview", () => {
        it("reads and checks the contract during pulumi preview too", async () => {
            const good = await run(existingVpc([S1, S2, S3]), contract(), { preview: true });
            ok(good);
            assert.strictEqual(ofType(good, T.vpce).length, 1);
            const bad = await run(
                existingVpc([S1, S2, S3]),
                { ...contract(), version: 2 },
                { preview: true },
            );
            assert.ok(bad.error, "a bad contract fails the preview");
            assert.strictEqual(ofType(bad, T.vpce).length, 0);
        });
    });

    describe("with the db-account stack", () => {
        it("consumes the contract the db-account example stack exports", async () => {
            // Both example files, end to end under mocks: what the producer exports is what the consumer accepts.
            const producerConfig = exampleConfig("db-account");
            const producer = await runStack({
                stack: "db-account",
                config: producerConfig.config,
                extraConfig: producerConfig.extra,
                calls: awsCalls(),
                state: dbAccountState,
            });
            ok(producer);
            const exported = producer.outputs.contract as Record<string, unknown>;
            const consumerConfig = exampleConfig("app-account");
            const result = await run(consumerConfig.config, exported, { extraConfig: consumerConfig.extra });
            ok(result);
            const vpce = byName(result, "app-account-endpoint-vpce");
            assert.strictEqual(vpce.inputs.serviceName, exported.endpointServiceName);
            assert.deepStrictEqual(
                ofType(result, T.zone)
                    .map((z) => z.inputs.name)
                    .sort(),
                [exported.proxyEndpoint, exported.readOnlyEndpoint].sort(),
            );
            assert.deepStrictEqual(
                ofType(result, T.ingress)
                    .filter((r) => r.name.startsWith("app-account-endpoint-"))
                    .map((r) => r.inputs.fromPort)
                    .sort(),
                [exported.port, exported.readOnlyPort].sort(),
            );
        });
    });

    describe("the API applications log in with", () => {
        it("is an interface endpoint with private DNS in a VPC the stack builds, HTTPS from the client group only", async () => {
            const result = await run(newVpc, contract());
            ok(result);
            assert.deepStrictEqual(byName(result, "app-account-api-sts-vpce").inputs, {
                vpcId: "vpc-0f000000000000001",
                serviceName: "com.amazonaws.eu-west-1.sts",
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: newVpcSubnets,
                securityGroupIds: ["app-account-api-sts-sg-id"],
                tags: { Name: "app-account-api-sts" },
            });
            const rule = {
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
            };
            assert.deepStrictEqual(byName(result, "app-account-api-sts-from-client").inputs, {
                ...rule,
                securityGroupId: "app-account-api-sts-sg-id",
                referencedSecurityGroupId: "app-account-endpoint-client-sg-id",
                description: "sts endpoint from the database client group, HTTPS",
            });
            assert.deepStrictEqual(byName(result, "app-account-api-sts-client-to-endpoint").inputs, {
                ...rule,
                securityGroupId: "app-account-endpoint-client-sg-id",
                referencedSecurityGroupId: "app-account-api-sts-sg-id",
                description: "Database clients to the sts interface endpoint, HTTPS",
            });
            // The endpoint's group has no egress of its own and admits nothing else.
            assert.deepStrictEqual(
                ofType(result, T.ingress)
                    .filter((r) => r.inputs.securityGroupId === "app-account-api-sts-sg-id")
                    .map((r) => r.name),
                ["app-account-api-sts-from-client"],
            );
            assert.strictEqual(result.outputs.apiEndpointId, "app-account-api-sts-vpce-id");
        });

        it("is Secrets Manager's for a password-mode consumer", async () => {
            const result = await run(newVpc, contract({ credentials: "password" }));
            ok(result);
            assert.deepStrictEqual(
                inventory(result).filter(([, name]) => name.startsWith("app-account-api-")),
                apiInventory("secretsmanager").sort((a, b) => (a.join() < b.join() ? -1 : 1)),
            );
            assert.strictEqual(
                byName(result, "app-account-api-secretsmanager-vpce").inputs.serviceName,
                "com.amazonaws.eu-west-1.secretsmanager",
            );
        });

        it("is not created for a producer that describes no credentials", async () => {
            const result = await run(newVpc, contract({ credentials: "none" }));
            ok(result);
            assert.deepStrictEqual(ofType(result, T.api), []);
            assert.ok(!("apiEndpointId" in result.outputs));
        });

        it("is named as a need, not created, in an existing VPC", async () => {
            const result = await run(existingVpc([S1, S2, S3]), contract());
            ok(result);
            assert.deepStrictEqual(ofType(result, T.api), []);
            assert.deepStrictEqual(result.warnings, [stsWarning]);
        });
    });

    describe("the example file", () => {
        it("Pulumi.app-account.yaml deploys as it is: a new VPC in three AZs, a client group, private DNS", async () => {
            const { config, extra } = exampleConfig("app-account");
            const result = await run(config, contract(), { extraConfig: extra });
            ok(result);
            assert.deepStrictEqual(
                inventory(result),
                [
                    ...defaultInventory([5432, 5433], true),
                    ...apiInventory("sts"),
                    [T.vpc, "app-account-vpc"],
                    // The canary, on by default (tests/unit/canary.test.ts checks its inputs).
                    ...[
                        ["rds-cross-account:consumer:Canary", ""],
                        ["aws:cloudwatch/logGroup:LogGroup", "-logs"],
                        ["aws:iam/role:Role", "-role"],
                        ["aws:iam/rolePolicy:RolePolicy", "-policy"],
                        ["aws:lambda/function:Function", "-fn"],
                        ["aws:cloudwatch/eventRule:EventRule", "-schedule"],
                        ["aws:lambda/permission:Permission", "-invoke"],
                        ["aws:cloudwatch/eventTarget:EventTarget", "-target"],
                        ["aws:cloudwatch/metricAlarm:MetricAlarm", "-writer"],
                        ["aws:cloudwatch/metricAlarm:MetricAlarm", "-reader"],
                    ].map(([type, suffix]) => [type, `app-account-canary${suffix}`]),
                ].sort((a, b) => (a.join() < b.join() ? -1 : 1)),
            );
            assert.deepStrictEqual(single(result, T.provider).inputs.allowedAccountIds, '["222222222222"]');
            assert.strictEqual(single(result, T.provider).inputs.region, "eu-west-1");
            assert.strictEqual(single(result, T.ref).inputs.name, PRODUCER);
            assert.strictEqual(single(result, T.vpc).inputs.cidrBlock, "10.30.0.0/16");
            assert.deepStrictEqual(
                byName(result, "app-account-endpoint-vpce").inputs.subnetIds,
                newVpcSubnets,
            );
            assert.deepStrictEqual(result.warnings, []);
        });
    });
});
