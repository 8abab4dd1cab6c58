/**
 * The TargetSync component's arguments and their validation at construction (plain values; Outputs are
 * checked by the dynamic resource's `check`).
 */
import * as pulumi from "@pulumi/pulumi";
import { regionRule, targetGroupArnRule } from "../../vocabulary/identifiers";
import { oneOf, problem, rule, type Problem, type Rules, type Surface } from "../../vocabulary/rules";
import { portRule, settingRule } from "../../vocabulary/settings";
import { DEFAULT_LAMBDA_LOG_RETENTION_DAYS } from "../lambda";
import { validateArgs } from "../validation";
import { scheduleRule, sourceRule } from "./rules";
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
    /** The proxy's subnets: only addresses inside them are ever registered (their CIDRs are read from EC2 at `pulumi up` and deployed with the Lambda). */
    readonly proxySubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The proxy's security groups: the eni source accepts only interfaces that carry every one of them. */
    readonly proxySecurityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
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
    /** Resources the scheduled sync needs before its first run (dns: the VPC endpoints it reaches the ELB and DynamoDB APIs through). @default none */
    readonly scheduleDependsOn?: pulumi.Resource[];
    /** Days the Lambda's log group keeps logs. @default 30 */
    readonly logRetentionDays?: number;
    /** Tags for every taggable child. @default none */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Days the Lambda's log group keeps logs when `logRetentionDays` is not given. */
export const DEFAULT_LOG_RETENTION_DAYS = DEFAULT_LAMBDA_LOG_RETENTION_DAYS;

/** Values CloudWatch Logs accepts for retentionInDays. */
export const RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The rule of each plain argument; Outputs are checked by the dynamic resource's `check`. */
const ARG_RULES: Rules = {
    source: { rule: sourceRule, optional: true },
    schedule: { rule: scheduleRule, optional: true },
    missesBeforeDeregister: { rule: settingRule("missesBeforeDeregister"), optional: true },
    region: { rule: regionRule },
    port: { rule: portRule },
    targetGroupArn: { rule: targetGroupArnRule },
    logRetentionDays: {
        rule: rule(
            oneOf(RETENTION_DAYS),
            `one of ${RETENTION_DAYS.join(", ")} (what CloudWatch Logs accepts)`,
            "30",
        ),
        optional: true,
    },
};

/** The in-VPC arguments go with the dns source, and only with it. */
function checkPlacement(surface: Surface, problems: Problem[], args: TargetSyncArgs): void {
    if ((args.source ?? DEFAULT_SOURCE) === "dns") {
        if (args.subnetIds === undefined || (Array.isArray(args.subnetIds) && args.subnetIds.length === 0)) {
            problems.push(
                problem(
                    surface,
                    "subnetIds",
                    args.subnetIds,
                    'source "dns" needs two or more subnets: the Lambda must resolve the proxy inside the VPC',
                    "Pass the proxy's subnets.",
                ),
            );
        }
        if (args.securityGroupId === undefined) {
            problems.push(
                problem(
                    surface,
                    "securityGroupId",
                    undefined,
                    'source "dns" needs it: the Lambda runs inside the VPC',
                    "Pass the security group that may reach the ELB and DynamoDB endpoints.",
                ),
            );
        }
    } else {
        for (const key of ["subnetIds", "securityGroupId"] as const) {
            if (args[key] === undefined) continue;
            problems.push(
                problem(
                    surface,
                    key,
                    pulumi.Output.isInstance(args[key]) ? "(an output)" : args[key],
                    'it applies only when source is "dns" (with "eni" the Lambda runs outside the VPC)',
                    'Remove it or set source to "dns".',
                ),
            );
        }
    }
}

/** Validates the plain arguments and throws every problem at once. */
export function validateTargetSyncArgs(name: string, args: TargetSyncArgs): void {
    validateArgs("TargetSync", name, args, ARG_RULES, (surface, problems) =>
        checkPlacement(surface, problems, args),
    );
}
