/**
 * The DSQL role bootstrap's SQL (components/bootstrap/dsql.ts) against the real PostgreSQL server the other
 * real-database tests start (TLS only, verified as the writer's name), run as the plan is run: state read, plan,
 * each statement on its own.
 *
 * PostgreSQL runs what is PostgreSQL syntax: CREATE ROLE … WITH LOGIN, CREATE SCHEMA, the record's CREATE TABLE and
 * INSERT, GRANT … ON SCHEMA, and the state reads of pg_roles, pg_namespace, pg_class and the record. DSQL's own statements go through a stand-in: a client that takes
 * `AWS IAM GRANT "<role>" TO '<arn>'` and `AWS IAM REVOKE "<role>" FROM '<arn>'`, parses them strictly (one quoted
 * identifier, one quoted literal, nothing else), records them, and applies them to a table
 * `sys.iam_pg_role_mappings (arn, pg_role_name)` created on the server, which the state read then reads back. It
 * refuses to grant a mapping that exists, to revoke one that does not, and to map a role that does not exist.
 *
 * What the stand-in cannot prove: that DSQL parses these statements as the stand-in does (the text follows the
 * User Guide's examples, `AWS IAM GRANT example TO 'arn:aws:iam::111122223333:role/example'`), that DSQL's view has
 * exactly these two columns, how DSQL answers a duplicate grant, that CREATE SCHEMA runs on DSQL, and that a mapped
 * IAM role then logs in with a token while a revoked one cannot. Those need a cluster.
 */
import * as assert from "node:assert/strict";
import type { Client } from "pg";
import {
    applyDsqlPlan,
    dsqlRolesSql,
    planDsqlRoles,
    readDsqlState,
    type DsqlRolesInput,
} from "../../components/bootstrap/dsql";
import type { SqlClient } from "../../components/bootstrap/client";
import { startPostgres, type LocalPostgres } from "../../tools/local/postgres";
import { makeTestTls, proxyDomain, type TestTls } from "../../tools/local/tls";
import { verifiedPgClient } from "../support/bootstrap";

const identity = { id: "c1a2b3", region: "eu-west-1" };
const WRITER = `db-account-proxy.${proxyDomain(identity)}`;
const ARN_ORDERS = "arn:aws:iam::123456789012:role/rcx-orders-connect";
const ARN_BILLING = "arn:aws:iam::123456789012:role/rcx-billing-connect";
const ARN_ORDERS_NEW = "arn:aws:iam::123456789012:role/rcx-orders-connect-v2";
const MARKER = "rcx_bootstrap_dsql";

/** One quoted identifier and one quoted literal, exactly as the plan writes them. */
const IAM_STATEMENT = /^AWS IAM (GRANT|REVOKE) "((?:[^"]|"")+)" (TO|FROM) '((?:[^']|'')*)'$/;

/** The stand-in for DSQL's own statements, over the real server for everything else. */
class DsqlStandIn implements SqlClient {
    readonly recorded: string[] = [];
    constructor(private readonly pg: Client) {}
    async query(sql: string, values?: unknown[]): Promise<unknown> {
        if (!sql.startsWith("AWS IAM ")) return this.pg.query(sql, values);
        const m = IAM_STATEMENT.exec(sql);
        if (!m || (m[1] === "GRANT") !== (m[3] === "TO"))
            throw new Error(`The stand-in cannot parse: ${sql}`);
        this.recorded.push(sql);
        const [role, arn] = [m[2].replace(/""/g, '"'), m[4].replace(/''/g, "'")];
        const exists = await this.pg.query(
            "SELECT FROM sys.iam_pg_role_mappings WHERE pg_role_name = $1 AND arn = $2",
            [role, arn],
        );
        if (m[1] === "GRANT") {
            const role_ = await this.pg.query("SELECT FROM pg_roles WHERE rolname = $1", [role]);
            if (role_.rowCount === 0) throw new Error(`role "${role}" does not exist`);
            if (exists.rowCount !== 0) throw new Error(`"${role}" is already mapped to ${arn}`);
            return this.pg.query("INSERT INTO sys.iam_pg_role_mappings (arn, pg_role_name) VALUES ($1, $2)", [
                arn,
                role,
            ]);
        }
        if (exists.rowCount === 0) throw new Error(`"${role}" is not mapped to ${arn}`);
        return this.pg.query("DELETE FROM sys.iam_pg_role_mappings WHERE pg_role_name = $1 AND arn = $2", [
            role,
            arn,
        ]);
    }
}

