/**
 * The canary of the app-account stack under mocks: its config key (`canary.enabled`, `canary.schedule`), the
 * function's code, environment, network placement and role (its fixed name, exactly the mode's application
 * statements, its logs, VPC access), the schedule, one alarm per endpoint, the outputs, and nothing of it when it
 * is off or cannot log in; and the pure pieces both stacks or the function rely on (the role name, the period, the
 * EMF line, the settings check).
 *
 * What a mock test cannot prove: that Lambda reaches the endpoints from the subnets and groups given, that
 * CloudWatch Logs extracts the EMF lines into metrics, or that the alarm fires; the connection check itself is
 * proven against real servers (tests/integration/canary-connect.test.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import {
    Canary,
    canaryPeriodSeconds,
    canaryProducerOf,
    canaryRoleName,
} from "../../components/consumer/canary";
import { bundleCanaryHandler } from "../../components/consumer/canary/bundle";
import { emfLine, readSettings } from "../../components/consumer/canary/handler";
import { ConfigError } from "../../stacks/config/kit";
import { awsCalls, dbAccountState, exampleConfig } from "../support/fixtures";
import {
    ofType,
    parentType,
    providerName,
    runStack,
    single,
    type StackRun,
} from "../../tools/recording/harness";

const PRODUCER = "organization/rds-cross-account/db-account";
const SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
const WRITER = "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
const READER = "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
const READER_REAL = "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com";
const ROLE = "arn:aws:iam::111111111111:role/db-account-connect-orders";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-orders-AbCdEf";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001";
const VPC = "vpc-0d000000000000001";
const SUBNETS = ["subnet-0a000000000000001", "subnet-0a000000000000002", "subnet-0a000000000000003"];
const F = "Pulumi.app-account.yaml";
const ROLE_NAME = canaryRoleName("rds-cross-account/db-account", "orders");

const T = {
    canary: "rds-cross-account:consumer:Canary",
    fn: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logs: "aws:cloudwatch/logGroup:LogGroup",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    permission: "aws:lambda/permission:Permission",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};
const CANARY_TYPES: string[] = Object.values(T);

function contract(o: { auth?: "iam" | "password" | "none"; readOnly?: boolean; engine?: string } = {}) {
    const engine = o.engine ?? "aurora-postgresql";
    const port = engine === "aurora-postgresql" ? 5432 : 3306;
    const own =
        o.auth === "password"
            ? {
                  accountId: "222222222222",
                  databaseUser: "orders",
                  auth: "password",
                  secretArn: SECRET,
                  secretKeyArn: KEY,
              }
            : { accountId: "222222222222", databaseUser: "orders", auth: "iam", connectRoleArn: ROLE };
    return {
        version: 1,
        region: "eu-west-1",
        engine,
        port,
        endpointServiceName: SERVICE,
        availabilityZoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
        proxyEndpoint: WRITER,
        ...(o.readOnly === false
            ? {}
            : { readOnlyEndpoint: READER, readOnlyPort: port + 1, readOnlyProxyEndpoint: READER_REAL }),
        ...(o.auth === "none" ? {} : { idleTimeoutSeconds: 300, databaseName: "app", consumers: [own] }),
        tls: { sslmode: "verify-full" },
    };
}

const base = { role: "app-account", accountId: "222222222222", producerStack: PRODUCER };

/** The canary's own alarms (the stack's path alarms, docs/alarms.md, are tested in alarms.test.ts). */
const canaryAlarms = (r: StackRun) => ofType(r, T.alarm).filter((a) => a.name.includes("-canary-"));
const newVpc = { ...base, network: { cidrBlock: "10.30.0.0/16", azCount: 3 } };
const existingVpc = {
    ...base,
    network: { vpcId: "vpc-0a000000000000001", subnetIds: SUBNETS },
    clientSecurityGroupIds: ["sg-0d000000000000001", "sg-0d000000000000002"],
};

const calls = (token: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined => {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
                zoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
                id: "eu-west-1",
                groupNames: [],
            };
        case "aws:ec2/getSubnet:getSubnet": {
            const i = SUBNETS.indexOf(String(inputs.id));
            return {
                id: inputs.id,
                vpcId: "vpc-0a000000000000001",
                availabilityZoneId: ["euw1-az3", "euw1-az1", "euw1-az2"][i],
            };
        }
        case "aws:ec2/getVpc:getVpc":
            return {
                id: inputs.id,
                cidrBlock: "10.40.0.0/16",
                enableDnsSupport: true,
                enableDnsHostnames: true,
            };
        case "aws:ec2/getSecurityGroup:getSecurityGroup":
            return { id: inputs.id, vpcId: "vpc-0a000000000000001" };
        default:
            return undefined;
    }
};

