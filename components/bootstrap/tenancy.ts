/**
 * Tenants stay apart: what the bootstrap refuses once it has read the cluster's catalog, before its first change
 * (pure: `planUsers` calls it with what `currentState` read, and no statement runs when it finds a problem).
 *
 * - **Only its own users.** A configured user that exists without this bootstrap's mark (made by hand, by an
 *   earlier release before the mark, or marked by another bootstrap) is refused unless it is adopted (`adopt`).
 *   A user it manages or adopts must not hold what the master user cannot take away (PostgreSQL: SUPERUSER,
 *   REPLICATION, BYPASSRLS; MySQL: any privilege on `*.*`); CREATEROLE and CREATEDB are taken away by the plan, and
 *   so is every role membership other than the `databaseRole` (postgres.ts, mysql.ts).
 * - **MySQL: one account per user.** MySQL matches the most specific host first ("Access Control, Stage 1:
 *   Connection Verification", https://dev.mysql.com/doc/refman/8.0/en/connection-access.html), so a
 *   `'user'@'10.0.0.5'` next to the managed `'user'@'%'` would take precedence for clients from that address. A
 *   configured user with an account at another host is refused; a locked user is locked at every host (mysql.ts).
 * - **No server-level power through the `databaseRole`.** The role, and every role it is a member of (a member
 *   may `SET ROLE` to each, https://www.postgresql.org/docs/current/role-membership.html; MySQL 8.0 "Using
 *   Roles"), must be a role made for applications: not a login role or account (joining it is becoming another
 *   user), not a consumer's user (managed, locked or marked by any bootstrap), not a marker, not a predefined
 *   PostgreSQL role (`pg_*`: server programs and files, signalling other sessions, other sessions' query text,
 *   https://www.postgresql.org/docs/current/predefined-roles.html), not an RDS role (`rds*`), and without
 *   PostgreSQL's SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS, or any MySQL privilege on `*.*` or on
 *   a bootstrap's record (mysql.ts: a consumer that could change a record could make a bootstrap take over or
 *   lock any user).
 * - **The mark gives nothing.** The marker role (PostgreSQL's; on MySQL the previous release's, if it exists) must
 *   not log in nor hold any of those powers, and on MySQL it must hold no role. On MySQL the mark is a row of the
 *   bootstrap's record, which no consumer may reach: a managed user or a databaseRole holding a privilege on it is
 *   refused (as a power, above), and so is MariaDB's PUBLIC holding one, or any privilege on `*.*` (every account
 *   holds what PUBLIC holds).
 */
import { MARKER_ROLE_PREFIX } from "./names";
import { bootstrapSurface } from "./input";
import { problem, type Problem } from "../../vocabulary/rules";
import { protocolOf } from "../../vocabulary/engines";
import type { CatalogRole, CurrentState, UsersInput } from "./types";

/** Whether `input`'s engine speaks MySQL (accounts at hosts, MariaDB's included) rather than PostgreSQL. */
const isMysql = (input: UsersInput): boolean => protocolOf(input.engine) === "mysql";

/**
 * PostgreSQL attributes a CREATEROLE master cannot take away: "Roles having CREATEROLE privilege can change any of
 * these settings except SUPERUSER, REPLICATION, and BYPASSRLS; but only for non-superuser and non-replication
 * roles" (https://www.postgresql.org/docs/15/sql-alterrole.html). Such a user is refused.
 */
const PG_UNREMOVABLE = ["SUPERUSER", "REPLICATION", "BYPASSRLS"];

/** The roles and accounts of the catalog named `name`. */
function accountsOf(current: CurrentState, name: string): CatalogRole[] {
    return current.catalog.roles.filter((r) => r.name === name);
}

/**
 * The markers other than `marker` that mark `name`: as the previous release did (the user a member of the marker)
 * or as this one does (the marker a member of the user).
 */
function otherMarks(input: UsersInput, current: CurrentState, name: string): string[] {
    const { edges, marks = [] } = current.catalog;
    const foreign = (r: string) => r.startsWith(MARKER_ROLE_PREFIX) && r !== input.markerRole;
    return [
        ...new Set([
            ...edges.filter((e) => e.member === name && !e.adminOnly && foreign(e.role)).map((e) => e.role),
            ...edges.filter((e) => e.role === name && foreign(e.member)).map((e) => e.member),
            ...marks.filter((m) => m.user === name && foreign(m.marker)).map((m) => m.marker),
        ]),
    ].sort();
}

