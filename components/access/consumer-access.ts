import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    accessKindRule,
    accessScopeRule,
    accountIdRule,
    admittedPrincipals,
    databaseUserShapeRule,
    distinctList,
    matching,
    principalRule,
    regionPattern,
    roleArnRule,
    rule,
    type AccessKind,
    type AccessReference,
} from "../../vocabulary";
import { validateArgs } from "../validation";
import { ACCESS_BUILDERS, type SharedSecret } from "./builder";

export interface ConsumerAccessArgs {
    /** The access mode (vocabulary/access): what is created, and what the consumer's reference is. */
    readonly applicationAuth: AccessKind;
    /** Region of the database account's resources (Secrets Manager and RDS Proxy). */
    readonly region: string;
    /** The database account: its root administers a secret's key. */
    readonly accountId: string;
    /**
     * The consumer's principals allowed to assume the role or read the secret; never `*`. The policies name them as
     * vocabulary/access/principals.ts says: as listed with the account root among them, else under a condition.
     */
    readonly principals: readonly string[];
    /**
     * The role of the consumer's canary (components/consumer/canary/role-name.ts `canaryRoleArn`), admitted besides
     * narrowed `principals` (vocabulary/access/principals.ts); with the account root among them it is admitted
     * already and not named. @default not admitted (`consumers[].canary: false`)
     */
    readonly canaryRoleArn?: string;
    /** The consumer's database user: the only user a role may connect as, or the secret's `username`. */
    readonly databaseUser: string;
    /**
     * The stack's scope (vocabulary/access/scope.ts): the value of the `ACCESS_SCOPE_TAG_KEY` tag of a shared
     * secret and its key, by which the proxy's and the bootstrap's roles may read the stack's secrets.
     */
    readonly scope: string;
    /**
     * The RDS Proxy the consumer's users connect through: its ARN (`arn:aws:rds:<region>:<account>:db-proxy:prx-…`,
     * the `rds-db:connect` resource) and its role's ARN (which decrypts a shared secret through Secrets Manager).
     * Each mode uses what it needs; deferred outputs are fine (the proxy may list this component's secret).
     */
    readonly proxy: { readonly arn: pulumi.Input<string>; readonly roleArn: pulumi.Input<string> };
}

/**
 * One consumer account's way into the database, in the database account: what its access mode creates
 * (components/access/builder.ts), and the reference the contract carries for it. Credentials cross accounts only
 * by assuming a role of the database's account or by reading a secret it shares (see each mode's module).
 */
export class ConsumerAccess extends pulumi.ComponentResource {
    /** The consumer's reference, as the contract carries it (where to get the credential, never the credential). */
    public readonly reference: pulumi.Output<AccessReference>;
    /** The role the consumer's principals assume to sign IAM auth tokens, when the mode has one. */
    public readonly connectRole?: aws.iam.Role;
    /** The customer-managed key of the consumer's secret, when the mode shares one. */
    public readonly key?: aws.kms.Key;
    /**
     * The consumer's secret, when the mode shares one: its ARN, its key's ARN, and the ID of the version holding the
     * current password. The version changes whenever the password does (`pulumi up --replace` of the
     * RandomPassword), so whatever takes it (the database-user bootstrap) runs again and sets the new password in
     * the database, and never before the version exists.
     */
    public readonly secret?: SharedSecret;

    constructor(name: string, args: ConsumerAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:access:ConsumerAccess", name, {}, opts);
        validateArgs("ConsumerAccess", name, args, {
            applicationAuth: { rule: accessKindRule },
            region: { rule: rule(matching(regionPattern), "an AWS region code", '"eu-west-1"') },
            accountId: { rule: accountIdRule },
            principals: {
                rule: rule(
                    distinctList(principalRule.schema, 1),
                    `a non-empty list of distinct principals, each ${principalRule.must}`,
                    '["arn:aws:iam::222222222222:role/app"]',
                ),
            },
            canaryRoleArn: { rule: roleArnRule, optional: true },
            databaseUser: { rule: databaseUserShapeRule },
            scope: { rule: accessScopeRule },
        });

        // The builders name exactly who is admitted: the principals, and the canary's role when they are narrowed.
        const built = ACCESS_BUILDERS[args.applicationAuth](this, name, {
            ...args,
            principals: admittedPrincipals(args.principals, args.canaryRoleArn),
        });
        this.reference = built.reference;
        this.connectRole = built.connectRole;
        this.key = built.key;
        this.secret = built.secret;
        this.registerOutputs({ reference: this.reference });
    }
}
