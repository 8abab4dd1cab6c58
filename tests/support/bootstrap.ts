/**
 * What the bootstrap's real-database tests share: the cluster's state read as the handler reads it, and a
 * PostgreSQL session verified as clients verify the writer (the test CA, the writer's name, the local server's port).
 */
import { Client } from "pg";
import type { SqlClient } from "../../components/bootstrap/client";
import { currentState } from "../../components/bootstrap/state";
import type { CurrentState, UsersInput } from "../../components/bootstrap/types";
import type { LocalPostgres } from "../../tools/local/postgres";

/** What the cluster holds for `input`, read as the handler reads it. */
export async function stateFor(client: SqlClient, input: UsersInput): Promise<CurrentState> {
    const names = input.users.map((u) => u.name);
    return currentState(
        client,
        input.engine,
        input.markerRole,
        [...names, ...(input.lockedUsers ?? [])],
        names,
    );
}

/** A client of the local server as `user`, over TLS verified against `caPem` for the name `writer`. */
export function verifiedPgClient(
    server: LocalPostgres,
    tls: { readonly caPem: string },
    writer: string,
    user: string,
    password: string,
): Client {
    return new Client({
        host: "127.0.0.1",
        port: server.port,
        user,
        password,
        database: server.database,
        ssl: { ca: tls.caPem, servername: writer, rejectUnauthorized: true },
        connectionTimeoutMillis: 10000,
    });
}
