/**
 * The bootstrap's SQL as text: the rules refuse bad names with the project's message, the quoting makes any
 * string one token, and each engine and mode produces exactly the documented statements. That the statements do
 * what they say on a server is proven in tests/integration/bootstrap-sql.test.ts.
 */
import * as assert from "node:assert/strict";
import {
    databasePasswordRule,
    databaseRoleRule,
    databaseUserRule,
    defaultMarkerRole,
    markerRoleRule,
} from "../../components/bootstrap/names";
import {
    mysqlAccount,
    mysqlAccountAt,
    mysqlIdent,
    mysqlLiteral,
    pgDollarQuote,
    pgIdent,
    pgLiteral,
} from "../../components/bootstrap/quote";
import { applyUsers } from "../../components/bootstrap/apply";
import { checkUsersInput } from "../../components/bootstrap/input";
import { planUsers, removedUsers, usersSql, usersToLockNow } from "../../components/bootstrap/plan";
import { currentState } from "../../components/bootstrap/state";
import type { CurrentState, UsersInput } from "../../components/bootstrap/types";

const PASSWORD = "Zx8#kLq2!vW9$mRt4&pN";
const MARKER = "rcx_bootstrap_0123456789abcdef";
/** A cluster where nothing of the bootstrap exists yet. */
const EMPTY: CurrentState = { sessionUser: "admin", existing: [], marked: [], roleGrants: [] };

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

    it("writes MySQL accounts for any host, and role names with their host or none", () => {
        assert.equal(mysqlAccount("o'k"), "'o''k'@'%'");
        assert.equal(mysqlAccountAt("r'1", "10.0.0.%"), "'r''1'@'10.0.0.%'");
        assert.equal(mysqlAccountAt("a b`c", ""), "'a b`c'");
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

describe("bootstrap marker role", () => {
    it("defaults to a name per project, stack and component that fits MySQL's 32 characters", () => {
        const a = defaultMarkerRole("rds-cross-account", "prod", "prod-users");
        assert.match(a, /^rcx_bootstrap_[0-9a-f]{16}$/);
        assert.equal(a, defaultMarkerRole("rds-cross-account", "prod", "prod-users"), "stable");
        assert.notEqual(a, defaultMarkerRole("rds-cross-account", "staging", "prod-users"));
        assert.notEqual(a, defaultMarkerRole("rds-cross-account", "prod", "other-users"));
        assert.ok(markerRoleRule.schema.safeParse(a).success);
        assert.equal(a.length, 30);
    });
    it("accepts only the prefix and lowercase letters, digits and underscores, 32 characters at most", () => {
        const ok = (v: string) => markerRoleRule.schema.safeParse(v).success;
        assert.ok(ok("rcx_bootstrap_orders"));
        assert.ok(ok(`rcx_bootstrap_${"a".repeat(18)}`));
        for (const bad of [
            `rcx_bootstrap_${"a".repeat(19)}`,
            "rcx_bootstrap_",
            "app_marker",
            "rcx_bootstrap_A",
            "rcx_bootstrap_a'b",
        ]) {
            assert.ok(!ok(bad), bad);
        }
    });
});

describe("bootstrap input check", () => {
    const base: UsersInput = {
        engine: "aurora-postgresql",
        applicationAuth: "password",
        database: "appdb",
        markerRole: MARKER,
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
            'Database user bootstrap input \'users[0].name\' is "\\"; DROP TABLE x; --", but it must be a database user name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_", "rds" or "rcx_bootstrap_" and not "public" or "none". Pass such a value, for example "orders_app".',
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
    it("refuses a bad marker role, and users or roles that look like one", () => {
        assert.deepEqual(
            checkUsersInput({
                ...base,
                markerRole: "app_marker",
                users: [
                    { name: "rcx_bootstrap_x", password: PASSWORD },
                    { name: "orders_app", password: PASSWORD, databaseRole: "rcx_bootstrap_y" },
                ],
            }).map((p) => p.message),
            [
                'Database user bootstrap input \'markerRole\' is "app_marker", but it must be "rcx_bootstrap_" followed by 1-18 lowercase letters, digits and underscores. Pass such a value, for example "rcx_bootstrap_orders".',
                'Database user bootstrap input \'users[0].name\' is "rcx_bootstrap_x", but it must be a database user name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_", "rds" or "rcx_bootstrap_" and not "public" or "none". Pass such a value, for example "orders_app".',
                'Database user bootstrap input \'users[1].databaseRole\' is "rcx_bootstrap_y", but it must be an existing database role name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "rds" or "rcx_bootstrap_". Pass such a value, for example "app_readwrite".',
            ],
        );
    });
    it("refuses configuring or locking the user the bootstrap connects as", () => {
        assert.throws(
            () =>
                planUsers(
                    { ...base, users: [{ name: "admin", password: PASSWORD }], lockedUsers: ["admin"] },
                    EMPTY,
                ),
            (err: Error) => {
                assert.equal(
                    err.message,
                    "Database user bootstrap input 'lockedUsers[0]' is \"admin\", but it must not also be a current user. Remove it from one list.\n" +
                        "Database user bootstrap input 'users[0].name' is \"admin\", but it must not be the user the bootstrap connects as (the cluster's master user). Give the consumer a database user of its own.\n" +
                        "Database user bootstrap input 'lockedUsers[0]' is \"admin\", but it must not be the user the bootstrap connects as (the cluster's master user). Give the consumer a database user of its own.",
                );
                return true;
            },
        );
    });
    it("locks lockedUsers and the marked users config no longer names, never a configured or the session user", () => {
        assert.deepEqual(
            usersToLockNow(
                { ...base, lockedUsers: ["legacy_app", "gone_app"] },
                { ...EMPTY, marked: ["gone_app", "orders_app", "removed_app", "admin"] },
            ),
            ["legacy_app", "gone_app", "removed_app"],
        );
    });
    it("planUsers throws with every message and makes no SQL for a bad name", () => {
        assert.throws(
            () =>
                planUsers(
                    { ...base, engine: "aurora-mysql", users: [{ name: "a'b", password: PASSWORD }] },
                    EMPTY,
                ),
            /Database user bootstrap input 'users\[0\]\.name' is "a'b", but it must be a database user name of 1-32/,
        );
    });
    it("locks the users of removed consumers only", () => {
        assert.deepEqual(removedUsers(["a", "b", "c", "b"], ["c", "d"]), ["a", "b"]);
    });
});

describe("bootstrap SQL per engine and mode", () => {
    const MEMBER = (user: string, role: string) =>
        "EXISTS (SELECT FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid" +
        " JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
        ` WHERE u.rolname = '${user}' AND r.rolname = '${role}')`;

    it("PostgreSQL, password mode: the marker, the password as a bound parameter, the lock of listed and marked users", () => {
        const plan = planUsers(
            {
                engine: "aurora-postgresql",
                applicationAuth: "password",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app", password: PASSWORD, databaseRole: "app_rw" }],
                lockedUsers: ["legacy_app"],
            },
            { ...EMPTY, marked: ["orders_app", "gone_app"] },
        );
        assert.equal(plan.transactional, true);
        assert.equal(plan.statements.length, 4);
        const [marker, set, user, lock] = plan.statements;
        assert.equal(
            marker.sql,
            `DO $rcx$\nBEGIN\nIF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${MARKER}') THEN\n  CREATE ROLE "${MARKER}" NOLOGIN;\nEND IF;\nEND\n$rcx$`,
        );
        assert.equal(set.sql, "SELECT FROM pg_catalog.set_config('rds_cross_account.password', $1, true)");
        assert.deepEqual(set.values, [PASSWORD]);
        assert.ok(!set.shown.includes(PASSWORD));
        for (const st of plan.statements)
            assert.ok(!st.sql.includes(PASSWORD), "no statement text holds the password");
        assert.equal(
            user.sql,
            [
                "DO $rcx$",
                "DECLARE other name;",
                "BEGIN",
                "IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'orders_app') THEN",
                '  CREATE ROLE "orders_app";',
                "END IF;",
                "BEGIN",
                "  EXECUTE pg_catalog.format('ALTER ROLE %I WITH LOGIN PASSWORD %L', 'orders_app', pg_catalog.current_setting('rds_cross_account.password'));",
                "EXCEPTION WHEN OTHERS THEN",
                "  RAISE EXCEPTION 'Setting the password of role % failed: %', 'orders_app', SQLERRM USING ERRCODE = SQLSTATE;",
                "END;",
                `IF ${MEMBER("orders_app", "rds_iam")} THEN`,
                '  REVOKE rds_iam FROM "orders_app";',
                "END IF;",
                'GRANT CONNECT ON DATABASE "appdb" TO "orders_app";',
                `IF NOT ${MEMBER("orders_app", MARKER)} THEN`,
                `  GRANT "${MARKER}" TO "orders_app";`,
                "END IF;",
                "IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_rw') THEN",
                "  RAISE EXCEPTION 'The database role % (databaseRole of user %) does not exist; create it first.', 'app_rw', 'orders_app';",
                "END IF;",
                `IF NOT ${MEMBER("orders_app", "app_rw")} THEN`,
                '  GRANT "app_rw" TO "orders_app";',
                "END IF;",
                "FOR other IN SELECT r.rolname FROM pg_catalog.pg_auth_members m",
                "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member",
                `  WHERE u.rolname = 'orders_app' AND r.rolname NOT IN ('rds_iam', '${MARKER}', 'app_rw')`,
                "  AND NOT pg_catalog.starts_with(r.rolname::text, 'rcx_bootstrap_')",
                "LOOP",
                "  EXECUTE pg_catalog.format('REVOKE %I FROM %I', other, 'orders_app');",
                "END LOOP;",
                "END",
                "$rcx$",
            ].join("\n"),
        );
        // orders_app is configured: marked, but never locked.
        assert.equal(
            lock.sql,
            [
                "DO $rcx$",
                "BEGIN",
                ...["legacy_app", "gone_app"].flatMap((name) => [
                    `IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${name}') THEN`,
                    `  ALTER ROLE "${name}" WITH NOLOGIN;`,
                    "END IF;",
                    `IF ${MEMBER(name, MARKER)} THEN`,
                    `  REVOKE "${MARKER}" FROM "${name}";`,
                    "END IF;",
                ]),
                "END",
                "$rcx$",
            ].join("\n"),
        );
    });

    it("PostgreSQL, iam mode: rds_iam granted, no password; nothing to lock, no lock block", () => {
        const statements = planUsers(
            {
                engine: "aurora-postgresql",
                applicationAuth: "iam",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app" }],
            },
            { ...EMPTY, marked: ["orders_app"] },
        ).statements;
        assert.equal(statements.length, 2);
        const user = statements[1];
        assert.equal(user.values, undefined);
        assert.ok(user.sql.includes('ALTER ROLE "orders_app" WITH LOGIN PASSWORD NULL;'));
        assert.ok(user.sql.includes('  GRANT rds_iam TO "orders_app";'));
        assert.ok(!user.sql.includes("REVOKE rds_iam"));
        assert.ok(user.sql.includes("r.rolname NOT IN ('rds_iam', 'rcx_bootstrap_0123456789abcdef')"));
    });

    it("MySQL, password mode: an escaped literal, shown redacted; the marker; the default role exactly the databaseRole", () => {
        const plan = planUsers(
            {
                engine: "aurora-mysql",
                applicationAuth: "password",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app", password: PASSWORD, databaseRole: "app_rw" }],
                lockedUsers: ["legacy_app"],
            },
            EMPTY,
        );
        assert.equal(plan.transactional, false);
        assert.deepEqual(
            plan.statements.map((s) => s.sql),
            [
                `CREATE ROLE IF NOT EXISTS '${MARKER}'`,
                `CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE SSL`,
                `ALTER USER 'orders_app'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE SSL ACCOUNT UNLOCK`,
                `GRANT '${MARKER}' TO 'orders_app'@'%'`,
                "GRANT 'app_rw' TO 'orders_app'@'%'",
                "SET DEFAULT ROLE 'app_rw' TO 'orders_app'@'%'",
                // Not marked (an earlier release's user): locked, no mark to take.
                "ALTER USER IF EXISTS 'legacy_app'@'%' ACCOUNT LOCK",
            ],
        );
        assert.equal(
            plan.statements[1].shown,
            "CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED BY '<redacted>' REQUIRE SSL",
        );
    });

    it("MySQL, iam mode: AWSAuthenticationPlugin as AWS documents it; roles config no longer names are revoked, every marker kept", () => {
        const plan = planUsers(
            {
                engine: "aurora-mysql",
                applicationAuth: "iam",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app", databaseRole: "app_rw" }, { name: "billing_app" }],
            },
            {
                ...EMPTY,
                marked: ["orders_app", "billing_app", "gone_app"],
                roleGrants: [
                    { user: "orders_app", role: "app_ro", host: "%" },
                    { user: "orders_app", role: "app_rw", host: "%" },
                    { user: "orders_app", role: "app_rw", host: "10.%" },
                    { user: "orders_app", role: MARKER, host: "%" },
                    { user: "orders_app", role: "rcx_bootstrap_other", host: "%" },
                    { user: "billing_app", role: "app_rw", host: "%" },
                ],
            },
        );
        assert.deepEqual(
            plan.statements.map((s) => s.sql),
            [
                `CREATE ROLE IF NOT EXISTS '${MARKER}'`,
                "CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
                "ALTER USER 'orders_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
                `GRANT '${MARKER}' TO 'orders_app'@'%'`,
                "GRANT 'app_rw' TO 'orders_app'@'%'",
                "REVOKE 'app_ro'@'%' FROM 'orders_app'@'%'",
                // Config's 'app_rw' is 'app_rw'@'%': the same name at another host is another role.
                "REVOKE 'app_rw'@'10.%' FROM 'orders_app'@'%'",
                "SET DEFAULT ROLE 'app_rw' TO 'orders_app'@'%'",
                "CREATE USER IF NOT EXISTS 'billing_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
                "ALTER USER 'billing_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
                `GRANT '${MARKER}' TO 'billing_app'@'%'`,
                "REVOKE 'app_rw'@'%' FROM 'billing_app'@'%'",
                "SET DEFAULT ROLE NONE TO 'billing_app'@'%'",
                "ALTER USER IF EXISTS 'gone_app'@'%' ACCOUNT LOCK",
                `REVOKE '${MARKER}' FROM 'gone_app'@'%'`,
            ],
        );
    });

    it("MariaDB (the local stand-in) differs only in how the default role is set and in role grants without a host", () => {
        const input: UsersInput = {
            engine: "aurora-mysql",
            applicationAuth: "iam",
            database: "appdb",
            markerRole: MARKER,
            users: [{ name: "orders_app", databaseRole: "app_rw" }, { name: "billing_app" }],
        };
        const current = { ...EMPTY, roleGrants: [{ user: "billing_app", role: "app_ro", host: "" }] };
        const mysql = usersSql(input, current).statements.map((s) => s.sql);
        const maria = usersSql({ ...input, mysqlFlavor: "mariadb" }, current).statements.map((s) => s.sql);
        assert.deepEqual(
            maria.filter((s, i) => s !== mysql[i]),
            ["SET DEFAULT ROLE 'app_rw' FOR 'orders_app'@'%'", "SET DEFAULT ROLE NONE FOR 'billing_app'@'%'"],
        );
        assert.ok(maria.includes("REVOKE 'app_ro' FROM 'billing_app'@'%'"));
    });

    it("quotes injection attempts in users, roles, role hosts and the marker into single tokens even without the rules", () => {
        const evil = "x'); DROP USER root; --";
        const statements = usersSql(
            {
                engine: "aurora-mysql",
                applicationAuth: "iam",
                database: "appdb",
                markerRole: "rcx_bootstrap_'; DROP ROLE r; --",
                users: [{ name: evil, databaseRole: "a b'c" }],
            },
            {
                ...EMPTY,
                marked: ["gone ' app"],
                roleGrants: [{ user: evil, role: "r`o'le", host: "h'%" }],
            },
        ).statements.map((s) => s.sql);
        assert.deepEqual(statements, [
            "CREATE ROLE IF NOT EXISTS 'rcx_bootstrap_''; DROP ROLE r; --'",
            "CREATE USER IF NOT EXISTS 'x''); DROP USER root; --'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "ALTER USER 'x''); DROP USER root; --'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
            "GRANT 'rcx_bootstrap_''; DROP ROLE r; --' TO 'x''); DROP USER root; --'@'%'",
            "GRANT 'a b''c' TO 'x''); DROP USER root; --'@'%'",
            "REVOKE 'r`o''le'@'h''%' FROM 'x''); DROP USER root; --'@'%'",
            "SET DEFAULT ROLE 'a b''c' TO 'x''); DROP USER root; --'@'%'",
            "ALTER USER IF EXISTS 'gone '' app'@'%' ACCOUNT LOCK",
            "REVOKE 'rcx_bootstrap_''; DROP ROLE r; --' FROM 'gone '' app'@'%'",
        ]);
    });
});

describe("currentState", () => {
    /** A client that answers each query with the next rows and records what it was asked. */
    function fake(answers: unknown[][], shape: "pg" | "mysql") {
        const calls: [string, unknown[] | undefined][] = [];
        const client = {
            query: async (sql: string, values?: unknown[]) => {
                calls.push([sql, values]);
                const rows = answers.shift() ?? [];
                return shape === "pg" ? { rows } : [rows, []];
            },
        };
        return { client, calls };
    }

    it("PostgreSQL: bound parameters only; members by admin option and the session user are not marked", async () => {
        const { client, calls } = fake(
            [[{ me: "admin" }], [{ name: "orders_app" }], [{ name: "gone_app" }]],
            "pg",
        );
        const state = await currentState(
            client,
            "aurora-postgresql",
            undefined,
            MARKER,
            ["orders_app", "x'y"],
            [],
        );
        assert.deepEqual(state, {
            sessionUser: "admin",
            existing: ["orders_app"],
            marked: ["gone_app"],
            roleGrants: [],
        });
        assert.deepEqual(calls, [
            ["SELECT session_user AS me", undefined],
            [
                "SELECT rolname AS name FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])",
                [["orders_app", "x'y"]],
            ],
            [
                "SELECT DISTINCT u.rolname AS name FROM pg_catalog.pg_auth_members m" +
                    " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
                    " WHERE r.rolname = $1 AND NOT m.admin_option AND u.rolname <> session_user ORDER BY 1",
                [MARKER],
            ],
        ]);
    });

    it("MySQL 8.0: mysql.role_edges; the session user is never marked; names may arrive as Buffers", async () => {
        const { client, calls } = fake(
            [
                [{ me: "admin@%" }],
                [{ name: Buffer.from("orders_app") }],
                [{ name: "admin" }, { name: "gone_app" }],
                [{ user: "orders_app", role: "app_ro", host: "%" }],
            ],
            "mysql",
        );
        const state = await currentState(
            client,
            "aurora-mysql",
            "mysql",
            MARKER,
            ["orders_app"],
            ["orders_app"],
        );
        assert.deepEqual(state, {
            sessionUser: "admin",
            existing: ["orders_app"],
            marked: ["gone_app"],
            roleGrants: [{ user: "orders_app", role: "app_ro", host: "%" }],
        });
        assert.deepEqual(
            calls.map(([sql, values]) => [sql, values]),
            [
                ["SELECT CURRENT_USER() AS me", undefined],
                ["SELECT User AS name FROM mysql.user WHERE Host = '%' AND User IN (?)", [["orders_app"]]],
                [
                    "SELECT TO_USER AS name FROM mysql.role_edges WHERE FROM_USER = ? AND FROM_HOST = '%' AND TO_HOST = '%' AND WITH_ADMIN_OPTION = 'N' ORDER BY 1",
                    [MARKER],
                ],
                [
                    "SELECT TO_USER AS user, FROM_USER AS role, FROM_HOST AS host FROM mysql.role_edges WHERE TO_HOST = '%' AND TO_USER IN (?) ORDER BY 1, 2, 3",
                    [["orders_app"]],
                ],
            ],
        );
    });

    it("MariaDB: mysql.roles_mapping; with no names, no IN () query is sent", async () => {
        const { client, calls } = fake([[{ me: "admin@localhost" }], []], "mysql");
        const state = await currentState(client, "aurora-mysql", "mariadb", MARKER, [], []);
        assert.deepEqual(state, { sessionUser: "admin", existing: [], marked: [], roleGrants: [] });
        assert.deepEqual(
            calls.map(([sql]) => sql),
            [
                "SELECT CURRENT_USER() AS me",
                "SELECT User AS name FROM mysql.roles_mapping WHERE Role = ? AND Host = '%' AND Admin_option = 'N' ORDER BY 1",
            ],
        );
    });
});

describe("applyUsers", () => {
    it("runs a PostgreSQL plan in one transaction and binds the password", async () => {
        const calls: [string, unknown[] | undefined][] = [];
        const client = { query: async (sql: string, values?: unknown[]) => void calls.push([sql, values]) };
        const plan = planUsers(
            {
                engine: "aurora-postgresql",
                applicationAuth: "password",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app", password: PASSWORD }],
            },
            EMPTY,
        );
        assert.deepEqual(await applyUsers(client, plan), { statements: 3 });
        assert.deepEqual(
            calls.map(([sql, values]) => [sql.split("\n")[0], values]),
            [
                ["BEGIN", undefined],
                ["DO $rcx$", undefined],
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
        const plan = planUsers(
            {
                engine: "aurora-mysql",
                applicationAuth: "password",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app", password: PASSWORD }],
            },
            EMPTY,
        );
        await assert.rejects(applyUsers(client, plan), (err: Error) => {
            assert.equal(
                err.message,
                "Statement 3 of 5 of the database user bootstrap failed: syntax error near '<redacted>' REQUIRE SSL\n" +
                    "Statement: ALTER USER 'orders_app'@'%' IDENTIFIED BY '<redacted>' REQUIRE SSL ACCOUNT UNLOCK",
            );
            return true;
        });
        assert.equal(calls.length, 3, "MySQL plans run without a transaction: DDL commits on its own");
    });
});
