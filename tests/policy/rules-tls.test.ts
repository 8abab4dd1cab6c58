// The TLS rules of the policy pack, called in-process as the SDK calls them (see tools/mutation/in-process-policy):
// RDS Proxy requireTls, parameter groups (required, and forcing TLS), connection strings in SSM, Secrets Manager,
// Lambda and ECS_TASK, and the private DNS that verify-full needs behind an interface endpoint. Exact messages,
// violations and non-violations, unknown values next to known ones. One verdict table per rule: the policy alone,
// then, after each, the cases that need the whole pack in-process (secrets as the SDK deserializes them, pack config,
// other policies staying silent) and the ways around it (support/constructs.ts); wire.test.ts and preview.test.ts
// prove the rules through the real analyzer.
import * as assert from "node:assert/strict";
import type { TlsFinding } from "../../policy-pack/lib/tls-findings";
import {
    connectionStringsVerifyFull,
    findWeakConnectionStrings,
} from "../../policy-pack/rules/tls-connection-strings";
import { databaseEndpointPrivateDns, isDatabaseEndpoint } from "../../policy-pack/rules/tls-endpoint-dns";
import {
    rdsParameterGroupForcesTls,
    rdsParameterGroupRequired,
    tlsParameterFor,
} from "../../policy-pack/rules/tls-parameter-groups";
import { rdsProxyRequireTls } from "../../policy-pack/rules/tls-proxy";
import {
    UNKNOWN,
    urnOf,
    validateResource,
    validateStack,
    type Outcome,
    type TestResource,
} from "../../tools/mutation/in-process-policy";
import { secret } from "../../tools/policy/analyzer";
import { clusterWithGroup, describeConstructs, ecs, lambda, secretJson, ssm } from "./support/constructs";
import { useInProcessPack, violation } from "./support/expect";
import {
    CLUSTER,
    CLUSTER_PG,
    ECS_TASK,
    ENDPOINT,
    INSTANCE,
    INSTANCE_PG,
    LAMBDA,
    PROXY,
    RECORD,
    SECRET_VERSION,
    SSM,
    ZONE,
} from "./support/tokens";

const NONE: Outcome = { violations: [] };

const CS_FIX =
    "so the client does not verify the server's certificate and host name. Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, with the Amazon root CA (AmazonRootCA1) as the trusted root.";

/** The whole-pack violation of connection-strings-verify-full for one finding. */
function weak(type: string, name: string, path: string, problem: string) {
    return violation(
        "connection-strings-verify-full",
        `${type} "${name}" ${path} holds ${problem}, ${CS_FIX}`,
    );
}

function only(message: string): Outcome {
    return { violations: [{ message }] };
}

function res(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps?: Record<string, string[]>,
): TestResource {
    return deps === undefined ? { type, name, props } : { type, name, props, propertyDependencies: deps };
}

describe("policy rules in-process: rds-proxy-require-tls", () => {
    const fix = "so clients can connect without TLS. Fix: set requireTls: true on the proxy.";
    const cases: Array<[unknown, string | undefined]> = [
        [true, undefined],
        [undefined, "omits requireTls"],
        [false, "sets requireTls: false"],
        // Strings the provider reads as true pass; any other string, and false ones, fail.
        ["true", undefined],
        ["True", undefined],
        ["1", undefined],
        ["false", 'sets requireTls: "false"'],
        ["0", 'sets requireTls: "0"'],
        ["yes", 'sets requireTls: "yes"'],
        [" true", 'sets requireTls: " true"'],
        [1, "sets requireTls: 1"],
        [null, "sets requireTls: null"],
    ];
    for (const [value, found] of cases) {
        it(`${found === undefined ? "passes" : "blocks"} requireTls ${JSON.stringify(value)}`, async () => {
            const props = value === undefined ? {} : { requireTls: value };
            assert.deepEqual(
                await validateResource(rdsProxyRequireTls, { type: PROXY, name: "p", props }),
                found === undefined ? NONE : only(`${PROXY} "p" ${found}, ${fix}`),
            );
        });
    }
    it("ignores other types, and reports an unknown requireTls as unknown", async () => {
        assert.deepEqual(
            await validateResource(rdsProxyRequireTls, { type: CLUSTER, name: "c", props: {} }),
            NONE,
        );
        assert.deepEqual(
            await validateResource(rdsProxyRequireTls, {
                type: PROXY,
                name: "p",
                props: { requireTls: UNKNOWN.bool },
            }),
            {
                violations: [],
                unknown: "boolean value at .requireTls can't be known during preview",
            },
        );
    });
});

describe("policy rules in-process: rds-parameter-group-required", () => {
    const hint = "rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB)";
    const clusterFix = `Fix: create an aws.rds.ClusterParameterGroup with ${hint} and set dbClusterParameterGroupName to its name.`;
    const instanceFix = `Fix: create an aws.rds.ParameterGroup with ${hint} and set parameterGroupName to its name.`;
    const missing = (type: string, property: string, fix: string): string =>
        `${type} "db" does not set ${property}, so it runs on the engine's default parameter group, which does not force TLS. ${fix}`;
    const byDefault = (type: string, property: string, value: string, fix: string): string =>
        `${type} "db" sets ${property} to the default parameter group "${value}", which cannot be changed to force TLS. ${fix}`;
    const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
        [CLUSTER, {}, missing(CLUSTER, "dbClusterParameterGroupName", clusterFix)],
        [
            CLUSTER,
            { dbClusterParameterGroupName: "" },
            missing(CLUSTER, "dbClusterParameterGroupName", clusterFix),
        ],
        [
            CLUSTER,
            { dbClusterParameterGroupName: "  " },
            missing(CLUSTER, "dbClusterParameterGroupName", clusterFix),
        ],
        [
            CLUSTER,
            { dbClusterParameterGroupName: 7 },
            missing(CLUSTER, "dbClusterParameterGroupName", clusterFix),
        ],
        [
            CLUSTER,
            { parameterGroupName: "db-tls" },
            missing(CLUSTER, "dbClusterParameterGroupName", clusterFix),
        ],
        [
            CLUSTER,
            { dbClusterParameterGroupName: "default.aurora-postgresql16" },
            byDefault(CLUSTER, "dbClusterParameterGroupName", "default.aurora-postgresql16", clusterFix),
        ],
        [
            CLUSTER,
            { dbClusterParameterGroupName: " Default.Aurora-MySQL8.0" },
            byDefault(CLUSTER, "dbClusterParameterGroupName", " Default.Aurora-MySQL8.0", clusterFix),
        ],
        [CLUSTER, { dbClusterParameterGroupName: "db-tls" }, undefined],
        [CLUSTER, { dbClusterParameterGroupName: "defaults" }, undefined],
        [CLUSTER, { dbClusterParameterGroupName: "my.default.group" }, undefined],
        [INSTANCE, {}, missing(INSTANCE, "parameterGroupName", instanceFix)],
        [
            INSTANCE,
            { parameterGroupName: "DEFAULT.postgres15" },
            byDefault(INSTANCE, "parameterGroupName", "DEFAULT.postgres15", instanceFix),
        ],
        [INSTANCE, { parameterGroupName: "pg-tls" }, undefined],
        ["aws:rds/clusterInstance:ClusterInstance", {}, undefined],
        [PROXY, {}, undefined],
    ];
    for (const [type, props, message] of cases) {
        it(`${message === undefined ? "passes" : "blocks"} ${type} with ${JSON.stringify(props)}`, async () => {
            assert.deepEqual(
                await validateResource(rdsParameterGroupRequired, { type, name: "db", props }),
                message === undefined ? NONE : only(message),
            );
        });
    }
});

