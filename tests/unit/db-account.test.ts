/**
 * The db-account stack's resource graph under mocks: exact types, counts, names, security-relevant inputs,
 * providers, parents and the contract output, for PostgreSQL and MySQL, new and existing VPCs, one and many
 * consumers.
 *
 * What these tests cannot prove: that AWS accepts the inputs (engine versions, instance classes, API limits),
 * what AWS computes (endpoints, the managed secret, subnet placement by awsx), or IAM evaluation. The awsx
 * VPC is a multi-language component: only its inputs are visible here, not the subnets it creates.
 */
import * as assert from "assert";
import { ConfigError } from "../../stacks/config/kit";
import {
    awsCalls,
    dbAccountState,
    exampleConfig,
    newVpcRouteTableIds,
    newVpcSubnetIds,
} from "../support/fixtures";
import { contractV1Schema } from "../../vocabulary";
import { ofType, parentType, providerName, runStack, single, StackRun } from "../../tools/recording/harness";

const base: Record<string, unknown> = {
    accountId: "111111111111",
    network: { cidrBlock: "10.20.0.0/16", azCount: 3 },
    consumers: [{ name: "app", accountId: "222222222222" }],
};

/** Real-shaped IDs of the authentication resources (the shared state's placeholders are not ARNs of their kind). */
const PROXY_ARN = "arn:aws:rds:eu-west-1:111111111111:db-proxy:prx-0123456789abcdef0";
const CLUSTER_RESOURCE_ID = "cluster-ABCDEFGHIJKL01234";
const TEST_PASSWORD = "Zx8#kLq2!vW9$mRt4&pN-not-a-real-one";
/** The scope of this project's db-account stack: the tag value by which its roles read its secrets. */
const SCOPE = "rds-cross-account/db-account";
const keyIds: string[] = [];
function state(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const computed = dbAccountState(type, name, inputs);
    switch (type) {
        case "aws:rds/proxy:Proxy":
            return { ...computed, arn: PROXY_ARN };
        case "aws:rds/cluster:Cluster":
            return { ...computed, clusterResourceId: CLUSTER_RESOURCE_ID };
        case "aws:iam/role:Role":
            return name.includes("-access-") ? { arn: `arn:aws:iam::111111111111:role/${name}` } : computed;
        case "aws:kms/key:Key": {
            if (!name.includes("-access-")) return computed;
            if (!keyIds.includes(name)) keyIds.push(name);
            const n = String(keyIds.indexOf(name) + 1).padStart(12, "0");
            return { arn: `arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-4000-8000-${n}` };
        }
        case "aws:secretsmanager/secret:Secret":
            return { arn: `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${name}-AbCdEf` };
        case "random:index/randomPassword:RandomPassword":
            return { result: TEST_PASSWORD };
        default:
            return computed;
    }
}

function run(config: Record<string, unknown>, preview = false): Promise<StackRun> {
    return runStack({ stack: "db-account", config, calls: awsCalls(), state, preview });
}

