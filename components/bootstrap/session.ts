/**
 * The bootstrap's database session: the drivers (`pg` for the PostgreSQL engines, `mysql2` for the MySQL engines,
 * MariaDB's included), each over TLS verified against the writer's name. The only module of the bootstrap that loads
 * a driver: the checks, the plans, the state reads and the runner work over any `SqlClient`.
 */
import * as net from "node:net";
import type { ConnectionOptions } from "node:tls";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { protocolOf, type Engine } from "../../vocabulary/engines";
import type { Session, SessionTarget } from "./client";

/** Opens a session on `database` over TLS that verifies `target.host`'s name against `target.ca`. */
export async function openPostgres(target: SessionTarget, database: string): Promise<Session> {
    const ssl: ConnectionOptions = { ca: target.ca, rejectUnauthorized: true, servername: target.host };
    const client = new Client({
        host: target.dial ?? target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database,
        ssl,
        connectionTimeoutMillis: 15000,
    });
    await client.connect();
    return { client, close: () => client.end() };
}

/** Opens a session over TLS that verifies `target.host`'s name against `target.ca`. */
export async function openMysql(target: SessionTarget): Promise<Session> {
    const { dial } = target;
    const connection = await mysql.createConnection({
        host: target.host,
        port: target.port,
        // mysql2 verifies the certificate against `host`; `dial` only changes where the TCP connection goes.
        ...(dial === undefined ? {} : { stream: () => net.connect(target.port, dial) }),
        user: target.user,
        password: target.password,
        ssl: { ca: target.ca, rejectUnauthorized: true, verifyIdentity: true },
        connectTimeout: 15000,
    });
    return { client: connection, close: () => connection.end() };
}

/** Opens the bootstrap's session to `target` (PostgreSQL: on `database`). */
export async function openSession(engine: Engine, target: SessionTarget, database: string): Promise<Session> {
    return protocolOf(engine) === "postgresql" ? openPostgres(target, database) : openMysql(target);
}
