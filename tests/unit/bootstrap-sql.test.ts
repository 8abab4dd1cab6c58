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
import {
    planUsers,
    removedUsers,
    usersOutcome,
    usersSql,
    usersToLockNow,
} from "../../components/bootstrap/plan";
import { currentState } from "../../components/bootstrap/state";
import { dialectOf, type CurrentState, type UsersInput } from "../../components/bootstrap/types";
import { ENGINES, type Engine } from "../../vocabulary/engines";

const PASSWORD = "Zx8#kLq2!vW9$mRt4&pN";
const MARKER = "rcx_bootstrap_0123456789abcdef";
/** The MySQL statements that make the record of `marker` (schema and table) and mark `user` in it. */
const RECORD = (marker = MARKER) => [
    `CREATE DATABASE IF NOT EXISTS \`${marker}\``,
    `CREATE TABLE IF NOT EXISTS \`${marker}\`.\`managed_users\` (\`user_name\` VARCHAR(128) CHARACTER SET utf8mb4` +
        " COLLATE utf8mb4_bin NOT NULL PRIMARY KEY) ENGINE = InnoDB",
];
const MARK = (user: string, marker = MARKER) =>
    `INSERT INTO \`${marker}\`.\`managed_users\` (\`user_name\`) VALUES ('${user}')` +
    " ON DUPLICATE KEY UPDATE `user_name` = `user_name`";
