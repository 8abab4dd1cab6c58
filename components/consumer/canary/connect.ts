/**
 * The canary's connection check, one endpoint at a time: dial the name the proxy's certificate covers, verify it
 * (verify-full; MySQL's VERIFY_IDENTITY), log in with the consumer's own credential, run `SELECT 1`, and say what
 * happened as one named outcome. The Lambda (./handler.ts) and the real-database tests run this same code.
 *
 * Bundled into the canary Lambda: nothing here may import @pulumi/pulumi, and no mode is named (the credential is
 * a function the caller gets from ./credentials.ts).
 */
import { X509Certificate } from "node:crypto";
import * as net from "node:net";
import * as tls from "node:tls";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { protocolOf, type Engine } from "../../../vocabulary/engines";
import { DEFAULT_PROBE_TIMEOUT_MS } from "./targets";

/** What one check found; every failure has its own name, so an alarm's reader knows where to look. */
export const OUTCOMES = [
    "ok",
    "tls-name-mismatch",
    "tls-untrusted",
    "auth-failed",
    "no-credential",
    "timeout",
    "unreachable",
    "other",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One endpoint as the canary dials it: the `connection` output's writer or readOnly entry. */
export interface ProbeTarget {
    /** Which endpoint: `writer` or `reader` (the metric's `Endpoint` dimension). */
    readonly endpoint: string;
    readonly engine: Engine;
    /** The name dialled and verified against the certificate (one label under the proxy's domain). */
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
}

/** How to get the password to send: an IAM auth token signed for this connection, or the secret's password. */
export interface Credential {
    /** Resolves to the password to send; throws when the credential cannot be had (STS or Secrets Manager). */
    readonly get: () => Promise<string>;
    /**
     * MySQL engines: the password is an IAM auth token, which RDS Proxy takes only through the cleartext plugin
     * (over TLS), as the connection examples' mysql2 pool sends it.
     */
    readonly cleartext: boolean;
}

export interface ProbeOptions {
    readonly credential: Credential;
    /** CA certificates to trust (PEM). @default Amazon Root CA 1, from Node's bundled Mozilla store */
    readonly ca?: string | string[];
    /** How long the connection (TCP, TLS and login) and the query may take together. @default 10000 ms */
    readonly timeoutMs?: number;
    /** Tests only: the address to open the TCP connection to, while TLS still verifies `host`. @default `host` */
    readonly dial?: string;
}

/** The check's result: never a credential, only what the driver said with the credential scrubbed out. */
export interface ProbeResult {
    readonly endpoint: string;
    readonly outcome: Outcome;
    /** ok: milliseconds from dialling to the end of the login (TCP, TLS, authentication). */
    readonly connectMs?: number;
    /** What happened, in words (the driver's error for a failure). */
    readonly message: string;
}

/**
 * Amazon Root CA 1 from Node's bundled root store (`tls.rootCertificates`, "the bundled Mozilla CA store", Node.js
 * TLS docs): RDS Proxy's certificates come from ACM and chain to it (the `connection` output's caNote), so the
 * canary trusts exactly what applications are told to trust, and no file ships with the function.
 */
export function amazonRootCa1(): string {
    const found = tls.rootCertificates.filter((pem) =>
        /(^|\n)CN=Amazon Root CA 1(\n|$)/.test(new X509Certificate(pem).subject),
    );
    if (found.length !== 1) {
        throw new Error(`Node's root store holds ${found.length} Amazon Root CA 1 certificates, not one.`);
    }
    return found[0];
}

/** Replaces every occurrence of `secret` in `text` (a driver may echo what it was given). */
function scrub(text: string, secret: string | undefined): string {
    return secret ? text.split(secret).join("(credential)") : text;
}

const UNREACHABLE = new Set([
    "ECONNREFUSED",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNRESET",
]);
const UNTRUSTED = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
]);

/** Names a driver's error: the codes Node's TLS and net layers, PostgreSQL and MySQL/MariaDB give. */
export function classify(err: unknown): Outcome {
    const e = (err ?? {}) as { code?: unknown; errno?: unknown; message?: unknown };
    const code = typeof e.code === "string" ? e.code : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || /is not in the cert's altnames/.test(message)) {
        return "tls-name-mismatch";
    }
    // mysql2 wraps Node's TLS errors (code HANDSHAKE_SSL_ERROR) and keeps their message.
    if (
        UNTRUSTED.has(code) ||
        /self.signed certificate|unable to verify|unable to get (local )?issuer|certificate has expired/.test(
            message,
        )
    ) {
        return "tls-untrusted";
    }
    // PostgreSQL: 28P01 invalid_password, 28000 invalid_authorization_specification (no pg_hba line, no such user).
    // MySQL and MariaDB: 1045 ER_ACCESS_DENIED_ERROR; 1044 ER_DBACCESS_DENIED_ERROR.
    if (["28P01", "28000", "ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR"].includes(code)) {
        return "auth-failed";
    }
    if (code === "ETIMEDOUT" || /timeout expired|connection timeout/i.test(message)) return "timeout";
    if (UNREACHABLE.has(code)) return "unreachable";
    return "other";
}

