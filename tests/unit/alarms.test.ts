/**
 * The path's alarms, their topic and the dashboards, on both stacks under mocks: every alarm's namespace, metric,
 * dimensions, statistic, period, threshold, evaluation counts, missing-data rule and actions, exactly; the topic, its
 * key, policy and subscriptions; nothing at all when alarms are off; the refusals of bad `alarms` config.
 *
 * What a mock test cannot prove: that CloudWatch publishes the metrics under exactly these dimension names and values
 * (docs/alarms.md names the one command that checks the endpoint service's), that the alarms fire, or that SNS
 * delivers through the key's policy.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { ConsumerPathAlarms, emailKey, syncWindow, type AlarmDefinition } from "../../components/monitoring";
import { ConfigError } from "../../stacks/config/kit";
import { awsCalls, dbAccountState, exampleConfig } from "../support/fixtures";
import { appAccountStateIn } from "../../tools/recording/computed-state";
import {
    defaultRegion,
    ofType,
    providerName,
    runStack,
    single,
    type StackRun,
} from "../../tools/recording/harness";

const LB_SUFFIX = "net/db-account-link-nlb/0123456789abcdef";
const tgSuffix = (key: string) => `targetgroup/db-account-link-${key}/0123456789abcdef`;
const LB_ARN =
    "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/db-account-link-nlb/0123456789abcdef";

/** The computed state of the tests' stacks, with the ARN suffixes AWS computes for CloudWatch. */
function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const computed = dbAccountState(type, name, inputs);
    if (type === "aws:lb/loadBalancer:LoadBalancer")
        return { ...computed, arn: LB_ARN, arnSuffix: LB_SUFFIX };
    if (type === "aws:lb/targetGroup:TargetGroup")
        return { ...computed, arnSuffix: tgSuffix(name.split("-").pop() ?? "") };
    return computed;
}

function runDb(config: Record<string, unknown>, extra?: Record<string, string>): Promise<StackRun> {
    return runStack({ stack: "db-account", config, extraConfig: extra, calls: awsCalls(), state });
}

/** What an alarm evaluates and when it fires: its inputs without description and tags. */
function rule(alarm: { inputs: Record<string, unknown> }): Record<string, unknown> {
    const { alarmDescription: _d, tags: _t, ...rest } = alarm.inputs;
    return rest;
}

function alarmsOf(r: StackRun): Map<string, Record<string, unknown>> {
    return new Map(ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.name, rule(a)]));
}

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:db-account-alarm-topic-topic";
const actions = (topic: string) => ({ alarmActions: [topic], okActions: [topic] });
const metric = (
    namespace: string,
    metricName: string,
    dimensions: Record<string, string>,
    statistic: string,
    period: number,
) => ({
    namespace,
    metricName,
    dimensions,
    statistic,
    period,
});
const when = (comparisonOperator: string, threshold: number, periods: number, treatMissingData: string) => ({
    comparisonOperator,
    threshold,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    treatMissingData,
});
const lambdaQuery = (id: string, metricName: string, fn: string, period: number) => ({
    id,
    returnData: false,
    metric: { namespace: "AWS/Lambda", metricName, dimensions: { FunctionName: fn }, stat: "Sum", period },
});

