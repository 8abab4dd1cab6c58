/**
 * The db-account stack with `dsql.enabled` on and off, under mocks: the exact inputs of the DSQL cluster, its KMS key
 * and its resource policy, each consumer's DSQL connect role (trust and permission policies), the admin role only
 * for named principals, the contract's `dsql` (version 2 even on the PrivateLink path) and the DSQL outputs; with
 * DSQL off, none of it and a version-1 contract.
 *
 * What these tests cannot prove: that AWS accepts the customer-managed key with KMS's default key policy, or that the
 * cluster policy's condition is evaluated as the provider's example says (docs/dsql.md says what was assumed).
 */
import * as assert from "assert";
import { awsCalls, dbAccountState } from "../support/fixtures";
import { contractV2Shape, parse } from "../../vocabulary";
import { ofType, parentType, providerName, runStack, single, StackRun } from "../../tools/recording/harness";
import { dsqlAdminPolicy, dsqlClusterPolicy, dsqlConnectPolicy } from "../../components/dsql";

const ID = "abcde1f234ghijklmnop5qr6st";
const ARN = `arn:aws:dsql:eu-west-1:111111111111:cluster/${ID}`;
const SERVICE = "com.amazonaws.eu-west-1.dsql-fnh4";
const ADMIN = "arn:aws:iam::111111111111:role/dsql-operator";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0d5a1000-0000-4000-8000-000000000001";
const APP_ROLE = "arn:aws:iam::222222222222:role/orders";

