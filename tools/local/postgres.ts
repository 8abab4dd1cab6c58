/**
 * A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, run as an unprivileged
 * user, listening on 127.0.0.1 only (no Unix socket), TLS on with the test CA's proxy certificate, and a
 * pg_hba.conf that admits nothing but TLS connections with SCRAM passwords (`hostssl … scram-sha-256`, no plain
 * `host` line), like an Aurora cluster with `rds.force_ssl=1` behind RDS Proxy.
 */
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort } from "./moto";
import { findBinary, giveToServerUser, runAsServerUser, serverDir, startServerProcess } from "./db-process";
import type { TestTls } from "./tls";

/** Install hint shown when the PostgreSQL server is missing; the run fails, it never skips. */
export const POSTGRES_INSTALL_HINT =
    "PostgreSQL (initdb, postgres, psql) was not found on PATH or in /usr/lib/postgresql/*/bin. The real-database " +
    "tests need it: apt-get install -y postgresql postgresql-client";

/** A running PostgreSQL server. */
export interface LocalPostgres {
    readonly host: "127.0.0.1";
    readonly port: number;
    /** The bootstrap superuser (the stand-in for the cluster's master user) and its password. */
    readonly adminUser: string;
    readonly adminPassword: string;
    /** The database the tests use. */
    readonly database: string;
    /** The psql binary of the same installation. */
    readonly psql: string;
    /** Stops the server (fast shutdown) and removes its directory. */
    stop(): Promise<void>;
}

function binDirs(): string[] {
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return [];
    return fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(root, v, "bin"));
}

/** The server's binaries, from PATH or `dirs`; throws with the install hint when one is missing. */
export function postgresBinaries(dirs: readonly string[] = binDirs()): {
    initdb: string;
    postgres: string;
    psql: string;
} {
    const initdb = findBinary(["initdb"], dirs);
    const postgres = findBinary(["postgres"], dirs);
    const psql = findBinary(["psql"], dirs);
    if (!initdb || !postgres || !psql) throw new Error(POSTGRES_INSTALL_HINT);
    return { initdb, postgres, psql };
}

/** Starts a server with `tls`'s certificate; the caller stops it. */
export async function startPostgres(tls: TestTls): Promise<LocalPostgres> {
    const bin = postgresBinaries();
    const dir = serverDir("rcx-pg-");
    const data = path.join(dir, "data");
    const adminUser = "rcx_master";
    const adminPassword = crypto.randomBytes(18).toString("base64url");
    const database = "appdb";
    let server: ReturnType<typeof startServerProcess> | undefined;
    try {
        fs.writeFileSync(path.join(dir, "pwfile"), `${adminPassword}\n`, { mode: 0o600 });
        for (const f of ["server.crt", "server.key"])
            fs.copyFileSync(path.join(tls.dir, f), path.join(dir, f));
        fs.chmodSync(path.join(dir, "server.key"), 0o600);
        giveToServerUser(dir);
        runAsServerUser(bin.initdb, [
            "-D",
            data,
            "-U",
            adminUser,
            `--pwfile=${path.join(dir, "pwfile")}`,
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]);
        // Only TLS connections from loopback, only SCRAM: no `host`, no `local`, no `trust`.
        fs.writeFileSync(
            path.join(data, "pg_hba.conf"),
            "# TYPE  DATABASE USER ADDRESS      METHOD\nhostssl all      all  127.0.0.1/32 scram-sha-256\n",
        );
        giveToServerUser(path.join(data, "pg_hba.conf"));
        const port = await freePort();
        server = startServerProcess(bin.postgres, [
            "-D",
            data,
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            `port=${port}`,
            "-c",
            "unix_socket_directories=",
            "-c",
            "ssl=on",
            "-c",
            `ssl_cert_file=${path.join(dir, "server.crt")}`,
            "-c",
            `ssl_key_file=${path.join(dir, "server.key")}`,
            "-c",
            "ssl_min_protocol_version=TLSv1.2",
            "-c",
            "password_encryption=scram-sha-256",
            "-c",
            "fsync=off",
            "-c",
            "logging_collector=off",
        ]);
        await server.ready(/database system is ready to accept connections/, 30000);
        const ready = server;
        const local: LocalPostgres = {
            host: "127.0.0.1",
            port,
            adminUser,
            adminPassword,
            database,
            psql: bin.psql,
            async stop() {
                await ready.stop("SIGINT");
                fs.rmSync(dir, { recursive: true, force: true });
            },
        };
        // The application database, created through TLS like every other connection.
        const created = spawnSync(
            bin.psql,
            [
                `host=${tls.wildcard.replace("*", "admin")} hostaddr=127.0.0.1 port=${port} dbname=postgres ` +
                    `user=${adminUser} sslmode=verify-full sslrootcert=${tls.caCertFile}`,
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                `CREATE DATABASE ${database}`,
            ],
            { encoding: "utf8", env: { ...process.env, PGPASSWORD: adminPassword, PGCONNECT_TIMEOUT: "10" } },
        );
        if (created.status !== 0) {
            await local.stop();
            throw new Error(`Creating the test database failed: ${created.stderr}`);
        }
        return local;
    } catch (err) {
        await server?.stop("SIGINT");
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}
