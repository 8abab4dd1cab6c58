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

    it("reads another bootstrap's record as its mark, and its users as consumers' users", () => {
        const roles = [role("app_rw"), role("orders_app", { login: true, locked: false })];
        const marks = [{ marker: "rcx_bootstrap_other", user: "orders_app" }];
        const other = { ...state(roles, []), catalog: { roles, edges: [], marks } };
        assert.match(
            checkTenancy(input("app_rw"), other)[0].message,
            /'users\[0\]\.name' is "orders_app", but .* it belongs to another bootstrap \(marked by rcx_bootstrap_other\)/,
        );
        // Recorded by this bootstrap: its own.
        const own = { ...state(roles, [], ["orders_app"]), catalog: { roles, edges: [], marks: [] } };
        assert.deepEqual(checkTenancy(input("app_rw"), own), []);
        // A role that is another bootstrap's recorded user is a consumer's user, even as a role.
        const taken = [...roles, role("team_app")];
        const withTeam = {
            ...own,
            catalog: {
                roles: taken,
                edges: [],
                marks: [{ marker: "rcx_bootstrap_other", user: "team_app" }],
            },
        };
        const problems = checkTenancy(input("team_app"), withTeam);
        assert.equal(problems.length, 1);
        assert.match(
            problems[0].message,
            /'users\[0\]\.databaseRole' is "team_app", but .*\("team_app" is a consumer's database user\)/,
        );
    });

    it("refuses a databaseRole reaching a record two roles away, and PUBLIC holding a record (MariaDB)", () => {
        const record = `privileges on ${MARKER} (a bootstrap's record)`;
        const roles = [role("app_rw"), role("mid"), role("rec", { powers: [record] })];
        const problems = checkTenancy(
            input("app_rw"),
            state(roles, [edge("mid", "app_rw"), edge("rec", "mid")]),
        );
        assert.match(
            problems[0].message,
            /"rec" has privileges on rcx_bootstrap_0123456789abcdef \(a bootstrap's record\)/,
        );
        const everyone = checkTenancy(
            input("app_rw"),
            state([role("app_rw"), role("PUBLIC", { host: "", powers: [record] })], []),
        );
        assert.deepEqual(
            everyone.map((p) => p.message),
            [
                `Database user bootstrap input 'markerRole' is "${MARKER}", but it must name a record that no consumer can reach, and every account holds what PUBLIC holds: ${record}. Revoke them from PUBLIC (REVOKE … FROM PUBLIC), and run again.`,
            ],
        );
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
