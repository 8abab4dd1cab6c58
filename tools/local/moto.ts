/**
 * Starts moto's server (Python moto, through `moto_server.py` next to this file, which marks the tests' proxy
 * interfaces as requester-managed the way EC2 reports RDS's own) on a free loopback port for a test file or a benchmark, and points the
 * AWS SDK at it through the standard `AWS_ENDPOINT_URL` variable with fake credentials. Nothing here can
 * reach a real AWS endpoint: every service endpoint is the loopback URL, the credential chain finds static
 * fake keys before any profile or instance metadata, and IMDS is disabled.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";

/** The launcher: moto's own server with one model patched (see the file's docstring). */
const LAUNCHER = path.join(__dirname, "moto_server.py");

/** The tag that makes the launcher's moto report an interface as requester-managed (created by RDS). */
export const REQUESTER_MANAGED_TAG = "moto:requester-managed";

/** Install hint shown when moto_server is not on PATH; the run fails, it never skips. */
export const MOTO_INSTALL_HINT =
    "moto_server was not found on PATH. The integration tests need it: pip install 'moto[server]'";

/** A running moto_server. */
export interface Moto {
    /** `http://127.0.0.1:PORT` */
    readonly url: string;
    readonly port: number;
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

/** Starts moto's server (patched, see LAUNCHER) and sets the process environment to use it. */
export async function startMoto(region = "eu-west-1"): Promise<Moto> {
    assertMotoInstalled();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child: ChildProcess = spawn("python3", [LAUNCHER, "-H", "127.0.0.1", "-p", String(port)], {
        stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
    });
    let exited = false;
    child.on("exit", () => {
        exited = true;
    });
    for (let i = 0; i < 150 && !(await probe(url)); i++) {
        if (exited) {
            throw new Error(`moto_server exited before it was ready: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    if (!(await probe(url))) {
        child.kill("SIGTERM");
        throw new Error(`moto_server did not answer on ${url} within 15 s: ${stderr}`);
    }
    const saved: Record<string, string | undefined> = {};
    const env = motoEnv(url, region);
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
    return {
        url,
        port,
        async stop() {
            for (const [k, v] of Object.entries(saved)) {
                if (v === undefined) {
                    delete process.env[k];
                } else {
                    process.env[k] = v;
                }
            }
            if (!exited) {
                await new Promise<void>((resolve) => {
                    child.once("exit", () => resolve());
                    child.kill("SIGTERM");
                });
            }
        },
    };
}