function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "awsx:ec2:Vpc":
            return {
                vpcId: VPC,
                isolatedSubnetIds: [
                    "subnet-0f000000000000001",
                    "subnet-0f000000000000002",
                    "subnet-0f000000000000003",
                ],
            };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return {
                dnsEntries: [
                    {
                        dnsName:
                            "vpce-0a1b2c3d-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
                        hostedZoneId: "Z38GZ743OKFT7T",
                    },
                ],
            };
        case "aws:route53/zone:Zone":
            return { zoneId: `Z-${name}` };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::222222222222:role/${String(inputs.name)}` };
        case "aws:lambda/function:Function":
            return {
                name: "app-account-canary-fn-1234567",
                arn: "arn:aws:lambda:eu-west-1:222222222222:function:app-account-canary-fn-1234567",
            };
        default:
            return {};
    }
}

function run(
    config: Record<string, unknown>,
    contractValue: Record<string, unknown> = contract(),
): Promise<StackRun> {
    return runStack({
        stack: "app-account",
        // The path's own alarms are alarms.test.ts's; here only the canary's, notifying nowhere unless a test says.
        config: { alarms: { enabled: false }, ...config },
        calls,
        state,
        stackOutputs: { [PRODUCER]: { contract: contractValue } },
    });
}

function ok(result: StackRun): StackRun {
    if (result.error) throw result.error;
    return result;
}

const byName = (result: StackRun, name: string) => {
    const found = result.resources.filter((r) => r.name === name);
    assert.equal(found.length, 1, name);
    return found[0];
};

const settingsOf = (result: StackRun) =>
    JSON.parse(
        String(
            (single(result, T.fn).inputs.environment as { variables: Record<string, string> }).variables
                .CANARY_SETTINGS,
        ),
    );

const dashboardOf = (result: StackRun) =>
    JSON.parse(String(single(result, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)) as {
        widgets: { type: string; properties: Record<string, unknown> }[];
    };

const statementsOf = (result: StackRun) =>
    JSON.parse(String(single(result, T.rolePolicy).inputs.policy)).Statement;

const LOGS_AND_VPC = (logGroupArn: string) => [
    {
        Sid: "CanaryLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn}:*`,
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
];

