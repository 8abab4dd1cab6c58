/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * TargetSync: keeps one NLB target group filled with one RDS Proxy endpoint's IPs, at `pulumi up` (dynamic
 * resource) and between deployments (scheduled Lambda with durable miss state and a failure alarm).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "./handler";
import { TargetRegistration } from "./provider";
import type { IpSource } from "./sources";

/** Arguments of {@link TargetSync}; one instance per target group. */
export interface TargetSyncArgs {
    /** ARN of the NLB target group (type ip) this sync owns: every target on `port` in it is managed. */
    readonly targetGroupArn: pulumi.Input<string>;
    /** Name of the RDS Proxy whose IPs are synced (the eni source matches its interfaces by this name). */
    readonly proxyName: pulumi.Input<string>;
    /** Hostname of the proxy endpoint this target group serves (resolved by the dns source). */
    readonly proxyEndpoint: pulumi.Input<string>;
    /** Port the targets are registered on: the engine port the proxy listens on. */
    readonly port: pulumi.Input<number>;
    /** VPC of the proxy (and of the target group). */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Where the IPs come from: "eni" (the proxy's network interfaces, via the EC2 API; the Lambda runs outside
     * the VPC) or "dns" (A records of `proxyEndpoint`; the Lambda runs inside the VPC). Use "dns" for a
     * read-only proxy endpoint. @default "eni"
     */
    readonly source?: IpSource;
    /** EventBridge schedule expression of the Lambda. @default "rate(1 minute)" */
    readonly schedule?: string;
    /** Consecutive missed lookups after which a missing, healthy target is deregistered. @default 3 */
    readonly missesBeforeDeregister?: number;
    /** AWS region of the stack (the target group, proxy and Lambda live there). */
    readonly region: string;
    /**
     * Role the stack's aws provider assumes; the dynamic resource assumes it too when it runs at `pulumi up`.
     * The Lambda never uses it (it has its own least-privilege role). @default the environment's credentials
     */
    readonly assumeRoleArn?: pulumi.Input<string>;
    /** Subnets (two or more AZs) for the Lambda inside the VPC; required when source is "dns". @default none (eni: outside the VPC) */
    readonly subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the Lambda inside the VPC (egress 443 to the ELBv2 and DynamoDB endpoints); required when source is "dns". @default none (eni: outside the VPC) */
    readonly securityGroupId?: pulumi.Input<string>;
    /** SNS topic ARNs notified when syncs fail. @default none: the alarm only changes state */
    readonly alarmActions?: pulumi.Input<pulumi.Input<string>[]>;
    /** Days the Lambda's log group keeps logs. @default 30 */
    readonly logRetentionDays?: number;
    /** Tags for every taggable child. @default none */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Values CloudWatch Logs accepts for retentionInDays. */
const RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * True for EventBridge schedule expressions: rate(N unit), or cron() with six fields of which exactly one of
 * day-of-month (3rd) and day-of-week (5th) is "?", as EventBridge requires.
 */
export function isScheduleExpression(expression: string): boolean {
    if (/^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/.test(expression)) return true;
    const cron = /^cron\((\S+( \S+){5})\)$/.exec(expression);
    if (!cron) return false;
    const fields = cron[1].split(" ");
    return (fields[2] === "?") !== (fields[4] === "?");
}

/** Validates plain args and returns every problem (Outputs are checked by the dynamic resource's `check`). */
export function validateTargetSyncArgs(args: TargetSyncArgs): pulumi.InputPropertyErrorDetails[] {
    const problems: pulumi.InputPropertyErrorDetails[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    const source = args.source ?? "eni";
    if (source !== "eni" && source !== "dns") {
        add("source", `source must be "eni" or "dns", got ${JSON.stringify(args.source)}.`);
    }
    if (args.schedule !== undefined && !isScheduleExpression(args.schedule)) {
        add(
            "schedule",
            `schedule must be an EventBridge schedule expression such as "rate(1 minute)" or "cron(0/5 * * * ? *)" (six fields, "?" in exactly one of day-of-month and day-of-week), got ${JSON.stringify(args.schedule)}.`,
        );
    }
    const misses = args.missesBeforeDeregister;
    if (misses !== undefined && (!Number.isInteger(misses) || misses < 1)) {
        add(
            "missesBeforeDeregister",
            `missesBeforeDeregister must be an integer of at least 1, got ${JSON.stringify(misses)}.`,
        );
    }
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region ?? "")) {
        add("region", `region must be an AWS region such as eu-west-1, got ${JSON.stringify(args.region)}.`);
    }
    if (
        typeof args.port === "number" &&
        (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535)
    ) {
        add("port", `port must be an integer from 1 to 65535, got ${JSON.stringify(args.port)}.`);
    }
    if (
        typeof args.targetGroupArn === "string" &&
        !/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\//.test(args.targetGroupArn)
    ) {
        add(
            "targetGroupArn",
            `targetGroupArn must be an ELBv2 target group ARN, got ${JSON.stringify(args.targetGroupArn)}.`,
        );
    }
    if (source === "dns") {
        if (args.subnetIds === undefined) {
            add(
                "subnetIds",
                'subnetIds is required when source is "dns": the Lambda must resolve the proxy inside the VPC.',
            );
        } else if (Array.isArray(args.subnetIds) && args.subnetIds.length === 0) {
            add("subnetIds", 'subnetIds must list at least one subnet when source is "dns", got [].');
        }
        if (args.securityGroupId === undefined) {
            add(
                "securityGroupId",
                'securityGroupId is required when source is "dns": the Lambda runs inside the VPC.',
            );
        }
    } else if (args.subnetIds !== undefined || args.securityGroupId !== undefined) {
        add(
            args.subnetIds !== undefined ? "subnetIds" : "securityGroupId",
            'subnetIds and securityGroupId apply only when source is "dns" (with "eni" the Lambda runs outside the VPC); remove them or set source to "dns".',
        );
    }
    if (args.logRetentionDays !== undefined && !RETENTION_DAYS.includes(args.logRetentionDays)) {
        add(
            "logRetentionDays",
            `logRetentionDays must be one of ${RETENTION_DAYS.join(", ")}, got ${JSON.stringify(args.logRetentionDays)}.`,
        );
    }
    return problems;
}

