/**
 * The db-account (producer) stack: Aurora behind RDS Proxy, published over PrivateLink to the consumer accounts
 * listed in config. Reads and validates all config, checks the network, then creates resources; any problem
 * stops it before the first AWS resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConsumerAccess } from "../components/access";
import { DatabaseUsers } from "../components/bootstrap";
import { AuroraCluster } from "../components/database";
import { AwsApiEndpoints } from "../components/network";
import { RdsProxy } from "../components/proxy";
import { EndpointService, PublishedPort } from "../components/publication";
import { TargetSync } from "../components/target-sync";
import { readDbAccountConfig } from "./config/db-account";
import { Problems } from "./config/read";
import { CONTRACT_VERSION, ConsumerAuth, ContractV1, enginePort } from "../vocabulary";
import { planNetwork, realizeNetwork } from "./network";
import { checkExportedContract } from "./exported-contract";
import { accessComponentName, publicationComponentName } from "./names";
import { accountProvider } from "./provider";

export async function dbAccount(): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const problems = new Problems(stack);
    const config = readDbAccountConfig(problems);
    problems.throwIfAny();
    if (!config) throw new Error("unreachable: config without problems must be complete");

    const provider = accountProvider(stack, config);
    const principals = config.consumers.flatMap((c) => c.principals);
    const plan = await planNetwork(config.network, provider, problems, {
        onePerAz: "a load balancer",
        twoAzsBecause: "RDS Proxy needs subnets in at least two AZs",
        // Always: the database-user bootstrap reads its secrets through a Secrets Manager endpoint with private
        // DNS, and in dns mode the sync reaches ELB and DynamoDB through endpoints too.
        apiEndpoints: {
            needs:
                config.targetSync.source === "dns"
                    ? "the VPC endpoints with private DNS that the database-user bootstrap and the proxy IP sync's dns source use from inside the VPC"
                    : "the Secrets Manager endpoint with private DNS that the database-user bootstrap uses from inside the VPC",
            otherwise: "set 'network.vpcId' in {file} to a VPC that has them",
            theVpc: "the database's VPC",
        },
        // The DynamoDB gateway endpoint (dns source) routes from exactly the subnets' route tables.
        routeTables: config.targetSync.source === "dns",
    });
    problems.throwIfAny();
    if (!plan) throw new Error("unreachable: network plan without problems must exist");

    const network = realizeNetwork(stack, plan, provider);
    const engine = config.database.engine;
    const port = enginePort(engine);

    const database = new AuroraCluster(
        `${stack}-aurora`,
        {
            engine,
            engineVersion: config.database.engineVersion,
            instanceClass: config.database.instanceClass,
            readers: config.database.readers,
            databaseName: config.database.databaseName,
            deletionProtection: config.database.deletionProtection,
            backupRetentionDays: config.database.backupRetentionDays,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
        },
        { provider },
    );

    // One way in per consumer, as its access mode defines it. Access and proxy refer to each other (a connect role
    // may connect only through the proxy; the proxy serves the secrets and its role decrypts them), so the accesses
    // are created first with the proxy's ARNs as deferred outputs, resolved once the proxy exists.
    const auth = config.applicationAuth;
    const [proxyArn, resolveProxyArn] = pulumi.deferredOutput<string>();
    const [proxyRoleArn, resolveProxyRoleArn] = pulumi.deferredOutput<string>();
    const access = config.consumers.map(
        (c) =>
            new ConsumerAccess(
                accessComponentName(stack, c.name),
                {
                    applicationAuth: auth,
                    region: config.region,
                    accountId: config.accountId,
                    principals: c.principals,
                    databaseUser: c.databaseUser,
                    proxy: { arn: proxyArn, roleArn: proxyRoleArn },
                },
                { provider },
            ),
    );

    const proxy = new RdsProxy(
        `${stack}-proxy`,
        {
            engine,
            region: config.region,
            accountId: config.accountId,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            clusterIdentifier: database.cluster.clusterIdentifier,
            clusterResourceId: database.clusterResourceId,
            databaseSecurityGroupId: database.securityGroup.id,
            applicationAuth: auth,
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
        },
        // The proxy can only target the cluster once its instances exist.
        { provider, dependsOn: database.instances },
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

    const ports: PublishedPort[] = [{ key: "rw", listenerPort: port, targetPort: port }];
    if (config.proxy.readOnlyPort !== undefined) {
        ports.push({ key: "ro", listenerPort: config.proxy.readOnlyPort, targetPort: port });
    }
    const publication = new EndpointService(
        publicationComponentName(stack),
        {
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            ports,
            targetSecurityGroupId: proxy.securityGroup.id,
            allowedPrincipals: principals,
            acceptanceRequired: config.endpointService.acceptanceRequired,
            supportedRegions: config.endpointService.supportedRegions,
        },
        { provider },
    );

    // The isolated VPC reaches AWS APIs only through endpoints: Secrets Manager for the database-user bootstrap
    // always; in dns mode also ELB and DynamoDB for the sync Lambda, which resolves the proxy inside the VPC.
    const source = config.targetSync.source;
    const endpoints = new AwsApiEndpoints(
        `${stack}-api`,
        {
            region: config.region,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            ...(source === "dns"
                ? {
                      services: ["elasticloadbalancing", "dynamodb", "secretsmanager"] as const,
                      routeTableIds: network.routeTableIds(),
                  }
                : { services: ["secretsmanager"] as const }),
        },
        { provider },
    );
    const inVpc =
        source === "dns"
            ? {
                  subnetIds: network.subnetIds,
                  securityGroupId: endpoints.clientSecurityGroup.id,
                  apis: endpoints,
              }
            : undefined;

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
                // The version, not only the secret: a new password (a replaced RandomPassword) is a new version,
                // which changes the Invocation's input, so the bootstrap sets it in the database too.
                ...(access[i].secret
                    ? { secretArn: access[i].secret?.arn, secretVersionId: access[i].secret?.versionId }
                    : {}),
            })),
            region: config.region,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            clusterEndpoint: database.cluster.endpoint,
            clusterPort: port,
            clusterSecurityGroupId: database.securityGroup.id,
            masterSecretArn: database.masterSecretArn,
            secretsManagerClientSecurityGroupId: endpoints.secretsManagerClientSecurityGroup!.id,
            kmsKeyArns: [database.key.arn, ...access.flatMap((a) => (a.secret ? [a.secret.keyArn] : []))],
        },
        // Its first run needs the writer and the Secrets Manager endpoint.
        { provider, dependsOn: [endpoints, ...database.instances] },
    );

    // Keep each target group filled with its endpoint's IPs: at `pulumi up` and on a schedule in between.
    const syncs: Record<string, TargetSync> = {};
    const endpointsByKey: Record<string, pulumi.Output<string> | undefined> = {
        rw: proxy.endpoint,
        ro: proxy.readOnlyEndpoint,
    };
    for (const { key } of ports) {
        const endpoint = endpointsByKey[key];
        if (!endpoint) throw new Error(`unreachable: no proxy endpoint for published port "${key}"`);
        syncs[key] = new TargetSync(
            `${stack}-sync-${key}`,
            {
                targetGroupArn: publication.targetGroups[key].arn,
                proxyName: proxy.proxyName,
                proxyEndpoint: endpoint,
                port,
                vpcId: network.vpcId,
                // Only the proxy's own addresses are registered: inside its subnets, from its interfaces.
                proxySubnetIds: network.subnetIds,
                proxySecurityGroupIds: [proxy.securityGroup.id],
                source,
                schedule: config.targetSync.schedule,
                missesBeforeDeregister: config.targetSync.missesBeforeDeregister,
                region: config.region,
                assumeRoleArn: config.assumeRoleArn,
                subnetIds: inVpc?.subnetIds,
                securityGroupId: inVpc?.securityGroupId,
                // The in-VPC sync reaches the ELB and DynamoDB APIs only through these endpoints.
                scheduleDependsOn: inVpc ? [inVpc.apis] : undefined,
            },
            { provider },
        );
    }

    const contract: pulumi.Output<ContractV1> = pulumi
        .all([
            publication.serviceName,
            proxy.endpoint,
            proxy.readOnlyAlias,
            proxy.readOnlyEndpoint,
            consumers,
        ])
        .apply(([endpointServiceName, proxyEndpoint, readOnlyAlias, readOnlyProxyEndpoint, consumerAuth]) =>
            // Checked with the consumers' own rules: a defect here fails this stack, not theirs.
            checkExportedContract({
                version: CONTRACT_VERSION as 1,
                region: config.region,
                engine,
                port,
                endpointServiceName,
                availabilityZoneIds: [...network.azIds],
                proxyEndpoint,
                // Clients dial the alias (covered by the certificate); IAM tokens are signed for the real name.
                ...(readOnlyAlias !== undefined &&
                readOnlyProxyEndpoint !== undefined &&
                config.proxy.readOnlyPort !== undefined
                    ? {
                          readOnlyEndpoint: readOnlyAlias,
                          readOnlyPort: config.proxy.readOnlyPort,
                          readOnlyProxyEndpoint,
                      }
                    : {}),
                idleTimeoutSeconds: config.proxy.idleClientTimeoutSeconds,
                databaseName: config.database.databaseName,
                consumers: consumerAuth,
                tls: { sslmode: "verify-full" as const },
            }),
        );

    return {
        contract,
        clusterIdentifier: database.cluster.clusterIdentifier,
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
        loadBalancerArn: publication.loadBalancer.arn,
        targetGroupArn: publication.targetGroups.rw.arn,
        readOnlyTargetGroupArn: publication.targetGroups.ro?.arn,
        endpointServiceId: publication.service.id,
        syncFunctionNames: pulumi.all(Object.values(syncs).map((sync) => sync.functionName)),
        bootstrapFunctionName: users.functionName,
        vpcId: network.vpcId,
    };
}
