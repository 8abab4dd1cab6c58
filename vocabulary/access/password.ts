/**
 * Access mode `password`: one Secrets Manager secret per consumer, under its own customer-managed KMS key, shared
 * with that consumer's principals. Secrets Manager shares a secret across accounts only under a customer-managed
 * key with a resource policy and a key policy (AWS, cross-account secret access); the consumer's own IAM policy
 * must allow the read and the decryption too. RDS Proxy serves the same secrets; the bootstrap sets each user's
 * password from its secret. Rotation is manual (a replaced RandomPassword).
 */
import { secretsManagerViaService } from "../aws-ids";
import { protocolOf, type Engine } from "../engines";
import { kmsKeyArnRule, secretArnRule } from "../identifiers";
import { regionOfArn, type AccessMode } from "./mode";
import { principalClause } from "./principals";
import { scopedSecretStatements } from "./scope";

/** A consumer's reference in password mode: its secret and the key that encrypts it. */
export interface PasswordReference {
    readonly auth: "password";
    /** The Secrets Manager secret holding the user's password, shared with its principals. */
    readonly secretArn: string;
    /** The customer-managed KMS key that encrypts `secretArn`. */
    readonly secretKeyArn: string;
}

/**
 * How the proxy checks a client's password, by the engine's protocol. RDS Proxy takes MYSQL_NATIVE_PASSWORD,
 * MYSQL_CACHING_SHA2_PASSWORD, POSTGRES_SCRAM_SHA_256, POSTGRES_MD5 or SQL_SERVER_AUTHENTICATION (Amazon RDS API
 * Reference, "UserAuthConfig", ClientPasswordAuthType). PostgreSQL engines: SCRAM-SHA-256, never MD5. MySQL engines
 * (Aurora MySQL, RDS for MySQL, and RDS for MariaDB, which the proxy serves as the MYSQL family): native password,
 * although MYSQL_CACHING_SHA2_PASSWORD is RDS for MySQL's default there, because MariaDB Server has no
 * caching_sha2_password ("MariaDB Server supports neither the sha256_password nor the caching_sha2_password
 * authentication plugins", MariaDB KB, "Authentication Plugin - SHA-256"), so MariaDB's own clients and connectors
 * need not speak it, while every MySQL and MariaDB client speaks native password. The password itself crosses the
 * verified TLS session only.
 */
const clientPasswordAuthType = (engine: Engine) =>
    protocolOf(engine) === "postgresql" ? "POSTGRES_SCRAM_SHA_256" : "MYSQL_NATIVE_PASSWORD";

/** The secret's resource policy: exactly the consumer's principals may read it (named as ./principals.ts says). */
export function consumerSecretPolicy(principals: readonly string[]): string {
    const { Principal, Condition } = principalClause(principals);
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ConsumerReadsSecret",
                Effect: "Allow",
                Principal,
                Action: "secretsmanager:GetSecretValue",
                Resource: "*",
                ...(Condition ? { Condition } : {}),
            },
        ],
    });
}

