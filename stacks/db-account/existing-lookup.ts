/**
 * The RDS API's answer to `database.existing`: what the stack reads about an existing Aurora cluster or RDS instance
 * before it creates anything (./existing-facts.ts says what each fact is; ./existing-checks.ts judges them).
 *
 * Only Describe calls, never a change. Clients use the stack's region, the SDK's default credential chain (or the
 * stack's `assumeRoleArn`, as the stack's aws provider assumes it: ../provider.ts) and the SDK's own endpoint
 * resolution, which honours `AWS_ENDPOINT_URL` (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 * A database that is not there, in another account, or that the credentials may not describe is a `refused` answer
 * naming the config key, never an exception; an answer the lookup cannot read is one too.
 */
import * as ec2 from "@aws-sdk/client-ec2";
import * as rds from "@aws-sdk/client-rds";
import * as sm from "@aws-sdk/client-secrets-manager";
import { ENGINES, protocolOf, tlsParameter, type Engine } from "../../vocabulary";
import {
    isOn,
    shellWord,
    kmsKeyArnOf,
    notATargetOfCluster,
    notATargetOfInstance,
    notATargetOfVpc,
    type DatabaseLookup,
    type ExistingDatabaseFacts,
    type LookupRequest,
    type LookupResult,
    type MasterSecretFacts,
    type TlsFacts,
} from "./existing-facts";
import {
    allPages,
    ask,
    assertAccount,
    defaultLookupClients,
    errorName,
    keyOf,
    NOT_FOUND,
    notFound,
    Refusal,
    type LookupClientFactory,
    type LookupClients,
} from "./existing-lookup-calls";

export {
    defaultLookupClients,
    LOOKUP_ACTIONS,
    type LookupClientFactory,
    type LookupClients,
} from "./existing-lookup-calls";

/** A lookup that asks AWS through `clients` (tests point them at moto). */
export function createRdsLookup(clients: LookupClientFactory = defaultLookupClients): DatabaseLookup {
    return async (request) => {
        const c = clients({ region: request.region, assumeRoleArn: request.assumeRoleArn });
        try {
            return await lookUp(c, request);
        } catch (err) {
            if (err instanceof Refusal) return { refused: err.refused };
            throw err;
        } finally {
            c.destroy();
        }
    };
}

/** The RDS API's lookup, with the default clients. */
export const rdsDatabaseLookup: DatabaseLookup = createRdsLookup();

async function lookUp(c: LookupClients, request: LookupRequest): Promise<LookupResult> {
    const key = keyOf(request);
    const value = request.form.identifier;
    try {
        const base =
            request.form.kind === "cluster"
                ? await cluster(c, request, key, value)
                : await instance(c, request, key, value);
        const masterSecret = await secretOf(c, request, base.rdsSecret);
        const tenancy = await tenancyOf(c, request, key, value, base.vpcId);
        const { rdsSecret: _ignored, ...rest } = base;
        const facts: ExistingDatabaseFacts = {
            ...rest,
            notATarget: [...rest.notATarget, ...notATargetOfVpc(base.vpcId, tenancy)],
            ...(masterSecret ? { masterSecret } : {}),
        };
        return { facts };
    } catch (err) {
        if (NOT_FOUND.has(errorName(err)) && !(err instanceof Refusal))
            return notFound(c, request, key, value);
        throw err;
    }
}

type Base = Omit<ExistingDatabaseFacts, "masterSecret"> & { rdsSecret?: rds.MasterUserSecret };

