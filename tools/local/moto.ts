/**
 * Starts moto's server (Python moto, through `moto_server.py` next to this file, which marks the tests' proxy
 * interfaces as requester-managed the way EC2 reports RDS's own, adds RDS Proxy endpoints, which moto lacks, and
 * answers and pages DB parameters as RDS does) on a free loopback port for a test file or a benchmark, and points the
 * AWS SDK at it through the standard `AWS_ENDPOINT_URL` variable with fake credentials. Nothing here can
 * reach a real AWS endpoint: every service endpoint is the loopback URL, the credential chain finds static
 * fake keys before any profile or instance metadata, and IMDS is disabled.
 *
 * With `{ iam: true }` the server enforces IAM (moto's `INITIAL_NO_AUTH_ACTION_COUNT`): the first requests create an
 * administrator user, whose access key the environment then holds, and every later request must be signed by a
 * user's key and is checked against that user's policies. `moto.iam.createIdentity` makes a user holding exactly a
 * given policy. What moto evaluates, and what the launcher adds, is described in `moto_server.py` and in
 * docs/target-sync.md ("What the IAM tests prove").
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";

/** The launcher: moto's own server with some models patched (see the file's docstring). */
const LAUNCHER = path.join(__dirname, "moto_server.py");

/** The tag that makes the launcher's moto report an interface as requester-managed (created by RDS). */
export const REQUESTER_MANAGED_TAG = "moto:requester-managed";

/** Install hint shown when moto_server is not on PATH; the run fails, it never skips. */
export const MOTO_INSTALL_HINT =
    "moto_server was not found on PATH. The integration tests need it: pip install 'moto[server]'";

/** How to start moto. */
export interface MotoOptions {
    /** Enforce IAM: every request after the administrator's setup is checked against its caller's policies. @default false */
    readonly iam?: boolean;
    /**
     * Point this process's AWS SDK at the server (its variables set until `stop`). Without it, the server only runs and
     * `environment` applies its variables when and for as long as the caller wants. @default true
     */
    readonly environment?: boolean;
}

/** A moto IAM user's access key. */
export interface AccessKey {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
}

/** IAM enforcement of a server started with `{ iam: true }`. */
export interface MotoIam {
    /** The account every resource is created in (moto's default account). */
    readonly accountId: string;
    /** The administrator (`Action` "*" on "*") the environment's credentials belong to; fixtures use it. */
    readonly admin: AccessKey;
    /**
     * Creates an IAM user whose only policy is `policy` (one inline policy, the document as given) and returns its
     * new access key. `name` must be unique on the server.
     */
    createIdentity(name: string, policy: object): Promise<AccessKey>;
}

