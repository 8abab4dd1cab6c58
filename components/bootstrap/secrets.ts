/**
 * Reads one secret from Secrets Manager (`GetSecretValue`), for the bootstrap Lambda, with the AWS SDK's client:
 * credentials from the environment (where Lambda puts the role's session), the standard
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL` overrides, and errors that name the secret's ARN, never
 * its value; and the consumers' users with the passwords their secrets hold.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loginBySecret } from "./input";
import type { ApplicationAuth, BootstrapUser, ConsumerUser } from "./types";

/** Reads a secret's string, `versionId` pinning one version: `getSecretString`, or what a test injects. */
export type ReadSecret = (secretId: string, versionId?: string) => Promise<string>;

/** Reads a secret's string; `versionId` pins one version. Throws with the secret's ARN (never its value). */
export async function getSecretString(
    secretId: string,
    versionId: string | undefined,
    env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const client = new SecretsManagerClient({
        region,
        endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL,
        maxAttempts: 3,
    });
    try {
        const answer = await client.send(
            new GetSecretValueCommand({ SecretId: secretId, ...(versionId ? { VersionId: versionId } : {}) }),
        );
        if (typeof answer.SecretString !== "string") {
            throw new Error(`Secret ${secretId} has no SecretString; the bootstrap reads JSON secrets only.`);
        }
        return answer.SecretString;
    } catch (err) {
        const e = err as Error & { $metadata?: { httpStatusCode?: number } };
        if (e.name === "Error") throw err;
        // No HTTP answer at all: in the isolated VPC that is a missing endpoint, not a missing secret.
        const unreachable =
            e.$metadata?.httpStatusCode === undefined
                ? " Secrets Manager did not answer: in an isolated VPC the function needs the Secrets Manager " +
                  "interface endpoint with private DNS."
                : "";
        throw new Error(
            `Secrets Manager GetSecretValue of ${secretId} failed: ${e.name}: ${e.message.replace(/\.*$/, "")}.` +
                unreachable,
        );
    } finally {
        client.destroy();
    }
}

/** A secret of the shape RDS and RDS Proxy use: `{"username": …, "password": …}`. */
export interface Credentials {
    readonly username: string;
    readonly password: string;
}

/** Parses a `{"username","password"}` secret; the error names the secret, never its content. */
export function parseCredentials(secretId: string, secretString: string): Credentials {
    let value: unknown;
    try {
        value = JSON.parse(secretString);
    } catch {
        throw new Error(`Secret ${secretId} is not JSON; it must be {"username": …, "password": …}.`);
    }
    const v = value as { username?: unknown; password?: unknown } | null;
    if (
        v === null ||
        typeof v !== "object" ||
        typeof v.username !== "string" ||
        typeof v.password !== "string"
    ) {
        throw new Error(
            `Secret ${secretId} must be a JSON object with string "username" and "password" keys.`,
        );
    }
    return { username: v.username, password: v.password };
}

/**
 * Mode decision: the event's user `u` as the plan takes it under `mode`. Password mode: with the password read
 * from the user's secret, which must name that same user. IAM mode: without a password (no secret is read).
 */
export async function consumerUser(
    mode: ApplicationAuth,
    u: BootstrapUser,
    read: ReadSecret,
): Promise<ConsumerUser> {
    const base = { name: u.name, databaseRole: u.databaseRole, ...(u.adopt === true ? { adopt: true } : {}) };
    if (!loginBySecret(mode) || u.secretArn === undefined) return base;
    const secret = parseCredentials(u.secretArn, await read(u.secretArn, u.secretVersionId));
    if (secret.username !== u.name) {
        throw new Error(
            `Secret ${u.secretArn} is for user "${secret.username}", not "${u.name}"; each consumer's secret must name its own user.`,
        );
    }
    return { ...base, password: secret.password };
}
