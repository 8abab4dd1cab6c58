/**
 * The existing-database lookup (stacks/db-account/existing-lookup.ts) against moto: the facts it reads of an Aurora
 * cluster with a writer and a reader and of PostgreSQL, MySQL and MariaDB instances (RDS-managed master secrets or one
 * config names, IAM database authentication, custom parameter groups that force TLS or not, a default one, a read
 * replica, a member instance named as an instance), and its refusals: not found, another account, a named secret that
 * does not exist.
 *
 * What this cannot prove: that RDS answers exactly as moto does. moto 5.2 lacks default parameter groups and paging of
 * parameters, which tools/local/moto_server.py adds as RDS documents them; every other fact here is moto's own answer.
 */
import * as assert from "node:assert/strict";
import * as ec2 from "@aws-sdk/client-ec2";
import * as rds from "@aws-sdk/client-rds";
import * as sm from "@aws-sdk/client-secrets-manager";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type {
    ExistingDatabaseFacts,
    LookupRequest,
    LookupResult,
} from "../../stacks/db-account/existing-facts";
import {
    createRdsLookup,
    defaultLookupClients,
    LOOKUP_ACTIONS,
    rdsDatabaseLookup,
} from "../../stacks/db-account/existing-lookup";
import type { LookupClients } from "../../stacks/db-account/existing-lookup-calls";
import type { AccessKey, Moto } from "../../tools/local/moto";
import { REGION, uniqueName } from "../../tools/local/sync-fixtures";
import { useMoto } from "../support/moto";

/**
 * A KMS key on moto, by KMS's JSON protocol (the project has no KMS client; moto routes the request by the service in
 * its authorization header and, without IAM enforcement, does not check the signature).
 */
