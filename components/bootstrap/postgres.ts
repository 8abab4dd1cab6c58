/**
 * Aurora PostgreSQL: the bootstrap's statements and how it reads the cluster's current state, over any
 * `SqlClient` (the session itself is opened in session.ts: no driver here).
 *
 * PostgreSQL has no `CREATE ROLE IF NOT EXISTS`, so each user's statements are one PL/pgSQL `DO` block that tests
 * the catalog first, and a second run changes nothing. What the access mode means here is written once, in
 * `postgresLogin`.
 */
import { rowsOf, text, type SqlClient } from "./client";
import { loginBySecret } from "./input";
import { MARKER_ROLE_PREFIX } from "./names";
import { pgDollarQuote, pgIdent, pgLiteral } from "./quote";
import {
    plain,
    type ApplicationAuth,
    type ConsumerUser,
    type CurrentState,
    type Statement,
    type UsersInput,
} from "./types";

/** The PostgreSQL setting that carries a password from a bound parameter into a `DO` block, for one transaction. */
const PASSWORD_SETTING = "rds_cross_account.password";

/** The condition "the role named by the SQL literal `userLiteral` is a member of `role`". */
function member(userLiteral: string, role: string): string {
    return (
        "EXISTS (SELECT FROM pg_catalog.pg_auth_members m" +
        " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
        ` WHERE u.rolname = ${userLiteral} AND r.rolname = ${pgLiteral(role)})`
    );
}

/** One PL/pgSQL `DO` block of `body`'s lines. */
function block(body: readonly string[]): Statement {
    return plain(`DO ${pgDollarQuote(`\n${body.join("\n")}\n`)}`);
}

/**
 * Mode decision: how user `u` logs in under `mode`. Password mode: a statement before the user's block that
 * carries the password into the transaction, and block lines that set it and take `rds_iam` away. IAM mode: block
 * lines that take any password away and grant `rds_iam`.
 */
export function postgresLogin(
    mode: ApplicationAuth,
    u: ConsumerUser,
): { readonly before: Statement[]; readonly body: string[] } {
    const user = pgLiteral(u.name);
    if (loginBySecret(mode)) {
        return {
            before: [
                {
                    sql: `SELECT FROM pg_catalog.set_config('${PASSWORD_SETTING}', $1, true)`,
                    values: [u.password ?? ""],
                    shown: `SELECT FROM pg_catalog.set_config('${PASSWORD_SETTING}', $1, true) -- $1 = <redacted>`,
                    secrets: [u.password ?? ""],
                },
            ],
            body: [
                // The password is quoted by the server (format %L) and never part of a statement's text; an error
                // is re-raised without the failing statement, whose text would hold it.
                "BEGIN",
                `  EXECUTE pg_catalog.format('ALTER ROLE %I WITH LOGIN PASSWORD %L', ${user}, pg_catalog.current_setting('${PASSWORD_SETTING}'));`,
                "EXCEPTION WHEN OTHERS THEN",
                `  RAISE EXCEPTION 'Setting the password of role % failed: %', ${user}, SQLERRM USING ERRCODE = SQLSTATE;`,
                "END;",
                // A member of rds_iam can only log in with IAM on RDS: password mode takes it away.
                `IF ${member(user, "rds_iam")} THEN`,
                `  REVOKE rds_iam FROM ${pgIdent(u.name)};`,
                "END IF;",
            ],
        };
    }
    return {
        before: [],
        body: [
            `ALTER ROLE ${pgIdent(u.name)} WITH LOGIN PASSWORD NULL;`,
            `IF NOT ${member(user, "rds_iam")} THEN`,
            `  GRANT rds_iam TO ${pgIdent(u.name)};`,
            "END IF;",
        ],
    };
}

/**
 * The statements converging `input`'s users and locking `locked` (`usersToLockNow`), in order. `planUsers` runs
 * them only after tenancy.ts found nothing to refuse in the catalog.
 *
 * The mark: the marker is made a member *of* each managed user (`GRANT user TO marker`), never the other way
 * round. A member may `SET ROLE` to a role and use its privileges ([Role
 * Membership](https://www.postgresql.org/docs/current/role-membership.html)); a user is not a member of the
 * marker, so it can never become it, and the marker (NOLOGIN, NOINHERIT, held by nobody) is never a session's
 * role. The previous release's mark, the user as a member of the marker, is still found and replaced.
 */
