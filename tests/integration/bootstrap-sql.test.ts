/**
 * The bootstrap's SQL against real servers: PostgreSQL (for the PostgreSQL engines) and MariaDB (engine "mariadb",
 * RDS for MariaDB; also the nearest stand-in for the MySQL 8.0 engines), both TLS-only on loopback, the plans run through `applyUsers` over a `pg` Client and a
 * `mysql2/promise` Connection, as the bootstrap Lambda runs them.
 *
 * Stand-ins for what exists only on AWS, and what they cannot prove:
 * - PostgreSQL: `rds_iam` is created here as a plain role (`CREATE ROLE rds_iam`). The tests prove that iam mode
 *   grants it and takes the password away, and that password mode revokes it; that a member of rds_iam then
 *   authenticates with an IAM token only is RDS's behaviour, provable only on Aurora.
 * - MySQL: MariaDB has no AWSAuthenticationPlugin (nor does community MySQL). The iam statements' exact text is
 *   asserted in tests/unit/bootstrap-sql.test.ts; here the same statements run with the plugin clause replaced by
 *   MariaDB's `unix_socket` plugin, which proves their structure, quoting and idempotence but not that Aurora
 *   accepts `AWSAuthenticationPlugin AS 'RDS'` or that a token then logs in.
 * - MariaDB makes a granted role active at login with `SET DEFAULT ROLE r FOR u`; MySQL 8.0 (Aurora MySQL 3)
 *   with `SET DEFAULT ROLE r TO u`, which runs only on MySQL 8.0 (engine "mariadb" swaps that word, and reads
 *   role grants from `mysql.roles_mapping` instead of MySQL 8.0's `mysql.role_edges`).
 * - The PostgreSQL test server's master is a superuser; Aurora's is not. The one difference the plan depends on
 *   (PostgreSQL 16 grants a created role back to its non-superuser creator WITH ADMIN OPTION, so the master is a
 *   member of the marker role) is reproduced by granting the marker to the master that way.
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { mysqlAccount, mysqlIdent, mysqlLiteral, pgIdent } from "../../components/bootstrap/quote";
import { applyUsers } from "../../components/bootstrap/apply";
import { planUsers, usersSql } from "../../components/bootstrap/plan";
import type { UsersInput, UsersPlan } from "../../components/bootstrap/types";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";
import { stateFor, verifiedPgClient } from "../support/bootstrap";

const identity = { id: "c1a2b3", region: "eu-west-1" };
/** Every connection verifies the server as the proxy's writer name, like an application does. */
const WRITER = `db-account-proxy.${proxyDomain(identity)}`;
const PW_ORDERS = "Zx8#kLq2!vW9$mRt4&pN";
const PW_BILLING = "Qm3%Tr7*Yu1^Io5(Pa9)";
/** This bootstrap's marker role, and another bootstrap's on the same cluster. */
const MARKER = "rcx_bootstrap_test_a";
const OTHER_MARKER = "rcx_bootstrap_test_b";

/** Names config might hold that the rules refuse; the quoting must still keep each a single name. */
const HOSTILE = [
    '"; DROP TABLE canary; --',
    "'); DROP USER root; --",
    "it's",
    'a"b',
    "a`b",
    "a b",
    "a;b",
    "a\\b",
    "$rcx$ ünï-cödé 名前",
];
/** Role names with quotes and spaces, for the databaseRole revocation and the marker itself. */
const HOSTILE_ROLES = ["role 'one'", 'role "two"; DROP TABLE canary; --', "role `three`"];
const HOSTILE_MARKER = "rcx_bootstrap_'); DROP TABLE canary; --";

