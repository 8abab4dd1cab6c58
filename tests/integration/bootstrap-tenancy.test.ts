/**
 * Tenants stay apart, on real servers: the bootstrap runs as a master that is NOT a superuser, on a cluster that
 * already holds other teams' roles, users and tables (and, on MariaDB, host-specific accounts), and:
 * - each refusal (tenancy.ts and the databaseRole rule) changes nothing: the whole catalog is the same after it;
 * - a consumer cannot run programs, read or write server files, signal other sessions, read other sessions'
 *   query text, or become another user or the marker;
 * - a user of the previous release (a member of the marker; on MySQL, holding the marker role) is still found, and
 *   its mark is moved (MySQL: to the bootstrap's record, which no consumer can read, change or become).
 *
 * Stand-ins: PostgreSQL's master is a LOGIN CREATEROLE CREATEDB role that owns the application database, as the
 * Aurora master's own attributes are ("Master user account privileges", Amazon Aurora User Guide; its
 * rds_superuser membership is not reproduced, which only makes the master weaker here). MariaDB's master has the
 * privileges RDS for MariaDB gives it (same page: SELECT … CREATE USER, EVENT, TRIGGER ON *.* WITH GRANT OPTION,
 * no SUPER, FILE or SHUTDOWN). The other teams' objects are created by the servers' superusers.
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { applyUsers } from "../../components/bootstrap/apply";
import type { SqlClient } from "../../components/bootstrap/client";
import { planUsers } from "../../components/bootstrap/plan";
import type { UsersInput } from "../../components/bootstrap/types";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";
import { stateFor, verifiedPgClient } from "../support/bootstrap";

const identity = { id: "d4e5f6", region: "eu-west-1" };
const WRITER = `db-account-proxy.${proxyDomain(identity)}`;
const PW = "Zx8#kLq2!vW9$mRt4&pN";
const PW_OTHER = "Qm3%Tr7*Yu1^Io5(Pa9)";
const MARKER = "rcx_bootstrap_tenancy";
const MASTER = "aurora_master";

/** One run as the handler does it: read the cluster, plan (checks first), apply. */
async function converge(client: SqlClient, input: UsersInput): Promise<void> {
    await applyUsers(client, planUsers(input, await stateFor(client, input)));
}

/** The two tenants this file's runs manage, on `engine`: orders_app (a member of app_rw) and billing. */
function tenantsInput(engine: UsersInput["engine"], database: string, over: Partial<UsersInput>): UsersInput {
    return {
        engine,
        applicationAuth: "password",
        database,
        markerRole: MARKER,
        users: [
            { name: "orders_app", password: PW, databaseRole: "app_rw" },
            { name: "billing", password: PW_OTHER },
        ],
        ...over,
    };
}

