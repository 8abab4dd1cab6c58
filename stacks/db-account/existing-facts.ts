/**
 * What the stack knows of an existing database (`database.existing`): the form config gives, the facts the RDS API
 * reports for it at preview, and the one seam through which those facts are asked for (the RDS API in a real run,
 * given answers under the test harness and `npm run plan`).
 */

/** The existing database config names: exactly one identifier, and the two optional overrides. */
export interface ExistingDatabaseForm {
    /** An Aurora cluster (`clusterIdentifier`) or an RDS instance (`instanceIdentifier`). */
    readonly kind: "cluster" | "instance";
    /** The cluster's or instance's identifier. */
    readonly identifier: string;
    /** The master user's secret, when the database has no RDS-managed one. */
    readonly masterSecretArn?: string;
    /** The database security group that admits the proxy and the bootstrap; default: its first VPC security group. */
    readonly securityGroupId?: string;
}

/** Where to ask: the stack's region and account, and the role it deploys with. */
export interface LookupRequest {
    readonly form: ExistingDatabaseForm;
    readonly region: string;
    /** The stack's `accountId`: a database whose ARN is in another account is refused. */
    readonly accountId: string;
    readonly assumeRoleArn?: string;
}

/** The master secret the bootstrap logs in with. */
export interface MasterSecretFacts {
    readonly arn: string;
    /** Whether RDS manages it (`MasterUserSecret`) or config named it (`masterSecretArn`). */
    readonly managedByRds: boolean;
    /** Its KMS key's ARN; absent when Secrets Manager's AWS-managed key (`aws/secretsmanager`) encrypts it. */
    readonly kmsKeyArn?: string;
}

/** Whether the server refuses connections without TLS, as its parameter group says. */
export interface TlsFacts {
    /** The DB cluster parameter group (cluster) or DB parameter group (instance) that decides it. */
    readonly parameterGroup: string;
    readonly parameterGroupKind: "cluster" | "instance";
    /** `rds.force_ssl` or `require_secure_transport`. */
    readonly parameter: string;
    /** Its value in the group; absent when the group does not set one (the engine's default applies). */
    readonly value?: string;
    /** True when the value forces TLS, false when it does not, undefined when the group gives no value. */
    readonly forced?: boolean;
}

/** What the RDS API (and, for a named master secret, Secrets Manager) reports for the database. */
export interface ExistingDatabaseFacts {
    readonly kind: "cluster" | "instance";
    readonly identifier: string;
    readonly arn: string;
    /** The resource ID `rds-db:connect` names: `cluster-…` or `db-…`. */
    readonly resourceId: string;
    /** The engine as RDS names it (any string: the checks refuse what this project does not publish). */
    readonly engine: string;
    readonly engineVersion: string;
    /** Aurora's engine mode (`provisioned`, `serverless`, …); absent for instances. */
    readonly engineMode?: string;
    /** `available`, `stopped`, … */
    readonly status: string;
    /** The port the database listens on (the proxy connects to it there). */
    readonly port: number;
    readonly vpcId: string;
    readonly subnetGroupName: string;
    readonly subnetIds: readonly string[];
    /** Its VPC security groups, in the order RDS lists them. */
    readonly securityGroupIds: readonly string[];
    readonly iamDatabaseAuthentication: boolean;
    /** The instances that are publicly accessible (the instance itself, or the cluster's members). */
    readonly publicInstances: readonly string[];
    readonly storageEncrypted: boolean;
    readonly masterUsername: string;
    /** The master secret: RDS's own, or the one config named; absent when there is neither. */
    readonly masterSecret?: MasterSecretFacts;
    /** The name the bootstrap dials: the cluster's writer endpoint, or the instance's address. */
    readonly writerEndpoint: string;
    /** A cluster's readers (members that are not the writer); 0 for an instance. */
    readonly readers: number;
    /** The database created with it (`DatabaseName` / `DBName`), if any. */
    readonly databaseName?: string;
    readonly tls: TlsFacts;
    /**
     * Why the database cannot be an RDS Proxy target although its engine can, as RDS reports it: a read replica
     * (`ReadReplicaSourceDBInstanceIdentifier`), a member of a cluster (`DBClusterIdentifier` on an instance), a
     * Multi-AZ DB cluster, a secondary cluster of a global database. Empty when nothing is known against it.
     */
    readonly notATarget: readonly string[];
}

