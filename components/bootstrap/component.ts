/**
 * DatabaseUsers: creates and converges the consumers' database users at `pulumi up`, from a Lambda inside the
 * database VPC, run by `aws.lambda.Invocation` with `lifecycleScope: "CRUD"`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessKindRule, accessMode, readsSecrets, type AccessKind } from "../../vocabulary/access";
import { CONTRACT_FIELDS } from "../../vocabulary/contract";
import type { Engine } from "../../vocabulary/engines";
import { argumentSurface, checkValue, problem, type Problem } from "../../vocabulary/rules";
import { DEFAULT_LAMBDA_LOG_RETENTION_DAYS, LAMBDA_TRUST_POLICY } from "../lambda";
import { throwIfProblems } from "../validation";
import { bundleBootstrapHandler } from "./bundle";
import { databaseNameRule, databaseUserRule, defaultMarkerRole, markerRoleRule } from "./names";
import { bootstrapPolicy } from "./policy";
import { ENV, type BootstrapInput } from "./types";

/** Days the bootstrap's log group keeps logs when `logRetentionDays` is not given. */
export const DEFAULT_BOOTSTRAP_LOG_RETENTION_DAYS = DEFAULT_LAMBDA_LOG_RETENTION_DAYS;

/** One consumer's database user, as the bootstrap gets it: never a password, only where to read it. */
export interface DatabaseUserArgs {
    /** The database user's name (validated against the engine's rules). */
    readonly name: string;
    /** An existing database role the user becomes a member of. @default none: the user may connect only */
    readonly databaseRole?: string;
    /**
     * Take over the user if it exists without this bootstrap's mark (made by hand, by an earlier release, or by
     * another bootstrap); without it such a user is refused. Adoption takes away CREATEROLE, CREATEDB and every
     * role membership but the databaseRole (docs/database-users.md). @default false
     */
    readonly adopt?: boolean;
    /**
     * ARN of the consumer's secret (`{"username","password"}`) whose password the bootstrap sets: required exactly
     * when the access mode has the bootstrap read secrets (vocabulary/access).
     */
    readonly secretArn?: pulumi.Input<string>;
    /**
     * Password mode: the secret version holding the password. Pass the stack's `SecretVersion` id so that a new
     * password changes the Invocation's input and the function runs again. @default the current version, read on
     * each run; a changed password then reaches the database only when the input or `triggers` change
     */
    readonly secretVersionId?: pulumi.Input<string>;
}