/** Every user some bootstrap manages or that config locks: what no databaseRole may be or reach. */
function consumerUsers(input: UsersInput, current: CurrentState): Set<string> {
    const byMark = current.catalog.edges.flatMap((e) => [
        ...(e.member.startsWith(MARKER_ROLE_PREFIX) && !e.role.startsWith(MARKER_ROLE_PREFIX)
            ? [e.role]
            : []),
        ...(e.role.startsWith(MARKER_ROLE_PREFIX) && !e.adminOnly ? [e.member] : []),
    ]);
    return new Set([
        ...input.users.map((u) => u.name),
        ...(input.lockedUsers ?? []),
        ...current.marked,
        ...[...byMark, ...(current.catalog.marks ?? []).map((m) => m.user)].filter(
            (n) => n !== current.sessionUser,
        ),
    ]);
}

/** The roles `role` (at `host`) is a member of, directly or not, itself included. */
function reachable(current: CurrentState, role: string, host: string): { name: string; host: string }[] {
    const seen = new Map<string, { name: string; host: string }>();
    const queue = [{ name: role, host }];
    while (queue.length > 0) {
        const next = queue.shift() as { name: string; host: string };
        const key = `${next.name}\u0000${next.host}`;
        if (seen.has(key)) continue;
        seen.set(key, next);
        for (const e of current.catalog.edges) {
            if (e.member === next.name && e.memberHost === next.host) {
                queue.push({ name: e.role, host: e.roleHost });
            }
        }
    }
    return [...seen.values()];
}

/** Why `r` (reached from a databaseRole) is not a role made for applications; empty when it is one. */
function roleFaults(input: UsersInput, consumers: Set<string>, r: CatalogRole): string[] {
    const faults: string[] = [];
    const name = JSON.stringify(r.name);
    if (r.name.startsWith(MARKER_ROLE_PREFIX)) faults.push(`${name} is a bootstrap's marker role`);
    else if (consumers.has(r.name)) faults.push(`${name} is a consumer's database user`);
    else if (r.login) faults.push(`${name} is a login ${isMysql(input) ? "account" : "role"}`);
    if (!isMysql(input) && r.name.startsWith("pg_")) faults.push(`${name} is a PostgreSQL predefined role`);
    if (r.name.startsWith("rds")) faults.push(`${name} is an RDS role`);
    if (r.powers.length > 0) faults.push(`${name} has ${r.powers.join(", ")}`);
    return faults;
}

/** The problems of `u`'s databaseRole `role` in the catalog. */
function databaseRoleProblems(
    input: UsersInput,
    current: CurrentState,
    consumers: Set<string>,
    role: string,
    path: string,
): Problem[] {
    const mysql = isMysql(input);
    const accounts = accountsOf(current, role).filter((r) => !mysql || r.host === "%" || r.host === "");
    if (accounts.length === 0) {
        return [
            problem(
                bootstrapSurface,
                path,
                role,
                "it must be an existing database role, and there is none of that name",
                `Create it first (CREATE ROLE ${role}), grant it the application's privileges, and run again.`,
            ),
        ];
    }
    const start = accounts.find((r) => !r.login) ?? accounts[0];
    const faults = reachable(current, start.name, start.host).flatMap((x) => {
        const found = current.catalog.roles.find((r) => r.name === x.name && r.host === x.host);
        return found === undefined ? [] : roleFaults(input, consumers, found);
    });
    if (faults.length === 0) return [];
    return [
        problem(
            bootstrapSurface,
            path,
            role,
            "it must be a role made for applications, as must every role it is a member of: no login, not a " +
                "consumer's user or a marker, not a predefined or RDS role, no server-level attribute or privilege " +
                `(${faults.join("; ")})`,
            "Grant the application's privileges to a role of its own (CREATE ROLE app_rw; GRANT … TO app_rw) and " +
                "name that role.",
        ),
    ];
}

