/**
 * The origin axis on the producer's side (vocabulary/topology.ts): what each origin builds, and the one shape the
 * rest of the stack (the proxy, the bootstrap, the outputs) takes the database in, whatever its origin.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuroraCluster } from "../../components/database";
import { isAurora, type Engine, type ExistingDatabase } from "../../vocabulary";
import type { DbAccountConfig, OriginConfig } from "../config/db-account";
import type { ResolvedNetwork } from "../network";
import { existingTarget } from "./existing-checks";
import type { ExistingDatabaseForm } from "./existing-facts";

/** The database the proxy fronts and the bootstrap creates users in. */
export interface DatabaseTarget {
    readonly engine: Engine;
    /** The port the database listens on: the proxy and the bootstrap connect to it there. */
    readonly port: number;
    /** What the proxy targets: a cluster (Aurora) or an instance (RDS), by identifier. */
    readonly target: { readonly kind: "cluster" | "instance"; readonly identifier: pulumi.Output<string> };
    /** The resource ID `rds-db:connect` names: the cluster's (`cluster-…`) or the instance's (`db-…`). */
    readonly resourceId: pulumi.Output<string>;
    /** Its security group: the proxy and the bootstrap get ingress rules on it. */
    readonly securityGroupId: pulumi.Output<string>;
    /** The writer's endpoint, which the bootstrap dials. */
    readonly writerEndpoint: pulumi.Output<string>;
    /** ARN of the master user's secret (for the bootstrap only). */
    readonly masterSecretArn: pulumi.Output<string>;
    /**
     * The customer-managed key of the master secret, which the bootstrap decrypts through Secrets Manager; absent
     * when Secrets Manager's AWS-managed key encrypts it (its key policy lets the account's principals use it
     * through Secrets Manager, so no grant is needed).
     */
    readonly masterSecretKeyArn?: pulumi.Output<string>;
    /** What must exist before the proxy targets the database and the bootstrap connects (a new cluster's instances). */
    readonly ready: readonly pulumi.Resource[];
}

/** What an origin's builder is given. */
export interface OriginContext<O extends OriginConfig = OriginConfig> {
    readonly stack: string;
    readonly config: DbAccountConfig;
    readonly origin: O;
    readonly network: ResolvedNetwork;
    readonly provider: aws.Provider;
}

type OriginOf<K extends OriginConfig["kind"]> = Extract<OriginConfig, { kind: K }>;

/** A new Aurora cluster in the stack's VPC (AuroraCluster: TLS forced, KMS, managed master secret). */
function newCluster({
    stack,
    config,
    origin,
    network,
    provider,
}: OriginContext<OriginOf<"new-cluster">>): DatabaseTarget {
    const engine = config.database.engine;
    if (!isAurora(engine)) throw new Error(`a new cluster runs an Aurora engine, not ${engine}`);
    const database = new AuroraCluster(
        `${stack}-aurora`,
        {
            engine,
            engineVersion: config.database.engineVersion,
            instanceClass: origin.cluster.instanceClass,
            readers: config.database.readers,
            databaseName: config.database.databaseName,
            deletionProtection: origin.cluster.deletionProtection,
            backupRetentionDays: origin.cluster.backupRetentionDays,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
        },
        { provider },
    );
    return {
        engine,
        port: database.port,
        target: { kind: "cluster", identifier: database.cluster.clusterIdentifier },
        resourceId: database.clusterResourceId,
        securityGroupId: database.securityGroup.id,
        writerEndpoint: database.cluster.endpoint,
        masterSecretArn: database.masterSecretArn,
        masterSecretKeyArn: database.key.arn,
        ready: database.instances,
    };
}

/**
 * A database that exists: nothing of its own is created, changed or adopted (no resource of the database, its
 * instances, parameter groups or master secret is in the graph, so neither `pulumi up` nor `pulumi destroy`
 * touches them). Everything is what RDS reported at preview (./existing-lookup.ts), checked (./existing-checks.ts).
 */
function existing({ origin }: OriginContext<OriginOf<"existing">>): DatabaseTarget {
    const found = existingTarget(formOf(origin), origin.facts);
    return {
        engine: found.engine,
        port: found.port,
        target: { kind: origin.target, identifier: pulumi.output(origin.facts.identifier) },
        resourceId: pulumi.output(origin.facts.resourceId),
        securityGroupId: pulumi.output(found.securityGroupId),
        writerEndpoint: pulumi.output(origin.facts.writerEndpoint),
        masterSecretArn: pulumi.output(found.masterSecret.arn),
        ...(found.masterSecret.kmsKeyArn !== undefined
            ? { masterSecretKeyArn: pulumi.output(found.masterSecret.kmsKeyArn) }
            : {}),
        ready: [],
    };
}

/** The form the lookup and its checks take (./existing-facts.ts) of the origin config gives. */
export function formOf(origin: ExistingDatabase): ExistingDatabaseForm {
    return {
        kind: origin.target,
        identifier: origin.identifier,
        ...(origin.masterSecretArn !== undefined ? { masterSecretArn: origin.masterSecretArn } : {}),
        ...(origin.securityGroupId !== undefined ? { securityGroupId: origin.securityGroupId } : {}),
    };
}

/** Every origin's builder. */
export const ORIGINS: {
    readonly [K in OriginConfig["kind"]]: (context: OriginContext<OriginOf<K>>) => DatabaseTarget;
} = {
    "new-cluster": newCluster,
    existing,
};

/** Builds the database of `context`'s origin. */
export function buildOrigin(context: Omit<OriginContext, "origin">): DatabaseTarget {
    const origin = context.config.origin;
    return origin.kind === "new-cluster"
        ? ORIGINS["new-cluster"]({ ...context, origin })
        : ORIGINS.existing({ ...context, origin });
}
