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
 * - a removed consumer (`removed`, derived by the caller from the previous input as the Aurora bootstrap derives
 *   `lockedUsers`) loses every IAM mapping: DSQL authenticates with IAM only and checks the mapping "at the beginning
 *   of each transaction" ("Understanding connections in Aurora DSQL"), so the role can no longer log in. Nothing is
 *   dropped: its role, schema and data stay, and re-adding the consumer maps it again.
 *
 * DSQL runs no PL/pgSQL ("Unsupported PostgreSQL features": PL/pgSQL is an unsupported extension), so there is no `DO`
 * block that tests the catalog as the Aurora plan does: the plan is computed from the state read, and a second run
 * plans no CREATE and no mapping change. A DSQL transaction holds at most one DDL statement ("DDL and distributed
 * transactions in Aurora DSQL"), so each statement runs on its own (autocommit); a run that fails halfway is
 * completed by the next, which reads the state again. Only statements the DSQL docs show are used: CREATE ROLE …
 * WITH, GRANT … ON … TO, AWS IAM GRANT/REVOKE; CREATE SCHEMA is not in DSQL's (non-exhaustive) list of supported
 * SQL but is in its role examples' `GRANT USAGE ON SCHEMA myschema`; that it runs is proven only against a cluster.
 */
import { parseIamArn } from "../../vocabulary/aws-ids";
import { dsqlRoleNameRule } from "../../vocabulary/dsql";
import { argumentSurface, checkValue, problem, render, type Problem } from "../../vocabulary/rules";
import { rowsOf, text, type SqlClient } from "./client";
import { pgIdent, pgLiteral } from "./quote";
import { plain, type Statement } from "./types";

/** One consumer's database role and the IAM role (in the cluster's account) that connects as it. */
export interface DsqlConsumerRole {
    /** The database role, and the name of its schema. */
    readonly name: string;
    /** The IAM role ARN mapped to the database role: the consumer's connect role. */
    readonly iamRoleArn: string;
}

/** What the DSQL role bootstrap converges. */
export interface DsqlRolesInput {
    readonly roles: readonly DsqlConsumerRole[];
    /** Roles of consumers config no longer names: their IAM mappings are revoked. @default none */
    readonly removed?: readonly string[];
    /** The cluster's account: every mapped IAM role must belong to it. @default not checked */
    readonly accountId?: string;
}

/** One row of `sys.iam_pg_role_mappings`. */
export interface DsqlMapping {
    readonly arn: string;
    readonly role: string;
}

/** What the plan starts from. */
export interface DsqlState {
    /** The session's role: `admin` on DSQL. */
    readonly sessionUser: string;
    readonly roles: readonly { readonly name: string; readonly login: boolean }[];
    readonly schemas: readonly { readonly name: string; readonly owner: string }[];
    readonly mappings: readonly DsqlMapping[];
}

/** The statements of a run, each its own transaction, and what they change. */
export interface DsqlPlan {
    readonly statements: readonly Statement[];
    /** Roles created by the plan. */
    readonly created: readonly string[];
    /** Mappings granted by the plan. */
    readonly mapped: readonly DsqlMapping[];
    /** Mappings revoked by the plan: stale ones of configured roles, and every one of removed roles. */
    readonly revoked: readonly DsqlMapping[];
}

const surface = argumentSurface("DSQL role bootstrap", "input");

/** `AWS IAM GRANT` and `AWS IAM REVOKE`, DSQL's own statements. */
export function iamGrant(role: string, arn: string): Statement {
    return plain(`AWS IAM GRANT ${pgIdent(role)} TO ${pgLiteral(arn).trim()}`);
}
export function iamRevoke(role: string, arn: string): Statement {
    return plain(`AWS IAM REVOKE ${pgIdent(role)} FROM ${pgLiteral(arn).trim()}`);
}

/** Where equal values repeat in `values`: [index, index of the first]. */
function repeats(values: readonly string[]): [number, number][] {
    return values.flatMap((v, i) =>
        values.indexOf(v) < i ? [[i, values.indexOf(v)] as [number, number]] : [],
    );
}

/** The input's problems, every one: names, ARNs, repetitions. */
export function checkDsqlRolesInput(input: DsqlRolesInput): Problem[] {
    const problems: Problem[] = [];
    input.roles.forEach((r, i) => {
        checkValue(surface, problems, `roles[${i}].name`, r.name, dsqlRoleNameRule);
        const arn = typeof r.iamRoleArn === "string" ? parseIamArn(r.iamRoleArn) : undefined;
        if (arn?.kind !== "role") {
            problems.push(
                problem(
                    surface,
                    `roles[${i}].iamRoleArn`,
                    r.iamRoleArn,
                    "it must be an IAM role ARN, arn:<partition>:iam::<account>:role/<name>",
                    'Pass the consumer\'s connect role, for example "arn:aws:iam::123456789012:role/orders-connect".',
                ),
            );
        } else if (input.accountId !== undefined && arn.accountId !== input.accountId) {
            problems.push(
                problem(
                    surface,
                    `roles[${i}].iamRoleArn`,
                    r.iamRoleArn,
                    `it must be a role of the cluster's account ${input.accountId}: DSQL does not grant other accounts`,
                    "Pass the connect role the database account holds for the consumer.",
                ),
            );
        }
    });
    for (const [key, values] of [
        ["name", input.roles.map((r) => r.name)],
        ["iamRoleArn", input.roles.map((r) => r.iamRoleArn)],
    ] as const) {
        for (const [i, first] of repeats(values)) {
            problems.push(
                problem(
                    surface,
                    `roles[${i}].${key}`,
                    values[i],
                    `it must differ from roles[${first}].${key}`,
                    "Give each consumer its own.",
                ),
            );
        }
    }
    (input.removed ?? []).forEach((name, i) =>
        checkValue(surface, problems, `removed[${i}]`, name, dsqlRoleNameRule),
    );
    return problems;
}

/** What the cluster holds that the plan must refuse, every one, before the first change. */
export function checkDsqlState(input: DsqlRolesInput, state: DsqlState): Problem[] {
    const problems: Problem[] = [];
    const removed = new Set(input.removed ?? []);
    input.roles.forEach((r, i) => {
        const at = `roles[${i}].name`;
        if (r.name === state.sessionUser) {
            problems.push(
                problem(surface, at, r.name, "it must not be the bootstrap's own role", "Name another role."),
            );
        }
        const role = state.roles.find((x) => x.name === r.name);
        if (role !== undefined && !role.login) {
            problems.push(
                problem(
                    surface,
                    at,
                    r.name,
                    "it exists without LOGIN, which DSQL's documented SQL cannot give it",
                    "Name a new role, or give this one LOGIN by hand.",
                ),
            );
        }
        const schema = state.schemas.find((s) => s.name === r.name);
        if (schema !== undefined && schema.owner !== state.sessionUser) {
            problems.push(
                problem(
                    surface,
                    at,
                    r.name,
                    `its schema exists and is owned by ${render(schema.owner)}, not by ${render(state.sessionUser)}`,
                    "Name another role, or hand the schema to the bootstrap's role.",
                ),
            );
        }
        for (const m of state.mappings.filter((x) => x.arn === r.iamRoleArn && x.role !== r.name)) {
            if (!removed.has(m.role) && !input.roles.some((o) => o.name === m.role)) {
                problems.push(
                    problem(
                        surface,
                        `roles[${i}].iamRoleArn`,
                        r.iamRoleArn,
                        `it is also mapped to the database role ${render(m.role)}, which config does not name, so the consumer could log in as that role`,
                        `Revoke that mapping (AWS IAM REVOKE ${pgIdent(m.role)} FROM ${pgLiteral(m.arn).trim()}) or list the role in removed.`,
                    ),
                );
            }
        }
    });
    return problems;
}

/**
 * The plan for `input` from `state` without checking either: its quoting alone keeps any name one token. Exported so
 * that the tests can prove the quoting on names the rules refuse; `planDsqlRoles` is what a caller uses.
 */
export function dsqlRolesSql(input: DsqlRolesInput, state: DsqlState): DsqlPlan {
    const statements: Statement[] = [];
    const created: string[] = [];
    const mapped: DsqlMapping[] = [];
    const revoked: DsqlMapping[] = [];
    const roles = new Set(state.roles.map((r) => r.name));
    const schemas = new Set(state.schemas.map((s) => s.name));
    const configured = new Set(input.roles.map((r) => r.name));
    const revoke = (m: DsqlMapping) => {
        statements.push(iamRevoke(m.role, m.arn));
        revoked.push(m);
    };
    // Removed roles first, so that an ARN moving from a removed consumer's role to a configured one is free.
    for (const name of [...new Set(input.removed ?? [])].filter(
        (n) => !configured.has(n) && n !== state.sessionUser,
    )) {
        state.mappings.filter((m) => m.role === name).forEach(revoke);
    }
    for (const r of input.roles) {
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
    return { statements, created, mapped, revoked };
}

/** Checks the input and the state, then plans; throws one error listing every problem, before any statement runs. */
export function planDsqlRoles(input: DsqlRolesInput, state: DsqlState): DsqlPlan {
    const problems = checkDsqlRolesInput(input);
    if (problems.length === 0) problems.push(...checkDsqlState(input, state));
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
    return dsqlRolesSql(input, state);
}

/**
 * Reads what the plan starts from, with no value from config in the SQL: the session's role, every role and whether
 * it may log in, every schema with its owner, and every IAM mapping (`sys.iam_pg_role_mappings`, DSQL's own view, with
 * columns `arn` and `pg_role_name`).
 */
export async function readDsqlState(client: SqlClient): Promise<DsqlState> {
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
    return { sessionUser: text(me.me), roles, schemas, mappings };
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
