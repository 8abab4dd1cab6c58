/**
 * The consumer's checks of the producer's `contract` output: one exact message per problem, all problems at
 * once, and nothing but the provider and the stack reference registered when the contract is unusable.
 * What a mock cannot prove: how the Pulumi service resolves the stack name; the stack reference answers
 * what each test says the db-account stack exported.
 */
import * as assert from "assert";
import { ContractError, parseContract } from "../../stacks/app-account/contract";
import { runStack } from "../../tools/recording/harness";

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
    readOnlyEndpoint: "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    readOnlyPort: 5433,
    tls: { sslmode: "verify-full" },
};

function problemsOf(details: { value?: unknown; secretValue?: unknown }): string[] {
    try {
        parseContract(PRODUCER, details);
        return [];
    } catch (err) {
        assert.ok(err instanceof ContractError, `expected a ContractError, got ${String(err)}`);
        return [...err.problems];
    }
}

function without(field: string): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...valid };
    delete copy[field];
    return copy;
}

const cases: { name: string; details: { value?: unknown; secretValue?: unknown }; expected: string[] }[] = [
    {
        name: "no contract output",
        details: { value: undefined },
        expected: [
            `${S} does not exist. Deploy the db-account stack first (pulumi up -s db-account), and check that ` +
                `rds-cross-account:producerStack names it as <organization>/<project>/<stack> on the same backend.`,
        ],
    },
    {
        name: "secret contract",
        details: { secretValue: valid },
        expected: [
            `${S} is a secret, but the contract must be plain (it holds nothing secret, and this stack exports ` +
                `values derived from it). Export it as a plain value from the db-account stack.`,
        ],
    },
    {
        name: "not an object",
        details: { value: "v1" },
        expected: [`${S} is "v1", but it must be an object with a version field. ${REDEPLOY}`],
    },
    {
        name: "unknown version",
        details: { value: { ...valid, version: 2 } },
        expected: [
            `${S} has version 2, but this program supports contract version 1 only. Deploy both stacks from the ` +
                `same release of rds-cross-account (the db-account stack first), so that they agree on the contract version.`,
        ],
    },
    {
        name: "version as a string",
        details: { value: { ...valid, version: "1" } },
        expected: [
            `${S} has version "1", but this program supports contract version 1 only. Deploy both stacks from the ` +
                `same release of rds-cross-account (the db-account stack first), so that they agree on the contract version.`,
        ],
    },
    {
        name: "no version",
        details: { value: without("version") },
        expected: [
            `${S} has no version, but this program supports contract version 1 only. Deploy both stacks from the ` +
                `same release of rds-cross-account (the db-account stack first), so that they agree on the contract version.`,
        ],
    },
    {
        name: "missing port",
        details: { value: without("port") },
        expected: [
            `${S} has no 'port', but contract version 1 requires it: a whole number from 1 to 65535. ${REDEPLOY}`,
        ],
    },
    {
        name: "every required field missing, all reported at once",
        details: { value: { version: 1 } },
        expected: [
            `${S} has no 'region', but contract version 1 requires it: an AWS region code such as eu-west-1. ${REDEPLOY}`,
            `${S} has no 'engine', but contract version 1 requires it: one of "aurora-postgresql", "aurora-mysql". ${REDEPLOY}`,
            `${S} has no 'port', but contract version 1 requires it: a whole number from 1 to 65535. ${REDEPLOY}`,
            `${S} has no 'endpointServiceName', but contract version 1 requires it: a VPC endpoint service name ` +
                `such as com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0. ${REDEPLOY}`,
            `${S} has no 'availabilityZoneIds', but contract version 1 requires it: a non-empty list of distinct AZ ` +
                `IDs such as ["euw1-az1", "euw1-az2"]. ${REDEPLOY}`,
            `${S} has no 'proxyEndpoint', but contract version 1 requires it: an RDS Proxy hostname such as ` +
                `app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com. ${REDEPLOY}`,
            `${S} has no 'tls', but contract version 1 requires it: { "sslmode": "verify-full" }. ${REDEPLOY}`,
        ],
    },
    {
        name: "AZ names instead of AZ IDs",
        details: { value: { ...valid, availabilityZoneIds: ["eu-west-1a", "eu-west-1b"] } },
        expected: [
            `${S} has 'availabilityZoneIds' ["eu-west-1a","eu-west-1b"], but it must be a non-empty list of ` +
                `distinct AZ IDs such as ["euw1-az1", "euw1-az2"]. ${REDEPLOY}`,
        ],
    },
    {
        name: "wrong engine and port",
        details: { value: { ...valid, engine: "postgres", port: 70000 } },
        expected: [
            `${S} has 'engine' "postgres", but it must be one of "aurora-postgresql", "aurora-mysql". ${REDEPLOY}`,
            `${S} has 'port' 70000, but it must be a whole number from 1 to 65535. ${REDEPLOY}`,
        ],
    },
    {
        name: "a zone name that would shadow every RDS name",
        details: { value: { ...valid, proxyEndpoint: "eu-west-1.rds.amazonaws.com" } },
        expected: [
            `${S} has 'proxyEndpoint' "eu-west-1.rds.amazonaws.com", but it must be an RDS Proxy hostname such as ` +
                `app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com. ${REDEPLOY}`,
        ],
    },
    {
        name: "TLS weaker than verify-full",
        details: { value: { ...valid, tls: { sslmode: "require" } } },
        expected: [
            `${S} has 'tls' {"sslmode":"require"}, but it must be { "sslmode": "verify-full" }. ${REDEPLOY}`,
        ],
    },
    {
        name: "read-only endpoint without its port",
        details: { value: without("readOnlyPort") },
        expected: [
            `${S} has 'readOnlyEndpoint' but no 'readOnlyPort'; contract version 1 has both or neither (the ` +
                `read-only endpoint needs its own listener port). ${REDEPLOY}`,
        ],
    },
    {
        name: "read-only port without its endpoint",
        details: { value: without("readOnlyEndpoint") },
        expected: [
            `${S} has 'readOnlyPort' but no 'readOnlyEndpoint'; contract version 1 has both or neither (the ` +
                `read-only endpoint needs its own listener port). ${REDEPLOY}`,
        ],
    },
    {
        name: "read-only port equal to the writer port",
        details: { value: { ...valid, readOnlyPort: 5432 } },
        expected: [
            `${S} has the same port 5432 as 'port' and 'readOnlyPort', but each endpoint needs its own listener ` +
                `on the shared endpoint service. ${REDEPLOY}`,
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
            `${S} has 'proxyEndpoint' "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com" in region ` +
                `eu-west-1, but its 'region' is eu-central-1; the proxy and the endpoint service must be in the same region. ${REDEPLOY}`,
            `${S} has 'readOnlyEndpoint' "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com" in ` +
                `region eu-west-1, but its 'region' is eu-central-1; the proxy and the endpoint service must be in the same region. ${REDEPLOY}`,
            `${S} has 'endpointServiceName' "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", which is not ` +
                `in its 'region' eu-central-1. ${REDEPLOY}`,
        ],
    },
    {
        name: "same hostname for writer and reader",
        details: { value: { ...valid, readOnlyEndpoint: valid.proxyEndpoint } },
        expected: [
            `${S} has the same hostname "db-account-proxy-7c1d.proxy-c1a2b3.eu-west-1.rds.amazonaws.com" as ` +
                `'proxyEndpoint' and 'readOnlyEndpoint'; they must differ. ${REDEPLOY}`,
        ],
    },
];

