/**
 * Aurora DSQL: the database role each consumer maps to, created idempotently through DSQL's `admin` role. Pure
 * planning from the consumer roles config names and the cluster's state (read by `readDsqlState`), and a runner over
 * any `SqlClient`. The stacks do not call it yet (docs/dsql.md).
 *
 * What each consumer gets, and why:
 * - a role `CREATE ROLE "<role>" WITH LOGIN` ("Using database roles and IAM authentication",
 *   https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-database-and-iam-roles.html: a custom role must be
 *   created WITH LOGIN), mapped to the IAM role in the cluster's account that its connect role is, with
 *   `AWS IAM GRANT "<role>" TO '<arn>'` (same page). Mappings are config's: any other ARN mapped to the role is
 *   revoked (`AWS IAM REVOKE "<role>" FROM '<arn>'`), and an ARN config names that is mapped to a role config does not
 *   name for it is refused, since that would let the consumer log in as someone else;
 * - a schema of the role's name, created and owned by `admin`, on which the role has USAGE and CREATE: the DSQL
 *   counterpart of what the Aurora bootstrap grants (CONNECT on the application database, docs/database-users.md).
 *   DSQL has one database, `postgres`, so a consumer's own schema is what keeps tenants apart: the role owns what
 *   it creates there, and cannot drop the schema or grant others USAGE on it;
 * - every role it manages is recorded, before it is created, in `"<marker>".managed`, a table in a schema of the
 *   marker's name that only `admin` reaches (dsql-checks.ts says what the record refuses). A recorded role config no
 *   longer names (and any listed in `removed`) loses every IAM mapping: DSQL authenticates with IAM only and checks
 *   the mapping "at the beginning of each transaction" ("Understanding connections in Aurora DSQL"), so the role can
 *   no longer log in. Nothing is dropped: its role, schema, data and record stay, and re-adding the consumer maps it
 *   again.
 *
 * DSQL runs no PL/pgSQL ("Unsupported PostgreSQL features": PL/pgSQL is an unsupported extension), so there is no `DO`
 * block that tests the catalog as the Aurora plan does: the plan is computed from the state read, and a second run
 * plans no CREATE and no mapping change. A DSQL transaction holds at most one DDL statement ("DDL and distributed
 * transactions in Aurora DSQL"), so each statement runs on its own (autocommit); a run that fails halfway is
 * completed by the next, which reads the state again. Only statements the DSQL docs show are used: CREATE ROLE …
 * WITH, CREATE TABLE, INSERT, GRANT … ON … TO, AWS IAM GRANT/REVOKE; CREATE SCHEMA is not in DSQL's (non-exhaustive)
 * list of supported SQL but is in its role examples' `GRANT USAGE ON SCHEMA myschema`; that it runs is proven only
 * against a cluster.
 */
import { rowsOf, text, type SqlClient } from "./client";
import {
    checkDsqlRolesInput,
    checkDsqlState,
    dsqlRemovedRoles,
    type DsqlMapping,
    type DsqlRolesInput,
    type DsqlState,
} from "./dsql-checks";
import { pgIdent, pgLiteral } from "./quote";
import { plain, type Statement } from "./types";

export {
    checkDsqlRolesInput,
    checkDsqlState,
    type DsqlConsumerRole,
    type DsqlMapping,
    type DsqlRolesInput,
    type DsqlState,
} from "./dsql-checks";

/** The statements of a run, each its own transaction, and what they change. */
export interface DsqlPlan {
    readonly statements: readonly Statement[];
    /** Roles created by the plan. */
    readonly created: readonly string[];
    /** Roles the plan records as this bootstrap's (created or adopted). */
    readonly marked: readonly string[];
    /** Mappings granted by the plan. */
    readonly mapped: readonly DsqlMapping[];
    /** Mappings revoked by the plan: stale ones of configured roles, and every one of removed roles. */
    readonly revoked: readonly DsqlMapping[];
}

/** `AWS IAM GRANT "<role>" TO '<arn>'`: DSQL's own statement mapping an IAM identity to a database role. */
export function iamGrant(role: string, arn: string): Statement {
    return plain(`AWS IAM GRANT ${pgIdent(role)} TO ${pgLiteral(arn).trim()}`);
}

/** `AWS IAM REVOKE "<role>" FROM '<arn>'`: DSQL's own statement removing that mapping. */
export function iamRevoke(role: string, arn: string): Statement {
    return plain(`AWS IAM REVOKE ${pgIdent(role)} FROM ${pgLiteral(arn).trim()}`);
}

/**
 * The plan for `input` from `state` without checking either: its quoting alone keeps any name one token. Exported so
 * that the tests can prove the quoting on names the rules refuse; `planDsqlRoles` is what a caller uses.
 */