export interface DatabaseUsersArgs {
    /** The database's engine, RDS's name for it: its protocol and, for MariaDB, its dialect decide the SQL. */
    readonly engine: Engine;
    /** The consumers' access mode (vocabulary/access): how the users log in. */
    readonly applicationAuth: AccessKind;
    /** The application database (PostgreSQL: the users get CONNECT on it, and the function connects to it). */
    readonly database: string;
    /** The consumers' users. */
    readonly users: readonly DatabaseUserArgs[];
    /**
     * Users to lock besides those the bootstrap finds itself: the marked users no longer configured, and those
     * removed since the previous run (the CRUD previous input). Needed only for users created before the marker
     * existed. @default none
     */
    readonly lockedUsers?: readonly string[];
    /**
     * The NOLOGIN role without privileges that marks the users this bootstrap manages; every run locks the marked
     * users no longer configured, and refuses existing users it has not marked (unless adopted). Pass the old value
     * after renaming the component or the stack, so that the users marked before are still this bootstrap's. @default `rcx_bootstrap_` and 16 hex digits of SHA-256 over the project,
     * stack and component names (`defaultMarkerRole`): distinct per stack and component on a shared cluster
     */
    readonly markerRole?: string;
    /** Region of the stack (the `kms:ViaService` condition names Secrets Manager's regional endpoint). */
    readonly region: string;
    /** The database VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets the function runs in: those of the Secrets Manager endpoint, with a route to the cluster. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The cluster's writer endpoint: the name dialled and verified against the RDS CA bundle. */
    readonly clusterEndpoint: pulumi.Input<string>;
    /** The cluster's port. */
    readonly clusterPort: pulumi.Input<number>;
    /** The cluster's security group: the function's only database destination; it gets an ingress rule from it. */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /** ARN of the cluster's RDS-managed master secret. */
    readonly masterSecretArn: pulumi.Input<string>;
    /**
     * The security group that may reach the Secrets Manager interface endpoint (`AwsApiEndpoints` with
     * "secretsmanager" in `services`: `secretsManagerClientSecurityGroup`). Construct this component with
     * `dependsOn` on that endpoint, so the first run finds it.
     */
    readonly secretsManagerClientSecurityGroupId: pulumi.Input<string>;
    /**
     * Customer-managed KMS keys of the master and users' secrets; the role may decrypt with them through Secrets
     * Manager only. @default none: secrets under the AWS managed key aws/secretsmanager need no KMS permission
     */
    readonly kmsKeyArns?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The stack's scope (vocabulary/access/scope.ts): when set, the role reads the users' secrets by their scope tag
     * and decrypts them through Secrets Manager, instead of listing each secret (the policy then does not grow with
     * the users); `kmsKeyArns` then need name only the master secret's key. @default none: each secret listed
     */
    readonly userSecretScope?: string;
    /**
     * Values that run the function again when they change, besides its input (the users list and their settings).
     * A changed trigger replaces the Invocation (upstream `ForceNew`): that run is a `create` without the previous
     * input, and still locks the marked users no longer configured. @default none
     */
    readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Days the function's logs are kept. @default 30 */
    readonly logRetentionDays?: number;
    /** Tags for every taggable child. @default none */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const surface = argumentSurface("DatabaseUsers");

function validate(name: string, args: DatabaseUsersArgs): void {
    const problems: Problem[] = [];
    const kind = checkValue(surface, problems, "applicationAuth", args.applicationAuth, accessKindRule);
    const withSecrets = kind === undefined ? undefined : readsSecrets(accessMode(kind).databaseLogin);
    // The engine's name rules exist only for a known engine: the names are judged once it is one.
    const engine = checkValue(surface, problems, "engine", args.engine, CONTRACT_FIELDS.engine);
    if (engine !== undefined)
        checkValue(surface, problems, "database", args.database, databaseNameRule(engine));
    if (args.markerRole !== undefined)
        checkValue(surface, problems, "markerRole", args.markerRole, markerRoleRule);
    args.users.forEach((u, i) => {
        if (engine !== undefined)
            checkValue(surface, problems, `users[${i}].name`, u.name, databaseUserRule(engine));
        if (withSecrets === true && u.secretArn === undefined) {
            problems.push(
                problem(
                    surface,
                    `users[${i}].secretArn`,
                    undefined,
                    `${kind} mode reads each user's password from its secret`,
                    "Pass the consumer's secret ARN.",
                ),
            );
        }
        if (withSecrets === false && u.secretArn !== undefined) {
            problems.push(
                problem(
                    surface,
                    `users[${i}].secretArn`,
                    "(an ARN)",
                    `it must not be set in ${kind} mode`,
                    "Leave it out.",
                ),
            );
        }
    });
    throwIfProblems("DatabaseUsers", name, problems);
}

/**
 * The consumers' database users, converged at `pulumi up` by a Lambda in the database VPC.
 *
 * Children: the function (nodejs22.x, the bundled handler), its role and inline policy (read exactly the master
 * and users' secrets, decrypt through Secrets Manager with the given keys, its logs, VPC interfaces), its log
 * group, its security group (egress to the cluster's port on the cluster's security group only; it also joins the
 * Secrets Manager client group), the cluster's ingress rule from it, and the `aws.lambda.Invocation`
 * (`lifecycleScope: "CRUD"`) whose input is the users list: create and update converge the users and lock those
 * marked with the bootstrap's marker role (`MARKER_ROLE` in the function's environment) that config no longer
 * names, and those removed since the previous input; delete changes nothing.
 */
export class DatabaseUsers extends pulumi.ComponentResource {
    /** Name of the bootstrap function. */
    public readonly functionName: pulumi.Output<string>;
    /** The function's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The last run's summary (JSON: users created, updated, locked; never a secret). */
    public readonly result: pulumi.Output<string>;
    /** The marker role of the users this bootstrap manages. */
    public readonly markerRole: string;