async function cluster(c: LookupClients, request: LookupRequest, key: string, value: string): Promise<Base> {
    const found = await ask(request, key, value, "rds:DescribeDBClusters", () =>
        c.rds.send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: value })),
    );
    const db = found.DBClusters?.[0];
    if (db === undefined) return notFound(c, request, key, value);
    const arn = assertAccount(request, key, value, db.DBClusterArn);
    const members = await ask(request, key, value, "rds:DescribeDBInstances", () =>
        allPages(
            (Marker) =>
                c.rds.send(
                    new rds.DescribeDBInstancesCommand({
                        Filters: [{ Name: "db-cluster-id", Values: [db.DBClusterIdentifier ?? value] }],
                        Marker,
                    }),
                ),
            (p) => p.DBInstances ?? [],
        ),
    );
    const groupName = db.DBSubnetGroup ?? "";
    const subnetGroup = await ask(request, key, value, "rds:DescribeDBSubnetGroups", () =>
        c.rds.send(new rds.DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: groupName })),
    );
    const group = subnetGroup.DBSubnetGroups?.[0];
    const engine = db.Engine ?? "";
    const parameterGroup = db.DBClusterParameterGroup ?? "";
    const { tls } = await parametersOf(request, key, value, engine, parameterGroup, "cluster", (Marker) =>
        c.rds.send(
            new rds.DescribeDBClusterParametersCommand({
                DBClusterParameterGroupName: parameterGroup,
                Marker,
            }),
        ),
    );
    const writers = (db.DBClusterMembers ?? []).filter((m) => m.IsClusterWriter === true).length;
    return {
        kind: "cluster",
        identifier: db.DBClusterIdentifier ?? value,
        arn,
        resourceId: db.DbClusterResourceId ?? "",
        engine,
        engineVersion: db.EngineVersion ?? "",
        ...(db.EngineMode !== undefined ? { engineMode: db.EngineMode } : {}),
        status: db.Status ?? "",
        port: db.Port ?? 0,
        vpcId: group?.VpcId ?? "",
        subnetGroupName: groupName,
        subnetIds: (group?.Subnets ?? []).flatMap((s) => (s.SubnetIdentifier ? [s.SubnetIdentifier] : [])),
        securityGroupIds: (db.VpcSecurityGroups ?? []).flatMap((g) =>
            g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [],
        ),
        iamDatabaseAuthentication: db.IAMDatabaseAuthenticationEnabled === true,
        publicInstances: members
            .filter((m) => m.PubliclyAccessible === true)
            .map((m) => m.DBInstanceIdentifier ?? ""),
        storageEncrypted: db.StorageEncrypted === true,
        masterUsername: db.MasterUsername ?? "",
        writerEndpoint: db.Endpoint ?? "",
        readers: (db.DBClusterMembers ?? []).length - writers,
        ...(db.DatabaseName ? { databaseName: db.DatabaseName } : {}),
        tls,
        notATarget: notATargetOfCluster(db),
        ...(db.MasterUserSecret ? { rdsSecret: db.MasterUserSecret } : {}),
    };
}

async function instance(c: LookupClients, request: LookupRequest, key: string, value: string): Promise<Base> {
    const found = await ask(request, key, value, "rds:DescribeDBInstances", () =>
        c.rds.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: value })),
    );
    const db = found.DBInstances?.[0];
    if (db === undefined) return notFound(c, request, key, value);
    const arn = assertAccount(request, key, value, db.DBInstanceArn);
    const engine = db.Engine ?? "";
    const parameterGroup = db.DBParameterGroups?.[0]?.DBParameterGroupName ?? "";
    const { tls, readOnly } = await parametersOf(
        request,
        key,
        value,
        engine,
        parameterGroup,
        "instance",
        (Marker) =>
            c.rds.send(new rds.DescribeDBParametersCommand({ DBParameterGroupName: parameterGroup, Marker })),
    );
    return {
        kind: "instance",
        identifier: db.DBInstanceIdentifier ?? value,
        arn,
        resourceId: db.DbiResourceId ?? "",
        engine,
        engineVersion: db.EngineVersion ?? "",
        status: db.DBInstanceStatus ?? "",
        port: db.Endpoint?.Port ?? db.DbInstancePort ?? 0,
        vpcId: db.DBSubnetGroup?.VpcId ?? "",
        subnetGroupName: db.DBSubnetGroup?.DBSubnetGroupName ?? "",
        subnetIds: (db.DBSubnetGroup?.Subnets ?? []).flatMap((s) =>
            s.SubnetIdentifier ? [s.SubnetIdentifier] : [],
        ),
        securityGroupIds: (db.VpcSecurityGroups ?? []).flatMap((g) =>
            g.VpcSecurityGroupId ? [g.VpcSecurityGroupId] : [],
        ),
        iamDatabaseAuthentication: db.IAMDatabaseAuthenticationEnabled === true,
        publicInstances: db.PubliclyAccessible === true ? [db.DBInstanceIdentifier ?? value] : [],
        storageEncrypted: db.StorageEncrypted === true,
        masterUsername: db.MasterUsername ?? "",
        writerEndpoint: db.Endpoint?.Address ?? "",
        readers: 0,
        ...(db.DBName ? { databaseName: db.DBName } : {}),
        tls,
        notATarget: notATargetOfInstance(db, readOnly),
        ...(db.MasterUserSecret ? { rdsSecret: db.MasterUserSecret } : {}),
    };
}

/**
 * What the parameter group says of TLS (and, for an RDS for MySQL or MariaDB instance, of `read_only`).
 * DescribeDBParameters and DescribeDBClusterParameters take no usable filter (RDS API Reference, Filters: "This
 * parameter isn't currently supported"), so pages are read, by Marker, until every parameter wanted is found.
 */
