/**
 * The db-account stack in an existing VPC that already has AWS API endpoints (`network.apiEndpoints`): each named
 * endpoint is looked up with the stack's provider and checked before any resource is created; a usable one is
 * used instead of a new endpoint, with the rules that admit the stack's clients, and the plan says so.
 *
 * What these tests cannot prove: that AWS answers DescribeVpcEndpoints as the mocked data source does here, that
 * the reused endpoint's policy allows the calls, or that its security group has room for one more rule (60 rules
 * per group by default); only a real account shows those.
 */
import * as assert from "assert";
import { ConfigError } from "../../stacks/config/kit";
import { awsCalls, dbAccountState } from "../support/fixtures";
import { ofType, providerName, runStack, type StackRun } from "../../tools/recording/harness";
import { recordDbAccount } from "../../tools/recording/stacks";

const VPC = "vpc-0a000000000000001";
/** Route tables of the fixture's subnets 1 (its own) and 2 (the main table). */
const ROUTE_TABLES = ["rtb-0a000000000000001", "rtb-0a00000000000main"];
const SM_GROUPS = ["sg-0e000000000000002", "sg-0e000000000000001"];
const ELB_GROUP = "sg-0e000000000000003";
const PREFIX_LIST = "pl-6fa54006";

const interfaceEndpoint = (service: string, groups: string[]) => ({
    vpcId: VPC,
    serviceName: `com.amazonaws.eu-west-1.${service}`,
    vpcEndpointType: "Interface",
    privateDnsEnabled: true,
    securityGroupIds: groups,
    routeTableIds: [],
    prefixListId: "",
    state: "available",
});
const gatewayEndpoint = (routeTableIds: string[]) => ({
    vpcId: VPC,
    serviceName: "com.amazonaws.eu-west-1.dynamodb",
    vpcEndpointType: "Gateway",
    privateDnsEnabled: false,
    securityGroupIds: [],
    routeTableIds,
    prefixListId: PREFIX_LIST,
    state: "available",
});

/** The endpoints the account has, by ID: three usable ones, and one of each kind the stack must refuse. */
const ENDPOINTS: Record<string, Record<string, unknown>> = {
    "vpce-0a0000000000000a1": interfaceEndpoint("secretsmanager", SM_GROUPS),
    "vpce-0a0000000000000a2": interfaceEndpoint("elasticloadbalancing", [ELB_GROUP]),
    "vpce-0a0000000000000a3": gatewayEndpoint(ROUTE_TABLES),
    "vpce-0b0000000000000b1": {
        ...interfaceEndpoint("secretsmanager", SM_GROUPS),
        vpcId: "vpc-0b000000000000001",
    },
    "vpce-0b0000000000000b2": interfaceEndpoint("sts", SM_GROUPS),
    "vpce-0b0000000000000b3": { ...interfaceEndpoint("secretsmanager", SM_GROUPS), privateDnsEnabled: false },
    "vpce-0b0000000000000b4": gatewayEndpoint(["rtb-0a00000000000main"]),
    "vpce-0b0000000000000b5": { ...interfaceEndpoint("elasticloadbalancing", [ELB_GROUP]), state: "pending" },
    "vpce-0b0000000000000b6": { ...interfaceEndpoint("dynamodb", [ELB_GROUP]), privateDnsEnabled: false },
};

const fixtureCalls = awsCalls();
function calls(token: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    if (token !== "aws:ec2/getVpcEndpoint:getVpcEndpoint") return fixtureCalls(token, inputs);
    const id = String(inputs.id);
    const endpoint = ENDPOINTS[id];
    if (!endpoint)
        throw new Error(`InvalidVpcEndpointId.NotFound: The Vpc Endpoint Id '${id}' does not exist`);
    return { id, ...endpoint };
}

const base: Record<string, unknown> = {
    accountId: "111111111111",
    consumers: [{ name: "app", accountId: "222222222222" }],
};
const subnetIds = ["subnet-0a000000000000001", "subnet-0a000000000000002"];

function run(
    apiEndpoints: Record<string, string>,
    extra: Record<string, unknown> = {},
    preview = false,
): Promise<StackRun> {
    return runStack({
        stack: "db-account",
        config: { ...base, network: { vpcId: VPC, subnetIds, apiEndpoints }, ...extra },
        calls,
        state: dbAccountState,
        preview,
    });
}

