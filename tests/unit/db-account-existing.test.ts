/**
 * The db-account stack publishing an existing database (`database.existing`) under mocks: for each form (an Aurora
 * cluster, an RDS instance) and each engine, the graph holds nothing of the database's own (so neither `pulumi up`
 * nor `pulumi destroy` can change or delete it), the proxy targets the looked-up identifier on the database's port,
 * the rules go on the looked-up security group, and config that cannot work stops before any resource.
 *
 * The lookup itself (what RDS reports, and what the stack refuses of it) is proven apart: against moto in
 * tests/integration/existing-lookup.test.ts, and case by case in tests/unit/existing-checks.test.ts. Here the
 * lookup answers with given facts (tools/recording/database-answers.ts).
 */
import * as assert from "assert";
import { ConfigError } from "../../stacks/config/kit";
import type {
    ExistingDatabaseFacts,
    LookupRequest,
    LookupResult,
} from "../../stacks/db-account/existing-facts";
import { offlineDatabaseFacts } from "../../tools/recording/database-answers";
import { ofType, runStack, single, type StackRun } from "../../tools/recording/harness";
import { awsCalls, dbAccountState } from "../support/fixtures";
import { ENGINES, enginePort, isAurora, proxyEngineFamily, type Engine } from "../../vocabulary";

const network = {
    vpcId: "vpc-0a000000000000001",
    subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"],
};

const base: Record<string, unknown> = {
    accountId: "111111111111",
    network,
    consumers: [{ name: "app", accountId: "222222222222" }],
};

/**
 * Resource types of a database's own: none may be in the graph of an existing database, or a `pulumi up` could
 * change it and a `pulumi destroy` delete it.
 */
const DATABASE_OWN_TYPES = [
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:rds/instance:Instance",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/optionGroup:OptionGroup",
    "aws:rds/globalCluster:GlobalCluster",
    "aws:rds/clusterRoleAssociation:ClusterRoleAssociation",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:ec2/securityGroup:SecurityGroup#database",
];

/** Runs the stack with `database.existing` answered by `facts` (built from the request unless given). */
async function runExisting(
    config: Record<string, unknown>,
    tweak: (facts: ExistingDatabaseFacts) => ExistingDatabaseFacts = (f) => f,
    engine?: Engine,
): Promise<{ run: StackRun; requests: LookupRequest[] }> {
    const requests: LookupRequest[] = [];
    const run = await runStack({
        stack: "db-account",
        config: { ...base, ...config },
        calls: awsCalls(),
        state: dbAccountState,
        databases: async (request): Promise<LookupResult> => {
            requests.push(request);
            return { facts: tweak(offlineDatabaseFacts(request, { ...network, engine })) };
        },
    });
    return { run, requests };
}

function messages(run: StackRun): string[] {
    assert.ok(run.error instanceof ConfigError, String(run.error));
    return (run.error as ConfigError).problems.map((p) => p.message);
}

const F = "Pulumi.db-account.yaml";