function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "aws:dsql/cluster:Cluster":
            return { identifier: ID, arn: ARN, vpcEndpointServiceName: SERVICE };
        case "aws:kms/key:Key":
            return {
                ...dbAccountState(type, name, inputs),
                ...(name === "db-account-dsql-key" ? { arn: KEY } : {}),
            };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::111111111111:role/${name}-1a2b3c4` };
        default:
            return dbAccountState(type, name, inputs);
    }
}

const base = {
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16", azCount: 3 },
    consumers: [
        { name: "orders", accountId: "222222222222", principals: [APP_ROLE] },
        { name: "billing", accountId: "333333333333" },
    ],
};

const run = (config: Record<string, unknown>) =>
    runStack({ stack: "db-account", config, calls: awsCalls(), state });

const DSQL_TYPES = [
    "rds-cross-account:dsql:DsqlCluster",
    "aws:dsql/cluster:Cluster",
    "aws:dsql/clusterPolicy:ClusterPolicy",
];

describe("db-account stack with Aurora DSQL", function () {
    this.timeout(60000);

    describe("on, with admin principals, password consumers", () => {
        let r: StackRun;
        before(async () => {
            r = await run({
                ...base,
                applicationAuth: "password",
                dsql: { enabled: true, adminPrincipals: [ADMIN] },
            });
            assert.strictEqual(r.error, undefined, String(r.error));
        });

        it("creates the cluster with deletion protection, encrypted with its own rotating key", () => {
            const cluster = single(r, "aws:dsql/cluster:Cluster");
            assert.strictEqual(cluster.name, "db-account-dsql");
            assert.deepStrictEqual(cluster.inputs, {
                deletionProtectionEnabled: true,
                kmsEncryptionKey: KEY,
            });
            assert.strictEqual(parentType(cluster), "rds-cross-account:dsql:DsqlCluster");
            assert.strictEqual(providerName(cluster), "db-account-aws");
            const key = ofType(r, "aws:kms/key:Key").find((k) => k.name === "db-account-dsql-key");
            assert.deepStrictEqual(key?.inputs, {
                description: "Encrypts the db-account-dsql Aurora DSQL cluster",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            });
        });

        it("denies connections from outside a VPC on the cluster", () => {
            const policy = single(r, "aws:dsql/clusterPolicy:ClusterPolicy");
            assert.deepStrictEqual(policy.inputs, { identifier: ID, policy: dsqlClusterPolicy(ARN) });
            assert.deepStrictEqual(JSON.parse(dsqlClusterPolicy(ARN)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyConnectFromOutsideAVpc",
                        Effect: "Deny",
                        Principal: { AWS: "*" },
                        Action: ["dsql:DbConnect", "dsql:DbConnectAdmin"],
                        Resource: ARN,
                        Condition: { Null: { "aws:SourceVpc": "true" } },
                    },
                ],
            });
        });

        it("gives each consumer a DSQL connect role trusted by its principals, allowed DbConnect on this cluster only", () => {
            const roles = Object.fromEntries(
                ofType(r, "aws:iam/role:Role")
                    .filter((x) => parentType(x) === "rds-cross-account:dsql:DsqlCluster")
                    .map((x) => [x.name, JSON.parse(String(x.inputs.assumeRolePolicy)) as unknown]),
            );
            assert.deepStrictEqual(roles, {
                "db-account-dsql-orders": {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConsumerPrincipalsAssume",
                            Effect: "Allow",
                            Principal: { AWS: "arn:aws:iam::222222222222:root" },
                            Action: "sts:AssumeRole",
                            Condition: { ArnEquals: { "aws:PrincipalArn": [APP_ROLE] } },
                        },
                    ],
                },
                "db-account-dsql-billing": {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConsumerPrincipalsAssume",
                            Effect: "Allow",
                            Principal: { AWS: ["arn:aws:iam::333333333333:root"] },
                            Action: "sts:AssumeRole",
                        },
                    ],
                },
                "db-account-dsql-admin": {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConsumerPrincipalsAssume",
                            Effect: "Allow",
                            Principal: { AWS: "arn:aws:iam::111111111111:root" },
                            Action: "sts:AssumeRole",
                            Condition: { ArnEquals: { "aws:PrincipalArn": [ADMIN] } },
                        },
                    ],
                },
            });
            const policies = Object.fromEntries(
                ofType(r, "aws:iam/rolePolicy:RolePolicy")
                    .filter((x) => parentType(x) === "rds-cross-account:dsql:DsqlCluster")
                    .map((x) => [x.name, x.inputs]),
            );
            assert.deepStrictEqual(policies, {
                "db-account-dsql-orders-policy": {
                    role: "db-account-dsql-orders-id",
                    policy: dsqlConnectPolicy(ARN),
                },
                "db-account-dsql-billing-policy": {
                    role: "db-account-dsql-billing-id",
                    policy: dsqlConnectPolicy(ARN),
                },
                "db-account-dsql-admin-policy": {
                    role: "db-account-dsql-admin-id",
                    policy: dsqlAdminPolicy(ARN),
                },
            });
            assert.deepStrictEqual(JSON.parse(dsqlConnectPolicy(ARN)).Statement, [
                { Sid: "ConnectToTheCluster", Effect: "Allow", Action: "dsql:DbConnect", Resource: ARN },
            ]);
            assert.deepStrictEqual(JSON.parse(dsqlAdminPolicy(ARN)).Statement, [
                { Sid: "ConnectAsAdmin", Effect: "Allow", Action: "dsql:DbConnectAdmin", Resource: ARN },
            ]);
        });

        it("exports version 2 on the PrivateLink path, with dsql, as a consumer reads it", () => {
            const contract = r.outputs.contract as Record<string, unknown>;
            assert.strictEqual(contract.version, 2);
            assert.deepStrictEqual(contract.dsql, {
                clusterIdentifier: ID,
                region: "eu-west-1",
                vpcEndpointServiceName: SERVICE,
                hostname: `${ID}.dsql-fnh4.eu-west-1.on.aws`,
                consumers: [
                    {
                        accountId: "222222222222",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-dsql-orders-1a2b3c4",
                    },
                    {
                        accountId: "333333333333",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-dsql-billing-1a2b3c4",
                    },
                ],
            });
            assert.strictEqual((contract.connectivity as { kind: string }).kind, "privatelink-nlb");
            assert.deepStrictEqual(parse(contractV2Shape, contract).value, contract);
        });

        it("outputs the cluster's identifier, ARN, service name and the admin role", () => {
            assert.strictEqual(r.outputs.dsqlClusterIdentifier, ID);
            assert.strictEqual(r.outputs.dsqlClusterArn, ARN);
            assert.strictEqual(r.outputs.dsqlServiceName, SERVICE);
            assert.strictEqual(
                r.outputs.dsqlAdminRoleArn,
                "arn:aws:iam::111111111111:role/db-account-dsql-admin-1a2b3c4",
            );
        });
    });

    it("creates no admin role without admin principals", async () => {
        const r = await run({ ...base, dsql: { enabled: true } });
        assert.strictEqual(r.error, undefined, String(r.error));
        const names = ofType(r, "aws:iam/role:Role").map((x) => x.name);
        assert.ok(!names.includes("db-account-dsql-admin"), names.join(", "));
        assert.ok(names.includes("db-account-dsql-orders"));
        assert.strictEqual(r.outputs.dsqlAdminRoleArn, undefined);
    });

    it("creates nothing of DSQL when off, and exports version 1 on the PrivateLink path", async () => {
        const r = await run(base);
        assert.strictEqual(r.error, undefined, String(r.error));
        for (const type of DSQL_TYPES) assert.deepStrictEqual(ofType(r, type), [], type);
        assert.ok(!r.resources.some((x) => x.name.startsWith("db-account-dsql")));
        const contract = r.outputs.contract as Record<string, unknown>;
        assert.strictEqual(contract.version, 1);
        assert.ok(!("dsql" in contract));
        for (const k of ["dsqlClusterIdentifier", "dsqlClusterArn", "dsqlServiceName"]) {
            assert.ok(!(k in r.outputs), k);
        }
    });
});
