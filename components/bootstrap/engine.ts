/**
 * The engine a run talks to: which module reads the cluster's state and opens the session (postgres.ts for
 * Aurora PostgreSQL, mysql.ts for Aurora MySQL). Which module plans is `usersSql`'s choice (plan.ts).
 */
import type { Engine } from "../../vocabulary/engines";
import type { Session, SessionTarget, SqlClient } from "./client";
import { mysqlState, openMysql } from "./mysql";
import { openPostgres, postgresState } from "./postgres";
import type { CurrentState, MysqlFlavor } from "./types";

/**
 * Reads what the plan starts from, with bound parameters only: the session user, which of `names` exist, the
 * members of `markerRole`, and (MySQL) the roles granted to `users`. The master user may read all of it (see each
 * engine's module).
 */
export async function currentState(
    client: SqlClient,
    engine: Engine,
    mysqlFlavor: MysqlFlavor | undefined,
    markerRole: string,
    names: readonly string[],
    users: readonly string[],
): Promise<CurrentState> {
    const asked = [...new Set(names)];
    return engine === "aurora-postgresql"
        ? postgresState(client, markerRole, asked)
        : mysqlState(client, mysqlFlavor, markerRole, asked, users);
}

/** Opens the bootstrap's session to `target` (PostgreSQL: on `database`). */
export async function openSession(engine: Engine, target: SessionTarget, database: string): Promise<Session> {
    return engine === "aurora-postgresql" ? openPostgres(target, database) : openMysql(target);
}