describe("bootstrap tenancy on real servers, as a master that is not a superuser", function () {
    this.timeout(120000);
    let tls: TestTls;
    before(() => {
        tls = makeTestTls(identity);
    });
    after(() => tls?.cleanup());

    describe("PostgreSQL", () => {
        let server: LocalPostgres;
        let root: Client;
        let master: Client;

        function client(user: string, password: string): Client {
            return verifiedPgClient(server, tls, WRITER, user, password);
        }
        async function session(user: string, password: string): Promise<Client> {
            const c = client(user, password);
            await c.connect();
            return c;
        }
        /** Every role with its attributes and memberships, every table with its owner, the database's ACL. */
        async function catalog(): Promise<unknown> {
            const roles = await root.query(
                "SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolinherit," +
                    " rolpassword IS NOT NULL AS has_password," +
                    " coalesce((SELECT array_agg(r.rolname ORDER BY r.rolname) FROM pg_auth_members m" +
                    " JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = a.oid), '{}') AS member_of" +
                    " FROM pg_authid a WHERE rolname !~ '^pg_' ORDER BY rolname",
            );
            const tables = await root.query(
                "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
            );
            const acl = await root.query("SELECT datacl::text FROM pg_database WHERE datname = $1", [
                server.database,
            ]);
            return { roles: roles.rows, tables: tables.rows, acl: acl.rows };
        }
        const input = (over: Partial<UsersInput> = {}): UsersInput =>
            tenantsInput("aurora-postgresql", server.database, over);
        /** Runs `i` and expects a refusal matching `message`, with the catalog exactly as before. */
        async function refused(i: UsersInput, message: RegExp): Promise<void> {
            const before = await catalog();
            await assert.rejects(converge(master, i), message);
            assert.deepEqual(await catalog(), before, "a refusal changes nothing");
        }

        before(async () => {
            server = await startPostgres(tls);
            root = client(server.adminUser, server.adminPassword);
            await root.connect();
            // The master as Aurora makes it (see the header), and other teams' roles, users and tables.
            await root.query(
                `CREATE ROLE ${MASTER} LOGIN CREATEROLE CREATEDB PASSWORD '${PW}';` +
                    ` ALTER DATABASE ${server.database} OWNER TO ${MASTER};` +
                    ` GRANT ALL ON SCHEMA public TO ${MASTER};` +
                    " CREATE ROLE rds_iam;" +
                    " CREATE ROLE team_b_owner NOLOGIN CREATEROLE BYPASSRLS;" +
                    " CREATE TABLE team_b_secrets (v text); INSERT INTO team_b_secrets VALUES ('b');" +
                    " ALTER TABLE team_b_secrets OWNER TO team_b_owner;" +
                    ` CREATE ROLE team_b_app LOGIN PASSWORD '${PW_OTHER}';` +
                    " CREATE TABLE team_b_data (v text); ALTER TABLE team_b_data OWNER TO team_b_app;" +
                    " CREATE ROLE reads_files NOLOGIN; GRANT pg_read_server_files TO reads_files;" +
                    " CREATE ROLE via_team_b NOLOGIN; GRANT team_b_app TO via_team_b;" +
                    " CREATE ROLE makes_dbs NOLOGIN CREATEDB;",
            );
            master = client(MASTER, PW);
            await master.connect();
            // The application's role, as its DBA (the master) makes it.
            await master.query(
                "CREATE ROLE app_rw NOLOGIN; CREATE TABLE canary (id int); INSERT INTO canary VALUES (1), (2);" +
                    " GRANT SELECT ON canary TO app_rw",
            );
            await converge(master, input());
        });
        after(async () => {
            await master?.end();
            await root?.end();
            await server?.stop();
        });

        it("the master is not a superuser, and the consumers log in with only what config gives them", async () => {
            const { rows } = await root.query("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [MASTER]);
            assert.deepEqual(rows, [{ rolsuper: false }]);
            const orders = await session("orders_app", PW);
            try {
                assert.deepEqual((await orders.query("SELECT count(*)::int AS n FROM canary")).rows, [
                    { n: 2 },
                ]);
                await assert.rejects(orders.query("SELECT * FROM team_b_data"), /permission denied/);
                await assert.rejects(orders.query("SELECT * FROM team_b_secrets"), /permission denied/);
            } finally {
                await orders.end();
            }
        });

        it("no consumer can run programs, touch server files, signal or watch other sessions, or become another role", async () => {
            const other = await session("team_b_app", PW_OTHER);
            const orders = await session("orders_app", PW);
            try {
                await other.query("SELECT 'team b secret query' AS marker_text");
                const otherPid = (await other.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
                await assert.rejects(
                    orders.query("COPY (SELECT 1) TO PROGRAM 'id'"),
                    /permission denied|must be superuser/,
                );
                await assert.rejects(orders.query("SELECT pg_read_file('PG_VERSION')"), /permission denied/);
                await assert.rejects(
                    orders.query("COPY canary TO '/tmp/rcx-canary'"),
                    /permission denied|must be superuser/,
                );
                await assert.rejects(
                    orders.query("COPY canary FROM '/etc/hostname'"),
                    /permission denied|must be superuser/,
                );
                await assert.rejects(
                    orders.query("SELECT pg_terminate_backend($1)", [otherPid]),
                    /must be a member of the role whose process is being terminated or member of pg_signal_backend/,
                );
                await assert.rejects(
                    orders.query("SELECT pg_cancel_backend($1)", [otherPid]),
                    /must be a member of the role whose query is being canceled or member of pg_signal_backend/,
                );
                const seen = await orders.query("SELECT query FROM pg_stat_activity WHERE pid = $1", [
                    otherPid,
                ]);
                assert.deepEqual(seen.rows, [{ query: "<insufficient privilege>" }]);
                for (const role of [MARKER, "team_b_app", "billing", MASTER, "team_b_owner", "rds_iam"]) {
                    await assert.rejects(
                        orders.query(`SET ROLE "${role}"`),
                        /permission denied to set role/,
                        role,
                    );
                }
                assert.equal((await other.query("SELECT 1 AS ok")).rows[0].ok, 1, "the other session lives");
            } finally {
                await orders.end();
                await other.end();
            }
        });

        it("refuses PostgreSQL's predefined roles, public and none as a databaseRole, before any SQL", async () => {
            for (const role of [
                "pg_execute_server_program",
                "pg_read_server_files",
                "pg_write_server_files",
                "pg_signal_backend",
                "pg_monitor",
                "pg_read_all_stats",
                "pg_read_all_data",
                "pg_database_owner",
                "public",
                "none",
            ]) {
                await refused(
                    input({ users: [{ name: "orders_app", password: PW, databaseRole: role }] }),
                    /'users\[0\]\.databaseRole' is .*, but it must be an existing database role name .*not starting with "pg_"/,
                );
            }
        });

        it("refuses a databaseRole that is a login role, a consumer's user, a locked user, or reaches server power or another user", async () => {
            // gone_app: a consumer removed since, locked and still marked.
            await converge(master, input({ users: [...input().users, { name: "gone_app", password: PW }] }));
            await converge(master, input());
            const cases: [string, RegExp][] = [
                ["team_b_app", /"team_b_app" is a login role/],
                ["billing", /"billing" is a consumer's database user/],
                ["gone_app", /"gone_app" is a consumer's database user/],
                [MASTER, /"aurora_master" is a login role; "aurora_master" has CREATEROLE, CREATEDB/],
                ["reads_files", /"pg_read_server_files" is a PostgreSQL predefined role/],
                ["via_team_b", /"team_b_app" is a login role/],
                ["makes_dbs", /"makes_dbs" has CREATEDB/],
                ["no_such_role", /it must be an existing database role, and there is none of that name/],
            ];
            for (const [role, message] of cases) {
                const i = input({
                    users: [
                        { name: "fresh_app", password: PW },
                        { name: "new_app", password: PW, databaseRole: role },
                    ],
                });
                await refused(i, message);
            }
        });

        it("refuses an existing user without the mark (another team's), and adopts one only when told, taking away what a consumer must not have", async () => {
            // Another team's NOLOGIN role with CREATEROLE and BYPASSRLS, owning its table; and its login user.
            await refused(
                input({
                    users: [
                        { name: "team_b_owner", password: PW },
                        { name: "fresh_app", password: PW },
                    ],
                }),
                /'users\[0\]\.name' is "team_b_owner", but it must be a user this bootstrap created, and it exists already: it has no mark/,
            );
            await refused(
                input({ users: [{ name: "team_b_app", password: PW }] }),
                /'users\[0\]\.name' is "team_b_app", but it must be a user this bootstrap created/,
            );
            // Adopting cannot take BYPASSRLS away (only a superuser can): refused, nothing changed.
            await refused(
                input({ users: [{ name: "team_b_owner", password: PW, adopt: true }] }),
                /it must not hold what the master user cannot take away, and it has BYPASSRLS\. Have a superuser remove them first \(ALTER ROLE team_b_owner NOBYPASSRLS\)/,
            );
            // Once a superuser has, adoption takes CREATEROLE away and revokes every other membership.
            await root.query("ALTER ROLE team_b_owner NOBYPASSRLS; GRANT team_b_app TO team_b_owner");
            await converge(
                master,
                input({ users: [...input().users, { name: "team_b_owner", password: PW, adopt: true }] }),
            );
            const { rows } = await root.query(
                "SELECT rolcanlogin, rolcreaterole, rolcreatedb, rolbypassrls, pg_has_role('team_b_owner', 'team_b_app', 'MEMBER') AS b," +
                    " pg_has_role($1, 'team_b_owner', 'MEMBER') AS marked FROM pg_roles WHERE rolname = 'team_b_owner'",
                [MARKER],
            );
            assert.deepEqual(rows, [
                {
                    rolcanlogin: true,
                    rolcreaterole: false,
                    rolcreatedb: false,
                    rolbypassrls: false,
                    b: false,
                    marked: true,
                },
            ]);
            // Adopted, it is this bootstrap's: the next run needs no adopt.
            await converge(
                master,
                input({ users: [...input().users, { name: "team_b_owner", password: PW }] }),
            );
            await converge(master, input());
        });

        it("finds a user the previous release marked (a member of the marker) and moves its mark; the marker gives nothing", async () => {
            await root.query(`CREATE ROLE old_app LOGIN PASSWORD '${PW}'; GRANT "${MARKER}" TO old_app`);
            await root.query(`CREATE ROLE old_gone LOGIN PASSWORD '${PW}'; GRANT "${MARKER}" TO old_gone`);
            await converge(master, input({ users: [...input().users, { name: "old_app", password: PW }] }));
            const { rows } = await root.query(
                "SELECT u.rolname, u.rolcanlogin, pg_has_role(u.rolname, $1, 'MEMBER') AS in_marker," +
                    " pg_has_role($1, u.rolname, 'MEMBER') AS marked FROM pg_roles u" +
                    " WHERE u.rolname IN ('old_app', 'old_gone') ORDER BY 1",
                [MARKER],
            );
            assert.deepEqual(rows, [
                { rolname: "old_app", rolcanlogin: true, in_marker: false, marked: true },
                { rolname: "old_gone", rolcanlogin: false, in_marker: false, marked: true },
            ]);
            const old = await session("old_app", PW);
            try {
                await assert.rejects(old.query(`SET ROLE "${MARKER}"`), /permission denied to set role/);
            } finally {
                await old.end();
            }
            const marker = await root.query(
                "SELECT rolcanlogin, rolinherit, (SELECT count(*)::int FROM pg_auth_members m WHERE m.roleid = r.oid" +
                    " AND NOT m.admin_option) AS members FROM pg_roles r WHERE rolname = $1",
                [MARKER],
            );
            assert.deepEqual(marker.rows, [{ rolcanlogin: false, rolinherit: false, members: 0 }]);
        });

        it("refuses a marker that was given power, changing nothing", async () => {
            await root.query(`ALTER ROLE "${MARKER}" CREATEDB`);
            await refused(
                input(),
                /'markerRole' is "rcx_bootstrap_tenancy", but it must be a role that gives nothing to anyone \(it has CREATEDB\)/,
            );
            await root.query(`ALTER ROLE "${MARKER}" NOCREATEDB`);
        });
    });

    describe("MariaDB (engine mariadb)", () => {
        let server: LocalMariadb;
        let root: mysql.Connection;
        let master: mysql.Connection;

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
        async function rows<T>(c: mysql.Connection, sql: string, values?: unknown[]): Promise<T[]> {
            const [r] = await c.query(sql, values);
            return r as T[];
        }
        /** The users the bootstrap's record names (none without a record). */
        async function recorded(): Promise<string[]> {
            const [t] = await rows<{ n: number }>(
                root,
                "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'managed_users'",
                [MARKER],
            );
            if (Number(t.n) === 0) return [];
            const names = await rows<{ u: string }>(
                root,
                `SELECT user_name AS u FROM ${MARKER}.managed_users ORDER BY 1`,
            );
            return names.map((r) => String(r.u));
        }
        /** Every account with its privileges, every role grant, every schema and table grant, the record. */
        async function catalog(): Promise<unknown> {
            return {
                accounts: await rows(
                    root,
                    "SELECT user, host, priv FROM mysql.global_priv ORDER BY user, host",
                ),
                roles: await rows(root, "SELECT * FROM mysql.roles_mapping ORDER BY User, Host, Role"),
                db: await rows(root, "SELECT Host, Db, User FROM mysql.db ORDER BY 1, 2, 3"),
                tables: await rows(
                    root,
                    "SELECT Host, Db, User, Table_name FROM mysql.tables_priv ORDER BY 1, 2, 3, 4",
                ),
                schemas: await rows(
                    root,
                    "SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA ORDER BY 1",
                ),
                record: await recorded(),
            };
        }
        const input = (over: Partial<UsersInput> = {}): UsersInput =>
            tenantsInput("mariadb", server.database, over);
        async function refused(i: UsersInput, message: RegExp): Promise<void> {
            const before = await catalog();
            await assert.rejects(converge(master, i), message);
            assert.deepEqual(await catalog(), before, "a refusal changes nothing");
        }

        before(async () => {
            server = await startMariadb(tls);
            root = await connect(server.adminUser, server.adminPassword);
            const db = `\`${server.database}\``;
            // The master with RDS for MariaDB's privileges (see the header).
            await root.query(`CREATE USER '${MASTER}'@'%' IDENTIFIED BY '${PW}' REQUIRE SSL`);
            await root.query(
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER," +
                    " SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE," +
                    " REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT," +
                    ` TRIGGER ON *.* TO '${MASTER}'@'%' WITH GRANT OPTION`,
            );
            // Other teams: an ETL account with everything, a login user, a role with FILE, a role reaching it.
            await root.query(`CREATE USER 'etl'@'%' IDENTIFIED BY '${PW_OTHER}' REQUIRE SSL`);
            await root.query("GRANT ALL PRIVILEGES ON *.* TO 'etl'@'%' WITH GRANT OPTION");
            await root.query(`CREATE USER 'team_b_app'@'%' IDENTIFIED BY '${PW_OTHER}' REQUIRE SSL`);
            await root.query(`CREATE TABLE ${db}.team_b_data (v text)`);
            await root.query(`GRANT SELECT ON ${db}.team_b_data TO 'team_b_app'@'%'`);
            await root.query("CREATE ROLE file_role");
            await root.query("GRANT FILE ON *.* TO file_role");
            await root.query("CREATE ROLE via_file_role");
            await root.query("GRANT file_role TO via_file_role");
            master = await connect(MASTER, PW);
            await master.query("CREATE ROLE app_rw");
            await master.query(`CREATE TABLE ${db}.canary (id int)`);
            await master.query(`INSERT INTO ${db}.canary VALUES (1), (2)`);
            await master.query(`GRANT SELECT ON ${db}.canary TO app_rw`);
            await converge(master, input());
        });
        after(async () => {
            await master?.end();
            await root?.end();
            await server?.stop();
        });

        it("no consumer can touch server files, watch or end other sessions, become the marker, or read or change the record", async () => {
            const other = await connect("team_b_app", PW_OTHER);
            const orders = await connect("orders_app", PW, server.database);
            try {
                await other.query("SELECT 'team b secret query'");
                const [[{ id }]] = (await other.query("SELECT CONNECTION_ID() AS id")) as unknown as [
                    [{ id: number }],
                ];
                await assert.rejects(
                    orders.query("SELECT * FROM canary INTO OUTFILE '/tmp/rcx-canary'"),
                    /Access denied; you need \(at least one of\) the FILE privilege/,
                );
                assert.deepEqual(await rows(orders, "SELECT LOAD_FILE('/etc/hostname') AS f"), [{ f: null }]);
                await assert.rejects(orders.query(`KILL ${Number(id)}`), /You are not owner of thread/);
                const seen = await rows(
                    orders,
                    "SELECT USER AS u FROM information_schema.PROCESSLIST ORDER BY 1",
                );
                assert.deepEqual(seen, [{ u: "orders_app" }], "only its own sessions");
                await assert.rejects(
                    orders.query("SET ROLE file_role"),
                    /Invalid role specification `file_role`/,
                );
                // The mark is a row of the record, not a role: there is no marker to become.
                assert.deepEqual(await recorded(), ["billing", "orders_app"]);
                await assert.rejects(orders.query(`SET ROLE ${MARKER}`), /Invalid role specification/);
                const record = `${MARKER}.managed_users`;
                for (const sql of [
                    `SELECT * FROM ${record}`,
                    `INSERT INTO ${record} VALUES ('team_b_app')`,
                    `DELETE FROM ${record}`,
                    `DROP TABLE ${record}`,
                ]) {
                    await assert.rejects(orders.query(sql), /command denied|Access denied/, sql);
                }
                assert.deepEqual(
                    await rows(
                        orders,
                        "SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                        [MARKER],
                    ),
                    [],
                    "it cannot even see the record's schema",
                );
                assert.deepEqual(await recorded(), ["billing", "orders_app"]);
            } finally {
                await orders.end();
                await other.end();
            }
        });

        it("refuses none, public, a login account, a consumer's user and a role that reaches FILE as a databaseRole, changing nothing", async () => {
            const cases: [string, RegExp][] = [
                [
                    "none",
                    /it must be an existing database role name .*not "root", "mysql", "none" or "public"/,
                ],
                [
                    "public",
                    /it must be an existing database role name .*not "root", "mysql", "none" or "public"/,
                ],
                ["team_b_app", /"team_b_app" is a login account/],
                ["billing", /"billing" is a consumer's database user/],
                ["file_role", /"file_role" has FILE/],
                ["via_file_role", /"file_role" has FILE/],
            ];
            for (const [role, message] of cases) {
                await refused(
                    input({
                        users: [
                            { name: "fresh_app", password: PW },
                            { name: "new_app", password: PW, databaseRole: role },
                        ],
                    }),
                    message,
                );
            }
        });

        it("refuses an existing account without the mark, even adopted when it holds privileges on *.*", async () => {
            await refused(
                input({ users: [{ name: "etl", password: PW }] }),
                /'users\[0\]\.name' is "etl", but it must be a user this bootstrap created, and it exists already: it has no mark/,
            );
            await refused(
                input({
                    users: [
                        { name: "etl", password: PW, adopt: true },
                        { name: "fresh_app", password: PW },
                    ],
                }),
                /'users\[0\]\.name' is "etl", but it must not hold what the master user cannot take away, and it has SELECT, INSERT/,
            );
        });

        it("refuses a managed user with an account at another host; locks every host of a removed one", async () => {
            await root.query(`CREATE USER 'orders_app'@'127.0.0.1' IDENTIFIED BY '${PW_OTHER}' REQUIRE SSL`);
            await refused(
                input(),
                /'users\[0\]\.name' is "orders_app", but it must have no account but 'orders_app'@'%' \(it also has '127\.0\.0\.1'/,
            );
            // Removed from config: every account of the user is locked, the one that took precedence too.
            await converge(master, input({ users: [input().users[1]] }));
            await assert.rejects(connect("orders_app", PW_OTHER), /locked/);
            await assert.rejects(connect("orders_app", PW), /locked|Access denied/);
            const locked = await rows<{ host: string; l: string }>(
                root,
                "SELECT host, JSON_VALUE(priv, '$.account_locked') AS l FROM mysql.global_priv WHERE user = 'orders_app' ORDER BY 1",
            );
            assert.deepEqual(
                locked.map((r) => [r.host, String(r.l)]),
                [
                    ["%", "1"],
                    ["127.0.0.1", "1"],
                ].sort(),
            );
        });

        it("refuses a marker role (the previous release's) that was given privileges, changing nothing", async () => {
            await root.query(`CREATE ROLE ${MARKER}`);
            await root.query(`GRANT SELECT ON \`${server.database}\`.* TO ${MARKER}`);
            await refused(
                input({ users: [input().users[1]] }),
                /'markerRole' is "rcx_bootstrap_tenancy", but it must be a role that gives nothing to anyone \(it has privileges on appdb\)/,
            );
            await root.query(`DROP ROLE ${MARKER}`);
        });

        it("refuses a databaseRole or a user that reaches the record, and PUBLIC holding it, changing nothing", async () => {
            // orders_app has an account at another host since the test above: billing alone is configured.
            const billing = { name: "billing", password: PW_OTHER };
            const withRole = input({ users: [{ ...billing, databaseRole: "app_rw" }] });
            const cases: [string, string, RegExp][] = [
                // A schema grant whose pattern matches the record's schema (`_` and `%` are wildcards).
                [
                    "GRANT SELECT ON `rcx%`.* TO app_rw",
                    "REVOKE SELECT ON `rcx%`.* FROM app_rw",
                    /'users\[0\]\.databaseRole' is "app_rw", .*"app_rw" has privileges on rcx_bootstrap_tenancy \(a bootstrap's record\)/,
                ],
                [
                    `GRANT INSERT ON ${MARKER}.managed_users TO app_rw`,
                    `REVOKE INSERT ON ${MARKER}.managed_users FROM app_rw`,
                    /"app_rw" has privileges on rcx_bootstrap_tenancy \(a bootstrap's record\)/,
                ],
                [
                    `GRANT SELECT ON ${MARKER}.* TO 'billing'@'%'`,
                    `REVOKE SELECT ON ${MARKER}.* FROM 'billing'@'%'`,
                    /'users\[0\]\.name' is "billing", but it must not hold what the master user cannot take away, and it has privileges on rcx_bootstrap_tenancy/,
                ],
                [
                    `GRANT SELECT ON ${MARKER}.* TO PUBLIC`,
                    `REVOKE SELECT ON ${MARKER}.* FROM PUBLIC`,
                    /'markerRole' is "rcx_bootstrap_tenancy", but it must name a record that no consumer can reach, and every account holds what PUBLIC holds: privileges on rcx_bootstrap_tenancy \(a bootstrap's record\)\. Revoke them from PUBLIC/,
                ],
            ];
            for (const [grant, revoke, message] of cases) {
                await root.query(grant);
                await refused(withRole, message);
                await root.query(revoke);
            }
            await converge(master, withRole);
        });

        it("moves the previous release's mark (the marker role granted) to the record, and the marker role gives nothing", async () => {
            // The previous release: the marker role, granted to a configured user and to one config removed.
            await master.query(`CREATE ROLE ${MARKER}`);
            await master.query(`CREATE USER 'legacy_gone'@'%' IDENTIFIED BY '${PW_OTHER}' REQUIRE SSL`);
            await master.query(`GRANT ${MARKER} TO 'legacy_gone'@'%', 'billing'@'%'`);
            await master.query(`DELETE FROM ${MARKER}.managed_users WHERE user_name = 'billing'`);
            // Another team's account, adopted in the same run.
            await root.query(`CREATE USER 'team_c'@'%' IDENTIFIED BY '${PW_OTHER}' REQUIRE SSL`);
            const configured = (adopt?: boolean) =>
                input({ users: [input().users[1], { name: "team_c", password: PW, adopt }] });
            const before = await recorded();
            await refused(configured(), /'users\[1\]\.name' is "team_c", .*it has no mark/);
            await converge(master, configured(true));
            assert.deepEqual(before, ["orders_app"]);
            assert.deepEqual(await recorded(), ["billing", "legacy_gone", "orders_app", "team_c"]);
            await assert.rejects(connect("legacy_gone", PW_OTHER), /locked/);
            assert.deepEqual(
                await rows(
                    root,
                    "SELECT User AS u, Admin_option AS a FROM mysql.roles_mapping WHERE Role = ?",
                    [MARKER],
                ),
                [{ u: MASTER, a: "Y" }],
                "nobody holds the marker role but its creator, by admin option",
            );
            const billing = await connect("billing", PW_OTHER);
            try {
                await assert.rejects(
                    billing.query(`SET ROLE ${MARKER}`),
                    /Invalid role specification|Access denied/,
                );
            } finally {
                await billing.end();
            }
            // It stays refused as a databaseRole, whatever it holds.
            await refused(
                input({ users: [{ name: "new_app", password: PW, databaseRole: MARKER }] }),
                /'users\[0\]\.databaseRole' is "rcx_bootstrap_tenancy"/,
            );
            const after = await catalog();
            await converge(master, configured());
            assert.deepEqual(await catalog(), after, "a second run, without adopt, changes nothing");
            await root.query(`DROP ROLE ${MARKER}`);
        });
    });
});
