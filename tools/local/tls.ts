/**
 * A throwaway certificate authority and a server certificate shaped like the one RDS Proxy presents: one
 * wildcard name, `*.proxy-<id>.<region>.rds.amazonaws.com`, and nothing else (no IP address, no other name), so
 * that a client verifying the server can only succeed by matching the name it dialled against that wildcard.
 * Generated per run with the `openssl` command line tool, in a temporary directory removed by `cleanup`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Install hint shown when openssl is missing; the run fails, it never skips. */
export const OPENSSL_INSTALL_HINT =
    "openssl was not found on PATH. The real-database tests need it to make a test CA: apt-get install -y openssl";

/** The proxy identity the test certificate is issued for. */
export interface ProxyIdentity {
    /** The random part of RDS Proxy's domain, `c1a2b3` in `proxy-c1a2b3.eu-west-1.rds.amazonaws.com`. */
    readonly id: string;
    readonly region: string;
}

/** The domain every name of the proxy lives under: `proxy-<id>.<region>.rds.amazonaws.com`. */
export function proxyDomain(identity: ProxyIdentity): string {
    return `proxy-${identity.id}.${identity.region}.rds.amazonaws.com`;
}

/** A generated CA and server certificate, as files and as PEM text. */
export interface TestTls {
    /** The directory holding every file below. */
    readonly dir: string;
    readonly caCertFile: string;
    readonly serverCertFile: string;
    readonly serverKeyFile: string;
    /** The CA certificate (PEM): what a client trusts. */
    readonly caPem: string;
    /** The one name the server certificate carries: `*.proxy-<id>.<region>.rds.amazonaws.com`. */
    readonly wildcard: string;
    /** Removes the directory. */
    cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
    const run = spawnSync("openssl", args, { cwd, encoding: "utf8" });
    if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(OPENSSL_INSTALL_HINT);
    }
    if (run.status !== 0) {
        throw new Error(`openssl ${args[0]} failed (exit ${run.status}): ${run.stderr}`);
    }
}

/** Throws with the install hint when openssl is missing. */
export function assertOpensslInstalled(): void {
    const found = spawnSync("openssl", ["version"], { encoding: "utf8" });
    if (found.error || found.status !== 0) throw new Error(OPENSSL_INSTALL_HINT);
}

/**
 * Makes a CA (EC P-256, valid one day) and a server certificate signed by it whose only subject alternative name
 * is the proxy's wildcard, or `wildcard` when given (another service's name, such as Aurora DSQL's). The key is readable
 * by its owner only, as PostgreSQL requires.
 */
export function makeTestTls(identity: ProxyIdentity, wildcard = `*.${proxyDomain(identity)}`): TestTls {
    assertOpensslInstalled();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rcx-tls-"));
    try {
        openssl(
            [
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "1",
                "-subj",
                "/CN=rds-cross-account test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
            dir,
        );
        openssl(
            [
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                `/CN=${wildcard}`,
            ],
            dir,
        );
        fs.writeFileSync(
            path.join(dir, "server.ext"),
            [
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth",
                `subjectAltName=DNS:${wildcard}`,
                "",
            ].join("\n"),
        );
        openssl(
            [
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "1",
                "-extfile",
                "server.ext",
            ],
            dir,
        );
        fs.chmodSync(path.join(dir, "server.key"), 0o600);
        fs.rmSync(path.join(dir, "ca.key"));
    } catch (err) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
    }
    const caCertFile = path.join(dir, "ca.crt");
    return {
        dir,
        caCertFile,
        serverCertFile: path.join(dir, "server.crt"),
        serverKeyFile: path.join(dir, "server.key"),
        caPem: fs.readFileSync(caCertFile, "utf8"),
        wildcard,
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