describe("policy rules in-process: tlsParameterFor", () => {
    const cases: Array<[string, ReturnType<typeof tlsParameterFor>]> = [
        ["aurora-postgresql16", { name: "rds.force_ssl", accepted: ["1"], fixValue: "1" }],
        [" Postgres15 ", { name: "rds.force_ssl", accepted: ["1"], fixValue: "1" }],
        ["sqlserver-ee-16.0", { name: "rds.force_ssl", accepted: ["1"], fixValue: "1" }],
        ["sqlserver-se-15.0", { name: "rds.force_ssl", accepted: ["1"], fixValue: "1" }],
        ["aurora-mysql8.0", { name: "require_secure_transport", accepted: ["1", "on"], fixValue: "ON" }],
        ["aurora5.6", { name: "require_secure_transport", accepted: ["1", "on"], fixValue: "ON" }],
        ["mysql8.0", { name: "require_secure_transport", accepted: ["1", "on"], fixValue: "ON" }],
        ["mariadb10.11", { name: "require_secure_transport", accepted: ["1", "on"], fixValue: "ON" }],
        ["MariaDB10.11", { name: "require_secure_transport", accepted: ["1", "on"], fixValue: "ON" }],
        ["aurora", undefined],
        ["oracle-ee-19", undefined],
        ["my-postgres", undefined],
        ["", undefined],
    ];
    for (const [family, expected] of cases) {
        it(`${JSON.stringify(family)} needs ${JSON.stringify(expected)}`, () => {
            assert.deepEqual(tlsParameterFor(family), expected);
        });
    }
});

describe("policy rules in-process: rds-parameter-group-forces-tls", () => {
    const run = (resources: TestResource[]): Promise<Outcome> =>
        validateStack(rdsParameterGroupForcesTls, resources);
    const cluster = (name: string, group: unknown, deps?: Record<string, string[]>): TestResource =>
        res(CLUSTER, name, { dbClusterParameterGroupName: group }, deps);
    const cpg = (name: string, props: Record<string, unknown>): TestResource => res(CLUSTER_PG, name, props);
    const gap = (
        type: string,
        group: string,
        family: string,
        users: string,
        what: string,
        parameter: string,
        value: string,
    ): string =>
        `${type} "${group}" (family ${family}), used by ${users}, ${what}, so the database accepts unencrypted connections. ` +
        `Fix: add the parameter { name: "${parameter}", value: "${value}" } to the group.`;
    const at = (type: string, name: string, message: string): Outcome => ({
        violations: [{ message, urn: urnOf(type, name) }],
    });
    const parameters: Array<[string, Array<Record<string, unknown>>, string | undefined]> = [
        ["aurora-postgresql16", [{ name: "rds.force_ssl", value: "1" }], undefined],
        ["aurora-postgresql16", [{ name: " RDS.Force_SSL ", value: " 1 " }], undefined],
        ["aurora-postgresql16", [{ name: "rds.force_ssl", value: 1 }], undefined],
        ["aurora-postgresql16", [{ name: "rds.force_ssl", value: "0" }], "sets rds.force_ssl=0"],
        ["aurora-postgresql16", [{ name: "rds.force_ssl", value: "on" }], "sets rds.force_ssl=on"],
        ["aurora-postgresql16", [], "does not set rds.force_ssl"],
        ["aurora-postgresql16", [{ name: "log_connections", value: "1" }], "does not set rds.force_ssl"],
        [
            "aurora-postgresql16",
            [
                { name: "rds.force_ssl", value: "1" },
                { name: "rds.force_ssl", value: "0" },
            ],
            "sets rds.force_ssl=1, rds.force_ssl=0",
        ],
        ["aurora-mysql8.0", [{ name: "require_secure_transport", value: "ON" }], undefined],
        ["aurora-mysql8.0", [{ name: "require_secure_transport", value: "on" }], undefined],
        ["aurora-mysql8.0", [{ name: "require_secure_transport", value: "1" }], undefined],
        [
            "aurora-mysql8.0",
            [{ name: "require_secure_transport", value: "OFF" }],
            "sets require_secure_transport=OFF",
        ],
        ["aurora-mysql8.0", [{ name: "rds.force_ssl", value: "1" }], "does not set require_secure_transport"],
    ];
    for (const [family, params, what] of parameters) {
        it(`${what === undefined ? "passes" : "blocks"} ${family} with ${JSON.stringify(params)}`, async () => {
            const outcome = await run([
                cluster("c", "db-tls"),
                cpg("g", { name: "db-tls", family, parameters: params }),
            ]);
            if (what === undefined) {
                assert.deepEqual(outcome, NONE);
            } else {
                const parameter = tlsParameterFor(family);
                assert.ok(parameter !== undefined);
                assert.deepEqual(
                    outcome,
                    at(
                        CLUSTER_PG,
                        "g",
                        gap(
                            CLUSTER_PG,
                            "g",
                            family,
                            `${CLUSTER} "c"`,
                            what,
                            parameter.name,
                            parameter.fixValue,
                        ),
                    ),
                );
            }
        });
    }
    it("blocks a family it cannot check, naming every user", async () => {
        assert.deepEqual(
            await run([
                cluster("a", "ora"),
                cluster("b", "ORA"),
                cpg("g", { name: "ora", family: "oracle-ee-19", parameters: [] }),
            ]),
            at(
                CLUSTER_PG,
                "g",
                `${CLUSTER_PG} "g" (family oracle-ee-19), used by ${CLUSTER} "a", ${CLUSTER} "b", has a family this policy cannot check for TLS. ` +
                    "Fix: use a postgres, aurora-postgresql, sqlserver, mysql, mariadb or aurora-mysql family, or disable this policy for the stack.",
            ),
        );
        assert.deepEqual(
            await run([cluster("a", "g"), cpg("g", { name: "g" })]),
            at(
                CLUSTER_PG,
                "g",
                `${CLUSTER_PG} "g" (family undefined), used by ${CLUSTER} "a", has a family this policy cannot check for TLS. ` +
                    "Fix: use a postgres, aurora-postgresql, sqlserver, mysql, mariadb or aurora-mysql family, or disable this policy for the stack.",
            ),
        );
    });
    it("finds the group by dependency first, else by name as AWS compares it", async () => {
        const good = { family: "postgres15", parameters: [{ name: "rds.force_ssl", value: "1" }] };
        const bad = { family: "postgres15", parameters: [] };
        assert.deepEqual(
            await run([
                cluster("c", "good", { dbClusterParameterGroupName: ["b"] }),
                cpg("a", { name: "good", ...good }),
                cpg("b", { name: "other", ...bad }),
            ]),
            at(
                CLUSTER_PG,
                "b",
                gap(
                    CLUSTER_PG,
                    "b",
                    "postgres15",
                    `${CLUSTER} "c"`,
                    "does not set rds.force_ssl",
                    "rds.force_ssl",
                    "1",
                ),
            ),
        );
        assert.deepEqual(
            await run([
                cluster("c", " DB-TLS "),
                cpg("first", { name: "db-tls ", ...bad }),
                cpg("second", { name: "db-tls", ...good }),
            ]),
            at(
                CLUSTER_PG,
                "first",
                gap(
                    CLUSTER_PG,
                    "first",
                    "postgres15",
                    `${CLUSTER} "c"`,
                    "does not set rds.force_ssl",
                    "rds.force_ssl",
                    "1",
                ),
            ),
        );
    });
    it("checks an instance's parameter group, and only groups of the matching kind", async () => {
        assert.deepEqual(
            await run([
                res(INSTANCE, "i", { parameterGroupName: "pg" }),
                cpg("c", { name: "pg", family: "postgres15", parameters: [] }),
                res(INSTANCE_PG, "p", { name: "pg", family: "postgres15", parameters: [] }),
            ]),
            at(
                INSTANCE_PG,
                "p",
                gap(
                    INSTANCE_PG,
                    "p",
                    "postgres15",
                    `${INSTANCE} "i"`,
                    "does not set rds.force_ssl",
                    "rds.force_ssl",
                    "1",
                ),
            ),
        );
        assert.deepEqual(
            await run([
                res(INSTANCE, "i", { dbClusterParameterGroupName: "pg" }),
                res(INSTANCE_PG, "p", { name: "pg", family: "postgres15" }),
            ]),
            NONE,
        );
    });
    it("does not judge a group that nothing of the stack uses, or one from outside the stack", async () => {
        assert.deepEqual(await run([cpg("g", { name: "g", family: "postgres15", parameters: [] })]), NONE);
        assert.deepEqual(
            await run([cluster("c", "elsewhere"), cpg("g", { name: "g", family: "postgres15" })]),
            NONE,
        );
        assert.deepEqual(await run([cluster("c", ""), cpg("g", { name: "", family: "postgres15" })]), NONE);
        assert.deepEqual(await run([cluster("c", 7), cpg("g", { name: 7, family: "postgres15" })]), NONE);
        assert.deepEqual(await run([cluster("c", "g"), cpg("g", { family: "postgres15" })]), NONE);
        assert.deepEqual(
            await run([
                res("aws:rds/clusterInstance:ClusterInstance", "ci", { dbClusterParameterGroupName: "g" }),
                cpg("g", { name: "g", family: "postgres15" }),
            ]),
            NONE,
        );
    });
    it("judges the known groups when another cluster's group name is unknown", async () => {
        assert.deepEqual(
            await run([
                cluster("u", UNKNOWN.string),
                cluster("c", "g"),
                cpg("g", {
                    name: "g",
                    family: "postgres15",
                    parameters: [{ name: "rds.force_ssl", value: "0" }],
                }),
            ]),
            {
                ...at(
                    CLUSTER_PG,
                    "g",
                    gap(
                        CLUSTER_PG,
                        "g",
                        "postgres15",
                        `${CLUSTER} "c"`,
                        "sets rds.force_ssl=0",
                        "rds.force_ssl",
                        "1",
                    ),
                ),
                unknown: "string value at .dbClusterParameterGroupName can't be known during preview",
            },
        );
    });
    it("reports a group with an unknown parameter as unknown, and still judges the other groups", async () => {
        assert.deepEqual(
            await run([
                cluster("a", "ga"),
                cluster("b", "gb"),
                cpg("ga", { name: "ga", family: "postgres15", parameters: [UNKNOWN.object] }),
                cpg("gb", { name: "gb", family: "postgres15", parameters: [] }),
            ]),
            {
                ...at(
                    CLUSTER_PG,
                    "gb",
                    gap(
                        CLUSTER_PG,
                        "gb",
                        "postgres15",
                        `${CLUSTER} "b"`,
                        "does not set rds.force_ssl",
                        "rds.force_ssl",
                        "1",
                    ),
                ),
                unknown: "Object value at .parameters.0 can't be known during preview",
            },
        );
    });
});

