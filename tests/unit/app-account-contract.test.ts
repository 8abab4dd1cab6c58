/**
 * The consumer's checks of the producer's `contract` output: one exact message per problem, all problems at
 * once, and nothing but the provider and the stack reference registered when the contract is unusable.
 * What a mock cannot prove: how the Pulumi service resolves the stack name; the stack reference answers
 * what each test says the db-account stack exported.
 */
import * as assert from "assert";
import {
    checkProducerAccount,
    consumerFor,
    ContractError,
    contractWarnings,
    parseContract,
} from "../../stacks/app-account/contract";
import { runStack } from "../../tools/recording/harness";
import { fromV1, type ContractV1 } from "../../vocabulary";

const PRODUCER = "organization/rds-cross-account/db-account";
const S = `Stack output 'contract' of ${PRODUCER}`;
const REDEPLOY =
    "Deploy the db-account stack with this release of rds-cross-account (pulumi up -s db-account) so that it " +
    "exports a complete contract, or fix rds-cross-account:producerStack if it names the wrong stack.";

const valid = {
    version: 1,
    region: "eu-west-1",
    engine: "aurora-postgresql",
    port: 5432,
    endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
    availabilityZoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
    proxyEndpoint: "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    // Clients dial a one-label alias the proxy's wildcard certificate covers; tokens are signed for the real name.
    readOnlyEndpoint: "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    readOnlyPort: 5433,
    readOnlyProxyEndpoint: "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    idleTimeoutSeconds: 300,
    databaseName: "app",
    consumers: [
        {
            accountId: "222222222222",
            databaseUser: "orders",
            auth: "iam",
            connectRoleArn: "arn:aws:iam::111111111111:role/db-account-connect-orders",
        },
        {
            accountId: "333333333333",
            databaseUser: "billing",
            auth: "password",
            secretArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-billing-AbCdEf",
            secretKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001",
        },
    ],
    tls: { sslmode: "verify-full" },
};
const ALIAS = valid.readOnlyEndpoint;
/** What the contract's engine field must be: RDS's name of one of the five engines the project publishes. */
const ENGINE_RULE = 'one of "aurora-postgresql", "aurora-mysql", "postgres", "mysql", "mariadb"';
const REAL = valid.readOnlyProxyEndpoint;

function problemsOf(details: { value?: unknown; secretValue?: unknown }): [string, string][] {
    try {
        parseContract(PRODUCER, details);
        return [];
    } catch (err) {
        assert.ok(err instanceof ContractError, `expected a ContractError, got ${String(err)}`);
        return err.problems.map((p) => [p.path, p.message]);
    }
}

function without(field: string): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...valid };
    delete copy[field];
    return copy;
}

/** The message of a contract field that breaks its rule (`got` is "is <value>" or "is not set"). */
const field = (name: string, got: string, must: string) =>
    `Field '${name}' of the contract of ${PRODUCER} ${got}, but it must be ${must}. ${REDEPLOY}`;
const WRITER =
    "the hostname of an RDS Proxy's default endpoint, <proxy>.proxy-<id>.<region>.rds.amazonaws.com";
const READER = "an RDS Proxy endpoint hostname, <endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com";
const VERSION_FIX =
    "Deploy both stacks from the same release of rds-cross-account (the db-account stack first), so that they " +
    "agree on the contract version.";