/** The problems of configured user `i` as it exists in the catalog. */
function userProblems(input: UsersInput, current: CurrentState, i: number): Problem[] {
    const u = input.users[i];
    const path = `users[${i}].name`;
    const mysql = isMysql(input);
    const problems: Problem[] = [];
    const accounts = accountsOf(current, u.name);
    if (mysql) {
        const others = accounts.filter((r) => r.host !== "%");
        const hosts = others.map((r) => (r.host === "" ? "(a role)" : `'${r.host}'`));
        if (others.length > 0) {
            problems.push(
                problem(
                    bootstrapSurface,
                    path,
                    u.name,
                    `it must have no account but '${u.name}'@'%' (it also has ${hosts.join(", ")}, which a ` +
                        "client from that host would log in as, or which is a role)",
                    `Drop the other accounts (DROP USER '${u.name}'@'<host>'; DROP ROLE for a role), or choose another databaseUser.`,
                ),
            );
        }
    }
    const own = accounts.find((r) => !mysql || r.host === "%");
    if (own === undefined) return problems;
    if (!current.marked.includes(u.name) && u.adopt !== true) {
        const marks = otherMarks(input, current, u.name);
        const whose =
            marks.length > 0
                ? `it belongs to another bootstrap (marked by ${marks.join(", ")})`
                : "it has no mark";
        problems.push(
            problem(
                bootstrapSurface,
                path,
                u.name,
                `it must be a user this bootstrap created, and it exists already: ${whose}`,
                "Choose another databaseUser, or adopt it (adopt: its CREATEROLE and CREATEDB and every role " +
                    "membership but the databaseRole are taken away).",
            ),
        );
    }
    const kept = mysql ? own.powers : own.powers.filter((p) => PG_UNREMOVABLE.includes(p));
    if (kept.length > 0) {
        problems.push(
            problem(
                bootstrapSurface,
                path,
                u.name,
                `it must not hold what the master user cannot take away, and it has ${kept.join(", ")}`,
                mysql
                    ? `Revoke them first (REVOKE ALL PRIVILEGES, GRANT OPTION FROM '${u.name}'@'%' and grant its schema privileges again), or choose another databaseUser.`
                    : `Have a superuser remove them first (ALTER ROLE ${u.name} ${kept.map((p) => `NO${p}`).join(" ")}), or choose another databaseUser.`,
            ),
        );
    }
    return problems;
}

/**
 * The marker's problems: it must not log in, hold a power or (MySQL) a role; and (MariaDB) PUBLIC must hold no
 * power, for every account holds what PUBLIC holds, the record's readers and writers included.
 */
function markerProblems(input: UsersInput, current: CurrentState): Problem[] {
    const mysql = isMysql(input);
    const faults = accountsOf(current, input.markerRole).flatMap((r) => [
        ...(r.login ? ["it can log in"] : []),
        ...(r.powers.length > 0 ? [`it has ${r.powers.join(", ")}`] : []),
        ...current.catalog.edges
            .filter((e) => mysql && e.member === r.name && e.memberHost === r.host)
            .map((e) => `it holds the role "${e.role}"`),
    ]);
    // MariaDB 10.11's PUBLIC "represents every user on the server" ("System's Users, Roles, and Privileges",
    // https://mariadb.com/docs/server/security/user-account-management/roles/system-users-roles-and-privileges).
    const everyone = current.catalog.roles
        .filter((r) => mysql && r.name.toUpperCase() === "PUBLIC" && r.host === "")
        .flatMap((r) => r.powers);
    return [
        ...(faults.length === 0
            ? []
            : [
                  problem(
                      bootstrapSurface,
                      "markerRole",
                      input.markerRole,
                      `it must be a role that gives nothing to anyone (${faults.join("; ")})`,
                      "Drop the role by hand, or give this bootstrap another markerRole.",
                  ),
              ]),
        ...(everyone.length === 0
            ? []
            : [
                  problem(
                      bootstrapSurface,
                      "markerRole",
                      input.markerRole,
                      "it must name a record that no consumer can reach, and every account holds what PUBLIC " +
                          `holds: ${everyone.join(", ")}`,
                      "Revoke them from PUBLIC (REVOKE … FROM PUBLIC), and run again.",
                  ),
              ]),
    ];
}

/** Every tenancy problem of `input` against the catalog in `current`; empty when the run may change things. */
export function checkTenancy(input: UsersInput, current: CurrentState): Problem[] {
    const consumers = consumerUsers(input, current);
    return [
        ...markerProblems(input, current),
        ...input.users.flatMap((u, i) => [
            ...userProblems(input, current, i),
            ...(u.databaseRole === undefined
                ? []
                : databaseRoleProblems(
                      input,
                      current,
                      consumers,
                      u.databaseRole,
                      `users[${i}].databaseRole`,
                  )),
        ]),
    ];
}
