/**
 * Offline answers to the db-account stack's lookup of an existing database (`database.existing`), synthesized from
 * the request and the stack's network config so that any stack file records: nothing here asks AWS anything.
 * The answer is a database that passes every check (in the config's VPC and subnets, private, encrypted, with IAM
 * database authentication, an RDS-managed master secret and TLS forced), of the engine given, or Aurora
 * PostgreSQL for a cluster and RDS for PostgreSQL for an instance; the harness's tests give their own facts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Engine } from "../../vocabulary/engines";
import { enginePort, tlsParameter } from "../../vocabulary/engines";
import type {
    DatabaseLookup,
    ExistingDatabaseFacts,
    LookupRequest,
} from "../../stacks/db-account/existing-facts";
import { syntheticId } from "./aws-answers";
import { arnIn, placementOf } from "./placeholders";

/** What the synthesized facts are built from besides the request. */
export interface OfflineDatabaseOptions {
    /** The VPC an existing-VPC config names: the database is in it. */
    readonly vpcId?: string;
    /** The subnets it lists: the database's subnet group holds them. */
    readonly subnetIds?: readonly string[];
    /** The engine the database runs. @default aurora-postgresql (cluster), postgres (instance) */
    readonly engine?: Engine;
    /** Whether to say, as a warning, that the facts are made up (`npm run plan` does). @default false */
    readonly announce?: boolean;
}

/** Upper-case letters and digits derived from `seed`, as RDS resource IDs have. */
function resourceSuffix(seed: string): string {
    return syntheticId("x", seed).slice(2).toUpperCase().padEnd(26, "Q");
}

/** The facts of a database that passes every check, for `request`. */
export function offlineDatabaseFacts(
    request: LookupRequest,
    options: OfflineDatabaseOptions = {},
): ExistingDatabaseFacts {
    const { form } = request;
    const where = placementOf(request.accountId, request.region);
    const cluster = form.kind === "cluster";
    const engine = options.engine ?? (cluster ? "aurora-postgresql" : "postgres");
    const host = `${form.identifier}.${cluster ? "cluster-" : ""}c1a2b3c4d5e6.${where.region}.rds.${where.dnsSuffix}`;
    const managed = `rds!${cluster ? "cluster" : "db"}-${syntheticId("x", form.identifier).slice(2, 10)}`;
    return {
        kind: form.kind,
        identifier: form.identifier,
        arn: arnIn(where, "rds", `${cluster ? "cluster" : "db"}:${form.identifier}`),
        resourceId: `${cluster ? "cluster" : "db"}-${resourceSuffix(form.identifier)}`,
        engine,
        engineVersion: engine.startsWith("aurora-mysql") ? "8.0.mysql_aurora.3.08.2" : "16.6",
        ...(cluster ? { engineMode: "provisioned" } : {}),
        status: "available",
        port: enginePort(engine),
        vpcId: options.vpcId ?? syntheticId("vpc", `vpc of ${form.identifier}`),
        subnetGroupName: `${form.identifier}-subnets`,
        subnetIds: options.subnetIds ?? [],
        securityGroupIds: [syntheticId("sg", `security group of ${form.identifier}`)],
        iamDatabaseAuthentication: true,
        publicInstances: [],
        storageEncrypted: true,
        masterUsername: "postgres",
        masterSecret: form.masterSecretArn
            ? { arn: form.masterSecretArn, managedByRds: false }
            : {
                  arn: arnIn(where, "secretsmanager", `secret:${managed}-AbCdEf`),
                  managedByRds: true,
                  kmsKeyArn: arnIn(where, "kms", "key/00000000-0000-4000-8000-00000000db01"),
              },
        writerEndpoint: host,
        readers: cluster ? 1 : 0,
        databaseName: "app",
        tls: {
            parameterGroup: `${form.identifier}-params`,
            parameterGroupKind: form.kind,
            parameter: tlsParameter(engine).name,
            value: tlsParameter(engine).value,
            forced: true,
        },
        notATarget: [],
    };
}

/** A lookup answering every request with `offlineDatabaseFacts`. */
export function offlineDatabaseLookup(options: OfflineDatabaseOptions = {}): DatabaseLookup {
    return async (request) => {
        const facts = offlineDatabaseFacts(request, options);
        if (options.announce) {
            void pulumi.log.warn(
                `the ${facts.kind} ${facts.identifier} was not looked up: a real preview reads it from RDS; here it ` +
                    `runs ${facts.engine} ${facts.engineVersion} on port ${facts.port}, in ${facts.vpcId}, behind ` +
                    `${facts.securityGroupIds.join(", ")}, with ${facts.readers} reader(s).`,
            );
        }
        return { facts };
    };
}