describe("canary (app-account)", function () {
    this.timeout(60000);

    describe("IAM mode, a VPC the stack builds (the default: on, every 5 minutes)", () => {
        let result: StackRun;
        before(async () => {
            result = ok(await run(newVpc));
        });

        it("runs the bundled handler on nodejs22.x, in the VPC's subnets and the client security group only", () => {
            const fn = single(result, T.fn);
            assert.equal(fn.inputs.runtime, "nodejs22.x");
            assert.equal(fn.inputs.handler, "index.handler");
            assert.deepEqual(fn.inputs.vpcConfig, {
                subnetIds: [
                    "subnet-0f000000000000001",
                    "subnet-0f000000000000002",
                    "subnet-0f000000000000003",
                ],
                securityGroupIds: ["app-account-endpoint-client-sg-id"],
            });
            assert.deepEqual(fn.inputs.loggingConfig, {
                logFormat: "Text",
                logGroup: byName(result, "app-account-canary-logs").state.name,
            });
            assert.equal(fn.inputs.role, byName(result, "app-account-canary-role").state.arn);
        });

        it("checks the writer and the read-only alias, each token signed for the proxy's own name and port", () => {
            const token = (host: string) => ({
                login: "iam-token",
                roleArn: ROLE,
                tokenHost: host,
                tokenPort: 5432,
                region: "eu-west-1",
            });
            const target = { engine: "aurora-postgresql", database: "app", user: "orders" };
            assert.deepEqual(settingsOf(result), {
                stack: "app-account",
                targets: [
                    { endpoint: "writer", ...target, host: WRITER, port: 5432, credential: token(WRITER) },
                    {
                        endpoint: "reader",
                        ...target,
                        host: READER,
                        port: 5433,
                        credential: token(READER_REAL),
                    },
                ],
            });
        });

        it("gives its role the fixed name and exactly: assume the connect role, its logs, VPC access", () => {
            const role = single(result, T.role);
            assert.equal(role.inputs.name, ROLE_NAME);
            assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement, [
                { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]);
            assert.deepEqual(statementsOf(result), [
                {
                    Sid: "AssumeDatabaseConnectRole",
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    Resource: ROLE,
                },
                ...LOGS_AND_VPC(String(byName(result, "app-account-canary-logs").state.arn)),
            ]);
        });

        it("runs on its schedule, invoked by EventBridge from that rule only", () => {
            const rule = single(result, T.rule);
            assert.equal(rule.inputs.scheduleExpression, "rate(5 minutes)");
            const fn = single(result, T.fn);
            assert.deepEqual(
                { ...single(result, T.permission).inputs },
                {
                    action: "lambda:InvokeFunction",
                    function: fn.state.name,
                    principal: "events.amazonaws.com",
                    sourceArn: rule.state.arn,
                },
            );
            assert.deepEqual(single(result, T.target).inputs, { rule: rule.state.name, arn: fn.state.arn });
        });

        it("alarms per endpoint when ConnectSuccess stays below 1 (or is missing) for 2 periods of the schedule", () => {
            const alarms = canaryAlarms(result);
            assert.deepEqual(alarms.map((a) => a.name).sort(), [
                "app-account-canary-reader",
                "app-account-canary-writer",
            ]);
            for (const a of alarms) {
                const endpoint = a.name.replace("app-account-canary-", "");
                const { alarmDescription, ...rest } = a.inputs;
                assert.deepEqual(rest, {
                    namespace: "RdsCrossAccount/Canary",
                    metricName: "ConnectSuccess",
                    dimensions: { Stack: "app-account", Endpoint: endpoint },
                    statistic: "Minimum",
                    period: 300,
                    evaluationPeriods: 2,
                    datapointsToAlarm: 2,
                    comparisonOperator: "LessThanThreshold",
                    threshold: 1,
                    treatMissingData: "breaching",
                });
                assert.match(String(alarmDescription), new RegExp(`^The ${endpoint} endpoint `));
            }
        });

        it("notifies the stack's alarm topic, on ALARM and on OK, when the path's alarms are on", async () => {
            const withTopic = ok(await run({ ...newVpc, alarms: { enabled: true } }));
            const topic = ofType(withTopic, "aws:sns/topic:Topic");
            assert.equal(topic.length, 1);
            const alarms = canaryAlarms(withTopic);
            assert.equal(alarms.length, 2);
            for (const a of alarms) {
                assert.deepEqual(a.inputs.alarmActions, [topic[0].state.arn]);
                assert.deepEqual(a.inputs.okActions, [topic[0].state.arn]);
            }
        });

        it("is on the stack's dashboard when the path's alarms are on: its alarms listed first, each endpoint's ConnectSuccess graphed", async () => {
            const on = ok(await run({ ...newVpc, alarms: { enabled: true } }));
            const body = dashboardOf(on);
            const canaryArns = canaryAlarms(on).map((a) => String(a.state.arn));
            assert.equal(canaryArns.length, 2);
            const listed = body.widgets.find((w) => w.type === "alarm")?.properties.alarms;
            assert.deepEqual(listed, [
                ...canaryArns,
                String(byName(on, "app-account-alarms-endpoint-packets-dropped").state.arn),
            ]);
            const graphs = body.widgets.filter((w) => w.type === "metric");
            assert.deepEqual(
                graphs.map((w) => w.properties.title),
                ["Canary: writer login", "Canary: reader login", "Interface endpoint: dropped packets"],
            );
            assert.deepEqual(
                graphs.slice(0, 2).map((w) => [w.properties.metrics, w.properties.annotations]),
                ["writer", "reader"].map((endpoint) => [
                    [
                        [
                            "RdsCrossAccount/Canary",
                            "ConnectSuccess",
                            "Stack",
                            "app-account",
                            "Endpoint",
                            endpoint,
                            { stat: "Minimum", period: 300, label: "ConnectSuccess" },
                        ],
                    ],
                    { horizontal: [{ label: "alarm threshold", value: 1 }] },
                ]),
            );
            // Its alarms stay the canary's: the monitoring component does not create them a second time.
            assert.equal(ofType(on, T.alarm).length, 3);
            const doc = fs.readFileSync("docs/alarms.md", "utf8");
            for (const a of canaryAlarms(on)) {
                assert.match(
                    String(a.inputs.alarmDescription),
                    /What to do first: docs\/alarms\.md, "Canary"\.$/,
                );
            }
            assert.match(doc, /^### Canary$/m);
        });

        it("is not on the dashboard when the canary is off", async () => {
            const off = ok(await run({ ...newVpc, alarms: { enabled: true }, canary: { enabled: false } }));
            const body = dashboardOf(off);
            assert.deepEqual(body.widgets.find((w) => w.type === "alarm")?.properties.alarms, [
                String(byName(off, "app-account-alarms-endpoint-packets-dropped").state.arn),
            ]);
            assert.equal(JSON.stringify(body).includes("Canary"), false);
        });

        it("puts every canary resource under the account provider and inside the Canary component", () => {
            const inside = result.resources.filter((r) => r.name.startsWith("app-account-canary-"));
            assert.equal(inside.length, 9);
            for (const type of CANARY_TYPES.filter((t) => t !== T.canary)) {
                for (const r of ofType(result, type)) {
                    assert.equal(providerName(r), "app-account-aws", r.name);
                    assert.equal(parentType(r), T.canary, r.name);
                }
            }
        });

        it("exports the role's ARN and the function's name", () => {
            assert.equal(result.outputs.canaryRoleArn, `arn:aws:iam::222222222222:role/${ROLE_NAME}`);
            assert.equal(result.outputs.canaryFunctionName, "app-account-canary-fn-1234567");
        });
    });

    it("password mode: reads the secret and decrypts through Secrets Manager only; a one-minute schedule", async () => {
        const result = ok(
            await run(
                { ...newVpc, canary: { schedule: "rate(1 minute)" } },
                contract({ auth: "password", readOnly: false }),
            ),
        );
        assert.deepEqual(
            settingsOf(result).targets.map((t: { credential: unknown }) => t.credential),
            [{ login: "secret-password", secretArn: SECRET }],
        );
        assert.deepEqual(statementsOf(result), [
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
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
            },
            ...LOGS_AND_VPC(String(byName(result, "app-account-canary-logs").state.arn)),
        ]);
        assert.deepEqual(
            canaryAlarms(result).map((a) => [a.name, a.inputs.period]),
            [["app-account-canary-writer", 60]],
        );
        assert.equal(single(result, T.rule).inputs.scheduleExpression, "rate(1 minute)");
    });

    it("an existing VPC: the config's subnets and client security groups", async () => {
        const result = ok(await run(existingVpc));
        assert.deepEqual(single(result, T.fn).inputs.vpcConfig, {
            subnetIds: SUBNETS,
            securityGroupIds: ["sg-0d000000000000001", "sg-0d000000000000002"],
        });
    });

    it("the example stack file deploys it", async () => {
        const { config, extra } = exampleConfig("app-account");
        const result = ok(
            await runStack({
                stack: "app-account",
                config,
                extraConfig: extra,
                calls,
                state,
                stackOutputs: { [PRODUCER]: { contract: contract() } },
            }),
        );
        assert.equal(ofType(result, T.canary).length, 1);
    });

    for (const [name, config, contractValue, warnings] of [
        ["canary.enabled false", { ...newVpc, canary: { enabled: false } }, contract(), []],
        [
            "a producer that does not describe this account's login",
            newVpc,
            contract({ auth: "none" }),
            [
                `The canary is not created: the contract of ${PRODUCER} does not describe this account's database user ` +
                    `and login (a db-account stack of an earlier release). Deploy the db-account stack again, or set ` +
                    `canary to {"enabled": false}.`,
            ],
        ],
    ] as const) {
        it(`is absent from the graph and the outputs with ${name}`, async () => {
            const result = ok(await run(config, contractValue));
            assert.deepEqual(
                result.resources.filter((r) => CANARY_TYPES.includes(r.type) || r.name.includes("canary")),
                [],
            );
            assert.equal("canaryRoleArn" in result.outputs, false);
            assert.equal("canaryFunctionName" in result.outputs, false);
            assert.deepEqual(
                result.warnings.filter((w) => w.includes("canary")),
                warnings,
            );
        });
    }

    it("refuses a bad canary config with every problem at once, before any resource", async () => {
        const result = await run({
            ...newVpc,
            canary: { enabled: "sometimes", schedule: "cron(0 * * * ? *)", every: 5 },
        });
        assert.ok(result.error instanceof ConfigError);
        assert.deepEqual(
            (result.error as ConfigError).problems.map((p) => p.message),
            [
                `Config 'rds-cross-account:canary.enabled' is "sometimes", but it must be true or false. Set 'canary.enabled' in ${F} to such a value, for example false.`,
                `Config 'rds-cross-account:canary.schedule' is "cron(0 * * * ? *)", but it must be a rate expression from "rate(1 minute)" to "rate(60 minutes)" or "rate(1 hour)" (the alarm period follows it; cron is not accepted). Set 'canary.schedule' in ${F} to such a value, for example "rate(5 minutes)".`,
                `Config 'rds-cross-account:canary.every' is 5, but it is not a key of 'canary'; allowed keys are enabled, schedule. Remove it or fix the spelling in ${F}.`,
            ],
        );
        assert.deepEqual(
            result.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")),
            [],
        );
    });
});

