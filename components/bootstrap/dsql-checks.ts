/**
 * Aurora DSQL role bootstrap: what it is given, what it reads, and what it refuses of either before its first change
 * (pure; the plan is in dsql.ts). Every problem is reported at once, in the project's message format.
 *
 * Tenants stay apart as in the Aurora bootstrap (tenancy.ts), with what DSQL's documented SQL allows:
 * - **Only its own roles.** The bootstrap records every role it manages in a table of its own, `"<marker>".managed`,
 *   in a schema only `admin` can reach (the DSQL counterpart of the Aurora marker role, which DSQL cannot have: no
 *   PL/pgSQL, and role membership grants are not in DSQL's documented SQL). A configured role, or a schema of its
 *   name, that exists without that record is another's and is refused unless it is adopted (`adopt`).
 * - **No second identity.** An IAM role config maps to a consumer's role must not also be mapped to a role config
 *   does not name for it: the consumer could log in as that role.
 */
import { parseIamArn } from "../../vocabulary/aws-ids";
import { markerRoleRule } from "../../vocabulary/database-names";
import { dsqlRoleNameRule } from "../../vocabulary/dsql";
import { argumentSurface, checkValue, problem, render, type Problem } from "../../vocabulary/rules";
import { pgIdent, pgLiteral } from "./quote";

/** One consumer's database role and the IAM role (in the cluster's account) that connects as it. */
export interface DsqlConsumerRole {
    /** The database role, and the name of its schema. */
    readonly name: string;
    /** The IAM role ARN mapped to the database role: the consumer's connect role. */
    readonly iamRoleArn: string;
    /** Take over a role (or its schema) that exists without this bootstrap's record. @default false */
    readonly adopt?: boolean;
}

/** What the DSQL role bootstrap converges. */
export interface DsqlRolesInput {
    /** The schema of this bootstrap's record (`markerRoleRule`: `rcx_bootstrap_…`), reachable by `admin` only. */
    readonly marker: string;
    readonly roles: readonly DsqlConsumerRole[];
    /** More roles whose mappings are revoked, besides the recorded roles config no longer names. @default none */
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
    /** The roles this bootstrap's record holds; absent when the record's table does not exist yet. */
    readonly marked?: readonly string[];
}

export const dsqlRolesSurface = argumentSurface("DSQL role bootstrap", "input");
const surface = dsqlRolesSurface;

/** Where equal values repeat in `values`: [index, index of the first]. */
function repeats(values: readonly string[]): [number, number][] {
    return values.flatMap((v, i) =>
        values.indexOf(v) < i ? [[i, values.indexOf(v)] as [number, number]] : [],
    );
}

/** The input's problems, every one: marker, names, ARNs, repetitions. */
export function checkDsqlRolesInput(input: DsqlRolesInput): Problem[] {
    const problems: Problem[] = [];
    checkValue(surface, problems, "marker", input.marker, markerRoleRule);
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
        if (r.adopt !== undefined && typeof r.adopt !== "boolean") {
            problems.push(
                problem(surface, `roles[${i}].adopt`, r.adopt, "it must be true or false", "Pass a boolean."),
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

/** The roles whose mappings a run revokes: the listed ones and the recorded ones config no longer names. */
export function dsqlRemovedRoles(input: DsqlRolesInput, state: DsqlState): string[] {
    const configured = new Set(input.roles.map((r) => r.name));
    return [...new Set([...(input.removed ?? []), ...(state.marked ?? [])])].filter(
        (n) => !configured.has(n) && n !== state.sessionUser,
    );
}

/** What the cluster holds that the plan must refuse, every one, before the first change. */
export function checkDsqlState(input: DsqlRolesInput, state: DsqlState): Problem[] {
    const problems: Problem[] = [];
    const removed = new Set(dsqlRemovedRoles(input, state));
    const marked = new Set(state.marked ?? []);
    const owner = (name: string) => state.schemas.find((s) => s.name === name)?.owner;
    const markerOwner = owner(input.marker);
    if (markerOwner !== undefined && markerOwner !== state.sessionUser) {
        problems.push(
            problem(
                surface,
                "marker",
                input.marker,
                `its schema is owned by ${render(markerOwner)}, not by ${render(state.sessionUser)}, so another role could change the record`,
                "Name another marker.",
            ),
        );
    }
    input.roles.forEach((r, i) => {
        const at = `roles[${i}].name`;
        const refuse = (reason: string, fix: string) =>
            problems.push(problem(surface, at, r.name, reason, fix));
        if (r.name === state.sessionUser)
            refuse("it must not be the bootstrap's own role", "Name another role.");
        const role = state.roles.find((x) => x.name === r.name);
        const schemaOwner = owner(r.name);
        if (!marked.has(r.name) && r.adopt !== true && (role !== undefined || schemaOwner !== undefined)) {
            refuse(
                `it exists (${role === undefined ? "its schema" : "as a role"}) and this bootstrap did not create it: ${render(r.name)} is not in ${pgIdent(input.marker)}.managed`,
                "Name another role, or set adopt to true to take it over.",
            );
        }
        if (role !== undefined && !role.login) {
            refuse(
                "it exists without LOGIN, which DSQL's documented SQL cannot give it",
                "Name a new role, or give this one LOGIN by hand.",
            );
        }
        if (schemaOwner !== undefined && schemaOwner !== state.sessionUser) {
            refuse(
                `its schema exists and is owned by ${render(schemaOwner)}, not by ${render(state.sessionUser)}`,
                "Name another role, or hand the schema to the bootstrap's role.",
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
