/**
 * The DatabaseUsers component and the Secrets Manager option of AwsApiEndpoints under Pulumi mocks.
 * What a mock test cannot prove: that IAM evaluates the policy as intended, that the Invocation provider sends the
 * CRUD lifecycle key as documented, that Lambda in these subnets reaches the endpoint through private DNS, or that
 * the security groups pass the traffic; the handler itself is proven in tests/integration/bootstrap-handler.test.ts.
 */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseUsers, type DatabaseUsersArgs } from "../../components/bootstrap/component";
import { ENV } from "../../components/bootstrap/handler";
import { defaultMarkerRole } from "../../components/bootstrap/names";
import { AwsApiEndpoints, type AwsApiEndpointsArgs } from "../../components/network/aws-api-endpoints";
import { ENGINES, type Engine } from "../../vocabulary/engines";

interface Recorded {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    provider?: string;
}

const MASTER = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!cluster-abc-AbCdEf";
const ORDERS = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-AbCdEf";
const BILLING = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:billing-AbCdEf";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b3c8e2a-1111-2222-3333-444455556666";

const base: DatabaseUsersArgs = {
    engine: "aurora-postgresql",
    applicationAuth: "password",
    database: "app",
    users: [
        {
            name: "orders_app",
            databaseRole: "app_readwrite",
            secretArn: ORDERS,
            secretVersionId: "v-orders-1",
        },
        { name: "billing_app", secretArn: BILLING },
    ],
    region: "eu-west-1",
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-a", "subnet-b"],
    clusterEndpoint: "db.cluster-abc.eu-west-1.rds.amazonaws.com",
    clusterPort: 5432,
    clusterSecurityGroupId: "sg-cluster",
    masterSecretArn: MASTER,
    secretsManagerClientSecurityGroupId: "sg-sm-clients",
    kmsKeyArns: [KEY],
};

async function record(build: () => pulumi.Resource[]): Promise<Recorded[]> {
    const resources: Recorded[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(a) {
                resources.push({
                    type: a.type,
                    name: a.name,
                    inputs: a.inputs,
                    provider: a.provider || undefined,
                });
                return {
                    id: `${a.name}-id`,
                    state: {
                        ...a.inputs,
                        name: a.inputs.name ?? a.name,
                        arn: `arn:aws:mock:eu-west-1:111111111111:${a.name}`,
                        result: a.type === "aws:lambda/invocation:Invocation" ? '{"created":[]}' : undefined,
                    },
                };
            },
            call(a) {
                throw new Error(`unexpected invoke ${a.token}`);
            },
        },
        "rds-cross-account",
        "db-account",
    );
    build();
    const settings = await import("@pulumi/pulumi/runtime/settings");
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return resources;
}

function one(resources: Recorded[], type: string, name?: string): Recorded {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `exactly one ${type} ${name ?? ""}`);
    return found[0];
}

function errorOf(build: () => unknown): pulumi.InputPropertiesError {
    try {
        build();
    } catch (err) {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), `expected InputPropertiesError, got ${err}`);
        return err as pulumi.InputPropertiesError;
    }
    assert.fail("expected the constructor to throw");
}

