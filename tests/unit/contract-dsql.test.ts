/**
 * The contract's `dsql` object (vocabulary/contract-dsql.ts) through `checkContract`, the one function both stacks
 * check a contract with: read as it is on either path of version 2, never written as version 1 (a consumer of an
 * earlier release then refuses the contract on its version), refused in a version-1 contract by that version's
 * shape, and its rules: the service name's and the cluster's region are the contract's, the hostname is built from
 * the cluster identifier and the service identifier, each connect role is the producer's, one entry per consumer.
 */
import * as assert from "assert";
import { checkContract, contractV1Schema, toWire, type Contract, type Surface } from "../../vocabulary";

const SURFACE: Surface = {
    key: (path) => `contract.${path}`,
    subject: (path) => `Field '${path}'`,
    fix: () => "Fix it.",
};

const ID = "abcde1f234ghijklmnop5qr6st";
const dsql = {
    clusterIdentifier: ID,
    region: "eu-west-1",
    vpcEndpointServiceName: "com.amazonaws.eu-west-1.dsql-fnh4",
    hostname: `${ID}.dsql-fnh4.eu-west-1.on.aws`,
    consumers: [
        {
            accountId: "222222222222",
            connectRoleArn: "arn:aws:iam::111111111111:role/db-account-dsql-orders-1a2b3c4",
        },
    ],
};

const privateLink = {
    version: 2,
    producerAccountId: "111111111111",
    region: "eu-west-1",
    engine: "aurora-postgresql",
    port: 5432,
    proxyEndpoint: "db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    idleTimeoutSeconds: 300,
    databaseName: "app",
    consumers: [
        {
            accountId: "222222222222",
            databaseUser: "orders",
            auth: "iam",
            connectRoleArn: "arn:aws:iam::111111111111:role/db-account-connect-orders",
        },
    ],
    tls: { sslmode: "verify-full" },
    connectivity: {
        kind: "privatelink-nlb",
        endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        availabilityZoneIds: ["euw1-az1", "euw1-az2"],
    },
};

function check(value: unknown): Contract | [string, string][] {
    const checked = checkContract(SURFACE, value as Record<string, unknown>);
    return checked.problems ? checked.problems.map((p) => [p.path, p.message]) : checked.contract;
}

function problemsOf(value: unknown): [string, string][] {
    const result = check(value);
    assert.ok(Array.isArray(result), "expected problems");
    return result;
}

const withDsql = (d: Record<string, unknown>) => ({ ...privateLink, dsql: { ...dsql, ...d } });

describe("contract: dsql", () => {
    it("reads version 2 with and without dsql, on the PrivateLink path", () => {
        assert.deepStrictEqual(check(privateLink), privateLink);
        assert.deepStrictEqual(check({ ...privateLink, dsql: { ...dsql, later: 1 } }), {
            ...privateLink,
            dsql,
        });
    });

    it("is never written as version 1, and version 1 has no dsql to read", () => {
        const contract = { ...privateLink, dsql } as unknown as Contract;
        assert.strictEqual(toWire(contract), contract);
        assert.throws(
            () => toWire({ ...contract, version: 1 }),
            /Contract version 1 cannot carry 'dsql': a producer with a DSQL cluster writes version 2\./,
        );
        // A version-1 reader (this release's, and so an earlier release's shape) drops it: hence version 2.
        const v1 = toWire({ ...(privateLink as unknown as Contract), version: 1 }) as Record<string, unknown>;
        const parsed = contractV1Schema.safeParse({ ...v1, dsql });
        assert.ok(parsed.success && !("dsql" in (parsed.data as object)));
    });

    it("judges each field by its DSQL name rule", () => {
        const got = problemsOf(
            withDsql({
                clusterIdentifier: "ABC",
                vpcEndpointServiceName: "com.amazonaws.eu-west-1.dsql",
                hostname:
                    "vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
            }),
        ).map(([path]) => path);
        assert.deepStrictEqual(got, [
            "contract.dsql.clusterIdentifier",
            "contract.dsql.vpcEndpointServiceName",
            "contract.dsql.hostname",
        ]);
    });

    it("keeps the cluster and its service in the contract's region", () => {
        assert.deepStrictEqual(
            problemsOf(
                withDsql({
                    region: "eu-central-1",
                    vpcEndpointServiceName: "com.amazonaws.eu-central-1.dsql-fnh4",
                    hostname: `${ID}.dsql-fnh4.eu-central-1.on.aws`,
                }),
            ),
            [
                [
                    "contract.dsql.region",
                    `Field 'dsql.region' is "eu-central-1", but the contract's 'region' is eu-west-1, and the cluster is the producer's, there. Fix it.`,
                ],
                [
                    "contract.dsql.vpcEndpointServiceName",
                    `Field 'dsql.vpcEndpointServiceName' is "com.amazonaws.eu-central-1.dsql-fnh4", but that service is in region eu-central-1, and the cluster in the contract's 'region' eu-west-1. Fix it.`,
                ],
            ],
        );
    });

    it("requires the hostname of this cluster under this service", () => {
        for (const hostname of [
            `${"b".repeat(26)}.dsql-fnh4.eu-west-1.on.aws`,
            `${ID}.dsql-abcd.eu-west-1.on.aws`,
            `${ID}.dsql.eu-west-1.on.aws`,
        ]) {
            const got = problemsOf(withDsql({ hostname }));
            assert.strictEqual(got.length, 1, hostname);
            assert.strictEqual(got[0][0], "contract.dsql.hostname");
        }
        assert.match(
            problemsOf(withDsql({ hostname: `${ID}.dsql-abcd.eu-west-1.on.aws` }))[0][1],
            new RegExp(
                `is reached as ${ID}\\.dsql-fnh4\\.eu-west-1\\.on\\.aws: DSQL reads the cluster from the first label`,
            ),
        );
    });

    it("keeps each connect role in the producer's account and lists each consumer account once", () => {
        const other = "arn:aws:iam::333333333333:role/x";
        assert.deepStrictEqual(
            problemsOf(
                withDsql({
                    consumers: [
                        { accountId: "222222222222", connectRoleArn: other },
                        { accountId: "222222222222", connectRoleArn: dsql.consumers[0].connectRoleArn },
                        { accountId: "444444444444", connectRoleArn: dsql.consumers[0].connectRoleArn },
                    ],
                }),
            ).map(([path]) => path),
            [
                "contract.dsql.consumers[0].connectRoleArn",
                "contract.dsql.consumers[1].accountId",
                "contract.dsql.consumers[2].accountId",
            ],
        );
        assert.deepStrictEqual(
            problemsOf({
                ...withDsql({}),
                consumers: [
                    ...privateLink.consumers,
                    {
                        ...privateLink.consumers[0],
                        accountId: "555555555555",
                        databaseUser: "billing",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-connect-billing",
                    },
                ],
            }),
            [
                [
                    "contract.dsql.consumers",
                    `Field 'dsql.consumers' is ["222222222222"], but it has no entry for consumer account 555555555555. Fix it.`,
                ],
            ],
        );
    });
});
