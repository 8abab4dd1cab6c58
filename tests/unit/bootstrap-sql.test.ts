/**
 * The bootstrap's SQL as text: the rules refuse bad names with the project's message, the quoting makes any
 * string one token, and each engine and mode produces exactly the documented statements. That the statements do
 * what they say on a server is proven in tests/integration/bootstrap-sql.test.ts.
 */
import * as assert from "node:assert/strict";
import { databasePasswordRule, databaseRoleRule, databaseUserRule } from "../../components/bootstrap/names";
import {
    mysqlAccount,
    mysqlIdent,
    mysqlLiteral,
    pgDollarQuote,
    pgIdent,
    pgLiteral,
} from "../../components/bootstrap/quote";
import {
    applyUsers,
    checkUsersInput,
    planUsers,
    removedUsers,
    usersSql,
    type UsersInput,
} from "../../components/bootstrap/sql";

const PASSWORD = "Zx8#kLq2!vW9$mRt4&pN";

describe("bootstrap quoting", () => {
    const cases: [string, string, string, string, string][] = [
        // value, pgIdent, pgLiteral, mysqlIdent, mysqlLiteral
        ["app", '"app"', "'app'", "`app`", "'app'"],
        ['a"b', '"a""b"', "'a\"b'", '`a"b`', "'a\"b'"],
        ["it's", '"it\'s"', "'it''s'", "`it's`", "'it''s'"],
        ["a`b", '"a`b"', "'a`b'", "`a``b`", "'a`b'"],
        ["a\\b", '"a\\b"', " E'a\\\\b'", "`a\\b`", "'a\\\\b'"],
        [
            '"; DROP TABLE x; --',
            '"""; DROP TABLE x; --"',
            "'\"; DROP TABLE x; --'",
            '`"; DROP TABLE x; --`',
            "'\"; DROP TABLE x; --'",
        ],
        [
            "'); DROP USER root; --",
            '"\'); DROP USER root; --"',
            "'''); DROP USER root; --'",
            "`'); DROP USER root; --`",
            "'''); DROP USER root; --'",
        ],
        ["ünï cödé", '"ünï cödé"', "'ünï cödé'", "`ünï cödé`", "'ünï cödé'"],
    ];
    for (const [value, pi, pl, mi, ml] of cases) {
        it(`quotes ${JSON.stringify(value)}`, () => {
            assert.equal(pgIdent(value), pi);
            assert.equal(pgLiteral(value), pl);
            assert.equal(mysqlIdent(value), mi);
            assert.equal(mysqlLiteral(value), ml);
        });
    }

    it("refuses NUL, which neither engine can hold", () => {
        for (const f of [pgIdent, pgLiteral, mysqlIdent, mysqlLiteral]) {
            assert.throws(() => f("a\0b"), /cannot contain the NUL character/);
        }
    });

    it("writes MySQL accounts for any host", () => {
        assert.equal(mysqlAccount("o'k"), "'o''k'@'%'");
    });

    it("picks a dollar-quote tag that nothing in the body can close", () => {
        assert.equal(pgDollarQuote(" x "), "$rcx$ x $rcx$");
        assert.equal(pgDollarQuote(" $rcx$ "), "$rcx1$ $rcx$ $rcx1$");
        // A body ending in "$rcx" would let the closing "$rcx$" start one character early.
        assert.equal(pgDollarQuote(" a$rcx"), "$rcx1$ a$rcx$rcx1$");
    });
});

describe("bootstrap name rules", () => {
    const user = (engine: "aurora-postgresql" | "aurora-mysql", v: unknown) =>
        databaseUserRule(engine).schema.safeParse(v).success;
    it("accepts plain lowercase names up to the engine's limit", () => {
        for (const v of ["orders_app", "a", "a1_b2", "x".repeat(63)])
            assert.equal(user("aurora-postgresql", v), true, v);
        for (const v of ["orders_app", "x".repeat(32)]) assert.equal(user("aurora-mysql", v), true, v);
    });
    it("refuses quotes, spaces, punctuation, unicode, upper case, over-long and reserved names", () => {
        const bad = [
            "",
            "a b",
            'a"b',
            "it's",
            "a`b",
            "a;b",
            '"; DROP TABLE x; --',
            "'); DROP USER root; --",
            "ünï",
            "Orders",
            "1app",
            "_app",
            "a-b",
            "a*",
            "x".repeat(64),
            "pg_app",
            "rds_iam",
            "rdsadmin",
            "public",
            "none",
            42,
            undefined,
        ];
        for (const v of bad) assert.equal(user("aurora-postgresql", v), false, String(v));
        for (const v of ["x".repeat(33), "root", "mysql", "rdsproxyadmin", "a'b"]) {
            assert.equal(user("aurora-mysql", v), false, v);
        }
    });
    it("lets a role be one of PostgreSQL's predefined roles, never one of RDS's", () => {
        const role = databaseRoleRule("aurora-postgresql").schema;
        assert.equal(role.safeParse("pg_read_all_data").success, true);
        assert.equal(role.safeParse("rds_superuser").success, false);
        assert.equal(role.safeParse("app_readwrite").success, true);
    });
    it("refuses passwords with characters that are special in SQL or a connection string", () => {
        assert.equal(databasePasswordRule.schema.safeParse(PASSWORD).success, true);
        for (const v of [
            "short",
            `${PASSWORD}'`,
            `${PASSWORD}"`,
            `${PASSWORD}\\`,
            `${PASSWORD}/`,
            `${PASSWORD}@`,
            `${PASSWORD} `,
        ]) {
            assert.equal(databasePasswordRule.schema.safeParse(v).success, false, v);
        }
    });
});