describe("DatabaseUsers component (mocks)", function () {
    this.timeout(60_000);

    it("creates exactly the function, role, policy, logs, security group and its two rules, and the Invocation", async () => {
        const r = await record(() => {
            const provider = new aws.Provider("account", { region: "eu-west-1" });
            return [new DatabaseUsers("users", base, { provider })];
        });
        assert.deepEqual(r.map((x) => `${x.type}::${x.name}`).sort(), [
            "aws:cloudwatch/logGroup:LogGroup::users-logs",
            "aws:ec2/securityGroup:SecurityGroup::users-sg",
            "aws:iam/role:Role::users-role",
            "aws:iam/rolePolicy:RolePolicy::users-policy",
            "aws:lambda/function:Function::users-fn",
            "aws:lambda/invocation:Invocation::users-run",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::users-to-cluster",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::users-cluster-from-bootstrap",
            "pulumi:providers:aws::account",
            "rds-cross-account:bootstrap:DatabaseUsers::users",
        ]);
        for (const x of r.filter((y) => y.type.startsWith("aws:") && !y.type.startsWith("pulumi:"))) {
            assert.match(x.provider ?? "", /::account::/, `${x.name} uses the account's provider`);
        }
    });

    it("role policy: exactly the master and users' secrets, KMS through Secrets Manager only, its logs, VPC ENIs", async () => {
        const r = await record(() => [new DatabaseUsers("users", base)]);
        const policy = JSON.parse(one(r, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
        assert.deepEqual(policy, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadTheBootstrapSecrets",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue"],
                    Resource: [MASTER, ORDERS, BILLING],
                },
                {
                    Sid: "DecryptThroughSecretsManager",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [KEY],
                    Condition: {
                        StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
                    },
                },
                {
                    Sid: "Logs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: "arn:aws:mock:eu-west-1:111111111111:users-logs:*",
                },
                {
                    Sid: "RunInsideVpc",
                    Effect: "Allow",
                    Action: [
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses",
                        "ec2:UnassignPrivateIpAddresses",
                    ],
                    Resource: "*",
                },
            ],
        });
        const trust = JSON.parse(one(r, "aws:iam/role:Role").inputs.assumeRolePolicy as string);
        assert.deepEqual(trust.Statement, [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
    });

    it("iam mode without keys: the policy reads the master secret only and has no KMS statement", async () => {
        const r = await record(() => [
            new DatabaseUsers("users", {
                ...base,
                applicationAuth: "iam",
                users: [{ name: "orders_app" }],
                kmsKeyArns: undefined,
            }),
        ]);
        const policy = JSON.parse(one(r, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
        assert.deepEqual(
            policy.Statement.map((s: { Sid: string }) => s.Sid),
            ["ReadTheBootstrapSecrets", "Logs", "RunInsideVpc"],
        );
        assert.deepEqual(policy.Statement[0].Resource, [MASTER]);
    });

    it("security group: egress only to the cluster's port on the cluster's group; the cluster admits it back", async () => {
        const r = await record(() => [new DatabaseUsers("users", base)]);
        const sg = one(r, "aws:ec2/securityGroup:SecurityGroup");
        assert.equal(sg.inputs.vpcId, base.vpcId);
        assert.equal(sg.inputs.egress, undefined, "no inline rules");
        assert.equal(sg.inputs.ingress, undefined, "no inline rules");
        const egress = r.filter((x) => x.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        assert.deepEqual(
            egress.map((x) => x.inputs),
            [
                {
                    securityGroupId: "users-sg-id",
                    referencedSecurityGroupId: "sg-cluster",
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    description: "Database user bootstrap to the cluster writer",
                },
            ],
        );
        const ingress = r.filter(
            (x) => x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        );
        assert.deepEqual(
            ingress.map((x) => x.inputs),
            [
                {
                    securityGroupId: "sg-cluster",
                    referencedSecurityGroupId: "users-sg-id",
                    ipProtocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    description: "Cluster from the database user bootstrap",
                },
            ],
        );
    });

    it("function: nodejs22.x in the VPC's subnets with its group and the Secrets Manager client group", async () => {
        const r = await record(() => [new DatabaseUsers("users", base)]);
        const fn = one(r, "aws:lambda/function:Function");
        assert.equal(fn.inputs.runtime, "nodejs22.x");
        assert.equal(fn.inputs.handler, "index.handler");
        assert.deepEqual(fn.inputs.vpcConfig, {
            subnetIds: ["subnet-a", "subnet-b"],
            securityGroupIds: ["users-sg-id", "sg-sm-clients"],
        });
        assert.deepEqual(fn.inputs.environment, {
            variables: {
                [ENV.masterSecretArn]: MASTER,
                [ENV.host]: "db.cluster-abc.eu-west-1.rds.amazonaws.com",
                [ENV.port]: "5432",
                // The mocks' project and stack: distinct per stack and component on a shared cluster.
                [ENV.markerRole]: defaultMarkerRole("rds-cross-account", "db-account", "users"),
            },
        });
    });

    it("marker role: per stack and component by default, or the one given (kept across a rename)", async () => {
        const markerOf = async (name: string, args: DatabaseUsersArgs) => {
            const fn = one(
                await record(() => [new DatabaseUsers(name, args)]),
                "aws:lambda/function:Function",
            );
            return (fn.inputs.environment as { variables: Record<string, string> }).variables[ENV.markerRole];
        };
        const users = await markerOf("users", base);
        assert.match(users, /^rcx_bootstrap_[0-9a-f]{16}$/);
        assert.notEqual(await markerOf("other-users", base), users);
        assert.equal(await markerOf("renamed", { ...base, markerRole: users }), users);
        const err = errorOf(() => new DatabaseUsers("users", { ...base, markerRole: "users; DROP ROLE x" }));
        assert.deepEqual(
            err.errors.map((e) => e.reason),
            [
                'DatabaseUsers argument \'markerRole\' is "users; DROP ROLE x", but it must be "rcx_bootstrap_" followed by 1-18 lowercase letters, digits and underscores. Pass such a value, for example "rcx_bootstrap_orders".',
            ],
        );
    });

    it("Invocation: CRUD lifecycle, the users list as input with secret ARNs and no password", async () => {
        const r = await record(() => [
            new DatabaseUsers("users", {
                ...base,
                users: [base.users[0], { ...base.users[1], adopt: true }],
                lockedUsers: ["old_app"],
                triggers: { rotation: "2" },
            }),
        ]);
        const inv = one(r, "aws:lambda/invocation:Invocation");
        assert.equal(inv.inputs.lifecycleScope, "CRUD");
        assert.equal(inv.inputs.functionName, "users-fn");
        assert.deepEqual(inv.inputs.triggers, { rotation: "2" });
        assert.equal(inv.inputs.terraformKey, undefined, "the lifecycle key stays the default tf");
        assert.deepEqual(JSON.parse(inv.inputs.input as string), {
            engine: "aurora-postgresql",
            applicationAuth: "password",
            database: "app",
            users: [
                {
                    name: "orders_app",
                    databaseRole: "app_readwrite",
                    secretArn: ORDERS,
                    secretVersionId: "v-orders-1",
                },
                // adopt only where it is set: the other users' input is the same as before it existed.
                { name: "billing_app", adopt: true, secretArn: BILLING },
            ],
            lockedUsers: ["old_app"],
        });
        assert.doesNotMatch(inv.inputs.input as string, /"password"\s*:/);
    });

    it("a changed user setting changes the Invocation's input (so the function runs again)", async () => {
        const inputOf = async (args: DatabaseUsersArgs) =>
            one(await record(() => [new DatabaseUsers("users", args)]), "aws:lambda/invocation:Invocation")
                .inputs.input;
        const before = await inputOf(base);
        const changed = await inputOf({
            ...base,
            users: [base.users[0], { ...base.users[1], databaseRole: "app_readonly" }],
        });
        const removed = await inputOf({ ...base, users: [base.users[0]] });
        assert.notEqual(changed, before);
        assert.notEqual(removed, before);
        assert.equal(await inputOf(base), before, "the same config gives the same input");
    });

    for (const engine of ENGINES) {
        it(`${engine}: the Invocation's input names the engine, from which the function takes its dialect`, async () => {
            const r = await record(() => [new DatabaseUsers("users", { ...base, engine })]);
            const input = JSON.parse(one(r, "aws:lambda/invocation:Invocation").inputs.input as string);
            assert.equal(input.engine, engine);
        });
    }

    it("refuses an engine it does not know, naming the five, and judges no name without one", () => {
        const err = errorOf(
            () => new DatabaseUsers("users", { ...base, engine: "oracle-ee" as unknown as Engine }),
        );
        assert.deepEqual(
            err.errors.map((e) => [e.propertyPath, e.reason]),
            [
                [
                    "engine",
                    'DatabaseUsers argument \'engine\' is "oracle-ee", but it must be one of "aurora-postgresql", ' +
                        '"aurora-mysql", "postgres", "mysql", "mariadb". Pass such a value, for example "aurora-postgresql".',
                ],
            ],
        );
    });

    it("refuses bad arguments, every problem at once, before any child", async () => {
        const err = errorOf(
            () =>
                new DatabaseUsers("users", {
                    ...base,
                    users: [{ name: "Bad-Name", secretArn: ORDERS }, { name: "billing_app" }],
                }),
        );
        assert.deepEqual(
            err.errors.map((e) => e.propertyPath),
            ["users[0].name", "users[1].secretArn"],
        );
        assert.match(
            err.errors[1].reason,
            /^DatabaseUsers argument 'users\[1\]\.secretArn' is not set, but password mode reads each user's password from its secret\. Pass the consumer's secret ARN\.$/,
        );
    });
});

describe("AwsApiEndpoints Secrets Manager option (mocks)", function () {
    this.timeout(60_000);
    const args: AwsApiEndpointsArgs = {
        region: "eu-west-1",
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b"],
        routeTableIds: ["rtb-1"],
    };

    it("default: unchanged, the ELB and DynamoDB endpoints and no Secrets Manager", async () => {
        const r = await record(() => [new AwsApiEndpoints("api", args)]);
        assert.deepEqual(r.map((x) => `${x.type}::${x.name}`).sort(), [
            "aws:ec2/securityGroup:SecurityGroup::api-clients-sg",
            "aws:ec2/securityGroup:SecurityGroup::api-endpoints-sg",
            "aws:ec2/vpcEndpoint:VpcEndpoint::api-dynamodb",
            "aws:ec2/vpcEndpoint:VpcEndpoint::api-elasticloadbalancing",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::api-clients-to-dynamodb",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule::api-clients-to-endpoints",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::api-endpoints-from-clients",
            "rds-cross-account:network:AwsApiEndpoints::api",
        ]);
    });

    it('services ["secretsmanager"]: an interface endpoint with private DNS, 443 only from its own client group', async () => {
        const r = await record(() => [
            new AwsApiEndpoints("api", { ...args, routeTableIds: undefined, services: ["secretsmanager"] }),
        ]);
        const endpoint = one(r, "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.deepEqual(endpoint.inputs, {
            vpcId: "vpc-1",
            serviceName: "com.amazonaws.eu-west-1.secretsmanager",
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: ["subnet-a", "subnet-b"],
            securityGroupIds: ["api-secretsmanager-sg-id"],
        });
        assert.deepEqual(one(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs, {
            securityGroupId: "api-secretsmanager-sg-id",
            referencedSecurityGroupId: "api-secretsmanager-clients-sg-id",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "Secrets Manager endpoint from its clients, HTTPS",
        });
        assert.deepEqual(one(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs, {
            securityGroupId: "api-secretsmanager-clients-sg-id",
            referencedSecurityGroupId: "api-secretsmanager-sg-id",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "Clients to the Secrets Manager interface endpoint, HTTPS",
        });
        // The ELB/DynamoDB client group exists but has no rule: joining it reaches nothing.
        assert.deepEqual(
            r.filter((x) => x.type === "aws:ec2/securityGroup:SecurityGroup").map((x) => x.name),
            ["api-clients-sg", "api-secretsmanager-clients-sg", "api-secretsmanager-sg"],
        );
    });

    it("all three services: the sync's endpoints as by default plus Secrets Manager's", async () => {
        const r = await record(() => [
            new AwsApiEndpoints("api", {
                ...args,
                services: ["elasticloadbalancing", "dynamodb", "secretsmanager"],
            }),
        ]);
        assert.deepEqual(
            r
                .filter((x) => x.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
                .map((x) => x.inputs.serviceName)
                .sort(),
            [
                "com.amazonaws.eu-west-1.dynamodb",
                "com.amazonaws.eu-west-1.elasticloadbalancing",
                "com.amazonaws.eu-west-1.secretsmanager",
            ],
        );
    });

    const bad: {
        title: string;
        args: AwsApiEndpointsArgs;
        errors: { propertyPath: string; reason: string }[];
    }[] = [
        {
            title: "unknown and repeated services",
            args: { ...args, services: ["secretsmanager", "secretsmanager"] },
            errors: [
                {
                    propertyPath: "services",
                    reason: 'AwsApiEndpoints argument \'services\' is ["secretsmanager","secretsmanager"], but it must be a non-empty list of distinct services out of "elasticloadbalancing", "dynamodb", "secretsmanager". Pass such a value, for example ["elasticloadbalancing", "dynamodb", "secretsmanager"].',
                },
            ],
        },
        {
            title: "dynamodb without route tables",
            args: { ...args, routeTableIds: undefined },
            errors: [
                {
                    propertyPath: "routeTableIds",
                    reason: "AwsApiEndpoints argument 'routeTableIds' is not set, but the DynamoDB gateway endpoint needs the route tables of the subnets. Pass them, or leave \"dynamodb\" out of services.",
                },
            ],
        },
    ];
    for (const { title, args: a, errors } of bad) {
        it(`refuses ${title}`, async () => {
            await record(() => []);
            assert.deepEqual(errorOf(() => new AwsApiEndpoints("api", a)).errors, errors);
        });
    }
});
