import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    accountIdRule,
    distinctList,
    matching,
    oneOf,
    partitionOf,
    principalRule,
    problem,
    regionPattern,
    rule,
    secretsManagerViaService,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";

/** How a consumer's applications authenticate: RDS Proxy end-to-end IAM, or a shared secret. */
export type AccessMode = "iam" | "password";

/**
 * Characters RandomPassword may use besides letters and digits: printable ASCII without space, `'`, `"`, `\`,
 * `/` and `@`, the characters RDS refuses in passwords or that are special in connection strings (the rule is
 * `databasePasswordRule` of the bootstrap, which checks every password again before it reaches SQL).
 */
export const PASSWORD_SPECIALS = "!#$%&()*+,-.:;<=>?[]^_`{|}~";

export interface ConsumerAccessArgs {
    /** `iam`: a connect role the consumer assumes; `password`: a secret shared with the consumer. */
    readonly applicationAuth: AccessMode;
    /** Region of the database account's resources (Secrets Manager and RDS Proxy). */
    readonly region: string;
    /** The database account: its root administers the secret's key (password mode). */
    readonly accountId: string;
    /** The consumer's principals allowed to assume the role or read the secret; never `*`. */
    readonly principals: readonly string[];
    /** The consumer's database user: the only user the role may connect as, or the secret's `username`. */
    readonly databaseUser: string;
    /** ARN of the RDS Proxy (`arn:aws:rds:<region>:<account>:db-proxy:prx-…`); required in iam mode. */
    readonly proxyArn?: pulumi.Input<string>;
    /** ARN of the RDS Proxy's role, which decrypts the secret through Secrets Manager; required in password mode. */
    readonly proxyRoleArn?: pulumi.Input<string>;
}