describe("bootstrap input check", () => {
    const base: UsersInput = {
        engine: "aurora-postgresql",
        applicationAuth: "password",
        database: "appdb",
        users: [{ name: "orders_app", password: PASSWORD }],
    };
    it("reports every problem at once, in the project's message format, never showing a password", () => {
        const problems = checkUsersInput({
            ...base,
            users: [
                { name: '"; DROP TABLE x; --', password: "bad'pw" },
                { name: "orders_app", password: PASSWORD, databaseRole: "rds_superuser" },
                { name: "orders_app", password: PASSWORD },
            ],
            lockedUsers: ["orders_app"],
        });
        assert.deepEqual(
            problems.map((p) => p.path),
            [
                "users[0].name",
                "users[0].password",
                "users[1].databaseRole",
                "users[2].name",
                "lockedUsers[0]",
            ],
        );
        assert.equal(
            problems[0].message,
            'Database user bootstrap input \'users[0].name\' is "\\"; DROP TABLE x; --", but it must be a database user name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_" or "rds" and not "public" or "none". Pass such a value, for example "orders_app".',
        );
        assert.equal(
            problems[1].message,
            "Database user bootstrap input 'users[0].password' is \"(hidden)\", but it must be 16-128 printable ASCII characters other than space, ', \", \\, / and @. Generate the password without the excluded characters.",
        );
        assert.ok(!problems.some((p) => p.message.includes("bad'pw")));
    });
    it("refuses a password in iam mode and a missing one in password mode", () => {
        assert.deepEqual(
            checkUsersInput({ ...base, applicationAuth: "iam" }).map((p) => p.message),
            [
                "Database user bootstrap input 'users[0].password' is \"(hidden)\", but it must not be set in iam mode. Leave it out.",
            ],
        );
        assert.deepEqual(
            checkUsersInput({ ...base, users: [{ name: "orders_app" }] }).map((p) => p.path),
            ["users[0].password"],
        );
    });
    it("planUsers throws with every message and makes no SQL for a bad name", () => {
        assert.throws(
            () =>
                planUsers({ ...base, engine: "aurora-mysql", users: [{ name: "a'b", password: PASSWORD }] }),
            /Database user bootstrap input 'users\[0\]\.name' is "a'b", but it must be a database user name of 1-32/,
        );
    });
    it("locks the users of removed consumers only", () => {
        assert.deepEqual(removedUsers(["a", "b", "c", "b"], ["c", "d"]), ["a", "b"]);
    });
});