describe("canary pieces", () => {
    it("derives a role name from the producer's project and stack and the user, unique per both, within IAM's 64 characters", () => {
        // Pinned: a producer and a consumer of different releases must still agree on it.
        assert.equal(ROLE_NAME, "rcx-canary-orders-c2dcf2c0764f4646");
        // The consumer's fully qualified producerStack, whatever its organization, names the same producer.
        for (const qualified of [
            PRODUCER,
            "acme/rds-cross-account/db-account",
            "Acme-Corp/rds-cross-account/db-account",
        ]) {
            assert.equal(canaryProducerOf(qualified), "rds-cross-account/db-account");
        }
        assert.notEqual(canaryRoleName("rds-cross-account/db-account-2", "orders"), ROLE_NAME);
        assert.notEqual(canaryRoleName("rds-cross-account/db-account", "orders2"), ROLE_NAME);
        const long = canaryRoleName("rds-cross-account/db-account", "u".repeat(80));
        assert.equal(long.length, 64);
        assert.match(long, /^rcx-canary-u{36}-[0-9a-f]{16}$/);
        assert.match(canaryRoleName("rds-cross-account/db-account", "$$$"), /^rcx-canary-[0-9a-f]{16}$/);
    });

    it("is admitted by a db-account stack that narrows the consumer's principals: both stacks derive the same ARN", async () => {
        // The consumer names the producer under an organization; the producer's own stack knows only its project and stack.
        const acme = "acme/rds-cross-account/db-account";
        const app = ok(
            await runStack({
                stack: "app-account",
                config: { ...newVpc, producerStack: acme, alarms: { enabled: false } },
                calls,
                state,
                stackOutputs: { [acme]: { contract: contract() } },
            }),
        );
        const db = await runStack({
            stack: "db-account",
            config: {
                accountId: "111111111111",
                network: { cidrBlock: "10.20.0.0/16", azCount: 3 },
                consumers: [
                    {
                        name: "orders",
                        accountId: "222222222222",
                        principals: ["arn:aws:iam::222222222222:role/app"],
                    },
                ],
            },
            calls: awsCalls(),
            state: dbAccountState,
        });
        if (db.error) throw db.error;
        const trust = JSON.parse(
            String(byName(db, "db-account-access-orders-connect").inputs.assumeRolePolicy),
        ) as { Statement: { Condition: { ArnEquals: Record<string, string[]> } }[] };
        assert.deepEqual(trust.Statement[0].Condition.ArnEquals["aws:PrincipalArn"], [
            "arn:aws:iam::222222222222:role/app",
            app.outputs.canaryRoleArn,
        ]);
    });

    it("takes the alarm period from rate expressions of one minute to one hour only", () => {
        const table: [string, number | undefined][] = [
            ["rate(1 minute)", 60],
            ["rate(5 minutes)", 300],
            ["rate(60 minutes)", 3600],
            ["rate(1 hour)", 3600],
            ["rate(1 minutes)", undefined],
            ["rate(2 minute)", undefined],
            ["rate(61 minutes)", undefined],
            ["rate(2 hours)", undefined],
            ["rate(1 day)", undefined],
            ["rate(0 minutes)", undefined],
            ["cron(0/5 * * * ? *)", undefined],
        ];
        assert.deepEqual(
            table.map(([e]) => [e, canaryPeriodSeconds(e)]),
            table,
        );
    });

    it("writes one EMF line per result: success and latency when ok, success 0 otherwise", () => {
        assert.deepEqual(
            JSON.parse(
                emfLine(
                    "app-account",
                    { endpoint: "writer", outcome: "ok", connectMs: 42, message: "m" },
                    1700000000000,
                ),
            ),
            {
                _aws: {
                    Timestamp: 1700000000000,
                    CloudWatchMetrics: [
                        {
                            Namespace: "RdsCrossAccount/Canary",
                            Dimensions: [["Stack", "Endpoint"]],
                            Metrics: [
                                { Name: "ConnectSuccess", Unit: "Count" },
                                { Name: "ConnectLatency", Unit: "Milliseconds" },
                            ],
                        },
                    ],
                },
                Stack: "app-account",
                Endpoint: "writer",
                ConnectSuccess: 1,
                ConnectLatency: 42,
                outcome: "ok",
                message: "m",
            },
        );
        const failed = JSON.parse(
            emfLine("app-account", { endpoint: "reader", outcome: "timeout", message: "t" }, 1),
        );
        assert.deepEqual(failed._aws.CloudWatchMetrics[0].Metrics, [
            { Name: "ConnectSuccess", Unit: "Count" },
        ]);
        assert.equal(failed.ConnectSuccess, 0);
        assert.equal("ConnectLatency" in failed, false);
    });

    it("refuses settings that are not the component's, naming the variable", () => {
        const message =
            'The canary\'s environment variable CANARY_SETTINGS is not the JSON its component sets ({"stack", "targets": [...]}); deploy the app-account stack again.';
        for (const value of [undefined, "not json", "{}", '{"stack":"s","targets":[]}']) {
            assert.throws(() => readSettings(value === undefined ? {} : { CANARY_SETTINGS: value }), {
                message,
            });
        }
    });

    it("bundles a handler that loads without Pulumi and exports the entry point", function () {
        this.timeout(60000);
        const text = bundleCanaryHandler();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped, as tests/integration/target-sync-iam.test.ts loads it
        const requireFromString = require("require-from-string") as (
            code: string,
            file: string,
        ) => { handler?: unknown };
        const loaded = requireFromString(text, "canary.js");
        assert.equal(typeof loaded.handler, "function");
        assert.equal(/@pulumi\/pulumi/.test(text), false);
    });

    it("Canary refuses bad arguments with every problem at once, before any child", async () => {
        const registered: string[] = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    registered.push(args.name);
                    return { id: `${args.name}-id`, state: args.inputs };
                },
                call: (args) => {
                    throw new Error(`unexpected invoke ${args.token}`);
                },
            },
            "rds-cross-account",
            "canary",
        );
        const target = {
            endpoint: "writer",
            engine: "aurora-postgresql" as const,
            host: WRITER,
            port: 5432,
            database: "app",
            user: "orders",
            credential: { login: "secret-password" as const, secretArn: SECRET.repeat(50) },
        };
        let error: unknown;
        try {
            new Canary("c", {
                stack: "app-account",
                targets: [target],
                accessPolicy: { Version: "2012-10-17", Statement: [] },
                roleName: "not a role name",
                subnetIds: [],
                securityGroupIds: [],
                schedule: "rate(2 hours)",
            });
        } catch (err) {
            error = err;
        }
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.deepEqual(
            (error as pulumi.InputPropertiesError).errors?.map((e) => e.reason),
            [
                `Canary argument 'schedule' is "rate(2 hours)", but it must be a rate expression from "rate(1 minute)" to "rate(60 minutes)" or "rate(1 hour)" (the alarm period follows it; cron is not accepted). Pass such a value, for example "rate(5 minutes)".`,
                `Canary argument 'roleName' is "not a role name", but it must be an IAM role name: 1 to 64 letters, digits and +=,.@-_. Pass such a value, for example "rcx-canary-orders-0123456789abcdef".`,
                `Canary argument 'targets' is "(${Buffer.byteLength("CANARY_SETTINGS" + JSON.stringify({ stack: "app-account", targets: [target] }))} bytes as CANARY_SETTINGS)", but Lambda's environment variables hold 4096 bytes together. Shorten the producer's names, or turn the canary off (canary.enabled: false).`,
            ],
        );
        assert.deepEqual(registered, []);
    });
});
