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

/** The statements converging `input`'s users and locking `locked` (`usersToLockNow`), in order. */
export function postgresStatements(input: UsersInput, locked: readonly string[]): Statement[] {
    const marker = input.markerRole;
    // The marker: NOLOGIN, no privileges, no memberships; it only records which users this bootstrap manages.
    const out: Statement[] = [
        block([
            "BEGIN",
            `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${pgLiteral(marker)}) THEN`,
            `  CREATE ROLE ${pgIdent(marker)} NOLOGIN;`,
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
            "END IF;",
            ...login.body,
            `GRANT CONNECT ON DATABASE ${pgIdent(input.database)} TO ${pgIdent(u.name)};`,
            `IF NOT ${member(user, marker)} THEN`,
            `  GRANT ${pgIdent(marker)} TO ${pgIdent(u.name)};`,
            "END IF;",
        ];
        if (u.databaseRole !== undefined) {
            const role = pgLiteral(u.databaseRole);
            body.push(
                `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${role}) THEN`,
                `  RAISE EXCEPTION 'The database role % (databaseRole of user %) does not exist; create it first.', ${role}, ${user};`,
                "END IF;",
                `IF NOT ${member(user, u.databaseRole)} THEN`,
                `  GRANT ${pgIdent(u.databaseRole)} TO ${pgIdent(u.name)};`,
                "END IF;",
            );
        }
        // Memberships are config's: a role no longer named is revoked. Kept: rds_iam (the mode's, handled above),
        // the databaseRole, and every bootstrap's marker (this one's, and another bootstrap's on the same cluster).
        const keep = ["rds_iam", marker, ...(u.databaseRole === undefined ? [] : [u.databaseRole])].map(
            pgLiteral,
        );
        body.push(
            "FOR other IN SELECT r.rolname FROM pg_catalog.pg_auth_members m",
            "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member",
            `  WHERE u.rolname = ${user} AND r.rolname NOT IN (${keep.join(", ")})`,
            `  AND NOT pg_catalog.starts_with(r.rolname::text, ${pgLiteral(MARKER_ROLE_PREFIX)})`,
            "LOOP",
            `  EXECUTE pg_catalog.format('REVOKE %I FROM %I', other, ${user});`,
            "END LOOP;",
            "END",
        );
        out.push(block(body));
    }
    if (locked.length > 0) {
        // Locked, and released: the mark goes, so later runs leave the user alone until config names it again.
        out.push(
            block([
                "BEGIN",
                ...locked.flatMap((name) => [
                    `IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${pgLiteral(name)}) THEN`,
                    `  ALTER ROLE ${pgIdent(name)} WITH NOLOGIN;`,
                    "END IF;",
                    `IF ${member(pgLiteral(name), marker)} THEN`,
                    `  REVOKE ${pgIdent(marker)} FROM ${pgIdent(name)};`,
                    "END IF;",
                ]),
                "END",
            ]),
        );
    }
    return out;
}

/**
 * Reads what the plan starts from, with bound parameters only: the session user, which of `asked` exist, and the
 * members of `markerRole`. The catalogs `pg_roles` and `pg_auth_members` are readable by every role.
 */
export async function postgresState(
    client: SqlClient,
    markerRole: string,
    asked: readonly string[],
): Promise<CurrentState> {
    const [me] = rowsOf(await client.query("SELECT session_user AS me"));
    const existing = rowsOf(
        await client.query(
            "SELECT rolname AS name FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])",
            [asked],
        ),
    );
    const marked = rowsOf(
        await client.query(
            "SELECT DISTINCT u.rolname AS name FROM pg_catalog.pg_auth_members m" +
                " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
                " WHERE r.rolname = $1 AND NOT m.admin_option AND u.rolname <> session_user ORDER BY 1",
            [markerRole],
        ),
    );
    return {
        sessionUser: text(me.me),
        existing: existing.map((r) => text(r.name)),
        marked: marked.map((r) => text(r.name)),
        roleGrants: [],
    };
}
