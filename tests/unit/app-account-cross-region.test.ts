/**
 * The app-account stack in another region than the producer (cross-region PrivateLink), and the consumer's reading of
 * both contract versions, under mocks: the interface endpoint's `serviceRegion`, its subnets (one per AZ of this region,
 * no AZ-ID matching), the same private zone names, where applications get their credential, and the refusals; then a
 * version-1 and a version-2 PrivateLink contract deploying the same resources.
 *
 * What a mock test cannot prove: that the service's supportedRegions really list this region (AWS refuses the endpoint
 * otherwise), that the deployer holds vpce:AllowMultiRegion, or which AZs of this region AWS accepts for the endpoint.
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
import { ofType, runStack, single, type StackRun } from "../../tools/recording/harness";

const REGION = "eu-central-1";
const VPC = "vpc-0c000000000000001";
const [S1, S2, S3] = ["subnet-0c000000000000001", "subnet-0c000000000000002", "subnet-0c000000000000003"];
const frankfurt = {
    region: REGION,
    zones: {
        names: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
        zoneIds: ["euc1-az2", "euc1-az3", "euc1-az1"],
    },
    vpcId: VPC,
    subnets: { [S1]: "euc1-az2", [S2]: "euc1-az3", [S3]: "euc1-az1" },
    groups: [],
};
const ireland = {
    region: "eu-west-1",
    zones: {
        names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        zoneIds: ["euw1-az2", "euw1-az3", "euw1-az1"],
    },
    vpcId: VPC,
    subnets: { [S1]: "euw1-az2", [S2]: "euw1-az3", [S3]: "euw1-az1" },
    groups: [],
};

const base = {
    role: "app-account",
    accountId: F.accountId,
    producerStack: F.producerStack,
    canary: { enabled: false },
};
const existingVpc = { ...base, network: { vpcId: VPC, subnetIds: [S1, S2, S3] } };
const newVpc = { ...base, network: { cidrBlock: "10.30.0.0/16", azCount: 2 } };

function run(
    config: Record<string, unknown>,
    contract: ConsumerContractOptions,
    where: "frankfurt" | "ireland" = "frankfurt",
): Promise<StackRun> {
    return runStack({
        stack: "app-account",
        config,
        calls: consumerCalls(where === "frankfurt" ? frankfurt : ireland),
        state: consumerState,
        stackOutputs: { [F.producerStack]: { contract: consumerContract(contract) } },
        extraConfig: { "aws:region": where === "frankfurt" ? REGION : "eu-west-1" },
    });
}

function ok(result: StackRun): void {
    if (result.error) throw result.error;
}

const byName = (result: StackRun, name: string) => {
    const found = result.resources.filter((r) => r.name === name);
    assert.strictEqual(found.length, 1, `expected one resource named ${name}`);
    return found[0];
};
const VPCE = "aws:ec2/vpcEndpoint:VpcEndpoint";
const offered = { supportedRegions: [REGION] };

describe("app-account stack: a consumer in another region (cross-region PrivateLink)", () => {
    for (const form of ["v1", "v2-privatelink"] as const) {
        it(`${form}: an endpoint with serviceRegion in every AZ of this region, the proxy's names in the zones`, async () => {
            const result = await run(existingVpc, { form, ...offered });
            ok(result);
            assert.deepStrictEqual(byName(result, "app-account-endpoint-vpce").inputs, {
                vpcId: VPC,
                serviceName: F.service,
                vpcEndpointType: "Interface",
                // No AZ-ID matching: the service's AZ IDs are eu-west-1's; one subnet per AZ of eu-central-1.
                subnetIds: [S1, S2, S3],
                securityGroupIds: ["app-account-endpoint-sg-id"],
                privateDnsEnabled: false,
                serviceRegion: "eu-west-1",
                tags: { Name: "app-account-endpoint" },
            });
            assert.deepStrictEqual(result.outputs.endpointAzIds, ["euc1-az2", "euc1-az3", "euc1-az1"]);
            assert.deepStrictEqual(
                ofType(result, "aws:route53/zone:Zone").map((z) => z.inputs.name),
                [F.writer, F.reader],
            );
            assert.strictEqual(single(result, "pulumi:providers:aws").inputs.region, REGION);
            const c = result.outputs.connection as Connection;
            // Tokens are signed in the proxy's region, wherever the client runs.
            assert.deepStrictEqual([c.writer.tokenRegion, c.readOnly?.port], ["eu-west-1", 5433]);
            // STS assumes the connect role from the applications' own region.
            assert.deepStrictEqual(result.warnings, [
                `Applications in ${VPC} call sts.${REGION}.amazonaws.com to assume the connect role: the VPC needs ` +
                    `an interface endpoint to com.amazonaws.${REGION}.sts with private DNS that admits HTTPS from the ` +
                    `client security groups, or a route out. This stack creates that endpoint only in a VPC it builds.`,
            ]);
        });
    }

    it("a new VPC prefers no AZ ID, and its STS endpoint is in this region", async () => {
        const result = await run(newVpc, { form: "v2-privatelink", ...offered });
        ok(result);
        assert.deepStrictEqual(single(result, "awsx:ec2:Vpc").inputs.availabilityZoneNames, [
            "eu-central-1a",
            "eu-central-1b",
        ]);
        assert.deepStrictEqual(
            byName(result, "app-account-endpoint-vpce").inputs.subnetIds,
            consumerNewVpcSubnets.slice(0, 2),
        );
        assert.strictEqual(
            byName(result, "app-account-api-sts-vpce").inputs.serviceName,
            `com.amazonaws.${REGION}.sts`,
        );
    });

    it("password: an existing VPC is told to reach Secrets Manager in the producer's region", async () => {
        const result = await run(existingVpc, { form: "v2-privatelink", auth: "password", ...offered });
        ok(result);
        assert.deepStrictEqual(result.warnings, [
            `Applications in ${VPC} call secretsmanager.eu-west-1.amazonaws.com to read the database password: the ` +
                `VPC needs a route to it (a NAT gateway, or a network that reaches eu-west-1): secretsmanager in ` +
                `eu-west-1 has no interface endpoint in ${REGION}.`,
        ]);
        const c = result.outputs.connection as Connection;
        assert.ok(c.writer.examples.credential?.includes(`--region eu-west-1`), c.writer.examples.credential);
    });

    it("password: refuses a VPC it would build, which could not read the secret, before creating anything", async () => {
        const result = await run(newVpc, { form: "v2-privatelink", auth: "password", ...offered });
        assert.ok(result.error instanceof ConfigError, String(result.error));
        assert.deepStrictEqual(
            result.error.problems.map((p) => p.message),
            [
                `Config 'rds-cross-account:network' is {"cidrBlock":"10.30.0.0/16","azCount":2}, but a VPC this stack ` +
                    `builds has no route out, and its applications read their password from ` +
                    `secretsmanager.eu-west-1.amazonaws.com, in the producer's region, which no interface endpoint in ` +
                    `${REGION} reaches. Set 'network' in Pulumi.app-account.yaml to an existing VPC ({"vpcId": …, ` +
                    `"subnetIds": […]}) whose applications reach secretsmanager.eu-west-1.amazonaws.com, or deploy ` +
                    `this stack in eu-west-1 (pulumi config set aws:region eu-west-1).`,
            ],
        );
        assert.strictEqual(ofType(result, VPCE).length, 0);
    });

    const refusals: { name: string; supportedRegions?: string[]; offered: string }[] = [
        { name: "a service offered in its own region only", offered: "offered in no other region" },
        {
            name: "a service offered in other regions",
            supportedRegions: ["eu-north-1", "eu-west-2"],
            offered: "offered in eu-north-1, eu-west-2 besides",
        },
    ];
    for (const c of refusals) {
        it(`refuses ${c.name}, before creating anything`, async () => {
            const result = await run(existingVpc, {
                form: "v2-privatelink",
                ...(c.supportedRegions ? { supportedRegions: c.supportedRegions } : {}),
            });
            assert.ok(result.error instanceof ConfigError, String(result.error));
            assert.deepStrictEqual(
                result.error.problems.map((p) => [p.path, p.message]),
                [
                    [
                        "aws:region",
                        `Config 'aws:region' is "${REGION}", but the endpoint service of ${F.producerStack} is in ` +
                            `eu-west-1, and ${c.offered}; an interface endpoint in another region reaches only a ` +
                            `service that lists that region as supported. Set it with: pulumi config set aws:region ` +
                            `eu-west-1 --stack app-account, or add ${REGION} to 'endpointService.supportedRegions' of ` +
                            `the db-account stack and deploy it (pulumi up -s db-account).`,
                    ],
                ],
            );
            assert.deepStrictEqual(result.calls, []);
            assert.strictEqual(ofType(result, VPCE).length, 0);
        });
    }
});

describe("app-account stack: contract versions 1 and 2 of the PrivateLink path", () => {
    it("deploy the same resources with the same inputs and outputs", async () => {
        const v1 = await run(existingVpc, { form: "v1" }, "ireland");
        const v2 = await run(existingVpc, { form: "v2-privatelink" }, "ireland");
        ok(v1);
        ok(v2);
        const graph = (r: StackRun) => r.resources.map((x) => [x.type, x.name, x.inputs, x.provider]);
        assert.deepStrictEqual(graph(v2), graph(v1));
        assert.deepStrictEqual(v2.outputs, v1.outputs);
        assert.deepStrictEqual(v2.warnings, v1.warnings);
        // In the service's region the endpoint matches AZ IDs and takes no service region.
        const vpce = byName(v1, "app-account-endpoint-vpce").inputs;
        assert.ok(!("serviceRegion" in vpce));
        assert.deepStrictEqual(vpce.subnetIds, [S1, S2, S3]);
    });
});
