/**
 * Reads one secret from Secrets Manager (`GetSecretValue`), for the bootstrap Lambda.
 *
 * The project's dependencies carry no Secrets Manager client, so this is the one call the bootstrap makes, built
 * from the SDK's own signer (`@smithy/signature-v4`, the SigV4 implementation every AWS SDK v3 client uses) and
 * Node's `fetch`, on Secrets Manager's documented wire protocol: `POST /` with `X-Amz-Target:
 * secretsmanager.GetSecretValue` and an `application/x-amz-json-1.1` body (Secrets Manager API Reference, "Making
 * requests" / GetSecretValue). Credentials come from the environment, where Lambda puts the role's session.
 * The endpoint honors the standard `AWS_ENDPOINT_URL_SECRETS_MANAGER` and `AWS_ENDPOINT_URL` variables.
 */
import * as crypto from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { SourceData } from "@smithy/types";

function bytes(data: SourceData): Buffer {
    if (typeof data === "string") return Buffer.from(data, "utf8");
    if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return Buffer.from(new Uint8Array(data));
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class Sha256 {
    private readonly hash: crypto.Hash | crypto.Hmac;
    constructor(secret?: SourceData) {
        this.hash =
            secret === undefined ? crypto.createHash("sha256") : crypto.createHmac("sha256", bytes(secret));
    }
    update(data: SourceData): void {
        this.hash.update(bytes(data));
    }
    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
    }
}

/** The Secrets Manager endpoint for `env`: the standard override variables, else the regional endpoint. */
export function secretsManagerEndpoint(env: NodeJS.ProcessEnv, region: string): string {
    return (
        env.AWS_ENDPOINT_URL_SECRETS_MANAGER ??
        env.AWS_ENDPOINT_URL ??
        `https://secretsmanager.${region}.amazonaws.com`
    );
}

/**
 * Calls one Secrets Manager operation (awsJson1.1) and returns its parsed answer. Errors name the operation and
 * `subject` (a secret's ARN), never a request or response body that could hold a secret value.
 */
export async function callSecretsManager(
    operation: string,
    payload: object,
    subject: string,
    env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, unknown>> {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!region || !accessKeyId || !secretAccessKey) {
        throw new Error(
            "Calling Secrets Manager needs AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the " +
                "environment; Lambda sets them for the function's role.",
        );
    }
    const url = new URL(secretsManagerEndpoint(env, region));
    const body = JSON.stringify(payload);
    const signer = new SignatureV4({
        service: "secretsmanager",
        region,
        credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN },
        sha256: Sha256,
    });
    const signed = await signer.sign({
        method: "POST",
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === "" ? undefined : Number(url.port),
        path: url.pathname === "" ? "/" : url.pathname,
        query: {},
        headers: {
            host: url.host,
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `secretsmanager.${operation}`,
        },
        body,
    });
    // fetch sets Host itself, from the same URL the signature covers.
    const headers = Object.fromEntries(
        Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== "host"),
    );
    let response: Response;
    try {
        response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(15000) });
    } catch (err) {
        throw new Error(
            `Secrets Manager ${operation} of ${subject} failed: ${url.host} did not answer ` +
                `(${err instanceof Error ? err.message : String(err)}). In an isolated VPC the function needs the ` +
                "Secrets Manager interface endpoint with private DNS.",
        );
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
        parsed = JSON.parse(text);
    } catch {
        // Reported below with the status.
    }
    if (!response.ok) {
        const type = typeof parsed.__type === "string" ? parsed.__type.split("#").pop() : "error";
        const message = String(parsed.message ?? parsed.Message ?? "no message");
        throw new Error(
            `Secrets Manager ${operation} of ${subject} failed: HTTP ${response.status} ${type}: ${message}`,
        );
    }
    return parsed;
}

/** Reads a secret's string; `versionId` pins one version. Throws with the secret's ARN (never its value). */
export async function getSecretString(
    secretId: string,
    versionId: string | undefined,
    env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
    const answer = await callSecretsManager(
        "GetSecretValue",
        versionId === undefined ? { SecretId: secretId } : { SecretId: secretId, VersionId: versionId },
        secretId,
        env,
    );
    if (typeof answer.SecretString !== "string") {
        throw new Error(`Secret ${secretId} has no SecretString; the bootstrap reads JSON secrets only.`);
    }
    return answer.SecretString;
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
