/**
 * The database-user bootstrap's SQL: from the users config wants and what the cluster holds now, the statements
 * that create or update them, idempotently, and lock the users of consumers removed from config. `currentState`
 * reads the cluster (parameterized queries, nothing written); `planUsers` is pure (no Pulumi, no AWS, no driver);
 * `applyUsers` runs a plan over any client with a `query(sql, values)` method (a `pg` Client, a `mysql2/promise`
 * Connection). They run inside the bootstrap Lambda and in the real-database tests alike.
 *
 * Every statement converges instead of assuming a starting state, so a second run changes nothing: PostgreSQL has
 * no `CREATE ROLE IF NOT EXISTS`, so each user's statements are one PL/pgSQL `DO` block that tests the catalog
 * first; MySQL has `CREATE USER IF NOT EXISTS` followed by an `ALTER USER` that sets every managed property.
 * Users are locked, never dropped: their objects and grants stay, and re-adding the consumer unlocks them.
 *
 * Which users are removed does not depend on the Invocation's previous input: every user the bootstrap manages is
 * a member of its marker role (a NOLOGIN role without privileges, `names.ts`), and every run locks the marked
 * users that config no longer names and takes the mark away from them. `lockedUsers` (and the handler's previous
 * input) still lock users created before the mark existed.
 */
import type { Engine } from "../../vocabulary/engines";
import { argumentSurface, checkValue, problem, type Problem } from "../../vocabulary/rules";
import {
    databaseNameRule,
    databasePasswordRule,
    databaseRoleRule,
    databaseUserRule,
    MARKER_ROLE_PREFIX,
    markerRoleRule,
} from "./names";
import { mysqlAccount, mysqlAccountAt, mysqlLiteral, pgDollarQuote, pgIdent, pgLiteral } from "./quote";

/** How applications authenticate: IAM database authentication through RDS Proxy, or a password per consumer. */
export type ApplicationAuth = "iam" | "password";

/** One consumer's database user. */
export interface ConsumerUser {
    /** The database user's name. */
    readonly name: string;
    /** The user's password, in password mode only (read from the consumer's secret). */
    readonly password?: string;
    /** An existing database role the user becomes a member of. @default none: the user may connect only */
    readonly databaseRole?: string;
}

/** What the bootstrap is asked to converge to. */
export interface UsersInput {
    readonly engine: Engine;
    readonly applicationAuth: ApplicationAuth;
    /** The application database the users may connect to (PostgreSQL `GRANT CONNECT`). */
    readonly database: string;
    /** The users of the consumers in config. */
    readonly users: readonly ConsumerUser[];
    /**
     * The bootstrap's marker role (`markerRoleRule`): created if missing, granted to every user in `users`; its
     * members that `users` no longer names are locked and lose it.
     */
    readonly markerRole: string;
    /**
     * Users to lock besides the marked ones config no longer names: users of consumers removed from config, also
     * those created before the marker existed. Locked if they exist. @default none
     */
    readonly lockedUsers?: readonly string[];
    /**
     * The MySQL server family. Aurora MySQL 3 is MySQL 8.0; MariaDB (the local test server) differs in one
     * statement only, the one that makes a granted role active at login. @default "mysql"
     */
    readonly mysqlFlavor?: "mysql" | "mariadb";
}

/** One statement of a plan. */
export interface Statement {
    /** The SQL text; a MySQL password is in it as an escaped literal (MySQL takes no placeholder there). */
    readonly sql: string;
    /** Bound parameters ($1, $2 …), PostgreSQL only. */
    readonly values?: readonly string[];
    /** The statement as it may be logged or shown in an error: without any password. */
    readonly shown: string;
    /** Values that must never appear in a log or an error message. */
    readonly secrets?: readonly string[];
}

/** The statements for one engine, in order. */
export interface UsersPlan {
    readonly engine: Engine;
    /** True when the plan must run in one transaction (PostgreSQL: the password setting is transaction-local). */
    readonly transactional: boolean;
    readonly statements: readonly Statement[];
}

/** One role granted to a user on MySQL: the role's name and host (`""` for a MariaDB role, which has none). */
export interface RoleGrant {
    readonly user: string;
    readonly role: string;
    readonly host: string;
}