/** Every db-account alarm of the example config (a new VPC in 3 AZs, readers, the dns source), exactly. */
function expectedDbAlarms(
    topic: string,
    syncPeriod = 60,
    syncPeriods = 5,
): Record<string, Record<string, unknown>> {
    const p = "db-account-alarms";
    const out: Record<string, Record<string, unknown>> = {};
    const azs: [string, string][] = [
        ["euw1-az3", "eu-west-1a"],
        ["euw1-az1", "eu-west-1b"],
        ["euw1-az2", "eu-west-1c"],
    ];
    for (const [id, name] of azs) {
        out[`${p}-resets-${id}`] = {
            ...metric(
                "AWS/PrivateLinkServices",
                "RstPacketsSent",
                { "Service Id": "db-account-link-service-id", "Load Balancer Arn": LB_ARN, Az: name },
                "Sum",
                60,
            ),
            ...when("GreaterThanThreshold", 0, 5, "notBreaching"),
            ...actions(topic),
        };
    }
    for (const key of ["rw", "ro"]) {
        const dims = { LoadBalancer: LB_SUFFIX, TargetGroup: tgSuffix(key) };
        out[`${p}-${key}-no-healthy-target`] = {
            ...metric("AWS/NetworkELB", "HealthyHostCount", dims, "Maximum", 60),
            ...when("LessThanThreshold", 1, 2, "breaching"),
            ...actions(topic),
        };
        out[`${p}-${key}-unhealthy-targets`] = {
            ...metric("AWS/NetworkELB", "UnHealthyHostCount", dims, "Minimum", 60),
            ...when("GreaterThanThreshold", 0, 5, "notBreaching"),
            ...actions(topic),
        };
    }
    for (const role of ["READ_WRITE", "READ_ONLY"]) {
        out[`${p}-proxy-availability-${role.toLowerCase().replace("_", "-")}`] = {
            ...metric(
                "AWS/RDS",
                "AvailabilityPercentage",
                { ProxyName: "db-account-proxy", TargetGroup: "default", TargetRole: role },
                "Average",
                60,
            ),
            ...when("LessThanThreshold", 100, 3, "missing"),
            ...actions(topic),
        };
    }
    const proxy = { ProxyName: "db-account-proxy" };
    out[`${p}-auth-failures`] = {
        ...metric("AWS/RDS", "ClientConnectionsSetupFailedAuth", proxy, "Sum", 300),
        ...when("GreaterThanThreshold", 0, 1, "notBreaching"),
        ...actions(topic),
    };
    out[`${p}-pool-near-max`] = {
        metricQueries: [
            {
                id: "e1",
                expression: "100 * m1 / m2",
                label: "Database connections, % of the maximum allowed",
                returnData: true,
            },
            ...[
                ["m1", "DatabaseConnections"],
                ["m2", "MaxDatabaseConnectionsAllowed"],
            ].map(([id, name]) => ({
                id,
                returnData: false,
                metric: {
                    namespace: "AWS/RDS",
                    metricName: name,
                    dimensions: proxy,
                    stat: "Sum",
                    period: 60,
                },
            })),
        ],
        ...when("GreaterThanThreshold", 80, 5, "notBreaching"),
        ...actions(topic),
    };
    for (const key of ["rw", "ro"]) {
        const fn = `db-account-sync-${key}-fn`;
        out[`${p}-sync-${key}-errors`] = {
            ...metric("AWS/Lambda", "Errors", { FunctionName: fn }, "Sum", 300),
            ...when("GreaterThanOrEqualToThreshold", 1, 1, "notBreaching"),
            ...actions(topic),
        };
        out[`${p}-sync-${key}-not-succeeding`] = {
            metricQueries: [
                { id: "e1", expression: "m1 - FILL(m2, 0)", label: "Successful runs", returnData: true },
                lambdaQuery("m1", "Invocations", fn, syncPeriod),
                lambdaQuery("m2", "Errors", fn, syncPeriod),
            ],
            ...when("LessThanThreshold", 1, syncPeriods, "breaching"),
            ...actions(topic),
        };
    }
    return out;
}