describe("bootstrap SQL on real servers", function () {
    this.timeout(120000);
    let tls: TestTls;
    before(() => {
        tls = makeTestTls(identity);
    });
    after(() => tls?.cleanup());

    describe("PostgreSQL", () => {
        let server: LocalPostgres;
        let admin: Client;

        function pgClient(user: string, password: string): Client {
            return verifiedPgClient(server, tls, WRITER, user, password);
        }
        /** Logs in as `user` over verify-full TLS and returns who it is and whether it is a member of app_rw. */
        async function login(user: string, password: string): Promise<{ user: string; appRw: boolean }> {
            const c = pgClient(user, password);
            await c.connect();
            try {
                const { rows } = await c.query(
                    "SELECT current_user AS user, pg_has_role(current_user, 'app_rw', 'MEMBER') AS app_rw",
                );
                return { user: rows[0].user, appRw: rows[0].app_rw };
            } finally {
                await c.end();
            }
        }
        /** Every role with what the bootstrap manages, and the database's ACL. */
        async function state(): Promise<unknown> {
            const roles = await admin.query(
                "SELECT rolname, rolcanlogin, rolpassword IS NOT NULL AS has_password," +
                    " coalesce((SELECT array_agg(r.rolname ORDER BY r.rolname) FROM pg_auth_members m" +
                    " JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = a.oid), '{}') AS member_of" +
                    " FROM pg_authid a WHERE rolname !~ '^pg_' ORDER BY rolname",
            );
            const acl = await admin.query("SELECT datacl::text FROM pg_database WHERE datname = $1", [
                server.database,
            ]);
            return { roles: roles.rows, acl: acl.rows };
        }
        /** The roles `user` is a direct member of, from the catalog. */
        async function memberOf(user: string): Promise<string[]> {
            const { rows } = await admin.query(
                "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid" +
                    " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1 ORDER BY 1",
                [user],
            );
            return rows.map((r) => r.rolname as string);
        }
        async function canLogin(user: string): Promise<boolean> {
            const { rows } = await admin.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", [user]);
            return rows[0].rolcanlogin;
        }
        async function roleNames(): Promise<string[]> {
            const { rows } = await admin.query("SELECT rolname FROM pg_roles ORDER BY rolname");
            return rows.map((r) => r.rolname as string);
        }
        async function canary(): Promise<number> {
            const { rows } = await admin.query("SELECT count(*)::int AS n FROM canary");
            return rows[0].n;
        }
        const input = (over: Partial<UsersInput> = {}): UsersInput => ({
            engine: "aurora-postgresql",
            applicationAuth: "password",
            database: server.database,
            markerRole: MARKER,
            users: [
                { name: "orders_app", password: PW_ORDERS, databaseRole: "app_rw" },
                { name: "billing", password: PW_BILLING },
            ],
            ...over,
        });
        /** One run as the handler does it: read the cluster, plan, apply. */
        async function converge(i: UsersInput): Promise<void> {
            await applyUsers(admin, planUsers(i, await stateFor(admin, i)));
        }

        before(async () => {
            server = await startPostgres(tls);
            admin = pgClient(server.adminUser, server.adminPassword);
            await admin.connect();
            // rds_iam: a stand-in for the role Aurora provides (see the header).
            await admin.query(
                "CREATE ROLE rds_iam; CREATE ROLE app_rw NOLOGIN; CREATE ROLE app_ro NOLOGIN;" +
                    " CREATE TABLE canary (id int); INSERT INTO canary VALUES (1), (2);" +
                    " GRANT SELECT ON canary TO app_rw, app_ro",
            );
        });
        after(async () => {
            await admin?.end();
            await server?.stop();
        });

        it("password mode: runs twice, the second run changes nothing, and the users log in over verify-full", async () => {
            await converge(input());
            const first = await state();
            await converge(input());
            assert.deepEqual(await state(), first);
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: true });
            assert.deepEqual(await login("billing", PW_BILLING), { user: "billing", appRw: false });
            await assert.rejects(
                login("billing", PW_ORDERS),
                /password authentication failed for user "billing"/,
            );
            // The marker: NOLOGIN, NOINHERIT, without privileges; it is a member of each user, never the other way.
            const { rows } = await admin.query(
                "SELECT rolcanlogin, rolinherit, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1",
                [MARKER],
            );
            assert.deepEqual(rows, [
                {
                    rolcanlogin: false,
                    rolinherit: false,
                    rolsuper: false,
                    rolcreaterole: false,
                    rolcreatedb: false,
                    rolbypassrls: false,
                },
            ]);
            assert.deepEqual(await memberOf(MARKER), ["billing", "orders_app"]);
            assert.deepEqual(await memberOf("orders_app"), ["app_rw"]);
            assert.deepEqual(await memberOf("billing"), []);
        });

        it("grants CONNECT on the database to each user", async () => {
            const { rows } = await admin.query(
                "SELECT has_database_privilege('orders_app', $1, 'CONNECT') AS o, has_database_privilege('billing', $1, 'CONNECT') AS b",
                [server.database],
            );
            assert.deepEqual(rows[0], { o: true, b: true });
            const acl = await admin.query("SELECT datacl::text AS acl FROM pg_database WHERE datname = $1", [
                server.database,
            ]);
            assert.match(acl.rows[0].acl, /orders_app=c\//);
            assert.match(acl.rows[0].acl, /billing=c\//);
        });

        it("a replaced Invocation (no previous input, no lockedUsers) still locks a removed consumer's user by its mark; objects stay; it comes back", async () => {
            await admin.query("GRANT CREATE ON SCHEMA public TO orders_app");
            const owner = pgClient("orders_app", PW_ORDERS);
            await owner.connect();
            await owner.query("CREATE TABLE orders_data (id int); INSERT INTO orders_data VALUES (7)");
            await owner.end();

            // Nothing names orders_app: only its mark says the bootstrap manages it.
            const removed = input({ users: [{ name: "billing", password: PW_BILLING }] });
            assert.deepEqual((await stateFor(admin, removed)).marked, ["billing", "orders_app"]);
            await converge(removed);
            const after = await state();
            await converge(removed);
            assert.deepEqual(await state(), after, "the second run changes nothing");
            await assert.rejects(
                login("orders_app", PW_ORDERS),
                /role "orders_app" is not permitted to log in/,
            );
            assert.deepEqual(await login("billing", PW_BILLING), { user: "billing", appRw: false });
            // Locked, still marked (still this bootstrap's); its memberships and its table stay.
            assert.deepEqual(await memberOf("orders_app"), ["app_rw"]);
            assert.deepEqual((await stateFor(admin, removed)).marked, ["billing", "orders_app"]);
            const { rows } = await admin.query(
                "SELECT tableowner, (SELECT count(*)::int FROM orders_data) AS n FROM pg_tables WHERE tablename = 'orders_data'",
            );
            assert.deepEqual(rows, [{ tableowner: "orders_app", n: 1 }]);
            assert.ok((await roleNames()).includes("orders_app"), "locked, never dropped");

            await converge(input());
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: true });
            assert.deepEqual(await memberOf("orders_app"), ["app_rw"]);
        });

        it("lockedUsers still locks a user of an earlier release, which carries no mark", async () => {
            await admin.query(`CREATE ROLE legacy_app LOGIN PASSWORD '${PW_BILLING}'`);
            assert.deepEqual(await login("legacy_app", PW_BILLING), { user: "legacy_app", appRw: false });
            await converge(input({ lockedUsers: ["legacy_app"] }));
            await assert.rejects(login("legacy_app", PW_BILLING), /not permitted to log in/);
            assert.equal(await canLogin("orders_app"), true);
        });

        it("changing and removing a databaseRole revokes the old membership; the mark stays", async () => {
            const withRole = (databaseRole?: string) =>
                input({
                    users: [{ name: "orders_app", password: PW_ORDERS, databaseRole }, input().users[1]],
                });
            await converge(withRole("app_ro"));
            assert.deepEqual(await memberOf("orders_app"), ["app_ro"]);
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: false });
            const changed = await state();
            await converge(withRole("app_ro"));
            assert.deepEqual(await state(), changed, "the second run changes nothing");

            await converge(withRole(undefined));
            assert.deepEqual(await memberOf("orders_app"), []);
            await converge(input());
            assert.deepEqual(await memberOf("orders_app"), ["app_rw"]);
            assert.deepEqual(await memberOf(MARKER), ["billing", "orders_app"]);
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: true });
        });

        it("never locks the master (a member of the marker WITH ADMIN OPTION, as PostgreSQL 16 makes it) nor another bootstrap's users", async () => {
            // PostgreSQL 16 grants a created role back to its non-superuser creator WITH ADMIN OPTION.
            await admin.query(`GRANT ${pgIdent(MARKER)} TO ${pgIdent(server.adminUser)} WITH ADMIN OPTION`);
            // Another bootstrap (another stack) on the same cluster: its own marker and user; one of ours also
            // carries its mark as the previous release made it (a member of the marker).
            const other = input({
                markerRole: OTHER_MARKER,
                users: [{ name: "other_app", password: PW_ORDERS }],
            });
            await converge(other);
            await admin.query(`GRANT ${pgIdent(OTHER_MARKER)} TO billing`);

            assert.ok(!(await stateFor(admin, input())).marked.includes(server.adminUser));
            await converge(input());
            assert.equal(await canLogin(server.adminUser), true);
            assert.equal(await canLogin("other_app"), true, "another bootstrap's user is not ours to lock");
            // A user belongs to one bootstrap: the other's stale mark on ours goes (a member may become a role).
            assert.deepEqual(await memberOf("billing"), []);
            assert.ok((await memberOf(MARKER)).includes("billing"));
            // The other bootstrap locks only its own removed user; ours keep our mark.
            await converge({ ...other, users: [] });
            assert.equal(await canLogin("other_app"), false);
            assert.equal(await canLogin("billing"), true);
            assert.ok((await memberOf(MARKER)).includes("billing"));
        });

        it("refuses configuring or locking the master user, before any SQL runs", async () => {
            const i = input({ lockedUsers: [server.adminUser] });
            await assert.rejects(
                async () => planUsers(i, await stateFor(admin, i)),
                /Database user bootstrap input 'lockedUsers\[0\]' is "rcx_master", but it must not be the user the bootstrap connects as \(the cluster's master user\)\./,
            );
        });

        it("iam mode: grants rds_iam (stand-in) and removes the password; password mode takes rds_iam back", async () => {
            const iam = input({
                applicationAuth: "iam",
                users: [{ name: "orders_app", databaseRole: "app_rw" }, { name: "billing" }],
            });
            await converge(iam);
            const first = await state();
            await converge(iam);
            assert.deepEqual(await state(), first);
            const { rows } = await admin.query(
                "SELECT rolname, rolcanlogin, rolpassword IS NULL AS no_password, pg_has_role(rolname, 'rds_iam', 'MEMBER') AS iam" +
                    " FROM pg_authid WHERE rolname IN ('orders_app', 'billing') ORDER BY rolname",
            );
            assert.deepEqual(rows, [
                { rolname: "billing", rolcanlogin: true, no_password: true, iam: true },
                { rolname: "orders_app", rolcanlogin: true, no_password: true, iam: true },
            ]);
            await assert.rejects(login("billing", PW_BILLING), /password authentication failed/);

            await converge(input());
            const back = await admin.query("SELECT pg_has_role('billing', 'rds_iam', 'MEMBER') AS iam");
            assert.equal(back.rows[0].iam, false);
            assert.deepEqual(await login("billing", PW_BILLING), { user: "billing", appRw: false });
        });

        it("a missing database role fails the whole run with a clear message and changes nothing", async () => {
            const before = await state();
            await assert.rejects(
                converge(
                    input({
                        users: [
                            { name: "new_app", password: PW_ORDERS },
                            { name: "fresh_app", password: PW_ORDERS, databaseRole: "no_such_role" },
                        ],
                    }),
                ),
                /Database user bootstrap input 'users\[1\]\.databaseRole' is "no_such_role", but it must be an existing database role, and there is none of that name\. Create it first/,
            );
            assert.deepEqual(await state(), before, "rolled back: nothing created, nothing locked");
        });

        it("refuses hostile and over-long names before any SQL exists", async () => {
            const current = await stateFor(admin, input());
            for (const name of [...HOSTILE, "x".repeat(64)]) {
                assert.throws(
                    () => planUsers(input({ users: [{ name, password: PW_ORDERS }] }), current),
                    /Database user bootstrap input 'users\[0\]\.name' is .*, but it must be a database user name of 1-63 lowercase letters/,
                    name,
                );
            }
            assert.throws(
                () => planUsers(input({ markerRole: HOSTILE_MARKER }), current),
                /Database user bootstrap input 'markerRole' is .*, but it must be "rcx_bootstrap_" followed by/,
            );
        });

        it("quotes hostile user, role and marker names into exactly those roles, even without the rules, and nothing else happens", async () => {
            for (const role of HOSTILE_ROLES) await admin.query(`CREATE ROLE ${pgIdent(role)} NOLOGIN`);
            const before = await roleNames();
            const hostile = (users: UsersInput["users"]) => input({ markerRole: HOSTILE_MARKER, users });
            const run = async (i: UsersInput) => applyUsers(admin, usersSql(i, await stateFor(admin, i)));
            const all = hostile(
                HOSTILE.map((name, k) => ({
                    name,
                    password: PW_ORDERS,
                    databaseRole: HOSTILE_ROLES[k % HOSTILE_ROLES.length],
                })),
            );
            await run(all);
            await run(all);
            assert.deepEqual(
                await roleNames(),
                [...before, ...HOSTILE, HOSTILE_MARKER].sort(),
                "exactly the hostile names and the marker were added",
            );
            assert.equal(await canary(), 2, "the canary table and its rows are still there");
            for (const name of HOSTILE) {
                assert.deepEqual(await login(name, PW_ORDERS), { user: name, appRw: false }, name);
            }
            // A changed role is revoked (format %I on the server), the hostile marker stays.
            const changed = hostile(
                HOSTILE.map((name) => ({ name, password: PW_ORDERS, databaseRole: "app_rw" })),
            );
            await run(changed);
            for (const name of HOSTILE) {
                assert.deepEqual(await memberOf(name), ["app_rw"], name);
            }
            assert.deepEqual(await memberOf(HOSTILE_MARKER), [...HOSTILE].sort());
            // All removed: found by the hostile marker alone, locked, still marked.
            await run(hostile([]));
            const { rows } = await admin.query(
                "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ANY($1) AND NOT rolcanlogin",
                [HOSTILE],
            );
            assert.equal(rows[0].n, HOSTILE.length);
            assert.deepEqual(await memberOf(HOSTILE[0]), ["app_rw"]);
            assert.equal(await canary(), 2);
            assert.ok((await roleNames()).includes(server.adminUser));
        });
    });

    describe("MariaDB (engine mariadb)", () => {
        let server: LocalMariadb;
        let admin: mysql.Connection;

        async function connect(user: string, password: string, database?: string): Promise<mysql.Connection> {
            return mysql.createConnection({
                host: WRITER,
                port: server.port,
                stream: () => net.connect(server.port, "127.0.0.1"),
                user,
                password,
                database,
                ssl: { ca: tls.caPem, rejectUnauthorized: true, verifyIdentity: true },
                connectTimeout: 10000,
            });
        }
        /** Logs in as `user` over verify-full TLS and reads the canary through the user's default role. */
        async function login(
            user: string,
            password: string,
        ): Promise<{ user: string; canary: number | string }> {
            const c = await connect(user, password);
            try {
                const [who] = await c.query("SELECT CURRENT_USER() AS u");
                let canary: number | string;
                try {
                    const [rows] = await c.query(`SELECT COUNT(*) AS n FROM \`${server.database}\`.canary`);
                    canary = Number((rows as { n: number }[])[0].n);
                } catch (err) {
                    canary = (err as { code?: string }).code ?? String(err);
                }
                return { user: (who as { u: string }[])[0].u, canary };
            } finally {
                await c.end();
            }
        }
        async function rows<T>(sql: string, values?: unknown[]): Promise<T[]> {
            const [r] = await admin.query(sql, values);
            return r as T[];
        }
        /** Every account with what the bootstrap manages, and every role grant. */
        async function state(): Promise<unknown> {
            const accounts = await rows(
                "SELECT user, host, JSON_VALUE(priv, '$.plugin') AS plugin," +
                    " JSON_VALUE(priv, '$.authentication_string') AS auth," +
                    " JSON_VALUE(priv, '$.account_locked') AS locked, JSON_VALUE(priv, '$.ssl_type') AS ssl_type," +
                    " JSON_VALUE(priv, '$.default_role') AS default_role FROM mysql.global_priv ORDER BY user, host",
            );
            const roles = await rows("SELECT * FROM mysql.roles_mapping ORDER BY User, Role");
            return { accounts, roles, record: await recorded(MARKER) };
        }
        /** The users the record of `marker` names (none without a record). */
        async function recorded(marker: string): Promise<string[]> {
            const [t] = await rows<{ n: number }>(
                "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'managed_users'",
                [marker],
            );
            if (Number(t.n) === 0) return [];
            const names = await rows<{ u: string }>(
                `SELECT user_name AS u FROM ${mysqlIdent(marker)}.managed_users ORDER BY 1`,
            );
            return names.map((r) => String(r.u));
        }
        /** The roles granted to `user`@'%' (catalog), and its default role. */
        async function rolesOf(user: string): Promise<{ roles: string[]; defaultRole: string }> {
            const granted = await rows<{ r: string }>(
                "SELECT Role AS r FROM mysql.roles_mapping WHERE Host = '%' AND User = ? ORDER BY 1",
                [user],
            );
            const [d] = await rows<{ d: string }>(
                "SELECT JSON_VALUE(priv, '$.default_role') AS d FROM mysql.global_priv WHERE Host = '%' AND User = ?",
                [user],
            );
            return { roles: granted.map((g) => String(g.r)), defaultRole: d.d };
        }
        async function locked(user: string): Promise<boolean> {
            const [r] = await rows<{ l: string }>(
                "SELECT JSON_VALUE(priv, '$.account_locked') AS l FROM mysql.global_priv WHERE Host = '%' AND User = ?",
                [user],
            );
            return r.l === "true" || r.l === "1";
        }
        async function users(): Promise<string[]> {
            return (
                await rows<{ u: string }>(
                    "SELECT CONCAT(user, '@', host) AS u FROM mysql.global_priv ORDER BY 1",
                )
            ).map((r) => r.u);
        }
        const input = (over: Partial<UsersInput> = {}): UsersInput => ({
            engine: "mariadb",
            applicationAuth: "password",
            database: server.database,
            markerRole: MARKER,
            users: [
                { name: "orders_app", password: PW_ORDERS, databaseRole: "app_rw" },
                { name: "billing", password: PW_BILLING },
            ],
            ...over,
        });
        /** One run as the handler does it: read the cluster, plan, apply. */
        async function converge(i: UsersInput, as: mysql.Connection = admin): Promise<void> {
            await applyUsers(as, planUsers(i, await stateFor(as, i)));
        }

        before(async () => {
            server = await startMariadb(tls);
            admin = await connect(server.adminUser, server.adminPassword);
            await admin.query("CREATE ROLE app_rw");
            await admin.query("CREATE ROLE app_ro");
            await admin.query(`GRANT SELECT ON \`${server.database}\`.* TO app_rw`);
            await admin.query(`CREATE TABLE \`${server.database}\`.canary (id int)`);
            await admin.query(`GRANT SELECT ON \`${server.database}\`.canary TO app_ro`);
            await admin.query(`INSERT INTO \`${server.database}\`.canary VALUES (1), (2)`);
        });
        after(async () => {
            await admin?.end();
            await server?.stop();
        });

        it("password mode: runs twice, the second run changes nothing, and the users log in over verify-full", async () => {
            await converge(input());
            const first = await state();
            await converge(input());
            assert.deepEqual(await state(), first);
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app@%", canary: 2 });
            // Connect only: no role, no access to the database's tables.
            assert.deepEqual(await login("billing", PW_BILLING), {
                user: "billing@%",
                canary: "ER_TABLEACCESS_DENIED_ERROR",
            });
            await assert.rejects(login("billing", PW_ORDERS), /Access denied for user 'billing'/);
            // Each user is recorded; it holds exactly the databaseRole, its default role, and no marker role.
            assert.deepEqual(await rolesOf("orders_app"), { roles: ["app_rw"], defaultRole: "app_rw" });
            assert.deepEqual(await rolesOf("billing"), { roles: [], defaultRole: "" });
            assert.deepEqual(await recorded(MARKER), ["billing", "orders_app"]);
            assert.ok(!(await users()).some((u) => u.startsWith(MARKER)), "no marker role or account");
            assert.deepEqual(
                await rows("SELECT User FROM mysql.db WHERE ? LIKE Db", [MARKER]),
                [],
                "nobody holds a schema grant on the record",
            );
        });

        it("requires TLS of every user it creates", async () => {
            const ssl = await rows<{ user: string; ssl_type: string }>(
                "SELECT user, JSON_VALUE(priv, '$.ssl_type') AS ssl_type FROM mysql.global_priv WHERE user IN ('orders_app', 'billing') ORDER BY user",
            );
            assert.deepEqual(ssl, [
                { user: "billing", ssl_type: "1" },
                { user: "orders_app", ssl_type: "1" },
            ]);
        });

        it("a replaced Invocation (no previous input, no lockedUsers) still locks a removed consumer's user by its mark; grants stay; it comes back", async () => {
            const removed = input({ users: [{ name: "billing", password: PW_BILLING }] });
            assert.deepEqual((await stateFor(admin, removed)).marked, ["billing", "orders_app"]);
            await converge(removed);
            const after = await state();
            await converge(removed);
            assert.deepEqual(await state(), after, "the second run changes nothing");
            await assert.rejects(login("orders_app", PW_ORDERS), /account is locked/);
            assert.equal((await login("billing", PW_BILLING)).user, "billing@%");
            assert.ok((await users()).includes("orders_app@%"), "locked, never dropped");
            // Locked, and still marked (still this bootstrap's); its role grant stays.
            assert.deepEqual((await rolesOf("orders_app")).roles, ["app_rw"]);
            assert.deepEqual(await recorded(MARKER), ["billing", "orders_app"]);

            await converge(input());
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app@%", canary: 2 });
            assert.deepEqual((await rolesOf("orders_app")).roles, ["app_rw"]);
        });

        it("lockedUsers still locks a user of an earlier release, which carries no mark", async () => {
            await admin.query(`CREATE USER 'legacy_app'@'%' IDENTIFIED BY '${PW_BILLING}' REQUIRE SSL`);
            assert.equal((await login("legacy_app", PW_BILLING)).user, "legacy_app@%");
            await converge(input({ lockedUsers: ["legacy_app"] }));
            await assert.rejects(login("legacy_app", PW_BILLING), /account is locked/);
            assert.equal(await locked("orders_app"), false);
        });

        it("changing and removing a databaseRole revokes the old grant and resets the default role", async () => {
            const withRole = (databaseRole?: string) =>
                input({
                    users: [{ name: "orders_app", password: PW_ORDERS, databaseRole }, input().users[1]],
                });
            await converge(withRole("app_ro"));
            assert.deepEqual(await rolesOf("orders_app"), { roles: ["app_ro"], defaultRole: "app_ro" });
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app@%", canary: 2 });
            const changed = await state();
            await converge(withRole("app_ro"));
            assert.deepEqual(await state(), changed, "the second run changes nothing");

            await converge(withRole(undefined));
            assert.deepEqual(await rolesOf("orders_app"), { roles: [], defaultRole: "" });
            assert.deepEqual(await login("orders_app", PW_ORDERS), {
                user: "orders_app@%",
                canary: "ER_TABLEACCESS_DENIED_ERROR",
            });
            const none = await state();
            await converge(withRole(undefined));
            assert.deepEqual(await state(), none, "the second run changes nothing");

            await converge(input());
            assert.deepEqual(await rolesOf("orders_app"), { roles: ["app_rw"], defaultRole: "app_rw" });
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app@%", canary: 2 });
        });

        it("never locks a master at host % (MariaDB records a role's creator as a member) nor another bootstrap's users", async () => {
            // A master like Aurora's: any host. Creating a marker role (as the previous release did) makes it a
            // member with Admin_option = 'Y'.
            const master2 = "rcx_master_any";
            await admin.query(
                `CREATE USER ${mysqlAccount(master2)} IDENTIFIED BY '${PW_ORDERS}' REQUIRE SSL`,
            );
            await admin.query(`GRANT ALL PRIVILEGES ON *.* TO ${mysqlAccount(master2)} WITH GRANT OPTION`);
            const as2 = await connect(master2, PW_ORDERS);
            try {
                const other = input({
                    markerRole: OTHER_MARKER,
                    users: [{ name: "other_app", password: PW_ORDERS }],
                });
                await as2.query(`CREATE ROLE ${mysqlLiteral(OTHER_MARKER)}`);
                await converge(other, as2);
                assert.deepEqual(await recorded(OTHER_MARKER), ["other_app"]);
                const creator = await rows<{ a: string }>(
                    "SELECT Admin_option AS a FROM mysql.roles_mapping WHERE User = ? AND Host = '%' AND Role = ?",
                    [master2, OTHER_MARKER],
                );
                assert.deepEqual(creator, [{ a: "Y" }], "the creator is recorded as an admin member");
                // The previous release's mark of the other bootstrap on one of ours. Only an admin of a MariaDB
                // role may grant it: its creator.
                await as2.query(`GRANT ${mysqlLiteral(OTHER_MARKER)} TO 'billing'@'%'`);

                await assert.rejects(
                    converge(
                        input({ users: [...input().users, { name: "other_app", password: PW_ORDERS }] }),
                    ),
                    /'users\[2\]\.name' is "other_app", but it must be a user this bootstrap created, and it exists already: it belongs to another bootstrap \(marked by rcx_bootstrap_test_b\)/,
                );
                await converge(input());
                assert.equal(
                    await locked("other_app"),
                    false,
                    "another bootstrap's user is not ours to lock",
                );
                assert.deepEqual((await rolesOf("billing")).roles, [OTHER_MARKER], "nor is its mark");
                await as2.query(`REVOKE ${mysqlLiteral(OTHER_MARKER)} FROM 'billing'@'%'`);

                await converge({ ...other, users: [] }, as2);
                assert.equal(await locked(master2), false, "the connected master is never locked");
                assert.equal(await locked("other_app"), true);
                assert.equal(await locked("billing"), false);
                assert.deepEqual((await rolesOf("billing")).roles, []);
                assert.deepEqual(await recorded(OTHER_MARKER), ["other_app"], "locked, still marked");
            } finally {
                await as2.end();
            }
        });

        it("iam mode (AWSAuthenticationPlugin replaced by unix_socket, see the header): structure, quoting, idempotence", async () => {
            // A marker of its own: this plan is about the iam statements, not about locking the users above.
            const iamInput = input({
                applicationAuth: "iam",
                markerRole: "rcx_bootstrap_iam",
                users: [{ name: "iam_app", databaseRole: "app_rw" }],
            });
            const standIn = async (): Promise<UsersPlan> => {
                const iam = usersSql(iamInput, await stateFor(admin, iamInput));
                const replaced = iam.statements.map((s) => {
                    const sql = s.sql.replace(
                        "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
                        "IDENTIFIED WITH unix_socket AS 'RDS'",
                    );
                    return { ...s, sql, shown: sql };
                });
                assert.equal(
                    replaced.filter((s, i) => s.sql !== iam.statements[i].sql).length,
                    2,
                    "only the CREATE USER and ALTER USER statements carry the plugin clause",
                );
                return { ...iam, statements: replaced };
            };
            await applyUsers(admin, await standIn());
            const first = await state();
            await applyUsers(admin, await standIn());
            assert.deepEqual(await state(), first);
            assert.deepEqual(
                await rows(
                    "SELECT JSON_VALUE(priv, '$.plugin') AS plugin, JSON_VALUE(priv, '$.authentication_string') AS a" +
                        " FROM mysql.global_priv WHERE user = 'iam_app'",
                ),
                [{ plugin: "unix_socket", a: "RDS" }],
            );
        });

        it("refuses hostile and over-long names before any SQL exists", async () => {
            const current = await stateFor(admin, input());
            for (const name of [...HOSTILE, "x".repeat(81)]) {
                assert.throws(
                    () => planUsers(input({ users: [{ name, password: PW_ORDERS }] }), current),
                    /Database user bootstrap input 'users\[0\]\.name' is .*, but it must be a database user name of 1-80 lowercase letters/,
                    name,
                );
            }
        });

        it("creates a user of the rule's longest name, 80 characters, which the server's grant tables hold", async () => {
            // MariaDB 5.5.31 to 10.5 hold 80 characters, this server (10.11) 128: the rule takes what every one holds.
            const [width] = await rows<{ n: number }>(
                "SELECT CHARACTER_MAXIMUM_LENGTH AS n FROM information_schema.COLUMNS" +
                    " WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'global_priv' AND COLUMN_NAME = 'User'",
            );
            assert.ok(Number(width.n) >= 80, `mysql.global_priv.User holds ${width.n} characters`);
            const longest = "l".repeat(80);
            // A marker of its own, so that this run locks none of the other tests' users.
            const i = input({
                markerRole: "rcx_bootstrap_longest",
                users: [{ name: longest, password: PW_ORDERS }],
            });
            await applyUsers(admin, planUsers(i, await stateFor(admin, i)));
            assert.ok((await users()).includes(`${longest}@%`));
            assert.equal((await login(longest, PW_ORDERS)).user, `${longest}@%`);
            await admin.query(`DROP USER '${longest}'@'%'`);
            // The mark is a row of the bootstrap's record (a schema named after the marker), not a role.
            await admin.query("DROP DATABASE `rcx_bootstrap_longest`");
        });

        it("quotes hostile user, role and marker names into exactly those accounts, even without the rules, and nothing else happens", async () => {
            for (const role of HOSTILE_ROLES) await admin.query(`CREATE ROLE ${mysqlLiteral(role)}`);
            const before = await users();
            const hostile = (list: UsersInput["users"]) => input({ markerRole: HOSTILE_MARKER, users: list });
            const run = async (i: UsersInput) => applyUsers(admin, usersSql(i, await stateFor(admin, i)));
            const all = hostile(
                HOSTILE.map((name, k) => ({
                    name,
                    password: PW_ORDERS,
                    databaseRole: HOSTILE_ROLES[k % HOSTILE_ROLES.length],
                })),
            );
            await run(all);
            await run(all);
            assert.deepEqual(
                await users(),
                [...before, ...HOSTILE.map((n) => `${n}@%`)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
                "exactly the hostile names were added; root and the others are still there",
            );
            assert.deepEqual(
                await recorded(HOSTILE_MARKER),
                [...HOSTILE].sort(),
                "the record has the hostile name",
            );
            const [canary] = await admin.query(`SELECT COUNT(*) AS n FROM \`${server.database}\`.canary`);
            assert.equal(
                Number((canary as { n: number }[])[0].n),
                2,
                "the canary table and its rows are still there",
            );
            for (const [k, name] of HOSTILE.entries()) {
                assert.equal((await login(name, PW_ORDERS)).user, `${name}@%`, name);
                assert.deepEqual(
                    await rolesOf(name),
                    {
                        roles: [HOSTILE_ROLES[k % HOSTILE_ROLES.length]],
                        defaultRole: HOSTILE_ROLES[k % HOSTILE_ROLES.length],
                    },
                    name,
                );
            }
            // A changed role: the hostile role grants are revoked by their quoted names.
            await run(
                hostile(HOSTILE.map((name) => ({ name, password: PW_ORDERS, databaseRole: "app_rw" }))),
            );
            for (const name of HOSTILE) {
                assert.deepEqual(await rolesOf(name), { roles: ["app_rw"], defaultRole: "app_rw" }, name);
                assert.deepEqual(await login(name, PW_ORDERS), { user: `${name}@%`, canary: 2 }, name);
            }
            // All removed: found by the hostile marker alone, locked, still marked.
            await run(hostile([]));
            const lockedCount = await rows<{ n: number }>(
                "SELECT COUNT(*) AS n FROM mysql.global_priv WHERE host = '%' AND user IN (?) AND JSON_VALUE(priv, '$.account_locked') = 1",
                [HOSTILE],
            );
            assert.equal(Number(lockedCount[0].n), HOSTILE.length);
            assert.deepEqual((await rolesOf(HOSTILE[0])).roles, ["app_rw"]);
            assert.deepEqual(await recorded(HOSTILE_MARKER), [...HOSTILE].sort(), "still marked");
            assert.equal(await locked("orders_app"), false, "another marker's users are untouched");
        });
    });
});