describe("app-account contract checks", () => {
    for (const c of cases) {
        it(`rejects: ${c.name}`, () => assert.deepStrictEqual(problemsOf(c.details), c.expected));
    }

    it("accepts a complete contract and keeps only the fields of version 1", () => {
        const contract = parseContract(PRODUCER, { value: { ...valid, futureField: "ignored" } });
        assert.deepStrictEqual(contract, valid);
    });

    it("accepts a contract without a read-only endpoint", () => {
        const value: Record<string, unknown> = { ...valid, engine: "aurora-mysql", port: 3306 };
        delete value.readOnlyEndpoint;
        delete value.readOnlyPort;
        assert.deepStrictEqual(parseContract(PRODUCER, { value }), value);
    });

    it("heads the error with the producer stack and the problem count", () => {
        assert.throws(
            () => parseContract(PRODUCER, { value: { ...valid, engine: "postgres", port: 0 } }),
            (err: Error) =>
                err.message ===
                `The contract of stack "${PRODUCER}" (rds-cross-account:producerStack) has 2 problems; nothing was created:\n` +
                    `  - ${S} has 'engine' "postgres", but it must be one of "aurora-postgresql", "aurora-mysql". ${REDEPLOY}\n` +
                    `  - ${S} has 'port' 0, but it must be a whole number from 1 to 65535. ${REDEPLOY}`,
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
            assert.deepStrictEqual(run.error.problems, c.expected);
            // Only the reads: the account's provider and the stack reference. No VPC, endpoint or zone.
            assert.deepStrictEqual(run.resources.map((r) => [r.type, r.name]).sort(), [
                ["pulumi:providers:aws", "app-account-aws"],
                ["pulumi:pulumi:StackReference", "app-account-producer"],
            ]);
            assert.deepStrictEqual(run.calls, []);
        });
    }
});
