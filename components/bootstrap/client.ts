/**
 * The one database-client surface the bootstrap uses: a `query(sql, values?)` method, which a `pg` Client and a
 * `mysql2/promise` Connection both have, and how to read the rows either returns. Both engines' state reads and
 * the plan runner go through it, in the Lambda and in the real-database tests alike.
 */

/** The one method of a database client the runner needs; `pg` Clients and `mysql2/promise` Connections have it. */
export interface SqlClient {
    query(sql: string, values?: unknown[]): Promise<unknown>;
}

/** A database session: the runner's client and how to close it. */
export interface Session {
    readonly client: SqlClient;
    close(): Promise<void>;
}

/** Where and as whom a session connects; TLS always verifies `host`'s name against `ca`. */
export interface SessionTarget {
    /** The writer's name: verified in the server's certificate, and dialled unless `dial` is given. */
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    /** Trusted CA certificates (PEM). */
    readonly ca: string | string[];
    /** Tests only: the address to open the TCP connection to instead of `host`. */
    readonly dial?: string;
}

/** The rows of a query's result: a `pg` result's `rows`, or the first element of a `mysql2` `[rows, fields]`. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
    const rows = Array.isArray(result) ? result[0] : (result as { rows?: unknown })?.rows;
    if (!Array.isArray(rows)) throw new Error("The database client returned no rows for a catalog query.");
    return rows as Record<string, unknown>[];
}

/** A catalog value as a string: MySQL's binary-collated name columns may arrive as Buffers. */
export const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString("utf8") : String(v));