/** A cluster where nothing of the bootstrap exists yet. */
const EMPTY: CurrentState = {
    sessionUser: "admin",
    existing: [],
    marked: [],
    roleGrants: [],
    catalog: { roles: [], edges: [] },
};
/** A cluster holding the application roles `names` (PostgreSQL roles; MariaDB/MySQL roles at host `hostOf`). */
function withRoles(names: readonly string[], host = ""): CurrentState {
    return {
        ...EMPTY,
        catalog: {
            roles: names.map((name) => ({ name, host, login: false, locked: false, powers: [] })),
            edges: [],
        },
    };
}

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
    const user = (engine: Engine, v: unknown) => databaseUserRule(engine).schema.safeParse(v).success;
    // PostgreSQL's 63 bytes, MySQL 8.0's 32 characters, MariaDB's 80 (vocabulary/database-names.ts).
    const LIMITS: Record<Engine, number> = {
        "aurora-postgresql": 63,
        postgres: 63,
        "aurora-mysql": 32,
        mysql: 32,
        mariadb: 80,
    };
    for (const engine of ENGINES) {
        it(`${engine}: accepts plain lowercase user and role names up to ${LIMITS[engine]} characters, not one more`, () => {
            for (const v of ["orders_app", "a", "a1_b2", "x".repeat(LIMITS[engine])])
                assert.equal(user(engine, v), true, v);
            assert.equal(user(engine, "x".repeat(LIMITS[engine] + 1)), false);
            const role = databaseRoleRule(engine).schema;
            assert.equal(role.safeParse("r".repeat(LIMITS[engine])).success, true);
            assert.equal(role.safeParse("r".repeat(LIMITS[engine] + 1)).success, false);
        });
    }
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
    it("refuses as a role PostgreSQL's predefined roles, RDS's, the markers' and the engines' keywords", () => {
        const role = (engine: "aurora-postgresql" | "aurora-mysql", v: string) =>
            databaseRoleRule(engine).schema.safeParse(v).success;
        for (const v of [
            "pg_execute_server_program",
            "pg_read_server_files",
            "pg_write_server_files",
            "pg_signal_backend",
            "pg_monitor",
            "pg_read_all_stats",
            "pg_database_owner",
            "pg_read_all_data",
            "public",
            "none",
            "current_user",
            "session_user",
            "rds_superuser",
            "rcx_bootstrap_x",
        ]) {
            assert.equal(role("aurora-postgresql", v), false, v);
        }
        for (const v of ["none", "public", "root", "mysql", "rds_superuser_role", "rcx_bootstrap_x"]) {
            assert.equal(role("aurora-mysql", v), false, v);
        }
        for (const v of ["app_readwrite", "pgx", "publicity", "nonexistent"]) {
            assert.equal(role("aurora-postgresql", v), true, v);
            assert.equal(role("aurora-mysql", v), true, v);
        }
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
                'Database user bootstrap input \'users[1].databaseRole\' is "rcx_bootstrap_y", but it must be an existing database role name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_" (PostgreSQL\'s predefined roles), "rds" or "rcx_bootstrap_" and not "public", "none", "current_user", "current_role" or "session_user". Pass such a value, for example "app_readwrite".',
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
            { ...withRoles(["app_rw"]), marked: ["orders_app", "gone_app"] },
        );
        assert.equal(plan.transactional, true);
        assert.equal(plan.statements.length, 4);
        const [marker, set, user, lock] = plan.statements;
        assert.equal(
            marker.sql,
            [
                "DO $rcx$",
                "BEGIN",
                `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${MARKER}') THEN`,
                `  CREATE ROLE "${MARKER}" NOLOGIN NOINHERIT;`,
                `ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${MARKER}' AND rolinherit) THEN`,
                `  ALTER ROLE "${MARKER}" NOINHERIT;`,
                "END IF;",
                "END",
                "$rcx$",
            ].join("\n"),
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
                "ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'orders_app' AND (rolcreaterole OR rolcreatedb)) THEN",
                '  ALTER ROLE "orders_app" WITH NOCREATEROLE NOCREATEDB;',
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
                `IF NOT ${MEMBER("orders_app", "app_rw")} THEN`,
                '  GRANT "app_rw" TO "orders_app";',
                "END IF;",
                // Every other membership goes, the previous release's mark (the user in the marker) included.
                "FOR other IN SELECT r.rolname FROM pg_catalog.pg_auth_members m",
                "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member",
                "  WHERE u.rolname = 'orders_app' AND r.rolname NOT IN ('rds_iam', 'app_rw')",
                "LOOP",
                "  EXECUTE pg_catalog.format('REVOKE %I FROM %I', other, 'orders_app');",
                "END LOOP;",
                "FOR other IN SELECT o.rolname FROM pg_catalog.pg_auth_members m",
                "  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles o ON o.oid = m.member",
                `  WHERE r.rolname = 'orders_app' AND o.rolname <> '${MARKER}'`,
                "  AND pg_catalog.starts_with(o.rolname::text, 'rcx_bootstrap_')",
                "LOOP",
                "  EXECUTE pg_catalog.format('REVOKE %I FROM %I', 'orders_app', other);",
                "END LOOP;",
                // The mark: the marker is a member of the user, so the user can never become the marker.
                `IF NOT ${MEMBER(MARKER, "orders_app")} THEN`,
                `  GRANT "orders_app" TO "${MARKER}";`,
                "END IF;",
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
                // legacy_app carries no mark (a release before the mark): only locked.
                "IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'legacy_app') THEN",
                '  ALTER ROLE "legacy_app" WITH NOLOGIN;',
                "END IF;",
                // gone_app is marked: locked, and the mark stays, in this release's form.
                "IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'gone_app') THEN",
                '  ALTER ROLE "gone_app" WITH NOLOGIN;',
                "END IF;",
                `IF ${MEMBER("gone_app", MARKER)} THEN`,
                `  REVOKE "${MARKER}" FROM "gone_app";`,
                "END IF;",
                `IF NOT ${MEMBER(MARKER, "gone_app")} THEN`,
                `  GRANT "gone_app" TO "${MARKER}";`,
                "END IF;",
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
        assert.ok(user.sql.includes("r.rolname NOT IN ('rds_iam')"));
    });

    it("MySQL, password mode: an escaped literal, shown redacted; the record and the mark before the user; the default role exactly the databaseRole", () => {
        const plan = planUsers(
            {
                engine: "aurora-mysql",
                applicationAuth: "password",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app", password: PASSWORD, databaseRole: "app_rw" }],
                lockedUsers: ["legacy_app"],
            },
            withRoles(["app_rw"], "%"),
        );
        assert.equal(plan.transactional, false);
        assert.deepEqual(
            plan.statements.map((s) => s.sql),
            [
                ...RECORD(),
                // Marked first: a run failing after it leaves a user the next run knows as its own.
                MARK("orders_app"),
                `CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE SSL`,
                `ALTER USER 'orders_app'@'%' IDENTIFIED BY '${PASSWORD}' REQUIRE SSL ACCOUNT UNLOCK`,
                "GRANT 'app_rw' TO 'orders_app'@'%'",
                "SET DEFAULT ROLE 'app_rw' TO 'orders_app'@'%'",
                // Not marked (an earlier release's user): locked, no mark to take.
                "ALTER USER IF EXISTS 'legacy_app'@'%' ACCOUNT LOCK",
            ],
        );
        assert.equal(
            plan.statements[3].shown,
            "CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED BY '<redacted>' REQUIRE SSL",
        );
    });

    it("MySQL, iam mode: AWSAuthenticationPlugin as AWS documents it; roles config no longer names are revoked, the marker role too, other markers kept; the previous release's mark moves to the record", () => {
        const account = (name: string) => ({ name, host: "%", login: true, locked: false, powers: [] });
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
                // Recorded: orders_app, billing_app, and vanished_app, whose account was dropped by hand; gone_app
                // holds the marker role, as the previous release marked it.
                marked: ["billing_app", "gone_app", "orders_app", "vanished_app"],
                catalog: {
                    roles: [
                        { name: "app_rw", host: "%", login: false, locked: false, powers: [] },
                        account("orders_app"),
                        account("billing_app"),
                        account("gone_app"),
                    ],
                    edges: [
                        {
                            role: MARKER,
                            roleHost: "%",
                            member: "gone_app",
                            memberHost: "%",
                            adminOnly: false,
                        },
                        { role: MARKER, roleHost: "%", member: "admin", memberHost: "%", adminOnly: true },
                    ],
                    marks: ["orders_app", "billing_app", "vanished_app"].map((user) => ({
                        marker: MARKER,
                        user,
                    })),
                },
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
                ...RECORD(),
                MARK("orders_app"),
                "CREATE USER IF NOT EXISTS 'orders_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
                "ALTER USER 'orders_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
                "GRANT 'app_rw' TO 'orders_app'@'%'",
                "REVOKE 'app_ro'@'%' FROM 'orders_app'@'%'",
                // Config's 'app_rw' is 'app_rw'@'%': the same name at another host is another role.
                "REVOKE 'app_rw'@'10.%' FROM 'orders_app'@'%'",
                // The previous release's mark goes; another bootstrap's marker role stays.
                `REVOKE '${MARKER}'@'%' FROM 'orders_app'@'%'`,
                "SET DEFAULT ROLE 'app_rw' TO 'orders_app'@'%'",
                MARK("billing_app"),
                "CREATE USER IF NOT EXISTS 'billing_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
                "ALTER USER 'billing_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
                "REVOKE 'app_rw'@'%' FROM 'billing_app'@'%'",
                "SET DEFAULT ROLE NONE TO 'billing_app'@'%'",
                // Locked; it keeps its mark, moved to the record in the same run (never the creator's admin row).
                "ALTER USER IF EXISTS 'gone_app'@'%' ACCOUNT LOCK",
                MARK("gone_app"),
                `REVOKE '${MARKER}'@'%' FROM 'gone_app'@'%'`,
                "ALTER USER IF EXISTS 'vanished_app'@'%' ACCOUNT LOCK",
                // A row without an account goes: a user made later under that name is not taken for ours.
                `DELETE FROM \`${MARKER}\`.\`managed_users\` WHERE \`user_name\` = 'vanished_app'`,
            ],
        );
    });

    // The engine decides the dialect: its protocol PostgreSQL or MySQL, and among the MySQL engines MariaDB's own
    // statements. Every engine, one input: a dialect taken from a comparison with one engine's name fails here.
    const DIALECTS = [
        { engine: "aurora-postgresql", dialect: "postgresql" },
        { engine: "postgres", dialect: "postgresql" },
        { engine: "aurora-mysql", dialect: "mysql" },
        { engine: "mysql", dialect: "mysql" },
        { engine: "mariadb", dialect: "mariadb" },
    ] as const;
    it("has a dialect case for every engine", () => {
        assert.deepEqual(DIALECTS.map((d) => d.engine).sort(), [...ENGINES].sort());
    });
    for (const { engine, dialect } of DIALECTS) {
        it(`${engine}: speaks the ${dialect} dialect`, () => {
            assert.equal(dialectOf(engine), dialect);
            const plan = usersSql(
                {
                    engine,
                    applicationAuth: "iam",
                    database: "appdb",
                    markerRole: MARKER,
                    users: [{ name: "orders_app", databaseRole: "app_rw" }, { name: "billing_app" }],
                },
                EMPTY,
            );
            const sql = plan.statements.map((st) => st.sql);
            assert.equal(plan.engine, engine);
            assert.equal(plan.transactional, dialect === "postgresql");
            if (dialect === "postgresql") {
                assert.equal(sql[0].startsWith("DO $"), true, sql[0]);
                assert.ok(sql.some((st) => st.includes('GRANT rds_iam TO "orders_app";')));
                assert.ok(!sql.some((st) => st.includes("AWSAuthenticationPlugin")));
            } else {
                const word = dialect === "mariadb" ? "FOR" : "TO";
                assert.deepEqual(
                    sql.filter((st) => st.startsWith("SET DEFAULT ROLE")),
                    [
                        `SET DEFAULT ROLE 'app_rw' ${word} 'orders_app'@'%'`,
                        `SET DEFAULT ROLE NONE ${word} 'billing_app'@'%'`,
                    ],
                );
                assert.equal(sql[0], `CREATE DATABASE IF NOT EXISTS \`${MARKER}\``);
            }
        });
    }

    it("MySQL: a recorded user without an account (a run failed after marking it) is reported created, not updated", () => {
        const account = { host: "%", login: true, locked: false, powers: [] };
        const outcome = usersOutcome(
            {
                engine: "aurora-mysql",
                applicationAuth: "iam",
                database: "appdb",
                markerRole: MARKER,
                users: [{ name: "orders_app" }, { name: "billing_app" }],
            },
            {
                ...EMPTY,
                existing: ["billing_app"],
                marked: ["billing_app", "gone_app", "orders_app"],
                catalog: {
                    roles: [
                        { name: "billing_app", ...account },
                        { name: "gone_app", ...account },
                    ],
                    edges: [],
                },
            },
        );
        assert.deepEqual(outcome, {
            created: ["orders_app"],
            updated: ["billing_app"],
            locked: ["gone_app"],
        });
    });

    it("MariaDB differs from MySQL 8.0 only in how the default role is set and in role grants without a host", () => {
        const input: UsersInput = {
            engine: "aurora-mysql",
            applicationAuth: "iam",
            database: "appdb",
            markerRole: MARKER,
            users: [{ name: "orders_app", databaseRole: "app_rw" }, { name: "billing_app" }],
        };
        const current = { ...EMPTY, roleGrants: [{ user: "billing_app", role: "app_ro", host: "" }] };
        const mysql = usersSql(input, current).statements.map((s) => s.sql);
        const maria = usersSql({ ...input, engine: "mariadb" }, current).statements.map((s) => s.sql);
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
                markerRole: "rcx_bootstrap_`'; DROP ROLE r; --",
                users: [{ name: evil, databaseRole: "a b'c" }],
            },
            {
                ...EMPTY,
                marked: ["gone ' app"],
                roleGrants: [{ user: evil, role: "r`o'le", host: "h'%" }],
                catalog: {
                    roles: [{ name: "gone ' app", host: "h'x", login: true, locked: false, powers: [] }],
                    edges: [],
                    marks: [{ marker: "rcx_bootstrap_`'; DROP ROLE r; --", user: "a'`b" }],
                },
            },
        ).statements.map((s) => s.sql);
        const marker = "`rcx_bootstrap_``'; DROP ROLE r; --`";
        const record = `${marker}.\`managed_users\``;
        assert.deepEqual(statements, [
            `CREATE DATABASE IF NOT EXISTS ${marker}`,
            `CREATE TABLE IF NOT EXISTS ${record} (\`user_name\` VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin` +
                " NOT NULL PRIMARY KEY) ENGINE = InnoDB",
            `INSERT INTO ${record} (\`user_name\`) VALUES ('x''); DROP USER root; --') ON DUPLICATE KEY UPDATE \`user_name\` = \`user_name\``,
            "CREATE USER IF NOT EXISTS 'x''); DROP USER root; --'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "ALTER USER 'x''); DROP USER root; --'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ACCOUNT UNLOCK",
            "GRANT 'a b''c' TO 'x''); DROP USER root; --'@'%'",
            "REVOKE 'r`o''le'@'h''%' FROM 'x''); DROP USER root; --'@'%'",
            "SET DEFAULT ROLE 'a b''c' TO 'x''); DROP USER root; --'@'%'",
            "ALTER USER IF EXISTS 'gone '' app'@'%' ACCOUNT LOCK",
            "ALTER USER IF EXISTS 'gone '' app'@'h''x' ACCOUNT LOCK",
            `INSERT INTO ${record} (\`user_name\`) VALUES ('gone '' app') ON DUPLICATE KEY UPDATE \`user_name\` = \`user_name\``,
            `DELETE FROM ${record} WHERE \`user_name\` = 'a''\`b'`,
        ]);
    });
});