describe("db-account stack with an existing database", function () {
    this.timeout(60000);

    for (const engine of ENGINES) {
        const kind = isAurora(engine) ? "cluster" : "instance";
        describe(`${engine} (an existing ${kind})`, () => {
            let run: StackRun;
            let facts: ExistingDatabaseFacts;
            before(async () => {
                const result = await runExisting(
                    { database: { existing: { [`${kind}Identifier`]: "orders-db" } } },
                    (f) => (facts = f),
                    engine,
                );
                run = result.run;
                assert.strictEqual(run.error, undefined, String(run.error));
            });

            it("creates nothing of the database's own", () => {
                const types = new Set(run.resources.map((r) => r.type));
                for (const type of DATABASE_OWN_TYPES) assert.ok(!types.has(type), type);
                // No security group of the database's either: only rules on the one RDS reported.
                for (const sg of ofType(run, "aws:ec2/securityGroup:SecurityGroup")) {
                    assert.ok(!/aurora|database/.test(sg.name), sg.name);
                }
                // The database's identifier is named by the proxy's target alone; nothing imports or adopts it.
                const naming = run.resources.filter((r) => JSON.stringify(r.inputs).includes('"orders-db"'));
                assert.deepStrictEqual(
                    naming.map((r) => r.type),
                    ["aws:rds/proxyTarget:ProxyTarget"],
                );
            });

            it(`targets the ${kind} by its identifier, as the ${proxyEngineFamily(engine)} family`, () => {
                const target = single(run, "aws:rds/proxyTarget:ProxyTarget");
                assert.deepStrictEqual(
                    [target.inputs.dbClusterIdentifier, target.inputs.dbInstanceIdentifier],
                    kind === "cluster" ? ["orders-db", undefined] : [undefined, "orders-db"],
                );
                const proxy = single(run, "aws:rds/proxy:Proxy");
                assert.strictEqual(proxy.inputs.engineFamily, proxyEngineFamily(engine));
                assert.deepStrictEqual(proxy.inputs.vpcSubnetIds, network.subnetIds);
            });

            it("admits the proxy and the bootstrap on the looked-up security group, at the database's port", () => {
                const onDatabase = ofType(
                    run,
                    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                ).filter((r) => r.inputs.securityGroupId === facts.securityGroupIds[0]);
                assert.strictEqual(onDatabase.length, 2);
                for (const rule of onDatabase) {
                    assert.deepStrictEqual(
                        [rule.inputs.fromPort, rule.inputs.toPort, rule.inputs.ipProtocol],
                        [facts.port, facts.port, "tcp"],
                    );
                }
            });

            it("lets the proxy connect as the users of this database only (its resource ID)", () => {
                const policy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) =>
                    p.name.startsWith("db-account-proxy-"),
                );
                const document = String(policy?.inputs.policy);
                assert.ok(document.includes(`:dbuser:${facts.resourceId}/`), document);
            });

            it("gives the bootstrap the writer, the master secret and its key", () => {
                const fn = ofType(run, "aws:lambda/function:Function").find((f) =>
                    f.name.startsWith("db-account-users"),
                );
                const variables = (fn?.inputs.environment as { variables: Record<string, string> }).variables;
                assert.strictEqual(variables.DB_HOST, facts.writerEndpoint);
                assert.strictEqual(variables.DB_PORT, String(facts.port));
                assert.strictEqual(variables.MASTER_SECRET_ARN, facts.masterSecret?.arn);
                const policies = ofType(run, "aws:iam/rolePolicy:RolePolicy")
                    .filter((p) => p.name.startsWith("db-account-users"))
                    .map((p) => String(p.inputs.policy));
                assert.ok(
                    policies.some((p) => p.includes(String(facts.masterSecret?.kmsKeyArn))),
                    policies.join("\n"),
                );
            });

            it(
                kind === "cluster"
                    ? "publishes a read-only endpoint for the cluster's reader"
                    : "publishes no read-only endpoint (an instance has no readers)",
                () => {
                    assert.strictEqual(
                        ofType(run, "aws:rds/proxyEndpoint:ProxyEndpoint").length,
                        kind === "cluster" ? 1 : 0,
                    );
                },
            );

            it("exports the engine RDS reported and the proxy's port in the contract", () => {
                const contract = run.outputs.contract as Record<string, unknown>;
                assert.strictEqual(contract.engine, engine);
                assert.strictEqual(contract.port, enginePort(engine));
                assert.strictEqual(run.outputs[`${kind}Identifier`], "orders-db");
            });
        });
    }

    it("asks about the database config names, in the stack's region and account, with its deploy role", async () => {
        const { requests } = await runExisting({
            assumeRoleArn: "arn:aws:iam::111111111111:role/deployer",
            database: {
                existing: {
                    clusterIdentifier: "orders-db",
                    masterSecretArn:
                        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-master-AbCdEf",
                    securityGroupId: "sg-0123456789abcdef0",
                },
            },
        });
        assert.deepStrictEqual(requests, [
            {
                form: {
                    kind: "cluster",
                    identifier: "orders-db",
                    masterSecretArn:
                        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-master-AbCdEf",
                    securityGroupId: "sg-0123456789abcdef0",
                },
                region: "eu-west-1",
                accountId: "111111111111",
                assumeRoleArn: "arn:aws:iam::111111111111:role/deployer",
            },
        ]);
    });

    it("connects the proxy to a database on another port, and still publishes the engine's port", async () => {
        const { run } = await runExisting(
            { database: { existing: { instanceIdentifier: "orders-db" } } },
            (f) => ({ ...f, port: 6432 }),
        );
        assert.strictEqual(run.error, undefined, String(run.error));
        const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").find(
            (r) => r.name === "db-account-proxy-to-database",
        );
        assert.deepStrictEqual([egress?.inputs.fromPort, egress?.inputs.toPort], [6432, 6432]);
        assert.strictEqual((run.outputs.contract as { port: number }).port, 5432);
    });

    it("uses the security group config names, and no KMS grant for a secret under Secrets Manager's own key", async () => {
        const secret = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-master-AbCdEf";
        const { run } = await runExisting(
            {
                database: {
                    existing: {
                        instanceIdentifier: "orders-db",
                        masterSecretArn: secret,
                        securityGroupId: "sg-0123456789abcdef0",
                    },
                },
            },
            (f) => ({ ...f, securityGroupIds: ["sg-0fedcba9876543210", "sg-0123456789abcdef0"] }),
        );
        assert.strictEqual(run.error, undefined, String(run.error));
        const rules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
            String(r.inputs.securityGroupId).startsWith("sg-0"),
        );
        assert.deepStrictEqual(
            rules.map((r) => r.inputs.securityGroupId),
            ["sg-0123456789abcdef0", "sg-0123456789abcdef0"],
        );
        const policies = ofType(run, "aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.name.startsWith("db-account-users"))
            .map((p) => String(p.inputs.policy));
        assert.ok(
            policies.some((p) => p.includes(secret)),
            policies.join("\n"),
        );
        assert.ok(!policies.some((p) => p.includes("kms:Decrypt") && p.includes("00000000db01")));
    });

    describe("refuses, before any resource", () => {
        const cases: [string, Record<string, unknown>, string[]][] = [
            [
                "both identifiers",
                { existing: { clusterIdentifier: "a", instanceIdentifier: "b" } },
                [
                    `Config 'rds-cross-account:database.existing' is {"clusterIdentifier":"a","instanceIdentifier":"b"}, but it names both a cluster and an instance, and the stack publishes one database. Keep one of 'database.existing.clusterIdentifier' and 'database.existing.instanceIdentifier' in ${F}.`,
                ],
            ],
            [
                "no identifier",
                { existing: { securityGroupId: "sg-0123456789abcdef0" } },
                [
                    `Config 'rds-cross-account:database.existing' is {"securityGroupId":"sg-0123456789abcdef0"}, but it names no database: it needs clusterIdentifier (an Aurora cluster) or instanceIdentifier (an RDS for PostgreSQL, MySQL or MariaDB instance). Set 'database.existing.clusterIdentifier' or 'database.existing.instanceIdentifier' in ${F}, for example { "clusterIdentifier": "orders-db" }.`,
                ],
            ],
            [
                "a key of a new cluster beside it, and a malformed identifier",
                { existing: { clusterIdentifier: "orders--db" }, readers: 2 },
                [
                    `Config 'rds-cross-account:database.existing.clusterIdentifier' is "orders--db", but it must be an RDS identifier: a letter, then letters, digits and single hyphens, not ending with a hyphen, at most 63 characters. Set 'database.existing.clusterIdentifier' in ${F} to such a value, for example "orders-db".`,
                ],
            ],
        ];
        for (const [what, database, expected] of cases) {
            it(what, async () => {
                const { run, requests } = await runExisting({ database });
                const got = messages(run);
                // Every problem is reported: the exact ones named here, in order, and nothing registered or asked.
                assert.deepStrictEqual(got.slice(0, expected.length), expected);
                assert.deepStrictEqual(run.resources, []);
                assert.deepStrictEqual(requests, []);
            });
        }

        it("the keys of a new cluster beside 'existing'", async () => {
            const { run } = await runExisting({
                database: { existing: { clusterIdentifier: "orders-db" }, engine: "aurora-mysql" },
            });
            assert.deepStrictEqual(messages(run), [
                `Config 'rds-cross-account:database.engine' is "aurora-mysql", but it is not a key of 'database'; allowed keys are existing and databaseName (with 'existing' the stack publishes a database it neither creates nor changes, so engine, engineVersion, instanceClass, readers, deletionProtection and backupRetentionDays have no effect: RDS says what they are). Remove it or fix the spelling in ${F}.`,
            ]);
            assert.deepStrictEqual(run.resources, []);
        });

        it("what the lookup refused, as it said", async () => {
            const run = await runStack({
                stack: "db-account",
                config: { ...base, database: { existing: { clusterIdentifier: "orders-db" } } },
                calls: awsCalls(),
                state: dbAccountState,
                databases: async () => ({
                    refused: {
                        key: "database.existing.clusterIdentifier",
                        value: "orders-db",
                        why: "RDS has no such cluster in eu-west-1",
                        fix: "Name a cluster of account 111111111111 in {file}.",
                    },
                }),
            });
            assert.deepStrictEqual(messages(run), [
                `Config 'rds-cross-account:database.existing.clusterIdentifier' is "orders-db", but RDS has no such cluster in eu-west-1. Name a cluster of account 111111111111 in ${F}.`,
            ]);
            assert.deepStrictEqual(run.resources, []);
        });

        it("a consumer that is the master user RDS reports, and a read-only endpoint on an instance", async () => {
            const { run } = await runExisting({
                database: { existing: { instanceIdentifier: "orders-db" } },
                proxy: { readOnlyEndpoint: true },
                consumers: [{ name: "app", accountId: "222222222222", databaseUser: "postgres" }],
            });
            assert.deepStrictEqual(messages(run), [
                `Config 'rds-cross-account:proxy.readOnlyEndpoint' is true, but the instance "orders-db" is an RDS instance, which has no readers behind it: a read-only endpoint needs at least one reader. Set 'proxy.readOnlyEndpoint' to false, or remove it, in ${F}.`,
                `Config 'rds-cross-account:consumers[0].databaseUser' is "postgres", but it is the master user of the instance "orders-db", which only the database-user bootstrap logs in as. Set 'consumers[0].databaseUser' in ${F} to another name.`,
            ]);
            assert.deepStrictEqual(run.resources, []);
        });

        it("a MySQL database without a database name, unless config names one", async () => {
            const without = await runExisting(
                { database: { existing: { instanceIdentifier: "orders-db" } } },
                (f) => ({ ...f, databaseName: undefined }),
                "mysql",
            );
            assert.deepStrictEqual(messages(without.run), [
                `Config 'rds-cross-account:database.databaseName' is not set, but the instance "orders-db" was created without a database (RDS reports no DBName), and consumers need one to connect to. Set 'database.databaseName' in ${F} to the database the consumers use, for example "orders".`,
            ]);
            const named = await runExisting(
                { database: { existing: { instanceIdentifier: "orders-db" }, databaseName: "orders" } },
                (f) => ({ ...f, databaseName: undefined }),
                "mysql",
            );
            assert.strictEqual(named.run.error, undefined, String(named.run.error));
            assert.strictEqual(
                (named.run.outputs.contract as { databaseName: string }).databaseName,
                "orders",
            );
        });
    });
});
