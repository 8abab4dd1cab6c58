/**
 * TargetSync: keeps one NLB target group filled with one RDS Proxy endpoint's IPs, at `pulumi up` (dynamic
 * resource) and between deployments (scheduled Lambda with durable miss state). Its alarms are the path's
 * (components/monitoring), which watch it by `functionName`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_LOG_RETENTION_DAYS, validateTargetSyncArgs, type TargetSyncArgs } from "./args";
import { LAMBDA_TRUST_POLICY } from "../lambda";
import { scheduleFunction } from "../lambda-schedule";
import { bundleHandler } from "./bundle";
import { ENV } from "./handler";
import { syncPolicy } from "./policy";
import { TargetRegistration } from "./provider";
import { SETTINGS } from "../../vocabulary/settings";
import { DEFAULT_SCHEDULE } from "./schedule";
import { DEFAULT_SOURCE, type IpSource } from "./sources";

/**
 * Keeps one NLB target group (type ip) filled with the IPs of one RDS Proxy endpoint.
 *
 * Children: a dynamic resource that registers at `pulumi up`, shows drift in preview and deregisters on
 * delete; a Lambda on a schedule that syncs between deployments; its IAM role (register/deregister on this
 * target group only); a DynamoDB table for the miss state; a log group.
 */
export class TargetSync extends pulumi.ComponentResource {
    /** Name of the sync Lambda. */
    public readonly functionName: pulumi.Output<string>;
    /** DynamoDB table holding the miss state (pass it to the CLI with --state-table). */
    public readonly stateTableName: pulumi.Output<string>;
    /** IPs registered after the last `pulumi up` or refresh. */
    public readonly targets: pulumi.Output<string[]>;

    constructor(name: string, args: TargetSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:target-sync:TargetSync", name, {}, opts);

        validateTargetSyncArgs(name, args);
        const source: IpSource = args.source ?? DEFAULT_SOURCE;
        const missesBeforeDeregister = args.missesBeforeDeregister ?? SETTINGS.missesBeforeDeregister.default;
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
            { retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, tags: args.tags },
            parent,
        );

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: LAMBDA_TRUST_POLICY,
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

        // Registered before the Lambda exists, so the first `pulumi up` fills the target group itself, and reads
        // the proxy's subnet CIDRs from EC2 for the Lambda (which, in dns mode, has no EC2 endpoint).
        const registration = new TargetRegistration(
            `${name}-registration`,
            {
                targetGroupArn: args.targetGroupArn,
                port: args.port,
                source,
                proxyName: args.proxyName,
                vpcId: args.vpcId,
                proxySubnetIds: args.proxySubnetIds,
                proxySecurityGroupIds: args.proxySecurityGroupIds,
                proxyEndpoint: source === "dns" ? args.proxyEndpoint : undefined,
                missesBeforeDeregister,
                region: args.region,
                assumeRoleArn: args.assumeRoleArn,
                stateTableName: table.name,
            },
            parent,
        );
        const list = (ids: pulumi.Input<pulumi.Input<string>[]>) =>
            pulumi.output(ids).apply((v) => v.join(","));

        const environment: Record<string, pulumi.Input<string>> = {
            [ENV.targetGroupArn]: args.targetGroupArn,
            [ENV.proxyName]: args.proxyName,
            [ENV.source]: source,
            [ENV.port]: pulumi.output(args.port).apply(String),
            [ENV.missesBeforeDeregister]: String(missesBeforeDeregister),
            [ENV.stateTableName]: table.name,
            [ENV.vpcId]: args.vpcId,
            [ENV.proxySubnetIds]: list(args.proxySubnetIds),
            [ENV.proxySubnetCidrs]: registration.subnetCidrs.apply((c) => (c ?? []).join(",")),
            [ENV.proxySecurityGroupIds]: list(args.proxySecurityGroupIds),
        };
        if (source === "dns") {
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

        // EventBridge invokes the function asynchronously, and Lambda retries a failed async invocation twice by
        // default: with a one-minute schedule those retries would overlap the next run (and lose its conditional
        // write). The next scheduled run is the retry, so failed runs are not retried and stale events dropped.
        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-no-retries`,
            { functionName: fn.name, maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
            parent,
        );

        // The schedule's target depends on the registration: on destroy it stops before the registration
        // deregisters its targets, so a last scheduled run cannot register them again. It also waits for what the
        // function needs to reach the AWS APIs (dns: the VPC endpoints), so no run fails because an endpoint is
        // still being created.
        scheduleFunction(name, fn, args.schedule ?? DEFAULT_SCHEDULE, this, {
            targetDependsOn: [registration, ...(args.scheduleDependsOn ?? [])],
            ...(args.tags ? { tags: args.tags } : {}),
        });

        this.functionName = fn.name;
        this.stateTableName = table.name;
        this.targets = registration.targets;
        this.registerOutputs({
            functionName: this.functionName,
            stateTableName: this.stateTableName,
            targets: this.targets,
        });
    }
}
