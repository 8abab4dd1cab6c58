// The database-client-instances-private rule, called in-process as the SDK calls it (see
// tools/mutation/in-process-policy): which security groups count as database client groups (egress to a database
// port, narrower than every port, in each of the three rule shapes, linked by dependency or by ID), which instances
// sit in one, and which of their settings it blocks. Exact messages. Then the whole pack in-process on ways around
// it (support/constructs.ts); wire.test.ts proves the rule through the pack's real interface.
import * as assert from "node:assert/strict";
import { databaseClientInstancesPrivate } from "../../policy-pack/rules/developer-access";
import {
    UNKNOWN,
    urnOf,
    validateStack,
    type Outcome,
    type TestResource,
} from "../../tools/mutation/in-process-policy";
import { describeConstructs, type Construct } from "./support/constructs";
import { EC2_INSTANCE, SG, SG_RULE, VPC_EGRESS } from "./support/tokens";

const FIX =
    'Fix: set associatePublicIpAddress: false and metadataOptions { httpTokens: "required", httpPutResponseHopLimit: 1 }, and reach the instance through Session Manager instead of a public address.';
const PUBLIC = "sets associatePublicIpAddress: true, which gives it a public IP address";
const IMDSV1 = "does not set metadataOptions.httpTokens, so it may answer IMDSv1";
const HARDENED = { associatePublicIpAddress: false, metadataOptions: { httpTokens: "required" } };
const NONE: Outcome = { violations: [] };

function res(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps?: Record<string, string[]>,
): TestResource {
    return deps === undefined ? { type, name, props } : { type, name, props, propertyDependencies: deps };
}

/** A client group of the stack: group "client" with a vpc egress rule on `port` linked by dependency. */
function clientGroup(port = 5432, from = port, to = port, protocol: string = "tcp"): TestResource[] {
    return [
        res(SG, "client", {}),
        res(
            VPC_EGRESS,
            "out",
            { ipProtocol: protocol, fromPort: from, toPort: to },
            { securityGroupId: ["client"] },
        ),
    ];
}

/** An instance in group "client" (by dependency) with `props`. */
function instanceIn(props: Record<string, unknown>): TestResource {
    return res(EC2_INSTANCE, "dev", props, { vpcSecurityGroupIds: ["client"] });
}

function blocked(group: string, ...what: string[]): Outcome {
    return {
        violations: [
            {
                message: `${EC2_INSTANCE} "dev" is in the database client security group ${group} and ${what.join(", and ")}. ${FIX}`,
                urn: urnOf(EC2_INSTANCE, "dev"),
            },
        ],
    };
}

const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
    validateStack(databaseClientInstancesPrivate, resources, config);

