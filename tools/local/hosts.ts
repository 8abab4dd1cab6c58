/**
 * Stand-ins for the consumer's private DNS in tests: ways to make the proxy's names resolve to a loopback server
 * without changing the command or the code that dials them, one per kind of client.
 *
 * - libpq (psql): the `PGHOSTADDR` environment variable, libpq's own: it dials that address and still verifies
 *   the name given as `host` (PostgreSQL documentation, "Parameter Key Words": hostaddr).
 * - Node.js: `nodeHostsArgs`, a preload that answers `dns.lookup` from a hosts file (hosts-preload.cjs).
 * - Java: `-Djdk.net.hosts.file=<file>`, the JDK's own hosts file resolver (java.net.InetAddress documentation).
 * - Everything else (MariaDB's client): `inPrivateHosts`, the command in a private mount namespace where the hosts
 *   file is bind-mounted over /etc/hosts; needs root or unprivileged user namespaces.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The Node.js preload that answers names from LOCAL_HOSTS_FILE. */
export const HOSTS_PRELOAD = path.join(__dirname, "hosts-preload.cjs");

/** The AWS CLI stand-in (see aws-standin.cjs). */
export const AWS_STANDIN = path.join(__dirname, "aws-standin.cjs");

/** Writes a hosts file answering every name in `names` with `address` (and localhost), and returns its path. */
export function writeHostsFile(dir: string, address: string, names: readonly string[]): string {
    const file = path.join(dir, "hosts");
    fs.writeFileSync(file, `127.0.0.1 localhost\n${address} ${names.join(" ")}\n`);
    return file;
}

/** A directory holding `aws`, the AWS CLI stand-in, to put first on PATH. */
export function awsStandinBin(dir: string): string {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(AWS_STANDIN, path.join(bin, "aws"));
    return bin;
}

/** `node` arguments and environment that run a script with the hosts file answering its lookups. */
export function nodeHostsArgs(hostsFile: string): { args: string[]; env: Record<string, string> } {
    return { args: ["--require", HOSTS_PRELOAD], env: { LOCAL_HOSTS_FILE: hostsFile } };
}

function unshareArgs(): string[] {
    // Root gets a mount namespace directly; anyone else through a user namespace in which they are root.
    return typeof process.getuid === "function" && process.getuid() === 0 ? ["-m"] : ["-r", "-m"];
}

/**
 * `[command, args]` that run the shell command `script` with `hostsFile` mounted over /etc/hosts, in a private
 * mount namespace: the machine's /etc/hosts is never changed.
 */
export function inPrivateHosts(hostsFile: string, script: string): [string, string[]] {
    return [
        "unshare",
        [
            ...unshareArgs(),
            "sh",
            "-c",
            'mount --bind "$1" /etc/hosts && exec sh -c "$2"',
            "sh",
            hostsFile,
            script,
        ],
    ];
}

/** Throws, saying what is missing, unless `inPrivateHosts` works here and answers `name` from the file. */
export function assertPrivateHosts(hostsFile: string, name: string): void {
    const [command, args] = inPrivateHosts(hostsFile, `getent hosts '${name.replace(/'/g, "'\\''")}'`);
    const run = spawnSync(command, args, { encoding: "utf8" });
    if (run.error || run.status !== 0 || !run.stdout.includes(name)) {
        throw new Error(
            `Could not answer ${name} from a private hosts file (unshare ${unshareArgs().join(" ")}, then mount ` +
                `--bind over /etc/hosts): ${run.error?.message ?? (run.stderr.trim() || `exit ${run.status}`)}. ` +
                "The MariaDB client examples need it to resolve the proxy's names without changing the command: " +
                "run the tests as root, or allow unprivileged user namespaces, and install util-linux (unshare, " +
                "mount) and libc-bin (getent).",
        );
    }
}