export function dsqlRolesSql(input: DsqlRolesInput, state: DsqlState): DsqlPlan {
    const statements: Statement[] = [];
    const created: string[] = [];
    const marked: string[] = [];
    const mapped: DsqlMapping[] = [];
    const revoked: DsqlMapping[] = [];
    const roles = new Set(state.roles.map((r) => r.name));
    const schemas = new Set(state.schemas.map((s) => s.name));
    const record = `${pgIdent(input.marker)}.managed`;
    const revoke = (m: DsqlMapping) => {
        statements.push(iamRevoke(m.role, m.arn));
        revoked.push(m);
    };
    if (!schemas.has(input.marker)) statements.push(plain(`CREATE SCHEMA ${pgIdent(input.marker)}`));
    if (state.marked === undefined) statements.push(plain(`CREATE TABLE ${record} (role text PRIMARY KEY)`));
    // Removed roles first, so that an ARN moving from a removed consumer's role to a configured one is free. They
    // stay recorded: re-adding the consumer takes its role back without adopt.
    for (const name of dsqlRemovedRoles(input, state)) {
        state.mappings.filter((m) => m.role === name).forEach(revoke);
    }
    for (const r of input.roles) {
        // Recorded before it is created: a run that fails in between leaves a record of a role that does not exist
        // (created by the next run), never a role of this bootstrap without its record.
        if (!(state.marked ?? []).includes(r.name)) {
            statements.push(plain(`INSERT INTO ${record} (role) VALUES (${pgLiteral(r.name).trim()})`));
            marked.push(r.name);
        }
        if (!roles.has(r.name)) {
            statements.push(plain(`CREATE ROLE ${pgIdent(r.name)} WITH LOGIN`));
            created.push(r.name);
        }
        if (!schemas.has(r.name)) statements.push(plain(`CREATE SCHEMA ${pgIdent(r.name)}`));
        statements.push(plain(`GRANT USAGE, CREATE ON SCHEMA ${pgIdent(r.name)} TO ${pgIdent(r.name)}`));
        state.mappings.filter((m) => m.role === r.name && m.arn !== r.iamRoleArn).forEach(revoke);
    }
    // Mapped last: a role can log in only once its schema and grants exist.
    for (const r of input.roles) {
        if (!state.mappings.some((m) => m.role === r.name && m.arn === r.iamRoleArn)) {
            statements.push(iamGrant(r.name, r.iamRoleArn));
            mapped.push({ arn: r.iamRoleArn, role: r.name });
        }
    }
    return { statements, created, marked, mapped, revoked };
}

/** Checks the input and the state, then plans; throws one error listing every problem, before any statement runs. */
export function planDsqlRoles(input: DsqlRolesInput, state: DsqlState): DsqlPlan {
    const problems = checkDsqlRolesInput(input);
    if (problems.length === 0) problems.push(...checkDsqlState(input, state));
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
    return dsqlRolesSql(input, state);
}

/**
 * Reads what the plan starts from: the session's role, every role and whether it may log in, every schema with its
 * owner, every IAM mapping (`sys.iam_pg_role_mappings`, DSQL's own view, with columns `arn` and `pg_role_name`), and the
 * roles of this bootstrap's record. The marker reaches SQL only as a bound parameter and a quoted identifier.
 */
export async function readDsqlState(client: SqlClient, marker: string): Promise<DsqlState> {
    const [me] = rowsOf(await client.query("SELECT session_user AS me"));
    const roles = rowsOf(
        await client.query(
            "SELECT rolname AS name, rolcanlogin AS login FROM pg_catalog.pg_roles ORDER BY 1",
        ),
    ).map((r) => ({ name: text(r.name), login: r.login === true || r.login === "t" }));
    const schemas = rowsOf(
        await client.query(
            "SELECT n.nspname AS name, r.rolname AS owner FROM pg_catalog.pg_namespace n" +
                " JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner ORDER BY 1",
        ),
    ).map((r) => ({ name: text(r.name), owner: text(r.owner) }));
    const mappings = rowsOf(
        await client.query("SELECT arn, pg_role_name FROM sys.iam_pg_role_mappings ORDER BY 2, 1"),
    ).map((r) => ({ arn: text(r.arn), role: text(r.pg_role_name) }));
    const recorded = rowsOf(
        await client.query(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace" +
                " WHERE n.nspname = $1 AND c.relname = 'managed'",
            [marker],
        ),
    );
    const marked =
        recorded.length === 0
            ? undefined
            : rowsOf(await client.query(`SELECT role FROM ${pgIdent(marker)}.managed ORDER BY 1`)).map((r) =>
                  text(r.role),
              );
    return {
        sessionUser: text(me.me),
        roles,
        schemas,
        mappings,
        ...(marked === undefined ? {} : { marked }),
    };
}

/** Runs `plan`'s statements in order, each its own transaction; a failure names the statement. */
export async function applyDsqlPlan(client: SqlClient, plan: DsqlPlan): Promise<{ statements: number }> {
    let done = 0;
    for (const st of plan.statements) {
        try {
            await client.query(st.sql);
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            throw new Error(
                `Statement ${done + 1} of ${plan.statements.length} of the DSQL role bootstrap failed: ${message}\nStatement: ${st.shown}`,
            );
        }
        done++;
    }
    return { statements: done };
}
