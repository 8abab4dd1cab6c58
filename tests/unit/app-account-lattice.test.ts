/**
 * The app-account stack against a VPC Lattice (version 2) contract, under mocks: one Resource endpoint per resource
 * configuration with private DNS limited to the proxy's own names, the endpoints' own security group, the RAM share
 * accepted only where an invitation is needed, no hosted zone of ours; the outputs and the `connection` output; and
 * the refusal of another region.
 *
 * What a mock test cannot prove: that RAM delivers the invitation, that VPC Lattice creates the private hosted zone for
 * an unverified custom domain name under SPECIFIED_DOMAINS_ONLY, that the endpoints share an AZ with the producer's
 * resource gateway, or that a client's TLS verification succeeds (tests/integration/connection-examples.test.ts
 * dials these names against real servers).
 */
import * as assert from "assert";
import type { Connection } from "../../stacks/app-account/connection";
import { ConfigError } from "../../stacks/config/kit";
import {
    consumerCalls,
    consumerContract,
    consumerFixture as F,
    consumerNewVpcSubnets,
    consumerState,
    type ConsumerContractOptions,
} from "../support/fixtures";
import { ofType, runStack, type StackRun } from "../../tools/recording/harness";

const VPC = "vpc-0d000000000000001";
const [S1, S2, S3] = ["subnet-0d000000000000001", "subnet-0d000000000000002", "subnet-0d000000000000003"];
const [G1, G2] = ["sg-0d000000000000001", "sg-0d000000000000002"];
const view = {
    region: "eu-west-1",
    zones: {
        names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        zoneIds: ["euw1-az2", "euw1-az3", "euw1-az1"],
    },
    vpcId: VPC,
    subnets: { [S1]: "euw1-az2", [S2]: "euw1-az3", [S3]: "euw1-az1" },
    groups: [G1, G2],
};

const base = {
    role: "app-account",
    accountId: F.accountId,
    producerStack: F.producerStack,
    canary: { enabled: false },
};
const existingVpc = (extra: Record<string, unknown> = {}) => ({
    ...base,
    network: { vpcId: VPC, subnetIds: [S1, S2, S3] },
    clientSecurityGroupIds: [G1, G2],
    ...extra,
});
const newVpc = { ...base, network: { cidrBlock: "10.30.0.0/16", azCount: 2 } };

function run(
    config: Record<string, unknown>,
    contract: Partial<ConsumerContractOptions> = {},
    extraConfig: Record<string, string> = {},
    dnsHostnamesOff = false,
): Promise<StackRun> {
    return runStack({
        stack: "app-account",
        config,
        calls: consumerCalls({ ...view, dnsHostnamesOff }),
        state: consumerState,
        stackOutputs: {
            [F.producerStack]: { contract: consumerContract({ form: "v2-lattice", ...contract }) },
        },
        extraConfig,
    });
}

function ok(result: StackRun): void {
    if (result.error) throw result.error;
}

const sorted = (rows: string[][]) => rows.sort((a, b) => (a.join() < b.join() ? -1 : 1));
const inventory = (result: StackRun) => sorted(result.resources.map((r) => [r.type, r.name]));
const byName = (result: StackRun, name: string) => {
    const found = result.resources.filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, `expected one resource named ${name}`);
    return found[0];
};

const T = {
    ref: "pulumi:pulumi:StackReference",
    provider: "pulumi:providers:aws",
    endpoints: "rds-cross-account:consumer:ResourceEndpoints",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
    accepter: "aws:ram/resourceShareAccepter:ResourceShareAccepter",
    access: "rds-cross-account:consumer:ApplicationAccess",
    policy: "aws:iam/policy:Policy",
    api: "rds-cross-account:consumer:ApiEndpoint",
    vpc: "awsx:ec2:Vpc",
};
const N = "app-account-resource";