/** The answer of a lookup: the facts, or why there are none (not found, another account, no access). */
export type LookupResult =
    | { readonly facts: ExistingDatabaseFacts }
    | {
          readonly refused: {
              readonly key: string;
              readonly value: string;
              readonly why: string;
              readonly fix: string;
          };
      };

/** Asks AWS about the database config names. */
export type DatabaseLookup = (request: LookupRequest) => Promise<LookupResult>;

let installed: DatabaseLookup | undefined;

/**
 * Replaces the lookup (the test harness and `npm run plan` answer from given facts); `undefined` restores the RDS
 * API's.
 */
export function useDatabaseLookup(lookup: DatabaseLookup | undefined): void {
    installed = lookup;
}

/** The lookup in force: the one installed, else `fallback` (the RDS API's). */
export function databaseLookup(fallback: DatabaseLookup): DatabaseLookup {
    return installed ?? fallback;
}

/**
 * Why RDS Proxy cannot front a database although its engine can, read from what DescribeDBClusters reports: each
 * entry is a clause that completes "but …" and says what to name instead. RDS Proxy targets Aurora clusters and RDS
 * instances, "only ... the writer DB instance, not a read replica", and "Using RDS Proxy with Aurora clusters that
 * are part of an Aurora global database isn't currently supported" (RDS User Guide, "Quotas and limitations for RDS
 * Proxy"). A Multi-AZ DB cluster (a cluster of a non-Aurora engine) is a cluster this project does not publish: its
 * cluster path (reader endpoint, cluster parameter group, `cluster-` resource ID) is Aurora's.
 */
export function notATargetOfCluster(db: {
    readonly Engine?: string;
    readonly GlobalClusterIdentifier?: string;
    readonly ReplicationSourceIdentifier?: string;
}): string[] {
    const out: string[] = [];
    if (db.Engine !== undefined && !db.Engine.startsWith("aurora"))
        out.push(
            `it is a Multi-AZ DB cluster (engine ${JSON.stringify(db.Engine)}), and this project publishes Aurora clusters ` +
                `and RDS instances only`,
        );
    if (db.GlobalClusterIdentifier)
        out.push(
            `it belongs to the Aurora global database ${JSON.stringify(db.GlobalClusterIdentifier)}, and RDS Proxy does ` +
                `not front clusters of a global database`,
        );
    if (db.ReplicationSourceIdentifier)
        out.push(
            `it is a read replica of ${JSON.stringify(db.ReplicationSourceIdentifier)}, and RDS Proxy fronts only the ` +
                `writer of a replication, not a read replica: name the source cluster instead`,
        );
    return out;
}

/**
 * As `notATargetOfCluster`, for what DescribeDBInstances reports of an instance and, for RDS for MySQL and MariaDB,
 * the value of `read_only` in its DB parameter group: RDS Proxy cannot front such an instance "that has the
 * `read_only` parameter in its DB parameter group set to `1`" (same page). Its default, `{TrueIfReplica}`, is not 1.
 */