/** The IAM resource an RDS Proxy user is, for `rds-db:connect`: `…:dbuser:prx-<id>/<user>`. */
export function proxyDbUserArn(proxyArn: string, user: string): string {
    // arn:<partition>:rds:<region>:<account>:db-proxy:prx-<id>: the resource id is the last segment.
    const parts = proxyArn.split(":");
    const [partition, region, account] = [parts[1], parts[3], parts[4]];
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${parts[parts.length - 1]}/${user}`;
}

const USER = rule(
    matching(/^[a-z][a-z0-9_]{0,62}$/),
    "a database user name of 1-63 lowercase letters, digits and underscores, starting with a letter",
    '"orders_app"',
);

/**
 * One consumer account's way into the database, in the database account. IAM database authentication needs a
 * principal of the database's account ("The user must be in the same account as the account for the DB
 * instance. To perform cross-account access, create an IAM role", AWS, IAM database access policy), so in iam
 * mode it is a role trusted by exactly the consumer's principals, allowed `rds-db:connect` as the consumer's
 * user on the proxy and nothing else. Secrets Manager shares a secret across accounts only under a
 * customer-managed key with a resource policy and a key policy (AWS, cross-account secret access), so in
 * password mode it is a key, a secret with a generated password, and both policies, naming exactly the
 * consumer's principals. The password is not rotated automatically: see the README ("Security model").
 */
export class ConsumerAccess extends pulumi.ComponentResource {
    /** The role the consumer's principals assume to sign IAM auth tokens (iam). */
    public readonly connectRole?: aws.iam.Role;
    /** Its ARN (iam). */
    public readonly connectRoleArn?: pulumi.Output<string>;
    /** The customer-managed key of the secret (password). */
    public readonly key?: aws.kms.Key;
    /** The secret holding `{ "username", "password" }` (password). */
    public readonly secret?: aws.secretsmanager.Secret;
    /** The secret's ARN (password). */
    public readonly secretArn?: pulumi.Output<string>;
    /** The key's ARN (password). */
    public readonly secretKeyArn?: pulumi.Output<string>;
    /**
     * The ID of the secret's version holding the current password (password). It changes whenever the password
     * does (`pulumi up --replace` of the RandomPassword), so whatever takes it (the database-user bootstrap) runs
     * again and sets the new password in the database, and never before the version exists.
     */
    public readonly secretVersionId?: pulumi.Output<string>;

    constructor(name: string, args: ConsumerAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:access:ConsumerAccess", name, {}, opts);
        validateArgs(
            "ConsumerAccess",
            name,
            args,
            {
                applicationAuth: {
                    rule: rule(oneOf(["iam", "password"]), 'one of "iam", "password"', '"iam"'),
                },
                region: { rule: rule(matching(regionPattern), "an AWS region code", '"eu-west-1"') },
                accountId: { rule: accountIdRule },
                principals: {
                    rule: rule(
                        distinctList(principalRule.schema, 1),
                        `a non-empty list of distinct principals, each ${principalRule.must}`,
                        '["arn:aws:iam::222222222222:role/app"]',
                    ),
                },
                databaseUser: { rule: USER },
            },
            (surface, problems) => requireModeArgs(surface, problems, args),
        );

        const region = args.region;
        const principals = [...args.principals];
        const viaSecretsManager = { "kms:ViaService": secretsManagerViaService(region) };

        if (args.applicationAuth === "iam") {
            this.connectRole = new aws.iam.Role(
                `${name}-connect`,
                {
                    description: `Lets the consumer's principals connect as database user ${args.databaseUser} through RDS Proxy`,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "ConsumerPrincipalsAssume",
                                Effect: "Allow",
                                Principal: { AWS: principals },
                                Action: "sts:AssumeRole",
                            },
                        ],
                    }),
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${name}-connect-policy`,
                {
                    role: this.connectRole.id,
                    policy: pulumi.output(args.proxyArn as pulumi.Input<string>).apply((proxyArn) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Sid: "ConnectAsConsumerUser",
                                    Effect: "Allow",
                                    Action: "rds-db:connect",
                                    Resource: proxyDbUserArn(proxyArn, args.databaseUser),
                                },
                            ],
                        }),
                    ),
                },
                { parent: this },
            );
            this.connectRoleArn = this.connectRole.arn;
        } else {
            const root = `arn:${partitionOf(region)}:iam::${args.accountId}:root`;
            this.key = new aws.kms.Key(
                `${name}-key`,
                {
                    description: `Encrypts the database secret of user ${args.databaseUser}, shared with its consumer`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                // The account's own administration of the key (and its IAM policies) stays possible;
                                // without it the key could become unmanageable.
                                Sid: "DatabaseAccountAdministers",
                                Effect: "Allow",
                                Principal: { AWS: root },
                                Action: "kms:*",
                                Resource: "*",
                            },
                            {
                                Sid: "ConsumerDecryptsThroughSecretsManager",
                                Effect: "Allow",
                                Principal: { AWS: principals },
                                Action: ["kms:Decrypt", "kms:DescribeKey"],
                                Resource: "*",
                                Condition: { StringEquals: viaSecretsManager },
                            },
                            {
                                Sid: "ProxyDecryptsThroughSecretsManager",
                                Effect: "Allow",
                                Principal: { AWS: args.proxyRoleArn },
                                Action: "kms:Decrypt",
                                Resource: "*",
                                Condition: { StringEquals: viaSecretsManager },
                            },
                        ],
                    }),
                },
                { parent: this },
            );
            const password = new random.RandomPassword(
                `${name}-password`,
                { length: 32, special: true, overrideSpecial: PASSWORD_SPECIALS, minSpecial: 2 },
                { parent: this },
            );
            this.secret = new aws.secretsmanager.Secret(
                `${name}-secret`,
                {
                    description: `Password of database user ${args.databaseUser}, read by RDS Proxy and the consumer's principals`,
                    kmsKeyId: this.key.arn,
                },
                { parent: this },
            );
            const version = new aws.secretsmanager.SecretVersion(
                `${name}-secret-value`,
                {
                    secretId: this.secret.id,
                    secretString: pulumi.secret(
                        pulumi.jsonStringify({ username: args.databaseUser, password: password.result }),
                    ),
                },
                { parent: this, additionalSecretOutputs: ["secretString"] },
            );
            new aws.secretsmanager.SecretPolicy(
                `${name}-secret-policy`,
                {
                    secretArn: this.secret.arn,
                    blockPublicPolicy: true,
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "ConsumerReadsSecret",
                                Effect: "Allow",
                                Principal: { AWS: principals },
                                Action: "secretsmanager:GetSecretValue",
                                Resource: "*",
                            },
                        ],
                    }),
                },
                { parent: this },
            );
            this.secretArn = this.secret.arn;
            this.secretKeyArn = this.key.arn;
            this.secretVersionId = version.versionId;
        }

        this.registerOutputs({
            connectRoleArn: this.connectRoleArn,
            secretArn: this.secretArn,
            secretKeyArn: this.secretKeyArn,
            secretVersionId: this.secretVersionId,
        });
    }
}

/** The mode's own argument must be given, and the other mode's must not. */
function requireModeArgs(surface: Surface, problems: Problem[], args: ConsumerAccessArgs): void {
    const needs = args.applicationAuth === "iam" ? "proxyArn" : "proxyRoleArn";
    const other = args.applicationAuth === "iam" ? "proxyRoleArn" : "proxyArn";
    if (args[needs] === undefined) {
        problems.push(
            problem(
                surface,
                needs,
                undefined,
                `applicationAuth is "${args.applicationAuth}", which needs it`,
                `Pass the ${needs === "proxyArn" ? "RDS Proxy's ARN" : "RDS Proxy role's ARN"}.`,
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
                `Remove it, or set applicationAuth to "${args.applicationAuth === "iam" ? "password" : "iam"}".`,
            ),
        );
    }
}
