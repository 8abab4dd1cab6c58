/**
 * The contract's two versions (vocabulary/contract-versions.ts) and the rules of each path
 * (vocabulary/contract-path-rules.ts), through `checkContract`, the one function both stacks check a contract with:
 * version 1 and version 2 read into the same model, a PrivateLink contract is written as version 1 so that a consumer
 * of an earlier release reads it unchanged, and a Lattice contract only as version 2, which such a consumer refuses.
 */
import * as assert from "assert";
import {
    checkContract,
    contractV1Schema,
    fromV1,
    readOnlyPortOf,
    toWire,
    type Contract,
    type Surface,
} from "../../vocabulary";

const SURFACE: Surface = {
    key: (path) => `contract.${path}`,
    subject: (path) => `Field '${path}'`,
    fix: () => "Fix it.",
};

const common = {
    producerAccountId: "111111111111",
    region: "eu-west-1",
    engine: "aurora-postgresql",
    port: 5432,
    proxyEndpoint: "db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
    readOnlyEndpoint: "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
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
    ],
    tls: { sslmode: "verify-full" },
};

const RCFG = "arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0";
const RCFG_RO = "arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef1";
const SHARE = "arn:aws:ram:eu-west-1:111111111111:resource-share/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

const lattice = {
    version: 2,
    ...common,
    connectivity: {
        kind: "vpc-lattice",
        resourceConfigurationArn: RCFG,
        readOnlyResourceConfigurationArn: RCFG_RO,
        resourceShareArn: SHARE,
        invitedAccountIds: ["222222222222"],
    },
};

