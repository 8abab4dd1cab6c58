/**
 * The TargetSync component's resource graph under Pulumi mocks.
 * What a mock test cannot prove: that AWS accepts these inputs (the type checker checks names and required
 * inputs against the provider schema), that IAM evaluates the policy as intended, or that EventBridge
 * invokes the function; the handler itself is proven against moto in tests/integration.
 */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { validateTargetSyncArgs, type TargetSyncArgs } from "../../components/target-sync/args";
import { TargetSync } from "../../components/target-sync/component";
import { ENV } from "../../components/target-sync/handler";

interface Recorded {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    provider?: string;
}

const TG = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/writer/0123456789abcdef";
const base: TargetSyncArgs = {
    targetGroupArn: TG,
    proxyName: "app-proxy",
    proxyEndpoint: "app-proxy.proxy-abc.eu-west-1.rds.amazonaws.com",
    port: 5432,
    vpcId: "vpc-0123456789abcdef0",
    proxySubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    proxySecurityGroupIds: ["sg-0123456789abcdef0"],
    region: "eu-west-1",
};

/** What the dynamic resource reports after reading the proxy's subnets from EC2 (mocked). */
const CIDRS = ["10.0.0.0/20", "10.0.16.0/20"];

async function build(args: TargetSyncArgs): Promise<{ resources: Recorded[]; urns: string[] }> {
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
                        ...(a.type === "pulumi-nodejs:dynamic/target-sync:TargetRegistration"
                            ? { subnetCidrs: CIDRS }
                            : {}),
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
    const provider = new aws.Provider("account", { region: "eu-west-1" });
    const sync = new TargetSync("writer-sync", args, { provider });
    await new Promise<void>((resolve) =>
        pulumi.all([sync.functionName, sync.stateTableName]).apply(() => resolve()),
    );
    const settings = await import("@pulumi/pulumi/runtime/settings");
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        getRegisteredResources(): Map<string, unknown>;
    };
    return { resources, urns: [...monitor.getRegisteredResources().keys()] };
}

function one(resources: Recorded[], type: string): Recorded {
    const found = resources.filter((r) => r.type === type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0];
}