describe("alarms", function () {
    this.timeout(120_000);

    describe("db-account, the example config (alarms on by default, a topic created)", () => {
        let r: StackRun;
        before(async () => {
            const { config, extra } = exampleConfig("db-account");
            r = await runDb(config, extra);
            assert.strictEqual(r.error, undefined, String(r.error));
        });

        it("creates every alarm of the path exactly, each notifying the topic on ALARM and on OK", () => {
            assert.deepStrictEqual(Object.fromEntries(alarmsOf(r)), expectedDbAlarms(TOPIC));
        });

        it("names in each alarm's description the heading of docs/alarms.md that says what to do first", () => {
            const doc = fs.readFileSync("docs/alarms.md", "utf8");
            const headings = new Set([...doc.matchAll(/^### (.+)$/gm)].map((m) => m[1]));
            for (const alarm of ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
                const heading = /docs\/alarms\.md, "([^"]+)"\.$/.exec(
                    String(alarm.inputs.alarmDescription),
                )?.[1];
                assert.ok(
                    heading && headings.has(heading),
                    `${alarm.name}: ${alarm.inputs.alarmDescription}`,
                );
            }
        });

        it("creates the topic under a key CloudWatch may use, publishable only by this account's alarms", () => {
            const key = ofType(r, "aws:kms/key:Key").find((k) => k.name === "db-account-alarm-topic-key");
            assert.ok(key);
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            const keyPolicy = JSON.parse(String(key.inputs.policy)) as { Statement: unknown[] };
            assert.deepStrictEqual(keyPolicy.Statement[1], {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            });
            const topic = single(r, "aws:sns/topic:Topic");
            assert.strictEqual(topic.inputs.kmsMasterKeyId, key.state.arn);
            const policy = JSON.parse(String(single(r, "aws:sns/topicPolicy:TopicPolicy").inputs.policy)) as {
                Statement: Record<string, unknown>[];
            };
            assert.deepStrictEqual(policy.Statement[1], {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: TOPIC,
                Condition: {
                    ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*" },
                },
            });
            assert.deepStrictEqual(ofType(r, "aws:sns/topicSubscription:TopicSubscription"), []);
            for (const res of r.resources.filter((x) => x.custom && x.type.startsWith("aws:")))
                assert.strictEqual(providerName(res), "db-account-aws", res.name);
            assert.strictEqual(r.outputs.alarmTopicArn, TOPIC);
            assert.strictEqual(r.outputs.dashboardName, "rds-cross-account-db-account");
        });

        it("draws the path in order on one dashboard: every alarm's state, then each alarm's metric and threshold", () => {
            const dashboard = single(r, "aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboard.inputs.dashboardName, "rds-cross-account-db-account");
            const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
                widgets: { type: string; properties: Record<string, unknown> }[];
            };
            const alarmWidget = body.widgets.find((w) => w.type === "alarm");
            const arns = ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm").map(
                (a) => `arn:aws:cloudwatch:eu-west-1:111111111111:${a.name}`,
            );
            assert.deepStrictEqual([...(alarmWidget?.properties.alarms as string[])].sort(), arns.sort());
            const headers = body.widgets
                .filter((w) => w.type === "text")
                .map((w) => String(w.properties.markdown).split(":")[0]);
            assert.deepStrictEqual(headers.slice(1), [
                "## 1. Endpoint service",
                "## 2. Load balancer targets",
                "## 3. RDS Proxy",
                "## 4. Proxy IP sync",
            ]);
            const graphs = body.widgets.filter((w) => w.type === "metric");
            assert.strictEqual(graphs.length, arns.length);
            assert.deepStrictEqual(graphs[0].properties.metrics, [
                [
                    "AWS/PrivateLinkServices",
                    "RstPacketsSent",
                    "Service Id",
                    "db-account-link-service-id",
                    "Load Balancer Arn",
                    LB_ARN,
                    "Az",
                    "eu-west-1a",
                    { stat: "Sum", period: 60, label: "RstPacketsSent" },
                ],
            ]);
            assert.deepStrictEqual(graphs[0].properties.annotations, {
                horizontal: [{ label: "alarm threshold", value: 0 }],
            });
            assert.ok(graphs.every((g) => g.properties.region === "eu-west-1"));
        });
    });

    it("db-account without readers, on a 5-minute sync: one target group, the writer's role, a 15-minute sync window", async () => {
        const { config, extra } = exampleConfig("db-account");
        const r = await runDb(
            {
                ...config,
                database: { ...(config.database as object), readers: 0 },
                proxy: { idleClientTimeoutSeconds: 300 },
                targetSync: { schedule: "rate(5 minutes)" },
            },
            extra,
        );
        assert.strictEqual(r.error, undefined, String(r.error));
        const all = expectedDbAlarms(TOPIC, 300, 3);
        const expected = Object.fromEntries(
            Object.entries(all).filter(([name]) => !/-ro-|read-only/.test(name)),
        );
        assert.deepStrictEqual(Object.fromEntries(alarmsOf(r)), expected);
    });

    it("db-account with an existing topic: no topic, key or subscription is created; every alarm notifies it", async () => {
        const { config, extra } = exampleConfig("db-account");
        const topic = "arn:aws:sns:eu-west-1:111111111111:on-call";
        const r = await runDb({ ...config, alarms: { topicArn: topic } }, extra);
        assert.strictEqual(r.error, undefined, String(r.error));
        assert.deepStrictEqual(Object.fromEntries(alarmsOf(r)), expectedDbAlarms(topic));
        for (const type of [
            "rds-cross-account:monitoring:AlarmTopic",
            "aws:sns/topic:Topic",
            "aws:sns/topicPolicy:TopicPolicy",
        ])
            assert.deepStrictEqual(ofType(r, type), [], type);
        assert.strictEqual(r.outputs.alarmTopicArn, topic);
    });

    it("db-account with alarms off: no alarm, dashboard, topic or key of theirs, and no outputs of theirs", async () => {
        const { config, extra } = exampleConfig("db-account");
        const r = await runDb({ ...config, alarms: { enabled: false } }, extra);
        assert.strictEqual(r.error, undefined, String(r.error));
        for (const type of [
            "rds-cross-account:monitoring:DatabasePathAlarms",
            "rds-cross-account:monitoring:AlarmTopic",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:cloudwatch/dashboard:Dashboard",
            "aws:sns/topic:Topic",
        ])
            assert.deepStrictEqual(ofType(r, type), [], type);
        assert.deepStrictEqual(
            ofType(r, "aws:kms/key:Key").map((k) => k.name),
            ["db-account-aurora-key"],
        );
        assert.ok(!("alarmTopicArn" in r.outputs) && !("dashboardName" in r.outputs));
        // Nor the AZ-name lookup the endpoint service's alarms need.
        assert.deepStrictEqual(
            r.calls.map((c) => c.token),
            ["aws:index/getAvailabilityZones:getAvailabilityZones"],
        );
    });

    it("subscribes each e-mail address to the created topic, named by a digest of the address", async () => {
        const { config, extra } = exampleConfig("db-account");
        const emails = ["oncall@example.com", "dba@example.org"];
        const r = await runDb({ ...config, alarms: { emails } }, extra);
        assert.strictEqual(r.error, undefined, String(r.error));
        assert.deepStrictEqual(
            ofType(r, "aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs]),
            emails.map((e) => [
                `db-account-alarm-topic-email-${emailKey(e)}`,
                { topic: TOPIC, protocol: "email", endpoint: e },
            ]),
        );
    });

    it("sync window: one period per run, at least 3 runs and 5 minutes, within CloudWatch's limits; a cron: one day", () => {
        const table: [string, { period: number; evaluationPeriods: number }][] = [
            ["rate(1 minute)", { period: 60, evaluationPeriods: 5 }],
            ["rate(2 minutes)", { period: 120, evaluationPeriods: 3 }],
            ["rate(30 minutes)", { period: 1800, evaluationPeriods: 3 }],
            ["rate(1 hour)", { period: 3600, evaluationPeriods: 3 }],
            ["rate(3 days)", { period: 259200, evaluationPeriods: 2 }],
            ["rate(30 days)", { period: 604800, evaluationPeriods: 1 }],
            ["cron(0/5 * * * ? *)", { period: 86400, evaluationPeriods: 1 }],
        ];
        for (const [schedule, window] of table)
            assert.deepStrictEqual(syncWindow(schedule), window, schedule);
    });

    describe("app-account", () => {
        const PRODUCER = "organization/rds-cross-account/db-account";
        const SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
        const contract = {
            version: 1,
            region: "eu-west-1",
            engine: "aurora-postgresql",
            port: 5432,
            endpointServiceName: SERVICE,
            availabilityZoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
            proxyEndpoint: "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
            tls: { sslmode: "verify-full" },
        };
        const runApp = (alarms?: Record<string, unknown>) => {
            const { config, extra } = exampleConfig("app-account");
            return runStack({
                stack: "app-account",
                config: alarms ? { ...config, alarms } : config,
                extraConfig: extra,
                calls: awsCalls(),
                state: appAccountStateIn(defaultRegion),
                stackOutputs: { [PRODUCER]: { contract } },
            });
        };

        it("alarms on the interface endpoint's dropped packets (per-endpoint dimensions, with spaces) and draws it", async () => {
            const r = await runApp();
            assert.strictEqual(r.error, undefined, String(r.error));
            const topic = "arn:aws:sns:eu-west-1:222222222222:app-account-alarm-topic-topic";
            assert.deepStrictEqual(Object.fromEntries(alarmsOf(r)), {
                "app-account-alarms-endpoint-packets-dropped": {
                    ...metric(
                        "AWS/PrivateLinkEndpoints",
                        "PacketsDropped",
                        {
                            "Endpoint Type": "Interface",
                            "Service Name": SERVICE,
                            "VPC Endpoint Id": "app-account-endpoint-vpce-id",
                            "VPC Id": String(r.outputs.vpcId),
                        },
                        "Sum",
                        60,
                    ),
                    ...when("GreaterThanThreshold", 0, 5, "notBreaching"),
                    ...actions(topic),
                },
            });
            assert.strictEqual(single(r, "aws:sns/topic:Topic").name, "app-account-alarm-topic-topic");
            const dashboard = single(r, "aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboard.inputs.dashboardName, "rds-cross-account-app-account");
            const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
                widgets: { type: string }[];
            };
            assert.deepStrictEqual(
                body.widgets.map((w) => w.type),
                ["text", "alarm", "text", "metric"],
            );
            assert.strictEqual(r.outputs.alarmTopicArn, topic);
            assert.strictEqual(r.outputs.dashboardName, "rds-cross-account-app-account");
        });

        it("creates nothing of the alarms' when they are off", async () => {
            const r = await runApp({ enabled: false });
            assert.strictEqual(r.error, undefined, String(r.error));
            for (const type of [
                "rds-cross-account:monitoring:ConsumerPathAlarms",
                "rds-cross-account:monitoring:AlarmTopic",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:cloudwatch/dashboard:Dashboard",
                "aws:sns/topic:Topic",
                "aws:kms/key:Key",
            ])
                assert.deepStrictEqual(ofType(r, type), [], type);
            assert.ok(!("alarmTopicArn" in r.outputs) && !("dashboardName" in r.outputs));
        });
    });

    it("graphs and lists a whole-path check's alarms (a canary's, created by it) on the consumer's dashboard, without creating them again", async () => {
        const recorded: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => {
                    recorded.push({
                        type: a.type,
                        name: a.name,
                        inputs: a.inputs as Record<string, unknown>,
                    });
                    return { id: `${a.name}-id`, state: { ...a.inputs, arn: `arn:${a.name}`, name: a.name } };
                },
                call: (a) => {
                    throw new Error(`unexpected invoke ${a.token}`);
                },
            },
            "rds-cross-account",
            "app-account",
        );
        const CANARY_ARN =
            "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:app-account-canary-writer-0a1b2c3";
        const canary: AlarmDefinition = {
            key: "canary-writer",
            title: "Canary: writer",
            description: "The canary could not connect.",
            watched: {
                kind: "metric",
                metric: {
                    namespace: "Example/Canary",
                    metricName: "ConnectSuccess",
                    dimensions: { Endpoint: "writer" },
                    statistic: "Minimum",
                    period: 300,
                },
            },
            comparison: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            treatMissingData: "breaching",
        };
        const component = new ConsumerPathAlarms("consumer-alarms", {
            topicArn: "arn:aws:sns:eu-west-1:222222222222:t",
            region: "eu-west-1",
            dashboardName: "d",
            endpointId: "vpce-0123456789abcdef0",
            serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            vpcId: "vpc-0123456789abcdef0",
            extraAlarms: {
                section: "Canary",
                about: "connects as an application does",
                alarms: [{ definition: canary, arn: CANARY_ARN }],
            },
        });
        await new Promise<void>((resolve) => component.dashboardName.apply(() => resolve()));
        assert.deepStrictEqual(
            recorded.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.name),
            ["consumer-alarms-endpoint-packets-dropped"],
        );
        const dashboard = recorded.find((r) => r.type === "aws:cloudwatch/dashboard:Dashboard");
        const body = JSON.parse(String(dashboard?.inputs.dashboardBody)) as {
            widgets: { type: string; properties: Record<string, unknown> }[];
        };
        assert.deepStrictEqual(body.widgets.find((w) => w.type === "alarm")?.properties.alarms, [
            CANARY_ARN,
            "arn:consumer-alarms-endpoint-packets-dropped",
        ]);
        assert.deepStrictEqual(
            body.widgets.find((w) => w.properties.title === "Canary: writer")?.properties.metrics,
            [
                [
                    "Example/Canary",
                    "ConnectSuccess",
                    "Endpoint",
                    "writer",
                    { stat: "Minimum", period: 300, label: "ConnectSuccess" },
                ],
            ],
        );
        assert.deepStrictEqual(
            body.widgets
                .filter((w) => w.type !== "alarm")
                .map((w) => w.properties.title ?? w.properties.markdown),
            [
                "# Database path from this account: d\nEach graph is one alarm's metric with its threshold; what each alarm means and what to do first is in docs/alarms.md.",
                "## 1. Canary: connects as an application does",
                "Canary: writer",
                "## 2. Interface endpoint: this account's way into the database's endpoint service",
                "Interface endpoint: dropped packets",
            ],
        );
    });

    describe("refuses bad alarms config, every problem at once, before any resource", () => {
        const F = "Pulumi.db-account.yaml";
        const key = (k: string) => `Config 'rds-cross-account:alarms.${k}'`;
        const cases: [string, Record<string, unknown>, string[]][] = [
            [
                "a topic and e-mail addresses together",
                { topicArn: "arn:aws:sns:eu-west-1:111111111111:on-call", emails: ["oncall@example.com"] },
                [
                    `${key("emails")} is ["oncall@example.com"], but alarms.topicArn names an existing topic, and the stack subscribes addresses only to a topic it creates (it does not manage the subscriptions of a topic it does not own). Subscribe the addresses to that topic where it is managed and remove alarms.emails from ${F}, or remove alarms.topicArn to let the stack create a topic for them.`,
                ],
            ],
            [
                "where to notify with alarms off",
                {
                    enabled: false,
                    topicArn: "arn:aws:sns:eu-west-1:111111111111:on-call",
                    emails: ["oncall@example.com"],
                },
                [
                    `${key("topicArn")} is "arn:aws:sns:eu-west-1:111111111111:on-call", but alarms.enabled is false, so the stack creates no alarm to notify anyone. Remove alarms.topicArn from ${F}, or set alarms.enabled to true.`,
                    `${key("emails")} is ["oncall@example.com"], but alarms.enabled is false, so the stack creates no alarm to notify anyone. Remove alarms.emails from ${F}, or set alarms.enabled to true.`,
                ],
            ],
            [
                "a topic in another region",
                { topicArn: "arn:aws:sns:us-east-1:111111111111:on-call" },
                [
                    `${key("topicArn")} is "arn:aws:sns:us-east-1:111111111111:on-call", but the topic is in us-east-1, and the stack's alarms are in eu-west-1: an alarm notifies a topic of its own region. Name a topic in eu-west-1 in ${F}, or remove alarms.topicArn to let the stack create one.`,
                ],
            ],
            [
                "a FIFO topic, a bad address, a bad switch and an unknown field",
                {
                    enabled: "yes",
                    topicArn: "arn:aws:sns:eu-west-1:111111111111:on-call.fifo",
                    emails: ["oncall@example.com", "not an address"],
                    email: "x@example.com",
                },
                [
                    `${key("enabled")} is "yes", but it must be true or false. Set 'alarms.enabled' in ${F} to such a value, for example false.`,
                    `${key("topicArn")} is "arn:aws:sns:eu-west-1:111111111111:on-call.fifo", but it must be the ARN of a standard SNS topic (not .fifo). Set 'alarms.topicArn' in ${F} to such a value, for example "arn:aws:sns:eu-west-1:111111111111:on-call".`,
                    `${key("emails[1]")} is "not an address", but it must be an e-mail address. Set 'alarms.emails[1]' in ${F} to such a value, for example "oncall@example.com".`,
                    `${key("email")} is "x@example.com", but it is not a key of 'alarms'; allowed keys are enabled, topicArn, emails. Remove it or fix the spelling in ${F}.`,
                ],
            ],
        ];
        for (const [what, alarms, messages] of cases) {
            it(what, async () => {
                const { config, extra } = exampleConfig("db-account");
                const r = await runDb({ ...config, alarms }, extra);
                assert.ok(r.error instanceof ConfigError, String(r.error));
                assert.deepStrictEqual(
                    r.error.problems.map((p) => p.message),
                    messages,
                );
                assert.deepStrictEqual(
                    r.resources.filter((x) => x.type !== "pulumi:providers:aws"),
                    [],
                );
            });
        }
    });
});
