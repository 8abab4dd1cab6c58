/**
 * Reading what the plan starts from: the dialect's own reads (postgres.ts for the PostgreSQL engines, mysql.ts for
 * the MySQL engines, MariaDB's included) over any `SqlClient`; nothing is written.
 */
import type { Engine } from "../../vocabulary/engines";
import type { SqlClient } from "./client";
import { mysqlState } from "./mysql";
import { postgresState } from "./postgres";
import { dialectOf, type CurrentState } from "./types";

/**
 * Reads what the plan starts from, with bound parameters only: the session user, which of `names` exist, the
 * members of `markerRole`, and (MySQL) the roles granted to `users`. The master user may read all of it (see each
 * engine's module).
 */
export async function currentState(
    client: SqlClient,
    engine: Engine,
    markerRole: string,
    names: readonly string[],
    users: readonly string[],
): Promise<CurrentState> {
    const asked = [...new Set(names)];
    const dialect = dialectOf(engine);
    return dialect === "postgresql"
        ? postgresState(client, markerRole, asked)
        : mysqlState(client, dialect, markerRole, asked, users);
}
