/**
 * The bootstrap's SQL against real servers: PostgreSQL (for Aurora PostgreSQL) and MariaDB (the stand-in for
 * Aurora MySQL), both TLS-only on loopback, the plans run through `applyUsers` over a `pg` Client and a
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
 *   with `SET DEFAULT ROLE ALL TO u`, which runs only on Aurora (`mysqlFlavor: "mariadb"` swaps that one statement).
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import {
    applyUsers,
    planUsers,
    usersSql,
    type UsersInput,
    type UsersPlan,
} from "../../components/bootstrap/sql";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";

const identity = { id: "c1a2b3", region: "eu-west-1" };
/** Every connection verifies the server as the proxy's writer name, like an application does. */
const WRITER = `db-account-proxy.${proxyDomain(identity)}`;
const PW_ORDERS = "Zx8#kLq2!vW9$mRt4&pN";
const PW_BILLING = "Qm3%Tr7*Yu1^Io5(Pa9)";

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
            return new Client({
                host: "127.0.0.1",
                port: server.port,
                user,
                password,
                database: server.database,
                ssl: { ca: tls.caPem, servername: WRITER, rejectUnauthorized: true },
                connectionTimeoutMillis: 10000,
            });
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
            users: [
                { name: "orders_app", password: PW_ORDERS, databaseRole: "app_rw" },
                { name: "billing", password: PW_BILLING },
            ],
            ...over,
        });

        before(async () => {
            server = await startPostgres(tls);
            admin = pgClient(server.adminUser, server.adminPassword);
            await admin.connect();
            // rds_iam: a stand-in for the role Aurora provides (see the header).
            await admin.query(
                "CREATE ROLE rds_iam; CREATE ROLE app_rw NOLOGIN;" +
                    " CREATE TABLE canary (id int); INSERT INTO canary VALUES (1), (2);" +
                    " GRANT SELECT ON canary TO app_rw",
            );
        });
        after(async () => {
            await admin?.end();
            await server?.stop();
        });

        it("password mode: runs twice, the second run changes nothing, and the users log in over verify-full", async () => {
            await applyUsers(admin, planUsers(input()));
            const first = await state();
            await applyUsers(admin, planUsers(input()));
            assert.deepEqual(await state(), first);
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: true });
            assert.deepEqual(await login("billing", PW_BILLING), { user: "billing", appRw: false });
            await assert.rejects(
                login("billing", PW_ORDERS),
                /password authentication failed for user "billing"/,
            );
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

        it("locks a removed consumer's user, keeps its objects, and unlocks it when it comes back", async () => {
            await admin.query("GRANT CREATE ON SCHEMA public TO orders_app");
            const owner = pgClient("orders_app", PW_ORDERS);
            await owner.connect();
            await owner.query("CREATE TABLE orders_data (id int); INSERT INTO orders_data VALUES (7)");
            await owner.end();

            const removed = input({
                users: [{ name: "billing", password: PW_BILLING }],
                lockedUsers: ["orders_app"],
            });
            await applyUsers(admin, planUsers(removed));
            await applyUsers(admin, planUsers(removed));
            await assert.rejects(
                login("orders_app", PW_ORDERS),
                /role "orders_app" is not permitted to log in/,
            );
            const { rows } = await admin.query(
                "SELECT tableowner, (SELECT count(*)::int FROM orders_data) AS n FROM pg_tables WHERE tablename = 'orders_data'",
            );
            assert.deepEqual(rows, [{ tableowner: "orders_app", n: 1 }]);
            assert.ok((await roleNames()).includes("orders_app"), "locked, never dropped");

            await applyUsers(admin, planUsers(input()));
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: true });
        });

        it("revokes a database role no longer configured", async () => {
            await applyUsers(
                admin,
                planUsers(input({ users: [{ name: "orders_app", password: PW_ORDERS }] })),
            );
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: false });
            await applyUsers(admin, planUsers(input()));
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app", appRw: true });
        });

        it("iam mode: grants rds_iam (stand-in) and removes the password; password mode takes rds_iam back", async () => {
            const iam = input({
                applicationAuth: "iam",
                users: [{ name: "orders_app", databaseRole: "app_rw" }, { name: "billing" }],
            });
            await applyUsers(admin, planUsers(iam));
            const first = await state();
            await applyUsers(admin, planUsers(iam));
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

            await applyUsers(admin, planUsers(input()));
            const back = await admin.query("SELECT pg_has_role('billing', 'rds_iam', 'MEMBER') AS iam");
            assert.equal(back.rows[0].iam, false);
            assert.deepEqual(await login("billing", PW_BILLING), { user: "billing", appRw: false });
        });

        it("a missing database role fails the whole run with a clear message and changes nothing", async () => {
            const before = await roleNames();
            await assert.rejects(
                applyUsers(
                    admin,
                    planUsers(
                        input({
                            users: [
                                { name: "new_app", password: PW_ORDERS },
                                { name: "other_app", password: PW_ORDERS, databaseRole: "no_such_role" },
                            ],
                        }),
                    ),
                ),
                /The database role no_such_role \(databaseRole of user other_app\) does not exist; create it first\./,
            );
            assert.deepEqual(await roleNames(), before, "rolled back: new_app was not created either");
        });

        it("refuses hostile and over-long names before any SQL exists", () => {
            for (const name of [...HOSTILE, "x".repeat(64)]) {
                assert.throws(
                    () => planUsers(input({ users: [{ name, password: PW_ORDERS }] })),
                    /Database user bootstrap input 'users\[0\]\.name' is .*, but it must be a database user name of 1-63 lowercase letters/,
                    name,
                );
            }
        });

        it("quotes hostile names into exactly those roles, even without the rules, and nothing else happens", async () => {
            const before = await roleNames();
            const plan: UsersPlan = usersSql(
                input({
                    users: HOSTILE.map((name) => ({ name, password: PW_ORDERS, databaseRole: "app_rw" })),
                }),
            );
            await applyUsers(admin, plan);
            await applyUsers(admin, plan);
            assert.deepEqual(
                await roleNames(),
                [...before, ...HOSTILE].sort(),
                "exactly the hostile names were added",
            );
            assert.equal(await canary(), 2, "the canary table and its rows are still there");
            for (const name of HOSTILE) {
                assert.deepEqual(await login(name, PW_ORDERS), { user: name, appRw: true }, name);
            }
            const locked = usersSql(input({ users: [], lockedUsers: HOSTILE }));
            await applyUsers(admin, locked);
            const { rows } = await admin.query(
                "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ANY($1) AND NOT rolcanlogin",
                [HOSTILE],
            );
            assert.equal(rows[0].n, HOSTILE.length);
            assert.ok((await roleNames()).includes(server.adminUser));
        });
    });

    describe("MariaDB (for Aurora MySQL)", () => {
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
            return { accounts, roles };
        }
        async function users(): Promise<string[]> {
            return (
                await rows<{ u: string }>(
                    "SELECT CONCAT(user, '@', host) AS u FROM mysql.global_priv ORDER BY 1",
                )
            ).map((r) => r.u);
        }
        const input = (over: Partial<UsersInput> = {}): UsersInput => ({
            engine: "aurora-mysql",
            mysqlFlavor: "mariadb",
            applicationAuth: "password",
            database: server.database,
            users: [
                { name: "orders_app", password: PW_ORDERS, databaseRole: "app_rw" },
                { name: "billing", password: PW_BILLING },
            ],
            ...over,
        });

        before(async () => {
            server = await startMariadb(tls);
            admin = await connect(server.adminUser, server.adminPassword);
            await admin.query("CREATE ROLE app_rw");
            await admin.query(`GRANT SELECT ON \`${server.database}\`.* TO app_rw`);
            await admin.query(`CREATE TABLE \`${server.database}\`.canary (id int)`);
            await admin.query(`INSERT INTO \`${server.database}\`.canary VALUES (1), (2)`);
        });
        after(async () => {
            await admin?.end();
            await server?.stop();
        });

        it("password mode: runs twice, the second run changes nothing, and the users log in over verify-full", async () => {
            await applyUsers(admin, planUsers(input()));
            const first = await state();
            await applyUsers(admin, planUsers(input()));
            assert.deepEqual(await state(), first);
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app@%", canary: 2 });
            // Connect only: no role, no access to the database's tables.
            assert.deepEqual(await login("billing", PW_BILLING), {
                user: "billing@%",
                canary: "ER_TABLEACCESS_DENIED_ERROR",
            });
            await assert.rejects(login("billing", PW_ORDERS), /Access denied for user 'billing'/);
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

        it("locks a removed consumer's user, keeps its grants, and unlocks it when it comes back", async () => {
            const removed = input({
                users: [{ name: "billing", password: PW_BILLING }],
                lockedUsers: ["orders_app"],
            });
            await applyUsers(admin, planUsers(removed));
            await applyUsers(admin, planUsers(removed));
            await assert.rejects(login("orders_app", PW_ORDERS), /account is locked/);
            assert.ok((await users()).includes("orders_app@%"), "locked, never dropped");
            const grants = await rows<Record<string, string>>("SHOW GRANTS FOR 'orders_app'@'%'");
            assert.ok(grants.some((g) => Object.values(g)[0] === "GRANT `app_rw` TO `orders_app`@`%`"));

            await applyUsers(admin, planUsers(input()));
            assert.deepEqual(await login("orders_app", PW_ORDERS), { user: "orders_app@%", canary: 2 });
        });

        it("iam mode (AWSAuthenticationPlugin replaced by unix_socket, see the header): structure, quoting, idempotence", async () => {
            const iam = usersSql(
                input({ applicationAuth: "iam", users: [{ name: "iam_app", databaseRole: "app_rw" }] }),
            );
            const standIn: UsersPlan = {
                ...iam,
                statements: iam.statements.map((s) => {
                    const sql = s.sql.replace(
                        "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
                        "IDENTIFIED WITH unix_socket AS 'RDS'",
                    );
                    return { ...s, sql, shown: sql };
                }),
            };
            assert.equal(
                standIn.statements.filter((s, i) => s.sql !== iam.statements[i].sql).length,
                2,
                "only the CREATE USER and ALTER USER statements carry the plugin clause",
            );
            await applyUsers(admin, standIn);
            const first = await state();
            await applyUsers(admin, standIn);
            assert.deepEqual(await state(), first);
            assert.deepEqual(
                await rows(
                    "SELECT JSON_VALUE(priv, '$.plugin') AS plugin, JSON_VALUE(priv, '$.authentication_string') AS a" +
                        " FROM mysql.global_priv WHERE user = 'iam_app'",
                ),
                [{ plugin: "unix_socket", a: "RDS" }],
            );
        });

        it("refuses hostile and over-long names before any SQL exists", () => {
            for (const name of [...HOSTILE, "x".repeat(33)]) {
                assert.throws(
                    () => planUsers(input({ users: [{ name, password: PW_ORDERS }] })),
                    /Database user bootstrap input 'users\[0\]\.name' is .*, but it must be a database user name of 1-32 lowercase letters/,
                    name,
                );
            }
        });

        it("quotes hostile names into exactly those users, even without the rules, and nothing else happens", async () => {
            const before = await users();
            const plan = usersSql(
                input({
                    users: HOSTILE.map((name) => ({ name, password: PW_ORDERS, databaseRole: "app_rw" })),
                }),
            );
            await applyUsers(admin, plan);
            await applyUsers(admin, plan);
            assert.deepEqual(
                await users(),
                [...before, ...HOSTILE.map((n) => `${n}@%`)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
                "exactly the hostile names were added; root and the others are still there",
            );
            const [canary] = await admin.query(`SELECT COUNT(*) AS n FROM \`${server.database}\`.canary`);
            assert.equal(
                Number((canary as { n: number }[])[0].n),
                2,
                "the canary table and its rows are still there",
            );
            for (const name of HOSTILE) {
                assert.deepEqual(await login(name, PW_ORDERS), { user: `${name}@%`, canary: 2 }, name);
            }
            await applyUsers(admin, usersSql(input({ users: [], lockedUsers: HOSTILE })));
            const locked = await rows<{ n: number }>(
                "SELECT COUNT(*) AS n FROM mysql.global_priv WHERE host = '%' AND user IN (?) AND JSON_VALUE(priv, '$.account_locked') = 1",
                [HOSTILE],
            );
            assert.equal(Number(locked[0].n), HOSTILE.length);
        });
    });
});
