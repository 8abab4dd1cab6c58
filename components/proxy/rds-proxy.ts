import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    accountIdRule,
    distinctList,
    Engine,
    enginePort,
    matching,
    oneOf,
    partitionOf,
    problem,
    proxyEngineFamily,
    rule,
    secretsManagerViaService,
    settingRule,
    SETTINGS,
} from "../../vocabulary";
import { validateArgs } from "../validation";

/** A consumer's secret the proxy serves in password mode. */
export interface ProxyUserSecret {
    /** ARN of the Secrets Manager secret holding `{ "username", "password" }`. */
    readonly secretArn: pulumi.Input<string>;
    /** ARN of the customer-managed KMS key that encrypts it. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** Says whose secret it is, in the proxy's auth list. */
    readonly description: string;
}

/** The longest DNS label (RFC 1035), which the read-only alias's first label must fit. */
const MAX_LABEL = 63;

/**
 * The read-only endpoint's alias: the writer's name with `-ro` on its first label, so one label under
 * `proxy-<id>.<region>.rds.<suffix>` like the writer, which the proxy's wildcard certificate covers.
 */
export function readOnlyAliasOf(writerEndpoint: string): string {
    const dot = writerEndpoint.indexOf(".");
    const label = `${writerEndpoint.slice(0, dot)}-ro`;
    if (dot <= 0 || label.length > MAX_LABEL) {
        throw new Error(
            `The read-only alias of proxy endpoint ${writerEndpoint} would have a first label of ${label.length} ` +
                `characters, but a DNS label holds at most ${MAX_LABEL}. Give the proxy a shorter name.`,
        );
    }
    return label + writerEndpoint.slice(dot);
}

export interface RdsProxyArgs {
    /** Aurora engine of the target cluster. */
    readonly engine: Engine;
    /** Region of the proxy; scopes the key-use condition to Secrets Manager of this region. */
    readonly region: string;
    /** VPC of the cluster (RDS Proxy must live in the database's VPC). */
    readonly vpcId: pulumi.Input<string>;
    /** At least two subnets in distinct AZs. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Identifier of the Aurora cluster the proxy fronts. */
    readonly clusterIdentifier: pulumi.Input<string>;
    /** Security group of the cluster; the proxy gets the engine port on it and nothing else. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    /** The database account (the `rds-db:connect` resources are in it). */
    readonly accountId: string;
    /**
     * How clients authenticate to the proxy and the proxy to the database: `iam` (end-to-end IAM,
     * `defaultAuthScheme: IAM_AUTH`) or `password` (the consumers' secrets in `auths`).
     */
    readonly applicationAuth: "iam" | "password";
    /** The cluster's resource ID (`cluster-…`), for `rds-db:connect` as the users (iam). */
    readonly clusterResourceId: pulumi.Input<string>;
    /** The database users the proxy connects as (iam); each consumer's user, distinct. @default none: required in iam mode */
    readonly databaseUsers?: readonly string[];
    /** The consumers' secrets the proxy serves (password). @default none: required in password mode */
    readonly userSecrets?: readonly ProxyUserSecret[];
    /** Seconds a client connection may stay idle before the proxy closes it. @default `SETTINGS.idleClientTimeoutSeconds` (300) */
    readonly idleClientTimeoutSeconds?: number;
    /** Share of the database's max_connections the proxy may use. @default `SETTINGS.maxConnectionsPercent` (90) */
    readonly maxConnectionsPercent?: number;
    /** Seconds a client waits for a pooled connection before failing. @default `SETTINGS.connectionBorrowTimeoutSeconds` (120) */
    readonly connectionBorrowTimeoutSeconds?: number;
    /** Create a read-only proxy endpoint routing to the readers. @default false */
    readonly readOnlyEndpoint?: boolean;
}

/**
 * RDS Proxy in front of an Aurora cluster: an IAM role that may only connect as the consumers' database users
 * (iam) or read the consumers' secrets and decrypt them through Secrets Manager (password), its own security
 * group, the proxy itself with TLS always required, the default target group's connection-pool settings, the
 * cluster as target, and optionally a read-only endpoint with its alias.
 *
 * The cluster's master secret is not given to the proxy: it is for the bootstrap, which connects to the writer
 * directly. In iam mode the proxy needs no secret at all (`auths` is required only when `defaultAuthScheme` is
 * NONE or unset); in password mode the consumers' secrets are its only credentials. So no application can log
 * in as the master user through the proxy, and RDS's 7-day rotation of that secret does not concern the proxy.
 */
