/**
 * The origin axis on the producer's side (vocabulary/topology.ts): what each origin builds, and the one shape the
 * rest of the stack (the proxy, the bootstrap, the outputs) takes the database in, whatever its origin.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuroraCluster } from "../../components/database";
import { enginePort, type Engine, type OriginKind } from "../../vocabulary";
import type { DbAccountConfig } from "../config/db-account";
import type { ResolvedNetwork } from "../network";

/** The database the proxy fronts and the bootstrap creates users in. */
export interface DatabaseTarget {
    readonly engine: Engine;
    readonly port: number;
    readonly clusterIdentifier: pulumi.Output<string>;
    /** The cluster's resource ID (`cluster-…`), for `rds-db:connect`. */
    readonly clusterResourceId: pulumi.Output<string>;
    /** Its security group: the proxy and the bootstrap get ingress rules on it. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The writer's endpoint, which the bootstrap dials. */
    readonly writerEndpoint: pulumi.Output<string>;
    /** ARN of the RDS-managed master secret (for the bootstrap only). */
    readonly masterSecretArn: pulumi.Output<string>;
    /** The customer-managed key of the master secret, which the bootstrap decrypts through Secrets Manager. */
    readonly masterSecretKeyArn: pulumi.Output<string>;
    /** What must exist before the proxy targets the database and the bootstrap connects (its instances). */
    readonly ready: readonly pulumi.Resource[];
}

/** What an origin's builder is given. */
export interface OriginContext {
    readonly stack: string;
    readonly config: DbAccountConfig;
    readonly network: ResolvedNetwork;
    readonly provider: aws.Provider;
}

/** A new Aurora cluster in the stack's VPC (AuroraCluster: TLS forced, KMS, managed master secret). */
function newCluster({ stack, config, network, provider }: OriginContext): DatabaseTarget {
    const database = new AuroraCluster(
        `${stack}-aurora`,
        {
            engine: config.database.engine,
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
    return {
        engine: config.database.engine,
        port: enginePort(config.database.engine),
        clusterIdentifier: database.cluster.clusterIdentifier,
        clusterResourceId: database.clusterResourceId,
        securityGroupId: database.securityGroup.id,
        writerEndpoint: database.cluster.endpoint,
        masterSecretArn: database.masterSecretArn,
        masterSecretKeyArn: database.key.arn,
        ready: database.instances,
    };
}

/** Every origin's builder. */
export const ORIGINS: { readonly [K in OriginKind]: (context: OriginContext) => DatabaseTarget } = {
    "new-cluster": newCluster,
};