    constructor(name: string, args: DatabaseUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:bootstrap:DatabaseUsers", name, {}, opts);
        validate(name, args);
        const parent = { parent: this };
        // In the function's environment, not the Invocation's input: it names the bootstrap, not what it converges.
        // A changed marker updates the function in place and takes effect at the Invocation's next run.
        const markerRole = args.markerRole ?? defaultMarkerRole(pulumi.getProject(), pulumi.getStack(), name);

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                retentionInDays: args.logRetentionDays ?? DEFAULT_BOOTSTRAP_LOG_RETENTION_DAYS,
                tags: args.tags,
            },
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

        const userSecretArns = args.users.flatMap((u) => (u.secretArn ? [u.secretArn] : []));
        const scope = userSecretArns.length > 0 ? args.userSecretScope : undefined;
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                // With a scope the users' secrets are not listed, but still awaited: they carry the tag first.
                policy: pulumi
                    .all([
                        args.masterSecretArn,
                        pulumi.all(userSecretArns),
                        pulumi.output(args.kmsKeyArns ?? []),
                        logGroup.arn,
                    ])
                    .apply(([master, users, keys, logGroupArn]) =>
                        JSON.stringify(
                            bootstrapPolicy(
                                scope === undefined ? [master, ...users] : [master],
                                keys,
                                args.region,
                                logGroupArn,
                                scope,
                            ),
                        ),
                    ),
            },
            parent,
        );

        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `${name}: database user bootstrap, out to the cluster's port only`,
                tags: args.tags,
            },
            parent,
        );
        const toCluster = new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-cluster`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: args.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: args.clusterPort,
                toPort: args.clusterPort,
                description: "Database user bootstrap to the cluster writer",
            },
            parent,
        );
        const fromBootstrap = new aws.vpc.SecurityGroupIngressRule(
            `${name}-cluster-from-bootstrap`,
            {
                securityGroupId: args.clusterSecurityGroupId,
                referencedSecurityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: args.clusterPort,
                toPort: args.clusterPort,
                description: "Cluster from the database user bootstrap",
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
                    "index.js": new pulumi.asset.StringAsset(bundleBootstrapHandler()),
                }),
                role: role.arn,
                timeout: 120,
                memorySize: 256,
                environment: {
                    variables: {
                        [ENV.masterSecretArn]: args.masterSecretArn,
                        [ENV.host]: args.clusterEndpoint,
                        [ENV.port]: pulumi.output(args.clusterPort).apply(String),
                        [ENV.markerRole]: markerRole,
                    },
                },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                vpcConfig: {
                    subnetIds: args.subnetIds,
                    securityGroupIds: [sg.id, args.secretsManagerClientSecurityGroupId],
                },
                description: `Creates and locks the database users of ${name}; never drops one`,
                tags: args.tags,
            },
            // Created after its permissions, so no first run can fail for lack of them.
            { parent: this, dependsOn: [policy] },
        );

        const input = pulumi
            .all(
                args.users.map((u) =>
                    pulumi.all([u.secretArn, u.secretVersionId]).apply(([secretArn, secretVersionId]) => ({
                        name: u.name,
                        ...(u.databaseRole === undefined ? {} : { databaseRole: u.databaseRole }),
                        ...(u.adopt === true ? { adopt: true } : {}),
                        ...(secretArn === undefined ? {} : { secretArn }),
                        ...(secretVersionId === undefined ? {} : { secretVersionId }),
                    })),
                ),
            )
            .apply((users) => {
                const event: BootstrapInput = {
                    engine: args.engine,
                    applicationAuth: args.applicationAuth,
                    database: args.database,
                    users,
                    ...(args.lockedUsers && args.lockedUsers.length > 0
                        ? { lockedUsers: args.lockedUsers }
                        : {}),
                };
                return JSON.stringify(event);
            });

        const invocation = new aws.lambda.Invocation(
            `${name}-run`,
            {
                functionName: fn.name,
                input,
                lifecycleScope: "CRUD",
                triggers: args.triggers,
            },
            // The network path to the cluster must exist before the first run.
            { parent: this, dependsOn: [toCluster, fromBootstrap] },
        );

        this.functionName = fn.name;
        this.securityGroupId = sg.id;
        this.result = invocation.result;
        this.markerRole = markerRole;
        this.registerOutputs({
            functionName: this.functionName,
            securityGroupId: this.securityGroupId,
            result: this.result,
            markerRole: this.markerRole,
        });
    }
}
