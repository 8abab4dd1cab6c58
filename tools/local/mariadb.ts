/**
 * A throwaway MariaDB server for tests (the stand-in for Aurora MySQL): a fresh data directory in a temporary
 * directory, run as an unprivileged user, listening on 127.0.0.1 only, with the test CA's proxy certificate and
 * `require_secure_transport=ON`, so that every connection without TLS is refused, like an Aurora MySQL cluster
 * whose parameter group sets it.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort } from "./moto";
import { findBinary, giveToServerUser, runAsServerUser, serverDir, startServerProcess } from "./db-process";
import type { TestTls } from "./tls";

/** Install hint shown when the MariaDB server is missing; the run fails, it never skips. */
export const MARIADB_INSTALL_HINT =
    "MariaDB (mariadbd, mariadb-install-db) was not found on PATH or in /usr/sbin. The real-database tests need " +
    "it: apt-get install -y mariadb-server";

/** A running MariaDB server. */
export interface LocalMariadb {
    readonly host: "127.0.0.1";
    readonly port: number;
    /** The administrative user (the stand-in for the cluster's master user) and its password. */
    readonly adminUser: string;
    readonly adminPassword: string;
    /** The database the tests use. */
    readonly database: string;
    /** Stops the server and removes its directory. */
    stop(): Promise<void>;
}

/** The server's binaries, from PATH or `dirs`; throws with the install hint when one is missing. */
export function mariadbBinaries(dirs: readonly string[] = ["/usr/sbin", "/usr/bin", "/usr/local/bin"]): {
    mariadbd: string;
    installDb: string;
} {
    const mariadbd = findBinary(["mariadbd", "mysqld"], dirs);
    const installDb = findBinary(["mariadb-install-db", "mysql_install_db"], dirs);
    if (!mariadbd || !installDb) throw new Error(MARIADB_INSTALL_HINT);
    return { mariadbd, installDb };
}

/** Starts a server with `tls`'s certificate; the caller stops it. */
export async function startMariadb(tls: TestTls): Promise<LocalMariadb> {
    const bin = mariadbBinaries();
    const dir = serverDir("rcx-maria-");
    const data = path.join(dir, "data");
    const adminUser = "rcx_master";
    const adminPassword = crypto.randomBytes(18).toString("base64url");
    const database = "appdb";
    let server: ReturnType<typeof startServerProcess> | undefined;
    try {
        for (const f of ["server.crt", "server.key", "ca.crt"]) {
            fs.copyFileSync(path.join(tls.dir, f), path.join(dir, f));
        }
        // The master user is created by the server at start-up; it may log in from loopback only, over TLS.
        fs.writeFileSync(
            path.join(dir, "init.sql"),
            [
                `CREATE USER IF NOT EXISTS '${adminUser}'@'127.0.0.1' IDENTIFIED BY '${adminPassword}' REQUIRE SSL;`,
                `GRANT ALL PRIVILEGES ON *.* TO '${adminUser}'@'127.0.0.1' WITH GRANT OPTION;`,
                `CREATE DATABASE IF NOT EXISTS \`${database}\`;`,
                "",
            ].join("\n"),
            { mode: 0o600 },
        );
        giveToServerUser(dir);
        runAsServerUser(bin.installDb, [
            "--no-defaults",
            `--datadir=${data}`,
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
            "--skip-name-resolve",
        ]);
        const port = await freePort();
        server = startServerProcess(bin.mariadbd, [
            "--no-defaults",
            `--datadir=${data}`,
            `--socket=${path.join(dir, "mysqld.sock")}`,
            `--pid-file=${path.join(dir, "mysqld.pid")}`,
            "--bind-address=127.0.0.1",
            `--port=${port}`,
            "--skip-name-resolve",
            `--ssl-ca=${path.join(dir, "ca.crt")}`,
            `--ssl-cert=${path.join(dir, "server.crt")}`,
            `--ssl-key=${path.join(dir, "server.key")}`,
            "--require-secure-transport=ON",
            `--init-file=${path.join(dir, "init.sql")}`,
            "--innodb-buffer-pool-size=16M",
            "--skip-log-bin",
        ]);
        await server.ready(/ready for connections/, 60000);
        const ready = server;
        return {
            host: "127.0.0.1",
            port,
            adminUser,
            adminPassword,
            database,
            async stop() {
                await ready.stop("SIGTERM");
                fs.rmSync(dir, { recursive: true, force: true });
            },
        };
    } catch (err) {
        await server?.stop("SIGTERM");
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}
