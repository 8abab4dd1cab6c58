import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    accessKindRule,
    accessMode,
    accessScopeRule,
    accountIdRule,
    databaseUserShapeRule,
    Engine,
    enginePort,
    partitionOf,
    problem,
    proxyEngineFamily,
    settingRule,
    SETTINGS,
    type AccessKind,
    type Problem,
    type ProxyAuthSettings,
    type ProxyGrant,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";
import { readOnlyAliasOf } from "./read-only-alias";

export interface RdsProxyArgs {
    /** Engine of the target database. */
    readonly engine: Engine;
    /** Region of the proxy; scopes the key-use condition to Secrets Manager of this region. */
    readonly region: string;
    /** VPC of the database (RDS Proxy must live in the database's VPC). */
    readonly vpcId: pulumi.Input<string>;
    /** At least two subnets in distinct AZs. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The database the proxy fronts: an Aurora cluster or an RDS instance, by identifier. */
    readonly target: { readonly kind: "cluster" | "instance"; readonly identifier: pulumi.Input<string> };
    /**
     * The port the database listens on, which the proxy connects to. The proxy's own endpoints listen on the
     * engine's default port whatever the database's. @default the engine's default port
     */
    readonly databasePort?: number;
    /** Security group of the database; the proxy gets the database's port on it and nothing else. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    /** The database account (the `rds-db:connect` resources are in it). */
    readonly accountId: string;
    /**
     * How clients authenticate to the proxy and the proxy to the database: the consumers' access mode
     * (vocabulary/access), which decides the proxy's auth settings and its role's policy.
     */
    readonly applicationAuth: AccessKind;
    /** The database's resource ID (`cluster-…` or `db-…`), for `rds-db:connect` as the users. */
    readonly databaseResourceId: pulumi.Input<string>;
    /**
     * The stack's scope (vocabulary/access/scope.ts): the tag value of the consumers' secrets, which the role may
     * read when the mode shares secrets.
     */
    readonly scope: string;
    /**
     * What each consumer's access gives the proxy: its database user (distinct), a description, and its secret when
     * the mode shares one (exactly then). @default none: at least one is required
     */
    readonly grants: readonly ProxyGrant<pulumi.Input<string>>[];
    /** Seconds a client connection may stay idle before the proxy closes it. @default `SETTINGS.idleClientTimeoutSeconds` (300) */
    readonly idleClientTimeoutSeconds?: number;
    /** Share of the database's max_connections the proxy may use. @default `SETTINGS.maxConnectionsPercent` (90) */
    readonly maxConnectionsPercent?: number;
    /** Seconds a client waits for a pooled connection before failing. @default `SETTINGS.connectionBorrowTimeoutSeconds` (120) */
    readonly connectionBorrowTimeoutSeconds?: number;
    /** Create a read-only proxy endpoint routing to the readers. @default false */
    readonly readOnlyEndpoint?: boolean;
    /**
     * The proxy's name, fixed so that a replacement keeps its hostname (`<name>.proxy-<id>.<region>.rds…`; `<id>`
     * is the account's in the region) and consumers keep theirs; the replacement then deletes the old proxy first,
     * since AWS keeps a name unique per account and region (CreateDBProxy, DBProxyName). @default an auto-name
     */
    readonly proxyName?: string;
}

