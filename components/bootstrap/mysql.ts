/**
 * Aurora MySQL (MySQL 8.0; MariaDB for the local test server): the bootstrap's statements and how it reads the
 * cluster's current state, over any `SqlClient` (the session itself is opened in session.ts: no driver here).
 *
 * `CREATE USER IF NOT EXISTS` is followed by an `ALTER USER` that sets every managed property, so a second run
 * changes nothing. What the access mode means here is written once, in `mysqlLogin`.
 */
import { rowsOf, text, type SqlClient } from "./client";
import { loginBySecret } from "./input";
import { MARKER_ROLE_PREFIX } from "./names";
import { mysqlAccount, mysqlAccountAt, mysqlLiteral } from "./quote";
import {
    plain,
    type ApplicationAuth,
    type ConsumerUser,
    type CurrentState,
    type MysqlFlavor,
    type RoleGrant,
    type Statement,
    type UsersInput,
} from "./types";

/** The documented IAM clause of Aurora MySQL: the user authenticates with an IAM token through RDS. */
const IAM_CLAUSE = "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'";

/**
 * Mode decision: the statements that create user `u` (the MySQL account `account`) if missing and set how it
 * logs in under `mode`: its password (an escaped literal, redacted where shown) or the IAM plugin; both require
 * TLS and unlock the account.
 */
export function mysqlLogin(mode: ApplicationAuth, u: ConsumerUser, account: string): Statement[] {
    if (loginBySecret(mode)) {
        const password = u.password ?? "";
        const withPassword = (sql: (auth: string) => string): Statement => ({
            sql: sql(`IDENTIFIED BY ${mysqlLiteral(password)}`),
            shown: sql("IDENTIFIED BY '<redacted>'"),
            secrets: [password],
        });
        return [
            withPassword((auth) => `CREATE USER IF NOT EXISTS ${account} ${auth} REQUIRE SSL`),
            withPassword((auth) => `ALTER USER ${account} ${auth} REQUIRE SSL ACCOUNT UNLOCK`),
        ];
    }
    return [
        plain(`CREATE USER IF NOT EXISTS ${account} ${IAM_CLAUSE} REQUIRE SSL`),
        plain(`ALTER USER ${account} ${IAM_CLAUSE} REQUIRE SSL ACCOUNT UNLOCK`),
    ];
}

/** The statements converging `input`'s users from `current` and locking `locked` (`usersToLockNow`), in order. */
export function mysqlStatements(
    input: UsersInput,
    current: CurrentState,
    locked: readonly string[],
): Statement[] {
    const mariadb = input.mysqlFlavor === "mariadb";
    const marker = mysqlLiteral(input.markerRole);
    // MySQL 8.0 roles are accounts: `'marker'` is `'marker'@'%'`, created locked and without a password, so nobody
    // logs in as it (MySQL 8.0, "Using Roles"); a MariaDB role cannot log in at all.
    const out: Statement[] = [plain(`CREATE ROLE IF NOT EXISTS ${marker}`)];
    for (const u of input.users) {
        const account = mysqlAccount(u.name);
        out.push(...mysqlLogin(input.applicationAuth, u, account));
        out.push(plain(`GRANT ${marker} TO ${account}`));
        if (u.databaseRole !== undefined)
            out.push(plain(`GRANT ${mysqlLiteral(u.databaseRole)} TO ${account}`));
        // Role grants are config's: any other role the user holds is revoked, except every bootstrap's marker.
        // `'role'` in a GRANT means `'role'@'%'` on MySQL 8.0 and the host-less role on MariaDB.
        const kept = (g: RoleGrant) =>
            g.role.startsWith(MARKER_ROLE_PREFIX) ||
            (g.role === u.databaseRole && (g.host === "%" || g.host === ""));
        for (const g of current.roleGrants.filter((x) => x.user === u.name && !kept(x))) {
            out.push(plain(`REVOKE ${mysqlAccountAt(g.role, g.host)} FROM ${account}`));
        }
        // A granted role is active at login only as a default role (MySQL 8.0, "Using Roles"; MariaDB, "SET
        // DEFAULT ROLE"). Exactly the databaseRole, or none: never the marker, never a revoked role.
        const role = u.databaseRole === undefined ? "NONE" : mysqlLiteral(u.databaseRole);
        out.push(plain(`SET DEFAULT ROLE ${role} ${mariadb ? "FOR" : "TO"} ${account}`));
    }
    const marked = new Set(current.marked);
    for (const name of locked) {
        out.push(plain(`ALTER USER IF EXISTS ${mysqlAccount(name)} ACCOUNT LOCK`));
        if (marked.has(name)) out.push(plain(`REVOKE ${marker} FROM ${mysqlAccount(name)}`));
    }
    return out;
}

/**
 * Reads what the plan starts from, with bound parameters only: the session user, which of `asked` exist (at host
 * `%`), the members of `markerRole`, and the roles granted to `users`. The Aurora MySQL 3 master user holds
 * `SELECT` on every table ("Master user account privileges", Amazon Aurora User Guide), so also on `mysql.user`
 * and `mysql.role_edges`.
 *
 * Role grants live in `mysql.role_edges` on MySQL 8.0 (FROM_HOST, FROM_USER: the role; TO_HOST, TO_USER: the
 * grantee; WITH_ADMIN_OPTION: 'N' or 'Y'; MySQL source, scripts/mysql_system_tables.sql) and in
 * `mysql.roles_mapping` on MariaDB (Host, User: the grantee; Role; Admin_option; MariaDB, "mysql.roles_mapping
 * Table").
 */
export async function mysqlState(
    client: SqlClient,
    mysqlFlavor: MysqlFlavor | undefined,
    markerRole: string,
    asked: readonly string[],
    users: readonly string[],
): Promise<CurrentState> {
    const [me] = rowsOf(await client.query("SELECT CURRENT_USER() AS me"));
    const account = text(me.me);
    const sessionUser = account.slice(0, account.lastIndexOf("@"));
    const existing =
        asked.length === 0
            ? []
            : rowsOf(
                  await client.query("SELECT User AS name FROM mysql.user WHERE Host = '%' AND User IN (?)", [
                      asked,
                  ]),
              );
    const mariadb = mysqlFlavor === "mariadb";
    const marked = rowsOf(
        await client.query(
            mariadb
                ? "SELECT User AS name FROM mysql.roles_mapping WHERE Role = ? AND Host = '%' AND Admin_option = 'N' ORDER BY 1"
                : "SELECT TO_USER AS name FROM mysql.role_edges WHERE FROM_USER = ? AND FROM_HOST = '%' AND TO_HOST = '%' AND WITH_ADMIN_OPTION = 'N' ORDER BY 1",
            [markerRole],
        ),
    );
    const grants =
        users.length === 0
            ? []
            : rowsOf(
                  await client.query(
                      mariadb
                          ? "SELECT User AS user, Role AS role, '' AS host FROM mysql.roles_mapping WHERE Host = '%' AND User IN (?) ORDER BY 1, 2"
                          : "SELECT TO_USER AS user, FROM_USER AS role, FROM_HOST AS host FROM mysql.role_edges WHERE TO_HOST = '%' AND TO_USER IN (?) ORDER BY 1, 2, 3",
                      [[...new Set(users)]],
                  ),
              );
    return {
        sessionUser,
        existing: existing.map((r) => text(r.name)),
        marked: marked.map((r) => text(r.name)).filter((n) => n !== sessionUser),
        roleGrants: grants.map((r) => ({ user: text(r.user), role: text(r.role), host: text(r.host) })),
    };
}