/** The Resource endpoint of one configuration, every input pinned. */
function endpointInputs(
    key: string,
    arn: string,
    domain: string | undefined,
    subnets: string[],
    vpcId = VPC,
) {
    return {
        vpcId,
        vpcEndpointType: "Resource",
        resourceConfigurationArn: arn,
        subnetIds: subnets,
        securityGroupIds: [`${N}-sg-id`],
        privateDnsEnabled: domain !== undefined,
        ...(domain !== undefined
            ? {
                  dnsOptions: {
                      privateDnsPreference: "SPECIFIED_DOMAINS_ONLY",
                      privateDnsSpecifiedDomains: [domain],
                  },
              }
            : {}),
        tags: { Name: `${N}-${key}` },
    };
}

describe("app-account stack: a VPC Lattice contract", () => {
    it("builds one Resource endpoint per configuration, private DNS for exactly its name, the share accepted", async () => {
        const result = await run(existingVpc());
        ok(result);
        assert.deepStrictEqual(
            inventory(result),
            sorted([
                [T.provider, "app-account-aws"],
                [T.ref, "app-account-producer"],
                [T.access, "app-account-access"],
                [T.policy, "app-account-access-policy"],
                [T.endpoints, N],
                [T.sg, `${N}-sg`],
                [T.ingress, `${N}-from-${G1}-5432`],
                [T.ingress, `${N}-from-${G2}-5432`],
                [T.accepter, `${N}-share`],
                [T.vpce, `${N}-writer`],
                [T.vpce, `${N}-reader`],
            ]),
        );
        // Every AZ of the applications' subnets: the contract names none.
        assert.deepStrictEqual(
            byName(result, `${N}-writer`).inputs,
            endpointInputs("writer", F.writerConfiguration, F.writer, [S1, S2, S3]),
        );
        assert.deepStrictEqual(
            byName(result, `${N}-reader`).inputs,
            endpointInputs("reader", F.readerConfiguration, F.reader, [S1, S2, S3]),
        );
        assert.deepStrictEqual(byName(result, `${N}-share`).inputs, { shareArn: F.share });
        assert.deepStrictEqual(byName(result, `${N}-sg`).inputs, {
            vpcId: VPC,
            description:
                "Resource endpoints to the database account RDS Proxy; admits client groups on the proxy port",
            tags: { Name: `${N}-sg` },
        });
        for (const g of [G1, G2]) {
            assert.deepStrictEqual(byName(result, `${N}-from-${g}-5432`).inputs, {
                securityGroupId: `${N}-sg-id`,
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                referencedSecurityGroupId: g,
                description: `Database clients in ${g} on TCP 5432`,
            });
        }
        // Every AWS resource under the account's provider.
        for (const r of result.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) {
            assert.ok(r.provider?.includes("app-account-aws"), `${r.name} is under the account provider`);
        }
        assert.deepStrictEqual(result.outputs.resourceEndpointIds, {
            writer: `${N}-writer-id`,
            reader: `${N}-reader-id`,
        });
        assert.strictEqual(result.outputs.endpointSecurityGroupId, `${N}-sg-id`);
        assert.deepStrictEqual(result.outputs.endpointAzIds, ["euw1-az2", "euw1-az3", "euw1-az1"]);
        for (const key of ["endpointId", "endpointDnsName", "privateZoneIds", "clientSecurityGroupId"]) {
            assert.ok(!(key in result.outputs), `no ${key} output on the Lattice path`);
        }
    });

    it("exports the connection: verify-full on the proxy's names, the read-only endpoint on the proxy's port", async () => {
        const result = await run(existingVpc());
        ok(result);
        const c = result.outputs.connection as Connection;
        assert.strictEqual(c.host, F.writer);
        assert.strictEqual(c.port, 5432);
        assert.strictEqual(c.readOnlyHost, F.reader);
        assert.strictEqual(c.readOnlyPort, 5432);
        assert.strictEqual(c.sslmode, "verify-full");
        assert.deepStrictEqual(
            [c.writer.host, c.writer.port, c.writer.tokenHost, c.writer.tokenPort, c.writer.tokenRegion],
            [F.writer, 5432, F.writer, 5432, "eu-west-1"],
        );
        const r = c.readOnly;
        assert.ok(r, "a read-only endpoint");
        assert.deepStrictEqual(
            [r.host, r.port, r.tokenHost, r.tokenPort],
            [F.reader, 5432, F.readerReal, 5432],
        );
        assert.strictEqual(r.connectRoleArn, F.connectRole);
        assert.strictEqual(
            c.dns,
            `VPC Lattice answers ${F.writer} and ${F.reader} with the resource endpoints inside the VPC (their ` +
                `private DNS, limited to exactly these names).`,
        );
        assert.ok(
            r.examples.cli.includes(`host=${F.reader} port=5432`),
            `the psql example dials the alias on the proxy's port: ${r.examples.cli}`,
        );
    });

    it("accepts no share when RAM sends this account no invitation (an account of the producer's organization)", async () => {
        const result = await run(existingVpc(), { invitedAccountIds: [] });
        ok(result);
        assert.strictEqual(ofType(result, T.accepter).length, 0);
        assert.strictEqual(ofType(result, T.vpce).length, 2);
    });

    it("builds the writer's endpoint only when the producer has no read-only endpoint", async () => {
        const result = await run(existingVpc(), { readOnly: false });
        ok(result);
        assert.deepStrictEqual(
            ofType(result, T.vpce).map((r) => r.name),
            [`${N}-writer`],
        );
        const c = result.outputs.connection as Record<string, unknown>;
        assert.ok(!("readOnly" in c) && !("readOnlyHost" in c));
    });

    it("in a VPC it builds: a client group with its way out, the API endpoint, the endpoints in each AZ", async () => {
        const result = await run(newVpc);
        ok(result);
        assert.deepStrictEqual(
            inventory(result).filter(([type]) => [T.sg, T.ingress, T.egress, T.api].includes(type)),
            sorted([
                [T.api, "app-account-api-sts"],
                [T.sg, "app-account-api-sts-sg"],
                [T.ingress, "app-account-api-sts-from-client"],
                [T.egress, "app-account-api-sts-client-to-endpoint"],
                [T.sg, `${N}-sg`],
                [T.sg, `${N}-client-sg`],
                [T.ingress, `${N}-from-client-5432`],
                [T.egress, `${N}-client-to-endpoint-5432`],
            ]),
        );
        // A new VPC prefers no AZ ID: the contract names none on this path.
        assert.deepStrictEqual(byName(result, "app-account-vpc").inputs.availabilityZoneNames, [
            "eu-west-1a",
            "eu-west-1b",
        ]);
        const subnets = consumerNewVpcSubnets.slice(0, 2);
        assert.deepStrictEqual(
            byName(result, `${N}-writer`).inputs,
            endpointInputs("writer", F.writerConfiguration, F.writer, subnets, "vpc-0f000000000000001"),
        );
        assert.deepStrictEqual(byName(result, `${N}-client-to-endpoint-5432`).inputs, {
            securityGroupId: `${N}-client-sg-id`,
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            referencedSecurityGroupId: `${N}-sg-id`,
            description: "To the database resource endpoints on TCP 5432",
        });
        assert.strictEqual(result.outputs.clientSecurityGroupId, `${N}-client-sg-id`);
        // alarms is on by default: said not to apply, rather than ignored.
        assert.deepStrictEqual(result.warnings, [
            "alarms: the vpc-lattice path's endpoints publish no metric this release alarms on, so no endpoint alarm " +
                "or dashboard is created (docs/app-account.md); the canary, when on, still checks the path and " +
                "notifies the alarm topic.",
        ]);
    });

    it("privateDns off: the endpoints answer no name, the stack warns and the connection says so", async () => {
        const result = await run(existingVpc({ privateDns: false }));
        ok(result);
        assert.deepStrictEqual(
            byName(result, `${N}-writer`).inputs,
            endpointInputs("writer", F.writerConfiguration, undefined, [S1, S2, S3]),
        );
        assert.ok(
            result.warnings.includes(
                `privateDns is false: ${F.writer} and ${F.reader} do not resolve to the resource endpoints in this ` +
                    `VPC until your own DNS answers them with each endpoint's DNS name (outputs ` +
                    `resourceEndpointIds). Clients must still connect to the proxy hostnames: they are the names the ` +
                    `proxy's certificate covers.`,
            ),
            result.warnings.join("\n"),
        );
        assert.strictEqual(
            (result.outputs.connection as Record<string, unknown>).dns,
            `privateDns is off: make ${F.writer} and ${F.reader} resolve to their resource endpoints in the VPC ` +
                `yourself; connecting to an endpoint's own name fails verification.`,
        );
    });

    it("refuses a stack in another region than the resource configurations, before creating anything", async () => {
        const result = await run(existingVpc(), {}, { "aws:region": "eu-central-1" });
        assert.ok(result.error instanceof ConfigError, String(result.error));
        assert.deepStrictEqual(
            result.error.problems.map((p) => [p.path, p.message]),
            [
                [
                    "aws:region",
                    `Config 'aws:region' is "eu-central-1", but the resource configurations of ${F.producerStack} are ` +
                        `in eu-west-1, and a resource endpoint reaches only a resource configuration of its own region ` +
                        `(VPC Lattice resource endpoints take no service region; cross-region consumers are served on ` +
                        `the privatelink-nlb path). Set it with: pulumi config set aws:region eu-west-1 --stack ` +
                        `app-account.`,
                ],
            ],
        );
        assert.deepStrictEqual(result.calls, []);
        assert.deepStrictEqual(inventory(result), [
            [T.provider, "app-account-aws"],
            [T.ref, "app-account-producer"],
        ]);
    });

    it("refuses an existing VPC with DNS hostnames off while privateDns is on, before creating anything", async () => {
        const result = await run(existingVpc(), {}, {}, true);
        assert.ok(result.error instanceof ConfigError, String(result.error));
        assert.deepStrictEqual(
            result.error.problems.map((p) => p.message),
            [
                `Config 'rds-cross-account:network.vpcId' is "${VPC}", but that VPC has enableDnsHostnames off, and ` +
                    `the resource endpoints, whose private DNS makes the proxy hostnames resolve to them, need both on. ` +
                    `Turn it on (aws ec2 modify-vpc-attribute --vpc-id ${VPC} --enable-dns-hostnames '{"Value":true}'), ` +
                    `or set privateDns to false in Pulumi.app-account.yaml and answer the hostname from your own DNS.`,
            ],
        );
        assert.strictEqual(ofType(result, T.vpce).length, 0);
    });
});

describe("app-account stack: a VPC Lattice consumer's alarms", () => {
    it("creates the alarm topic for the canary alone, which its alarms notify; no topic without the canary", async () => {
        const result = await run(existingVpc({ canary: { enabled: true } }));
        ok(result);
        const topics = ofType(result, "aws:sns/topic:Topic");
        assert.strictEqual(topics.length, 1);
        const alarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm");
        // The canary's alarms only: the path has none of its own.
        assert.ok(alarms.length > 0);
        for (const alarm of alarms) {
            assert.match(alarm.name, /canary/);
            assert.deepStrictEqual(alarm.inputs.alarmActions, [topics[0].state.arn]);
        }
        assert.strictEqual(result.outputs.alarmTopicArn, topics[0].state.arn);
        assert.strictEqual(result.outputs.dashboardName, undefined);

        const without = await run(existingVpc());
        ok(without);
        assert.strictEqual(ofType(without, "aws:sns/topic:Topic").length, 0);
    });
});