function named(r: StackRun, type: string, name: string) {
    const found = ofType(r, type).filter((x) => x.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type} named ${name}`);
    return found[0];
}

/** Security groups and rules of the database path (the sync's API endpoints have their own, tested apart). */
const databasePath = (x: { name: string }) =>
    !x.name.startsWith("db-account-api-") && !x.name.startsWith("db-account-users-");

function typeCounts(r: StackRun): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const res of r.resources) counts[res.type] = (counts[res.type] ?? 0) + 1;
    return counts;
}

const existingNetwork = {
    vpcId: "vpc-0a000000000000001",
    subnetIds: ["subnet-0a000000000000001", "subnet-0a000000000000002"],
};

describe("db-account stack", function () {
    this.timeout(60000);

    describe("PostgreSQL in a new VPC (the example config)", () => {
        let r: StackRun;
        before(async () => {
            const { config, extra } = exampleConfig("db-account");
            r = await runStack({
                stack: "db-account",
                config,
                extraConfig: extra,
                calls: awsCalls(),
                state,
            });
            assert.strictEqual(r.error, undefined, String(r.error));
        });

        it("creates exactly these resources", () => {
            assert.deepStrictEqual(typeCounts(r), {
                "pulumi:providers:aws": 1,
                "awsx:ec2:Vpc": 1,
                "rds-cross-account:database:AuroraCluster": 1,
                "rds-cross-account:proxy:RdsProxy": 1,
                "rds-cross-account:publication:EndpointService": 1,
                // One connect role (with its policy) per consumer, in iam mode.
                "rds-cross-account:access:ConsumerAccess": 1,
                // The cluster's, and the alarm topic's.
                "aws:kms/key:Key": 2,
                "aws:rds/subnetGroup:SubnetGroup": 1,
                // NLB, proxy, cluster; the API endpoints' two; the Secrets Manager endpoint's two; the bootstrap's.
                "aws:ec2/securityGroup:SecurityGroup": 8,
                "aws:rds/clusterParameterGroup:ClusterParameterGroup": 1,
                "random:index/randomId:RandomId": 1,
                "aws:rds/cluster:Cluster": 1,
                "aws:rds/clusterInstance:ClusterInstance": 2,
                "aws:iam/role:Role": 5,
                "aws:iam/rolePolicy:RolePolicy": 5,
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 6,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 5,
                "aws:rds/proxy:Proxy": 1,
                "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": 1,
                "aws:rds/proxyTarget:ProxyTarget": 1,
                "aws:rds/proxyEndpoint:ProxyEndpoint": 1,
                "aws:lb/loadBalancer:LoadBalancer": 1,
                "aws:lb/targetGroup:TargetGroup": 2,
                "aws:lb/listener:Listener": 2,
                "aws:ec2/vpcEndpointService:VpcEndpointService": 1,
                // The read-only endpoint makes the sync use DNS, from inside the VPC, through API endpoints.
                "rds-cross-account:network:AwsApiEndpoints": 1,
                // ELB and DynamoDB for the sync, Secrets Manager for the database-user bootstrap.
                "aws:ec2/vpcEndpoint:VpcEndpoint": 3,
                // The bootstrap: its Lambda (with role, policy, logs and security group) and the Invocation.
                "rds-cross-account:bootstrap:DatabaseUsers": 1,
                "aws:lambda/invocation:Invocation": 1,
                // One sync per target group (see tests/unit/target-sync-component.test.ts for what each contains).
                "rds-cross-account:target-sync:TargetSync": 2,
                "pulumi-nodejs:dynamic/target-sync:TargetRegistration": 2,
                "aws:dynamodb/table:Table": 2,
                "aws:cloudwatch/logGroup:LogGroup": 3,
                "aws:lambda/function:Function": 3,
                "aws:lambda/permission:Permission": 2,
                "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": 2,
                "aws:cloudwatch/eventRule:EventRule": 2,
                "aws:cloudwatch/eventTarget:EventTarget": 2,
                // The path's alarms and dashboard, and the topic they notify (tests/unit/alarms.test.ts): resets in
                // 3 AZs, 2 per target group, 2 proxy roles, auth failures, pool, 2 per sync.
                "rds-cross-account:monitoring:DatabasePathAlarms": 1,
                "aws:cloudwatch/metricAlarm:MetricAlarm": 15,
                "aws:cloudwatch/dashboard:Dashboard": 1,
                "rds-cross-account:monitoring:AlarmTopic": 1,
                "aws:sns/topic:Topic": 1,
                "aws:sns/topicPolicy:TopicPolicy": 1,
            });
            // Counted with the sync's, the connect role's, the bootstrap's and the endpoints' own roles, policies and
            // security groups:
            assert.strictEqual(ofType(r, "aws:iam/role:Role").length, 5);
            assert.strictEqual(ofType(r, "aws:iam/rolePolicy:RolePolicy").length, 5);
            assert.strictEqual(ofType(r, "aws:ec2/securityGroup:SecurityGroup").length, 8);
        });

        it("pins every AWS resource to the one explicit provider, which allows only the stack's account", () => {
            const provider = single(r, "pulumi:providers:aws");
            assert.strictEqual(provider.name, "db-account-aws");
            assert.strictEqual(provider.inputs.region, "eu-west-1");
            assert.deepStrictEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), ["111111111111"]);
            assert.strictEqual(provider.inputs.assumeRoles, undefined);
            const aws = r.resources.filter((x) => x.custom && x.type.startsWith("aws:"));
            assert.ok(aws.length > 20);
            for (const res of aws)
                assert.strictEqual(providerName(res), "db-account-aws", `${res.type} ${res.name}`);
            for (const call of r.calls) assert.strictEqual(providerName(call), "db-account-aws", call.token);
        });

        it("builds the VPC with isolated subnets only, no NAT, in the first three AZs by name", () => {
            const vpc = single(r, "awsx:ec2:Vpc");
            assert.deepStrictEqual(vpc.inputs, {
                cidrBlock: "10.20.0.0/16",
                availabilityZoneNames: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
                enableDnsHostnames: true,
                enableDnsSupport: true,
                subnetStrategy: "Auto",
                subnetSpecs: [{ type: "Isolated", name: "isolated" }],
                natGateways: { strategy: "None" },
            });
        });

        it("encrypts the cluster with its own key and lets RDS manage the master password", () => {
            const cluster = single(r, "aws:rds/cluster:Cluster");
            const key = named(r, "aws:kms/key:Key", "db-account-aurora-key");
            const keyArn = key.state.arn;
            assert.match(String(keyArn), /^arn:aws:kms:eu-west-1:111111111111:key\/[0-9a-f-]{36}$/);
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(cluster.name, "db-account-aurora-cluster");
            assert.strictEqual(parentType(cluster), "rds-cross-account:database:AuroraCluster");
            assert.strictEqual(cluster.inputs.storageEncrypted, true);
            assert.strictEqual(cluster.inputs.kmsKeyId, keyArn);
            assert.strictEqual(cluster.inputs.manageMasterUserPassword, true);
            assert.strictEqual(cluster.inputs.masterUserSecretKmsKeyId, keyArn);
            assert.strictEqual(cluster.inputs.masterPassword, undefined);
            assert.strictEqual(cluster.inputs.masterPasswordWo, undefined);
            assert.strictEqual(cluster.inputs.deletionProtection, true);
            assert.strictEqual(cluster.inputs.backupRetentionPeriod, 7);
            assert.strictEqual(cluster.inputs.skipFinalSnapshot, false);
            assert.strictEqual(cluster.inputs.finalSnapshotIdentifier, "db-account-aurora-final-a1b2c3d4");
            assert.strictEqual(cluster.inputs.engine, "aurora-postgresql");
            assert.strictEqual(cluster.inputs.engineVersion, "16.6");
            assert.strictEqual(cluster.inputs.port, 5432);
            assert.strictEqual(cluster.inputs.dbClusterParameterGroupName, "db-account-aurora-params");
            assert.strictEqual(cluster.inputs.dbSubnetGroupName, "db-account-aurora-subnets");
            assert.deepStrictEqual(cluster.inputs.vpcSecurityGroupIds, ["db-account-aurora-sg-id"]);
        });

        it("forces TLS in the cluster parameter group", () => {
            const params = single(r, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
            assert.strictEqual(params.inputs.family, "aurora-postgresql16");
            assert.deepStrictEqual(params.inputs.parameters, [
                { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
            ]);
        });

        it("creates one writer and one reader, none publicly accessible", () => {
            const instances = ofType(r, "aws:rds/clusterInstance:ClusterInstance");
            assert.deepStrictEqual(
                instances.map((i) => [i.name, i.inputs.publiclyAccessible, i.inputs.promotionTier]),
                [
                    ["db-account-aurora-writer", false, 0],
                    ["db-account-aurora-reader-1", false, 1],
                ],
            );
            for (const i of instances) {
                assert.strictEqual(i.inputs.instanceClass, "db.r6g.large");
                // Versions change only through config; an automatic upgrade would make the next up a downgrade.
                assert.strictEqual(i.inputs.autoMinorVersionUpgrade, false);
            }
        });

        it("turns IAM database authentication on for the cluster", () => {
            const cluster = single(r, "aws:rds/cluster:Cluster");
            assert.strictEqual(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
        });

        it("runs the proxy with TLS required, end-to-end IAM auth (no secret at all) and the configured pool", () => {
            const proxy = single(r, "aws:rds/proxy:Proxy");
            assert.strictEqual(proxy.name, "db-account-proxy");
            assert.strictEqual(proxy.inputs.requireTls, true);
            assert.strictEqual(proxy.inputs.engineFamily, "POSTGRESQL");
            assert.strictEqual(proxy.inputs.idleClientTimeout, 300);
            assert.deepStrictEqual(proxy.inputs.vpcSubnetIds, newVpcSubnetIds);
            assert.deepStrictEqual(proxy.inputs.vpcSecurityGroupIds, ["db-account-proxy-sg-id"]);
            assert.strictEqual(proxy.inputs.roleArn, "arn:aws:iam::111111111111:role/db-account-proxy-role");
            // IAM_AUTH: clients and the proxy both use IAM; the master secret is the bootstrap's alone.
            assert.strictEqual(proxy.inputs.defaultAuthScheme, "IAM_AUTH");
            assert.strictEqual(proxy.inputs.auths, undefined);
            const pool = single(r, "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup");
            assert.deepStrictEqual(pool.inputs.connectionPoolConfig, {
                maxConnectionsPercent: 90,
                connectionBorrowTimeout: 120,
            });
            const target = single(r, "aws:rds/proxyTarget:ProxyTarget");
            assert.strictEqual(target.inputs.dbClusterIdentifier, "db-account-aurora-cluster-4f2a");
            assert.strictEqual(target.inputs.dbProxyName, "db-account-proxy");
            const ro = single(r, "aws:rds/proxyEndpoint:ProxyEndpoint");
            assert.strictEqual(ro.inputs.targetRole, "READ_ONLY");
            assert.strictEqual(ro.inputs.dbProxyEndpointName, "db-account-proxy-ro");
            assert.deepStrictEqual(ro.inputs.vpcSecurityGroupIds, ["db-account-proxy-sg-id"]);
        });

        it("lets the proxy's role connect as the users of this stack's cluster only, in one ARN", () => {
            const role = named(r, "aws:iam/role:Role", "db-account-proxy-role");
            assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "rds.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ],
            });
            const policies = ofType(r, "aws:iam/rolePolicy:RolePolicy").filter(
                (p) => p.inputs.role === "db-account-proxy-role-id",
            );
            assert.deepStrictEqual(
                policies.map((p) => p.name),
                ["db-account-proxy-database-connect"],
            );
            assert.deepStrictEqual(JSON.parse(String(policies[0].inputs.policy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ConnectAsTheClustersUsers",
                        Effect: "Allow",
                        Action: "rds-db:connect",
                        Resource: "arn:aws:rds-db:eu-west-1:111111111111:dbuser:cluster-ABCDEFGHIJKL01234/*",
                    },
                ],
            });
        });

        it("gives the consumer a connect role trusted by exactly its principals, allowed only its user on the proxy", () => {
            const access = single(r, "rds-cross-account:access:ConsumerAccess");
            assert.strictEqual(access.name, "db-account-access-app");
            const role = named(r, "aws:iam/role:Role", "db-account-access-app-connect");
            assert.strictEqual(parentType(role), "rds-cross-account:access:ConsumerAccess");
            assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ConsumerPrincipalsAssume",
                        Effect: "Allow",
                        // The example lists the account root as the consumer's principal, so that is what is trusted.
                        Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
                        Action: "sts:AssumeRole",
                    },
                ],
            });
            const policy = named(r, "aws:iam/rolePolicy:RolePolicy", "db-account-access-app-connect-policy");
            assert.strictEqual(policy.inputs.role, "db-account-access-app-connect-id");
            assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ConnectAsConsumerUser",
                        Effect: "Allow",
                        Action: "rds-db:connect",
                        Resource: "arn:aws:rds-db:eu-west-1:111111111111:dbuser:prx-0123456789abcdef0/app",
                    },
                ],
            });
            // No secret, key or password in iam mode.
            assert.deepStrictEqual(ofType(r, "aws:secretsmanager/secret:Secret"), []);
            assert.deepStrictEqual(ofType(r, "random:index/randomPassword:RandomPassword"), []);
        });

        it("chains security groups NLB → proxy → cluster on the engine port only, with no CIDR anywhere", () => {
            const groups = ofType(r, "aws:ec2/securityGroup:SecurityGroup").filter(databasePath);
            assert.strictEqual(groups.length, 3);
            for (const g of groups) {
                assert.strictEqual(g.inputs.ingress, undefined, `${g.name} must have no inline rules`);
                assert.strictEqual(g.inputs.egress, undefined, `${g.name} must have no inline rules`);
                assert.strictEqual(g.inputs.vpcId, "vpc-0c000000000000001");
            }
            const rules = [
                ...ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                    .filter(databasePath)
                    .map((x) => ["in", x] as const),
                ...ofType(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
                    .filter(databasePath)
                    .map((x) => ["out", x] as const),
            ];
            const summary = rules
                .map(([dir, x]) => ({
                    dir,
                    on: x.inputs.securityGroupId,
                    peer: x.inputs.referencedSecurityGroupId,
                    ports: `${x.inputs.ipProtocol}/${x.inputs.fromPort}-${x.inputs.toPort}`,
                    cidr: x.inputs.cidrIpv4 ?? x.inputs.cidrIpv6 ?? null,
                    described: typeof x.inputs.description === "string" && x.inputs.description.length > 0,
                }))
                .sort((a, b) => `${a.dir}${a.on}`.localeCompare(`${b.dir}${b.on}`));
            assert.deepStrictEqual(summary, [
                {
                    dir: "in",
                    on: "db-account-aurora-sg-id",
                    peer: "db-account-proxy-sg-id",
                    ports: "tcp/5432-5432",
                    cidr: null,
                    described: true,
                },
                {
                    dir: "in",
                    on: "db-account-proxy-sg-id",
                    peer: "db-account-link-nlb-sg-id",
                    ports: "tcp/5432-5432",
                    cidr: null,
                    described: true,
                },
                {
                    dir: "out",
                    on: "db-account-link-nlb-sg-id",
                    peer: "db-account-proxy-sg-id",
                    ports: "tcp/5432-5432",
                    cidr: null,
                    described: true,
                },
                {
                    dir: "out",
                    on: "db-account-proxy-sg-id",
                    peer: "db-account-aurora-sg-id",
                    ports: "tcp/5432-5432",
                    cidr: null,
                    described: true,
                },
            ]);
        });

        it("publishes through an internal NLB that only takes PrivateLink traffic, with empty IP target groups", () => {
            const nlb = single(r, "aws:lb/loadBalancer:LoadBalancer");
            assert.strictEqual(nlb.inputs.loadBalancerType, "network");
            assert.strictEqual(nlb.inputs.internal, true);
            assert.strictEqual(nlb.inputs.enableCrossZoneLoadBalancing, true);
            assert.strictEqual(nlb.inputs.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic, "off");
            assert.deepStrictEqual(nlb.inputs.securityGroups, ["db-account-link-nlb-sg-id"]);
            assert.deepStrictEqual(nlb.inputs.subnets, newVpcSubnetIds);
            const groups = ofType(r, "aws:lb/targetGroup:TargetGroup");
            assert.deepStrictEqual(
                groups.map((g) => [g.name, g.inputs.targetType, g.inputs.protocol, g.inputs.port]),
                [
                    ["db-account-link-rw", "ip", "TCP", 5432],
                    ["db-account-link-ro", "ip", "TCP", 5432],
                ],
            );
            for (const g of groups) {
                assert.strictEqual(g.inputs.deregistrationDelay, 30);
                assert.strictEqual(g.inputs.connectionTermination, true);
                assert.deepStrictEqual(g.inputs.healthCheck, {
                    protocol: "TCP",
                    port: "traffic-port",
                    interval: 10,
                    healthyThreshold: 3,
                    unhealthyThreshold: 3,
                });
            }
            // The target groups start empty: nothing in this stack registers a target.
            assert.deepStrictEqual(ofType(r, "aws:lb/targetGroupAttachment:TargetGroupAttachment"), []);
            const listeners = ofType(r, "aws:lb/listener:Listener");
            assert.deepStrictEqual(
                listeners.map((l) => [l.inputs.port, l.inputs.protocol, l.inputs.defaultActions]),
                [
                    [
                        5432,
                        "TCP",
                        [
                            {
                                type: "forward",
                                targetGroupArn: "arn:aws:lb:eu-west-1:111111111111:db-account-link-rw",
                            },
                        ],
                    ],
                    [
                        5433,
                        "TCP",
                        [
                            {
                                type: "forward",
                                targetGroupArn: "arn:aws:lb:eu-west-1:111111111111:db-account-link-ro",
                            },
                        ],
                    ],
                ],
            );
            // The path's idle limit is the listeners' too, and the proxy closes idle clients 50 s before it.
            assert.deepStrictEqual(
                listeners.map((l) => l.inputs.tcpIdleTimeoutSeconds),
                [350, 350],
            );
            assert.ok(
                (single(r, "aws:rds/proxy:Proxy").inputs.idleClientTimeout as number) < 350,
                "the proxy must close idle clients before the path drops them",
            );
        });

        it("allows exactly the consumer's principals on the endpoint service", () => {
            const service = single(r, "aws:ec2/vpcEndpointService:VpcEndpointService");
            assert.deepStrictEqual(service.inputs.allowedPrincipals, ["arn:aws:iam::222222222222:root"]);
            assert.strictEqual(service.inputs.acceptanceRequired, false);
            assert.deepStrictEqual(service.inputs.networkLoadBalancerArns, [
                "arn:aws:lb:eu-west-1:111111111111:db-account-link-nlb",
            ]);
            assert.strictEqual(service.inputs.supportedRegions, undefined);
        });

        it("syncs each target group with its own endpoint's hostname, over DNS, from inside the VPC", () => {
            const registrations = ofType(r, "pulumi-nodejs:dynamic/target-sync:TargetRegistration");
            assert.deepStrictEqual(
                registrations.map((x) => [
                    x.name,
                    parentType(x),
                    x.inputs.targetGroupArn,
                    x.inputs.proxyEndpoint,
                    x.inputs.source,
                    x.inputs.port,
                    x.inputs.missesBeforeDeregister,
                    x.inputs.region,
                ]),
                [
                    [
                        "db-account-sync-rw-registration",
                        "rds-cross-account:target-sync:TargetSync",
                        "arn:aws:lb:eu-west-1:111111111111:db-account-link-rw",
                        "db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                        "dns",
                        5432,
                        3,
                        "eu-west-1",
                    ],
                    [
                        "db-account-sync-ro-registration",
                        "rds-cross-account:target-sync:TargetSync",
                        "arn:aws:lb:eu-west-1:111111111111:db-account-link-ro",
                        "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                        "dns",
                        5432,
                        3,
                        "eu-west-1",
                    ],
                ],
            );
            for (const fn of ofType(r, "aws:lambda/function:Function").filter((f) =>
                f.name.includes("-sync-"),
            )) {
                assert.deepStrictEqual(fn.inputs.vpcConfig, {
                    subnetIds: newVpcSubnetIds,
                    securityGroupIds: ["db-account-api-clients-sg-id"],
                });
            }
            for (const rule of ofType(r, "aws:cloudwatch/eventRule:EventRule")) {
                assert.strictEqual(rule.inputs.scheduleExpression, "rate(1 minute)");
            }
        });

        it("gives the in-VPC Lambdas private access to exactly the APIs they call, HTTPS only", () => {
            const endpoints = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint");
            assert.deepStrictEqual(
                endpoints
                    .map((e) => e.inputs)
                    .sort((a, b) => String(a.serviceName).localeCompare(String(b.serviceName))),
                [
                    {
                        vpcId: "vpc-0c000000000000001",
                        serviceName: "com.amazonaws.eu-west-1.dynamodb",
                        vpcEndpointType: "Gateway",
                        // The tables awsx made for the isolated subnets, read from the resources themselves.
                        routeTableIds: newVpcRouteTableIds,
                    },
                    {
                        vpcId: "vpc-0c000000000000001",
                        serviceName: "com.amazonaws.eu-west-1.elasticloadbalancing",
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: newVpcSubnetIds,
                        securityGroupIds: ["db-account-api-endpoints-sg-id"],
                    },
                    {
                        // The database-user bootstrap reads the master and users' secrets through it.
                        vpcId: "vpc-0c000000000000001",
                        serviceName: "com.amazonaws.eu-west-1.secretsmanager",
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: newVpcSubnetIds,
                        securityGroupIds: ["db-account-api-secretsmanager-sg-id"],
                    },
                ],
            );
            const rules = [
                ...ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
                ...ofType(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
            ].filter((x) => x.name.startsWith("db-account-api-"));
            assert.deepStrictEqual(
                rules
                    .map((x) => [
                        x.name,
                        x.inputs.securityGroupId,
                        x.inputs.referencedSecurityGroupId ?? x.inputs.prefixListId,
                        `${x.inputs.ipProtocol}/${x.inputs.fromPort}-${x.inputs.toPort}`,
                    ])
                    .sort(),
                [
                    [
                        "db-account-api-clients-to-dynamodb",
                        "db-account-api-clients-sg-id",
                        "pl-0dynamodb",
                        "tcp/443-443",
                    ],
                    [
                        "db-account-api-clients-to-endpoints",
                        "db-account-api-clients-sg-id",
                        "db-account-api-endpoints-sg-id",
                        "tcp/443-443",
                    ],
                    [
                        "db-account-api-endpoints-from-clients",
                        "db-account-api-endpoints-sg-id",
                        "db-account-api-clients-sg-id",
                        "tcp/443-443",
                    ],
                    [
                        "db-account-api-secretsmanager-clients-to-endpoint",
                        "db-account-api-secretsmanager-clients-sg-id",
                        "db-account-api-secretsmanager-sg-id",
                        "tcp/443-443",
                    ],
                    [
                        "db-account-api-secretsmanager-from-clients",
                        "db-account-api-secretsmanager-sg-id",
                        "db-account-api-secretsmanager-clients-sg-id",
                        "tcp/443-443",
                    ],
                ],
            );
            // A new VPC's tables come from awsx, not from a lookup that could run before they exist.
            assert.deepStrictEqual(
                r.calls.map((c) => c.token),
                // The network's plan, then the alarms' AZ names (tests/unit/alarms.test.ts).
                [
                    "aws:index/getAvailabilityZones:getAvailabilityZones",
                    "aws:index/getAvailabilityZones:getAvailabilityZones",
                ],
            );
        });

        it("runs the database-user bootstrap inside the VPC, reaching only the writer and Secrets Manager", () => {
            const users = single(r, "rds-cross-account:bootstrap:DatabaseUsers");
            assert.strictEqual(users.name, "db-account-users");
            const invocation = single(r, "aws:lambda/invocation:Invocation");
            assert.strictEqual(invocation.inputs.lifecycleScope, "CRUD");
            // The users list from config, in iam mode: no secret, no password.
            assert.deepStrictEqual(JSON.parse(String(invocation.inputs.input)), {
                engine: "aurora-postgresql",
                applicationAuth: "iam",
                database: "app",
                users: [{ name: "app" }],
            });
            const fn = ofType(r, "aws:lambda/function:Function").find(
                (f) => f.name === "db-account-users-fn",
            );
            assert.deepStrictEqual(fn?.inputs.vpcConfig, {
                subnetIds: newVpcSubnetIds,
                securityGroupIds: ["db-account-users-sg-id", "db-account-api-secretsmanager-clients-sg-id"],
            });
            const rules = [
                ...ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
                ...ofType(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
            ].filter((x) => x.name.startsWith("db-account-users-"));
            assert.deepStrictEqual(
                rules
                    .map((x) => [
                        x.inputs.securityGroupId,
                        x.inputs.referencedSecurityGroupId,
                        x.inputs.fromPort,
                    ])
                    .sort(),
                [
                    ["db-account-aurora-sg-id", "db-account-users-sg-id", 5432],
                    ["db-account-users-sg-id", "db-account-aurora-sg-id", 5432],
                ],
            );
        });

        it("exports the version-1 contract and the operator outputs, nothing secret", () => {
            assert.deepStrictEqual(r.outputs.contract, {
                version: 1,
                producerAccountId: "111111111111",
                region: "eu-west-1",
                engine: "aurora-postgresql",
                port: 5432,
                endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
                availabilityZoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"],
                proxyEndpoint: "db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                // One label under proxy-<id>, which the proxy's wildcard certificate covers ...
                readOnlyEndpoint: "db-account-proxy-ro.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                readOnlyPort: 5433,
                // ... and the endpoint's real name, which IAM tokens for it are signed for.
                readOnlyProxyEndpoint:
                    "db-account-proxy-ro.endpoint.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                idleTimeoutSeconds: 300,
                databaseName: "app",
                consumers: [
                    {
                        accountId: "222222222222",
                        databaseUser: "app",
                        auth: "iam",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-access-app-connect",
                    },
                ],
                tls: { sslmode: "verify-full" },
            });
            assert.ok(
                contractV1Schema.safeParse(r.outputs.contract).success,
                "the contract parses as version 1",
            );
            assert.deepStrictEqual(r.outputs.databaseUsers, [
                {
                    consumer: "app",
                    accountId: "222222222222",
                    databaseUser: "app",
                    databaseRole: null,
                    auth: "iam",
                },
            ]);
            assert.deepStrictEqual(Object.keys(r.outputs).sort(), [
                "alarmTopicArn",
                "bootstrapFunctionName",
                "clusterIdentifier",
                "contract",
                "dashboardName",
                "databaseUsers",
                "endpointServiceId",
                "loadBalancerArn",
                "masterSecretArn",
                "proxyEndpoint",
                "proxyName",
                "readOnlyTargetGroupArn",
                "syncFunctionNames",
                "targetGroupArn",
                "vpcId",
            ]);
            assert.strictEqual(
                r.outputs.targetGroupArn,
                "arn:aws:lb:eu-west-1:111111111111:db-account-link-rw",
            );
            assert.strictEqual(r.outputs.proxyName, "db-account-proxy");
            assert.doesNotMatch(JSON.stringify(r.outputs), /password/i);
        });
    });

    describe("MySQL in an existing VPC, without readers", () => {
        let r: StackRun;
        before(async () => {
            r = await run({
                ...base,
                network: existingNetwork,
                database: { engine: "aurora-mysql", readers: 0, deletionProtection: false },
            });
            assert.strictEqual(r.error, undefined, String(r.error));
        });

        it("creates no VPC and looks up each subnet's AZ ID with the stack's provider", () => {
            assert.deepStrictEqual(ofType(r, "awsx:ec2:Vpc"), []);
            assert.deepStrictEqual(
                r.calls.map((c) => [c.token, c.inputs.id, providerName(c)]),
                [
                    ["aws:ec2/getSubnet:getSubnet", "subnet-0a000000000000001", "db-account-aws"],
                    ["aws:ec2/getSubnet:getSubnet", "subnet-0a000000000000002", "db-account-aws"],
                    // The Secrets Manager endpoint's private DNS needs the VPC's DNS attributes on; no route table
                    // is looked up, since only the dns source's DynamoDB gateway routes from them.
                    ["aws:ec2/getVpc:getVpc", "vpc-0a000000000000001", "db-account-aws"],
                    // The alarms' AZ names (tests/unit/alarms.test.ts).
                    ["aws:index/getAvailabilityZones:getAvailabilityZones", undefined, "db-account-aws"],
                ],
            );
            assert.deepStrictEqual(
                single(r, "aws:lb/loadBalancer:LoadBalancer").inputs.subnets,
                existingNetwork.subnetIds,
            );
            assert.deepStrictEqual(
                single(r, "aws:rds/proxy:Proxy").inputs.vpcSubnetIds,
                existingNetwork.subnetIds,
            );
            for (const g of ofType(r, "aws:ec2/securityGroup:SecurityGroup")) {
                assert.strictEqual(g.inputs.vpcId, existingNetwork.vpcId);
            }
        });

        it("forces TLS the MySQL way and uses the MySQL port everywhere", () => {
            const params = single(r, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
            assert.strictEqual(params.inputs.family, "aurora-mysql8.0");
            assert.deepStrictEqual(params.inputs.parameters, [
                { name: "require_secure_transport", value: "ON", applyMethod: "immediate" },
            ]);
            const cluster = single(r, "aws:rds/cluster:Cluster");
            assert.strictEqual(cluster.inputs.engineVersion, "8.0.mysql_aurora.3.08.2");
            assert.strictEqual(cluster.inputs.deletionProtection, false);
            assert.deepStrictEqual(cluster.inputs.enabledCloudwatchLogsExports, ["error", "slowquery"]);
            const proxy = single(r, "aws:rds/proxy:Proxy");
            assert.strictEqual(proxy.inputs.engineFamily, "MYSQL");
            assert.strictEqual(proxy.inputs.defaultAuthScheme, "IAM_AUTH");
            assert.strictEqual(proxy.inputs.auths, undefined);
            for (const rule of [
                ...ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
                ...ofType(r, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
            ].filter((x) => !x.name.startsWith("db-account-api-secretsmanager-"))) {
                assert.deepStrictEqual([rule.inputs.fromPort, rule.inputs.toPort], [3306, 3306], rule.name);
            }
        });

        it("syncs its one target group from the proxy's network interfaces, with the Lambda outside the VPC", () => {
            // Only the database-user bootstrap's Secrets Manager endpoint: the eni sync runs outside the VPC.
            assert.deepStrictEqual(
                ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName),
                ["com.amazonaws.eu-west-1.secretsmanager"],
            );
            const registration = single(r, "pulumi-nodejs:dynamic/target-sync:TargetRegistration");
            assert.strictEqual(registration.inputs.source, "eni");
            assert.strictEqual(registration.inputs.vpcId, existingNetwork.vpcId);
            assert.strictEqual(registration.inputs.proxyName, "db-account-proxy");
            assert.strictEqual(registration.inputs.port, 3306);
            // Only the proxy's own addresses: in its subnets, from interfaces carrying its security group.
            assert.deepStrictEqual(registration.inputs.proxySubnetIds, existingNetwork.subnetIds);
            assert.deepStrictEqual(registration.inputs.proxySecurityGroupIds, ["db-account-proxy-sg-id"]);
            const syncFunctions = ofType(r, "aws:lambda/function:Function").filter((f) =>
                f.name.includes("-sync-"),
            );
            assert.strictEqual(syncFunctions.length, 1);
            assert.strictEqual(syncFunctions[0].inputs.vpcConfig, undefined);
        });

        it("has one writer, no read-only endpoint, one listener and one target group", () => {
            assert.deepStrictEqual(
                ofType(r, "aws:rds/clusterInstance:ClusterInstance").map((i) => i.name),
                ["db-account-aurora-writer"],
            );
            assert.deepStrictEqual(ofType(r, "aws:rds/proxyEndpoint:ProxyEndpoint"), []);
            assert.deepStrictEqual(
                ofType(r, "aws:lb/listener:Listener").map((l) => l.inputs.port),
                [3306],
            );
            assert.deepStrictEqual(
                ofType(r, "aws:lb/targetGroup:TargetGroup").map((g) => [g.name, g.inputs.port]),
                [["db-account-link-rw", 3306]],
            );
        });

        it("exports a contract with the subnets' AZ IDs and no read-only endpoint", () => {
            assert.deepStrictEqual(r.outputs.contract, {
                version: 1,
                producerAccountId: "111111111111",
                region: "eu-west-1",
                engine: "aurora-mysql",
                port: 3306,
                endpointServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
                availabilityZoneIds: ["euw1-az3", "euw1-az1"],
                proxyEndpoint: "db-account-proxy.proxy-c1a2b3.eu-west-1.rds.amazonaws.com",
                idleTimeoutSeconds: 300,
                databaseName: "app",
                consumers: [
                    {
                        accountId: "222222222222",
                        databaseUser: "app",
                        auth: "iam",
                        connectRoleArn: "arn:aws:iam::111111111111:role/db-account-access-app-connect",
                    },
                ],
                tls: { sslmode: "verify-full" },
            });
            assert.strictEqual(r.outputs.readOnlyTargetGroupArn, undefined);
        });
    });

    describe("an existing VPC with the dns source", () => {
        it("routes DynamoDB from exactly the subnets' route tables (their own, else the main one)", async () => {
            const r = await run({ ...base, network: existingNetwork });
            assert.strictEqual(r.error, undefined, String(r.error));
            const gateway = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").find(
                (e) => e.inputs.vpcEndpointType === "Gateway",
            );
            assert.deepStrictEqual(gateway?.inputs.routeTableIds, [
                "rtb-0a000000000000001",
                "rtb-0a00000000000main",
            ]);
            assert.deepStrictEqual(
                r.calls
                    .filter((c) => c.token !== "aws:ec2/getSubnet:getSubnet")
                    .map((c) => [c.token, c.inputs.id ?? c.inputs.filters]),
                [
                    ["aws:ec2/getVpc:getVpc", "vpc-0a000000000000001"],
                    [
                        "aws:ec2/getRouteTables:getRouteTables",
                        [{ name: "association.subnet-id", values: ["subnet-0a000000000000001"] }],
                    ],
                    [
                        "aws:ec2/getRouteTables:getRouteTables",
                        [{ name: "association.subnet-id", values: ["subnet-0a000000000000002"] }],
                    ],
                    [
                        "aws:ec2/getRouteTables:getRouteTables",
                        [{ name: "association.main", values: ["true"] }],
                    ],
                    // The alarms' AZ names (tests/unit/alarms.test.ts).
                    ["aws:index/getAvailabilityZones:getAvailabilityZones", undefined],
                ],
            );
        });

        it("stops before any AWS resource when the VPC's DNS hostnames are off", async () => {
            const r = await run({
                ...base,
                network: {
                    vpcId: "vpc-0a0000000000000d0",
                    subnetIds: ["subnet-0d000000000000001", "subnet-0d000000000000002"],
                },
            });
            assert.ok(r.error instanceof ConfigError, String(r.error));
            assert.deepStrictEqual(
                (r.error as ConfigError).problems.map((p) => p.message),
                [
                    "Config 'rds-cross-account:network.vpcId' is \"vpc-0a0000000000000d0\", but that VPC has enableDnsHostnames off, and the VPC endpoints with private DNS that the database-user bootstrap and the proxy IP sync's dns source use from inside the VPC need both on. Turn it on (aws ec2 modify-vpc-attribute --vpc-id vpc-0a0000000000000d0 --enable-dns-hostnames '{\"Value\":true}'), or set 'network.vpcId' in Pulumi.db-account.yaml to a VPC that has them.",
                ],
            );
            assert.deepStrictEqual(
                r.resources.map((x) => x.type),
                ["pulumi:providers:aws"],
            );
        });
    });

    describe("consumers", () => {
        it("lets each consumer's endpointPrincipals create an endpoint, the account root by default, whoever may connect", async () => {
            const consumers = Array.from({ length: 12 }, (_, i) => ({
                name: `team-${i}`,
                accountId: String(300000000000 + i),
                // Those who connect (principals) and those who deploy the consumer stack are different roles.
                ...(i % 3 === 0 ? { principals: [`arn:aws:iam::${300000000000 + i}:role/app`] } : {}),
                ...(i % 4 === 0
                    ? { endpointPrincipals: [`arn:aws:iam::${300000000000 + i}:role/platform-deployer`] }
                    : {}),
            }));
            const r = await run({
                ...base,
                consumers,
                endpointService: {
                    acceptanceRequired: true,
                    supportedRegions: ["eu-west-1", "eu-central-1"],
                },
            });
            assert.strictEqual(r.error, undefined, String(r.error));
            const service = single(r, "aws:ec2/vpcEndpointService:VpcEndpointService");
            assert.deepStrictEqual(
                service.inputs.allowedPrincipals,
                consumers.map((c, i) =>
                    i % 4 === 0
                        ? `arn:aws:iam::${c.accountId}:role/platform-deployer`
                        : `arn:aws:iam::${c.accountId}:root`,
                ),
            );
            assert.strictEqual(service.inputs.acceptanceRequired, true);
            assert.deepStrictEqual(service.inputs.supportedRegions, ["eu-west-1", "eu-central-1"]);
            // One endpoint service however many consumers: the allow-list is a property, not a resource each.
            assert.strictEqual(ofType(r, "aws:ec2/vpcEndpointService:VpcEndpointService").length, 1);
        });
    });

    describe("narrowed principals and the canary", () => {
        /** One account per consumer: the same role name in another account is another ARN. */
        const account = (i: number) => String(444444444440 + i);
        const arn = (i: number, what: string) => `arn:aws:iam::${account(i)}:${what}`;
        /** The canary roles of users orders and audit of this project's db-account stack, as app-account names them. */
        const CANARY = {
            orders: "role/rcx-canary-orders-c2dcf2c0764f4646",
            audit: "role/rcx-canary-audit-9010d8c453e12b60",
        };
        const trustOf = (r: StackRun, consumer: string) =>
            JSON.parse(
                String(
                    named(r, "aws:iam/role:Role", `db-account-access-${consumer}-connect`).inputs
                        .assumeRolePolicy,
                ),
            ) as { Statement: Record<string, unknown>[] };
        const assume = (clause: Record<string, unknown>) => ({
            Version: "2012-10-17",
            Statement: [
                { Sid: "ConsumerPrincipalsAssume", Effect: "Allow", ...clause, Action: "sts:AssumeRole" },
            ],
        });
        const narrowed = (i: number, arns: string[]) => ({
            Principal: { AWS: arn(i, "root") },
            Condition: { ArnEquals: { "aws:PrincipalArn": arns.map((a) => arn(i, a)) } },
        });

        it("admits narrowed principals and the canary's role under the account root, by aws:PrincipalArn; the root as listed", async () => {
            const r = await run({
                ...base,
                consumers: [
                    { name: "orders", accountId: account(0), principals: [arn(0, "role/orders-app")] },
                    {
                        name: "audit",
                        accountId: account(1),
                        principals: [arn(1, "role/orders-app"), arn(1, "user/auditor")],
                    },
                    {
                        name: "quiet",
                        accountId: account(2),
                        principals: [arn(2, "role/orders-app")],
                        canary: false,
                    },
                    { name: "whole", accountId: account(3) },
                    {
                        name: "mixed",
                        accountId: account(4),
                        principals: [arn(4, "root"), arn(4, "role/orders-app")],
                    },
                ],
            });
            assert.strictEqual(r.error, undefined, String(r.error));
            assert.deepStrictEqual(
                trustOf(r, "orders"),
                assume(narrowed(0, ["role/orders-app", CANARY.orders])),
            );
            assert.deepStrictEqual(
                trustOf(r, "audit"),
                assume(narrowed(1, ["role/orders-app", "user/auditor", CANARY.audit])),
            );
            // consumers[].canary false: exactly the listed principals.
            assert.deepStrictEqual(trustOf(r, "quiet"), assume(narrowed(2, ["role/orders-app"])));
            // The account root (the default, or listed): exactly the policy it always had, the principals as listed.
            assert.deepStrictEqual(trustOf(r, "whole"), assume({ Principal: { AWS: [arn(3, "root")] } }));
            assert.deepStrictEqual(
                trustOf(r, "mixed"),
                assume({ Principal: { AWS: [arn(4, "root"), arn(4, "role/orders-app")] } }),
            );
        });
    });

    describe("password mode, two consumers", () => {
        let r: StackRun;
        before(async () => {
            r = await run({
                ...base,
                applicationAuth: "password",
                consumers: [
                    {
                        name: "app",
                        accountId: "222222222222",
                        principals: ["arn:aws:iam::222222222222:role/app"],
                    },
                    // Its user exists already, made before this stack: taken over (consumers[].adopt).
                    { name: "billing-job", accountId: "333333333333", databaseRole: "app_read", adopt: true },
                ],
            });
            assert.strictEqual(r.error, undefined, String(r.error));
        });
        const keyArn = (n: number) =>
            `arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-4000-8000-00000000000${n}`;
        const secretArn = (c: string) =>
            `arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-account-access-${c}-secret-AbCdEf`;

        it("gives each consumer a secret under its own rotating key, readable by exactly its principals", () => {
            assert.deepStrictEqual(
                ofType(r, "aws:iam/role:Role").filter((x) => x.name.includes("-access-")),
                [],
            );
            // "app" narrows its principals to a role: the policies name its account's root, and admit exactly that role
            // and its canary's (by the name the app-account stack gives it) through aws:PrincipalArn; "billing-job" lists
            // the account root, which the policies name as it is (vocabulary/access/principals.ts).
            const narrowed = {
                Principal: { AWS: "arn:aws:iam::222222222222:root" },
                Condition: {
                    ArnEquals: {
                        "aws:PrincipalArn": [
                            "arn:aws:iam::222222222222:role/app",
                            "arn:aws:iam::222222222222:role/rcx-canary-app-d2d9b32b5eebf844",
                        ],
                    },
                },
            };
            const cases = [
                ["app", narrowed, 1, "app"],
                ["billing-job", { Principal: { AWS: ["arn:aws:iam::333333333333:root"] } }, 2, "billing_job"],
            ] as const;
            for (const [c, clause, n, user] of cases) {
                const condition = "Condition" in clause ? clause.Condition : {};
                const key = named(r, "aws:kms/key:Key", `db-account-access-${c}-key`);
                assert.strictEqual(key.inputs.enableKeyRotation, true);
                assert.strictEqual(keyArn(n), (key.state as { arn: string }).arn);
                assert.deepStrictEqual(JSON.parse(String(key.inputs.policy)), {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DatabaseAccountAdministers",
                            Effect: "Allow",
                            Principal: { AWS: "arn:aws:iam::111111111111:root" },
                            Action: "kms:*",
                            Resource: "*",
                        },
                        {
                            Sid: "ConsumerDecryptsThroughSecretsManager",
                            Effect: "Allow",
                            Principal: clause.Principal,
                            Action: ["kms:Decrypt", "kms:DescribeKey"],
                            Resource: "*",
                            Condition: {
                                StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
                                ...condition,
                            },
                        },
                        {
                            Sid: "ProxyDecryptsThroughSecretsManager",
                            Effect: "Allow",
                            Principal: { AWS: "arn:aws:iam::111111111111:role/db-account-proxy-role" },
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: {
                                StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
                            },
                        },
                    ],
                });
                const secret = named(r, "aws:secretsmanager/secret:Secret", `db-account-access-${c}-secret`);
                assert.strictEqual(secret.inputs.kmsKeyId, keyArn(n));
                // The stack's roles read its secrets by this tag; the key carries it too.
                for (const tagged of [key, secret]) {
                    assert.deepStrictEqual(tagged.inputs.tags, { "rds-cross-account:access-scope": SCOPE });
                }
                const policy = named(
                    r,
                    "aws:secretsmanager/secretPolicy:SecretPolicy",
                    `db-account-access-${c}-secret-policy`,
                );
                assert.strictEqual(policy.inputs.secretArn, secretArn(c));
                assert.strictEqual(policy.inputs.blockPublicPolicy, true);
                assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)), {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConsumerReadsSecret",
                            Effect: "Allow",
                            Principal: clause.Principal,
                            Action: "secretsmanager:GetSecretValue",
                            Resource: "*",
                            ...("Condition" in clause ? { Condition: clause.Condition } : {}),
                        },
                    ],
                });
                const password = named(
                    r,
                    "random:index/randomPassword:RandomPassword",
                    `db-account-access-${c}-password`,
                );
                assert.strictEqual(password.inputs.overrideSpecial, "!#$%&()*+,-.:;<=>?[]^_`{|}~");
                const value = named(
                    r,
                    "aws:secretsmanager/secretVersion:SecretVersion",
                    `db-account-access-${c}-secret-value`,
                );
                // The engine receives it wrapped as a secret (Pulumi's secret signature), never as plain text.
                const wrapped = value.inputs.secretString as Record<string, unknown>;
                assert.strictEqual(
                    wrapped["4dabf18193072939515e22adb298388d"],
                    "1b47061264138c4ac30d75fd1eb44270",
                );
                assert.deepStrictEqual(JSON.parse(String(wrapped.value)), {
                    username: user,
                    password: TEST_PASSWORD,
                });
            }
        });

        it("lists every consumer's secret in the proxy's auths, and lets its role read those of this stack's scope", () => {
            const proxy = single(r, "aws:rds/proxy:Proxy");
            assert.strictEqual(proxy.inputs.defaultAuthScheme, "NONE");
            assert.deepStrictEqual(proxy.inputs.auths, [
                {
                    authScheme: "SECRETS",
                    secretArn: secretArn("app"),
                    iamAuth: "DISABLED",
                    description: "Database user app of consumer app",
                    clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                },
                {
                    authScheme: "SECRETS",
                    secretArn: secretArn("billing-job"),
                    iamAuth: "DISABLED",
                    description: "Database user billing_job of consumer billing-job",
                    clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                },
            ]);
            const policy = named(r, "aws:iam/rolePolicy:RolePolicy", "db-account-proxy-secret-access");
            assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadConsumerSecretsOfThisStack",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:*",
                        Condition: {
                            StringEquals: { "aws:ResourceTag/rds-cross-account:access-scope": SCOPE },
                        },
                    },
                    {
                        Sid: "DecryptConsumerSecretsThroughSecretsManager",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: "arn:aws:kms:eu-west-1:111111111111:key/*",
                        Condition: {
                            StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
                        },
                    },
                ],
            });
        });

        it("lets the bootstrap read the master secret by name and the users' secrets by the stack's scope tag", () => {
            const policy = named(r, "aws:iam/rolePolicy:RolePolicy", "db-account-users-policy");
            const statements = JSON.parse(String(policy.inputs.policy)).Statement as {
                Sid: string;
                Resource: unknown;
                Condition?: unknown;
            }[];
            const bySid = Object.fromEntries(statements.map((st) => [st.Sid, st]));
            // No user's secret or key is listed: the master's alone, then the scoped pair.
            const master = bySid.ReadTheBootstrapSecrets.Resource as string[];
            assert.strictEqual(master.length, 1);
            assert.ok(!master.some((arn) => arn.includes("-access-")));
            assert.deepStrictEqual(bySid.ReadTheUsersSecretsOfThisStack.Condition, {
                StringEquals: { "aws:ResourceTag/rds-cross-account:access-scope": SCOPE },
            });
            assert.strictEqual(
                bySid.DecryptTheUsersSecretsThroughSecretsManager.Resource,
                "arn:aws:kms:eu-west-1:111111111111:key/*",
            );
        });

        it("runs the bootstrap with each user's secret version, so a new password reaches the database", () => {
            const version = (c: string) =>
                (
                    named(
                        r,
                        "aws:secretsmanager/secretVersion:SecretVersion",
                        `db-account-access-${c}-secret-value`,
                    ).state as { versionId: string }
                ).versionId;
            assert.match(version("app"), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            assert.notStrictEqual(version("app"), version("billing-job"));
            const invocation = single(r, "aws:lambda/invocation:Invocation");
            assert.deepStrictEqual(JSON.parse(String(invocation.inputs.input)), {
                engine: "aurora-postgresql",
                applicationAuth: "password",
                database: "app",
                users: [
                    { name: "app", secretArn: secretArn("app"), secretVersionId: version("app") },
                    {
                        name: "billing_job",
                        databaseRole: "app_read",
                        adopt: true,
                        secretArn: secretArn("billing-job"),
                        secretVersionId: version("billing-job"),
                    },
                ],
            });
        });

        it("puts each consumer's secret and key in the contract, and no password in any output", () => {
            const contract = r.outputs.contract as { consumers: unknown };
            assert.deepStrictEqual(contract.consumers, [
                {
                    accountId: "222222222222",
                    databaseUser: "app",
                    auth: "password",
                    secretArn: secretArn("app"),
                    secretKeyArn: keyArn(1),
                },
                {
                    accountId: "333333333333",
                    databaseUser: "billing_job",
                    auth: "password",
                    secretArn: secretArn("billing-job"),
                    secretKeyArn: keyArn(2),
                },
            ]);
            assert.ok(contractV1Schema.safeParse(r.outputs.contract).success);
            assert.deepStrictEqual(r.outputs.databaseUsers, [
                {
                    consumer: "app",
                    accountId: "222222222222",
                    databaseUser: "app",
                    databaseRole: null,
                    auth: "password",
                },
                {
                    consumer: "billing-job",
                    accountId: "333333333333",
                    databaseUser: "billing_job",
                    databaseRole: "app_read",
                    auth: "password",
                },
            ]);
            assert.ok(!JSON.stringify(r.outputs).includes(TEST_PASSWORD));
        });
    });

    describe("account pinning", () => {
        it("assumes the configured role in the provider", async () => {
            const r = await run({ ...base, assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" });
            assert.strictEqual(r.error, undefined, String(r.error));
            const provider = single(r, "pulumi:providers:aws");
            assert.deepStrictEqual(JSON.parse(String(provider.inputs.assumeRoles)), [
                {
                    roleArn: "arn:aws:iam::111111111111:role/deployer",
                    sessionName: "rds-cross-account-db-account",
                },
            ]);
        });
    });

    describe("network checks before any AWS resource", () => {
        const cases: { title: string; network: Record<string, unknown>; expected: string[] }[] = [
            {
                title: "subnets of another VPC",
                network: {
                    vpcId: "vpc-0a000000000000001",
                    subnetIds: ["subnet-0a000000000000001", "subnet-0b000000000000001"],
                },
                expected: [
                    `Config 'rds-cross-account:network.subnetIds' is ["subnet-0a000000000000001","subnet-0b000000000000001"], but some are outside vpc-0a000000000000001: subnet-0b000000000000001 (in vpc-0b000000000000001). List only subnets of vpc-0a000000000000001 in Pulumi.db-account.yaml.`,
                    // Only subnets of the VPC count towards its AZs.
                    `Config 'rds-cross-account:network.subnetIds' is ["subnet-0a000000000000001","subnet-0b000000000000001"], but they cover 1 AZ (euw1-az3), and RDS Proxy needs subnets in at least two AZs. Add a subnet from another AZ of vpc-0a000000000000001 in Pulumi.db-account.yaml.`,
                ],
            },
            {
                title: "two subnets in one AZ",
                network: {
                    vpcId: "vpc-0a000000000000001",
                    subnetIds: [
                        "subnet-0a000000000000001",
                        "subnet-0a000000000000004",
                        "subnet-0a000000000000002",
                    ],
                },
                expected: [
                    `Config 'rds-cross-account:network.subnetIds' is ["subnet-0a000000000000001","subnet-0a000000000000004","subnet-0a000000000000002"], but 2 of them are in AZ euw1-az3 (subnet-0a000000000000001, subnet-0a000000000000004), and a load balancer takes one subnet per AZ. Keep one subnet per AZ in Pulumi.db-account.yaml.`,
                ],
            },
            {
                title: "a subnet that does not exist",
                network: {
                    vpcId: "vpc-0a000000000000001",
                    subnetIds: ["subnet-0a000000000000001", "subnet-0a0000000000000ff"],
                },
                expected: [
                    `Config 'rds-cross-account:network.subnetIds' is ["subnet-0a000000000000001","subnet-0a0000000000000ff"], but "subnet-0a0000000000000ff" could not be found in the account. List subnets that exist in the VPC, in Pulumi.db-account.yaml.`,
                ],
            },
            {
                title: "more AZs than the region has",
                network: { cidrBlock: "10.20.0.0/16", azCount: 4 },
                expected: [
                    "Config 'rds-cross-account:network.azCount' is 4, but the region has only 3 available AZs (eu-west-1a, eu-west-1b, eu-west-1c). Set 'network.azCount' in Pulumi.db-account.yaml to at most 3.",
                ],
            },
        ];
        for (const c of cases) {
            it(`stops on ${c.title}, having registered only the provider`, async () => {
                const r = await run({ ...base, network: c.network });
                assert.ok(r.error instanceof ConfigError, String(r.error));
                // Under mocks a failed invoke carries no text; the real provider's text would follow in parentheses.
                assert.deepStrictEqual(
                    (r.error as ConfigError).problems.map((p) => p.message),
                    c.expected,
                );
                assert.deepStrictEqual(
                    r.resources.map((x) => x.type),
                    ["pulumi:providers:aws"],
                );
            });
        }
    });

    describe("preview", () => {
        it("plans the whole graph while the cluster's secret and endpoints are unknown", async () => {
            const r = await run(base, true);
            assert.strictEqual(r.error, undefined, String(r.error));
            assert.strictEqual(ofType(r, "aws:rds/proxy:Proxy").length, 1);
            assert.strictEqual(ofType(r, "aws:ec2/vpcEndpointService:VpcEndpointService").length, 1);
        });
    });
});