export function postgresStatements(
    input: UsersInput,
    locked: readonly string[],
    markedNow: readonly string[],
): Statement[] {
    const marker = input.markerRole;
    const markerLiteral = pgLiteral(marker);
    const out: Statement[] = [
        block([
            "BEGIN",
            `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${markerLiteral}) THEN`,
            `  CREATE ROLE ${pgIdent(marker)} NOLOGIN NOINHERIT;`,
            `ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${markerLiteral} AND rolinherit) THEN`,
            `  ALTER ROLE ${pgIdent(marker)} NOINHERIT;`,
            "END IF;",
            "END",
        ]),
    ];
    for (const u of input.users) {
        const user = pgLiteral(u.name);
        const login = postgresLogin(input.applicationAuth, u);
        out.push(...login.before);
        const body: string[] = [
            "DECLARE other name;",
            "BEGIN",
            `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${user}) THEN`,
            `  CREATE ROLE ${pgIdent(u.name)};`,
            // An adopted (or hand-changed) user loses what a consumer must not have; SUPERUSER, REPLICATION and
            // BYPASSRLS are refused before the run (tenancy.ts): a CREATEROLE master cannot take them away.
            `ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${user} AND (rolcreaterole OR rolcreatedb)) THEN`,
            `  ALTER ROLE ${pgIdent(u.name)} WITH NOCREATEROLE NOCREATEDB;`,
            "END IF;",
            ...login.body,
            `GRANT CONNECT ON DATABASE ${pgIdent(input.database)} TO ${pgIdent(u.name)};`,
        ];
        if (u.databaseRole !== undefined) {
            body.push(
                `IF NOT ${member(user, u.databaseRole)} THEN`,
                `  GRANT ${pgIdent(u.databaseRole)} TO ${pgIdent(u.name)};`,
                "END IF;",
            );
        }
        // Memberships are config's: every other role the user is a member of is revoked, the previous release's
        // mark (the user in the marker) and any other bootstrap's included. Kept: rds_iam (the mode's, handled
        // above) and the databaseRole.
        const keep = ["rds_iam", ...(u.databaseRole === undefined ? [] : [u.databaseRole])].map(pgLiteral);
        body.push(
            "FOR other IN SELECT r.rolname FROM pg_catalog.pg_auth_members m",
            "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member",
            `  WHERE u.rolname = ${user} AND r.rolname NOT IN (${keep.join(", ")})`,
            "LOOP",
            `  EXECUTE pg_catalog.format('REVOKE %I FROM %I', other, ${user});`,
            "END LOOP;",
            // Another bootstrap's mark on an adopted user goes (one not adopted is refused first, tenancy.ts).
            "FOR other IN SELECT o.rolname FROM pg_catalog.pg_auth_members m",
            "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles o ON o.oid = m.member",
            `  WHERE r.rolname = ${user} AND o.rolname <> ${markerLiteral}`,
            `  AND pg_catalog.starts_with(o.rolname::text, ${pgLiteral(MARKER_ROLE_PREFIX)})`,
            "LOOP",
            `  EXECUTE pg_catalog.format('REVOKE %I FROM %I', ${user}, other);`,
            "END LOOP;",
            // Marked once the previous release's mark (the user in the marker) is gone: no circular membership.
            `IF NOT ${member(markerLiteral, u.name)} THEN`,
            `  GRANT ${pgIdent(u.name)} TO ${pgIdent(marker)};`,
            "END IF;",
            "END",
        );
        out.push(block(body));
    }
    if (locked.length > 0) {
        // Locked, and still marked (the mark moves to this release's form): a locked user stays this bootstrap's, so
        // no databaseRole may name it and re-adding its consumer takes it back. A listed user without a mark (of a
        // release before the mark) is only locked.
        const marked = new Set(markedNow);
        out.push(
            block([
                "BEGIN",
                ...locked.flatMap((name) => [
                    `IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${pgLiteral(name)}) THEN`,
                    `  ALTER ROLE ${pgIdent(name)} WITH NOLOGIN;`,
                    "END IF;",
                    ...(marked.has(name)
                        ? [
                              `IF ${member(pgLiteral(name), marker)} THEN`,
                              `  REVOKE ${pgIdent(marker)} FROM ${pgIdent(name)};`,
                              "END IF;",
                              `IF NOT ${member(markerLiteral, name)} THEN`,
                              `  GRANT ${pgIdent(name)} TO ${pgIdent(marker)};`,
                              "END IF;",
                          ]
                        : []),
                ]),
                "END",
            ]),
        );
    }
    return out;
}

const bool = (v: unknown): boolean => v === true || v === "t" || v === "true";

/**
 * Reads what the plan starts from, with no value from config in the SQL: the session user, every role with its
 * attributes, and every membership. `pg_roles` and `pg_auth_members` are readable by every role. A user is marked
 * when the marker is a member of it, or (the previous release's mark) when it is a member of the marker other
 * than by admin option (PostgreSQL 16 grants a role back to its non-superuser creator WITH ADMIN OPTION).
 */
export async function postgresState(
    client: SqlClient,
    markerRole: string,
    asked: readonly string[],
): Promise<CurrentState> {
    const [me] = rowsOf(await client.query("SELECT session_user AS me"));
    const sessionUser = text(me.me);
    const roles = rowsOf(
        await client.query(
            "SELECT rolname AS name, rolcanlogin AS login, rolsuper, rolcreaterole, rolcreatedb, rolreplication," +
                " rolbypassrls FROM pg_catalog.pg_roles ORDER BY 1",
        ),
    ).map((r) => ({
        name: text(r.name),
        host: "",
        login: bool(r.login),
        locked: !bool(r.login),
        powers: POSTGRES_POWERS.filter(([column]) => bool(r[column])).map(([, power]) => power),
    }));
    const edges = rowsOf(
        await client.query(
            "SELECT r.rolname AS role, u.rolname AS member, m.admin_option AS admin FROM pg_catalog.pg_auth_members m" +
                " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
                " ORDER BY 1, 2",
        ),
    ).map((r) => ({
        role: text(r.role),
        roleHost: "",
        member: text(r.member),
        memberHost: "",
        adminOnly: bool(r.admin),
    }));
    const names = new Set(roles.map((r) => r.name));
    const marked = new Set([
        ...edges.filter((e) => e.member === markerRole).map((e) => e.role),
        ...edges.filter((e) => e.role === markerRole && !e.adminOnly).map((e) => e.member),
    ]);
    marked.delete(sessionUser);
    return {
        sessionUser,
        existing: asked.filter((n) => names.has(n)),
        marked: [...marked].sort(),
        roleGrants: [],
        catalog: { roles, edges },
    };
}

/** The `pg_roles` attributes a consumer must not have, by column, as the checks name them. */
const POSTGRES_POWERS: readonly (readonly [string, string])[] = [
    ["rolsuper", "SUPERUSER"],
    ["rolcreaterole", "CREATEROLE"],
    ["rolcreatedb", "CREATEDB"],
    ["rolreplication", "REPLICATION"],
    ["rolbypassrls", "BYPASSRLS"],
];