export const passwordMode: AccessMode<PasswordReference> = {
    auth: "password",
    summary:
        "one Secrets Manager secret per consumer, under its own KMS key, shared with that consumer's principals " +
        "(rotation is manual)",
    // "Each proxy can have up to 200 associated Secrets Manager secrets" (Amazon Aurora User Guide, "Quotas and
    // limitations for RDS Proxy"), and the proxy serves one secret per consumer.
    maxConsumers: {
        count: 200,
        reason:
            "RDS Proxy takes at most 200 Secrets Manager secrets per proxy, and each consumer has its own (Amazon " +
            'Aurora User Guide, "Quotas and limitations for RDS Proxy")',
    },
    // The key's policy lists the principals once too, with two ARNs more, but under a limit of 32,768 bytes: the
    // secret's 20,480 characters fill first.
    principalPolicies: (principals) => [
        {
            limit: "secretPolicy",
            what: "its secret's resource policy",
            document: consumerSecretPolicy(principals),
        },
    ],
    referenceRules: { secretArn: secretArnRule, secretKeyArn: kmsKeyArnRule },
    referenceProblems: (r) => {
        // Partition and region: the second and fourth fields of both ARNs.
        const [secret, key] = [r.secretArn.split(":"), r.secretKeyArn.split(":")];
        return secret[1] === key[1] && secret[3] === key[3]
            ? []
            : [
                  {
                      field: "secretKeyArn",
                      reason:
                          `the secret is in ${secret[3]}, and Secrets Manager encrypts a secret only with a key of ` +
                          `its own region`,
                      fix: "Pass the key that encrypts the secret.",
                  },
              ];
    },

    proxy: {
        roleDescription: (proxyName) => `Lets RDS Proxy ${proxyName} read the consumers' database secrets`,
        policySuffix: "secret-access",
        grantsCarrySecrets: true,
        // The consumers' secrets are the proxy's only credentials; each client's password is checked with the
        // engine's own scheme, and IAM is off for them.
        authSettings: (engine, grants) => ({
            defaultAuthScheme: "NONE",
            auths: grants.flatMap((g) =>
                g.secret
                    ? [
                          {
                              authScheme: "SECRETS" as const,
                              secretArn: g.secret.arn,
                              iamAuth: "DISABLED" as const,
                              description: g.description,
                              clientPasswordAuthType: clientPasswordAuthType(engine),
                          },
                      ]
                    : [],
            ),
        }),
        // Read the secrets this stack tagged with its scope, and decrypt them only through Secrets Manager
        // (./scope.ts): two statements whatever the number of consumers. Each key's policy names the proxy's role as
        // well (components/access/password.ts).
        rolePolicy: (c) => ({
            Version: "2012-10-17",
            Statement: scopedSecretStatements(c, {
                read: "ReadConsumerSecretsOfThisStack",
                decrypt: "DecryptConsumerSecretsThroughSecretsManager",
            }),
        }),
    },

    databaseLogin: "secret-password",

    // The key is used by Secrets Manager on the application's behalf, in the secret's region; kms:ViaService keeps
    // the grant from being usable for anything else (AWS KMS: "kms:ViaService" condition key).
    applicationPolicy: (r) => ({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadDatabaseSecret",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: r.secretArn,
            },
            {
                Sid: "DecryptDatabaseSecret",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: r.secretKeyArn,
                Condition: {
                    StringEquals: { "kms:ViaService": secretsManagerViaService(regionOfArn(r.secretArn)) },
                },
            },
        ],
    }),
    applicationApi: { service: "secretsmanager", purpose: "to read the database password" },
    applicationPolicyDescription: (producerStack) =>
        `Lets an application read the database password shared by ${producerStack}`,
    credentialsNote: (r, user) =>
        `Password: read the password of user ${user} from ${r.secretArn} (attach the policy ` +
        `of output applicationPolicyArn to the application's role; it may also decrypt with ${r.secretKeyArn}). ` +
        `Read it for each new connection, or again after an authentication failure, so that a new password is picked up.`,

    examples: {
        signsTokens: false,
        endpointFields: (r) => ({ secretArn: r.secretArn, secretKeyArn: r.secretKeyArn }),
        profile: () => undefined,
        credentialCommand: (r) =>
            `aws secretsmanager get-secret-value --secret-id ${r.secretArn} --region ${regionOfArn(r.secretArn)} ` +
            `--query SecretString --output text | jq -r .password`,
        mysqlCliFlags: "",
        jdbc: (r, _t, base, tls) =>
            `${base}?wrapperPlugins=awsSecretsManager&secretsManagerSecretId=${r.secretArn}` +
            `&secretsManagerRegion=${regionOfArn(r.secretArn)}&${tls}&tcpKeepAlive=true`,
        node: (r, t) => ({
            imports: [
                `import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";`,
            ],
            setup: [
                `const secrets = new SecretsManagerClient({ region: "${regionOfArn(r.secretArn)}" });`,
                `const password = async () => JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: "${r.secretArn}" }))).SecretString ?? "{}").password;`,
            ],
            // mysql2 takes a fixed password: read it at start, and recreate the pool after a rotation.
            passwordOption: protocolOf(t.engine) === "mysql" ? "password: await password()," : "password,",
        }),
    },
};
