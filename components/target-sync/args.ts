/**
 * The TargetSync component's arguments and their validation at construction (plain values; Outputs are
 * checked by the dynamic resource's `check`).
 */
import * as pulumi from "@pulumi/pulumi";
import { REGION_PATTERN } from "./inputs";
import { isScheduleExpression } from "./schedule";
import { DEFAULT_SOURCE, type IpSource } from "./sources";

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

/** Days the Lambda's log group keeps logs when `logRetentionDays` is not given. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** Values CloudWatch Logs accepts for retentionInDays. */
export const RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Validates plain args and returns every problem (Outputs are checked by the dynamic resource's `check`). */
export function validateTargetSyncArgs(args: TargetSyncArgs): pulumi.InputPropertyErrorDetails[] {
    const problems: pulumi.InputPropertyErrorDetails[] = [];
    const add = (propertyPath: string, reason: string) => problems.push({ propertyPath, reason });
    const source = args.source ?? DEFAULT_SOURCE;
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
    if (!REGION_PATTERN.test(args.region ?? "")) {
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
