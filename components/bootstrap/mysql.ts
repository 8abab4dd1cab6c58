/**
 * The MySQL engines, in two dialects (types.ts `dialectOf`): MySQL 8.0 (Aurora MySQL 3, RDS for MySQL 8.0) and
 * MariaDB (RDS for MariaDB): the bootstrap's statements and how it reads the database's current state, over any
 * `SqlClient` (the session itself is opened in session.ts: no driver here).
 *
 * `CREATE USER IF NOT EXISTS` is followed by an `ALTER USER` that sets every managed property, so a second run
 * changes nothing. What the access mode means here is written once, in `mysqlLogin`.
 */
import { rowsOf, text, type SqlClient } from "./client";
import { MARKER_ROLE_PREFIX } from "./names";
import { loginBySecret } from "./input";
import { mysqlAccount, mysqlAccountAt, mysqlIdent, mysqlLiteral } from "./quote";
import {
    dialectOf,
    plain,
    type ApplicationAuth,
    type ConsumerUser,
    type CurrentState,
    type MysqlFlavor,
    type RoleGrant,
    type Statement,
    type UsersInput,
} from "./types";

/**
 * The documented IAM clause of Aurora MySQL, RDS for MySQL and RDS for MariaDB alike: the user authenticates with an
 * IAM token through RDS (Amazon RDS User Guide, "Creating a database account using IAM authentication": "With
 * MariaDB and MySQL, authentication is handled by AWSAuthenticationPlugin").
 */
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
    const mariadb = dialectOf(input.engine) === "mariadb";
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
        // Role grants are config's: any other role the user holds is revoked, except every bootstrap's marker (on
        // MariaDB only a role's admin may revoke it, and another bootstrap's marker was made by another master; a
        // marker holds nothing, tenancy.ts). `'role'` in a GRANT means `'role'@'%'` on MySQL 8.0 and the host-less
        // role on MariaDB.
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
    // A removed user is locked at every host it has an account at: a stale `'user'@'<address>'` would otherwise
    // keep logging in (MySQL matches the most specific host first: "Access Control, Stage 1: Connection
    // Verification", https://dev.mysql.com/doc/refman/8.0/en/connection-access.html).
    // A locked user keeps the mark: it stays this bootstrap's (tenancy.ts), and re-adding its consumer takes it back.
    for (const name of locked) {
        const hosts = current.catalog.roles.filter((r) => r.name === name && r.login && r.host !== "%");
        for (const h of ["%", ...new Set(hosts.map((r) => r.host))]) {
            out.push(plain(`ALTER USER IF EXISTS ${mysqlAccountAt(name, h)} ACCOUNT LOCK`));
        }
    }
    return out;
}

/**
 * Reads what the plan starts from, with no value from config in the SQL: the session user, every account with
 * whether it logs in and its privileges on `*.*`, and every role grant. The master user of Aurora MySQL 3, RDS for
 * MySQL 8.0 and RDS for MariaDB holds `SELECT` on every table ("Master user account privileges", Amazon Aurora and
 * Amazon RDS User Guides), so also on `mysql.user`, `mysql.role_edges` and `mysql.global_grants` (MySQL 8.0), and
 * `mysql.global_priv` and `mysql.roles_mapping` (MariaDB).
 *
 * - Privileges on `*.*` are the `mysql.user` columns ending in `_priv` (read from `information_schema.COLUMNS`, so
 *   that every server version's set is read, and quoted as identifiers); MySQL 8.0's dynamic privileges
 *   (`SYSTEM_USER`, `CONNECTION_ADMIN`, …) are rows of `mysql.global_grants` ("Privileges Provided by MySQL",
 *   https://dev.mysql.com/doc/refman/8.0/en/privileges-provided.html). The password hash is never read.
 * - A role: MariaDB marks it `is_role = 'Y'` ("mysql.user Table"); a MySQL 8.0 role is an account created locked
 *   without a password ("Using Roles"), so a locked account without a password counts as a role there.
 * - Role grants live in `mysql.role_edges` on MySQL 8.0 (FROM_HOST, FROM_USER: the role; TO_HOST, TO_USER: the
 *   grantee; WITH_ADMIN_OPTION: 'N' or 'Y'; MySQL source, scripts/mysql_system_tables.sql) and in
 *   `mysql.roles_mapping` on MariaDB (Host, User: the grantee; Role; Admin_option; "mysql.roles_mapping Table").
 */