const cases: {
    name: string;
    details: { value?: unknown; secretValue?: unknown };
    /** Each problem as [path, message]. */
    expected: [string, string][];
}[] = [
    {
        name: "no contract output",
        details: { value: undefined },
        expected: [
            [
                "contract",
                `${S} is not set, but the app-account stack needs it. Deploy the db-account stack first (pulumi up ` +
                    `-s db-account), and check that rds-cross-account:producerStack names it as ` +
                    `<organization>/<project>/<stack> on the same backend.`,
            ],
        ],
    },
    {
        name: "secret contract",
        details: { secretValue: valid },
        expected: [
            [
                "contract",
                `${S} is a secret, but the contract must be plain (it holds nothing secret, and this stack exports ` +
                    `values derived from it). Export it as a plain value from the db-account stack.`,
            ],
        ],
    },
    {
        name: "not an object",
        details: { value: "v1" },
        expected: [["contract", `${S} is "v1", but it must be an object with a version field. ${REDEPLOY}`]],
    },
    {
        name: "unknown version",
        details: { value: { ...valid, version: 3 } },
        expected: [
            [
                "contract.version",
                `Field 'version' of the contract of ${PRODUCER} is 3, but this program supports contract versions 1 ` +
                    `and 2. ${VERSION_FIX}`,
            ],
        ],
    },
    {
        name: "version as a string",
        details: { value: { ...valid, version: "1" } },
        expected: [
            [
                "contract.version",
                `Field 'version' of the contract of ${PRODUCER} is "1", but this program supports contract versions 1 ` +
                    `and 2. ${VERSION_FIX}`,
            ],
        ],
    },
    {
        name: "no version",
        details: { value: without("version") },
        expected: [
            [
                "contract.version",
                `Field 'version' of the contract of ${PRODUCER} is not set, but this program supports contract ` +
                    `versions 1 and 2. ${VERSION_FIX}`,
            ],
        ],
    },
    {
        name: "missing port",
        details: { value: without("port") },
        expected: [["contract.port", field("port", "is not set", "a TCP port from 1 to 65535")]],
    },
    {
        name: "every required field missing, all reported at once",
        details: { value: { version: 1 } },
        expected: [
            ["contract.region", field("region", "is not set", "an AWS region code")],
            ["contract.engine", field("engine", "is not set", ENGINE_RULE)],
            ["contract.port", field("port", "is not set", "a TCP port from 1 to 65535")],
            [
                "contract.endpointServiceName",
                field("endpointServiceName", "is not set", "a VPC endpoint service name"),
            ],
            [
                "contract.availabilityZoneIds",
                field("availabilityZoneIds", "is not set", "a non-empty list of distinct AZ IDs"),
            ],
            ["contract.proxyEndpoint", field("proxyEndpoint", "is not set", WRITER)],
            ["contract.tls", field("tls", "is not set", '{ "sslmode": "verify-full" }')],
        ],
    },
    {
        name: "AZ names instead of AZ IDs",
        details: { value: { ...valid, availabilityZoneIds: ["eu-west-1a", "eu-west-1b"] } },
        expected: [
            [
                "contract.availabilityZoneIds",
                field(
                    "availabilityZoneIds",
                    'is ["eu-west-1a","eu-west-1b"]',
                    "a non-empty list of distinct AZ IDs",
                ),
            ],
        ],
    },
    {
        name: "wrong engine and port",
        details: { value: { ...valid, engine: "oracle-ee", port: 70000 } },
        expected: [
            ["contract.engine", field("engine", 'is "oracle-ee"', ENGINE_RULE)],
            ["contract.port", field("port", "is 70000", "a TCP port from 1 to 65535")],
        ],
    },
    {
        name: "a zone name that would shadow every RDS name",
        details: { value: { ...valid, proxyEndpoint: "eu-west-1.rds.amazonaws.com" } },
        expected: [
            ["contract.proxyEndpoint", field("proxyEndpoint", 'is "eu-west-1.rds.amazonaws.com"', WRITER)],
        ],
    },
    {
        name: "TLS weaker than verify-full",
        details: { value: { ...valid, tls: { sslmode: "require" } } },
        expected: [
            ["contract.tls", field("tls", 'is {"sslmode":"require"}', '{ "sslmode": "verify-full" }')],
        ],
    },
    {
        name: "a read-only alias without its real name",
        details: { value: without("readOnlyProxyEndpoint") },
        expected: [
            [
                "contract.readOnlyProxyEndpoint",
                `Field 'readOnlyProxyEndpoint' of the contract of ${PRODUCER} is not set, but 'readOnlyEndpoint' is ` +
                    `the alias ${ALIAS}, and IAM auth tokens for it must be signed for the proxy endpoint's real ` +
                    `name, which RDS checks them against. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a real name without a read-only endpoint",
        details: { value: { ...valid, readOnlyEndpoint: undefined, readOnlyPort: undefined } },
        expected: [
            [
                "contract.readOnlyProxyEndpoint",
                `Field 'readOnlyProxyEndpoint' of the contract of ${PRODUCER} is "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazona…" (69 characters), but 'readOnlyEndpoint' ` +
                    `is not set, and the real name is only the signing name of a read-only endpoint. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a real name of another proxy",
        details: {
            value: {
                ...valid,
                readOnlyProxyEndpoint:
                    "db-account-proxy-ro.endpoint.proxy-ffffff.eu-west-1.rds.amazonaws.com",
            },
        },
        expected: [
            [
                "contract.readOnlyProxyEndpoint",
                `Field 'readOnlyProxyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"db-account-proxy-ro.endpoint.proxy-ffffff.eu-west-1.rds.amazona…" (69 characters), but that host belongs ` +
                    `to proxy-ffffff in eu-west-1, and 'proxyEndpoint' to proxy-c1a2b3 in eu-west-1; both must be ` +
                    `endpoints of the same proxy. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a real read-only name with another signing name",
        details: {
            value: {
                ...valid,
                readOnlyEndpoint: REAL,
                readOnlyProxyEndpoint: "other-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
            },
        },
        expected: [
            [
                "contract.readOnlyProxyEndpoint",
                `Field 'readOnlyProxyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"other-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com", but 'readOnlyEndpoint' is ` +
                    `already the real endpoint name ${REAL}, and the two must then be the same. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a read-only alias named endpoint, the parent of every custom endpoint",
        details: {
            value: { ...valid, readOnlyEndpoint: "endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com" },
        },
        expected: [
            [
                "contract.readOnlyEndpoint",
                `Field 'readOnlyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com", but a zone of that name would be the ` +
                    `parent of every additional endpoint of the proxy, and hide them in the application VPC. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "one consumer account listed twice",
        details: {
            value: {
                ...valid,
                consumers: [valid.consumers[0], { ...valid.consumers[0], databaseUser: "x" }],
            },
        },
        expected: [
            [
                "contract.consumers",
                `Field 'consumers' of the contract of ${PRODUCER} is ["222222222222","222222222222"], but it lists ` +
                    `account 222222222222 more than once, and each consumer account has one database user. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "read-only endpoint without its port",
        details: { value: without("readOnlyPort") },
        expected: [
            [
                "contract.readOnlyPort",
                `Field 'readOnlyPort' of the contract of ${PRODUCER} is not set, but 'readOnlyEndpoint' is set, and ` +
                    `a contract has both or neither (the read-only endpoint needs its own listener port). ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "read-only port without its endpoint",
        details: { value: without("readOnlyEndpoint") },
        expected: [
            [
                "contract.readOnlyEndpoint",
                `Field 'readOnlyEndpoint' of the contract of ${PRODUCER} is not set, but 'readOnlyPort' is set, and ` +
                    `a contract has both or neither (the read-only endpoint needs its own listener port). ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "read-only port equal to the writer port",
        details: { value: { ...valid, readOnlyPort: 5432 } },
        expected: [
            [
                "contract.readOnlyPort",
                `Field 'readOnlyPort' of the contract of ${PRODUCER} is 5432, but that is also 'port' (5432), and ` +
                    `each endpoint needs its own listener on the shared endpoint service. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "proxy and service in another region than the contract says",
        details: {
            value: {
                ...valid,
                region: "eu-central-1",
            },
        },
        expected: [
            [
                "contract.proxyEndpoint",
                `Field 'proxyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com", but that host is in region ` +
                    `eu-west-1, and the contract's 'region' is eu-central-1; the proxy and what publishes it must ` +
                    `be in the same region. ${REDEPLOY}`,
            ],
            [
                "contract.readOnlyEndpoint",
                `Field 'readOnlyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com", but that host is in ` +
                    `region eu-west-1, and the contract's 'region' is eu-central-1; the proxy and what publishes it ` +
                    `must be in the same region. ${REDEPLOY}`,
            ],
            [
                "contract.endpointServiceName",
                `Field 'endpointServiceName' of the contract of ${PRODUCER} is ` +
                    `"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", but that service is not in the ` +
                    `contract's 'region' eu-central-1. ${REDEPLOY}`,
            ],
            [
                "contract.consumers[1].secretArn",
                `Field 'consumers[1].secretArn' of the contract of ${PRODUCER} is "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account…" (78 characters), ` +
                    `but that ARN is in region eu-west-1, and the contract's region is eu-central-1; Secrets Manager ` +
                    `shares a secret only in its own region, under a key of that region. ${REDEPLOY}`,
            ],
            [
                "contract.consumers[1].secretKeyArn",
                `Field 'consumers[1].secretKeyArn' of the contract of ${PRODUCER} is ` +
                    `"arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-…" (75 characters), but that ARN is in region eu-west-1, and the contract's ` +
                    `region is eu-central-1; Secrets Manager shares a secret only in its own region, under a key of ` +
                    `that region. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a writer named endpoint.proxy-<id>, the parent of every custom endpoint",
        details: { value: { ...valid, proxyEndpoint: "endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com" } },
        expected: [
            [
                "contract.proxyEndpoint",
                field("proxyEndpoint", 'is "endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com"', WRITER),
            ],
        ],
    },
    {
        name: "a custom endpoint as the writer",
        details: {
            value: {
                ...valid,
                proxyEndpoint: REAL,
                readOnlyEndpoint: undefined,
                readOnlyPort: undefined,
                readOnlyProxyEndpoint: undefined,
            },
        },
        expected: [
            [
                "contract.proxyEndpoint",
                field(
                    "proxyEndpoint",
                    `is "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazona…" (69 characters)`,
                    WRITER,
                ),
            ],
        ],
    },
    {
        name: "a label longer than DNS allows",
        details: {
            value: { ...valid, proxyEndpoint: `${"a".repeat(64)}.proxy-c1a2b3.eu-west-1.rds.amazonaws.com` },
        },
        expected: [
            [
                "contract.proxyEndpoint",
                field(
                    "proxyEndpoint",
                    `is "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" (105 characters)`,
                    WRITER,
                ),
            ],
        ],
    },
    {
        name: "labels over 63 characters made of hyphenated pairs, or a long proxy ID",
        details: {
            value: {
                ...valid,
                proxyEndpoint: `${"a-".repeat(40)}a.proxy-c1a2b3.eu-west-1.rds.amazonaws.com`,
                readOnlyEndpoint: `ro.proxy-${"a".repeat(63)}.eu-west-1.rds.amazonaws.com`,
            },
        },
        expected: [
            [
                "contract.proxyEndpoint",
                field(
                    "proxyEndpoint",
                    `is "a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a…" (122 characters)`,
                    WRITER,
                ),
            ],
            [
                "contract.readOnlyEndpoint",
                field(
                    "readOnlyEndpoint",
                    `is "ro.proxy-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" (100 characters)`,
                    READER,
                ),
            ],
        ],
    },
    {
        name: "a reader that is not a proxy hostname",
        details: { value: { ...valid, readOnlyEndpoint: "ro.example.com" } },
        expected: [["contract.readOnlyEndpoint", field("readOnlyEndpoint", 'is "ro.example.com"', READER)]],
    },
    {
        name: "writer and reader of different proxies",
        details: {
            value: {
                ...valid,
                readOnlyEndpoint: "db-account-proxy-ro.proxy-ffffff.eu-west-1.rds.amazonaws.com",
            },
        },
        expected: [
            [
                "contract.readOnlyEndpoint",
                `Field 'readOnlyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"db-account-proxy-ro.proxy-ffffff.eu-west-1.rds.amazonaws.com", but that host belongs ` +
                    `to proxy-ffffff, and 'proxyEndpoint' to proxy-c1a2b3; both must be endpoints of the same proxy. ` +
                    REDEPLOY,
            ],
        ],
    },
    {
        name: "a China suffix outside China",
        details: {
            value: {
                ...valid,
                proxyEndpoint: "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com.cn",
                readOnlyEndpoint: undefined,
                readOnlyPort: undefined,
                readOnlyProxyEndpoint: undefined,
            },
        },
        expected: [
            [
                "contract.proxyEndpoint",
                `Field 'proxyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com.…" (65 characters), but RDS names in eu-west-1 ` +
                    `end in rds.amazonaws.com, not rds.amazonaws.com.cn. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "same hostname for writer and reader",
        details: { value: { ...valid, readOnlyEndpoint: valid.proxyEndpoint } },
        expected: [
            [
                "contract.readOnlyEndpoint",
                `Field 'readOnlyEndpoint' of the contract of ${PRODUCER} is ` +
                    `"db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com", but that is also ` +
                    `'proxyEndpoint'; they must differ. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a connect role of another partition than the contract's region",
        details: {
            value: {
                ...valid,
                consumers: [
                    { ...valid.consumers[0], connectRoleArn: "arn:aws-cn:iam::111111111111:role/connect" },
                ],
            },
        },
        expected: [
            [
                "contract.consumers[0].connectRoleArn",
                `Field 'consumers[0].connectRoleArn' of the contract of ${PRODUCER} is ` +
                    `"arn:aws-cn:iam::111111111111:role/connect", but that ARN is in partition aws-cn, and the ` +
                    `contract's region eu-west-1 is in aws. ${REDEPLOY}`,
            ],
        ],
    },
    {
        name: "a secret and its key in other regions than the contract's",
        details: {
            value: {
                ...valid,
                consumers: [
                    {
                        ...valid.consumers[1],
                        secretArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-billing-AbCdEf",
                        secretKeyArn:
                            "arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000001",
                    },
                ],
            },
        },
        expected: [
            [
                "contract.consumers[0].secretArn",
                `Field 'consumers[0].secretArn' of the contract of ${PRODUCER} is ` +
                    `"arn:aws:secretsmanager:us-east-1:111111111111:secret:db-billing…" (70 characters), but that ARN is in ` +
                    `region us-east-1, and the contract's region is eu-west-1; Secrets Manager shares a secret only in ` +
                    `its own region, under a key of that region. ${REDEPLOY}`,
            ],
            [
                "contract.consumers[0].secretKeyArn",
                `Field 'consumers[0].secretKeyArn' of the contract of ${PRODUCER} is ` +
                    `"arn:aws:kms:eu-central-1:111111111111:key/0a1b2c3d-0000-4000-80…" (78 characters), but that ARN ` +
                    `is in region eu-central-1, and the contract's region is eu-west-1; Secrets Manager shares a ` +
                    `secret only in its own region, under a key of that region. ${REDEPLOY}`,
            ],
        ],
    },
];

describe("app-account contract checks", () => {
    for (const c of cases) {
        it(`rejects: ${c.name}`, () => assert.deepStrictEqual(problemsOf(c.details), c.expected));
    }

    it("accepts a complete contract and keeps only the fields of version 1", () => {
        const contract = parseContract(PRODUCER, { value: { ...valid, futureField: "ignored" } });
        assert.deepStrictEqual(contract, fromV1(valid as unknown as ContractV1));
    });

    it("accepts a contract without a read-only endpoint", () => {
        const value: Record<string, unknown> = { ...valid, engine: "aurora-mysql", port: 3306 };
        delete value.readOnlyEndpoint;
        delete value.readOnlyPort;
        delete value.readOnlyProxyEndpoint;
        assert.deepStrictEqual(parseContract(PRODUCER, { value }), fromV1(value as unknown as ContractV1));
    });

    it("heads the error with the producer stack and the problem count", () => {
        assert.throws(
            () => parseContract(PRODUCER, { value: { ...valid, engine: "oracle-ee", port: 0 } }),
            (err: Error) =>
                err.message ===
                `The contract of stack "${PRODUCER}" (rds-cross-account:producerStack) has 2 problems; nothing was created:\n` +
                    `  - ${field("engine", 'is "oracle-ee"', ENGINE_RULE)}\n` +
                    `  - ${field("port", "is 0", "a TCP port from 1 to 65535")}`,
        );
    });
});

describe("warnings about a contract from an earlier producer", () => {
    it("warns that a read-only endpoint under its real name fails verify-full, and says what to do", () => {
        const older: Record<string, unknown> = { ...valid, readOnlyEndpoint: REAL };
        delete older.readOnlyProxyEndpoint;
        assert.deepStrictEqual(contractWarnings(parseContract(PRODUCER, { value: older })), [
            `The producer's read-only endpoint ${REAL} is the proxy endpoint's own name, which the proxy's ` +
                `certificate (*.proxy-c1a2b3.eu-west-1.rds.amazonaws.com) does not cover: clients using ` +
                `sslmode=verify-full fail on it. Ask the database account to run pulumi up with this release of the ` +
                `db-account stack, which publishes a one-label alias under proxy-c1a2b3, then run pulumi up here ` +
                `again. The writer endpoint is not affected.`,
        ]);
    });

    it("has nothing to say about a contract of this release, with or without a read-only endpoint", () => {
        assert.deepStrictEqual(contractWarnings(parseContract(PRODUCER, { value: valid })), []);
        const writerOnly: Record<string, unknown> = { ...valid };
        for (const f of ["readOnlyEndpoint", "readOnlyPort", "readOnlyProxyEndpoint"]) delete writerOnly[f];
        assert.deepStrictEqual(contractWarnings(parseContract(PRODUCER, { value: writerOnly })), []);
    });
});

describe("this account's entry in the contract", () => {
    const contract = parseContract(PRODUCER, { value: valid });

    it("is the entry whose accountId is this stack's account, in either mode", () => {
        assert.deepStrictEqual(consumerFor(PRODUCER, contract, "222222222222"), valid.consumers[0]);
        assert.deepStrictEqual(consumerFor(PRODUCER, contract, "333333333333"), valid.consumers[1]);
    });

    it("is absent, and not an error, when the producer describes no credentials", () => {
        const older: Record<string, unknown> = { ...valid };
        for (const field of ["consumers", "databaseName", "idleTimeoutSeconds", "readOnlyProxyEndpoint"]) {
            delete older[field];
        }
        older.readOnlyEndpoint = REAL;
        assert.strictEqual(
            consumerFor(PRODUCER, parseContract(PRODUCER, { value: older }), "222222222222"),
            undefined,
        );
    });

    it("is an error naming this account when the producer lists other accounts only", () => {
        assert.throws(
            () => consumerFor(PRODUCER, contract, "444444444444"),
            (err: Error) =>
                err instanceof ContractError &&
                err.message ===
                    `The contract of stack "${PRODUCER}" (rds-cross-account:producerStack) has 1 problem; nothing ` +
                        `was created:\n  - Field 'consumers' of the contract of ${PRODUCER} is ` +
                        `["222222222222","333333333333"], but it has no entry for this stack's account 444444444444 ` +
                        `(rds-cross-account:accountId), so its applications would have no database user to log in ` +
                        `as. List account 444444444444 in the db-account stack's consumers config and deploy it ` +
                        `(pulumi up -s db-account), or fix rds-cross-account:accountId or ` +
                        `rds-cross-account:producerStack if either names the wrong account or stack.`,
        );
    });
});

describe("app-account stack with an unusable contract", () => {
    const config = {
        accountId: "222222222222",
        producerStack: PRODUCER,
        network: { cidrBlock: "10.30.0.0/16", azCount: 2 },
    };
    const stackCases = cases.filter((c) => c.details.secretValue === undefined);
    for (const c of stackCases) {
        it(`fails before registering any endpoint: ${c.name}`, async () => {
            // A missing output is modelled by a stack that exports something else.
            const outputs =
                c.details.value === undefined ? { vpcId: "vpc-1" } : { contract: c.details.value };
            const run = await runStack({
                stack: "app-account",
                config,
                stackOutputs: { [PRODUCER]: outputs },
                calls: () => undefined,
            });
            assert.ok(
                run.error instanceof ContractError,
                `expected a ContractError, got ${String(run.error)}`,
            );
            assert.deepStrictEqual(
                run.error.problems.map((p) => [p.path, p.message]),
                c.expected,
            );
            // Only the reads: the account's provider and the stack reference. No VPC, endpoint or zone.
            assert.deepStrictEqual(run.resources.map((r) => [r.type, r.name]).sort(), [
                ["pulumi:providers:aws", "app-account-aws"],
                ["pulumi:pulumi:StackReference", "app-account-producer"],
            ]);
            assert.deepStrictEqual(run.calls, []);
        });
    }
});

describe("app-account stack pinned to its producer's account", () => {
    it("fails before registering any endpoint when the contract names another producer account", async () => {
        const run = await runStack({
            stack: "app-account",
            config: {
                accountId: "222222222222",
                producerStack: PRODUCER,
                producerAccountId: "333333333333",
                network: { cidrBlock: "10.30.0.0/16", azCount: 2 },
            },
            stackOutputs: { [PRODUCER]: { contract: { ...valid, producerAccountId: "111111111111" } } },
            calls: () => undefined,
        });
        assert.ok(run.error instanceof ContractError, `expected a ContractError, got ${String(run.error)}`);
        assert.deepStrictEqual(
            run.error.problems.map((p) => p.path),
            ["contract.producerAccountId"],
        );
        assert.deepStrictEqual(run.resources.map((r) => [r.type, r.name]).sort(), [
            ["pulumi:providers:aws", "app-account-aws"],
            ["pulumi:pulumi:StackReference", "app-account-producer"],
        ]);
    });
});

describe("keepalive settings from the producer's idle timeout", () => {
    it("retires pooled connections before the proxy closes them, and keeps the path alive", async () => {
        const { keepalive } = await import("../../stacks/app-account/connection");
        assert.deepStrictEqual(
            [300, 60, 10, 1, 1800].map((idle) => {
                const k = keepalive(idle);
                return [idle, k.poolIdleTimeoutSeconds, k.tcpKeepaliveSeconds];
            }),
            [
                [300, 240, 60],
                [60, 48, 24],
                [10, 8, 4],
                [1, 1, 1],
                // An older producer's 1800 s: the path's 350 s limit bounds it.
                [1800, 280, 60],
            ],
        );
        const parsed = parseContract(PRODUCER, { value: { ...valid, idleTimeoutSeconds: 300 } });
        assert.equal(parsed.idleTimeoutSeconds, 300);
    });
});

describe("the contract is tied to its producer's account", () => {
    const ROLE = "arn:aws:iam::222222222222:role/admin";
    const withEntry = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
        value: { ...valid, ...extra, consumers: [entry, valid.consumers[1]] },
    });

    it("refuses a role, secret or key outside the account the contract names as the producer", () => {
        const orders = { ...valid.consumers[0], connectRoleArn: ROLE };
        assert.deepStrictEqual(problemsOf(withEntry(orders, { producerAccountId: "111111111111" })), [
            [
                "contract.consumers[0].connectRoleArn",
                `Field 'consumers[0].connectRoleArn' of the contract of ${PRODUCER} is "${ROLE}", but that ARN is in ` +
                    `account 222222222222, and the contract's producer is account 111111111111: every role, secret ` +
                    `and key of the contract must be the producer's. ${REDEPLOY}`,
            ],
        ]);
    });

    it("refuses ARNs in two accounts from a producer that does not name its account", () => {
        const orders = { ...valid.consumers[0], connectRoleArn: ROLE };
        const [[path, message]] = problemsOf(withEntry(orders));
        assert.strictEqual(path, "contract.consumers");
        assert.match(
            message,
            /but its ARNs are in accounts 222222222222, 111111111111, and every role, secret and key of the contract must be in the producer's one account\./,
        );
    });

    it("accepts the producer's own ARNs, named or not", () => {
        assert.deepStrictEqual(problemsOf({ value: { ...valid, producerAccountId: "111111111111" } }), []);
        assert.deepStrictEqual(problemsOf({ value: valid }), []);
    });

    it("is refused when config pins another producer account, or the producer does not say", () => {
        const contract = parseContract(PRODUCER, { value: { ...valid, producerAccountId: "111111111111" } });
        assert.doesNotThrow(() => checkProducerAccount(PRODUCER, contract, "111111111111"));
        assert.doesNotThrow(() => checkProducerAccount(PRODUCER, contract, undefined));
        const pinned = (c: typeof contract, expected: string) => {
            try {
                checkProducerAccount(PRODUCER, c, expected);
            } catch (err) {
                assert.ok(err instanceof ContractError);
                return err.problems.map((p) => p.message);
            }
            return [];
        };
        assert.deepStrictEqual(pinned(contract, "333333333333"), [
            `Field 'producerAccountId' of the contract of ${PRODUCER} is "111111111111", but ` +
                `rds-cross-account:producerAccountId pins the producer to account 333333333333. Fix ` +
                `rds-cross-account:producerStack if it names the wrong stack, or rds-cross-account:producerAccountId ` +
                `if it names the wrong account.`,
        ]);
        assert.deepStrictEqual(pinned(parseContract(PRODUCER, { value: valid }), "111111111111"), [
            `Field 'producerAccountId' of the contract of ${PRODUCER} is not set, but ` +
                `rds-cross-account:producerAccountId pins the producer to account 111111111111. Deploy the ` +
                `db-account stack with this release of rds-cross-account (pulumi up -s db-account), which exports ` +
                `its account, or remove rds-cross-account:producerAccountId.`,
        ]);
    });
});

describe("one database user per consumer account", () => {
    it("refuses a contract that gives two accounts the same database user", () => {
        const billing = { ...valid.consumers[1], databaseUser: "orders" };
        assert.deepStrictEqual(
            problemsOf({ value: { ...valid, consumers: [valid.consumers[0], billing] } }),
            [
                [
                    "contract.consumers[1].databaseUser",
                    `Field 'consumers[1].databaseUser' of the contract of ${PRODUCER} is "orders", but that is also the ` +
                        `user of account 222222222222 (consumers[0]), and each consumer account has a database user of ` +
                        `its own. ${REDEPLOY}`,
                ],
            ],
        );
    });
});

describe("a contract is plain data of bounded size", () => {
    const REFUSED_KEY =
        'but that key is refused: "__proto__", "constructor", "prototype" name JavaScript\'s object machinery, never data';
    const NOT_PLAIN =
        "but it is not plain data: its prototype is not Object's, so some of its keys may be inherited, not its own";

    it("refuses a 1,000,000-character field as too long, showing 63 of its characters and its length", () => {
        const huge = `${"a".repeat(999_950)}.proxy-c1a2b3.eu-west-1.rds.amazonaws.com`.padEnd(1_000_000, "m");
        assert.strictEqual(huge.length, 1_000_000);
        assert.deepStrictEqual(problemsOf({ value: { ...valid, proxyEndpoint: huge } }), [
            [
                "contract.proxyEndpoint",
                `Field 'proxyEndpoint' of the contract of ${PRODUCER} is "${"a".repeat(63)}…" (1000000 characters), ` +
                    `but it must be at most 255 characters long (the longest DNS name). ${REDEPLOY}`,
            ],
        ]);
    });

    it("refuses an oversized field of a consumer entry, and a hostname one character over DNS's limit", () => {
        const role = `arn:aws:iam::111111111111:role/${"r".repeat(2048)}`;
        const host = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(23)}.proxy-c1a2b3.eu-west-1.rds.amazonaws.com`;
        assert.strictEqual(host.length, 256);
        const consumers = [{ ...valid.consumers[0], connectRoleArn: role }, valid.consumers[1]];
        assert.deepStrictEqual(problemsOf({ value: { ...valid, proxyEndpoint: host, consumers } }), [
            [
                "contract.proxyEndpoint",
                `Field 'proxyEndpoint' of the contract of ${PRODUCER} is "${"a".repeat(63)}…" (256 characters), ` +
                    `but it must be at most 255 characters long (the longest DNS name). ${REDEPLOY}`,
            ],
            [
                "contract.consumers[0].connectRoleArn",
                `Field 'consumers[0].connectRoleArn' of the contract of ${PRODUCER} is ` +
                    `"arn:aws:iam::111111111111:role/${"r".repeat(32)}…" (2079 characters), but it must be at most ` +
                    `2048 characters long (the longest ARN AWS accepts). ${REDEPLOY}`,
            ],
        ]);
    });

    it("refuses a list of more than 5000 entries as such", () => {
        const zones = Array.from({ length: 5001 }, (_, i) => `euw1-az${i}`);
        const [[path, message]] = problemsOf({ value: { ...valid, availabilityZoneIds: zones } });
        assert.strictEqual(path, "contract.availabilityZoneIds");
        assert.match(
            message,
            /^Field 'availabilityZoneIds' of the contract of \S+ is \["euw1-az0",.{40,}… \(\d+ characters of JSON\), but it must list at most 5000 entries \(far more than any real contract lists\)\. /,
        );
    });

    it("refuses a contract wrapped in __proto__, naming the key, and nothing else", () => {
        const wrapped: unknown = JSON.parse(`{"__proto__": ${JSON.stringify(valid)}}`);
        const problems = problemsOf({ value: wrapped });
        assert.deepStrictEqual(
            problems.map(([path]) => path),
            ["contract.__proto__"],
        );
        assert.match(
            problems[0][1],
            new RegExp(
                `^Field '__proto__' of the contract of \\S+ is \\{"version":1,.*… \\(\\d+ characters of JSON\\), ` +
                    `${REFUSED_KEY.replace(/[()]/g, "\\$&")}\\. `,
            ),
        );
    });

    it("refuses a contract that inherits its fields (Object.create), without reading them", () => {
        assert.deepStrictEqual(problemsOf({ value: Object.create(valid) }), [
            ["contract", `${S} is {}, ${NOT_PLAIN}. ${REDEPLOY}`],
        ]);
    });

    it("refuses a consumer entry with __proto__ or constructor keys, or with inherited fields", () => {
        const entry = valid.consumers[0];
        const proto: unknown = JSON.parse(
            `{"__proto__": {"auth": "password"}, ${JSON.stringify(entry).slice(1)}`,
        );
        const consumers = [proto, { ...valid.consumers[1], constructor: "Object" }, Object.create(entry)];
        assert.deepStrictEqual(problemsOf({ value: { ...valid, consumers } }), [
            [
                "contract.consumers[0].__proto__",
                `Field 'consumers[0].__proto__' of the contract of ${PRODUCER} is {"auth":"password"}, ${REFUSED_KEY}. ${REDEPLOY}`,
            ],
            [
                "contract.consumers[1].constructor",
                `Field 'consumers[1].constructor' of the contract of ${PRODUCER} is "Object", ${REFUSED_KEY}. ${REDEPLOY}`,
            ],
            [
                "contract.consumers[2]",
                `Field 'consumers[2]' of the contract of ${PRODUCER} is {}, ${NOT_PLAIN}. ${REDEPLOY}`,
            ],
        ]);
    });
});

describe("the contract's engines", () => {
    // Every engine RDS Proxy fronts and this project publishes, each on its engine's default port.
    const ports = {
        "aurora-postgresql": 5432,
        postgres: 5432,
        "aurora-mysql": 3306,
        mysql: 3306,
        mariadb: 3306,
    };
    for (const [engine, port] of Object.entries(ports)) {
        it(`accepts ${engine}`, () => {
            const value = { ...valid, engine, port, readOnlyPort: port + 1 };
            assert.deepStrictEqual(
                parseContract(PRODUCER, { value }),
                fromV1(value as unknown as ContractV1),
            );
        });
    }
    for (const engine of ["oracle-ee", "sqlserver-se", "Aurora-PostgreSQL", "aurora"]) {
        it(`refuses ${JSON.stringify(engine)} with the exact message`, () => {
            assert.deepStrictEqual(problemsOf({ value: { ...valid, engine } }), [
                ["contract.engine", field("engine", `is ${JSON.stringify(engine)}`, ENGINE_RULE)],
            ]);
        });
    }
});

describe("engine-specific limits of the contract", () => {
    const mysql = { ...valid, engine: "aurora-mysql", port: 3306, readOnlyPort: 3307 };
    const withUser = (contract: typeof valid, databaseUser: string) => ({
        ...contract,
        consumers: [{ ...valid.consumers[0], databaseUser }, valid.consumers[1]],
    });

    it("refuses an aurora-mysql user over MySQL's 32 characters, naming the engine's rule", () => {
        const user = "orders_reporting_service_account_eu";
        assert.strictEqual(user.length, 35);
        assert.deepStrictEqual(problemsOf({ value: withUser(mysql, user) }), [
            [
                "contract.consumers[0].databaseUser",
                `Field 'consumers[0].databaseUser' of the contract of ${PRODUCER} is "${user}", but the contract's ` +
                    `engine is aurora-mysql, and its users must be a database user name of 1-32 lowercase letters, ` +
                    `digits and underscores, starting with a letter, not starting with "rds" or "rcx_bootstrap_" and ` +
                    `not "root" or "mysql". ${REDEPLOY}`,
            ],
        ]);
    });

    // PostgreSQL's 63, MySQL 8.0's 32, MariaDB's 80 (vocabulary/database-names.ts): the longest is taken, one more
    // is refused with the engine's own rule.
    const limits = [
        { engine: "aurora-postgresql", port: 5432, max: 63 },
        { engine: "postgres", port: 5432, max: 63 },
        { engine: "aurora-mysql", port: 3306, max: 32 },
        { engine: "mysql", port: 3306, max: 32 },
        { engine: "mariadb", port: 3306, max: 80 },
    ];
    for (const { engine, port, max } of limits) {
        it(`${engine}: takes a user of ${max} characters, refuses ${max + 1}${max === 80 ? " (below)" : ""}`, () => {
            const contract = { ...valid, engine, port, readOnlyPort: port + 1 };
            assert.deepStrictEqual(problemsOf({ value: withUser(contract, "a".repeat(max)) }), []);
            // The longest engine's one more is refused by the field's own rule (the next test).
            if (max === 80) return;
            const problems = problemsOf({ value: withUser(contract, "a".repeat(max + 1)) });
            assert.deepStrictEqual(
                problems.map(([path]) => path),
                ["contract.consumers[0].databaseUser"],
            );
            assert.ok(
                problems[0][1].includes(
                    `but the contract's engine is ${engine}, and its users must be a database user name of 1-${max} `,
                ),
                problems[0][1],
            );
        });
    }
    it("refuses, in any engine's contract, a user longer than the longest engine's 80 characters, by the field's rule", () => {
        const user = "a".repeat(81);
        const problems = problemsOf({ value: withUser({ ...valid, engine: "mariadb", port: 3306 }, user) });
        assert.deepStrictEqual(
            problems.map(([path]) => path),
            ["contract.consumers"],
        );
        assert.match(
            problems[0][1],
            /, but it must be a non-empty list of \{ accountId, databaseUser, auth, /,
        );
    });

    it("refuses a name the engine reserves, such as PostgreSQL's pg_ prefix", () => {
        assert.deepStrictEqual(problemsOf({ value: withUser(valid, "pg_monitor") }), [
            [
                "contract.consumers[0].databaseUser",
                `Field 'consumers[0].databaseUser' of the contract of ${PRODUCER} is "pg_monitor", but the contract's ` +
                    `engine is aurora-postgresql, and its users must be a database user name of 1-63 lowercase ` +
                    `letters, digits and underscores, starting with a letter, not starting with "pg_", "rds" or ` +
                    `"rcx_bootstrap_" and not "public" or "none". ${REDEPLOY}`,
            ],
        ]);
    });
});