describe("bootstrap SQL per engine and mode", () => {
    it("PostgreSQL, password mode: the password is a bound parameter, quoted by the server", () => {
        const plan = planUsers({
            engine: "aurora-postgresql",
            applicationAuth: "password",
            database: "appdb",
            users: [{ name: "orders_app", password: PASSWORD, databaseRole: "app_rw" }],
            lockedUsers: ["gone_app"],
        });
        assert.equal(plan.transactional, true);
        assert.equal(plan.statements.length, 3);
        const [set, user, lock] = plan.statements;
        assert.equal(set.sql, "SELECT FROM pg_catalog.set_config('rds_cross_account.password', $1, true)");
        assert.deepEqual(set.values, [PASSWORD]);
        assert.ok(!set.shown.includes(PASSWORD));
        for (const st of plan.statements)
            assert.ok(!st.sql.includes(PASSWORD), "no statement text holds the password");
        assert.ok(user.sql.startsWith("DO $rcx$\n"));
        for (const line of [
            "IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'orders_app') THEN\n  CREATE ROLE \"orders_app\";\nEND IF;",
            "  EXECUTE pg_catalog.format('ALTER ROLE %I WITH LOGIN PASSWORD %L', 'orders_app', pg_catalog.current_setting('rds_cross_account.password'));",
            '  REVOKE rds_iam FROM "orders_app";',
            'GRANT CONNECT ON DATABASE "appdb" TO "orders_app";',
            '  GRANT "app_rw" TO "orders_app";',
            "  WHERE u.rolname = 'orders_app' AND r.rolname NOT IN ('rds_iam', 'app_rw')",
        ]) {
            assert.ok(user.sql.includes(line), line);
        }
        assert.equal(
            lock.sql,
            "DO $rcx$\nBEGIN\nIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'gone_app') THEN\n  ALTER ROLE \"gone_app\" WITH NOLOGIN;\nEND IF;\nEND\n$rcx$",
        );
    });

    it("PostgreSQL, iam mode: rds_iam granted, no password", () => {
        const [user] = planUsers({
            engine: "aurora-postgresql",
            applicationAuth: "iam",
            database: "appdb",
            users: [{ name: "orders_app" }],
        }).statements;
        assert.equal(user.values, undefined);
        assert.ok(user.sql.includes('ALTER ROLE "orders_app" WITH LOGIN PASSWORD NULL;'));
        assert.ok(user.sql.includes('  GRANT rds_iam TO "orders_app";'));
        assert.ok(!user.sql.includes("REVOKE rds_iam"));
    });

    it("MySQL, password mode: an escaped literal, shown redacted", () => {
        const plan = planUsers({
            engine: "aurora-mysql",
            applicationAuth: "password",
            database: "appdb",
            users: [{ name: "orders_app", password: PASSWORD, databaseRole: "app_rw" }],
            lockedUsers: ["gone_app"],
        });
        assert.equal(plan.transactional, false);
        assert.deepEqual(
            plan.statements.map((s) => s.sql),
            [
                `CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE SSL`,
                `ALTER USER 'orders_app'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE SSL ACCOUNT UNLOCK`,
                "GRANT 'app_rw' TO 'orders_app'@'%'",
                "SET DEFAULT ROLE ALL TO 'orders_app'@'%'",
                "ALTER USER IF EXISTS 'gone_app'@'%' ACCOUNT LOCK",
            ],
        );
        assert.equal(
            plan.statements[0].shown,
            "CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED BY '<redacted>' REQUIRE SSL",
        );
    });

    it("MySQL, iam mode: AWSAuthenticationPlugin, exactly as AWS documents it", () => {
        const plan = planUsers({
            engine: "aurora-mysql",
            applicationAuth: "iam",
            database: "appdb",
            users: [{ name: "orders_app" }],
        });
        assert.deepEqual(
            plan.statements.map((s) => s.sql),
            [
                "CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
                "ALTER USER 'orders_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
            ],
        );
    });

    it("MariaDB (the local stand-in) differs only in how a role becomes a default role", () => {
        const input: UsersInput = {
            engine: "aurora-mysql",
            applicationAuth: "iam",
            database: "appdb",
            users: [{ name: "orders_app", databaseRole: "app_rw" }],
        };
        const mysql = usersSql(input).statements.map((s) => s.sql);
        const maria = usersSql({ ...input, mysqlFlavor: "mariadb" }).statements.map((s) => s.sql);
        assert.deepEqual(maria.slice(0, 3), mysql.slice(0, 3));
        assert.equal(mysql[3], "SET DEFAULT ROLE ALL TO 'orders_app'@'%'");
        assert.equal(maria[3], "SET DEFAULT ROLE 'app_rw' FOR 'orders_app'@'%'");
    });

    it("quotes injection attempts into single tokens even without the rules", () => {
        const evil = "x'); DROP USER root; --";
        const [create] = usersSql({
            engine: "aurora-mysql",
            applicationAuth: "iam",
            database: "appdb",
            users: [{ name: evil }],
        }).statements;
        assert.equal(
            create.sql,
            "CREATE USER IF NOT EXISTS 'x''); DROP USER root; --'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
        );
    });
});

describe("applyUsers", () => {
    it("runs a PostgreSQL plan in one transaction and binds the password", async () => {
        const calls: [string, unknown[] | undefined][] = [];
        const client = { query: async (sql: string, values?: unknown[]) => void calls.push([sql, values]) };
        const plan = planUsers({
            engine: "aurora-postgresql",
            applicationAuth: "password",
            database: "appdb",
            users: [{ name: "orders_app", password: PASSWORD }],
        });
        assert.deepEqual(await applyUsers(client, plan), { statements: 2 });
        assert.deepEqual(
            calls.map(([sql, values]) => [sql.split("\n")[0], values]),
            [
                ["BEGIN", undefined],
                ["SELECT FROM pg_catalog.set_config('rds_cross_account.password', $1, true)", [PASSWORD]],
                ["DO $rcx$", undefined],
                ["COMMIT", undefined],
            ],
        );
    });
    it("rolls back, names the failing statement and never repeats the password", async () => {
        const calls: string[] = [];
        const client = {
            query: async (sql: string) => {
                calls.push(sql);
                if (sql.startsWith("ALTER USER"))
                    throw new Error(`syntax error near '${PASSWORD}' REQUIRE SSL`);
            },
        };
        const plan = planUsers({
            engine: "aurora-mysql",
            applicationAuth: "password",
            database: "appdb",
            users: [{ name: "orders_app", password: PASSWORD }],
        });
        await assert.rejects(applyUsers(client, plan), (err: Error) => {
            assert.equal(
                err.message,
                "Statement 2 of 2 of the database user bootstrap failed: syntax error near '<redacted>' REQUIRE SSL\n" +
                    "Statement: ALTER USER 'orders_app'@'%' IDENTIFIED BY '<redacted>' REQUIRE SSL ACCOUNT UNLOCK",
            );
            return true;
        });
        assert.equal(calls.length, 2, "MySQL plans run without a transaction: DDL commits on its own");
    });
});