describe("TargetSync component (mocks)", function () {
    this.timeout(60_000);

    it("eni mode: Lambda outside the VPC, least-privilege role, state table, schedule, dynamic resource (its alarms are the path's: tests/unit/alarms.test.ts)", async () => {
        const { resources, urns } = await build(base);
        assert.equal(one(resources, "rds-cross-account:target-sync:TargetSync").name, "writer-sync");
        const children = resources.filter(
            (r) => r.type !== "pulumi:providers:aws" && r.type !== "rds-cross-account:target-sync:TargetSync",
        );
        assert.deepEqual(children.map((r) => `${r.type} ${r.name}`).sort(), [
            "aws:cloudwatch/eventRule:EventRule writer-sync-schedule",
            "aws:cloudwatch/eventTarget:EventTarget writer-sync-target",
            "aws:cloudwatch/logGroup:LogGroup writer-sync-logs",
            "aws:dynamodb/table:Table writer-sync-state",
            "aws:iam/role:Role writer-sync-role",
            "aws:iam/rolePolicy:RolePolicy writer-sync-policy",
            "aws:lambda/function:Function writer-sync-fn",
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig writer-sync-no-retries",
            "aws:lambda/permission:Permission writer-sync-invoke",
            "pulumi-nodejs:dynamic/target-sync:TargetRegistration writer-sync-registration",
        ]);
        // A failed run is not retried: the next scheduled run is the retry, and retries would overlap it.
        assert.deepEqual(
            (({ functionName, maximumRetryAttempts, maximumEventAgeInSeconds }) => ({
                functionName,
                maximumRetryAttempts,
                maximumEventAgeInSeconds,
            }))(one(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs),
            { functionName: "writer-sync-fn", maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        );
        // Every AWS child uses the account's provider; the dynamic resource cannot (it runs its own SDK
        // clients and assumes `assumeRoleArn` itself). All are parented to the component.
        for (const r of children) {
            if (r.type.startsWith("aws:")) {
                assert.ok(r.provider?.includes("::account::"), `${r.name} uses the account provider`);
            }
            assert.ok(
                urns.some((u) => u.endsWith(`rds-cross-account:target-sync:TargetSync$${r.type}::${r.name}`)),
                `${r.name} is a child of TargetSync`,
            );
        }

        const fn = one(resources, "aws:lambda/function:Function");
        assert.equal(fn.inputs.runtime, "nodejs22.x");
        assert.equal(fn.inputs.handler, "index.handler");
        assert.equal(fn.inputs.vpcConfig, undefined);
        assert.deepEqual(fn.inputs.loggingConfig, { logFormat: "Text", logGroup: "writer-sync-logs" });
        assert.deepEqual((fn.inputs.environment as { variables: Record<string, string> }).variables, {
            [ENV.targetGroupArn]: TG,
            [ENV.proxyName]: "app-proxy",
            [ENV.source]: "eni",
            [ENV.port]: "5432",
            [ENV.missesBeforeDeregister]: "3",
            [ENV.stateTableName]: "writer-sync-state",
            [ENV.vpcId]: "vpc-0123456789abcdef0",
            // Only the proxy's own addresses: its subnets (with the CIDRs the registration read from EC2, so the
            // function never needs the EC2 API for them) and its security groups.
            [ENV.proxySubnetIds]: "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
            [ENV.proxySubnetCidrs]: "10.0.0.0/20,10.0.16.0/20",
            [ENV.proxySecurityGroupIds]: "sg-0123456789abcdef0",
        });

        const role = one(resources, "aws:iam/role:Role");
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const policy = JSON.parse(one(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
        assert.deepEqual(policy.Statement, [
            {
                Sid: "ChangeThisTargetGroupOnly",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: TG,
            },
            {
                Sid: "ReadTargetGroup",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeLoadBalancers",
                ],
                Resource: "*",
            },
            {
                Sid: "MissState",
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
                Resource: "arn:aws:mock:eu-west-1:111111111111:writer-sync-state",
            },
            {
                Sid: "Logs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: "arn:aws:mock:eu-west-1:111111111111:writer-sync-logs:*",
            },
            {
                Sid: "FindProxyInterfaces",
                Effect: "Allow",
                Action: ["ec2:DescribeNetworkInterfaces"],
                Resource: "*",
            },
        ]);

        const table = one(resources, "aws:dynamodb/table:Table");
        assert.equal(table.inputs.billingMode, "PAY_PER_REQUEST");
        assert.equal(table.inputs.hashKey, "id");
        assert.deepEqual(table.inputs.attributes, [{ name: "id", type: "S" }]);

        assert.equal(
            one(resources, "aws:cloudwatch/eventRule:EventRule").inputs.scheduleExpression,
            "rate(1 minute)",
        );
        const permission = one(resources, "aws:lambda/permission:Permission");
        assert.equal(permission.inputs.principal, "events.amazonaws.com");
        assert.equal(permission.inputs.sourceArn, "arn:aws:mock:eu-west-1:111111111111:writer-sync-schedule");

        const reg = one(resources, "pulumi-nodejs:dynamic/target-sync:TargetRegistration");
        const { __provider, ...regInputs } = reg.inputs;
        assert.equal(typeof __provider, "string");
        assert.deepEqual(regInputs, {
            targetGroupArn: TG,
            port: 5432,
            source: "eni",
            proxyName: "app-proxy",
            vpcId: "vpc-0123456789abcdef0",
            proxySubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            proxySecurityGroupIds: ["sg-0123456789abcdef0"],
            missesBeforeDeregister: 3,
            region: "eu-west-1",
            stateTableName: "writer-sync-state",
        });
    });

    it("dns mode: the Lambda runs in the given subnets and security group with VPC interface permissions", async () => {
        const { resources } = await build({
            ...base,
            source: "dns",
            subnetIds: ["subnet-0a", "subnet-0b"],
            securityGroupId: "sg-0123",
            schedule: "rate(5 minutes)",
            missesBeforeDeregister: 4,
            assumeRoleArn: "arn:aws:iam::111111111111:role/deployer",
        });
        const fn = one(resources, "aws:lambda/function:Function");
        assert.deepEqual(fn.inputs.vpcConfig, {
            subnetIds: ["subnet-0a", "subnet-0b"],
            securityGroupIds: ["sg-0123"],
        });
        const vars = (fn.inputs.environment as { variables: Record<string, string> }).variables;
        assert.equal(vars[ENV.proxyEndpoint], base.proxyEndpoint);
        assert.equal(vars[ENV.vpcId], base.vpcId, "the target group's VPC is checked in dns mode too");
        assert.equal(vars[ENV.proxySubnetCidrs], "10.0.0.0/20,10.0.16.0/20");
        assert.equal(vars[ENV.missesBeforeDeregister], "4");
        const policy = JSON.parse(one(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
        const sids = (policy.Statement as { Sid: string }[]).map((s) => s.Sid);
        assert.deepEqual(sids, [
            "ChangeThisTargetGroupOnly",
            "ReadTargetGroup",
            "MissState",
            "Logs",
            "RunInsideVpc",
        ]);
        assert.deepEqual(policy.Statement[4], {
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
        });
        assert.equal(
            one(resources, "aws:cloudwatch/eventRule:EventRule").inputs.scheduleExpression,
            "rate(5 minutes)",
        );
        const reg = one(resources, "pulumi-nodejs:dynamic/target-sync:TargetRegistration");
        assert.equal(reg.inputs.assumeRoleArn, "arn:aws:iam::111111111111:role/deployer");
        assert.equal(reg.inputs.proxyEndpoint, base.proxyEndpoint);
        assert.equal(reg.inputs.vpcId, base.vpcId);
        assert.deepEqual(reg.inputs.proxySubnetIds, base.proxySubnetIds);
    });

    /** The component's message for an argument that breaks its rule. */
    const bad = (name: string, got: string, must: string, example: string) =>
        `TargetSync argument '${name}' ${got}, but it must be ${must}. Pass such a value, for example ${example}.`;
    const SCHEDULE_RULE =
        'an EventBridge schedule expression: "rate(N minutes)", or "cron(...)" with six fields and "?" in exactly ' +
        "one of day-of-month and day-of-week";
    /** The problems `validateTargetSyncArgs` throws, as [property, reason]; none when it does not throw. */
    const problemsOf = (args: TargetSyncArgs): [string, string][] => {
        try {
            validateTargetSyncArgs("sync", args);
            return [];
        } catch (err) {
            assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
            return err.errors.map((e) => [e.propertyPath, e.reason]);
        }
    };
    const invalid: [string, Partial<TargetSyncArgs>, [string, string][]][] = [
        [
            "bad plain values, all reported at once",
            {
                source: "api" as never,
                schedule: "every minute",
                missesBeforeDeregister: 0,
                region: "Ireland",
                port: 0,
            },
            [
                ["source", bad("source", 'is "api"', 'one of "eni", "dns"', '"dns"')],
                ["schedule", bad("schedule", 'is "every minute"', SCHEDULE_RULE, '"rate(1 minute)"')],
                [
                    "missesBeforeDeregister",
                    bad("missesBeforeDeregister", "is 0", "a whole number from 1 to 100", "3"),
                ],
                ["region", bad("region", 'is "Ireland"', "an AWS region code", '"eu-west-1"')],
                ["port", bad("port", "is 0", "a TCP port from 1 to 65535", "5432")],
            ],
        ],
        [
            "dns without the Lambda's network",
            { source: "dns" },
            [
                [
                    "subnetIds",
                    `TargetSync argument 'subnetIds' is not set, but source "dns" needs two or more subnets: the ` +
                        `Lambda must resolve the proxy inside the VPC. Pass the proxy's subnets.`,
                ],
                [
                    "securityGroupId",
                    `TargetSync argument 'securityGroupId' is not set, but source "dns" needs it: the Lambda runs ` +
                        `inside the VPC. Pass the security group that may reach the ELB and DynamoDB endpoints.`,
                ],
            ],
        ],
        [
            "VPC settings with eni",
            { subnetIds: ["subnet-0a"] },
            [
                [
                    "subnetIds",
                    `TargetSync argument 'subnetIds' is ["subnet-0a"], but it applies only when source is "dns" ` +
                        `(with "eni" the Lambda runs outside the VPC). Remove it or set source to "dns".`,
                ],
            ],
        ],
        [
            "rate(1 minutes) is not valid EventBridge syntax",
            { schedule: "rate(1 minutes)" },
            [["schedule", bad("schedule", 'is "rate(1 minutes)"', SCHEDULE_RULE, '"rate(1 minute)"')]],
        ],
    ];
    for (const [name, override, expected] of invalid) {
        it(`rejects ${name}`, () => {
            assert.deepEqual(problemsOf({ ...base, ...override }), expected);
        });
    }

    it("accepts cron schedules and throws InputPropertiesError from the constructor", async () => {
        assert.deepEqual(problemsOf({ ...base, schedule: "cron(0/5 * * * ? *)" }), []);
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
                call: (a) => {
                    throw new Error(`unexpected invoke ${a.token}`);
                },
            },
            "rds-cross-account",
            "db-account",
        );
        assert.throws(
            () => new TargetSync("bad", { ...base, missesBeforeDeregister: -2 }),
            (err: unknown) =>
                pulumi.InputPropertiesError.isInstance(err) &&
                err.message ===
                    "Invalid arguments for TargetSync bad:\n  - " +
                        bad("missesBeforeDeregister", "is -2", "a whole number from 1 to 100", "3") &&
                err.errors.length === 1 &&
                err.errors[0].propertyPath === "missesBeforeDeregister",
        );
    });
});
