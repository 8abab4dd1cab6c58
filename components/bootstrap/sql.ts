/**
 * The database-user bootstrap's SQL: from the users config wants, the statements that create or update them,
 * idempotently, and lock the users of consumers removed from config. Pure (no Pulumi, no AWS, no driver): it runs
 * inside the bootstrap Lambda and in the real-database tests alike; `applyUsers` runs a plan over any client with
 * a `query(sql, values)` method (a `pg` Client, a `mysql2/promise` Connection).
 *
 * Every statement converges instead of assuming a starting state, so a second run changes nothing: PostgreSQL has
 * no `CREATE ROLE IF NOT EXISTS`, so each user's statements are one PL/pgSQL `DO` block that tests the catalog
 * first; MySQL has `CREATE USER IF NOT EXISTS` followed by an `ALTER USER` that sets every managed property.
 * Users are locked, never dropped: their objects and grants stay, and re-adding the consumer unlocks them.
 */
import type { Engine } from "../../vocabulary/engines";
import { argumentSurface, checkValue, problem, type Problem } from "../../vocabulary/rules";
import { databaseNameRule, databasePasswordRule, databaseRoleRule, databaseUserRule } from "./names";
import { mysqlAccount, mysqlLiteral, pgDollarQuote, pgIdent, pgLiteral } from "./quote";

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
    /** Users of consumers removed from config: locked if they exist. @default none */
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

/** The plan for `input`, after checking it; throws one error listing every problem. */
export function planUsers(input: UsersInput): UsersPlan {
    const problems = checkUsersInput(input);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
    return usersSql(input);
}

/**
 * The plan for `input` without checking it. Its quoting alone keeps any name a single token; `planUsers` is what
 * the bootstrap calls. Exported so that the tests can prove the quoting on names the rules would refuse.
 */
export function usersSql(input: UsersInput): UsersPlan {
    return input.engine === "aurora-postgresql"
        ? { engine: input.engine, transactional: true, statements: postgresStatements(input) }
        : { engine: input.engine, transactional: false, statements: mysqlStatements(input) };
}

function plain(sql: string): Statement {
    return { sql, shown: sql };
}

function postgresStatements(input: UsersInput): Statement[] {
    const out: Statement[] = [];
    for (const u of input.users) {
        const user = pgLiteral(u.name);
        const body: string[] = [
            "DECLARE other name;",
            "BEGIN",
            `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${user}) THEN`,
            `  CREATE ROLE ${pgIdent(u.name)};`,
            "END IF;",
        ];
        const member = (role: string) =>
            "EXISTS (SELECT FROM pg_catalog.pg_auth_members m" +
            " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
            ` WHERE u.rolname = ${user} AND r.rolname = ${pgLiteral(role)})`;
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
                `IF ${member("rds_iam")} THEN`,
                `  REVOKE rds_iam FROM ${pgIdent(u.name)};`,
                "END IF;",
            );
        } else {
            body.push(
                `ALTER ROLE ${pgIdent(u.name)} WITH LOGIN PASSWORD NULL;`,
                `IF NOT ${member("rds_iam")} THEN`,
                `  GRANT rds_iam TO ${pgIdent(u.name)};`,
                "END IF;",
            );
        }
        body.push(`GRANT CONNECT ON DATABASE ${pgIdent(input.database)} TO ${pgIdent(u.name)};`);
        if (u.databaseRole !== undefined) {
            const role = pgLiteral(u.databaseRole);
            body.push(
                `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${role}) THEN`,
                `  RAISE EXCEPTION 'The database role % (databaseRole of user %) does not exist; create it first.', ${role}, ${user};`,
                "END IF;",
                `IF NOT ${member(u.databaseRole)} THEN`,
                `  GRANT ${pgIdent(u.databaseRole)} TO ${pgIdent(u.name)};`,
                "END IF;",
            );
        }
        // Memberships are config's: a role no longer named is revoked (rds_iam is the mode's, handled above).
        const keep = ["rds_iam", ...(u.databaseRole === undefined ? [] : [u.databaseRole])].map(pgLiteral);
        body.push(
            "FOR other IN SELECT r.rolname FROM pg_catalog.pg_auth_members m",
            "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member",
            `  WHERE u.rolname = ${user} AND r.rolname NOT IN (${keep.join(", ")})`,
            "LOOP",
            `  EXECUTE pg_catalog.format('REVOKE %I FROM %I', other, ${user});`,
            "END LOOP;",
            "END",
        );
        out.push(plain(`DO ${pgDollarQuote(`\n${body.join("\n")}\n`)}`));
    }
    const locked = input.lockedUsers ?? [];
    if (locked.length > 0) {
        const body = [
            "BEGIN",
            ...locked.flatMap((name) => [
                `IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${pgLiteral(name)}) THEN`,
                `  ALTER ROLE ${pgIdent(name)} WITH NOLOGIN;`,
                "END IF;",
            ]),
            "END",
        ];
        out.push(plain(`DO ${pgDollarQuote(`\n${body.join("\n")}\n`)}`));
    }
    return out;
}

/** The documented IAM clause of Aurora MySQL: the user authenticates with an IAM token through RDS. */
const IAM_CLAUSE = "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'";

function mysqlStatements(input: UsersInput): Statement[] {
    const out: Statement[] = [];
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
        if (u.databaseRole !== undefined) {
            const role = mysqlLiteral(u.databaseRole);
            out.push(plain(`GRANT ${role} TO ${account}`));
            // MySQL 8.0 activates a granted role at login only when it is a default role.
            out.push(
                plain(
                    input.mysqlFlavor === "mariadb"
                        ? `SET DEFAULT ROLE ${role} FOR ${account}`
                        : `SET DEFAULT ROLE ALL TO ${account}`,
                ),
            );
        }
    }
    for (const name of input.lockedUsers ?? []) {
        out.push(plain(`ALTER USER IF EXISTS ${mysqlAccount(name)} ACCOUNT LOCK`));
    }
    return out;
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