/** What the cluster holds now, as `currentState` reads it: what the plan starts from. */
export interface CurrentState {
    /** The user the bootstrap is connected as (the master user): never configured, locked or unmarked. */
    readonly sessionUser: string;
    /** Which of the names asked about exist as users (MySQL: at host `%`). */
    readonly existing: readonly string[];
    /**
     * The users that are members of the marker role, other than the session user and other than by admin option
     * (PostgreSQL 16 grants a role WITH ADMIN OPTION to its non-superuser creator, MariaDB records its creator with
     * `Admin_option = 'Y'`: that is the master user, never a consumer).
     */
    readonly marked: readonly string[];
    /** MySQL only: every role granted to the configured users (PostgreSQL revokes inside its `DO` block). */
    readonly roleGrants: readonly RoleGrant[];
}

/** The name the bootstrap's input is reported under. */
const surface = argumentSurface("Database user bootstrap", "input");

/** The PostgreSQL setting that carries a password from a bound parameter into a `DO` block, for one transaction. */
const PASSWORD_SETTING = "rds_cross_account.password";

/** Every problem of `input`, in the project's message format; empty when it is valid. */
export function checkUsersInput(input: UsersInput): Problem[] {
    const problems: Problem[] = [];
    const { engine } = input;
    if (input.applicationAuth !== "iam" && input.applicationAuth !== "password") {
        problems.push(
            problem(
                surface,
                "applicationAuth",
                input.applicationAuth,
                'it must be "iam" or "password"',
                'Pass "iam".',
            ),
        );
    }
    checkValue(surface, problems, "database", input.database, databaseNameRule(engine));
    checkValue(surface, problems, "markerRole", input.markerRole, markerRoleRule);
    const seen = new Set<string>();
    input.users.forEach((u, i) => {
        const name = checkValue(surface, problems, `users[${i}].name`, u.name, databaseUserRule(engine));
        if (name !== undefined && seen.has(name)) {
            problems.push(
                problem(
                    surface,
                    `users[${i}].name`,
                    name,
                    "it must differ from every other user",
                    "Give each consumer its own database user.",
                ),
            );
        }
        if (name !== undefined) seen.add(name);
        if (u.databaseRole !== undefined) {
            // The rule also refuses the marker roles' prefix: no user may be, or join, a marker.
            checkValue(
                surface,
                problems,
                `users[${i}].databaseRole`,
                u.databaseRole,
                databaseRoleRule(engine),
            );
        }
        if (input.applicationAuth === "password") {
            // The value itself is never rendered: a message must not carry a password.
            if (!databasePasswordRule.schema.safeParse(u.password).success) {
                problems.push(
                    problem(
                        surface,
                        `users[${i}].password`,
                        u.password === undefined ? undefined : "(hidden)",
                        `it must be ${databasePasswordRule.must}`,
                        "Generate the password without the excluded characters.",
                    ),
                );
            }
        } else if (u.password !== undefined) {
            problems.push(
                problem(
                    surface,
                    `users[${i}].password`,
                    "(hidden)",
                    "it must not be set in iam mode",
                    "Leave it out.",
                ),
            );
        }
    });
    (input.lockedUsers ?? []).forEach((name, i) => {
        const ok = checkValue(surface, problems, `lockedUsers[${i}]`, name, databaseUserRule(engine));
        if (ok !== undefined && seen.has(ok)) {
            problems.push(
                problem(
                    surface,
                    `lockedUsers[${i}]`,
                    ok,
                    "it must not also be a current user",
                    "Remove it from one list.",
                ),
            );
        }
    });
    return problems;
}

/** The problems of `input` against `current`: no configured or locked user may be the session (master) user. */
export function checkAgainstState(input: UsersInput, current: CurrentState): Problem[] {
    const problems: Problem[] = [];
    const self = (path: string, name: string) => {
        if (name === current.sessionUser) {
            problems.push(
                problem(
                    surface,
                    path,
                    name,
                    "it must not be the user the bootstrap connects as (the cluster's master user)",
                    "Give the consumer a database user of its own.",
                ),
            );
        }
    };
    input.users.forEach((u, i) => self(`users[${i}].name`, u.name));
    (input.lockedUsers ?? []).forEach((name, i) => self(`lockedUsers[${i}]`, name));
    return problems;
}

/**
 * The users a run locks: `lockedUsers`, and the marked users that config no longer names; never a configured
 * user, never the session user.
 */