let bundled: string | undefined;

/** Bundles the Lambda handler (and the AWS SDK it uses) into one CommonJS file, once per process. */
export function bundleHandler(): string {
    if (bundled === undefined) {
        const esbuild = require("esbuild") as typeof import("esbuild");
        const result = esbuild.buildSync({
            // The TypeScript source when run by ts-node (Pulumi's default), the compiled file otherwise.
            entryPoints: [
                path.join(
                    __dirname,
                    fs.existsSync(path.join(__dirname, "handler.ts")) ? "handler.ts" : "handler.js",
                ),
            ],
            bundle: true,
            platform: "node",
            target: "node22",
            format: "cjs",
            minify: true,
            legalComments: "none",
            write: false,
            logLevel: "silent",
        });
        bundled = result.outputFiles[0].text;
    }
    return bundled;
}

/**
 * Keeps one NLB target group (type ip) filled with the IPs of one RDS Proxy endpoint.
 *
 * Children: a dynamic resource that registers at `pulumi up`, shows drift in preview and deregisters on
 * delete; a Lambda on a schedule that syncs between deployments; its IAM role (register/deregister on this
 * target group only); a DynamoDB table for the miss state; a log group; a CloudWatch alarm on failed syncs.
 */
export class TargetSync extends pulumi.ComponentResource {
    /** Name of the sync Lambda. */
    public readonly functionName: pulumi.Output<string>;
    /** DynamoDB table holding the miss state (pass it to the CLI with --state-table). */
    public readonly stateTableName: pulumi.Output<string>;
    /** Name of the alarm that fires when syncs fail. */
    public readonly alarmName: pulumi.Output<string>;
    /** IPs registered after the last `pulumi up` or refresh. */
    public readonly targets: pulumi.Output<string[]>;