/** A running moto_server. */
export interface Moto {
    /** `http://127.0.0.1:PORT` */
    readonly url: string;
    readonly port: number;
    /** Present when started with `{ iam: true }`. */
    readonly iam?: MotoIam;
    /** Sets the variables that point the AWS SDK at this server; returns a function that restores the old ones. */
    environment(): () => void;
    /** Stops the server and restores the environment variables this module changed. */
    stop(): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

function probe(url: string): Promise<boolean> {
    return new Promise((resolve) => {
        const req = http.get(`${url}/moto-api/`, (res) => {
            res.resume();
            resolve((res.statusCode ?? 500) < 500);
        });
        req.on("error", () => resolve(false));
        req.setTimeout(1000, () => {
            req.destroy();
            resolve(false);
        });
    });
}

/** Variables pointed at the loopback server, with fake credentials. */
export function motoEnv(url: string, region = "eu-west-1"): Record<string, string> {
    return {
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_SESSION_TOKEN: "testing",
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_MAX_ATTEMPTS: "5",
    };
}

const CLEARED = [
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
];

/** Throws with the install hint when moto (with its server) is missing from the Python on PATH. */
export function assertMotoInstalled(): void {
    const found = spawnSync("sh", ["-c", "command -v moto_server && python3 -c 'import moto.server'"], {
        encoding: "utf8",
    });
    if (found.status !== 0 || !found.stdout.trim()) {
        throw new Error(MOTO_INSTALL_HINT);
    }
}

/** How long the server may take to answer its first request. */
const STARTUP_SECONDS = 60;

/** Requests the administrator's setup makes before IAM is enforced: CreateUser, PutUserPolicy, CreateAccessKey. */
const UNAUTHENTICATED_SETUP_REQUESTS = 3;

/** The administrator's policy. */
const ADMIN_POLICY = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

function hmac(key: crypto.BinaryLike, data: string): Buffer {
    return crypto.createHmac("sha256", key).update(data).digest();
}

/**
 * One IAM query-API call, signed with Signature Version 4 by `key` (moto routes requests by the signature's
 * service and, once IAM is enforced, verifies the signature). Returns the XML answer; throws on an error answer.
 */
async function iamCall(url: string, key: AccessKey, params: Record<string, string>): Promise<string> {
    // Encoded as Python's urlencode does: moto verifies the signature over the form it parsed, encoded again.
    const encode = (v: string) =>
        encodeURIComponent(v)
            .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
            .replace(/%20/g, "+");
    const body = Object.entries({ ...params, Version: "2010-05-08" })
        .map(([k, v]) => `${encode(k)}=${encode(v)}`)
        .join("&");
    const host = new URL(url).host;
    const amzDate = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    const day = amzDate.slice(0, 8);
    const scope = `${day}/us-east-1/iam/aws4_request`;
    const contentType = "application/x-www-form-urlencoded; charset=utf-8";
    const canonical = [
        "POST",
        "/",
        "",
        `content-type:${contentType}`,
        `host:${host}`,
        `x-amz-date:${amzDate}`,
        "",
        "content-type;host;x-amz-date",
        crypto.createHash("sha256").update(body).digest("hex"),
    ].join("\n");
    const toSign = [
        "AWS4-HMAC-SHA256",
        amzDate,
        scope,
        crypto.createHash("sha256").update(canonical).digest("hex"),
    ].join("\n");
    let signing = hmac(`AWS4${key.secretAccessKey}`, day);
    for (const part of ["us-east-1", "iam", "aws4_request"]) {
        signing = hmac(signing, part);
    }
    const signature = crypto.createHmac("sha256", signing).update(toSign).digest("hex");
    const res = await fetch(`${url}/`, {
        method: "POST",
        headers: {
            "content-type": contentType,
            "x-amz-date": amzDate,
            authorization:
                `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, ` +
                `SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
        },
        body,
    });
    const text = await res.text();
    if (!res.ok) {
        throw new Error(`IAM ${params.Action} failed (HTTP ${res.status}): ${text}`);
    }
    return text;
}

function xmlField(xml: string, name: string): string {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
    if (!m) {
        throw new Error(`No ${name} in the IAM answer: ${xml}`);
    }
    return m[1];
}

/** Creates a user holding exactly `policy` (inline) and returns its access key, signing as `caller`. */
async function createUser(url: string, caller: AccessKey, name: string, policy: object): Promise<AccessKey> {
    await iamCall(url, caller, { Action: "CreateUser", UserName: name });
    await iamCall(url, caller, {
        Action: "PutUserPolicy",
        UserName: name,
        PolicyName: name,
        PolicyDocument: JSON.stringify(policy),
    });
    const xml = await iamCall(url, caller, { Action: "CreateAccessKey", UserName: name });
    return { accessKeyId: xmlField(xml, "AccessKeyId"), secretAccessKey: xmlField(xml, "SecretAccessKey") };
}

/** Sets `env` in this process, clearing variables that would override it; returns a function restoring the old values. */
function pointAt(env: Record<string, string>, iam: boolean): () => void {
    const saved: Record<string, string | undefined> = {};
    // A service-specific endpoint variable from the outer environment would win over AWS_ENDPOINT_URL.
    const cleared = [
        ...CLEARED,
        ...Object.keys(process.env).filter((k) => k.startsWith("AWS_ENDPOINT_URL_")),
    ];
    for (const k of [...Object.keys(env), ...cleared]) {
        saved[k] = process.env[k];
    }
    for (const k of cleared) {
        delete process.env[k];
    }
    Object.assign(process.env, env);
    if (iam) {
        // A long-term user key is refused with a session token (moto, like AWS, reads it as another credential).
        delete process.env.AWS_SESSION_TOKEN;
    }
    return () => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) {
                delete process.env[k];
            } else {
                process.env[k] = v;
            }
        }
    };
}

/** Starts moto's server (patched, see LAUNCHER) and, unless `environment: false`, points this process at it. */
export async function startMoto(region = "eu-west-1", options: MotoOptions = {}): Promise<Moto> {
    assertMotoInstalled();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const childEnv = { ...process.env };
    delete childEnv.INITIAL_NO_AUTH_ACTION_COUNT;
    if (options.iam) {
        childEnv.INITIAL_NO_AUTH_ACTION_COUNT = String(UNAUTHENTICATED_SETUP_REQUESTS);
    }
    const child: ChildProcess = spawn("python3", [LAUNCHER, "-H", "127.0.0.1", "-p", String(port)], {
        stdio: ["ignore", "ignore", "pipe"],
        env: childEnv,
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
    });
    let exited = false;
    child.on("exit", () => {
        exited = true;
    });
    // Python imports moto in about 2 s of CPU; on a loaded machine that is many more seconds of wall time.
    for (let i = 0; i < STARTUP_SECONDS * 10 && !(await probe(url)); i++) {
        if (exited) {
            throw new Error(`moto_server exited before it was ready: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    if (!(await probe(url))) {
        child.kill("SIGTERM");
        throw new Error(`moto_server did not answer on ${url} within ${STARTUP_SECONDS} s: ${stderr}`);
    }
    let iam: MotoIam | undefined;
    const env = motoEnv(url, region);
    if (options.iam) {
        // The setup's requests are let through unauthenticated (their signature's key is not checked).
        const setupKey = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
        let admin: AccessKey;
        try {
            admin = await createUser(url, setupKey, "moto-admin", ADMIN_POLICY);
        } catch (err) {
            child.kill("SIGTERM");
            throw err;
        }
        const created = await iamCall(url, admin, { Action: "GetUser", UserName: "moto-admin" });
        const accountId = xmlField(created, "Arn").split(":")[4];
        iam = {
            accountId,
            admin,
            createIdentity: (name, policy) => createUser(url, admin, name, policy),
        };
        env.AWS_ACCESS_KEY_ID = admin.accessKeyId;
        env.AWS_SECRET_ACCESS_KEY = admin.secretAccessKey;
    }
    const environment = (): (() => void) => pointAt(env, options.iam === true);
    const restore = options.environment === false ? undefined : environment();
    return {
        url,
        port,
        iam,
        environment,
        async stop() {
            restore?.();
            if (!exited) {
                await new Promise<void>((resolve) => {
                    child.once("exit", () => resolve());
                    child.kill("SIGTERM");
                });
            }
        },
    };
}
