/**
 * The db-account (producer) stack: Aurora behind RDS Proxy, published over PrivateLink or VPC Lattice (`connectivity`)
 * to the consumer accounts listed in config, and optionally an Aurora DSQL cluster beside it (`dsql.enabled`;
 * ./db-account/dsql.ts). Reads and validates all config, checks the network, then creates resources; any problem
 * stops it before the first AWS resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConsumerAccess, ROLE_NAME_SUFFIXES } from "../components/access";
import { canaryRoleArn } from "../components/consumer/canary";
import { DatabaseUsers } from "../components/bootstrap";
import { AwsApiEndpoints } from "../components/network";
import { RdsProxy } from "../components/proxy";
import { completeDbAccountConfig, readDbAccountDraft, type DbAccountConfig } from "./config/db-account";
import { Problems } from "./config/read";
import {
    accessScopeOf,
    DEFAULT_ACCESS_KIND,
    ConsumerAuth,
    type Contract,
    DEFAULT_QUOTAS,
    partitionOf,
    quotaWarning,
} from "../vocabulary";
import { PUBLISHERS } from "./db-account/connectivity";
import { publishDsql } from "./db-account/dsql";
import { checkExistingDatabase } from "./db-account/existing-checks";
import { databaseLookup, type ExistingDatabaseFacts } from "./db-account/existing-facts";
import { rdsDatabaseLookup } from "./db-account/existing-lookup";
import { buildOrigin, formOf } from "./db-account/origins";
import { RDS_PROXY_UNSUPPORTED_AZ_IDS, RDS_PROXY_ZONES_BECAUSE } from "./db-account/proxy-zones";
import { planNetwork, realizeNetwork } from "./network";
import { reusedApiEndpoints } from "./api-endpoints";
import { checkExportedContract } from "./exported-contract";
import { accessComponentName } from "./names";
import { accountProvider } from "./provider";
import { databasePathMonitoring } from "./alarms";

export async function dbAccount(): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const problems = new Problems(stack);
    const config = await readConfig(problems);
    const provider = accountProvider(stack, config);
    // What each axis means here is written once, in its registry: where the database comes from, how consumers
    // reach it (vocabulary/topology.ts); how they authenticate is the access mode's (vocabulary/access).
    const publisher = PUBLISHERS[config.connectivity.kind];
    const plan = problems.settle(
        await planNetwork(config.network, provider, problems, {
            ...publisher.networkNeeds(config),
            avoidAzIds: { ids: RDS_PROXY_UNSUPPORTED_AZ_IDS, because: RDS_PROXY_ZONES_BECAUSE },
        }),
    );
    // The isolated VPC reaches AWS APIs only through endpoints: Secrets Manager for the database-user bootstrap
    // always, and whatever the published path calls from inside the VPC. An existing VPC's own are used, if named.
    const apiServices = [...publisher.apiServices(config), "secretsmanager" as const];
    const reuse = problems.settle(
        await reusedApiEndpoints(plan, apiServices, config.region, provider, problems),
    );
    const network = realizeNetwork(stack, plan, provider);
    const database = buildOrigin({ stack, config, network, provider });
    const { engine } = database;

    // One way in per consumer, as its access mode defines it. Access and proxy refer to each other (a connect role
    // may connect only through the proxy; the proxy serves the secrets and its role decrypts them), so the accesses
    // are created first with the proxy's ARNs as deferred outputs, resolved once the proxy exists.
    const auth = config.applicationAuth;
    // The tag by which the proxy's and the bootstrap's roles read this stack's secrets (vocabulary/access/scope.ts).
    const scope = accessScopeOf(pulumi.getProject(), stack);
    const rolesWarning = quotaWarning(
        DEFAULT_QUOTAS.rolesPerAccount,
        // A DSQL cluster gives each consumer a DSQL connect role too (./db-account/dsql.ts).
        config.consumers.length * (ROLE_NAME_SUFFIXES[auth].length + (config.dsql.enabled ? 1 : 0)),
        "IAM roles for its consumers (besides its own few)",
        { shared: true },
    );
    if (rolesWarning) void pulumi.log.warn(rolesWarning);
    const [proxyArn, resolveProxyArn] = pulumi.deferredOutput<string>();
    const [proxyRoleArn, resolveProxyRoleArn] = pulumi.deferredOutput<string>();
    // The role of a consumer's canary, by the name its app-account stack gives it (docs/db-account.md).
    const canaryOf = (c: { accountId: string; databaseUser: string }) =>
        canaryRoleArn(
            partitionOf(config.region),
            c.accountId,
            `${pulumi.getProject()}/${stack}`,
            c.databaseUser,
        );
    const access = config.consumers.map(
        (c) =>
            new ConsumerAccess(
                accessComponentName(stack, c.name),
                {
                    applicationAuth: auth,
                    region: config.region,
                    accountId: config.accountId,
                    principals: c.principals,
                    ...(c.canary ? { canaryRoleArn: canaryOf(c) } : {}),
                    databaseUser: c.databaseUser,
                    scope,
                    proxy: { arn: proxyArn, roleArn: proxyRoleArn },
                },
                { provider },
            ),
    );

    // RDS Proxy only in the zones it runs in (./db-account/proxy-zones.ts); the rest of the stack uses every subnet.
    for (const az of network.azIds.filter((id) => RDS_PROXY_UNSUPPORTED_AZ_IDS.includes(id))) {
        void pulumi.log.warn(
            `rds-cross-account:network.subnetIds: the subnet in ${az} is not given to RDS Proxy (${RDS_PROXY_ZONES_BECAUSE}); ` +
                "the load balancer, the cluster and the bootstrap still use it.",
        );
    }
    const proxy = new RdsProxy(
        `${stack}-proxy`,
        {
            engine,
            region: config.region,
            accountId: config.accountId,
            vpcId: network.vpcId,
            subnetIds: network.subnetIdsOutside(RDS_PROXY_UNSUPPORTED_AZ_IDS),
            target: database.target,
            databasePort: database.port,
            databaseResourceId: database.resourceId,
            databaseSecurityGroupId: database.securityGroupId,
            applicationAuth: auth,
            scope,
            grants: config.consumers.map((c, i) => {
                const secret = access[i].secret;
                return {
                    databaseUser: c.databaseUser,
                    description: `Database user ${c.databaseUser} of consumer ${c.name}`,
                    ...(secret ? { secret: { arn: secret.arn, keyArn: secret.keyArn } } : {}),
                };
            }),
            idleClientTimeoutSeconds: config.proxy.idleClientTimeoutSeconds,
            maxConnectionsPercent: config.proxy.maxConnectionsPercent,
            connectionBorrowTimeoutSeconds: config.proxy.connectionBorrowTimeoutSeconds,
            readOnlyEndpoint: config.proxy.readOnlyEndpoint,
            proxyName: config.proxy.name,
        },
        // The proxy can only target the cluster once its instances exist.
        { provider, dependsOn: [...database.ready] },
    );
    resolveProxyArn(proxy.proxy.arn);
    resolveProxyRoleArn(proxy.role.arn);
    const consumers: pulumi.Output<ConsumerAuth[]> = pulumi.all(
        config.consumers.map((c, i) =>
            access[i].reference.apply((reference): ConsumerAuth => ({
                accountId: c.accountId,
                databaseUser: c.databaseUser,
                ...reference,
            })),
        ),
    );

    const endpoints = new AwsApiEndpoints(
        `${stack}-api`,
        {
            region: config.region,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            services: apiServices,
            reuse,
            ...(apiServices.includes("dynamodb") ? { routeTableIds: network.routeTableIds() } : {}),
        },
        { provider },
    );

    // Every consumer's database user, created and converged at `pulumi up` from inside the VPC; a consumer removed
    // from config has its user locked, never dropped.
    const users = new DatabaseUsers(
        `${stack}-users`,
        {
            engine,
            applicationAuth: auth,
            database: config.database.databaseName,
            users: config.consumers.map((c, i) => ({
                name: c.databaseUser,
                databaseRole: c.databaseRole,
                ...(c.adopt ? { adopt: true } : {}),
                // The version, not only the secret: a new password (a replaced RandomPassword) is a new version,
                // which changes the Invocation's input, so the bootstrap sets it in the database too.
                ...(access[i].secret
                    ? { secretArn: access[i].secret?.arn, secretVersionId: access[i].secret?.versionId }
                    : {}),
            })),
            region: config.region,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            clusterEndpoint: database.writerEndpoint,
            clusterPort: database.port,
            clusterSecurityGroupId: database.securityGroupId,
            masterSecretArn: database.masterSecretArn,
            secretsManagerClientSecurityGroupId: endpoints.secretsManagerClientSecurityGroup!.id,
            kmsKeyArns: database.masterSecretKeyArn ? [database.masterSecretKeyArn] : [],
            userSecretScope: scope,
        },
        // Its first run needs the writer and the Secrets Manager endpoint.
        { provider, dependsOn: [endpoints, ...database.ready] },
    );

    const published = publisher.publish({ stack, config, network, provider, proxy, apis: endpoints });
    // The path's alarms and dashboard (docs/alarms.md), unless alarms.enabled is false.
    const monitoring = databasePathMonitoring(
        config.alarms,
        { name: stack, accountId: config.accountId, region: config.region, provider },
        { ...published.monitored, proxyName: proxy.proxyName, readOnly: config.proxy.readOnlyEndpoint },
    );

    // An Aurora DSQL cluster beside the Aurora path, when `dsql.enabled` (docs/dsql.md).
    const dsql = publishDsql(stack, config, provider);

    const contract = pulumi
        .all([
            published.contract,
            proxy.endpoint,
            proxy.readOnlyAlias,
            proxy.readOnlyEndpoint,
            consumers,
            dsql?.contract,
        ])
        .apply(
            ([
                connectivity,
                proxyEndpoint,
                readOnlyAlias,
                readOnlyProxyEndpoint,
                consumerAuth,
                dsqlContract,
            ]) => {
                const built: Contract = {
                    // Version 1 when nothing needs 2: the PrivateLink path without DSQL, which consumers of every release
                    // read. The Lattice path and a DSQL cluster need version 2, which an earlier consumer refuses.
                    version: connectivity.kind === "privatelink-nlb" && dsqlContract === undefined ? 1 : 2,
                    producerAccountId: config.accountId,
                    region: config.region,
                    engine,
                    // What consumers dial: the proxy's port (the database's own may differ; the proxy connects to it).
                    port: proxy.port,
                    proxyEndpoint,
                    // Clients dial the alias (covered by the certificate); IAM tokens are signed for the real name.
                    ...(readOnlyAlias !== undefined && readOnlyProxyEndpoint !== undefined
                        ? { readOnlyEndpoint: readOnlyAlias, readOnlyProxyEndpoint }
                        : {}),
                    idleTimeoutSeconds: config.proxy.idleClientTimeoutSeconds,
                    databaseName: config.database.databaseName,
                    consumers: consumerAuth,
                    tls: { sslmode: "verify-full" as const },
                    connectivity,
                    ...(dsqlContract !== undefined ? { dsql: dsqlContract } : {}),
                };
                // Checked with the consumers' own rules: a defect here fails this stack, not theirs.
                return checkExportedContract(built);
            },
        );

    return {
        contract,
        [database.target.kind === "cluster" ? "clusterIdentifier" : "instanceIdentifier"]:
            database.target.identifier,
        masterSecretArn: database.masterSecretArn,
        // For operators: who logs in as whom (no secret; the secrets' and roles' ARNs are in the contract).
        databaseUsers: config.consumers.map((c) => ({
            consumer: c.name,
            accountId: c.accountId,
            databaseUser: c.databaseUser,
            databaseRole: c.databaseRole ?? null,
            auth,
        })),
        proxyName: proxy.proxyName,
        proxyEndpoint: proxy.endpoint,
        ...published.outputs,
        ...dsql?.outputs,
        bootstrapFunctionName: users.functionName,
        vpcId: network.vpcId,
        ...monitoring,
    };
}

/**
 * The stack's config, complete: for an existing database, after RDS has been asked about it and what it reports has
 * been checked (./db-account/existing-checks.ts). Every problem stops the stack here, before any resource exists.
 */
async function readConfig(problems: Problems): Promise<DbAccountConfig> {
    const draft = problems.settle(readDbAccountDraft(problems));
    let facts: ExistingDatabaseFacts | undefined;
    if (draft.existing) {
        const form = formOf(draft.existing);
        const lookup = databaseLookup(rdsDatabaseLookup);
        const found = await lookup({
            form,
            region: draft.region,
            accountId: draft.raw.accountId,
            ...(draft.raw.assumeRoleArn !== undefined ? { assumeRoleArn: draft.raw.assumeRoleArn } : {}),
        });
        if ("refused" in found) {
            const { key, value, why, fix } = found.refused;
            problems.reject(key, value, why, fix);
        } else {
            facts = found.facts;
            const verdict = checkExistingDatabase(form, facts, {
                stackName: problems.stackName,
                region: draft.region,
                network: draft.raw.network,
                applicationAuth: draft.raw.applicationAuth ?? DEFAULT_ACCESS_KIND,
            });
            for (const p of verdict.problems) problems.add(p);
            for (const w of verdict.warnings) void pulumi.log.warn(w);
        }
    }
    return problems.settle(completeDbAccountConfig(draft, problems, facts));
}
