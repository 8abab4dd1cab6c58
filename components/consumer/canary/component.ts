/**
 * Canary: a Lambda in the consumer's VPC, in the applications' client security group, that logs in to each
 * endpoint on a schedule the way applications do (./connect.ts, ./credentials.ts), publishes ConnectSuccess and
 * ConnectLatency through Embedded Metric Format log lines (./handler.ts), and one alarm per endpoint on
 * ConnectSuccess.
 *
 * Its role holds exactly: the application policy of the consumer's mode (assume the connect role, or read the
 * secret and decrypt it through Secrets Manager), writing its own log group, and the EC2 actions Lambda needs to
 * run in a VPC. Its name is fixed (./role-name.ts), so that a producer that narrows a consumer's `principals` can
 * list it without widening the trust.
 *
 * In the VPC it needs what an application needs: the interface endpoint on the proxy ports, and the API of its
 * mode (STS or Secrets Manager; the stack creates that endpoint in a VPC it builds). Metrics need no endpoint
 * (EMF), and Lambda delivers the function's logs itself, outside the VPC.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument, PolicyStatement } from "../../../vocabulary/access/mode";
import { matching, problem, requireSome, rule, type Problem } from "../../../vocabulary/rules";
import {
    DEFAULT_LAMBDA_LOG_RETENTION_DAYS,
    LAMBDA_TRUST_POLICY,
    RUN_INSIDE_VPC_STATEMENT,
} from "../../lambda";
import { scheduleFunction } from "../../lambda-schedule";
import { ALARMS_DOC, type AlarmDefinition, type Watched } from "../../monitoring";
import { validateArgs } from "../../validation";
import { bundleCanaryHandler } from "./bundle";
import { ROLE_NAME_MAX } from "./role-name";
import { canaryPeriodSeconds, canaryScheduleRule, DEFAULT_CANARY_SCHEDULE } from "./schedule";
import {
    CANARY_ENV,
    CANARY_METRICS,
    DEFAULT_PROBE_TIMEOUT_MS,
    type CanarySettings,
    type CanaryTarget,
} from "./targets";

/**
 * "The total size of the set [of environment variables] can be no more than 4 KB" (Lambda quotas, "Function
 * configuration, deployment, and execution": https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/** Consecutive failed periods before the alarm fires: one transient failure does not page. */
export const CANARY_ALARM_PERIODS = 2;

export interface CanaryArgs {
    /** The `Stack` dimension of the metrics (the app-account stack's name). */
    readonly stack: string;
    /** The endpoints to check, with their credential sources (./targets.ts `canaryTargets`). */
    readonly targets: readonly CanaryTarget[];
    /** The consumer's application policy (its mode's), which the canary's role gets as its own. */
    readonly accessPolicy: PolicyDocument;
    /** The role's fixed name (./role-name.ts `canaryRoleName`). */
    readonly roleName: string;
    /** Subnets the function runs in: those of the applications. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups the function joins: the applications' client groups. */
    readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    /** EventBridge rate expression. @default "rate(5 minutes)" */
    readonly schedule?: string;
    /** What the canary checks (the interface endpoint, the private DNS, the API endpoint): its schedule starts once they exist. @default none */
    readonly runAfter?: readonly pulumi.Resource[];
    /** ARNs notified when an alarm fires and when it clears (an SNS topic). @default none */
    readonly alarmActions?: pulumi.Input<pulumi.Input<string>[]>;
}

/** One of the canary's alarms: what it watches, as the stack's dashboard graphs it, and the alarm itself. */
export interface CanaryAlarm {
    readonly definition: AlarmDefinition;
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
}

/**
 * The alarm of one endpoint: ConnectSuccess below 1 for CANARY_ALARM_PERIODS periods of the schedule.
 *
 * A period per run: a shorter one would see the gaps between runs as missing data. Missing data breaches: a canary
 * that does not run, crashes or cannot publish proves nothing. Minimum: any failed check in a period counts. The
 * evaluation range (period x 2, at most 2 hours) stays within what CloudWatch allows for periods up to one hour ("For
 * alarms with a period of less than one hour (3,600 seconds), the total evaluation period can't be longer than one
 * day", PutMetricAlarm `Period`).
 */
export function canaryAlarmDefinition(
    stack: string,
    t: CanaryTarget,
    period: number,
): AlarmDefinition & { readonly watched: Extract<Watched, { kind: "metric" }> } {
    return {
        key: `canary-${t.endpoint}`,
        title: `Canary: ${t.endpoint} login`,
        description:
            `The ${t.endpoint} endpoint ${t.host}:${t.port} refused the canary's login (or the canary did not run) ` +
            `for ${CANARY_ALARM_PERIODS} periods of ${period} s; the outcome is in the function's log. What to do ` +
            `first: ${ALARMS_DOC}, "Canary".`,
        watched: {
            kind: "metric",
            metric: {
                namespace: CANARY_METRICS.namespace,
                metricName: CANARY_METRICS.success,
                dimensions: { Stack: stack, Endpoint: t.endpoint },
                statistic: "Minimum",
                period,
            },
        },
        comparison: "LessThanThreshold",
        threshold: 1,
        evaluationPeriods: CANARY_ALARM_PERIODS,
        datapointsToAlarm: CANARY_ALARM_PERIODS,
        treatMissingData: "breaching",
    };
}

