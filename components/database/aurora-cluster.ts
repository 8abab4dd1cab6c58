import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    type AuroraEngine as Engine,
    enginePort,
    MASTER_USERNAME,
    parameterGroupFamily,
    settingRule,
    tlsParameter,
} from "../../vocabulary";
import { validateArgs } from "../validation";

export interface AuroraClusterArgs {
    /** Aurora engine. */
    readonly engine: Engine;
    /** Engine version, such as "16.6" or "8.0.mysql_aurora.3.08.2". */
    readonly engineVersion: string;
    /** Instance class of the writer and the readers, such as "db.r6g.large". */
    readonly instanceClass: string;
    /** Number of reader instances besides the writer (`SETTINGS.readers`). */
    readonly readers: number;
    /** Name of the database created in the cluster. */
    readonly databaseName: string;
    /** Refuse deletion of the cluster while true. */
    readonly deletionProtection: boolean;
    /** Days of automated backups (`SETTINGS.backupRetentionDays`). */
    readonly backupRetentionDays: number;
    /** VPC of the cluster. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the DB subnet group (at least two AZs). */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Master user name. @default MASTER_USERNAME ("dbadmin") */
    readonly masterUsername?: string;
    /**
     * IAM database authentication, which RDS Proxy's end-to-end IAM authentication needs (users with `rds_iam`
     * or `AWSAuthenticationPlugin` then log in with tokens). @default true
     */
    readonly iamDatabaseAuthentication?: boolean;
}

/**
 * A private, encrypted Aurora cluster that refuses unencrypted connections: a customer-managed KMS key, a DB
 * subnet group, a security group with no rules of its own (callers grant access with `securityGroup`), a
 * cluster parameter group forcing TLS, the cluster (master password generated and rotated by RDS in Secrets
 * Manager, never in config or state; for the bootstrap only), IAM database authentication (on by default) and one writer plus `readers` reader instances, none publicly accessible.
 */
export class AuroraCluster extends pulumi.ComponentResource {
    /** The customer-managed key that encrypts storage and the master secret. */
    public readonly key: aws.kms.Key;
    /** The cluster's security group; it admits nothing until a caller adds rules. */
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly parameterGroup: aws.rds.ClusterParameterGroup;
    public readonly cluster: aws.rds.Cluster;
    /** The writer first, then the readers. */
    public readonly instances: aws.rds.ClusterInstance[];
    /** The cluster's resource ID (`cluster-…`), the `dbuser:` resource of `rds-db:connect` on the cluster. */
    public readonly clusterResourceId: pulumi.Output<string>;
    /** ARN of the RDS-managed master secret in Secrets Manager. */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** The engine port. */
    public readonly port: number;

    constructor(name: string, args: AuroraClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:database:AuroraCluster", name, {}, opts);
        validateArgs("AuroraCluster", name, args, {
            readers: { rule: settingRule("readers") },
            backupRetentionDays: { rule: settingRule("backupRetentionDays") },
        });
        this.port = enginePort(args.engine);

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts the ${name} Aurora cluster and its master secret`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
            },
            { parent: this },
        );

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: `Subnets of the ${name} Aurora cluster` },
            { parent: this },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Aurora cluster ${name}: admits the engine port only from the RDS Proxy`,
            },
            { parent: this },
        );

        const tls = tlsParameter(args.engine);
        this.parameterGroup = new aws.rds.ClusterParameterGroup(
            `${name}-params`,
            {
                family: parameterGroupFamily(args.engine, args.engineVersion),
                description: `Forces TLS on the ${name} Aurora cluster`,
                parameters: [{ name: tls.name, value: tls.value, applyMethod: "immediate" }],
            },
            { parent: this },
        );

        // A final snapshot needs a name that is unique for every deletion, hence the random suffix.
        const snapshotSuffix = new random.RandomId(
            `${name}-final-snapshot`,
            { byteLength: 4 },
            { parent: this },
        );

        this.cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                engine: args.engine,
                engineVersion: args.engineVersion,
                databaseName: args.databaseName,
                masterUsername: args.masterUsername ?? MASTER_USERNAME,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: this.key.arn,
                storageEncrypted: true,
                kmsKeyId: this.key.arn,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [this.securityGroup.id],
                dbClusterParameterGroupName: this.parameterGroup.name,
                port: this.port,
                deletionProtection: args.deletionProtection,
                backupRetentionPeriod: args.backupRetentionDays,
                copyTagsToSnapshot: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: pulumi.interpolate`${name}-final-${snapshotSuffix.hex}`,
                // RDS Proxy end-to-end IAM needs it on the cluster (AWS, "Setting up IAM authentication for RDS
                // Proxy"); it lets only users granted rds_iam / AWSAuthenticationPlugin log in with tokens.
                iamDatabaseAuthenticationEnabled: args.iamDatabaseAuthentication ?? true,
                enabledCloudwatchLogsExports:
                    args.engine === "aurora-postgresql" ? ["postgresql"] : ["error", "slowquery"],
            },
            { parent: this },
        );

        this.instances = [];
        for (let i = 0; i <= args.readers; i++) {
            const role = i === 0 ? "writer" : `reader-${i}`;
            this.instances.push(
                new aws.rds.ClusterInstance(
                    `${name}-${role}`,
                    {
                        clusterIdentifier: this.cluster.id,
                        engine: args.engine,
                        engineVersion: args.engineVersion,
                        instanceClass: args.instanceClass,
                        dbSubnetGroupName: subnetGroup.name,
                        publiclyAccessible: false,
                        // Off: the engine version is pinned in config, and an automatic minor upgrade would make the
                        // next `pulumi up` plan a downgrade that RDS refuses. Upgrade by changing engineVersion.
                        autoMinorVersionUpgrade: false,
                        // The writer is created first and readers fail over in order of promotion tier.
                        promotionTier: i === 0 ? 0 : 1,
                    },
                    { parent: this },
                ),
            );
        }

        this.clusterResourceId = this.cluster.clusterResourceId;
        this.masterSecretArn = this.cluster.masterUserSecrets.apply((secrets) => {
            const arn = secrets?.[0]?.secretArn;
            if (!arn) throw new Error(`Aurora cluster ${name} reported no RDS-managed master secret.`);
            return arn;
        });

        this.registerOutputs({
            clusterIdentifier: this.cluster.clusterIdentifier,
            clusterResourceId: this.clusterResourceId,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroup.id,
        });
    }
}