describe("policy pack in-process: rds-parameter-group-forces-tls, whole pack", () => {
    const pack = useInProcessPack();
    describe("rds-parameter-group-forces-tls (stack)", () => {
        it("finds an instance's group whose own name is in upper case", async () => {
            const diags = await pack().analyzeStack([
                { type: INSTANCE, name: "pg", props: { parameterGroupName: "pg-tls" } },
                {
                    type: INSTANCE_PG,
                    name: "pg-tls",
                    props: { name: "PG-TLS", family: "postgres16", parameters: [] },
                },
            ]);
            assert.deepEqual(diags, [
                violation(
                    "rds-parameter-group-forces-tls",
                    `${INSTANCE_PG} "pg-tls" (family postgres16), used by ${INSTANCE} "pg", does not set rds.force_ssl, so the database accepts unencrypted connections. Fix: add the parameter { name: "rds.force_ssl", value: "1" } to the group.`,
                    urnOf(INSTANCE_PG, "pg-tls"),
                ),
            ]);
        });
        it("checks an instance's parameter group (postgres family)", async () => {
            const diags = await pack().analyzeStack([
                { type: INSTANCE, name: "pg", props: { parameterGroupName: "pg-tls" } },
                {
                    type: INSTANCE_PG,
                    name: "pg-tls",
                    props: {
                        name: "pg-tls",
                        family: "postgres16",
                        parameters: [{ name: "rds.force_ssl", value: "1" }],
                    },
                },
            ]);
            assert.deepEqual(diags, []);
        });
    });
});

describeConstructs(
    "policy pack in-process: rds-parameter-group-forces-tls, ways around it",
    [
        {
            group: "parameter-group name in another letter case",
            constructs: [
                {
                    title: "cluster names DB-TLS, group is db-tls with rds.force_ssl=0",
                    resources: clusterWithGroup("DB-TLS", "db-tls", "0"),
                    caughtBy: "rds-parameter-group-forces-tls",
                },
            ],
        },
    ],
    [
        {
            group: "parameter groups that pass",
            constructs: [
                {
                    title: "cluster names DB-TLS, group db-tls forces TLS",
                    resources: clusterWithGroup("DB-TLS", "db-tls", "1"),
                },
            ],
        },
    ],
);

const FIX =
    "Fix: PostgreSQL clients need sslmode=verify-full (PGSSLMODE=verify-full), MySQL clients ssl-mode=VERIFY_IDENTITY, " +
    "with the Amazon root CA (AmazonRootCA1) as the trusted root.";
const PG_NONE = "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)";

describe("policy rules in-process: connection-strings-verify-full", () => {
    const held = (type: string, path: string, problem: string): string =>
        `${type} "r" ${path} holds ${problem}, so the client does not verify the server's certificate and host name. ${FIX}`;
    const check = (type: string, props: Record<string, unknown>): Promise<Outcome> =>
        validateResource(connectionStringsVerifyFull, { type, name: "r", props });
    it("checks an SSM parameter's value and insecureValue", async () => {
        assert.deepEqual(await check(SSM, { value: "postgres://h/db", insecureValue: "mysql://h/db" }), {
            violations: [
                { message: held(SSM, "value", PG_NONE) },
                {
                    message: held(
                        SSM,
                        "insecureValue",
                        "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)",
                    ),
                },
            ],
        });
        assert.deepEqual(
            await check(SSM, {
                value: "postgres://h/db?sslmode=verify-full",
                description: "postgres://h/db",
            }),
            NONE,
        );
        assert.deepEqual(await check(SSM, { value: ["postgres://h/db"] }), NONE);
    });
    it("checks a secret's secretString, JSON included", async () => {
        assert.deepEqual(
            await check(SECRET_VERSION, { secretString: '{"url": "postgres://h/db", "ssl": false}' }),
            {
                violations: [
                    { message: held(SECRET_VERSION, "secretString.url", PG_NONE) },
                    {
                        message: held(
                            SECRET_VERSION,
                            "secretString.ssl",
                            "ssl=false, which turns server verification off",
                        ),
                    },
                ],
            },
        );
        assert.deepEqual(
            await check(SECRET_VERSION, {
                secretString: '{"username": "u", "password": "a=b c=d"}',
                value: "postgres://h/db",
            }),
            NONE,
        );
    });
    it("checks the environment of ECS container definitions", async () => {
        assert.deepEqual(
            await check(ECS_TASK, {
                containerDefinitions: JSON.stringify([
                    { name: "app", environment: [{ name: "PGSSLMODE", value: "require" }] },
                ]),
            }),
            only(
                held(
                    ECS_TASK,
                    "containerDefinitions[0].environment[0].value",
                    "PGSSLMODE=require (needs PGSSLMODE=verify-full)",
                ),
            ),
        );
    });
    it("checks each Lambda environment variable as a setting and as text", async () => {
        assert.deepEqual(
            await check(LAMBDA, {
                environment: {
                    variables: {
                        PGSSLMODE: "prefer",
                        DATABASE_URL: "postgres://h/db",
                        NODE_TLS_REJECT_UNAUTHORIZED: "0",
                        PORT: 5432,
                        OK: "postgres://h/db?sslmode=verify-full",
                    },
                },
            }),
            {
                violations: [
                    {
                        message: held(
                            LAMBDA,
                            "environment.variables.PGSSLMODE",
                            "PGSSLMODE=prefer (needs PGSSLMODE=verify-full)",
                        ),
                    },
                    { message: held(LAMBDA, "environment.variables.DATABASE_URL", PG_NONE) },
                    {
                        message: held(
                            LAMBDA,
                            "environment.variables.NODE_TLS_REJECT_UNAUTHORIZED",
                            "NODE_TLS_REJECT_UNAUTHORIZED=0, which turns server verification off",
                        ),
                    },
                ],
            },
        );
        assert.deepEqual(await check(LAMBDA, {}), NONE);
        assert.deepEqual(await check(LAMBDA, { environment: {} }), NONE);
        assert.deepEqual(await check(LAMBDA, { environment: "PGSSLMODE=disable" }), NONE);
        assert.deepEqual(await check(LAMBDA, { environment: { variables: ["PGSSLMODE=disable"] } }), NONE);
    });
    it("ignores other types", async () => {
        assert.deepEqual(
            await check("aws:ec2/instance:Instance", {
                value: "postgres://h/db",
                userData: "PGSSLMODE=disable",
                environment: { variables: { PGSSLMODE: "disable" } },
            }),
            NONE,
        );
    });
    it("reports a weak Lambda variable next to an unknown one, then the unknown value", async () => {
        assert.deepEqual(
            await check(LAMBDA, {
                environment: { variables: { DB_HOST: UNKNOWN.string, PGSSLMODE: "disable" } },
            }),
            {
                violations: [
                    {
                        message: held(
                            LAMBDA,
                            "environment.variables.PGSSLMODE",
                            "PGSSLMODE=disable (needs PGSSLMODE=verify-full)",
                        ),
                    },
                ],
                unknown: "string value at .environment.variables.DB_HOST can't be known during preview",
            },
        );
        assert.deepEqual(await check(SSM, { value: UNKNOWN.string, insecureValue: "postgres://h/db" }), {
            violations: [{ message: held(SSM, "insecureValue", PG_NONE) }],
            unknown: "string value at .value can't be known during preview",
        });
    });
    it("hands findings over one by one", () => {
        const findings: TlsFinding[] = [];
        findWeakConnectionStrings(SECRET_VERSION, { secretString: "PGSSLMODE=disable\nDB_SSL=false" }, (f) =>
            findings.push(f),
        );
        assert.deepEqual(findings, [
            { path: "secretString.PGSSLMODE", problem: "PGSSLMODE=disable (needs PGSSLMODE=verify-full)" },
            { path: "secretString.DB_SSL", problem: "DB_SSL=false, which turns server verification off" },
        ]);
    });
});

