/**
 * The resources of access mode `password` (vocabulary/access/password.ts): a customer-managed key, a secret with a
 * generated password under it, and both policies, naming exactly the consumer's principals (and the proxy's role,
 * which serves the secret). The password is not rotated automatically: see docs/database-users.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    ACCESS_MODES,
    ACCESS_SCOPE_TAG_KEY,
    consumerSecretPolicy,
    partitionOf,
    principalClause,
    secretsManagerViaService,
} from "../../vocabulary";
import type { AccessBuilder } from "./builder";

/**
 * Characters RandomPassword may use besides letters and digits: printable ASCII without space, `'`, `"`, `\`,
 * `/` and `@`, the characters RDS refuses in passwords or that are special in connection strings (the rule is
 * `databasePasswordRule` of the bootstrap, which checks every password again before it reaches SQL).
 */
export const PASSWORD_SPECIALS = "!#$%&()*+,-.:;<=>?[]^_`{|}~";

export const buildPasswordAccess: AccessBuilder = (parent, name, args) => {
    const principals = [...args.principals];
    const viaSecretsManager = { "kms:ViaService": secretsManagerViaService(args.region) };
    // The consumer's principals as every policy naming them does (vocabulary/access/principals.ts).
    const consumer = principalClause(principals);
    const root = `arn:${partitionOf(args.region)}:iam::${args.accountId}:root`;
    // The stack's roles read the secrets that carry its scope (vocabulary/access/scope.ts). Tagging an existing
    // secret or key is an update in place: neither is replaced, and their ARNs stay.
    const tags = { [ACCESS_SCOPE_TAG_KEY]: args.scope };
    const key = new aws.kms.Key(
        `${name}-key`,
        {
            description: `Encrypts the database secret of user ${args.databaseUser}, shared with its consumer`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags,
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
                        Principal: consumer.Principal,
                        Action: ["kms:Decrypt", "kms:DescribeKey"],
                        Resource: "*",
                        Condition: { StringEquals: viaSecretsManager, ...consumer.Condition },
                    },
                    {
                        Sid: "ProxyDecryptsThroughSecretsManager",
                        Effect: "Allow",
                        Principal: { AWS: args.proxy.roleArn },
                        Action: "kms:Decrypt",
                        Resource: "*",
                        Condition: { StringEquals: viaSecretsManager },
                    },
                ],
            }),
        },
        { parent },
    );
    const password = new random.RandomPassword(
        `${name}-password`,
        { length: 32, special: true, overrideSpecial: PASSWORD_SPECIALS, minSpecial: 2 },
        { parent },
    );
    const secret = new aws.secretsmanager.Secret(
        `${name}-secret`,
        {
            description: `Password of database user ${args.databaseUser}, read by RDS Proxy and the consumer's principals`,
            kmsKeyId: key.arn,
            tags,
        },
        { parent },
    );
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-secret-value`,
        {
            secretId: secret.id,
            secretString: pulumi.secret(
                pulumi.jsonStringify({ username: args.databaseUser, password: password.result }),
            ),
        },
        { parent, additionalSecretOutputs: ["secretString"] },
    );
    new aws.secretsmanager.SecretPolicy(
        `${name}-secret-policy`,
        {
            secretArn: secret.arn,
            blockPublicPolicy: true,
            policy: consumerSecretPolicy(principals),
        },
        { parent },
    );
    return {
        reference: pulumi.all([secret.arn, key.arn]).apply(([secretArn, secretKeyArn]) => ({
            auth: ACCESS_MODES.password.auth,
            secretArn,
            secretKeyArn,
        })),
        key,
        secret: { resource: secret, arn: secret.arn, keyArn: key.arn, versionId: version.versionId },
    };
};
