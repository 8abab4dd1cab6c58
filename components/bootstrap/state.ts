/**
 * Reading what the plan starts from: the engine's own reads (postgres.ts for Aurora PostgreSQL, mysql.ts for
 * Aurora MySQL) over any `SqlClient`; nothing is written.
 */
import type { Engine } from "../../vocabulary/engines";
import type { SqlClient } from "./client";
import { mysqlState } from "./mysql";
import { postgresState } from "./postgres";
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