describe("policy pack in-process: connection-strings-verify-full, whole pack", () => {
    const pack = useInProcessPack();
    describe("connection-strings-verify-full", () => {
        const ssm = (value: unknown) => ({ type: SSM, name: "db-url", props: { type: "String", value } });
        const cases: Array<{ title: string; value: string; problem: string | undefined }> = [
            {
                title: "a postgres:// URL with sslmode=verify-full",
                value: "postgres://app@db.example:5432/app?sslmode=verify-full",
                problem: undefined,
            },
            {
                title: "a postgresql:// URL with sslmode=require",
                value: "postgresql://app@db.example:5432/app?sslmode=require",
                problem: "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
            },
            {
                title: "a URL with sslmode=verify-ca",
                value: "postgres://app@db.example/app?sslmode=verify-ca&connect_timeout=5",
                problem: "a PostgreSQL URL with sslmode=verify-ca (needs sslmode=verify-full)",
            },
            {
                title: "a URL with ssl=true and no sslmode",
                value: "postgres://app@db.example/app?ssl=true",
                problem: "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
            },
            {
                title: "a URL without a query",
                value: "postgresql://app@db.example/app",
                problem: "a PostgreSQL URL with no sslmode (needs sslmode=verify-full)",
            },
            {
                title: "a URL that sets sslmode twice, once weakly",
                value: "postgres://db.example/app?sslmode=verify-full&sslmode=disable",
                problem:
                    "a PostgreSQL URL with sslmode=verify-full, sslmode=disable (needs sslmode=verify-full)",
            },
            {
                title: "a JDBC PostgreSQL URL with verify-full",
                value: "jdbc:postgresql://db.example:5432/app?sslmode=verify-full",
                problem: undefined,
            },
            {
                title: "a keyword DSN with sslmode=prefer",
                value: "host=db.example port=5432 dbname=app user=app sslmode=prefer",
                problem:
                    "a PostgreSQL keyword connection string with sslmode=prefer (needs sslmode=verify-full)",
            },
            {
                title: "a keyword DSN with sslmode=verify-full",
                value: "host=db.example dbname=app sslmode='verify-full'",
                problem: undefined,
            },
            {
                title: "a MySQL URL with ssl-mode=REQUIRED",
                value: "mysql://app@db.example:3306/app?ssl-mode=REQUIRED",
                problem: "a MySQL URL with ssl-mode=REQUIRED (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a MySQL URL with ssl-mode=VERIFY_IDENTITY",
                value: "mysql://app@db.example:3306/app?ssl-mode=VERIFY_IDENTITY",
                problem: undefined,
            },
            {
                title: "a MySQL URL with sslMode=verify_identity (any case)",
                value: "jdbc:mysql://db.example/app?sslMode=verify_identity",
                problem: undefined,
            },
            {
                title: "a MySQL URL without ssl-mode",
                value: "mysql://db.example/app",
                problem: "a MySQL URL with no ssl-mode (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "text that is not a connection string",
                value: "https://example.com/?sslmode=disable",
                problem: undefined,
            },
            {
                title: "a JDBC URL with verify-full and the NonValidatingFactory",
                value: "jdbc:postgresql://db.example/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory",
                problem:
                    "a PostgreSQL URL with sslmode=verify-full and sslfactory=org.postgresql.ssl.NonValidatingFactory, which turns server verification off (needs sslmode=verify-full)",
            },
            {
                title: "a MySQL URL with VERIFY_IDENTITY and sslaccept=accept_invalid_certs",
                value: "mysql://db.example/app?ssl-mode=VERIFY_IDENTITY&sslaccept=accept_invalid_certs",
                problem:
                    "a MySQL URL with ssl-mode=VERIFY_IDENTITY and sslaccept=accept_invalid_certs, which turns server verification off (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a JDBC MySQL URL with useSSL=false and verifyServerCertificate=false",
                value: "jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&useSSL=false&verifyServerCertificate=false",
                problem:
                    "a MySQL URL with ssl-mode=VERIFY_IDENTITY and useSSL=false, verifyServerCertificate=false, which turns server verification off (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a MySQL URL with ssl-mode=PREFERRED",
                value: "mysql://db.example/app?ssl-mode=PREFERRED",
                problem: "a MySQL URL with ssl-mode=PREFERRED (needs ssl-mode=VERIFY_IDENTITY)",
            },
            {
                title: "a semicolon connection string with SSL Mode=Require",
                value: "Host=db.example;Database=app;SSL Mode=Require",
                problem:
                    "a semicolon-separated connection string with SSL Mode=Require (needs SSL Mode=VerifyFull)",
            },
            {
                title: "a semicolon connection string with SSL Mode=VerifyFull",
                value: "Host=db.example;Database=app;SSL Mode=VerifyFull",
                problem: undefined,
            },
        ];
        for (const c of cases) {
            it(`${c.problem === undefined ? "passes" : "blocks"} ${c.title} in an SSM parameter`, async () => {
                assert.deepEqual(
                    await pack().analyze(ssm(c.value)),
                    c.problem === undefined ? [] : [weak(SSM, "db-url", "value", c.problem)],
                );
            });
        }
        it("checks SecureString parameters, whose values arrive as secrets", async () => {
            const diags = await pack().analyze({
                type: SSM,
                name: "db-url",
                props: {
                    type: "SecureString",
                    value: secret("postgres://app:pw@db.example/app?sslmode=require"),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    SSM,
                    "db-url",
                    "value",
                    "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
                ),
            ]);
        });
        it("checks connection strings inside a JSON secret, at any depth", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretId: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db",
                    secretString: secret(
                        JSON.stringify({
                            username: "app",
                            url: "postgresql://app@db.example/app?sslmode=disable",
                            replicas: [{ dsn: "host=r1.example dbname=app" }],
                            PGSSLMODE: "require",
                        }),
                    ),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.url",
                    "a PostgreSQL URL with sslmode=disable (needs sslmode=verify-full)",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.replicas[0].dsn",
                    "a PostgreSQL keyword connection string with no sslmode (needs sslmode=verify-full)",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.PGSSLMODE",
                    "PGSSLMODE=require (needs PGSSLMODE=verify-full)",
                ),
            ]);
        });
        it("passes an RDS credentials secret without connection strings, even with key=value text in it", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretString: secret(
                        JSON.stringify({
                            username: "app",
                            password: "a=b c=d",
                            engine: "postgres",
                            host: "db-proxy.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com",
                            port: 5432,
                        }),
                    ),
                },
            });
            assert.deepEqual(diags, []);
        });
        it("passes a JSON secret whose connection string verifies fully", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretString: JSON.stringify({ url: "postgres://db.example/app?sslmode=verify-full" }),
                },
            });
            assert.deepEqual(diags, []);
        });
        it("checks Lambda environment variables, PGSSLMODE included", async () => {
            const diags = await pack().analyze({
                type: LAMBDA,
                name: "api",
                props: {
                    environment: {
                        variables: {
                            DATABASE_URL: "postgres://api@db.example/app?sslmode=require",
                            PGSSLMODE: "verify-ca",
                            LOG_LEVEL: "info",
                        },
                    },
                },
            });
            assert.deepEqual(diags, [
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.DATABASE_URL",
                    "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
                ),
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.PGSSLMODE",
                    "PGSSLMODE=verify-ca (needs PGSSLMODE=verify-full)",
                ),
            ]);
        });
        it("checks .env blobs line by line, each value again", async () => {
            const diags = await pack().analyze(
                ssm(
                    "# database\nDB_HOST=db.example\nsslmode=disable\nexport DATABASE_URL='postgres://db.example/app?sslmode=require'\nhost=db.example dbname=app sslmode=allow\nLOG=info\n",
                ),
            );
            assert.deepEqual(diags, [
                weak(
                    SSM,
                    "db-url",
                    "value.sslmode",
                    "sslmode=disable (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
                ),
                weak(
                    SSM,
                    "db-url",
                    "value.DATABASE_URL",
                    "a PostgreSQL URL with sslmode=require (needs sslmode=verify-full)",
                ),
                weak(
                    SSM,
                    "db-url",
                    "value",
                    "a PostgreSQL keyword connection string with sslmode=allow (needs sslmode=verify-full)",
                ),
            ]);
        });
        it("checks TLS settings in JSON: sslmode, ssl: false, ssl.rejectUnauthorized: false", async () => {
            const diags = await pack().analyze({
                type: SECRET_VERSION,
                name: "creds",
                props: {
                    secretString: secret(
                        JSON.stringify({
                            primary: { host: "db.example", sslmode: "disable" },
                            replica: { host: "r.example", ssl: false },
                            node: { host: "db.example", ssl: { rejectUnauthorized: false, ca: "PEM" } },
                            ok: { host: "db.example", ssl: { rejectUnauthorized: true, ca: "PEM" } },
                        }),
                    ),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.primary.sslmode",
                    "sslmode=disable (needs sslmode=verify-full, or VERIFY_IDENTITY for MySQL)",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.replica.ssl",
                    "ssl=false, which turns server verification off",
                ),
                weak(
                    SECRET_VERSION,
                    "creds",
                    "secretString.node.ssl.rejectUnauthorized",
                    "rejectUnauthorized=false, which turns server verification off",
                ),
            ]);
        });
        it("checks Lambda variables as TLS settings: DB_SSLMODE, NODE_TLS_REJECT_UNAUTHORIZED", async () => {
            const diags = await pack().analyze({
                type: LAMBDA,
                name: "api",
                props: {
                    environment: {
                        variables: {
                            DB_SSLMODE: "disable",
                            NODE_TLS_REJECT_UNAUTHORIZED: "0",
                            MYSQL_SSL_MODE: "VERIFY_IDENTITY",
                            SMTP_USE_SSL: "false",
                        },
                    },
                },
            });
            assert.deepEqual(diags, [
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.DB_SSLMODE",
                    "DB_SSLMODE=disable (needs DB_SSLMODE=verify-full, or VERIFY_IDENTITY for MySQL)",
                ),
                weak(
                    LAMBDA,
                    "api",
                    "environment.variables.NODE_TLS_REJECT_UNAUTHORIZED",
                    "NODE_TLS_REJECT_UNAUTHORIZED=0, which turns server verification off",
                ),
            ]);
        });
        it("checks the environment of ECS container definitions", async () => {
            const ECS = "aws:ecs/taskDefinition:TaskDefinition";
            const diags = await pack().analyze({
                type: ECS,
                name: "api",
                props: {
                    family: "api",
                    containerDefinitions: JSON.stringify([
                        {
                            name: "api",
                            image: "api:1",
                            environment: [
                                { name: "PGSSLMODE", value: "require" },
                                {
                                    name: "DATABASE_URL",
                                    value: "postgres://db.example/app?sslmode=verify-full",
                                },
                            ],
                        },
                    ]),
                },
            });
            assert.deepEqual(diags, [
                weak(
                    ECS,
                    "api",
                    "containerDefinitions[0].environment[0].value",
                    "PGSSLMODE=require (needs PGSSLMODE=verify-full)",
                ),
            ]);
        });
        it("passes a Lambda with PGSSLMODE=verify-full and a verify-full URL", async () => {
            const diags = await pack().analyze({
                type: LAMBDA,
                name: "api",
                props: {
                    environment: {
                        variables: {
                            DATABASE_URL: secret(
                                "postgres://api@db.example/app?sslmode=verify-full&sslrootcert=/opt/AmazonRootCA1.pem",
                            ),
                            PGSSLMODE: "verify-full",
                        },
                    },
                },
            });
            assert.deepEqual(diags, []);
        });
    });
});