describe("DSQL role bootstrap SQL (real PostgreSQL, DSQL statements through a stand-in)", function () {
    this.timeout(120000);
    let tls: TestTls;
    let server: LocalPostgres;
    let admin: Client;
    let dsql: DsqlStandIn;

    /** One run as the bootstrap would do it: read, plan (checked), apply. */
    async function converge(input: DsqlRolesInput): Promise<string[]> {
        const plan = planDsqlRoles(input, await readDsqlState(dsql, input.marker));
        await applyDsqlPlan(dsql, plan);
        return plan.statements.map((s) => s.sql);
    }
    /** Roles, schemas with their owner and ACL, and mappings: what a run may change. */
    async function catalog(): Promise<unknown> {
        const q = async (sql: string) => (await admin.query(sql)).rows;
        return {
            roles: await q("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1"),
            schemas: await q(
                "SELECT nspname, pg_get_userbyid(nspowner) AS owner, nspacl::text AS acl FROM pg_namespace" +
                    " WHERE nspname !~ '^(pg_|information_schema)' ORDER BY 1",
            ),
            mappings: await q("SELECT arn, pg_role_name FROM sys.iam_pg_role_mappings ORDER BY 1, 2"),
            record: await q(`SELECT role FROM ${MARKER}.managed ORDER BY 1`),
        };
    }
    /** As `role` (SET ROLE from the admin session), runs `sql`; the error's text, or "ok". */
    async function as(role: string, sql: string): Promise<string> {
        await admin.query(`SET ROLE "${role}"`);
        try {
            await admin.query(sql);
            return "ok";
        } catch (err) {
            return (err as Error).message;
        } finally {
            await admin.query("RESET ROLE");
        }
    }

    const both: DsqlRolesInput = {
        marker: MARKER,
        accountId: "123456789012",
        roles: [
            { name: "orders_app", iamRoleArn: ARN_ORDERS },
            { name: "billing_app", iamRoleArn: ARN_BILLING },
        ],
    };

    before(async () => {
        tls = makeTestTls(identity);
        server = await startPostgres(tls);
        admin = verifiedPgClient(server, tls, WRITER, server.adminUser, server.adminPassword);
        await admin.connect();
        await admin.query("CREATE SCHEMA sys");
        await admin.query(
            "CREATE TABLE sys.iam_pg_role_mappings (arn text NOT NULL, pg_role_name name NOT NULL, PRIMARY KEY (arn, pg_role_name))",
        );
        await admin.query("CREATE TABLE public.canary (id int)");
        dsql = new DsqlStandIn(admin);
    });
    after(async () => {
        await admin?.end();
        await server?.stop();
        tls?.cleanup();
    });

    it("records, creates each role WITH LOGIN, its schema owned by the bootstrap's role, its grants, then maps it", async () => {
        const sql = await converge(both);
        assert.deepEqual(sql, [
            `CREATE SCHEMA "${MARKER}"`,
            `CREATE TABLE "${MARKER}".managed (role text PRIMARY KEY)`,
            `INSERT INTO "${MARKER}".managed (role) VALUES ('orders_app')`,
            'CREATE ROLE "orders_app" WITH LOGIN',
            'CREATE SCHEMA "orders_app"',
            'GRANT USAGE, CREATE ON SCHEMA "orders_app" TO "orders_app"',
            `INSERT INTO "${MARKER}".managed (role) VALUES ('billing_app')`,
            'CREATE ROLE "billing_app" WITH LOGIN',
            'CREATE SCHEMA "billing_app"',
            'GRANT USAGE, CREATE ON SCHEMA "billing_app" TO "billing_app"',
            `AWS IAM GRANT "orders_app" TO '${ARN_ORDERS}'`,
            `AWS IAM GRANT "billing_app" TO '${ARN_BILLING}'`,
        ]);
        assert.deepEqual(dsql.recorded, sql.slice(10));
        const c = (await catalog()) as {
            schemas: { nspname: string; owner: string }[];
            mappings: unknown[];
            record: unknown[];
        };
        assert.deepEqual(c.record, [{ role: "billing_app" }, { role: "orders_app" }]);
        assert.deepEqual(
            c.schemas.filter((s) => s.nspname.endsWith("_app")).map((s) => [s.nspname, s.owner]),
            [
                ["billing_app", server.adminUser],
                ["orders_app", server.adminUser],
            ],
        );
        assert.deepEqual(c.mappings, [
            { arn: ARN_BILLING, pg_role_name: "billing_app" },
            { arn: ARN_ORDERS, pg_role_name: "orders_app" },
        ]);
    });

    it("lets each role create in its own schema only, and none reach the record", async () => {
        const create = (schema: string) => `CREATE TABLE "${schema}".t (id int PRIMARY KEY)`;
        assert.equal(await as("orders_app", create("orders_app")), "ok");
        assert.equal(
            await as("orders_app", create("billing_app")),
            "permission denied for schema billing_app",
        );
        assert.equal(
            await as("billing_app", create("orders_app")),
            "permission denied for schema orders_app",
        );
        assert.equal(
            await as("orders_app", `DELETE FROM ${MARKER}.managed`),
            `permission denied for schema ${MARKER}`,
        );
    });

    it("changes nothing on a second run, and plans no CREATE and no mapping", async () => {
        const before = await catalog();
        dsql.recorded.length = 0;
        const sql = await converge(both);
        assert.deepEqual(sql, [
            'GRANT USAGE, CREATE ON SCHEMA "orders_app" TO "orders_app"',
            'GRANT USAGE, CREATE ON SCHEMA "billing_app" TO "billing_app"',
        ]);
        assert.deepEqual(dsql.recorded, []);
        assert.deepEqual(await catalog(), before);
    });

    it("moves a consumer to a new connect role: the old mapping is revoked before the new one is granted", async () => {
        dsql.recorded.length = 0;
        await converge({
            ...both,
            roles: [{ name: "orders_app", iamRoleArn: ARN_ORDERS_NEW }, both.roles[1]],
        });
        assert.deepEqual(dsql.recorded, [
            `AWS IAM REVOKE "orders_app" FROM '${ARN_ORDERS}'`,
            `AWS IAM GRANT "orders_app" TO '${ARN_ORDERS_NEW}'`,
        ]);
    });

    it("takes the mappings of a consumer config no longer names away, drops nothing, and maps it again when re-added", async () => {
        dsql.recorded.length = 0;
        await converge({ ...both, roles: [both.roles[1]] });
        assert.deepEqual(dsql.recorded, [`AWS IAM REVOKE "orders_app" FROM '${ARN_ORDERS_NEW}'`]);
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM orders_app.t");
        assert.equal(rows[0].n, 0, "the removed consumer's table is still there");
        dsql.recorded.length = 0;
        const sql = await converge(both);
        assert.deepEqual(dsql.recorded, [`AWS IAM GRANT "orders_app" TO '${ARN_ORDERS}'`]);
        assert.ok(!sql.some((st) => /^(INSERT|CREATE)/.test(st)), "still recorded, still there");
    });

    it("refuses a role made by hand, and takes it over, once, when adopted", async () => {
        await admin.query("CREATE ROLE handmade_app WITH LOGIN");
        const before = await catalog();
        const arn = "arn:aws:iam::123456789012:role/rcx-handmade-connect";
        const handmade = { name: "handmade_app", iamRoleArn: arn };
        await assert.rejects(converge({ ...both, roles: [...both.roles, handmade] }), {
            message: `DSQL role bootstrap input 'roles[2].name' is "handmade_app", but it exists (as a role) and this bootstrap did not create it: "handmade_app" is not in "${MARKER}".managed. Name another role, or set adopt to true to take it over.`,
        });
        assert.deepEqual(await catalog(), before);
        const sql = await converge({ ...both, roles: [...both.roles, { ...handmade, adopt: true }] });
        assert.deepEqual(sql.slice(2), [
            `INSERT INTO "${MARKER}".managed (role) VALUES ('handmade_app')`,
            'CREATE SCHEMA "handmade_app"',
            'GRANT USAGE, CREATE ON SCHEMA "handmade_app" TO "handmade_app"',
            `AWS IAM GRANT "handmade_app" TO '${arn}'`,
        ]);
        const again = await converge({ ...both, roles: [...both.roles, handmade] });
        assert.equal(again.length, 3, "only the three GRANTs on schemas");
    });

    it("refuses, before any change, an ARN mapped to a role config does not name", async () => {
        await admin.query("CREATE ROLE intruder WITH LOGIN");
        await admin.query("INSERT INTO sys.iam_pg_role_mappings VALUES ($1, 'intruder')", [ARN_BILLING]);
        const before = await catalog();
        await assert.rejects(
            converge({ ...both, roles: [...both.roles, { name: "new_app", iamRoleArn: ARN_ORDERS_NEW }] }),
            {
                message: `DSQL role bootstrap input 'roles[1].iamRoleArn' is "${ARN_BILLING}", but it is also mapped to the database role "intruder", which config does not name, so the consumer could log in as that role. Revoke that mapping (AWS IAM REVOKE "intruder" FROM '${ARN_BILLING}') or list the role in removed.`,
            },
        );
        assert.deepEqual(await catalog(), before, "new_app was not created");
        await admin.query("DELETE FROM sys.iam_pg_role_mappings WHERE pg_role_name = 'intruder'");
    });

    it("keeps every hostile name one token (unchecked plan, the quoting alone)", async () => {
        const names = ['a"b; DROP TABLE public.canary; --', "it's", "$x$ ünï 名前", "a\\b"];
        const arn = "arn:aws:iam::123456789012:role/x'); DROP TABLE public.canary; --";
        const marker = "rcx_bootstrap_'); DROP TABLE public.canary; --";
        const input: DsqlRolesInput = {
            marker,
            roles: names.map((name, i) => ({ name, iamRoleArn: `${arn}${i}` })),
        };
        await applyDsqlPlan(dsql, dsqlRolesSql(input, await readDsqlState(dsql, marker)));
        const state = await readDsqlState(dsql, marker);
        assert.deepEqual(state.marked, [...names].sort());
        for (const [i, name] of names.entries()) {
            assert.ok(
                state.roles.some((r) => r.name === name && r.login),
                `role ${name}`,
            );
            assert.ok(
                state.schemas.some((s) => s.name === name && s.owner === server.adminUser),
                `schema ${name}`,
            );
            assert.ok(
                state.mappings.some((m) => m.role === name && m.arn === `${arn}${i}`),
                `mapping ${name}`,
            );
        }
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM public.canary");
        assert.equal(rows[0].n, 0, "the canary table still exists");
    });
});
