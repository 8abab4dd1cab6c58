/**
 * The DSQL role bootstrap's refusals (components/bootstrap/dsql.ts), pure: every problem of the input and of the state
 * read, at once, with its exact message, and that `planDsqlRoles` plans nothing when there is one. The statements
 * themselves are proven on the real PostgreSQL server (tests/integration/dsql-roles.test.ts).
 */
import * as assert from "node:assert/strict";
import {
    checkDsqlRolesInput,
    checkDsqlState,
    planDsqlRoles,
    type DsqlRolesInput,
    type DsqlState,
} from "../../components/bootstrap/dsql";

const ARN_A = "arn:aws:iam::123456789012:role/a-connect";
const ARN_B = "arn:aws:iam::123456789012:role/b-connect";
const S = "DSQL role bootstrap input";

const MARKER = "rcx_bootstrap_dsql";
const empty: DsqlState = {
    sessionUser: "admin",
    roles: [],
    schemas: [{ name: MARKER, owner: "admin" }],
    mappings: [],
    marked: [],
};

describe("DSQL role bootstrap refusals", () => {
    it("accepts a valid input", () => {
        assert.deepEqual(
            checkDsqlRolesInput({
                marker: MARKER,
                accountId: "123456789012",
                roles: [
                    { name: "a_app", iamRoleArn: ARN_A, adopt: true },
                    { name: "b_app", iamRoleArn: ARN_B },
                ],
                removed: ["old_app"],
            }),
            [],
        );
    });

    it("reports every bad name, ARN and repetition of the input at once", () => {
        const messages = checkDsqlRolesInput({
            marker: "markers",
            accountId: "123456789012",
            roles: [
                {
                    name: "admin",
                    iamRoleArn: "arn:aws:iam::123456789012:user/a",
                    adopt: "yes" as unknown as boolean,
                },
                { name: "b_app", iamRoleArn: "arn:aws:iam::210987654321:role/b" },
                { name: "b_app", iamRoleArn: ARN_A },
                { name: "c_app", iamRoleArn: ARN_A },
            ],
            removed: ["Old"],
        }).map((p) => p.message);
        const role =
            'it must be a database role name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_" or "rcx_bootstrap_" and not "admin", "sys", "public", "none", "postgres", "information_schema", "current_user", "current_role" or "session_user". Pass such a value, for example "orders_app".';
        assert.deepEqual(messages, [
            `${S} 'marker' is "markers", but it must be "rcx_bootstrap_" followed by 1-18 lowercase letters, digits and underscores. Pass such a value, for example "rcx_bootstrap_orders".`,
            `${S} 'roles[0].name' is "admin", but ${role}`,
            `${S} 'roles[0].iamRoleArn' is "arn:aws:iam::123456789012:user/a", but it must be an IAM role ARN, arn:<partition>:iam::<account>:role/<name>. Pass the consumer's connect role, for example "arn:aws:iam::123456789012:role/orders-connect".`,
            `${S} 'roles[0].adopt' is "yes", but it must be true or false. Pass a boolean.`,
            `${S} 'roles[1].iamRoleArn' is "arn:aws:iam::210987654321:role/b", but it must be a role of the cluster's account 123456789012: DSQL does not grant other accounts. Pass the connect role the database account holds for the consumer.`,
            `${S} 'roles[2].name' is "b_app", but it must differ from roles[1].name. Give each consumer its own.`,
            `${S} 'roles[3].iamRoleArn' is "${ARN_A}", but it must differ from roles[2].iamRoleArn. Give each consumer its own.`,
            `${S} 'removed[0]' is "Old", but ${role}`,
        ]);
    });

    it("reports what the cluster holds that it must refuse", () => {
        const input: DsqlRolesInput = {
            marker: MARKER,
            roles: [
                { name: "rcx_master", iamRoleArn: ARN_A },
                { name: "b_app", iamRoleArn: ARN_B },
                { name: "c_app", iamRoleArn: "arn:aws:iam::123456789012:role/c" },
                { name: "d_app", iamRoleArn: "arn:aws:iam::123456789012:role/d" },
            ],
        };
        const state: DsqlState = {
            sessionUser: "rcx_master",
            roles: [
                { name: "rcx_master", login: true },
                { name: "b_app", login: false },
                { name: "c_app", login: true },
            ],
            schemas: [
                { name: MARKER, owner: "someone" },
                { name: "b_app", owner: "someone" },
                { name: "d_app", owner: "rcx_master" },
            ],
            mappings: [{ arn: ARN_B, role: "other_app" }],
            marked: ["rcx_master", "b_app"],
        };
        const notOurs = (name: string, what: string) =>
            `${S} 'roles[${name === "c_app" ? 2 : 3}].name' is "${name}", but it exists (${what}) and this bootstrap did not create it: "${name}" is not in "${MARKER}".managed. Name another role, or set adopt to true to take it over.`;
        assert.deepEqual(
            checkDsqlState(input, state).map((p) => p.message),
            [
                `${S} 'marker' is "${MARKER}", but its schema is owned by "someone", not by "rcx_master", so another role could change the record. Name another marker.`,
                `${S} 'roles[0].name' is "rcx_master", but it must not be the bootstrap's own role. Name another role.`,
                `${S} 'roles[1].name' is "b_app", but it exists without LOGIN, which DSQL's documented SQL cannot give it. Name a new role, or give this one LOGIN by hand.`,
                `${S} 'roles[1].name' is "b_app", but its schema exists and is owned by "someone", not by "rcx_master". Name another role, or hand the schema to the bootstrap's role.`,
                `${S} 'roles[1].iamRoleArn' is "${ARN_B}", but it is also mapped to the database role "other_app", which config does not name, so the consumer could log in as that role. Revoke that mapping (AWS IAM REVOKE "other_app" FROM '${ARN_B}') or list the role in removed.`,
                notOurs("c_app", "as a role"),
                notOurs("d_app", "its schema"),
            ],
        );
        // Adopted, the roles that exist unrecorded are taken over; a mapping to a role this run removes (listed, or
        // recorded and no longer configured) is not a conflict: the run revokes it.
        const adopted = { ...input, roles: input.roles.slice(2).map((r) => ({ ...r, adopt: true })) };
        assert.deepEqual(
            checkDsqlState(adopted, {
                ...state,
                schemas: state.schemas.slice(1),
                roles: state.roles.slice(2),
            }),
            [],
        );
        const moved = { marker: MARKER, roles: [input.roles[1]] };
        const free = { ...state, schemas: [], roles: [], marked: ["b_app"] };
        assert.deepEqual(checkDsqlState({ ...moved, removed: ["other_app"] }, free), []);
        assert.deepEqual(checkDsqlState(moved, { ...free, marked: ["b_app", "other_app"] }), []);
    });

    it("plans nothing when there is a problem, and never revokes the session's own mappings", () => {
        assert.throws(
            () => planDsqlRoles({ marker: MARKER, roles: [{ name: "admin", iamRoleArn: ARN_A }] }, empty),
            /roles\[0\]\.name/,
        );
        const plan = planDsqlRoles(
            { marker: MARKER, roles: [], removed: ["gone_app"] },
            {
                ...empty,
                sessionUser: "gone_app",
                schemas: [{ name: MARKER, owner: "gone_app" }],
                mappings: [{ arn: ARN_A, role: "gone_app" }],
                marked: ["gone_app"],
            },
        );
        assert.deepEqual(plan.statements, []);
    });
});