async function parametersOf(
    request: LookupRequest,
    key: string,
    value: string,
    engine: string,
    parameterGroup: string,
    kind: "cluster" | "instance",
    page: (marker: string | undefined) => Promise<{ Parameters?: rds.Parameter[]; Marker?: string }>,
): Promise<{ tls: TlsFacts; readOnly?: string }> {
    const known = (ENGINES as readonly string[]).includes(engine);
    const parameter = known ? tlsParameter(engine as Engine).name : "rds.force_ssl";
    const tls: TlsFacts = { parameterGroup, parameterGroupKind: kind, parameter };
    // An engine this project does not publish is refused by the checks; its parameters are not read.
    if (!known || parameterGroup === "") return { tls };
    const wanted = [
        parameter,
        ...(kind === "instance" && protocolOf(engine as Engine) === "mysql" ? ["read_only"] : []),
    ];
    const found = new Map<string, string | undefined>();
    const what = kind === "cluster" ? "rds:DescribeDBClusterParameters" : "rds:DescribeDBParameters";
    let marker: string | undefined;
    do {
        const p = await ask(request, key, value, what, () => page(marker));
        for (const x of p.Parameters ?? [])
            if (x.ParameterName !== undefined && wanted.includes(x.ParameterName))
                found.set(x.ParameterName, x.ParameterValue);
        marker = found.size === wanted.length ? undefined : p.Marker;
    } while (marker);
    const tlsValue = found.get(parameter);
    const readOnly = found.get("read_only");
    return {
        tls: tlsValue === undefined ? tls : { ...tls, value: tlsValue, forced: isOn(tlsValue) },
        ...(readOnly !== undefined ? { readOnly } : {}),
    };
}

/** The instance tenancy of the database's VPC (none when RDS reported no VPC). */
async function tenancyOf(
    c: LookupClients,
    request: LookupRequest,
    key: string,
    value: string,
    vpcId: string,
): Promise<string | undefined> {
    if (vpcId === "") return undefined;
    const found = await ask(request, key, value, "ec2:DescribeVpcs", () =>
        c.ec2.send(new ec2.DescribeVpcsCommand({ VpcIds: [vpcId] })),
    );
    return found.Vpcs?.[0]?.InstanceTenancy;
}

/** The master secret: the one config names (described for its KMS key), else RDS's own, else none. */
async function secretOf(
    c: LookupClients,
    request: LookupRequest,
    rdsSecret: rds.MasterUserSecret | undefined,
): Promise<MasterSecretFacts | undefined> {
    const named = request.form.masterSecretArn;
    if (named === undefined) {
        if (rdsSecret?.SecretArn === undefined) return undefined;
        const kmsKeyArn = keyOfSecret(request, rdsSecret.KmsKeyId, rdsSecret.SecretArn, keyOf(request));
        return { arn: rdsSecret.SecretArn, managedByRds: true, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
    }
    const key = "database.existing.masterSecretArn";
    let described: sm.DescribeSecretResponse;
    try {
        described = await ask(request, key, named, "secretsmanager:DescribeSecret", () =>
            c.secrets.send(new sm.DescribeSecretCommand({ SecretId: named })),
        );
    } catch (err) {
        if (err instanceof Refusal || !NOT_FOUND.has(errorName(err))) throw err;
        throw new Refusal({
            key,
            value: named,
            why: `there is no such secret in ${request.region} (or it is scheduled for deletion)`,
            fix: `Set '${key}' in {file} to the ARN of the secret holding the master user's credentials, or remove it to use the database's RDS-managed secret.`,
        });
    }
    const arn = described.ARN ?? named;
    const kmsKeyArn = keyOfSecret(request, described.KmsKeyId, arn, key);
    return { arn, managedByRds: false, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
}

/** The secret's key ARN (none: aws/secretsmanager); a key named by another alias is refused at `key`. */
function keyOfSecret(request: LookupRequest, kmsKeyId: string | undefined, secretArn: string, key: string) {
    const { arn, unresolved } = kmsKeyArnOf(kmsKeyId, request.region, secretArn);
    if (unresolved === undefined) return arn;
    throw new Refusal({
        key,
        value: key.endsWith("masterSecretArn") ? secretArn : request.form.identifier,
        why: `the master secret ${secretArn} is encrypted with the KMS key ${JSON.stringify(unresolved)}, which is neither a key ARN nor a key ID, and the bootstrap's role is granted kms:Decrypt on the key's ARN`,
        fix: `Re-encrypt the secret under a key named by its ARN: aws secretsmanager update-secret --secret-id ${shellWord(secretArn)} --kms-key-id <key ARN> --region ${request.region}.`,
    });
}