export function usersToLockNow(input: UsersInput, current: CurrentState): string[] {
    const keep = new Set([...input.users.map((u) => u.name), current.sessionUser]);
    return [...new Set([...(input.lockedUsers ?? []), ...current.marked])].filter((n) => !keep.has(n));
}

/**
 * The plan for `input` from `current` (what `currentState` read), after checking both; throws one error listing
 * every problem.
 */
export function planUsers(input: UsersInput, current: CurrentState): UsersPlan {
    const problems = [...checkUsersInput(input), ...checkAgainstState(input, current)];
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
    return usersSql(input, current);
}

/**
 * The plan for `input` from `current` without checking them. Its quoting alone keeps any name a single token;
 * `planUsers` is what the bootstrap calls. Exported so that the tests can prove the quoting on names the rules
 * would refuse.
 */
export function usersSql(input: UsersInput, current: CurrentState): UsersPlan {
    return input.engine === "aurora-postgresql"
        ? { engine: input.engine, transactional: true, statements: postgresStatements(input, current) }
        : { engine: input.engine, transactional: false, statements: mysqlStatements(input, current) };
}

function plain(sql: string): Statement {
    return { sql, shown: sql };
}

function postgresStatements(input: UsersInput, current: CurrentState): Statement[] {
    const marker = input.markerRole;
    const member = (userLiteral: string, role: string) =>
        "EXISTS (SELECT FROM pg_catalog.pg_auth_members m" +
        " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
        ` WHERE u.rolname = ${userLiteral} AND r.rolname = ${pgLiteral(role)})`;
    const block = (body: readonly string[]) => plain(`DO ${pgDollarQuote(`\n${body.join("\n")}\n`)}`);
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
        const body: string[] = [
            "DECLARE other name;",
            "BEGIN",
            `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${user}) THEN`,
            `  CREATE ROLE ${pgIdent(u.name)};`,
            "END IF;",
        ];
        if (input.applicationAuth === "password") {
            out.push({
                sql: `SELECT FROM pg_catalog.set_config('${PASSWORD_SETTING}', $1, true)`,
                values: [u.password ?? ""],
                shown: `SELECT FROM pg_catalog.set_config('${PASSWORD_SETTING}', $1, true) -- $1 = <redacted>`,
                secrets: [u.password ?? ""],
            });
            body.push(
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
            );
        } else {
            body.push(
                `ALTER ROLE ${pgIdent(u.name)} WITH LOGIN PASSWORD NULL;`,
                `IF NOT ${member(user, "rds_iam")} THEN`,
                `  GRANT rds_iam TO ${pgIdent(u.name)};`,
                "END IF;",
            );
        }
        body.push(
            `GRANT CONNECT ON DATABASE ${pgIdent(input.database)} TO ${pgIdent(u.name)};`,
            `IF NOT ${member(user, marker)} THEN`,
            `  GRANT ${pgIdent(marker)} TO ${pgIdent(u.name)};`,
            "END IF;",
        );
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
    const locked = usersToLockNow(input, current);
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

/** The documented IAM clause of Aurora MySQL: the user authenticates with an IAM token through RDS. */
const IAM_CLAUSE = "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'";

function mysqlStatements(input: UsersInput, current: CurrentState): Statement[] {
    const mariadb = input.mysqlFlavor === "mariadb";
    const marker = mysqlLiteral(input.markerRole);
    // MySQL 8.0 roles are accounts: `'marker'` is `'marker'@'%'`, created locked and without a password, so nobody
    // logs in as it (MySQL 8.0, "Using Roles"); a MariaDB role cannot log in at all.
    const out: Statement[] = [plain(`CREATE ROLE IF NOT EXISTS ${marker}`)];
    for (const u of input.users) {
        const account = mysqlAccount(u.name);
        if (input.applicationAuth === "password") {
            const password = u.password ?? "";
            const withPassword = (sql: (auth: string) => string): Statement => ({
                sql: sql(`IDENTIFIED BY ${mysqlLiteral(password)}`),
                shown: sql("IDENTIFIED BY '<redacted>'"),
                secrets: [password],
            });
            out.push(withPassword((auth) => `CREATE USER IF NOT EXISTS ${account} ${auth} REQUIRE SSL`));
            out.push(withPassword((auth) => `ALTER USER ${account} ${auth} REQUIRE SSL ACCOUNT UNLOCK`));
        } else {
            out.push(plain(`CREATE USER IF NOT EXISTS ${account} ${IAM_CLAUSE} REQUIRE SSL`));
            out.push(plain(`ALTER USER ${account} ${IAM_CLAUSE} REQUIRE SSL ACCOUNT UNLOCK`));
        }
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
    for (const name of usersToLockNow(input, current)) {
        out.push(plain(`ALTER USER IF EXISTS ${mysqlAccount(name)} ACCOUNT LOCK`));
        if (marked.has(name)) out.push(plain(`REVOKE ${marker} FROM ${mysqlAccount(name)}`));
    }
    return out;
}

/** The rows of a query's result: a `pg` result's `rows`, or the first element of a `mysql2` `[rows, fields]`. */
function rowsOf(result: unknown): Record<string, unknown>[] {
    const rows = Array.isArray(result) ? result[0] : (result as { rows?: unknown })?.rows;
    if (!Array.isArray(rows)) throw new Error("The database client returned no rows for a catalog query.");
    return rows as Record<string, unknown>[];
}

/** A catalog value as a string: MySQL's binary-collated name columns may arrive as Buffers. */
const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString("utf8") : String(v));

/**
 * Reads what the plan starts from, with bound parameters only: the session user, which of `names` exist, the
 * members of `markerRole`, and (MySQL) the roles granted to `users`. The master user may read all of it: the
 * PostgreSQL catalogs `pg_roles` and `pg_auth_members` are readable by every role, and the Aurora MySQL 3 master
 * user holds `SELECT` on every table ("Master user account privileges", Amazon Aurora User Guide), so also on
 * `mysql.user` and `mysql.role_edges`.
 *
 * Role grants live in `mysql.role_edges` on MySQL 8.0 (FROM_HOST, FROM_USER: the role; TO_HOST, TO_USER: the
 * grantee; WITH_ADMIN_OPTION: 'N' or 'Y'; MySQL source, scripts/mysql_system_tables.sql) and in
 * `mysql.roles_mapping` on MariaDB (Host, User: the grantee; Role; Admin_option; MariaDB, "mysql.roles_mapping
 * Table").
 */
export async function currentState(
    client: SqlClient,
    engine: Engine,
    mysqlFlavor: "mysql" | "mariadb" | undefined,
    markerRole: string,
    names: readonly string[],
    users: readonly string[],
): Promise<CurrentState> {
    const asked = [...new Set(names)];
    if (engine === "aurora-postgresql") {
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

/** The one method of a database client the runner needs; `pg` Clients and `mysql2/promise` Connections have it. */
export interface SqlClient {
    query(sql: string, values?: unknown[]): Promise<unknown>;
}

/** Replaces every secret (and its quoted forms) in `text`. */
function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets.filter((x) => x.length > 0)) {
        for (const form of [
            mysqlLiteral(s).slice(1, -1),
            pgLiteral(s)
                .trim()
                .replace(/^E?'|'$/g, ""),
            s,
        ]) {
            out = out.split(form).join("<redacted>");
        }
    }
    return out;
}

/**
 * Runs `plan` in order on `client` (PostgreSQL: in one transaction, rolled back on failure). A failure names the
 * statement as `shown` and never carries a password.
 */
export async function applyUsers(client: SqlClient, plan: UsersPlan): Promise<{ statements: number }> {
    if (plan.transactional) await client.query("BEGIN");
    let done = 0;
    try {
        for (const st of plan.statements) {
            try {
                await (st.values === undefined ? client.query(st.sql) : client.query(st.sql, [...st.values]));
            } catch (err) {
                const message = redact(err instanceof Error ? err.message : String(err), st.secrets ?? []);
                throw new Error(
                    `Statement ${done + 1} of ${plan.statements.length} of the database user bootstrap failed: ${message}\nStatement: ${st.shown}`,
                );
            }
            done++;
        }
        if (plan.transactional) await client.query("COMMIT");
    } catch (err) {
        if (plan.transactional) await client.query("ROLLBACK").catch(() => undefined);
        throw err;
    }
    return { statements: done };
}

/** The users to lock: those of the previous run that are no longer in config. */
export function removedUsers(previous: readonly string[], current: readonly string[]): string[] {
    const keep = new Set(current);
    return [...new Set(previous)].filter((name) => !keep.has(name));
}