/** The settings as the function's environment carries them. */
export function canarySettingsJson(stack: string, targets: readonly CanaryTarget[]): string {
    const settings: CanarySettings = { stack, targets };
    return JSON.stringify(settings);
}

/** The role's policy: the mode's application statements, its own logs, and running in a VPC. */
export function canaryPolicy(access: PolicyDocument, logGroupArn: string): PolicyDocument {
    const statements: PolicyStatement[] = [
        ...access.Statement,
        {
            Sid: "CanaryLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
        },
        { ...RUN_INSIDE_VPC_STATEMENT, Action: [...RUN_INSIDE_VPC_STATEMENT.Action] },
    ];
    return { Version: "2012-10-17", Statement: statements };
}

const roleNameRule = rule(
    matching(new RegExp(`^[\\w+=,.@-]{1,${ROLE_NAME_MAX}}$`)),
    `an IAM role name: 1 to ${ROLE_NAME_MAX} letters, digits and +=,.@-_`,
    '"rcx-canary-orders-0123456789abcdef"',
);

/** The canary: function, role, log group, schedule, and one alarm per endpoint. */
export class Canary extends pulumi.ComponentResource {
    /** Name of the canary function (for `npm run canary`). */
    public readonly functionName: pulumi.Output<string>;
    /** ARN of the canary's role: a producer that narrows `principals` lists it. */
    public readonly roleArn: pulumi.Output<string>;
    /** Names of the alarms, one per endpoint. */
    public readonly alarmNames: pulumi.Output<string>[];
    /** The alarms, one per endpoint, with the definition each was made from (for the stack's dashboard). */
    public readonly alarms: readonly CanaryAlarm[];

    constructor(name: string, args: CanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:Canary", name, {}, opts);
        const schedule = args.schedule ?? DEFAULT_CANARY_SCHEDULE;
        const settings = canarySettingsJson(args.stack, args.targets);
        validateArgs(
            "Canary",
            name,
            { ...args, schedule },
            { schedule: { rule: canaryScheduleRule }, roleName: { rule: roleNameRule } },
            (surface, problems: Problem[]) => {
                requireSome(
                    surface,
                    problems,
                    "targets",
                    args.targets,
                    "endpoint",
                    "Pass the writer at least.",
                );
                const bytes = Buffer.byteLength(`${CANARY_ENV}${settings}`);
                if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
                    problems.push(
                        problem(
                            surface,
                            "targets",
                            `(${bytes} bytes as ${CANARY_ENV})`,
                            `Lambda's environment variables hold ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes together`,
                            "Shorten the producer's names, or turn the canary off (canary.enabled: false).",
                        ),
                    );
                }
            },
        );
        const period = canaryPeriodSeconds(schedule)!;
        const parent = { parent: this };

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { retentionInDays: DEFAULT_LAMBDA_LOG_RETENTION_DAYS },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                assumeRolePolicy: LAMBDA_TRUST_POLICY,
                description:
                    "The database canary: logs in to the database in another account as applications do",
            },
            parent,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: logGroup.arn.apply((arn) => JSON.stringify(canaryPolicy(args.accessPolicy, arn))),
            },
            parent,
        );
        const fn = new aws.lambda.Function(
            `${name}-fn`,
            {
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({
                    "index.js": new pulumi.asset.StringAsset(bundleCanaryHandler()),
                }),
                role: role.arn,
                // Every endpoint is checked at once; each check's drivers give up after DEFAULT_PROBE_TIMEOUT_MS.
                timeout: Math.ceil((DEFAULT_PROBE_TIMEOUT_MS * 3) / 1000) + 15,
                memorySize: 256,
                environment: { variables: { [CANARY_ENV]: settings } },
                // Text: the EMF lines written to stdout reach CloudWatch Logs as written (./handler.ts).
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: args.securityGroupIds },
                description: "Logs in to each database endpoint as applications do and publishes the result",
            },
            { parent: this, dependsOn: [policy] },
        );
        scheduleFunction(name, fn, schedule, this, { targetDependsOn: args.runAfter ?? [] });

        this.alarms = args.targets.map((t) => {
            const definition = canaryAlarmDefinition(args.stack, t, period);
            const m = definition.watched.metric;
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${t.endpoint}`,
                {
                    alarmDescription: definition.description,
                    namespace: m.namespace,
                    metricName: m.metricName,
                    dimensions: m.dimensions,
                    statistic: m.statistic,
                    period: m.period,
                    evaluationPeriods: definition.evaluationPeriods,
                    datapointsToAlarm: definition.datapointsToAlarm,
                    comparisonOperator: definition.comparison,
                    threshold: definition.threshold,
                    treatMissingData: definition.treatMissingData,
                    ...(args.alarmActions
                        ? { alarmActions: args.alarmActions, okActions: args.alarmActions }
                        : {}),
                },
                parent,
            );
            return { definition, arn: alarm.arn, name: alarm.name };
        });
        this.alarmNames = this.alarms.map((a) => a.name);
        this.functionName = fn.name;
        this.roleArn = role.arn;
        this.registerOutputs({
            functionName: this.functionName,
            roleArn: this.roleArn,
            alarmNames: this.alarmNames,
        });
    }
}
