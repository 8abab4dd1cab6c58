import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Engine, enginePort, proxyEngineFamily, settingRule, SETTINGS } from "../../vocabulary";
import { validateArgs } from "../validation";

export interface RdsProxyArgs {
    /** Aurora engine of the target cluster. */
    readonly engine: Engine;
    /** Region of the proxy; scopes the key-use condition to Secrets Manager of this region. */
    readonly region: string;
    /** VPC of the cluster (RDS Proxy must live in the database's VPC). */
    readonly vpcId: pulumi.Input<string>;
    /** At least two subnets in distinct AZs. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Identifier of the Aurora cluster the proxy fronts. */
    readonly clusterIdentifier: pulumi.Input<string>;
    /** Security group of the cluster; the proxy gets the engine port on it and nothing else. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    /** ARN of the Secrets Manager secret holding the database credentials. */
    readonly secretArn: pulumi.Input<string>;
    /** ARN of the KMS key that encrypts the secret. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** Seconds a client connection may stay idle before the proxy closes it. @default `SETTINGS.idleClientTimeoutSeconds` (300) */
    readonly idleClientTimeoutSeconds?: number;
    /** Share of the database's max_connections the proxy may use. @default `SETTINGS.maxConnectionsPercent` (90) */
    readonly maxConnectionsPercent?: number;
    /** Seconds a client waits for a pooled connection before failing. @default `SETTINGS.connectionBorrowTimeoutSeconds` (120) */
    readonly connectionBorrowTimeoutSeconds?: number;
    /** Create a read-only proxy endpoint routing to the readers. @default false */
    readonly readOnlyEndpoint?: boolean;
}

/**
 * RDS Proxy in front of an Aurora cluster: an IAM role that may only read the database secret (and decrypt it
 * through Secrets Manager), its own security group, the proxy itself with TLS always required and Secrets
 * Manager authentication, the default target group's connection-pool settings, the cluster as target, and
 * optionally a read-only endpoint.
 */
export class RdsProxy extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    /** The proxy's security group; it admits nothing until a caller adds rules. */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly proxy: aws.rds.Proxy;
    /** The read-only endpoint, when requested. */
    public readonly readOnly?: aws.rds.ProxyEndpoint;
    /** Name of the proxy (its network interfaces are described as "Network interface for DBProxy <name>"). */
    public readonly proxyName: pulumi.Output<string>;
    /** Hostname of the default (read/write) endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** Hostname of the read-only endpoint, when requested. */
    public readonly readOnlyEndpoint?: pulumi.Output<string>;
    public readonly port: number;

    constructor(name: string, args: RdsProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:proxy:RdsProxy", name, {}, opts);
        validateArgs("RdsProxy", name, args, {
            idleClientTimeoutSeconds: { rule: settingRule("idleClientTimeoutSeconds"), optional: true },
            maxConnectionsPercent: { rule: settingRule("maxConnectionsPercent"), optional: true },
            connectionBorrowTimeoutSeconds: {
                rule: settingRule("connectionBorrowTimeoutSeconds"),
                optional: true,
            },
        });
        this.port = enginePort(args.engine);

        // Trusts the service principal as the AWS console and the CDK's DatabaseProxy do. A confused-deputy
        // condition (aws:SourceAccount/SourceArn) is not added: RDS Proxy is not documented to send those keys
        // when it assumes the role, and a condition it does not meet would cut the proxy off its secret.
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Lets RDS Proxy ${name} read its database secret`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "rds.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-secret-access`,
            {
                role: this.role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ReadDatabaseSecret",
                            Effect: "Allow",
                            Action: ["secretsmanager:GetSecretValue"],
                            Resource: [args.secretArn],
                        },
                        {
                            Sid: "DecryptSecretThroughSecretsManager",
                            Effect: "Allow",
                            Action: ["kms:Decrypt"],
                            Resource: [args.secretKeyArn],
                            Condition: {
                                StringEquals: {
                                    "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
                                },
                            },
                        },
                    ],
                }),
            },
            { parent: this },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `RDS Proxy ${name}: admits the engine port only from the load balancer`,
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-database`,
            {
                securityGroupId: this.securityGroup.id,
                referencedSecurityGroupId: args.databaseSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: this.port,
                toPort: this.port,
                description: "RDS Proxy to the Aurora cluster, engine port",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-database-from-proxy`,
            {
                securityGroupId: args.databaseSecurityGroupId,
                referencedSecurityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: this.port,
                toPort: this.port,
                description: "Aurora cluster from RDS Proxy, engine port",
            },
            { parent: this },
        );

        this.proxy = new aws.rds.Proxy(
            name,
            {
                engineFamily: proxyEngineFamily(args.engine),
                // TLS is not optional in this project: there is deliberately no switch for it.
                requireTls: true,
                roleArn: this.role.arn,
                vpcSubnetIds: args.subnetIds,
                vpcSecurityGroupIds: [this.securityGroup.id],
                idleClientTimeout: args.idleClientTimeoutSeconds ?? SETTINGS.idleClientTimeoutSeconds.default,
                debugLogging: false,
                auths: [
                    {
                        authScheme: "SECRETS",
                        secretArn: args.secretArn,
                        iamAuth: "DISABLED",
                        description: "RDS-managed master secret of the cluster",
                        clientPasswordAuthType:
                            args.engine === "aurora-postgresql"
                                ? "POSTGRES_SCRAM_SHA_256"
                                : "MYSQL_NATIVE_PASSWORD",
                    },
                ],
            },
            { parent: this },
        );

        const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
            `${name}-pool`,
            {
                dbProxyName: this.proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent:
                        args.maxConnectionsPercent ?? SETTINGS.maxConnectionsPercent.default,
                    connectionBorrowTimeout:
                        args.connectionBorrowTimeoutSeconds ??
                        SETTINGS.connectionBorrowTimeoutSeconds.default,
                },
            },
            { parent: this },
        );
        new aws.rds.ProxyTarget(
            `${name}-target`,
            {
                dbProxyName: this.proxy.name,
                targetGroupName: targetGroup.name,
                dbClusterIdentifier: args.clusterIdentifier,
            },
            { parent: this },
        );

        if (args.readOnlyEndpoint) {
            this.readOnly = new aws.rds.ProxyEndpoint(
                `${name}-read-only`,
                {
                    dbProxyName: this.proxy.name,
                    dbProxyEndpointName: this.proxy.name.apply((n) => `${n}-ro`),
                    vpcSubnetIds: args.subnetIds,
                    vpcSecurityGroupIds: [this.securityGroup.id],
                    targetRole: "READ_ONLY",
                },
                { parent: this },
            );
            this.readOnlyEndpoint = this.readOnly.endpoint;
        }

        this.proxyName = this.proxy.name;
        this.endpoint = this.proxy.endpoint;
        this.registerOutputs({
            proxyName: this.proxyName,
            endpoint: this.endpoint,
            readOnlyEndpoint: this.readOnlyEndpoint,
        });
    }
}
