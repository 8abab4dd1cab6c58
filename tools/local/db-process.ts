/**
 * What the local PostgreSQL and MariaDB runners share: finding a server's binaries (failing with the install
 * command when they are missing, never skipping), running them as an unprivileged user (PostgreSQL refuses to
 * run as root), and waiting for a server to say it is ready.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The user the servers run as when the tests run as root: `nobody`; otherwise the current user. */
const UNPRIVILEGED = "nobody";

function isRoot(): boolean {
    return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Finds the first of `names` on PATH or in `dirs` (checked in order); undefined when none exists. */
export function findBinary(names: readonly string[], dirs: readonly string[] = []): string | undefined {
    for (const name of names) {
        const found = spawnSync("sh", ["-c", 'command -v "$1"', "sh", name], { encoding: "utf8" });
        if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
        for (const dir of dirs) {
            const candidate = path.join(dir, name);
            if (fs.existsSync(candidate)) return candidate;
        }
    }
    return undefined;
}

/** A temporary directory the server's user owns (mode 0700), removed by the caller. */
export function serverDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    giveToServerUser(dir);
    return dir;
}

/** Hands `file` (and, for a directory, everything in it) to the server's user. */
export function giveToServerUser(file: string): void {
    if (!isRoot()) return;
    const chown = spawnSync("chown", ["-R", `${UNPRIVILEGED}:`, file], { encoding: "utf8" });
    if (chown.status !== 0) throw new Error(`chown ${UNPRIVILEGED} ${file} failed: ${chown.stderr}`);
}

/** Spawn options that run a process as the server's user (libuv also drops root's supplementary groups). */
function asServerUser(): { uid?: number; gid?: number } {
    if (!isRoot()) return {};
    const id = (flag: string) => {
        const run = spawnSync("id", [flag, UNPRIVILEGED], { encoding: "utf8" });
        if (run.status !== 0) throw new Error(`There is no user '${UNPRIVILEGED}' to run the servers as.`);
        return Number(run.stdout.trim());
    };
    return { uid: id("-u"), gid: id("-g") };
}

/** Runs a setup command (initdb, mariadb-install-db) as the server's user; throws with its output on failure. */
export function runAsServerUser(command: string, args: readonly string[]): void {
    const run = spawnSync(command, args, { encoding: "utf8", cwd: os.tmpdir(), ...asServerUser() });
    if (run.status !== 0) {
        throw new Error(
            `${path.basename(command)} failed (exit ${run.status}): ${run.error?.message ?? ""}${run.stdout}${run.stderr}`,
        );
    }
}

/** A server process started as the server's user, with the tail of its output. */
export interface ServerProcess {
    readonly child: ChildProcess;
    /** The last few kilobytes the server wrote, for error messages. */
    output(): string;
    /** Resolves when a line matching `ready` appears; rejects when the server exits first or after `ms`. */
    ready(readyPattern: RegExp, ms: number): Promise<void>;
    /** Sends `signal` and resolves when the process has exited. */
    stop(signal: NodeJS.Signals): Promise<void>;
}

/** Starts a long-running server as the server's user. */
export function startServerProcess(command: string, args: readonly string[]): ServerProcess {
    const child = spawn(command, args, {
        stdio: ["ignore", "pipe", "pipe"],
        cwd: os.tmpdir(),
        ...asServerUser(),
    });
    let out = "";
    let exited = false;
    const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    void exit.then(() => {
        exited = true;
    });
    const onData = (d: Buffer) => {
        out = (out + d.toString()).slice(-8000);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    return {
        child,
        output: () => out,
        async ready(readyPattern, ms) {
            const deadline = Date.now() + ms;
            while (!readyPattern.test(out)) {
                if (exited) throw new Error(`${path.basename(command)} exited before it was ready:\n${out}`);
                if (Date.now() > deadline) {
                    throw new Error(`${path.basename(command)} was not ready within ${ms / 1000} s:\n${out}`);
                }
                await new Promise((r) => setTimeout(r, 50));
            }
        },
        async stop(signal) {
            if (exited) return;
            child.kill(signal);
            const timeout = new Promise<void>((resolve) =>
                setTimeout(() => {
                    if (!exited) child.kill("SIGKILL");
                    resolve();
                }, 15000).unref(),
            );
            await Promise.race([exit, timeout]);
            await exit;
        },
    };
}
