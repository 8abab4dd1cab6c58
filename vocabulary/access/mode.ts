/**
 * What an access mode is: how one consumer account's applications authenticate to the shared database, and what
 * that means for every part of the program, said once per mode (./iam.ts, ./password.ts) and nowhere else.
 *
 * The parts that read a mode: the producer's contract (the reference a consumer entry carries), the proxy (its
 * authentication settings and role policy), the database-user bootstrap (whether it reads a user's secret), the
 * consumer's IAM policy for its applications, and the connection examples. Each takes the mode's definition from
 * the registry (./index.ts) and never compares mode names itself, so a new mode is a new module here (and its
 * resources in components/access), not an edit of every part; `tests/unit/access-modes.test.ts` checks that no
 * other source file names a mode.
 *
 * Pure and free of Pulumi: the bootstrap's Lambda bundle and the policy documents' tests use it as it is.
 */
import type { Engine } from "../engines";
import type { Rule } from "../rules";
import type { POLICY_LIMITS } from "./limits";

/** One statement of an IAM policy document. */
export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

/** The shape every mode's reference has: its name, and the ARNs that say where a consumer gets its credential. */
export interface ReferenceShape {
    readonly auth: string;
}

/**
 * What one consumer's access gives the RDS Proxy. `T` is how values are held: plain strings in the pure
 * functions, Pulumi inputs on the producer's side.
 */
export interface ProxyGrant<T> {
    /** The consumer's database user. */
    readonly databaseUser: string;
    /** Says whose credential it is, in the proxy's auth list. */
    readonly description: string;
    /** The consumer's secret and the customer-managed key that encrypts it, when the mode shares one. */
    readonly secret?: { readonly arn: T; readonly keyArn: T };
}

/** The authentication arguments of `aws.rds.Proxy` that a mode decides. */
export interface ProxyAuthSettings<T> {
    readonly defaultAuthScheme: "IAM_AUTH" | "NONE";
    readonly auths?: readonly {
        readonly authScheme: "SECRETS";
        readonly secretArn: T;
        readonly iamAuth: "DISABLED";
        readonly description: string;
        readonly clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256" | "MYSQL_NATIVE_PASSWORD";
    }[];
}

/** What the proxy's role policy is built from, every value resolved. */
export interface ProxyPolicyContext {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** The database's resource ID: `cluster-…` of an Aurora cluster, `db-…` of an RDS instance. */
    readonly clusterResourceId: string;
    /** The stack's scope: the tag value of its consumers' secrets (./scope.ts). */
    readonly scope: string;
}

/** A problem between the fields of one reference: the field it is reported at, the reason and the fix. */
export interface ReferenceProblem {
    readonly field: string;
    readonly reason: string;
    readonly fix: string;
}

/** One endpoint, as the connection examples need it. */
export interface ExampleTarget {
    readonly engine: Engine;
    /** The name clients dial. */
    readonly host: string;
    /** The port clients dial. */
    readonly port: number;
    readonly database: string;
    readonly user: string;
    /** Modes that sign tokens: the proxy endpoint's real name, its port and region, which RDS checks them against. */
    readonly token: { readonly host: string; readonly port: number; readonly region: string };
}

/**
 * Where an application runs decides where its own credentials come from, and so how an AWS CLI profile that
 * assumes a role gets them (`credential_source` or `source_profile`; AWS SDKs and Tools Reference Guide, "Assume
 * role credential provider").
 */
export const PLATFORMS = ["ec2", "ecs", "eksPodIdentity", "eksIrsa", "lambda"] as const;

/** One command line per platform. */
export type ProfileCommands = Readonly<Record<(typeof PLATFORMS)[number], string>>;

/** The Node.js pieces of an example pool: imports, set-up lines and the pool's password option. */
export interface NodeCredential {
    readonly imports: readonly string[];
    readonly setup: readonly string[];
    readonly passwordOption: string;
}

/** How a database user logs in: with IAM auth tokens, or with the password of the consumer's shared secret. */
export type DatabaseLogin = "iam-token" | "secret-password";

/** Whether the bootstrap reads each user's secret and sets its password (the login is the secret's password). */
export const readsSecrets = (login: DatabaseLogin): boolean => login === "secret-password";