describe("policy rules in-process: database-client-instances-private", () => {
    const IN_CLIENT = `${SG} "client"`;
    // [title, resources, outcome]
    const table: Array<[string, TestResource[], Outcome]> = [
        [
            "passes a private IMDSv2-only instance in a client group",
            [...clientGroup(), instanceIn(HARDENED)],
            NONE,
        ],
        [
            "blocks a public IP in a client group",
            [...clientGroup(), instanceIn({ ...HARDENED, associatePublicIpAddress: true })],
            blocked(IN_CLIENT, PUBLIC),
        ],
        [
            "blocks an instance without httpTokens in a client group",
            [...clientGroup(), instanceIn({ associatePublicIpAddress: false })],
            blocked(IN_CLIENT, IMDSV1),
        ],
        [
            'blocks httpTokens "optional", and a public IP, in one message',
            [
                ...clientGroup(),
                instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "optional" } }),
            ],
            blocked(IN_CLIENT, PUBLIC, 'sets metadataOptions.httpTokens: "optional", so it answers IMDSv1'),
        ],
        [
            'blocks associatePublicIpAddress "yes", which the pack cannot read as false',
            [...clientGroup(), instanceIn({ ...HARDENED, associatePublicIpAddress: "yes" })],
            blocked(
                IN_CLIENT,
                'sets associatePublicIpAddress: "yes", which is not a boolean the provider reads as false',
            ),
        ],
        [
            'passes associatePublicIpAddress "false" (the provider reads it as false)',
            [...clientGroup(), instanceIn({ ...HARDENED, associatePublicIpAddress: "false" })],
            NONE,
        ],
        [
            "passes associatePublicIpAddress omitted (the subnet decides; documented)",
            [...clientGroup(), instanceIn({ metadataOptions: { httpTokens: "required" } })],
            NONE,
        ],
        [
            "passes an exposed instance in a group without database egress",
            [...clientGroup(443), instanceIn({ associatePublicIpAddress: true })],
            NONE,
        ],
        [
            "passes an exposed instance in a group whose egress is every port (every group's default)",
            [...clientGroup(5432, 0, 65535, "-1"), instanceIn({ associatePublicIpAddress: true })],
            NONE,
        ],
        [
            "blocks a range that covers a database port (3000-4000 holds 3306)",
            [
                ...clientGroup(3306, 3000, 4000),
                instanceIn({
                    associatePublicIpAddress: true,
                    ...{ metadataOptions: { httpTokens: "required" } },
                }),
            ],
            blocked(IN_CLIENT, PUBLIC),
        ],
        [
            "passes an exposed instance in another group of the stack",
            [
                ...clientGroup(),
                res(SG, "web", {}),
                res(
                    EC2_INSTANCE,
                    "dev",
                    { associatePublicIpAddress: true },
                    { vpcSecurityGroupIds: ["web"] },
                ),
            ],
            NONE,
        ],
        [
            "blocks through inline egress of the group",
            [
                res(SG, "client", {
                    egress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] }],
                }),
                instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }),
            ],
            blocked(IN_CLIENT, PUBLIC),
        ],
        [
            "blocks through an egress SecurityGroupRule (protocol number 6)",
            [
                res(SG, "client", {}),
                res(
                    SG_RULE,
                    "out",
                    { type: "egress", protocol: "6", fromPort: 5432, toPort: 5432 },
                    { securityGroupId: ["client"] },
                ),
                instanceIn({ metadataOptions: { httpTokens: "optional" } }),
            ],
            blocked(IN_CLIENT, 'sets metadataOptions.httpTokens: "optional", so it answers IMDSv1'),
        ],
        [
            "ignores an ingress SecurityGroupRule on a database port",
            [
                res(SG, "client", {}),
                res(
                    SG_RULE,
                    "in",
                    { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432 },
                    { securityGroupId: ["client"] },
                ),
                instanceIn({ associatePublicIpAddress: true }),
            ],
            NONE,
        ],
        [
            "blocks by ID a group from outside the stack that an egress rule of the stack names",
            [
                res(VPC_EGRESS, "out", {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroupId: "sg-0client",
                }),
                res(EC2_INSTANCE, "dev", {
                    associatePublicIpAddress: true,
                    metadataOptions: { httpTokens: "required" },
                    vpcSecurityGroupIds: ["sg-0other", "sg-0client"],
                }),
            ],
            blocked("sg-0client", PUBLIC),
        ],
        [
            "blocks by the group's ID when the engine sent no dependency",
            [
                res(SG, "client", {
                    id: "sg-0client",
                    egress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379 }],
                }),
                res(EC2_INSTANCE, "dev", { vpcSecurityGroupIds: ["sg-0client"] }),
            ],
            blocked(IN_CLIENT, IMDSV1),
        ],
        [
            "blocks egress from port 0 up to a database port (narrower than every port)",
            [
                ...clientGroup(5432, 0, 5432),
                instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }),
            ],
            blocked(IN_CLIENT, PUBLIC),
        ],
        [
            "blocks egress from a database port up to 65535 (narrower than every port)",
            [
                ...clientGroup(5432, 5432, 65535),
                instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }),
            ],
            blocked(IN_CLIENT, PUBLIC),
        ],
        [
            "skips an inline egress entry that is not an object",
            [
                res(SG, "client", { egress: [null, { protocol: "tcp", fromPort: 5432, toPort: 5432 }] }),
                instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }),
            ],
            blocked(IN_CLIENT, PUBLIC),
        ],
        [
            "passes an instance whose listed IDs are other groups than the client group outside the stack",
            [
                res(VPC_EGRESS, "out", {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroupId: "sg-0client",
                }),
                res(EC2_INSTANCE, "dev", {
                    associatePublicIpAddress: true,
                    vpcSecurityGroupIds: ["sg-0other"],
                }),
            ],
            NONE,
        ],
        [
            "passes an instance whose listed IDs are other groups than the stack's client group",
            [
                res(SG, "client", {
                    id: "sg-0client",
                    egress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432 }],
                }),
                res(EC2_INSTANCE, "dev", {
                    associatePublicIpAddress: true,
                    vpcSecurityGroupIds: ["sg-0other"],
                }),
            ],
            NONE,
        ],
        [
            "passes an egress rule with an empty securityGroupId (it names no group)",
            [
                res(VPC_EGRESS, "out", {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroupId: "",
                }),
                res(EC2_INSTANCE, "dev", { associatePublicIpAddress: true, vpcSecurityGroupIds: [""] }),
            ],
            NONE,
        ],
        [
            "blocks by a known ID next to an unknown one, and finishes (the known ID answers)",
            [
                res(VPC_EGRESS, "out", {
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroupId: "sg-0client",
                }),
                res(EC2_INSTANCE, "dev", {
                    associatePublicIpAddress: true,
                    metadataOptions: { httpTokens: "required" },
                    vpcSecurityGroupIds: [UNKNOWN.string, "sg-0client"],
                }),
            ],
            blocked("sg-0client", PUBLIC),
        ],
        [
            "passes associatePublicIpAddress null (as omitted)",
            [
                ...clientGroup(),
                instanceIn({ associatePublicIpAddress: null, metadataOptions: { httpTokens: "required" } }),
            ],
            NONE,
        ],
        [
            "leaves other resources in a client group alone (an RDS instance has vpcSecurityGroupIds too)",
            [
                ...clientGroup(),
                res(
                    "aws:rds/instance:Instance",
                    "db",
                    { publiclyAccessible: false },
                    { vpcSecurityGroupIds: ["client"] },
                ),
            ],
            NONE,
        ],
    ];
    for (const [title, resources, expected] of table) {
        it(title, async () => {
            assert.deepEqual(await run(resources), expected);
        });
    }

    it("counts extraPorts as database ports", async () => {
        const resources = [...clientGroup(8443), instanceIn({ associatePublicIpAddress: true })];
        assert.deepEqual(await run(resources), NONE);
        assert.deepEqual(await run(resources, { extraPorts: [8443] }), blocked(IN_CLIENT, PUBLIC, IMDSV1));
    });

    it("judges instances against the known client groups when another group's egress is unknown during preview", async () => {
        const outcome = await run([
            res(SG, "web", { egress: UNKNOWN.array }),
            ...clientGroup(),
            instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }),
        ]);
        assert.deepEqual(outcome.violations, blocked(IN_CLIENT, PUBLIC).violations);
        assert.ok(
            outcome.unknown !== undefined,
            "the unknown egress must make the rule report that it could not finish",
        );
    });

    it("finds the group by dependency without reading IDs that are unknown during preview", async () => {
        const outcome = await run([
            ...clientGroup(),
            res(
                EC2_INSTANCE,
                "dev",
                { vpcSecurityGroupIds: [UNKNOWN.string], associatePublicIpAddress: false },
                { vpcSecurityGroupIds: ["client"] },
            ),
        ]);
        assert.deepEqual(outcome, blocked(IN_CLIENT, IMDSV1));
    });

    it("cannot tell an instance whose only group ID is unknown and has no dependency: advisory, not a pass", async () => {
        const outcome = await run([
            ...clientGroup(),
            res(EC2_INSTANCE, "dev", {
                vpcSecurityGroupIds: [UNKNOWN.string],
                associatePublicIpAddress: true,
            }),
        ]);
        assert.deepEqual(outcome.violations, []);
        assert.ok(outcome.unknown !== undefined);
    });

    it("judges the known instances when another one's settings are unknown during preview", async () => {
        const outcome = await run([
            ...clientGroup(),
            instanceIn({ associatePublicIpAddress: true, metadataOptions: { httpTokens: "required" } }),
            res(
                EC2_INSTANCE,
                "later",
                { associatePublicIpAddress: UNKNOWN.bool },
                { vpcSecurityGroupIds: ["client"] },
            ),
        ]);
        assert.deepEqual(outcome.violations, blocked(IN_CLIENT, PUBLIC).violations);
        assert.ok(
            outcome.unknown !== undefined,
            "the unknown value must make the rule report that it could not finish",
        );
    });
});