export class RdsProxy extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    /** The proxy's security group; it admits nothing until a caller adds rules. */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly proxy: aws.rds.Proxy;
    /** The read-only endpoint, when requested. */
    public readonly readOnly?: aws.rds.ProxyEndpoint;
    /** Name of the proxy (its network interfaces are described as "Network interface for DBProxy <name>"). */
    public readonly proxyName: pulumi.Output<string>;
    /** Hostname of the default (read/write) endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** Hostname of the read-only endpoint, `<ep>.endpoint.proxy-<id>…`, when requested (IAM tokens are signed for it). */
    public readonly readOnlyEndpoint?: pulumi.Output<string>;
    /** The name clients dial for the read-only endpoint, one label under `proxy-<id>` (see `readOnlyAliasOf`). */
    public readonly readOnlyAlias?: pulumi.Output<string>;
    public readonly port: number;

    constructor(name: string, args: RdsProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:proxy:RdsProxy", name, {}, opts);
        validateArgs(
            "RdsProxy",
            name,
            args,
            {
                idleClientTimeoutSeconds: { rule: settingRule("idleClientTimeoutSeconds"), optional: true },
                maxConnectionsPercent: { rule: settingRule("maxConnectionsPercent"), optional: true },
                connectionBorrowTimeoutSeconds: {
                    rule: settingRule("connectionBorrowTimeoutSeconds"),
                    optional: true,
                },
                accountId: { rule: accountIdRule },
                applicationAuth: {
                    rule: rule(oneOf(["iam", "password"]), 'one of "iam", "password"', '"iam"'),
                },
                databaseUsers: {
                    rule: rule(
                        distinctList(matching(/^[a-z][a-z0-9_]{0,62}$/), 1),
                        "a non-empty list of distinct database user names (lowercase letters, digits and underscores, starting with a letter)",
                        '["orders_app"]',
                    ),
                    optional: true,
                },
            },
            (surface, problems) => {
                const needs = args.applicationAuth === "iam" ? "databaseUsers" : "userSecrets";
                const other = args.applicationAuth === "iam" ? "userSecrets" : "databaseUsers";
                if ((args[needs]?.length ?? 0) === 0) {
                    problems.push(
                        problem(
                            surface,
                            needs,
                            args[needs],
                            `applicationAuth is "${args.applicationAuth}", which needs at least one`,
                            "Pass one per consumer.",
                        ),
                    );
                }
                if (args[other] !== undefined) {
                    problems.push(
                        problem(
                            surface,
                            other,
                            "(given)",
                            `applicationAuth is "${args.applicationAuth}", which does not use it`,
                            "Remove it.",
                        ),
                    );
                }
            },
        );
        this.port = enginePort(args.engine);

        // Trusts the service principal as the AWS console and the CDK's DatabaseProxy do. A confused-deputy
        // condition (aws:SourceAccount/SourceArn) is not added: RDS Proxy is not documented to send those keys
        // when it assumes the role, and a condition it does not meet would cut the proxy off its secret.
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description:
                    args.applicationAuth === "iam"
                        ? `Lets RDS Proxy ${name} connect to the database as the consumers' users`
                        : `Lets RDS Proxy ${name} read the consumers' database secrets`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "rds.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const access = new aws.iam.RolePolicy(
            args.applicationAuth === "iam" ? `${name}-database-connect` : `${name}-secret-access`,
            {
                role: this.role.id,
                policy: args.applicationAuth === "iam" ? this.connectPolicy(args) : this.secretsPolicy(args),
            },
            { parent: this },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `RDS Proxy ${name}: admits the engine port only from the load balancer`,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-database`,
            {
                securityGroupId: this.securityGroup.id,
                referencedSecurityGroupId: args.databaseSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: this.port,
                toPort: this.port,
                description: "RDS Proxy to the Aurora cluster, engine port",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-database-from-proxy`,
            {
                securityGroupId: args.databaseSecurityGroupId,
                referencedSecurityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: this.port,
                toPort: this.port,
                description: "Aurora cluster from RDS Proxy, engine port",
            },
            { parent: this },
        );

        this.proxy = new aws.rds.Proxy(
            name,
            {
                engineFamily: proxyEngineFamily(args.engine),
                // TLS is not optional in this project: there is deliberately no switch for it.
                requireTls: true,
                roleArn: this.role.arn,
                vpcSubnetIds: args.subnetIds,
                vpcSecurityGroupIds: [this.securityGroup.id],
                idleClientTimeout: args.idleClientTimeoutSeconds ?? SETTINGS.idleClientTimeoutSeconds.default,
                debugLogging: false,
                ...(args.applicationAuth === "iam"
                    ? // End-to-end IAM (Sept 2025): clients present IAM tokens for prx-<id>/<user>, and the proxy
                      // connects with tokens of its own role for <cluster-resource-id>/<user> (AWS, "Setting up
                      // IAM authentication for RDS Proxy"). No auths: they are required only with NONE/unset.
                      { defaultAuthScheme: "IAM_AUTH" }
                    : {
                          defaultAuthScheme: "NONE",
                          auths: (args.userSecrets ?? []).map((s) => ({
                              authScheme: "SECRETS",
                              secretArn: s.secretArn,
                              iamAuth: "DISABLED",
                              description: s.description,
                              clientPasswordAuthType:
                                  args.engine === "aurora-postgresql"
                                      ? "POSTGRES_SCRAM_SHA_256"
                                      : "MYSQL_NATIVE_PASSWORD",
                          })),
                      }),
            },
            { parent: this },
        );

        const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
            `${name}-pool`,
            {
                dbProxyName: this.proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent:
                        args.maxConnectionsPercent ?? SETTINGS.maxConnectionsPercent.default,
                    connectionBorrowTimeout:
                        args.connectionBorrowTimeoutSeconds ??
                        SETTINGS.connectionBorrowTimeoutSeconds.default,
                },
            },
            { parent: this },
        );
        new aws.rds.ProxyTarget(
            `${name}-target`,
            {
                dbProxyName: this.proxy.name,
                targetGroupName: targetGroup.name,
                dbClusterIdentifier: args.clusterIdentifier,
            },
            // The proxy connects to the cluster with what its role's policy allows.
            { parent: this, dependsOn: [access] },
        );

        if (args.readOnlyEndpoint) {
            this.readOnly = new aws.rds.ProxyEndpoint(
                `${name}-read-only`,
                {
                    dbProxyName: this.proxy.name,
                    dbProxyEndpointName: this.proxy.name.apply((n) => `${n}-ro`),
                    vpcSubnetIds: args.subnetIds,
                    vpcSecurityGroupIds: [this.securityGroup.id],
                    targetRole: "READ_ONLY",
                },
                { parent: this },
            );
            this.readOnlyEndpoint = this.readOnly.endpoint;
            // The endpoint's own name, <ep>.endpoint.proxy-<id>…, is two labels under proxy-<id>, so the proxy's
            // wildcard certificate (*.proxy-<id>…) does not cover it and verify-full fails on it. Clients dial this
            // alias instead, which the consumers' private DNS answers with their interface endpoint. Collision risk:
            // proxy-<id> is shared by every proxy of the account in the region, so a proxy named like the alias's
            // first label (<this proxy's name>-ro) would own the alias in public DNS; consumers still reach this
            // endpoint (their private zone answers first), but do not create a proxy of that name in this account.
            this.readOnlyAlias = this.proxy.endpoint.apply(readOnlyAliasOf);
        }

        this.proxyName = this.proxy.name;
        this.endpoint = this.proxy.endpoint;
        this.registerOutputs({
            proxyName: this.proxyName,
            endpoint: this.endpoint,
            readOnlyEndpoint: this.readOnlyEndpoint,
            readOnlyAlias: this.readOnlyAlias,
        });
    }

    /** iam: `rds-db:connect` as exactly the consumers' users on the cluster, `dbuser:<cluster-resource-id>/<user>`. */
    private connectPolicy(args: RdsProxyArgs): pulumi.Output<string> {
        const prefix = `arn:${partitionOf(args.region)}:rds-db:${args.region}:${args.accountId}:dbuser:`;
        return pulumi.output(args.clusterResourceId).apply((clusterResourceId) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ConnectAsConsumerUsers",
                        Effect: "Allow",
                        Action: "rds-db:connect",
                        Resource: (args.databaseUsers ?? []).map((u) => `${prefix}${clusterResourceId}/${u}`),
                    },
                ],
            }),
        );
    }

    /** password: read exactly the consumers' secrets, and decrypt them only through Secrets Manager. */
    private secretsPolicy(args: RdsProxyArgs): pulumi.Output<string> {
        const secrets = args.userSecrets ?? [];
        return pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadConsumerSecrets",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue"],
                    Resource: secrets.map((s) => s.secretArn),
                },
                {
                    Sid: "DecryptConsumerSecretsThroughSecretsManager",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: secrets.map((s) => s.secretKeyArn),
                    Condition: {
                        StringEquals: { "kms:ViaService": secretsManagerViaService(args.region) },
                    },
                },
            ],
        });
    }
}