export function notATargetOfInstance(
    db: {
        readonly DBClusterIdentifier?: string;
        readonly ReadReplicaSourceDBInstanceIdentifier?: string;
        readonly ReadReplicaSourceDBClusterIdentifier?: string;
        readonly DBParameterGroups?: readonly { readonly DBParameterGroupName?: string }[];
    },
    readOnly?: string,
): string[] {
    const out: string[] = [];
    if (readOnly !== undefined && isOn(readOnly))
        out.push(
            `its DB parameter group ${JSON.stringify(db.DBParameterGroups?.[0]?.DBParameterGroupName ?? "")} sets ` +
                `read_only to ${JSON.stringify(readOnly)}, and RDS Proxy cannot front a MySQL or MariaDB instance whose ` +
                `read_only parameter is 1: set it to 0 in that group, or attach another group`,
        );
    if (db.DBClusterIdentifier)
        out.push(
            `it is an instance of the DB cluster ${JSON.stringify(db.DBClusterIdentifier)}, and RDS Proxy fronts the ` +
                `cluster, not its instances: set 'database.existing.clusterIdentifier' to ` +
                `${JSON.stringify(db.DBClusterIdentifier)} instead of 'instanceIdentifier'`,
        );
    const source = db.ReadReplicaSourceDBInstanceIdentifier ?? db.ReadReplicaSourceDBClusterIdentifier;
    if (source)
        out.push(
            `it is a read replica of ${JSON.stringify(source)}, and RDS Proxy fronts only the writer of a ` +
                `replication, not a read replica: name the source instead`,
        );
    return out;
}

/**
 * Why the database's VPC keeps RDS Proxy out: "You can't use RDS Proxy with a VPC that has its tenancy set to
 * `dedicated`" (RDS User Guide, "Quotas and limitations for RDS Proxy").
 */
export function notATargetOfVpc(vpcId: string, tenancy: string | undefined): string[] {
    return tenancy === "dedicated"
        ? [
              `its VPC ${JSON.stringify(vpcId)} has dedicated instance tenancy, and RDS Proxy cannot be placed in such a ` +
                  `VPC: publish a database of a VPC of default tenancy`,
          ]
        : [];
}

/**
 * Whether a boolean parameter's value is on, as `rds.force_ssl` (PostgreSQL: `1`), `require_secure_transport` and
 * `read_only` (MySQL's boolean system variables: `ON`, `1` or `TRUE`, in any letter case) write it. A formula such as
 * `{TrueIfReplica}` is not on.
 */
export function isOn(value: string): boolean {
    return ["1", "on", "true"].includes(value.trim().toLowerCase());
}

/**
 * The ARN of the KMS key a secret names (`KmsKeyId` of DescribeSecret or of `MasterUserSecret`): a key ARN as it is,
 * a key ID made an ARN in the secret's account and region; none for Secrets Manager's AWS-managed key
 * (`aws/secretsmanager`, which is what an absent `KmsKeyId` means too: Secrets Manager API Reference, DescribeSecret,
 * KmsKeyId). Another alias cannot be made a key ARN without KMS: `{ unresolved }`.
 */
export function kmsKeyArnOf(
    kmsKeyId: string | undefined,
    region: string,
    secretArn: string,
): { arn?: string; unresolved?: string } {
    if (kmsKeyId === undefined || kmsKeyId === "" || /(^|:)alias\/aws\/secretsmanager$/.test(kmsKeyId))
        return {};
    if (/^arn:[^:]+:kms:[^:]*:\d{12}:key\//.test(kmsKeyId)) return { arn: kmsKeyId };
    const [, partition, , , account] = secretArn.split(":");
    if (/^[0-9a-f-]{36}$|^mrk-[0-9a-f]{32}$/.test(kmsKeyId) && partition && account)
        return { arn: `arn:${partition}:kms:${region}:${account}:key/${kmsKeyId}` };
    return { unresolved: kmsKeyId };
}

/**
 * A value as one word of a shell command the messages give: as it is when it holds only characters no shell treats
 * specially, else in single quotes (a quote inside closed, escaped and reopened). RDS names may hold spaces (a DB
 * subnet group's), and config's values are never pasted into a command unquoted.
 */
export function shellWord(value: string): string {
    return /^[A-Za-z0-9._:/@+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
