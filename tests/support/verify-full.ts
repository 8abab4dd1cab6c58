/**
 * The two PostgreSQL clients the verify-full tests dial a local server with, each reaching 127.0.0.1 while it
 * verifies the server's certificate against a given name: psql (libpq `host=<name> hostaddr=127.0.0.1`) and
 * node-postgres (`ssl.servername`). Each returns whether the session is TLS, or fails as the client does.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { Client } from "pg";
import type { LocalPostgres } from "../../tools/local/postgres";

const IS_TLS = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

/** psql with `sslmode=verify-full` against `name`, trusting the CA file `caFile`; the process's result. */
export function psqlVerifyFull(
    server: LocalPostgres,
    name: string,
    caFile: string,
): SpawnSyncReturns<string> {
    return spawnSync(
        server.psql,
        [
            `host=${name} hostaddr=127.0.0.1 port=${server.port} dbname=${server.database} ` +
                `user=${server.adminUser} sslmode=verify-full sslrootcert=${caFile}`,
            "-tAc",
            IS_TLS,
        ],
        {
            encoding: "utf8",
            env: { ...process.env, PGPASSWORD: server.adminPassword, PGCONNECT_TIMEOUT: "10" },
        },
    );
}

/**
 * node-postgres verifying the certificate against `name` (none: node's default, the host dialled), trusting `caPem`;
 * true when the session is TLS. Rejects as the client does when verification fails.
 */
export async function nodePostgresVerifyFull(
    server: LocalPostgres,
    name: string | undefined,
    caPem: string,
): Promise<boolean> {
    const client = new Client({
        host: "127.0.0.1",
        port: server.port,
        user: server.adminUser,
        password: server.adminPassword,
        database: server.database,
        ssl: { ca: caPem, rejectUnauthorized: true, ...(name === undefined ? {} : { servername: name }) },
        connectionTimeoutMillis: 10000,
    });
    await client.connect();
    try {
        const res = await client.query(IS_TLS);
        return res.rows[0].ssl as boolean;
    } finally {
        await client.end();
    }
}