describeConstructs(
    "policy pack in-process: connection-strings-verify-full, ways around it",
    [
        {
            group: "connection strings outside the URL form",
            constructs: [
                {
                    title: ".env blob with sslmode=disable",
                    resources: ssm("DB_HOST=db.example\nDB_NAME=app\nsslmode=disable\n"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: ".env blob with DATABASE_URL without verify-full",
                    resources: ssm(
                        "export DATABASE_URL='postgres://db.example/app?sslmode=require'\nLOG=info",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: ".env blob with PGSSLMODE=prefer",
                    resources: ssm("PGHOST=db.example\nPGSSLMODE=prefer"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "a libpq keyword line in a multi-line blob",
                    resources: ssm("# db\nhost=db.example dbname=app sslmode=allow"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: 'JSON {"sslmode":"disable"}',
                    resources: secretJson({ host: "db.example", sslmode: "disable" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: 'JSON {"ssl": false}',
                    resources: secretJson({ host: "db.example", ssl: false }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: 'JSON {"ssl": {"rejectUnauthorized": false}}',
                    resources: secretJson({ host: "db.example", ssl: { rejectUnauthorized: false } }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: 'JSON {"ssl-mode": "REQUIRED"}',
                    resources: secretJson({ host: "db.example", "ssl-mode": "REQUIRED" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "keyword DSN with sslmode=verify-full and sslfactory",
                    resources: ssm(
                        "host=db.example sslmode=verify-full sslfactory=org.postgresql.ssl.NonValidatingFactory",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "MySQL ssl-mode=VERIFY_CA",
                    resources: ssm("mysql://db.example/app?ssl-mode=VERIFY_CA"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "MySQL ssl-mode=DISABLED",
                    resources: ssm("mysql://db.example/app?ssl-mode=DISABLED"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "JDBC MySQL useSSL=false next to VERIFY_IDENTITY",
                    resources: ssm("jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&useSSL=false"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "JDBC MySQL verifyServerCertificate=false",
                    resources: ssm(
                        "jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&verifyServerCertificate=false",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "trustServerCertificate=true",
                    resources: ssm(
                        "jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&trustServerCertificate=true",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Npgsql VerifyFull with Trust Server Certificate=true",
                    resources: ssm(
                        "Host=db.example;Database=app;SSL Mode=VerifyFull;Trust Server Certificate=true",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
            ],
        },
        {
            group: "Lambda and ECS environment variables",
            constructs: [
                {
                    title: "Lambda DB_SSLMODE=disable",
                    resources: lambda({ DB_SSLMODE: "disable" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Lambda PGSSLMODE=disable",
                    resources: lambda({ PGSSLMODE: "disable" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Lambda NODE_TLS_REJECT_UNAUTHORIZED=0",
                    resources: lambda({ NODE_TLS_REJECT_UNAUTHORIZED: "0" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Lambda MYSQL_SSL_MODE=REQUIRED",
                    resources: lambda({ MYSQL_SSL_MODE: "REQUIRED" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Lambda DB_SSL=false",
                    resources: lambda({ DB_SSL: "false" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Lambda variable holding a JSON config with ssl false",
                    resources: lambda({ DB_CONFIG: '{"host":"db.example","ssl":false}' }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "ECS PGSSLMODE=require",
                    resources: ecs([{ name: "PGSSLMODE", value: "require" }]),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "ECS NODE_TLS_REJECT_UNAUTHORIZED=0",
                    resources: ecs([{ name: "NODE_TLS_REJECT_UNAUTHORIZED", value: "0" }]),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "ECS DATABASE_URL without sslmode",
                    resources: ecs([{ name: "DATABASE_URL", value: "postgres://db.example/app" }]),
                    caughtBy: "connection-strings-verify-full",
                },
            ],
        },
        {
            group: "Go DSNs, per-host properties, pgJDBC verifiers, quoted values, YAML, settings next to a URL",
            constructs: [
                {
                    title: "Go MySQL DSN with tls=skip-verify",
                    resources: ssm("app:pw@tcp(db.example:3306)/app?tls=skip-verify"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Go MySQL DSN without tls, in a Lambda variable",
                    resources: lambda({ DSN: "app:pw@tcp(db.example:3306)/app?parseTime=true" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Connector/J per-host sslMode=DISABLED under a VERIFY_IDENTITY query",
                    resources: ssm(
                        "jdbc:mysql://(host=db.example,sslMode=DISABLED)/app?sslMode=VERIFY_IDENTITY",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "pgJDBC verify-full with a custom sslhostnameverifier",
                    resources: ssm(
                        "jdbc:postgresql://db.example/app?sslmode=verify-full&sslhostnameverifier=com.example.AllowAll",
                    ),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Npgsql quoted password holding ';' before SSL Mode=Disable",
                    resources: ssm('Host=db.example;Password="a;SSL Mode=VerifyFull";SSL Mode=Disable'),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "ODBC braced password holding ';' before SSLMode=require",
                    resources: secretJson({ odbc: "Server=db.example;PWD={a;b};SSLMode=require" }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "YAML blob with sslmode: require",
                    resources: ssm("database:\n  host: db.example\n  sslmode: require\n"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "KEY: value lines with PGSSLMODE: prefer",
                    resources: ssm("PGHOST: db.example\nPGSSLMODE: prefer"),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "Lambda DB_REJECT_UNAUTHORIZED=false next to a verify-full URL",
                    resources: lambda({
                        DATABASE_URL: "postgres://db.example/app?sslmode=verify-full",
                        DB_REJECT_UNAUTHORIZED: "false",
                    }),
                    caughtBy: "connection-strings-verify-full",
                },
                {
                    title: "libpq keywords without host, sslmode=require",
                    resources: ssm("user=app password=secret sslmode=require"),
                    caughtBy: "connection-strings-verify-full",
                },
            ],
        },
    ],
    [
        {
            group: "verify-full settings",
            constructs: [
                {
                    title: "sslmode=verify-full with sslrootcert",
                    resources: ssm(
                        "postgres://db.example/app?sslmode=verify-full&sslrootcert=/opt/AmazonRootCA1.pem",
                    ),
                },
                {
                    title: "JDBC verify-full with the default factory",
                    resources: ssm(
                        "jdbc:postgresql://db.example/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory",
                    ),
                },
                {
                    title: "MySQL ssl-mode=VERIFY_IDENTITY with sslaccept=strict",
                    resources: ssm("mysql://db.example/app?ssl-mode=VERIFY_IDENTITY&sslaccept=strict"),
                },
                {
                    title: "JDBC MySQL sslMode=VERIFY_IDENTITY, useSSL=true",
                    resources: ssm("jdbc:mysql://db.example/app?sslMode=VERIFY_IDENTITY&useSSL=true"),
                },
                {
                    title: "Npgsql SSL Mode=VerifyFull",
                    resources: ssm(
                        "Host=db.example;Database=app;SSL Mode=VerifyFull;Root Certificate=/opt/AmazonRootCA1.pem",
                    ),
                },
                {
                    title: "JSON ssl { rejectUnauthorized: true, ca }",
                    resources: secretJson({
                        host: "db.example",
                        ssl: {
                            rejectUnauthorized: true,
                            ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                        },
                    }),
                },
                {
                    title: 'JSON {"sslmode": "verify-full"}',
                    resources: secretJson({ host: "db.example", sslmode: "verify-full" }),
                },
                {
                    title: "an RDS credentials secret",
                    resources: secretJson({
                        username: "app",
                        password: "p=q;r s=t",
                        engine: "postgres",
                        host: "db.example",
                        port: 5432,
                    }),
                },
                {
                    title: ".env blob with verify-full",
                    resources: ssm(
                        "PGHOST=db.example\nPGSSLMODE=verify-full\nPGSSLROOTCERT=/opt/AmazonRootCA1.pem\nDATABASE_URL=postgres://db.example/app?sslmode=verify-full",
                    ),
                },
                {
                    title: "Lambda DB_SSLMODE=verify-full and NODE_TLS_REJECT_UNAUTHORIZED=1",
                    resources: lambda({
                        DB_SSLMODE: "verify-full",
                        NODE_TLS_REJECT_UNAUTHORIZED: "1",
                        LOG_LEVEL: "info",
                    }),
                },
                {
                    title: "Lambda SMTP_USE_SSL=false (not a database setting)",
                    resources: lambda({ SMTP_USE_SSL: "false", MAIL_HOST: "smtp.example" }),
                },
                {
                    title: "Lambda MYSQL_SSL_MODE=VERIFY_IDENTITY",
                    resources: lambda({ MYSQL_SSL_MODE: "VERIFY_IDENTITY" }),
                },
                {
                    title: "ECS PGSSLMODE=verify-full and a verify-full URL",
                    resources: ecs([
                        { name: "PGSSLMODE", value: "verify-full" },
                        { name: "DATABASE_URL", value: "postgres://db.example/app?sslmode=verify-full" },
                    ]),
                },
                {
                    title: "a PEM certificate",
                    resources: ssm(
                        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----",
                    ),
                },
            ],
        },
        {
            group: "look-alikes of the forms above that verify",
            constructs: [
                {
                    title: "Go MySQL DSN with tls=true",
                    resources: ssm("app:pw@tcp(db.example:3306)/app?tls=true"),
                },
                {
                    title: "Connector/J per-host sslMode=VERIFY_IDENTITY",
                    resources: ssm(
                        "jdbc:mysql://(host=db.example,sslMode=VERIFY_IDENTITY)/app?sslMode=VERIFY_IDENTITY",
                    ),
                },
                {
                    title: "pgJDBC verify-full with PGjdbcHostnameVerifier",
                    resources: ssm(
                        "jdbc:postgresql://db.example/app?sslmode=verify-full&sslhostnameverifier=org.postgresql.ssl.PGjdbcHostnameVerifier",
                    ),
                },
                {
                    title: "Npgsql quoted password holding ';' and SSL Mode=VerifyFull",
                    resources: ssm('Host=db.example;Password="a;SSL Mode=Disable";SSL Mode=VerifyFull'),
                },
                {
                    title: "ODBC braced password holding ';' and SSLMode=verify-full",
                    resources: secretJson({ odbc: "Server=db.example;PWD={a;b};SSLMode=verify-full" }),
                },
                {
                    title: "YAML blob with sslmode: verify-full",
                    resources: ssm("database:\n  host: db.example\n  sslmode: verify-full\n"),
                },
                {
                    title: "KEY: value lines with PGSSLMODE: verify-full",
                    resources: ssm("PGHOST: db.example\nPGSSLMODE: verify-full"),
                },
                {
                    title: "Lambda DB_REJECT_UNAUTHORIZED=true next to a verify-full URL",
                    resources: lambda({
                        DATABASE_URL: "postgres://db.example/app?sslmode=verify-full",
                        DB_REJECT_UNAUTHORIZED: "true",
                    }),
                },
                {
                    title: "libpq keywords without host, sslmode=verify-full",
                    resources: ssm("user=app password=secret sslmode=verify-full"),
                },
            ],
        },
    ],
);

const SVC = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";

describe("policy rules in-process: isDatabaseEndpoint", () => {
    const cases: Array<[Record<string, unknown>, readonly string[], boolean]> = [
        [{ vpcEndpointType: "Interface", serviceName: SVC }, [], true],
        [{ vpcEndpointType: "INTERFACE", serviceName: ` ${SVC} ` }, [SVC], true],
        [
            {
                vpcEndpointType: "Interface",
                serviceName: SVC.toUpperCase().replace("COM.AMAZONAWS", "com.amazonaws"),
            },
            [],
            true,
        ],
        [{ vpcEndpointType: "Interface", serviceName: SVC }, ["other", SVC], true],
        [{ vpcEndpointType: "Interface", serviceName: SVC }, [` ${SVC}`], false],
        [{ vpcEndpointType: "interface", serviceName: SVC }, [SVC], true],
        [{ vpcEndpointType: "Interface", serviceName: SVC }, ["other"], false],
        [{ serviceName: SVC }, [], false],
        [{ vpcEndpointType: "GatewayLoadBalancer", serviceName: SVC }, [], false],
        [{ vpcEndpointType: "Gateway", serviceName: SVC }, [], false],
        [{ vpcEndpointType: 1, serviceName: SVC }, [], false],
        [{ vpcEndpointType: "Interface" }, [], false],
        [{ vpcEndpointType: "Interface", serviceName: 7 }, [], false],
        [{ vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.s3" }, [], false],
        [{ vpcEndpointType: "Interface", serviceName: `x${SVC}` }, [], false],
        [{ vpcEndpointType: "Interface", serviceName: `${SVC}x` }, [], false],
        [{ vpcEndpointType: "Interface", serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-" }, [], false],
        [{ vpcEndpointType: "Interface", serviceName: "com.amazonaws.vpce..vpce-svc-0123" }, [], false],
        [
            { vpcEndpointType: "Interface", serviceName: "comXamazonaws.vpce.eu-west-1.vpce-svc-0123" },
            [],
            false,
        ],
    ];
    for (const [props, names, expected] of cases) {
        it(`${JSON.stringify(props)} with ${JSON.stringify(names)} is ${expected ? "" : "not "}a database endpoint`, () => {
            assert.equal(isDatabaseEndpoint(props, names), expected);
        });
    }
});

describe("policy rules in-process: database-endpoint-private-dns", () => {
    const DNS_FIX =
        "Fix: create a private hosted zone (aws.route53.Zone with vpcs set to the consumer VPC) for the proxy's hostname and an alias A record for that hostname pointing at the endpoint's DNS name.";
    const endpoint = (name = "e", serviceName: unknown = SVC): TestResource =>
        res(ENDPOINT, name, { vpcEndpointType: "Interface", serviceName });
    const zone = (name: string, zoneName: unknown, vpcs: unknown = [{ vpcId: "vpc-1" }]): TestResource =>
        res(ZONE, name, { name: zoneName, vpcs });
    const alias = (
        name: string,
        recordName: unknown,
        type: unknown = "A",
        deps?: Record<string, string[]>,
    ): TestResource =>
        res(
            RECORD,
            name,
            { name: recordName, type, aliases: [{ name: "vpce-1.example", zoneId: "Z1" }] },
            deps,
        );
    const blocked = (gap: string, name = "e", service = SVC): Outcome => ({
        violations: [
            {
                message:
                    `${ENDPOINT} "${name}" connects to the database endpoint service ${service}, but ${gap}, ` +
                    `so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. ${DNS_FIX}`,
                urn: urnOf(ENDPOINT, name),
            },
        ],
    });
    const NO_ZONE = "the stack has no private hosted zone for a proxy hostname within rds.amazonaws.com";
    const parent = (name: string, zoneName: string): { message: string; urn: string } => ({
        message:
            `${ZONE} "${name}" is a private hosted zone for ${zoneName}, a parent of the proxy's hostname, so inside the VPC it answers every name below it and hides the other databases and proxies there. ` +
            "Fix: name each private zone after one full proxy hostname (<proxy>.proxy-<id>.<region>.rds.amazonaws.com) with an alias record at its apex.",
        urn: urnOf(ZONE, name),
    });
    const noRecord = (...zones: string[]): string =>
        `no private hosted zone of the stack (${zones.map((z) => `${ZONE} "${z}"`).join(", ")}) holds an alias A/AAAA or CNAME record`;
    const run = (resources: TestResource[], config: Record<string, unknown> = {}): Promise<Outcome> =>
        validateStack(databaseEndpointPrivateDns, resources, config);
    const PROXY_NAME = "db.proxy-abc.eu-west-1.rds.amazonaws.com";

    it("passes an endpoint with a private zone for the proxy hostname and an alias record", async () => {
        assert.deepEqual(await run([endpoint(), zone("z", PROXY_NAME), alias("r", PROXY_NAME)]), NONE);
    });
    const answering: Array<[string, TestResource[]]> = [
        [
            "a zone for a proxy endpoint named endpoint",
            [
                zone("z", "endpoint.endpoint.proxy-abc.eu-west-1.rds.amazonaws.com"),
                alias("r", "endpoint.endpoint.proxy-abc.eu-west-1.rds.amazonaws.com"),
            ],
        ],
        [
            "a zone for a proxy endpoint's hostname",
            [
                zone("z", "ro.endpoint.proxy-abc.eu-west-1.rds.amazonaws.com"),
                alias("r", "ro.endpoint.proxy-abc.eu-west-1.rds.amazonaws.com"),
            ],
        ],
        [
            "a China-partition zone",
            [
                zone("z", "db.proxy-abc.cn-north-1.rds.amazonaws.com.cn"),
                alias("r", "db.proxy-abc.cn-north-1.rds.amazonaws.com.cn"),
            ],
        ],
        [
            "names in another case with trailing dots",
            [
                zone("z", " DB.Proxy-ABC.eu-west-1.RDS.amazonaws.com. "),
                alias("r", `${PROXY_NAME.toUpperCase()}.`),
            ],
        ],
        ["an AAAA alias", [zone("z", PROXY_NAME), alias("r", PROXY_NAME, "AAAA")]],
        ["a lower-case record type", [zone("z", PROXY_NAME), alias("r", PROXY_NAME, "a")]],
        [
            "a CNAME record",
            [
                zone("z", PROXY_NAME),
                res(RECORD, "r", { name: PROXY_NAME, type: "CNAME", records: ["vpce-1.example"] }),
            ],
        ],
        [
            "a record linked by dependency with a relative name",
            [zone("z", PROXY_NAME), alias("r", "", "A", { zoneId: ["z"] })],
        ],
        [
            "one answering zone among others",
            [
                zone("z1", "other.proxy-def.eu-west-1.rds.amazonaws.com"),
                zone("z2", PROXY_NAME),
                alias("r", PROXY_NAME),
            ],
        ],
    ];
    for (const [what, resources] of answering) {
        it(`passes ${what}`, async () => {
            assert.deepEqual(await run([endpoint(), ...resources]), NONE);
        });
    }
    it("blocks an endpoint without any private hosted zone for an RDS name", async () => {
        assert.deepEqual(await run([endpoint()]), blocked(NO_ZONE));
        assert.deepEqual(
            await run([endpoint(), zone("z", PROXY_NAME, []), alias("r", PROXY_NAME)]),
            blocked(NO_ZONE),
        );
        assert.deepEqual(
            await run([endpoint(), res(ZONE, "z", { name: PROXY_NAME }), alias("r", PROXY_NAME)]),
            blocked(NO_ZONE),
        );
        assert.deepEqual(
            await run([endpoint(), zone("z", "example.com"), alias("r", "db.example.com")]),
            blocked(NO_ZONE),
        );
        assert.deepEqual(
            await run([endpoint(), zone("z", "notrds.amazonaws.com"), alias("r", "notrds.amazonaws.com")]),
            blocked(NO_ZONE),
        );
        assert.deepEqual(
            await run([
                endpoint(),
                zone("z", "rds.amazonaws.com.evil"),
                alias("r", "rds.amazonaws.com.evil"),
            ]),
            blocked(NO_ZONE),
        );
        assert.deepEqual(await run([endpoint(), zone("z", 7), alias("r", PROXY_NAME)]), blocked(NO_ZONE));
        assert.deepEqual(
            await run([
                endpoint(),
                res("aws:route53/zoneAssociation:ZoneAssociation", "z", { name: PROXY_NAME, vpcs: ["v"] }),
                alias("r", PROXY_NAME),
            ]),
            blocked(NO_ZONE),
        );
    });
    const silent: Array<[string, TestResource[]]> = [
        ["no record", []],
        ["a record outside the zone", [alias("r", "other.eu-west-1.rds.amazonaws.com")]],
        ["a record in a parent domain", [alias("r", "proxy-abc.eu-west-1.rds.amazonaws.com")]],
        ["a record whose name only ends like the zone", [alias("r", `x${PROXY_NAME}`)]],
        ["a record without a name", [alias("r", undefined)]],
        [
            "an A record without aliases",
            [res(RECORD, "r", { name: PROXY_NAME, type: "A", records: ["10.0.0.1"] })],
        ],
        [
            "a CNAME without records",
            [res(RECORD, "r", { name: PROXY_NAME, type: "CNAME", aliases: [{ name: "x" }] })],
        ],
        ["a TXT record", [alias("r", PROXY_NAME, "TXT")]],
        ["a TXT record with records", [res(RECORD, "r", { name: PROXY_NAME, type: "TXT", records: ["x"] })]],
        [
            "a record of another type",
            [res("aws:route53/healthCheck:HealthCheck", "r", { name: PROXY_NAME, type: "A", aliases: [{}] })],
        ],
        [
            "a record linked to another zone by dependency",
            [zone("z2", "example.com"), alias("r", "", "A", { zoneId: ["z2"] })],
        ],
    ];
    for (const [what, resources] of silent) {
        it(`blocks a private zone with ${what}`, async () => {
            assert.deepEqual(
                await run([endpoint(), zone("z", PROXY_NAME), ...resources]),
                blocked(noRecord("z")),
            );
        });
    }
    // A private zone for a parent of the proxy's hostname answers every name below it inside the VPC: it never
    // counts, and it is reported, even next to a zone that answers.
    const parents = [
        "rds.amazonaws.com",
        "eu-west-1.rds.amazonaws.com",
        "proxy-abc.eu-west-1.rds.amazonaws.com",
        "endpoint.proxy-abc.eu-west-1.rds.amazonaws.com",
        "RDS.amazonaws.com.",
        "cn-north-1.rds.amazonaws.com.cn",
        "endpoint.proxy-abc.cn-north-1.rds.amazonaws.com.cn",
    ];
    for (const zoneName of parents) {
        it(`blocks a private zone for the parent name ${zoneName}, with a record that answers`, async () => {
            const shown = zoneName.toLowerCase().replace(/\.$/, "");
            assert.deepEqual(await run([endpoint(), zone("z", zoneName), alias("r", PROXY_NAME)]), {
                violations: [parent("z", shown), ...blocked(NO_ZONE).violations],
            });
        });
    }
    it("reports a parent zone next to a hostname zone that answers, and passes the endpoint", async () => {
        assert.deepEqual(
            await run([
                endpoint(),
                zone("wide", "eu-west-1.rds.amazonaws.com"),
                zone("z", PROXY_NAME),
                alias("r", PROXY_NAME),
            ]),
            { violations: [parent("wide", "eu-west-1.rds.amazonaws.com")] },
        );
        assert.deepEqual(await run([zone("wide", "rds.amazonaws.com")]), NONE);
    });
    it("names every private RDS zone of the stack, and every endpoint", async () => {
        assert.deepEqual(
            await run([
                endpoint("e1"),
                endpoint("e2"),
                zone("z1", PROXY_NAME),
                zone("z2", "other.proxy-def.eu-west-1.rds.amazonaws.com"),
            ]),
            {
                violations: [
                    ...blocked(noRecord("z1", "z2"), "e1").violations,
                    ...blocked(noRecord("z1", "z2"), "e2").violations,
                ],
            },
        );
    });
    it("ignores gateway endpoints, endpoints to AWS services and unconfigured services", async () => {
        assert.deepEqual(
            await run([res(ENDPOINT, "g", { vpcEndpointType: "Gateway", serviceName: SVC })]),
            NONE,
        );
        assert.deepEqual(
            await run([
                res(ENDPOINT, "s3", {
                    vpcEndpointType: "Interface",
                    serviceName: "com.amazonaws.eu-west-1.s3",
                }),
            ]),
            NONE,
        );
        assert.deepEqual(
            await run([endpoint()], { endpointServiceNames: ["com.amazonaws.vpce.eu-west-1.vpce-svc-1"] }),
            NONE,
        );
        assert.deepEqual(await run([endpoint()], { endpointServiceNames: [SVC] }), blocked(NO_ZONE));
        assert.deepEqual(
            await run([
                res("aws:ec2/vpcEndpointService:VpcEndpointService", "s", {
                    vpcEndpointType: "Interface",
                    serviceName: SVC,
                }),
            ]),
            NONE,
        );
        await assert.rejects(run([endpoint()], { endpointServiceNames: "x" }), {
            message:
                'Policy config database-endpoint-private-dns.endpointServiceNames must be a list of non-empty strings; received "x".',
        });
    });
    it("judges the known endpoints when another endpoint's service is unknown", async () => {
        assert.deepEqual(await run([endpoint("u", UNKNOWN.string), endpoint("e")]), {
            ...blocked(NO_ZONE),
            unknown: "string value at .serviceName can't be known during preview",
        });
    });
    it("reports nothing but the unknown value when an unknown zone or record could answer", async () => {
        assert.deepEqual(await run([endpoint(), zone("z", UNKNOWN.string)]), {
            violations: [],
            unknown: "string value at .name can't be known during preview",
        });
        assert.deepEqual(await run([endpoint(), zone("z", PROXY_NAME), alias("r", UNKNOWN.string)]), {
            violations: [],
            unknown: "string value at .name can't be known during preview",
        });
        assert.deepEqual(
            await run([
                endpoint(),
                zone("u", UNKNOWN.string),
                zone("z", PROXY_NAME),
                res(RECORD, "r", { name: PROXY_NAME, type: UNKNOWN.string }),
            ]),
            {
                violations: [],
                unknown: "string value at .name can't be known during preview",
            },
        );
    });
    it("reads no zone when the stack has no database endpoint", async () => {
        assert.deepEqual(await run([zone("z", UNKNOWN.string), endpoint("g", 7)]), NONE);
    });
    it("passes when one zone answers, whatever else is unknown", async () => {
        assert.deepEqual(
            await run([
                endpoint(),
                zone("u", UNKNOWN.string),
                zone("z", PROXY_NAME),
                alias("x", UNKNOWN.string),
                alias("r", PROXY_NAME),
            ]),
            NONE,
        );
    });
});

describe("policy pack in-process: database-endpoint-private-dns, whole pack", () => {
    const pack = useInProcessPack();
    describe("database-endpoint-private-dns (stack)", () => {
        const SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";
        const endpoint = {
            type: ENDPOINT,
            name: "db",
            props: { vpcEndpointType: "Interface", serviceName: SERVICE },
        };
        it("only counts the configured endpointServiceNames when set", async () => {
            await pack().configure({
                "database-endpoint-private-dns": {
                    endpointServiceNames: ["com.amazonaws.vpce.eu-west-1.vpce-svc-0fff"],
                },
            });
            assert.deepEqual(await pack().analyzeStack([endpoint]), []);
        });
    });
});