export async function mysqlState(
    client: SqlClient,
    mysqlFlavor: MysqlFlavor,
    markerRole: string,
    asked: readonly string[],
    users: readonly string[],
): Promise<CurrentState> {
    const mariadb = mysqlFlavor === "mariadb";
    const [me] = rowsOf(await client.query("SELECT CURRENT_USER() AS me"));
    const account = text(me.me);
    const sessionUser = account.slice(0, account.lastIndexOf("@"));
    const privColumns = rowsOf(
        await client.query(
            "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'mysql'" +
                " AND TABLE_NAME = 'user' AND COLUMN_NAME LIKE '%\\_priv' ORDER BY ORDINAL_POSITION",
        ),
    ).map((r) => text(r.name));
    const login = mariadb ? "is_role <> 'Y'" : "(account_locked <> 'Y' OR authentication_string <> '')";
    // MariaDB keeps the lock in mysql.global_priv's JSON (mysql.user, a view over it, has no such column).
    const locked = mariadb
        ? "IFNULL((SELECT JSON_VALUE(g.Priv, '$.account_locked') FROM mysql.global_priv g" +
          " WHERE g.User = u.User AND g.Host = u.Host), '') IN ('true', '1')"
        : "account_locked = 'Y'";
    const accounts = rowsOf(
        await client.query(
            `SELECT User AS name, Host AS host, ${login} AS login, ${locked} AS locked` +
                privColumns.map((c) => `, ${mysqlIdent(c)}`).join("") +
                " FROM mysql.user u ORDER BY 1, 2",
        ),
    );
    const dynamic = mariadb
        ? []
        : rowsOf(
              await client.query("SELECT USER AS name, HOST AS host, PRIV AS priv FROM mysql.global_grants"),
          );
    // The marker must hold nothing at any level (a member may `SET ROLE` to it): its schema and table grants too.
    const markerGrants = rowsOf(
        await client.query(
            "SELECT Db AS what FROM mysql.db WHERE User = ? UNION ALL" +
                " SELECT CONCAT(Db, '.', Table_name) FROM mysql.tables_priv WHERE User = ?",
            [markerRole, markerRole],
        ),
    ).map((r) => `privileges on ${text(r.what)}`);
    const roles = accounts.map((r) => {
        const name = text(r.name);
        const host = text(r.host);
        return {
            name,
            host,
            login: text(r.login) === "1",
            locked: text(r.locked) === "1",
            powers: [
                ...privColumns.filter((c) => text(r[c]) === "Y").map(privilegeName),
                ...dynamic
                    .filter((d) => text(d.name) === name && text(d.host) === host)
                    .map((d) => text(d.priv)),
                ...(name === markerRole ? markerGrants : []),
            ],
        };
    });
    const edges = rowsOf(
        await client.query(
            mariadb
                ? "SELECT Role AS role, '' AS role_host, User AS member, Host AS member_host, Admin_option AS admin FROM mysql.roles_mapping ORDER BY 1, 3, 4"
                : "SELECT FROM_USER AS role, FROM_HOST AS role_host, TO_USER AS member, TO_HOST AS member_host, WITH_ADMIN_OPTION AS admin FROM mysql.role_edges ORDER BY 1, 2, 3, 4",
        ),
    ).map((r) => ({
        role: text(r.role),
        roleHost: text(r.role_host),
        member: text(r.member),
        memberHost: text(r.member_host),
        adminOnly: text(r.admin) === "Y",
    }));
    const atAnyHost = new Set(roles.filter((r) => r.host === "%").map((r) => r.name));
    const wanted = new Set(users);
    return {
        sessionUser,
        existing: asked.filter((n) => atAnyHost.has(n)),
        marked: [
            ...new Set(
                edges
                    .filter((e) => e.role === markerRole && (e.roleHost === "%" || e.roleHost === ""))
                    .filter((e) => e.memberHost === "%" && !e.adminOnly && e.member !== sessionUser)
                    .map((e) => e.member),
            ),
        ].sort(),
        roleGrants: edges
            .filter((e) => wanted.has(e.member) && e.memberHost === "%")
            .map((e) => ({ user: e.member, role: e.role, host: e.roleHost })),
        catalog: { roles, edges },
    };
}

/** `Create_user_priv` → `CREATE USER`; `Grant_priv` → `GRANT OPTION`. */
function privilegeName(column: string): string {
    const name = column
        .replace(/_priv$/, "")
        .replace(/_/g, " ")
        .toUpperCase();
    return name === "GRANT" ? "GRANT OPTION" : name;
}
