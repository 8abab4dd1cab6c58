/**
 * The canary's credential, got the way the consumer's applications get theirs (the mode's `databaseLogin`,
 * vocabulary/access): an IAM auth token signed with the connect role's credentials, or the password of the
 * consumer's shared secret. Each endpoint's source is plain data in the function's environment (./targets.ts).
 *
 * - Token: `sts:AssumeRole` on the connect role in the database account (the one call that needs the network: the
 *   STS interface endpoint in an isolated VPC), then a local SigV4 presign; "Authentication tokens are generated
 *   using AWS Signature Version 4. Each token has a lifetime of 15 minutes"
 *   (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html). The token names the
 *   proxy endpoint's real name and the proxy's port, never the alias or listener port dialled ("You cannot use a
 *   custom Route 53 DNS record instead of the DB instance endpoint to generate the authentication token", same page).
 * - Secret: `secretsmanager:GetSecretValue`; Secrets Manager decrypts with the customer-managed key itself, so the
 *   function calls no KMS endpoint (the application policy allows kms:Decrypt only via Secrets Manager).
 *
 * Bundled into the canary Lambda: nothing here may import @pulumi/pulumi.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { Signer } from "@aws-sdk/rds-signer";
import type { Credential } from "./connect";

/** Where one endpoint's password comes from; the kinds are the access modes' `databaseLogin` values. */
export type CredentialSource =
    | {
          readonly login: "iam-token";
          /** The connect role in the database account. */
          readonly roleArn: string;
          /** The proxy endpoint's real name and port, and the region, that the token is signed for. */
          readonly tokenHost: string;
          readonly tokenPort: number;
          readonly region: string;
      }
    | {
          readonly login: "secret-password";
          /** The consumer's secret, `{"username","password"}`. */
          readonly secretArn: string;
      };

/**
 * How long an STS or Secrets Manager call may wait: to connect, and for the answer. Without a bound, a VPC without
 * the API's endpoint (where the name resolves to public addresses it cannot reach) holds the call until the
 * function's own timeout, and the check reports nothing.
 */
export const API_TIMEOUTS = {
    connectionTimeout: 3000,
    requestTimeout: 5000,
    throwOnRequestTimeout: true,
} as const;

/** The role session name the canary's AssumeRole calls carry (it shows in the database account's CloudTrail). */
export const CANARY_SESSION_NAME = "rds-cross-account-canary";

/** An error naming the AWS call and resource, never a credential; says when no endpoint answered. */
function callError(call: string, resource: string, err: unknown, endpoint: string): Error {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const unreachable =
        e.$metadata?.httpStatusCode === undefined
            ? ` No answer: in an isolated VPC the function needs the ${endpoint} interface endpoint with private DNS.`
            : "";
    return new Error(
        `${call} of ${resource} failed: ${e.name}: ${String(e.message).replace(/\.*$/, "")}.${unreachable}`,
    );
}

/**
 * Makes credentials for one invocation: the connect role is assumed once and shared by the endpoints that need it.
 * `env` gives the region and the standard `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL_SECRETS_MANAGER` /
 * `AWS_ENDPOINT_URL` overrides.
 */
export function credentials(
    env: NodeJS.ProcessEnv = process.env,
): (source: CredentialSource, user: string) => Credential {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const roles = new Map<string, ReturnType<typeof assume>>();
    const assume = async (roleArn: string) => {
        const sts = new STSClient({
            region,
            endpoint: env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL,
            maxAttempts: 2,
            requestHandler: API_TIMEOUTS,
        });
        try {
            const answer = await sts.send(
                new AssumeRoleCommand({
                    RoleArn: roleArn,
                    RoleSessionName: CANARY_SESSION_NAME,
                    DurationSeconds: 900,
                }),
            );
            const c = answer.Credentials;
            if (!c?.AccessKeyId || !c.SecretAccessKey)
                throw new Error(`AssumeRole of ${roleArn} returned no credentials.`);
            return {
                accessKeyId: c.AccessKeyId,
                secretAccessKey: c.SecretAccessKey,
                sessionToken: c.SessionToken,
            };
        } catch (err) {
            throw callError("STS AssumeRole", roleArn, err, "STS");
        } finally {
            sts.destroy();
        }
    };
    return (source, user) => {
        if (source.login === "iam-token") {
            return {
                cleartext: true,
                get: async () => {
                    let role = roles.get(source.roleArn);
                    if (!role) {
                        role = assume(source.roleArn);
                        roles.set(source.roleArn, role);
                    }
                    const signer = new Signer({
                        hostname: source.tokenHost,
                        port: source.tokenPort,
                        region: source.region,
                        username: user,
                        credentials: await role,
                    });
                    return signer.getAuthToken();
                },
            };
        }
        return {
            cleartext: false,
            get: async () => {
                // The secret's own region (an ARN's fourth field): a consumer in another region than the database
                // reads it there, as applications do (Secrets Manager serves a secret only in its region).
                const client = new SecretsManagerClient({
                    region: source.secretArn.split(":")[3] || region,
                    endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL,
                    maxAttempts: 2,
                    requestHandler: API_TIMEOUTS,
                });
                let text: string | undefined;
                try {
                    text = (await client.send(new GetSecretValueCommand({ SecretId: source.secretArn })))
                        .SecretString;
                } catch (err) {
                    throw callError(
                        "Secrets Manager GetSecretValue",
                        source.secretArn,
                        err,
                        "Secrets Manager",
                    );
                } finally {
                    client.destroy();
                }
                return passwordOf(source.secretArn, text, user);
            },
        };
    };
}

/** The password of a `{"username","password"}` secret for `user`; errors name the secret, never its content. */
export function passwordOf(secretArn: string, text: string | undefined, user: string): string {
    let parsed: unknown;
    try {
        parsed = typeof text === "string" ? JSON.parse(text) : undefined;
    } catch {
        parsed = undefined;
    }
    const value = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (typeof value.password !== "string") {
        throw new Error(`Secret ${secretArn} must be JSON with string "username" and "password" keys.`);
    }
    if (value.username !== user) {
        throw new Error(`Secret ${secretArn} is for user ${JSON.stringify(value.username)}, not "${user}".`);
    }
    return value.password;
}