const linked = (props: Record<string, unknown>): Construct["resources"] => [
    { type: SG, name: "client", props: {} },
    {
        type: VPC_EGRESS,
        name: "out",
        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432 },
        propertyDependencies: { securityGroupId: [urnOf(SG, "client")] },
    },
    {
        type: EC2_INSTANCE,
        name: "dev",
        props,
        propertyDependencies: { vpcSecurityGroupIds: [urnOf(SG, "client")] },
    },
];

describeConstructs(
    "policy pack in-process: database-client-instances-private, ways around it",
    [
        {
            group: "instances in a database client group",
            constructs: [
                {
                    title: "public IP as the string True",
                    resources: linked({
                        associatePublicIpAddress: "True",
                        metadataOptions: { httpTokens: "required" },
                    }),
                    caughtBy: "database-client-instances-private",
                },
                {
                    title: "IMDSv2 optional with the hop limit raised",
                    resources: linked({
                        metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 },
                    }),
                    caughtBy: "database-client-instances-private",
                },
                {
                    title: "httpTokens in another letter case",
                    resources: linked({ metadataOptions: { httpTokens: "Required" } }),
                    caughtBy: "database-client-instances-private",
                },
            ],
        },
    ],
    [
        {
            group: "instances the rule must leave alone",
            constructs: [
                {
                    title: "the developer-access instance's settings",
                    resources: linked({
                        associatePublicIpAddress: false,
                        metadataOptions: {
                            httpEndpoint: "enabled",
                            httpTokens: "required",
                            httpPutResponseHopLimit: 1,
                        },
                    }),
                },
            ],
        },
    ],
);