/** An open session: `SELECT 1` and closing it. */
interface Session {
    selectOne(): Promise<unknown>;
    close(): Promise<void>;
}

async function openPostgres(
    t: ProbeTarget,
    password: string,
    ca: string | string[],
    o: Required<Pick<ProbeOptions, "timeoutMs">> & ProbeOptions,
): Promise<Session> {
    const client = new Client({
        host: o.dial ?? t.host,
        port: t.port,
        user: t.user,
        password,
        database: t.database,
        ssl: { ca, rejectUnauthorized: true, servername: t.host },
        connectionTimeoutMillis: o.timeoutMs,
        query_timeout: o.timeoutMs,
    });
    // A failed connect still emits 'error' on the client; without a listener it would be thrown as uncaught.
    client.on("error", () => undefined);
    try {
        await client.connect();
    } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
    }
    return { selectOne: () => client.query("SELECT 1 AS ok"), close: () => client.end() };
}

async function openMysql(
    t: ProbeTarget,
    password: string,
    ca: string | string[],
    o: Required<Pick<ProbeOptions, "timeoutMs">> & ProbeOptions,
): Promise<Session> {
    const { dial } = o;
    const connection = await mysql.createConnection({
        host: t.host,
        port: t.port,
        // mysql2 verifies the certificate against `host`; `dial` only changes where the TCP connection goes.
        ...(dial === undefined ? {} : { stream: () => net.connect(t.port, dial) }),
        user: t.user,
        password,
        // No database selected: a consumer's MySQL user holds only its databaseRole's grants, possibly none, and
        // `SELECT 1` needs none; PostgreSQL's users have CONNECT on the application database.
        ssl: { ca, rejectUnauthorized: true, verifyIdentity: true },
        connectTimeout: o.timeoutMs,
        // An IAM token goes through the cleartext plugin when the server asks for it (RDS Proxy does); a server
        // that asks for native passwords gets the same string hashed.
        ...(o.credential.cleartext
            ? { authPlugins: { mysql_clear_password: () => () => Buffer.from(`${password}\0`) } }
            : {}),
    });
    return { selectOne: () => connection.query("SELECT 1 AS ok"), close: () => connection.end() };
}

/** Rejects after `ms` with a timeout error (the drivers' own timers should fire first); `clear` stops it. */
function deadline(ms: number): { promise: Promise<never>; clear: () => void } {
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<never>((_, reject) => {
        timer = setTimeout(
            () => reject(Object.assign(new Error("timeout expired"), { code: "ETIMEDOUT" })),
            ms,
        );
    });
    return { promise, clear: () => clearTimeout(timer) };
}

/** Connects to one endpoint, runs `SELECT 1`, and returns what happened; never throws. */
export async function probe(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
    const o = { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS };
    let password: string | undefined;
    try {
        password = await o.credential.get();
    } catch (err) {
        return {
            endpoint: target.endpoint,
            outcome: "no-credential",
            message: `No credential for ${target.user}: ${err instanceof Error ? err.message : String(err)}`,
        };
    }
    const secret = password;
    const ca = o.ca ?? amazonRootCa1();
    const open = protocolOf(target.engine) === "postgresql" ? openPostgres : openMysql;
    // A safety net behind the drivers' own timers, with room for them to fire first and close their sockets.
    const limit = deadline(o.timeoutMs * 2 + 1000);
    const started = Date.now();
    let connectMs: number | undefined;
    let session: Session | undefined;
    try {
        const run = (async () => {
            session = await open(target, secret, ca, o);
            connectMs = Date.now() - started;
            await session.selectOne();
        })();
        run.catch(() => undefined);
        await Promise.race([run, limit.promise]);
        return {
            endpoint: target.endpoint,
            outcome: "ok",
            connectMs,
            message: `SELECT 1 as ${target.user} on ${target.host}:${target.port} succeeded.`,
        };
    } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        return {
            endpoint: target.endpoint,
            outcome: classify(err),
            message: scrub(`${target.host}:${target.port} as ${target.user}: ${text}`, secret),
        };
    } finally {
        limit.clear();
        const open = session as Session | undefined;
        await open?.close().catch(() => undefined);
    }
}