const privateLink = {
    version: 2,
    ...common,
    connectivity: {
        kind: "privatelink-nlb",
        endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        availabilityZoneIds: ["euw1-az1", "euw1-az2"],
        readOnlyPort: 5433,
        supportedRegions: ["eu-central-1"],
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

describe("contract versions", () => {
    it("reads version 2 of the Lattice path as it is, dropping unknown keys", () => {
        assert.deepStrictEqual(check({ ...lattice, later: 1 }), lattice);
    });

    it("reads version 2 of the PrivateLink path as it is", () => {
        assert.deepStrictEqual(check(privateLink), privateLink);
    });

    it("writes a PrivateLink contract as version 1, which reads back to the same contract", () => {
        const v1 = toWire({ ...(privateLink as unknown as Contract), version: 1 });
        assert.deepStrictEqual(v1, {
            version: 1,
            ...common,
            endpointServiceName: privateLink.connectivity.endpointServiceName,
            availabilityZoneIds: privateLink.connectivity.availabilityZoneIds,
            readOnlyPort: 5433,
            supportedRegions: ["eu-central-1"],
        });
        assert.deepStrictEqual(check(v1), { ...privateLink, version: 1 });
    });

    it("writes version 1 that a consumer of an earlier release reads: its shape, no new required field", () => {
        // The version-1 shape is the one earlier releases parse (other keys dropped); `supportedRegions` is optional
        // there, so a contract without it, as earlier producers wrote, is read the same.
        const v1 = toWire({ ...(privateLink as unknown as Contract), version: 1 }) as Record<string, unknown>;
        assert.ok(contractV1Schema.safeParse(v1).success);
        const { supportedRegions: _dropped, ...earlier } = v1;
        assert.deepStrictEqual(check(earlier), fromV1(earlier as never));
    });

    it("never writes a Lattice contract as version 1", () => {
        assert.throws(
            () => toWire({ ...(lattice as unknown as Contract), version: 1 }),
            /Contract version 1 describes the PrivateLink path only, not vpc-lattice/,
        );
        assert.strictEqual(toWire(lattice as unknown as Contract), lattice);
    });

    it("dials the read-only endpoint on its listener port over PrivateLink, on the proxy's port over Lattice", () => {
        assert.strictEqual(readOnlyPortOf(privateLink as unknown as Contract), 5433);
        assert.strictEqual(readOnlyPortOf(lattice as unknown as Contract), 5432);
        const { readOnlyEndpoint: _r, readOnlyProxyEndpoint: _p, ...writerOnly } = lattice;
        assert.strictEqual(readOnlyPortOf(writerOnly as unknown as Contract), undefined);
    });

    it("refuses a version it does not know, naming the versions it reads", () => {
        assert.deepStrictEqual(problemsOf({ ...lattice, version: 3 }), [
            [
                "contract.version",
                "Field 'version' is 3, but this release reads contract versions 1 and 2. Deploy both stacks from the " +
                    "same release of rds-cross-account (the db-account stack first), so that they agree on the " +
                    "contract version.",
            ],
        ]);
    });

    it("refuses a connectivity kind it does not know, at its kind", () => {
        assert.deepStrictEqual(problemsOf({ ...lattice, connectivity: { kind: "transit-gateway" } }), [
            [
                "contract.connectivity.kind",
                `Field 'connectivity.kind' is "transit-gateway", but this release knows the connectivity kinds ` +
                    `"privatelink-nlb", "vpc-lattice". Deploy both stacks from the same release of rds-cross-account ` +
                    `(the db-account stack first).`,
            ],
        ]);
    });

    it("requires in version 2 what every producer of this release exports", () => {
        const { producerAccountId: _a, consumers: _c, ...partial } = lattice;
        assert.deepStrictEqual(
            problemsOf(partial).map(([path]) => path),
            ["contract.producerAccountId", "contract.consumers"],
        );
    });
});

describe("contract path rules", () => {
    const withPath = (base: typeof lattice | typeof privateLink, path: Record<string, unknown>) => ({
        ...base,
        connectivity: { ...base.connectivity, ...path },
    });

    it("pairs the read-only endpoint with its resource configuration on the Lattice path", () => {
        const { readOnlyResourceConfigurationArn: _ro, ...path } = lattice.connectivity;
        assert.deepStrictEqual(problemsOf({ ...lattice, connectivity: path }), [
            [
                "contract.connectivity.readOnlyResourceConfigurationArn",
                "Field 'connectivity.readOnlyResourceConfigurationArn' is not set, but 'readOnlyEndpoint' is set, and " +
                    "a contract has both or neither (the read-only endpoint has its own resource configuration). " +
                    "Fix it.",
            ],
        ]);
    });

    it("keeps the Lattice path's ARNs in the contract's region and the producer's account", () => {
        const elsewhere = RCFG.replace("eu-west-1", "us-east-1");
        const otherAccount = SHARE.replace("111111111111", "999999999999");
        assert.deepStrictEqual(
            problemsOf(
                withPath(lattice, { resourceConfigurationArn: elsewhere, resourceShareArn: otherAccount }),
            ),
            [
                [
                    "contract.connectivity.resourceConfigurationArn",
                    `Field 'connectivity.resourceConfigurationArn' is "${elsewhere.slice(0, 63)}…" ` +
                        `(${elsewhere.length} characters), but that ARN is in aws region us-east-1, and the ` +
                        `contract's region is eu-west-1: a resource configuration and its share are regional, and ` +
                        `the proxy is in eu-west-1. Fix it.`,
                ],
                [
                    "contract.connectivity.resourceShareArn",
                    `Field 'connectivity.resourceShareArn' is "${otherAccount.slice(0, 63)}…" ` +
                        `(${otherAccount.length} characters), but that ARN is in account 999999999999, and the ` +
                        `contract's producer is account 111111111111. Fix it.`,
                ],
            ],
        );
    });

    it("gives each Lattice endpoint its own resource configuration", () => {
        assert.deepStrictEqual(
            problemsOf(withPath(lattice, { readOnlyResourceConfigurationArn: RCFG })).map(([path]) => path),
            ["contract.connectivity.readOnlyResourceConfigurationArn"],
        );
    });

    it("sends the share's invitations to consumer accounts only", () => {
        assert.deepStrictEqual(problemsOf(withPath(lattice, { invitedAccountIds: ["444444444444"] })), [
            [
                "contract.connectivity.invitedAccountIds[0]",
                `Field 'connectivity.invitedAccountIds[0]' is "444444444444", but that account is not one of the ` +
                    `contract's consumers, and the share reaches consumer accounts only. Fix it.`,
            ],
        ]);
    });

    it("keeps the PrivateLink path's supported regions in the contract's partition", () => {
        assert.deepStrictEqual(
            problemsOf(withPath(privateLink, { supportedRegions: ["eu-central-1", "cn-north-1"] })),
            [
                [
                    "contract.connectivity.supportedRegions[1]",
                    `Field 'connectivity.supportedRegions[1]' is "cn-north-1", but that region is in partition ` +
                        `aws-cn, and the contract's region eu-west-1 is in aws. Fix it.`,
                ],
            ],
        );
    });

    it("names the PrivateLink path's fields under connectivity in version 2", () => {
        assert.deepStrictEqual(
            problemsOf(withPath(privateLink, { readOnlyPort: 5432 })).map(([path]) => path),
            ["contract.connectivity.readOnlyPort"],
        );
    });
});