/** What a mode means for each part of the program. `R` is the mode's reference type. */
export interface AccessMode<R extends ReferenceShape> {
    /** The mode's name: the value of `applicationAuth` in config and of `auth` in the contract. */
    readonly auth: R["auth"];
    /** What the mode is, in one sentence (config reference, messages). */
    readonly summary: string;
    /**
     * The most consumers one stack of this mode serves, and why, in words completing "at most <n>: …": config
     * refuses more (`consumers`). The mode's policies do not grow with the consumers (./scope.ts).
     */
    readonly maxConsumers: { readonly count: number; readonly reason: string };
    /**
     * Producer: the policy documents that list one consumer's principals, as the producer writes them, each with
     * the kind of its size limit (./limits.ts), so that config refuses principals that would not fit. The one
     * that fills first is enough.
     */
    principalPolicies(principals: readonly string[]): readonly {
        readonly limit: keyof typeof POLICY_LIMITS;
        readonly what: string;
        readonly document: string;
    }[];

    /** Contract: each reference field besides `auth`, with its rule. */
    readonly referenceRules: { readonly [K in Exclude<keyof R, "auth">]-?: Rule<string> };
    /** Contract: rules between a well-formed reference's fields. */
    referenceProblems(reference: R): ReferenceProblem[];

    /** Producer: the proxy's role, its inline policy and its authentication settings. */
    readonly proxy: {
        /** The role's description. */
        roleDescription(proxyName: string): string;
        // The policy's size must not depend on the number of consumers: IAM caps a role's inline policies at
        // 10,240 characters together (./limits.ts), which lists of per-consumer ARNs pass at some tens of them.
        /** The inline policy's name, after the proxy's name and a hyphen. */
        readonly policySuffix: string;
        /** Whether each grant must carry the consumer's secret (and only then may). */
        readonly grantsCarrySecrets: boolean;
        authSettings<T>(engine: Engine, grants: readonly ProxyGrant<T>[]): ProxyAuthSettings<T>;
        rolePolicy(context: ProxyPolicyContext): PolicyDocument;
    };

    /**
     * Producer: how the database user logs in, which the database-user bootstrap sets up: with IAM auth tokens
     * (PostgreSQL's `rds_iam`, MySQL's `AWSAuthenticationPlugin`), or with the password of the consumer's secret,
     * which the bootstrap reads and sets.
     */
    readonly databaseLogin: DatabaseLogin;

    /**
     * Consumer: the AWS API an application calls for its credential (`com.amazonaws.<region>.<service>`), and what
     * for, in words. An isolated VPC the app-account stack builds gets an interface endpoint to it.
     */
    readonly applicationApi: { readonly service: ApplicationApiService; readonly purpose: string };
    /** Consumer: the IAM policy an application's role attaches to get its credential. */
    applicationPolicy(reference: R): PolicyDocument;
    /** Consumer: that policy's description. */
    applicationPolicyDescription(producerStack: string): string;
    /** Consumer: how an application gets its credential, in words. */
    credentialsNote(reference: R, databaseUser: string): string;

    /** Consumer: the connection examples' mode-specific pieces. */
    readonly examples: {
        /** Whether clients sign a token for each connection (the examples then name what to sign for). */
        readonly signsTokens: boolean;
        /** The fields of an endpoint's `connection` entry that say where the credential comes from. */
        endpointFields(reference: R, target: ExampleTarget): Record<string, string | number>;
        /** AWS CLI commands that set up a profile for the credential command, per platform, when the mode needs one. */
        profile(reference: R): ProfileCommands | undefined;
        /** A command that prints the credential. */
        credentialCommand(reference: R, target: ExampleTarget): string;
        /**
         * Extra flags of MySQL's and MariaDB's command-line clients (ending with a space, or empty); MariaDB's client
         * accepts MySQL's `--enable-cleartext-plugin` as an obsolete option that changes nothing (`mariadb --help`).
         */
        mysqlCliFlags: string;
        /** The JDBC URL, given the wrapper's base URL and the TLS parameters. */
        jdbc(reference: R, target: ExampleTarget, base: string, tls: string): string;
        /** The Node.js pool's credential. */
        node(reference: R, target: ExampleTarget): NodeCredential;
    };
}

/** The AWS APIs applications call for a credential, as in `com.amazonaws.<region>.<service>`. */
export const APPLICATION_API_SERVICES = ["sts", "secretsmanager"] as const;
export type ApplicationApiService = (typeof APPLICATION_API_SERVICES)[number];

/** The region of an ARN (its fourth field). */
export const regionOfArn = (arn: string): string => arn.split(":")[3];