const endpointLookups = (r: StackRun) =>
    r.calls
        .filter((c) => c.token === "aws:ec2/getVpcEndpoint:getVpcEndpoint")
        .map((c) => [c.inputs.id, providerName(c)]);

/** The API endpoints' own resources (the component's children), as [type, name, inputs], by name. */
const apiResources = (r: StackRun) =>
    r.resources
        .filter((x) => x.name.startsWith("db-account-api"))
        .map((x) => [x.type.split("/").pop(), x.name, x.inputs] as const)
        .sort((a, b) => a[1].localeCompare(b[1]));

const https = { ipProtocol: "tcp", fromPort: 443, toPort: 443 };

describe("db-account stack reusing the VPC's AWS API endpoints", function () {
    this.timeout(60000);

    describe("all three, with the dns sync source", () => {
        let r: StackRun;
        before(async () => {
            r = await run({
                secretsmanager: "vpce-0a0000000000000a1",
                elasticloadbalancing: "vpce-0a0000000000000a2",
                dynamodb: "vpce-0a0000000000000a3",
            });
            assert.strictEqual(r.error, undefined, String(r.error));
        });

        it("looks each endpoint up with the stack's provider", () =>
            assert.deepStrictEqual(endpointLookups(r), [
                ["vpce-0a0000000000000a1", "db-account-aws"],
                ["vpce-0a0000000000000a2", "db-account-aws"],
                ["vpce-0a0000000000000a3", "db-account-aws"],
            ]));

        it("creates no endpoint, and only the client groups and the rules that admit them", () => {
            assert.deepStrictEqual(ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint"), []);
            const expected: (readonly [string, string, Record<string, unknown>])[] = [
                ["rds-cross-account:network:AwsApiEndpoints", "db-account-api", {}],
                [
                    "securityGroup:SecurityGroup",
                    "db-account-api-clients-sg",
                    {
                        vpcId: VPC,
                        description:
                            "db-account-api: clients of the AWS API endpoints, HTTPS out to them only",
                    },
                ],
                [
                    "securityGroupIngressRule:SecurityGroupIngressRule",
                    "db-account-api-elasticloadbalancing-reused-from-clients",
                    {
                        securityGroupId: ELB_GROUP,
                        referencedSecurityGroupId: "db-account-api-clients-sg-id",
                        ...https,
                        description:
                            "Elastic Load Balancing endpoint vpce-0a0000000000000a2 from the clients of db-account-api, HTTPS",
                    },
                ],
                [
                    "securityGroupEgressRule:SecurityGroupEgressRule",
                    "db-account-api-clients-to-reused-elasticloadbalancing",
                    {
                        securityGroupId: "db-account-api-clients-sg-id",
                        referencedSecurityGroupId: ELB_GROUP,
                        ...https,
                        description:
                            "Clients to the Elastic Load Balancing interface endpoint vpce-0a0000000000000a2, HTTPS",
                    },
                ],
                [
                    "securityGroupEgressRule:SecurityGroupEgressRule",
                    "db-account-api-clients-to-dynamodb",
                    {
                        securityGroupId: "db-account-api-clients-sg-id",
                        prefixListId: PREFIX_LIST,
                        ...https,
                        description: "Clients to DynamoDB through the gateway endpoint, HTTPS",
                    },
                ],
                [
                    "securityGroup:SecurityGroup",
                    "db-account-api-secretsmanager-clients-sg",
                    {
                        vpcId: VPC,
                        description:
                            "db-account-api: clients of the Secrets Manager endpoint, HTTPS out to it only",
                    },
                ],
                [
                    "securityGroupIngressRule:SecurityGroupIngressRule",
                    "db-account-api-secretsmanager-reused-from-clients",
                    {
                        // The first of the endpoint's groups by ID, whatever order AWS lists them in.
                        securityGroupId: "sg-0e000000000000001",
                        referencedSecurityGroupId: "db-account-api-secretsmanager-clients-sg-id",
                        ...https,
                        description:
                            "Secrets Manager endpoint vpce-0a0000000000000a1 from the clients of db-account-api, HTTPS",
                    },
                ],
                [
                    "securityGroupEgressRule:SecurityGroupEgressRule",
                    "db-account-api-clients-to-reused-secretsmanager",
                    {
                        securityGroupId: "db-account-api-secretsmanager-clients-sg-id",
                        referencedSecurityGroupId: "sg-0e000000000000001",
                        ...https,
                        description:
                            "Clients to the Secrets Manager interface endpoint vpce-0a0000000000000a1, HTTPS",
                    },
                ],
            ];
            assert.deepStrictEqual(
                apiResources(r),
                expected.sort((a, b) => a[1].localeCompare(b[1])),
            );
        });

        it("touches the reused endpoints only through those rules, which destroy removes", () => {
            const mentioning = (value: string) =>
                r.resources
                    .filter((x) => JSON.stringify(x.inputs).includes(value))
                    .map((x) => x.name)
                    .sort();
            assert.deepStrictEqual(mentioning("sg-0e000000000000001"), [
                "db-account-api-clients-to-reused-secretsmanager",
                "db-account-api-secretsmanager-reused-from-clients",
            ]);
            assert.deepStrictEqual(mentioning("sg-0e000000000000002"), []);
            assert.deepStrictEqual(mentioning(ELB_GROUP), [
                "db-account-api-clients-to-reused-elasticloadbalancing",
                "db-account-api-elasticloadbalancing-reused-from-clients",
            ]);
            // Nothing that creates, changes or routes to an endpoint of the VPC (the endpoint service is the
            // stack's own publication, not an endpoint of this VPC).
            assert.deepStrictEqual(
                r.resources
                    .map((x) => x.type)
                    .filter((t) => /^aws:(ec2|vpc)\/(vpcEndpoint(?!Service:)|endpoint)/.test(t)),
                [],
            );
        });

        it("puts the bootstrap and the sync in the groups the reused endpoints admit", () => {
            const lambdas = ofType(r, "aws:lambda/function:Function");
            const groupsOf = (x: (typeof lambdas)[number]) =>
                (x.inputs.vpcConfig as { securityGroupIds: string[] } | undefined)?.securityGroupIds ?? [];
            const bootstrap = lambdas.filter((x) =>
                groupsOf(x).includes("db-account-api-secretsmanager-clients-sg-id"),
            );
            const syncs = lambdas.filter((x) => groupsOf(x).includes("db-account-api-clients-sg-id"));
            assert.strictEqual(bootstrap.length, 1);
            assert.strictEqual(syncs.length, 2);
        });

        it("says in the plan which endpoints it uses", () =>
            assert.deepStrictEqual(
                r.warnings.filter((w) => w.includes("apiEndpoints")),
                [
                    "rds-cross-account:network.apiEndpoints.secretsmanager: the stack uses vpce-0a0000000000000a1, the " +
                        `secretsmanager endpoint ${VPC} already has, instead of creating one; it adds a rule to its ` +
                        "security group sg-0e000000000000001 admitting HTTPS from the stack's clients (removed on " +
                        "destroy), and changes nothing of the endpoint itself.",
                    "rds-cross-account:network.apiEndpoints.elasticloadbalancing: the stack uses vpce-0a0000000000000a2, " +
                        `the elasticloadbalancing endpoint ${VPC} already has, instead of creating one; it adds a rule ` +
                        `to its security group ${ELB_GROUP} admitting HTTPS from the stack's clients (removed on ` +
                        "destroy), and changes nothing of the endpoint itself.",
                    "rds-cross-account:network.apiEndpoints.dynamodb: the stack uses vpce-0a0000000000000a3, the dynamodb " +
                        `endpoint ${VPC} already has, instead of creating one; it gives the stack's clients HTTPS egress ` +
                        "to its prefix list, and changes nothing of the endpoint itself.",
                ],
            ));
    });

    it("decides at preview: the plan already shows the rules on the reused endpoint's group, and says why", async () => {
        const r = await run({ secretsmanager: "vpce-0a0000000000000a1" }, {}, true);
        assert.strictEqual(r.error, undefined, String(r.error));
        const ingress = r.resources.find(
            (x) => x.name === "db-account-api-secretsmanager-reused-from-clients",
        );
        assert.strictEqual(ingress?.inputs.securityGroupId, "sg-0e000000000000001");
        assert.strictEqual(
            r.warnings.filter((w) => w.startsWith("rds-cross-account:network.apiEndpoints.secretsmanager:"))
                .length,
            1,
        );
    });

    it("creates the endpoints it does not reuse", async () => {
        const r = await run({ secretsmanager: "vpce-0a0000000000000a1" });
        assert.strictEqual(r.error, undefined, String(r.error));
        assert.deepStrictEqual(
            ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint")
                .map((x) => [x.name, x.inputs.serviceName])
                .sort(),
            [
                ["db-account-api-dynamodb", "com.amazonaws.eu-west-1.dynamodb"],
                ["db-account-api-elasticloadbalancing", "com.amazonaws.eu-west-1.elasticloadbalancing"],
            ],
        );
        assert.deepStrictEqual(
            ofType(r, "aws:ec2/securityGroup:SecurityGroup")
                .map((x) => x.name)
                .filter((n) => n.startsWith("db-account-api-"))
                .sort(),
            [
                "db-account-api-clients-sg",
                "db-account-api-endpoints-sg",
                "db-account-api-secretsmanager-clients-sg",
            ],
        );
    });

    it("does not look up, and warns of, an endpoint of an API the config does not call from the VPC", async () => {
        // No readers: the eni sync source, whose Lambda runs outside the VPC.
        const r = await run(
            { secretsmanager: "vpce-0a0000000000000a1", elasticloadbalancing: "vpce-0b0000000000000b5" },
            { database: { readers: 0 } },
        );
        assert.strictEqual(r.error, undefined, String(r.error));
        assert.deepStrictEqual(endpointLookups(r), [["vpce-0a0000000000000a1", "db-account-aws"]]);
        assert.deepStrictEqual(ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint"), []);
        assert.ok(
            r.warnings.includes(
                "rds-cross-account:network.apiEndpoints.elasticloadbalancing: vpce-0b0000000000000b5 is not used: " +
                    `with this config nothing the stack runs in ${VPC} calls elasticloadbalancing.`,
            ),
            r.warnings.join("\n"),
        );
    });

    it("records offline: the tools answer the lookups from the config, as endpoints the stack can reuse", async () => {
        const apiEndpoints = {
            secretsmanager: "vpce-0f0000000000000f1",
            elasticloadbalancing: "vpce-0f0000000000000f2",
            dynamodb: "vpce-0f0000000000000f3",
        };
        const recorded = await recordDbAccount({ network: { vpcId: VPC, subnetIds, apiEndpoints } });
        assert.deepStrictEqual(ofType(recorded.run, "aws:ec2/vpcEndpoint:VpcEndpoint"), []);
        assert.deepStrictEqual(
            recorded.warnings.filter((w) => w.includes("apiEndpoints")).map((w) => w.split(":")[1]),
            [
                "network.apiEndpoints.secretsmanager",
                "network.apiEndpoints.elasticloadbalancing",
                "network.apiEndpoints.dynamodb",
            ],
        );
    });

    describe("refuses, before any resource, an endpoint it cannot use", () => {
        const F = "Pulumi.db-account.yaml";
        const key = (service: string) => `Config 'rds-cross-account:network.apiEndpoints.${service}'`;
        const cases: { title: string; apiEndpoints: Record<string, string>; expected: string[] }[] = [
            {
                // The data source's own error text does not reach the program under mocks; it does with AWS.
                title: "one that does not exist",
                apiEndpoints: { secretsmanager: "vpce-0c0000000000000c1" },
                expected: [
                    `${key("secretsmanager")} is "vpce-0c0000000000000c1", but it could not be found in the account. ` +
                        `Set it in ${F} to the ID of the secretsmanager endpoint of ${VPC}, or remove it to have the ` +
                        "stack create that endpoint.",
                ],
            },
            {
                title: "one in another VPC",
                apiEndpoints: { secretsmanager: "vpce-0b0000000000000b1" },
                expected: [
                    `${key("secretsmanager")} is "vpce-0b0000000000000b1", but that endpoint is in vpc-0b000000000000001, ` +
                        `and the stack's VPC is ${VPC} (network.vpcId). Name the secretsmanager endpoint of ${VPC} in ` +
                        `${F}, or remove it to have the stack create that endpoint.`,
                ],
            },
            {
                title: "one of another service",
                apiEndpoints: { secretsmanager: "vpce-0b0000000000000b2" },
                expected: [
                    `${key("secretsmanager")} is "vpce-0b0000000000000b2", but that endpoint is for ` +
                        "com.amazonaws.eu-west-1.sts, not com.amazonaws.eu-west-1.secretsmanager. Name the " +
                        `secretsmanager endpoint of ${VPC} in ${F}, or remove it to have the stack create that endpoint.`,
                ],
            },
            {
                title: "an interface endpoint without private DNS",
                apiEndpoints: { secretsmanager: "vpce-0b0000000000000b3" },
                expected: [
                    `${key("secretsmanager")} is "vpce-0b0000000000000b3", but that endpoint has private DNS off, so ` +
                        "inside the VPC the SDK's default hostname secretsmanager.eu-west-1.amazonaws.com does not " +
                        "resolve to it. Turn it on (aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0b0000000000000b3 " +
                        "--private-dns-enabled), or remove it to have the stack create that endpoint (only one endpoint " +
                        "of a service may have private DNS).",
                ],
            },
            {
                title: "a gateway endpoint not on every subnet's route table",
                apiEndpoints: { dynamodb: "vpce-0b0000000000000b4" },
                expected: [
                    `${key("dynamodb")} is "vpce-0b0000000000000b4", but that endpoint is not on the route table ` +
                        "rtb-0a000000000000001 of the stack's subnets, so their traffic to the service does not reach " +
                        "it. Add it to the endpoint (aws ec2 modify-vpc-endpoint --vpc-endpoint-id " +
                        "vpce-0b0000000000000b4 --add-route-table-ids rtb-0a000000000000001).",
                ],
            },
            {
                title: "one that is not available",
                apiEndpoints: { elasticloadbalancing: "vpce-0b0000000000000b5" },
                expected: [
                    `${key("elasticloadbalancing")} is "vpce-0b0000000000000b5", but that endpoint is pending, not ` +
                        `available. Wait until it is available, or name another endpoint in ${F}.`,
                ],
            },
            {
                title: "an interface endpoint for DynamoDB, which the stack reaches through a gateway",
                apiEndpoints: { dynamodb: "vpce-0b0000000000000b6" },
                expected: [
                    `${key("dynamodb")} is "vpce-0b0000000000000b6", but that is an Interface endpoint, and the stack ` +
                        "reaches dynamodb through a Gateway endpoint (routes on the subnets' route tables to the " +
                        `service's prefix list). Name the Gateway endpoint of dynamodb of ${VPC} in ${F}, or remove ` +
                        "it to have the stack create that endpoint.",
                ],
            },
            {
                title: "several at once",
                apiEndpoints: {
                    secretsmanager: "vpce-0b0000000000000b1",
                    elasticloadbalancing: "vpce-0a0000000000000a2",
                    dynamodb: "vpce-0b0000000000000b4",
                },
                expected: [
                    `${key("secretsmanager")} is "vpce-0b0000000000000b1", but that endpoint is in vpc-0b000000000000001, ` +
                        `and the stack's VPC is ${VPC} (network.vpcId). Name the secretsmanager endpoint of ${VPC} in ` +
                        `${F}, or remove it to have the stack create that endpoint.`,
                    `${key("dynamodb")} is "vpce-0b0000000000000b4", but that endpoint is not on the route table ` +
                        "rtb-0a000000000000001 of the stack's subnets, so their traffic to the service does not reach " +
                        "it. Add it to the endpoint (aws ec2 modify-vpc-endpoint --vpc-endpoint-id " +
                        "vpce-0b0000000000000b4 --add-route-table-ids rtb-0a000000000000001).",
                ],
            },
        ];
        for (const c of cases) {
            it(c.title, async () => {
                const r = await run(c.apiEndpoints);
                assert.ok(r.error instanceof ConfigError, String(r.error));
                assert.deepStrictEqual(
                    (r.error as ConfigError).problems.map((p) => p.message),
                    c.expected,
                );
                assert.deepStrictEqual(
                    r.resources.map((x) => x.type),
                    ["pulumi:providers:aws"],
                );
                assert.deepStrictEqual(
                    r.warnings.filter((w) => w.includes("apiEndpoints")),
                    [],
                );
            });
        }
    });
});
