/**
 * The tenancy checks on MySQL 8.0-shaped catalogs (roles are accounts at a host, role grants carry the role's
 * host, dynamic privileges), which the local MariaDB cannot produce; everything else about them is proven on real
 * servers (tests/integration/bootstrap-tenancy.test.ts).
 */
import * as assert from "node:assert/strict";
import { checkTenancy } from "../../components/bootstrap/tenancy";
import type { CatalogEdge, CatalogRole, CurrentState, UsersInput } from "../../components/bootstrap/types";

const MARKER = "rcx_bootstrap_0123456789abcdef";
const role = (name: string, over: Partial<CatalogRole> = {}): CatalogRole => ({
    name,
    host: "%",
    login: false,
    locked: true,
    powers: [],
    ...over,
});
const edge = (r: string, member: string, over: Partial<CatalogEdge> = {}): CatalogEdge => ({
    role: r,
    roleHost: "%",
    member,
    memberHost: "%",
    adminOnly: false,
    ...over,
});
const state = (roles: CatalogRole[], edges: CatalogEdge[], marked: string[] = []): CurrentState => ({
    sessionUser: "admin",
    existing: roles.filter((r) => r.host === "%").map((r) => r.name),
    marked,
    roleGrants: [],
    catalog: { roles, edges },
});
const input = (databaseRole: string): UsersInput => ({
    engine: "aurora-mysql",
    applicationAuth: "iam",
    database: "appdb",
    markerRole: MARKER,
    users: [{ name: "orders_app", databaseRole }],
});

describe("bootstrap tenancy checks (MySQL 8.0 catalogs)", () => {
    it("accepts an application role at host %, and the consumer's own marked account", () => {
        const roles = [role("app_rw"), role("orders_app", { login: true, locked: false }), role(MARKER)];
        const edges = [edge(MARKER, "orders_app"), edge("app_rw", "orders_app")];
        assert.deepEqual(checkTenancy(input("app_rw"), state(roles, edges, ["orders_app"])), []);
    });

    it("follows role grants by the role's host to a dynamic privilege, and says so in one message", () => {
        const roles = [
            role("app_rw"),
            role("ops", { powers: ["SYSTEM_USER", "CONNECTION_ADMIN"] }),
            role("ops", { host: "10.%", powers: [] }),
        ];
        const problems = checkTenancy(input("app_rw"), state(roles, [edge("ops", "app_rw")]));
        assert.deepEqual(
            problems.map((p) => p.message),
            [
                `Database user bootstrap input 'users[0].databaseRole' is "app_rw", but it must be a role made for applications, as must every role it is a member of: no login, not a consumer's user or a marker, not a predefined or RDS role, no server-level attribute or privilege ("ops" has SYSTEM_USER, CONNECTION_ADMIN). Grant the application's privileges to a role of its own (CREATE ROLE app_rw; GRANT … TO app_rw) and name that role.`,
            ],
        );
        // The same name at another host is another account: a grant of 'ops'@'10.%' reaches nothing.
        const other = checkTenancy(
            input("app_rw"),
            state(roles, [edge("ops", "app_rw", { roleHost: "10.%" })]),
        );
        assert.deepEqual(other, []);
    });

    it("refuses a login account as the role, and a role that holds the marker", () => {
        const roles = [role("etl", { login: true, locked: false }), role("app_rw")];
        const login = checkTenancy(input("etl"), state(roles, []));
        assert.match(login[0].message, /"etl" is a login account/);
        const marked = checkTenancy(
            input("app_rw"),
            state([...roles, role(MARKER)], [edge(MARKER, "app_rw")]),
        );
        assert.match(marked[0].message, /"rcx_bootstrap_0123456789abcdef" is a bootstrap's marker role/);
    });
});