async function createKey(url: string): Promise<string> {
    const res = await fetch(`${url}/`, {
        method: "POST",
        headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "TrentService.CreateKey",
            authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/kms/aws4_request, SignedHeaders=host, Signature=0`,
        },
        body: "{}",
    });
    const body = (await res.json()) as { KeyMetadata?: { Arn?: string } };
    const arn = body.KeyMetadata?.Arn;
    if (!res.ok || arn === undefined) throw new Error(`CreateKey failed: ${JSON.stringify(body)}`);
    return arn;
}

/** A VPC on moto (`10.<n>.0.0/16`, of `tenancy`), two subnets in two AZs, and a DB subnet group of them. */
async function createNetwork(
    url: string,
    n: number,
    tenancy?: "dedicated",
): Promise<{ vpcId: string; subnetIds: string[]; subnetGroup: string }> {
    const config = { region: REGION, endpoint: url };
    const e = new ec2.EC2Client(config);
    const r = new rds.RDSClient(config);
    try {
        const vpc = await e.send(
            new ec2.CreateVpcCommand({
                CidrBlock: `10.${n}.0.0/16`,
                ...(tenancy ? { InstanceTenancy: tenancy } : {}),
            }),
        );
        const vpcId = vpc.Vpc?.VpcId as string;
        const subnetIds: string[] = [];
        for (const [i, az] of ["a", "b"].entries()) {
            const sub = await e.send(
                new ec2.CreateSubnetCommand({
                    VpcId: vpcId,
                    CidrBlock: `10.${n}.${i}.0/24`,
                    AvailabilityZone: `${REGION}${az}`,
                }),
            );
            subnetIds.push(sub.Subnet?.SubnetId as string);
        }
        const subnetGroup = uniqueName(`subnets-${n}`);
        await r.send(
            new rds.CreateDBSubnetGroupCommand({
                DBSubnetGroupName: subnetGroup,
                DBSubnetGroupDescription: "db",
                SubnetIds: subnetIds,
            }),
        );
        return { vpcId, subnetIds, subnetGroup };
    } finally {
        e.destroy();
        r.destroy();
    }
}

/** moto's default account. */
const ACCOUNT = "123456789012";

describe("existing database lookup against moto", function () {
    this.timeout(120_000);
    const servers = useMoto();
    let client: rds.RDSClient;
    let url: string;
    const made: Record<string, string> = {};
    let vpcId: string;
    let subnetIds: string[];
    let sgId: string;
    let namedSecretArn: string;
    let namedKeyArn: string;
    let subnetGroup: string;
    let rdsKeyArn: string;

    /** Clients pointed at moto explicitly (the injection seam), not through the environment. */
    const injected = createRdsLookup((target): LookupClients => {
        const config = {
            region: target.region,
            endpoint: url,
            credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
        };
        const r = new rds.RDSClient(config);
        const s = new sm.SecretsManagerClient(config);
        const e = new ec2.EC2Client(config);
        const sts = new STSClient(config);
        return {
            rds: r,
            secrets: s,
            ec2: e,
            callerAccount: async () => (await sts.send(new GetCallerIdentityCommand({}))).Account,
            destroy: () => [r, s, e, sts].forEach((c) => c.destroy()),
        };
    });

    const request = (form: LookupRequest["form"], accountId = ACCOUNT): LookupRequest => ({
        form,
        region: REGION,
        accountId,
    });

    function factsOf(result: LookupResult): ExistingDatabaseFacts {
        if ("refused" in result) assert.fail(`refused: ${JSON.stringify(result.refused)}`);
        return result.facts;
    }

    before(async () => {
        url = servers().moto.url;
        const config = { region: REGION, endpoint: url };
        client = new rds.RDSClient(config);
        const e = new ec2.EC2Client(config);
        const s = new sm.SecretsManagerClient(config);
        ({ vpcId, subnetIds, subnetGroup } = await createNetwork(url, 77));
        const sg = await e.send(
            new ec2.CreateSecurityGroupCommand({
                GroupName: uniqueName("db"),
                Description: "db",
                VpcId: vpcId,
            }),
        );
        sgId = sg.GroupId as string;
        rdsKeyArn = await createKey(url);
        namedKeyArn = await createKey(url);
        namedSecretArn = (
            await s.send(
                new sm.CreateSecretCommand({
                    Name: uniqueName("master"),
                    SecretString: '{"username":"postgres","password":"x"}',
                    KmsKeyId: namedKeyArn,
                }),
            )
        ).ARN as string;

        // Aurora PostgreSQL: a cluster parameter group forcing TLS, past the first page of parameters.
        const clusterGroup = uniqueName("apg-tls");
        await client.send(
            new rds.CreateDBClusterParameterGroupCommand({
                DBClusterParameterGroupName: clusterGroup,
                DBParameterGroupFamily: "aurora-postgresql16",
                Description: "tls",
            }),
        );
        const filler = Array.from({ length: 120 }, (_, i) => ({
            ParameterName: `app.filler_${String(i).padStart(3, "0")}`,
            ParameterValue: "1",
            ApplyMethod: "immediate" as const,
        }));
        for (let i = 0; i < filler.length; i += 20) {
            await client.send(
                new rds.ModifyDBClusterParameterGroupCommand({
                    DBClusterParameterGroupName: clusterGroup,
                    Parameters: filler.slice(i, i + 20),
                }),
            );
        }
        await client.send(
            new rds.ModifyDBClusterParameterGroupCommand({
                DBClusterParameterGroupName: clusterGroup,
                Parameters: [
                    { ParameterName: "rds.force_ssl", ParameterValue: "1", ApplyMethod: "immediate" },
                ],
            }),
        );
        made.cluster = uniqueName("orders");
        await client.send(
            new rds.CreateDBClusterCommand({
                DBClusterIdentifier: made.cluster,
                Engine: "aurora-postgresql",
                EngineVersion: "16.6",
                MasterUsername: "postgres",
                ManageMasterUserPassword: true,
                MasterUserSecretKmsKeyId: rdsKeyArn,
                EnableIAMDatabaseAuthentication: true,
                StorageEncrypted: true,
                DatabaseName: "orders",
                DBSubnetGroupName: subnetGroup,
                VpcSecurityGroupIds: [sgId],
                DBClusterParameterGroupName: clusterGroup,
            }),
        );
        for (const [i, pub] of [false, true].entries()) {
            await client.send(
                new rds.CreateDBInstanceCommand({
                    DBInstanceIdentifier: `${made.cluster}-${i + 1}`,
                    DBClusterIdentifier: made.cluster,
                    Engine: "aurora-postgresql",
                    DBInstanceClass: "db.r6g.large",
                    PubliclyAccessible: pub,
                }),
            );
        }

        // RDS for PostgreSQL: no RDS-managed secret (config names one), default parameter group, IAM auth on.
        made.postgres = uniqueName("billing");
        await client.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: made.postgres,
                Engine: "postgres",
                EngineVersion: "16.4",
                DBInstanceClass: "db.t4g.micro",
                AllocatedStorage: 20,
                MasterUsername: "postgres",
                MasterUserPassword: "not-a-real-password",
                EnableIAMDatabaseAuthentication: true,
                DBSubnetGroupName: subnetGroup,
                VpcSecurityGroupIds: [sgId],
            }),
        );

        // RDS for MySQL on another port, with a group that does not force TLS.
        const mysqlGroup = uniqueName("mysql-plain");
        await client.send(
            new rds.CreateDBParameterGroupCommand({
                DBParameterGroupName: mysqlGroup,
                DBParameterGroupFamily: "mysql8.0",
                Description: "plain",
            }),
        );
        await client.send(
            new rds.ModifyDBParameterGroupCommand({
                DBParameterGroupName: mysqlGroup,
                Parameters: [
                    {
                        ParameterName: "require_secure_transport",
                        ParameterValue: "0",
                        ApplyMethod: "immediate",
                    },
                ],
            }),
        );
        made.mysql = uniqueName("shop");
        await client.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: made.mysql,
                Engine: "mysql",
                EngineVersion: "8.0.39",
                DBInstanceClass: "db.t4g.micro",
                AllocatedStorage: 20,
                Port: 3307,
                MasterUsername: "admin",
                ManageMasterUserPassword: true,
                StorageEncrypted: true,
                DBSubnetGroupName: subnetGroup,
                VpcSecurityGroupIds: [sgId],
                DBParameterGroupName: mysqlGroup,
            }),
        );

        // RDS for MariaDB forcing TLS, and a read replica of it.
        const mariaGroup = uniqueName("maria-tls");
        await client.send(
            new rds.CreateDBParameterGroupCommand({
                DBParameterGroupName: mariaGroup,
                DBParameterGroupFamily: "mariadb10.11",
                Description: "tls",
            }),
        );
        await client.send(
            new rds.ModifyDBParameterGroupCommand({
                DBParameterGroupName: mariaGroup,
                Parameters: [
                    {
                        ParameterName: "require_secure_transport",
                        ParameterValue: "ON",
                        ApplyMethod: "immediate",
                    },
                ],
            }),
        );
        made.mariadb = uniqueName("ledger");
        await client.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: made.mariadb,
                Engine: "mariadb",
                EngineVersion: "10.11.9",
                DBInstanceClass: "db.t4g.micro",
                AllocatedStorage: 20,
                MasterUsername: "admin",
                MasterUserPassword: "not-a-real-password",
                DBSubnetGroupName: subnetGroup,
                VpcSecurityGroupIds: [sgId],
                DBParameterGroupName: mariaGroup,
            }),
        );
        made.replica = uniqueName("ledger-replica");
        await client.send(
            new rds.CreateDBInstanceReadReplicaCommand({
                DBInstanceIdentifier: made.replica,
                SourceDBInstanceIdentifier: made.mariadb,
                DBInstanceClass: "db.t4g.micro",
            }),
        );
        e.destroy();
        s.destroy();
    });

    after(() => client?.destroy());

    it("reads an Aurora cluster: writer and reader, RDS-managed secret and key, IAM auth, TLS past the first page", async () => {
        const facts = factsOf(await injected(request({ kind: "cluster", identifier: made.cluster })));
        const described = (
            await client.send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: made.cluster }))
        ).DBClusters?.[0] as rds.DBCluster;
        assert.deepEqual(facts, {
            kind: "cluster",
            identifier: made.cluster,
            arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${made.cluster}`,
            resourceId: described.DbClusterResourceId,
            engine: "aurora-postgresql",
            engineVersion: "16.6",
            engineMode: "provisioned",
            status: "available",
            port: 5432,
            vpcId,
            subnetGroupName: described.DBSubnetGroup,
            subnetIds,
            securityGroupIds: [sgId],
            iamDatabaseAuthentication: true,
            publicInstances: [`${made.cluster}-2`],
            storageEncrypted: true,
            masterUsername: "postgres",
            masterSecret: {
                arn: described.MasterUserSecret?.SecretArn,
                managedByRds: true,
                kmsKeyArn: rdsKeyArn,
            },
            writerEndpoint: described.Endpoint,
            readers: 1,
            databaseName: "orders",
            tls: {
                parameterGroup: described.DBClusterParameterGroup,
                parameterGroupKind: "cluster",
                parameter: "rds.force_ssl",
                value: "1",
                forced: true,
            },
            notATarget: [],
        });
        assert.match(facts.resourceId, /^cluster-/);
    });

    it("reads a PostgreSQL instance whose master secret config names, under the default parameter group", async () => {
        const facts = factsOf(
            await injected(
                request({ kind: "instance", identifier: made.postgres, masterSecretArn: namedSecretArn }),
            ),
        );
        assert.equal(facts.engine, "postgres");
        assert.equal(facts.kind, "instance");
        assert.match(facts.resourceId, /^db-/);
        assert.equal(facts.arn, `arn:aws:rds:${REGION}:${ACCOUNT}:db:${made.postgres}`);
        assert.equal(facts.iamDatabaseAuthentication, true);
        assert.equal(facts.readers, 0);
        assert.deepEqual(facts.masterSecret, {
            arn: namedSecretArn,
            managedByRds: false,
            kmsKeyArn: namedKeyArn,
        });
        assert.deepEqual(facts.tls, {
            parameterGroup: "default.postgres16",
            parameterGroupKind: "instance",
            parameter: "rds.force_ssl",
        });
        assert.deepEqual([facts.vpcId, facts.subnetIds, facts.securityGroupIds], [vpcId, subnetIds, [sgId]]);
        assert.deepEqual(facts.notATarget, []);
    });

    it("reads a PostgreSQL instance without any master secret as having none", async () => {
        const facts = factsOf(await injected(request({ kind: "instance", identifier: made.postgres })));
        assert.equal(facts.masterSecret, undefined);
    });

    it("reads a MySQL instance on its own port, TLS not forced, IAM auth off, RDS-managed secret", async () => {
        const facts = factsOf(await injected(request({ kind: "instance", identifier: made.mysql })));
        assert.equal(facts.engine, "mysql");
        assert.equal(facts.port, 3307);
        assert.equal(facts.iamDatabaseAuthentication, false);
        assert.equal(facts.masterSecret?.managedByRds, true);
        assert.match(facts.masterSecret?.arn ?? "", /^arn:aws:secretsmanager:/);
        assert.equal(facts.tls.value, "0");
        assert.equal(facts.tls.forced, false);
        assert.equal(facts.tls.parameter, "require_secure_transport");
        assert.equal(facts.storageEncrypted, true);
    });

    it("reads a MariaDB instance forcing TLS, and its read replica as not a target", async () => {
        const source = factsOf(await injected(request({ kind: "instance", identifier: made.mariadb })));
        assert.equal(source.engine, "mariadb");
        assert.deepEqual([source.tls.value, source.tls.forced], ["ON", true]);
        assert.equal(source.storageEncrypted, false);
        const replica = factsOf(await injected(request({ kind: "instance", identifier: made.replica })));
        assert.deepEqual(replica.notATarget, [
            `it is a read replica of ${JSON.stringify(made.mariadb)}, and RDS Proxy fronts only the writer of a ` +
                `replication, not a read replica: name the source instead`,
        ]);
    });

    it("reads a MySQL instance whose DB parameter group sets read_only to 1 as not a target", async () => {
        const group = uniqueName("mysql-ro");
        await client.send(
            new rds.CreateDBParameterGroupCommand({
                DBParameterGroupName: group,
                DBParameterGroupFamily: "mysql8.0",
                Description: "read only",
            }),
        );
        await client.send(
            new rds.ModifyDBParameterGroupCommand({
                DBParameterGroupName: group,
                Parameters: [{ ParameterName: "read_only", ParameterValue: "1", ApplyMethod: "immediate" }],
            }),
        );
        const id = uniqueName("reports");
        await client.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: id,
                Engine: "mysql",
                DBInstanceClass: "db.t4g.micro",
                AllocatedStorage: 20,
                MasterUsername: "admin",
                MasterUserPassword: "not-a-real-password",
                DBSubnetGroupName: subnetGroup,
                DBParameterGroupName: group,
            }),
        );
        const facts = factsOf(await injected(request({ kind: "instance", identifier: id })));
        assert.deepEqual(facts.notATarget, [
            `its DB parameter group ${JSON.stringify(group)} sets read_only to "1", and RDS Proxy cannot front a MySQL ` +
                `or MariaDB instance whose read_only parameter is 1: set it to 0 in that group, or attach another group`,
        ]);
        assert.deepEqual([facts.tls.value, facts.tls.forced], [undefined, undefined]);
    });

    it("reads an instance in a VPC of dedicated tenancy as not a target", async () => {
        const { vpcId: vpc, subnetGroup: group } = await createNetwork(url, 79, "dedicated");
        const id = uniqueName("dedicated");
        await client.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: id,
                Engine: "postgres",
                DBInstanceClass: "db.t4g.micro",
                AllocatedStorage: 20,
                MasterUsername: "postgres",
                MasterUserPassword: "not-a-real-password",
                DBSubnetGroupName: group,
            }),
        );
        const facts = factsOf(await injected(request({ kind: "instance", identifier: id })));
        assert.deepEqual(facts.notATarget, [
            `its VPC ${JSON.stringify(vpc)} has dedicated instance tenancy, and RDS Proxy cannot be placed in such a VPC: ` +
                `publish a database of a VPC of default tenancy`,
        ]);
    });

    it("reads an instance of a cluster, named as an instance, as not a target, with the cluster to name", async () => {
        const facts = factsOf(await injected(request({ kind: "instance", identifier: `${made.cluster}-1` })));
        assert.deepEqual(facts.notATarget, [
            `it is an instance of the DB cluster ${JSON.stringify(made.cluster)}, and RDS Proxy fronts the cluster, not ` +
                `its instances: set 'database.existing.clusterIdentifier' to ${JSON.stringify(made.cluster)} instead of ` +
                `'instanceIdentifier'`,
        ]);
    });

    it("refuses a database that is not there, naming the key, the value and the fix", async () => {
        assert.deepEqual(await injected(request({ kind: "cluster", identifier: "no-such-cluster" })), {
            refused: {
                key: "database.existing.clusterIdentifier",
                value: "no-such-cluster",
                why: `there is no DB cluster of that identifier in account ${ACCOUNT}, region ${REGION}`,
                fix:
                    `Set 'database.existing.clusterIdentifier' in {file} to the identifier of an existing DB cluster ` +
                    `(aws rds describe-db-clusters --region ${REGION} lists them; an RDS instance is named by ` +
                    `'database.existing.instanceIdentifier'), and deploy with credentials of ` +
                    `account ${ACCOUNT}.`,
            },
        });
    });

    it("refuses a database of another account than the stack's, and says whose the credentials are when none is found", async () => {
        const other = "999999999999";
        const found = await injected(request({ kind: "instance", identifier: made.postgres }, other));
        assert.deepEqual(found, {
            refused: {
                key: "database.existing.instanceIdentifier",
                value: made.postgres,
                why:
                    `that database (arn:aws:rds:${REGION}:${ACCOUNT}:db:${made.postgres}) is in account ${ACCOUNT}, and ` +
                    `the stack's accountId is ${other}: RDS Proxy must be in the database's account and VPC`,
                fix: `Deploy the db-account stack in account ${ACCOUNT} (rds-cross-account:accountId), or name a database of account ${other}.`,
            },
        });
        const missing = await injected(request({ kind: "instance", identifier: "no-such-instance" }, other));
        assert.ok("refused" in missing);
        assert.equal(
            missing.refused.why,
            `there is no DB instance of that identifier in account ${other}, region ${REGION}; the deploying ` +
                `credentials are of account ${ACCOUNT}, not the stack's accountId ${other}`,
        );
    });

    it("reads what keeps a cluster from RDS Proxy: Serverless v1, a global database, a Multi-AZ DB cluster", async () => {
        const global = uniqueName("global");
        await client.send(
            new rds.CreateGlobalClusterCommand({
                GlobalClusterIdentifier: global,
                Engine: "aurora-postgresql",
            }),
        );
        const clusters = {
            serverless: { EngineMode: "serverless", Engine: "aurora-postgresql" },
            globalMember: { Engine: "aurora-postgresql", GlobalClusterIdentifier: global },
            multiAz: {
                Engine: "postgres",
                DBClusterInstanceClass: "db.m6gd.large",
                AllocatedStorage: 100,
                StorageType: "io1",
                Iops: 1000,
            },
        };
        const facts: Record<string, ExistingDatabaseFacts> = {};
        for (const [name, settings] of Object.entries(clusters)) {
            const id = uniqueName(name.toLowerCase());
            await client.send(
                new rds.CreateDBClusterCommand({
                    DBClusterIdentifier: id,
                    MasterUsername: "postgres",
                    MasterUserPassword: "not-a-real-password",
                    DBSubnetGroupName: subnetGroup,
                    ...settings,
                }),
            );
            facts[name] = factsOf(await injected(request({ kind: "cluster", identifier: id })));
        }
        assert.equal(facts.serverless.engineMode, "serverless");
        assert.deepEqual(facts.serverless.notATarget, []);
        assert.deepEqual(facts.globalMember.notATarget, [
            `it belongs to the Aurora global database ${JSON.stringify(global)}, and RDS Proxy does not front ` +
                `clusters of a global database`,
        ]);
        assert.deepEqual(facts.multiAz.notATarget, [
            `it is a Multi-AZ DB cluster (engine "postgres"), and this project publishes Aurora clusters and RDS ` +
                `instances only`,
        ]);
    });

    it("makes a named secret's key ID a key ARN, takes aws/secretsmanager as no key, and refuses another alias", async () => {
        const s = new sm.SecretsManagerClient({ region: REGION, endpoint: url });
        const keyId = namedKeyArn.split("/").pop() as string;
        const secretUnder = async (KmsKeyId: string) =>
            (
                await s.send(
                    new sm.CreateSecretCommand({ Name: uniqueName("key"), SecretString: "{}", KmsKeyId }),
                )
            ).ARN as string;
        const byId = await secretUnder(keyId);
        const byDefault = await secretUnder("alias/aws/secretsmanager");
        const byAlias = await secretUnder("alias/app-secrets");
        s.destroy();
        const form = (masterSecretArn: string) => ({
            kind: "instance" as const,
            identifier: made.postgres,
            masterSecretArn,
        });
        assert.deepEqual(factsOf(await injected(request(form(byId)))).masterSecret, {
            arn: byId,
            managedByRds: false,
            kmsKeyArn: namedKeyArn,
        });
        assert.deepEqual(factsOf(await injected(request(form(byDefault)))).masterSecret, {
            arn: byDefault,
            managedByRds: false,
        });
        assert.deepEqual(await injected(request(form(byAlias))), {
            refused: {
                key: "database.existing.masterSecretArn",
                value: byAlias,
                why:
                    `the master secret ${byAlias} is encrypted with the KMS key "alias/app-secrets", which is neither a ` +
                    `key ARN nor a key ID, and the bootstrap's role is granted kms:Decrypt on the key's ARN`,
                fix:
                    `Re-encrypt the secret under a key named by its ARN: aws secretsmanager update-secret --secret-id ` +
                    `${byAlias} --kms-key-id <key ARN> --region ${REGION}.`,
            },
        });
    });

    it("refuses a master secret config names that does not exist, at its own key", async () => {
        const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:no-such-secret-AbCdEf`;
        const result = await injected(
            request({ kind: "instance", identifier: made.postgres, masterSecretArn: arn }),
        );
        assert.deepEqual(result, {
            refused: {
                key: "database.existing.masterSecretArn",
                value: arn,
                why: `there is no such secret in ${REGION} (or it is scheduled for deletion)`,
                fix:
                    "Set 'database.existing.masterSecretArn' in {file} to the ARN of the secret holding the master " +
                    "user's credentials, or remove it to use the database's RDS-managed secret.",
            },
        });
    });

    it("the default lookup finds moto through the standard endpoint variable and the default credential chain", async () => {
        const facts = factsOf(await rdsDatabaseLookup(request({ kind: "instance", identifier: made.mysql })));
        assert.equal(facts.identifier, made.mysql);
        const clients = defaultLookupClients({ region: REGION });
        try {
            assert.equal(await clients.callerAccount(), ACCOUNT);
        } finally {
            clients.destroy();
        }
    });
});

/**
 * With IAM enforced (moto checks each request's action against the caller's policies, against resource "*"), the
 * lookup runs with credentials holding exactly `LOOKUP_ACTIONS`: sufficient, and each action needed (without it the
 * lookup is refused with the exact list to grant). Conditions and resource scoping are not evaluated by moto.
 */
describe("existing database lookup with exactly the IAM actions it documents", function () {
    this.timeout(180_000);
    const servers = useMoto({ iam: true });
    const ids = { cluster: uniqueName("iam-orders"), instance: uniqueName("iam-billing") };
    let url: string;
    let secretArn: string;

    const lookupAs = (key: AccessKey) =>
        createRdsLookup((target): LookupClients => {
            const config = { region: target.region, endpoint: url, credentials: key };
            const r = new rds.RDSClient(config);
            const s = new sm.SecretsManagerClient(config);
            const e = new ec2.EC2Client(config);
            return {
                rds: r,
                secrets: s,
                ec2: e,
                callerAccount: async () => undefined,
                destroy: () => [r, s, e].forEach((c) => c.destroy()),
            };
        });

    const policy = (actions: readonly string[]) => ({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
    });

    before(async () => {
        const { moto } = servers();
        url = moto.url;
        const config = { region: REGION, endpoint: url };
        const r = new rds.RDSClient(config);
        const s = new sm.SecretsManagerClient(config);
        const { subnetGroup } = await createNetwork(url, 78);
        await r.send(
            new rds.CreateDBClusterCommand({
                DBSubnetGroupName: subnetGroup,
                DBClusterIdentifier: ids.cluster,
                Engine: "aurora-mysql",
                MasterUsername: "admin",
                ManageMasterUserPassword: true,
            }),
        );
        await r.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: `${ids.cluster}-1`,
                DBClusterIdentifier: ids.cluster,
                Engine: "aurora-mysql",
                DBInstanceClass: "db.r6g.large",
            }),
        );
        await r.send(
            new rds.CreateDBInstanceCommand({
                DBInstanceIdentifier: ids.instance,
                DBSubnetGroupName: subnetGroup,
                Engine: "postgres",
                DBInstanceClass: "db.t4g.micro",
                AllocatedStorage: 20,
                MasterUsername: "postgres",
                MasterUserPassword: "not-a-real-password",
            }),
        );
        secretArn = (
            await s.send(new sm.CreateSecretCommand({ Name: uniqueName("iam-master"), SecretString: "{}" }))
        ).ARN as string;
        r.destroy();
        s.destroy();
    });

    const cases = [
        {
            name: "a cluster",
            form: () => ({ kind: "cluster" as const, identifier: ids.cluster }),
            actions: LOOKUP_ACTIONS.cluster as readonly string[],
        },
        {
            name: "an instance with a named master secret",
            form: () => ({ kind: "instance" as const, identifier: ids.instance, masterSecretArn: secretArn }),
            actions: [...LOOKUP_ACTIONS.instance, ...LOOKUP_ACTIONS.secret] as readonly string[],
        },
    ];
    for (const c of cases) {
        it(`${c.name}: the documented actions suffice, and each is needed`, async () => {
            const iam = servers().moto.iam as NonNullable<Moto["iam"]>;
            const exact = await iam.createIdentity(uniqueName("lookup"), policy(c.actions));
            const facts = await lookupAs(exact)({ form: c.form(), region: REGION, accountId: iam.accountId });
            assert.ok("facts" in facts, JSON.stringify(facts));
            for (const action of c.actions) {
                const less = await iam.createIdentity(
                    uniqueName("lookup"),
                    policy(c.actions.filter((a) => a !== action)),
                );
                const result = await lookupAs(less)({
                    form: c.form(),
                    region: REGION,
                    accountId: iam.accountId,
                });
                assert.ok("refused" in result, `${action} was not needed`);
                assert.match(
                    result.refused.why,
                    new RegExp(
                        `^the deploying credentials may not call ${action.replace(".", "\\.")} in ${REGION} \\(`,
                    ),
                );
                assert.equal(
                    result.refused.fix,
                    `Allow the deploying credentials these IAM actions: ${c.actions.join(", ")}.`,
                );
            }
        });
    }
});