    constructor(name: string, args: TargetSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:target-sync:TargetSync", name, {}, opts);

        const problems = validateTargetSyncArgs(args);
        if (problems.length > 0) {
            throw new pulumi.InputPropertiesError({
                message: `Invalid arguments for TargetSync ${name}.`,
                errors: problems,
            });
        }
        const source: IpSource = args.source ?? "eni";
        const missesBeforeDeregister = args.missesBeforeDeregister ?? 3;
        const parent = { parent: this };

        const table = new aws.dynamodb.Table(
            `${name}-state`,
            {
                attributes: [{ name: "id", type: "S" }],
                hashKey: "id",
                billingMode: "PAY_PER_REQUEST",
                serverSideEncryption: { enabled: true },
                tags: args.tags,
            },
            parent,
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { retentionInDays: args.logRetentionDays ?? 30, tags: args.tags },
            parent,
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "lambda.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                tags: args.tags,
            },
            parent,
        );

        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([args.targetGroupArn, table.arn, logGroup.arn])
                    .apply(([targetGroupArn, tableArn, logGroupArn]) =>
                        JSON.stringify(syncPolicy(source, targetGroupArn, tableArn, logGroupArn)),
                    ),
            },
            parent,
        );

        const environment: Record<string, pulumi.Input<string>> = {
            [ENV.targetGroupArn]: args.targetGroupArn,
            [ENV.proxyName]: args.proxyName,
            [ENV.source]: source,
            [ENV.port]: pulumi.output(args.port).apply(String),
            [ENV.missesBeforeDeregister]: String(missesBeforeDeregister),
            [ENV.stateTableName]: table.name,
        };
        if (source === "eni") {
            environment[ENV.vpcId] = args.vpcId;
        } else {
            environment[ENV.proxyEndpoint] = args.proxyEndpoint;
        }

        const fn = new aws.lambda.Function(
            `${name}-fn`,
            {
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({
                    "index.js": new pulumi.asset.StringAsset(bundleHandler()),
                }),
                role: role.arn,
                timeout: 60,
                memorySize: 256,
                environment: { variables: environment },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                vpcConfig:
                    source === "dns"
                        ? {
                              subnetIds: args.subnetIds as pulumi.Input<pulumi.Input<string>[]>,
                              securityGroupIds: [args.securityGroupId as pulumi.Input<string>],
                          }
                        : undefined,
                description: pulumi.interpolate`Keeps ${args.targetGroupArn} in sync with RDS Proxy ${args.proxyName}`,
                tags: args.tags,
            },
            // Created after its permissions, so no first run can fail for lack of them.
            { parent: this, dependsOn: [policy] },
        );

        // Registered before the schedule exists, so the first `pulumi up` fills the target group itself.
        const registration = new TargetRegistration(
            `${name}-registration`,
            {
                targetGroupArn: args.targetGroupArn,
                port: args.port,
                source,
                proxyName: args.proxyName,
                vpcId: source === "eni" ? args.vpcId : undefined,
                proxyEndpoint: source === "dns" ? args.proxyEndpoint : undefined,
                missesBeforeDeregister,
                region: args.region,
                assumeRoleArn: args.assumeRoleArn,
                stateTableName: table.name,
            },
            parent,
        );

        // EventBridge invokes the function asynchronously, and Lambda retries a failed async invocation twice by
        // default: with a one-minute schedule those retries would overlap the next run (and lose its conditional
        // write). The next scheduled run is the retry, so failed runs are not retried and stale events dropped.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-no-retries`,
            { functionName: fn.name, maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
            parent,
        );

        const rule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            { scheduleExpression: args.schedule ?? "rate(1 minute)", tags: args.tags },
            parent,
        );
        new aws.lambda.Permission(
            `${name}-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: fn.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
            },
            parent,
        );
        // The schedule depends on the registration: on destroy it stops before the registration deregisters
        // its targets, so a last scheduled run cannot register them again.
        new aws.cloudwatch.EventTarget(
            `${name}-target`,
            { rule: rule.name, arn: fn.arn },
            { parent: this, dependsOn: [registration] },
        );

        const alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-failures`,
            {
                alarmDescription: pulumi.interpolate`Proxy IP sync of ${args.targetGroupArn} failed; see the logs of ${fn.name}.`,
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: fn.name },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                alarmActions: args.alarmActions,
                okActions: args.alarmActions,
                tags: args.tags,
            },
            parent,
        );

        this.functionName = fn.name;
        this.stateTableName = table.name;
        this.alarmName = alarm.name;
        this.targets = registration.targets;
        this.registerOutputs({
            functionName: this.functionName,
            stateTableName: this.stateTableName,
            alarmName: this.alarmName,
            targets: this.targets,
        });
    }
}

/**
 * The Lambda's policy. Mutations are limited to this target group's ARN; ELBv2 `DescribeTargetHealth` and
 * EC2 `Describe*` do not support resource-level permissions, so they take "*" (Service Authorization
 * Reference: "Actions, resources, and condition keys for Elastic Load Balancing V2" and "... for Amazon
 * EC2"). In dns mode the function runs in the VPC and needs the EC2 actions of the AWS managed policy
 * AWSLambdaVPCAccessExecutionRole, version v3 (edited 2024-01-05)
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html).
 */
export function syncPolicy(
    source: IpSource,
    targetGroupArn: string,
    tableArn: string,
    logGroupArn: string,
): object {
    const statements: object[] = [
        {
            Sid: "ChangeThisTargetGroupOnly",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: targetGroupArn,
        },
        {
            Sid: "ReadTargetHealth",
            Effect: "Allow",
            Action: ["elasticloadbalancing:DescribeTargetHealth"],
            Resource: "*",
        },
        {
            Sid: "MissState",
            Effect: "Allow",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
            Resource: tableArn,
        },
        {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
        },
    ];
    if (source === "eni") {
        statements.push({
            Sid: "FindProxyInterfaces",
            Effect: "Allow",
            Action: ["ec2:DescribeNetworkInterfaces"],
            Resource: "*",
        });
    } else {
        statements.push({
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
    }
    return { Version: "2012-10-17", Statement: statements };
}