describe("currentState", () => {
    const RECORDS_SQL =
        "SELECT TABLE_SCHEMA AS s FROM information_schema.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME =" +
        " 'user_name' AND TABLE_SCHEMA LIKE ? ORDER BY 1";
    const HOLDERS_SQL =
        "SELECT User AS name, Host AS host FROM mysql.db WHERE ? LIKE Db UNION" +
        " SELECT User, Host FROM mysql.tables_priv WHERE Db = ? UNION" +
        " SELECT User, Host FROM mysql.columns_priv WHERE Db = ?";
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

    it("PostgreSQL: no value in the SQL; marked both ways (this release's and the previous one's), never by admin option nor the session user", async () => {
        const roles = [
            {
                name: "admin",
                login: true,
                rolsuper: false,
                rolcreaterole: true,
                rolcreatedb: true,
                rolreplication: false,
                rolbypassrls: false,
            },
            {
                name: "orders_app",
                login: "t",
                rolsuper: "f",
                rolcreaterole: "f",
                rolcreatedb: "f",
                rolreplication: "f",
                rolbypassrls: "t",
            },
            {
                name: MARKER,
                login: false,
                rolsuper: false,
                rolcreaterole: false,
                rolcreatedb: false,
                rolreplication: false,
                rolbypassrls: false,
            },
        ];
        const edges = [
            { role: "orders_app", member: MARKER, admin: false },
            { role: MARKER, member: "gone_app", admin: false },
            { role: MARKER, member: "admin", admin: true },
            { role: MARKER, member: "other_admin", admin: true },
        ];
        const { client, calls } = fake([[{ me: "admin" }], roles, edges], "pg");
        const state = await currentState(client, "aurora-postgresql", MARKER, ["orders_app", "x'y"], []);
        assert.equal(state.sessionUser, "admin");
        assert.deepEqual(state.existing, ["orders_app"]);
        assert.deepEqual(state.marked, ["gone_app", "orders_app"]);
        assert.deepEqual(state.roleGrants, []);
        assert.deepEqual(state.catalog.roles, [
            { name: "admin", host: "", login: true, locked: false, powers: ["CREATEROLE", "CREATEDB"] },
            { name: "orders_app", host: "", login: true, locked: false, powers: ["BYPASSRLS"] },
            { name: MARKER, host: "", login: false, locked: true, powers: [] },
        ]);
        assert.deepEqual(state.catalog.edges[2], {
            role: MARKER,
            roleHost: "",
            member: "admin",
            memberHost: "",
            adminOnly: true,
        });
        assert.deepEqual(calls, [
            ["SELECT session_user AS me", undefined],
            [
                "SELECT rolname AS name, rolcanlogin AS login, rolsuper, rolcreaterole, rolcreatedb, rolreplication," +
                    " rolbypassrls FROM pg_catalog.pg_roles ORDER BY 1",
                undefined,
            ],
            [
                "SELECT r.rolname AS role, u.rolname AS member, m.admin_option AS admin FROM pg_catalog.pg_auth_members m" +
                    " JOIN pg_catalog.pg_roles r ON r.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member" +
                    " ORDER BY 1, 2",
                undefined,
            ],
        ]);
    });

    it("MySQL 8.0: privilege columns quoted, dynamic privileges, every bootstrap's record and who may reach it, mysql.role_edges; every host read; names may arrive as Buffers", async () => {
        const { client, calls } = fake(
            [
                [{ me: "admin@%" }],
                [{ name: "Select_priv" }, { name: "File_priv" }, { name: "Create_user_priv" }],
                [
                    {
                        name: "admin",
                        host: "%",
                        login: 1,
                        Select_priv: "Y",
                        File_priv: "N",
                        Create_user_priv: "Y",
                    },
                    {
                        name: Buffer.from("orders_app"),
                        host: "%",
                        login: 1,
                        Select_priv: "N",
                        File_priv: "N",
                        Create_user_priv: "N",
                    },
                    {
                        name: "orders_app",
                        host: "10.0.0.5",
                        login: 1,
                        Select_priv: "N",
                        File_priv: "Y",
                        Create_user_priv: "N",
                    },
                    {
                        name: "app_rw",
                        host: "%",
                        login: 0,
                        Select_priv: "N",
                        File_priv: "N",
                        Create_user_priv: "N",
                    },
                ],
                [{ name: "app_rw", host: "%", priv: "SYSTEM_USER" }],
                [],
                // The records: this bootstrap's (it names the session user, which is never marked) and another's.
                [{ s: MARKER }, { s: "rcx_bootstrap_other" }],
                [{ u: Buffer.from("orders_app") }, { u: "admin" }],
                [{ u: "team_app" }],
                // Who holds privileges reaching each record.
                [{ name: "app_rw", host: "%" }],
                [{ name: "app_rw", host: "%" }],
                [
                    { role: MARKER, role_host: "%", member: "admin", member_host: "%", admin: "N" },
                    { role: MARKER, role_host: "%", member: "gone_app", member_host: "%", admin: "N" },
                    { role: MARKER, role_host: "%", member: "creator", member_host: "%", admin: "Y" },
                    { role: "app_ro", role_host: "%", member: "orders_app", member_host: "%", admin: "N" },
                    {
                        role: "app_ro",
                        role_host: "%",
                        member: "orders_app",
                        member_host: "10.0.0.5",
                        admin: "N",
                    },
                ],
            ],
            "mysql",
        );
        const state = await currentState(
            client,
            "aurora-mysql",
            MARKER,
            ["orders_app", "nobody"],
            ["orders_app"],
        );
        assert.equal(state.sessionUser, "admin");
        assert.deepEqual(state.existing, ["orders_app"]);
        // Recorded, or holding the marker role (the previous release's mark); never by admin option.
        assert.deepEqual(state.marked, ["gone_app", "orders_app"]);
        assert.deepEqual(state.catalog.marks, [
            { marker: MARKER, user: "orders_app" },
            { marker: MARKER, user: "admin" },
            { marker: "rcx_bootstrap_other", user: "team_app" },
        ]);
        assert.deepEqual(state.roleGrants, [{ user: "orders_app", role: "app_ro", host: "%" }]);
        assert.deepEqual(
            state.catalog.roles.map((r) => [r.name, r.host, r.login, r.powers]),
            [
                ["admin", "%", true, ["SELECT", "CREATE USER"]],
                ["orders_app", "%", true, []],
                ["orders_app", "10.0.0.5", true, ["FILE"]],
                [
                    "app_rw",
                    "%",
                    false,
                    [
                        "SYSTEM_USER",
                        `privileges on ${MARKER} (a bootstrap's record)`,
                        "privileges on rcx_bootstrap_other (a bootstrap's record)",
                    ],
                ],
            ],
        );
        assert.deepEqual(
            calls.map(([sql, values]) => [sql, values]),
            [
                ["SELECT CURRENT_USER() AS me", undefined],
                [
                    "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'mysql'" +
                        " AND TABLE_NAME = 'user' AND COLUMN_NAME LIKE '%\\_priv' ORDER BY ORDINAL_POSITION",
                    undefined,
                ],
                [
                    "SELECT User AS name, Host AS host, (account_locked <> 'Y' OR authentication_string <> '') AS login," +
                        " account_locked = 'Y' AS locked," +
                        " `Select_priv`, `File_priv`, `Create_user_priv` FROM mysql.user u ORDER BY 1, 2",
                    undefined,
                ],
                ["SELECT USER AS name, HOST AS host, PRIV AS priv FROM mysql.global_grants", undefined],
                [
                    "SELECT Db AS what FROM mysql.db WHERE User = ? UNION ALL" +
                        " SELECT CONCAT(Db, '.', Table_name) FROM mysql.tables_priv WHERE User = ?",
                    [MARKER, MARKER],
                ],
                [RECORDS_SQL, ["managed_users", "rcx\\_bootstrap\\_%"]],
                [`SELECT \`user_name\` AS u FROM \`${MARKER}\`.\`managed_users\` ORDER BY 1`, undefined],
                ["SELECT `user_name` AS u FROM `rcx_bootstrap_other`.`managed_users` ORDER BY 1", undefined],
                [HOLDERS_SQL, [MARKER, MARKER, MARKER]],
                [HOLDERS_SQL, ["rcx_bootstrap_other", "rcx_bootstrap_other", "rcx_bootstrap_other"]],
                [
                    "SELECT FROM_USER AS role, FROM_HOST AS role_host, TO_USER AS member, TO_HOST AS member_host, WITH_ADMIN_OPTION AS admin FROM mysql.role_edges ORDER BY 1, 2, 3, 4",
                    undefined,
                ],
            ],
        );
    });

    it("MariaDB: is_role, mysql.roles_mapping, no mysql.global_grants; a column name from the server is quoted", async () => {
        const { client, calls } = fake(
            [[{ me: "admin@localhost" }], [{ name: "a`b_priv" }], [], [{ what: "appdb" }], [], [], []],
            "mysql",
        );
        const state = await currentState(client, "mariadb", MARKER, [], []);
        assert.deepEqual(state, {
            sessionUser: "admin",
            existing: [],
            marked: [],
            roleGrants: [],
            catalog: { roles: [], edges: [], marks: [] },
        });
        assert.deepEqual(calls.map(([sql]) => sql).slice(2), [
            "SELECT User AS name, Host AS host, is_role <> 'Y' AS login, IFNULL((SELECT JSON_VALUE(g.Priv, '$.account_locked') FROM mysql.global_priv g" +
                " WHERE g.User = u.User AND g.Host = u.Host), '') IN ('true', '1') AS locked, `a``b_priv` FROM mysql.user u ORDER BY 1, 2",
            "SELECT Db AS what FROM mysql.db WHERE User = ? UNION ALL SELECT CONCAT(Db, '.', Table_name) FROM mysql.tables_priv WHERE User = ?",
            // No record yet: who would reach this bootstrap's is still read.
            RECORDS_SQL,
            HOLDERS_SQL,
            "SELECT Role AS role, '' AS role_host, User AS member, Host AS member_host, Admin_option AS admin FROM mysql.roles_mapping ORDER BY 1, 3, 4",
        ]);
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
                "Statement 5 of 6 of the database user bootstrap failed: syntax error near '<redacted>' REQUIRE SSL\n" +
                    "Statement: ALTER USER 'orders_app'@'%' IDENTIFIED BY '<redacted>' REQUIRE SSL ACCOUNT UNLOCK",
            );
            return true;
        });
        assert.equal(calls.length, 5, "MySQL plans run without a transaction: DDL commits on its own");
    });
});