/**
 * RDS Proxy in front of an Aurora cluster or an RDS instance: an IAM role that may only connect as the users of the database
 * (iam) or read the secrets of the stack's scope and decrypt them through Secrets Manager (password), its own security
 * group, the proxy itself with TLS always required, the default target group's connection-pool settings, the
 * database as target, and optionally a read-only endpoint with its alias (a cluster's readers).
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
                applicationAuth: { rule: accessKindRule },
                scope: { rule: accessScopeRule },
            },
            (surface, problems) => checkGrants(surface, problems, args),
        );
        this.port = enginePort(args.engine);
        const databasePort = args.databasePort ?? this.port;
        const mode = accessMode(args.applicationAuth);

        // Trusts the service principal as the AWS console and the CDK's DatabaseProxy do. A confused-deputy
        // condition (aws:SourceAccount/SourceArn) is not added: RDS Proxy is not documented to send those keys
        // when it assumes the role, and a condition it does not meet would cut the proxy off its secret.
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: mode.proxy.roleDescription(name),
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
            `${name}-${mode.proxy.policySuffix}`,
            { role: this.role.id, policy: rolePolicy(args) },
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
                fromPort: databasePort,
                toPort: databasePort,
                description: "RDS Proxy to the database, its port",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-database-from-proxy`,
            {
                securityGroupId: args.databaseSecurityGroupId,
                referencedSecurityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: databasePort,
                toPort: databasePort,
                description: "Database from RDS Proxy, its port",
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
                ...authSettings(mode.proxy.authSettings(args.engine, args.grants)),
                ...(args.proxyName !== undefined ? { name: args.proxyName } : {}),
            },
            { parent: this, deleteBeforeReplace: args.proxyName !== undefined },
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
                ...(args.target.kind === "cluster"
                    ? { dbClusterIdentifier: args.target.identifier }
                    : { dbInstanceIdentifier: args.target.identifier }),
            },
            // The proxy connects to the database with what its role's policy allows.
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
}

/** The mode's auth settings as `aws.rds.Proxy` arguments (mutable arrays, as the SDK's types want them). */
function authSettings(settings: ProxyAuthSettings<pulumi.Input<string>>) {
    return {
        defaultAuthScheme: settings.defaultAuthScheme,
        ...(settings.auths ? { auths: settings.auths.map((a) => ({ ...a })) } : {}),
    };
}

/**
 * The proxy role's inline policy: the mode's document, which names no consumer (its size does not grow with them).
 * It still waits for the consumers' secrets, so that on an upgrade the secrets carry the scope tag before the policy
 * that relies on it replaces the one that listed them.
 */
function rolePolicy(args: RdsProxyArgs): pulumi.Output<string> {
    const secrets = args.grants.flatMap((g) => (g.secret ? [g.secret.arn, g.secret.keyArn] : []));
    return pulumi.all([args.databaseResourceId, pulumi.all(secrets)]).apply(([clusterResourceId]) =>
        JSON.stringify(
            accessMode(args.applicationAuth).proxy.rolePolicy({
                partition: partitionOf(args.region),
                region: args.region,
                accountId: args.accountId,
                clusterResourceId,
                scope: args.scope,
            }),
        ),
    );
}

/** At least one grant; distinct, well-formed users; a secret on each grant exactly when the mode shares secrets. */
function checkGrants(surface: Surface, problems: Problem[], args: RdsProxyArgs): void {
    const grants = args.grants ?? [];
    if (grants.length === 0) {
        problems.push(
            problem(
                surface,
                "grants",
                grants,
                "it must list at least one consumer",
                "Pass one per consumer.",
            ),
        );
    }
    const carry = accessKindRule.schema.safeParse(args.applicationAuth).success
        ? accessMode(args.applicationAuth).proxy.grantsCarrySecrets
        : undefined;
    const seen = new Set<string>();
    grants.forEach((g, i) => {
        if (!databaseUserShapeRule.schema.safeParse(g.databaseUser).success || seen.has(g.databaseUser)) {
            problems.push(
                problem(
                    surface,
                    `grants[${i}].databaseUser`,
                    g.databaseUser,
                    "it must be a distinct database user name (lowercase letters, digits and underscores, starting with a letter)",
                    "Pass each consumer's own user.",
                ),
            );
        }
        seen.add(g.databaseUser);
        if (carry !== undefined && carry !== (g.secret !== undefined)) {
            problems.push(
                problem(
                    surface,
                    `grants[${i}].secret`,
                    g.secret === undefined ? undefined : "(given)",
                    carry
                        ? `applicationAuth is "${args.applicationAuth}", whose proxy serves each consumer's secret`
                        : `applicationAuth is "${args.applicationAuth}", which shares no secret`,
                    carry ? "Pass the consumer's secret and its key." : "Remove it.",
                ),
            );
        }
    });
}
