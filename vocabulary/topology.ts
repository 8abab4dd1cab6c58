/**
 * The two axes besides the access mode (./access), each one discriminated union with one variant today, so that
 * the coming variants are added, not threaded through every component:
 *
 * - Connectivity: how consumers reach the proxy. `privatelink-nlb`: an internal NLB in front of the proxy's IPs
 *   (kept in sync), published as a VPC endpoint service; consumers create an interface endpoint and private DNS.
 *   Planned: `vpc-lattice` (a resource gateway and one resource configuration per proxy endpoint, shared through
 *   AWS RAM; consumers create a resource endpoint per configuration; no NLB, no endpoint service, no sync). The
 *   contract can already describe it (./contract-versions.ts).
 * - Origin: where the database comes from. `new-cluster`: an Aurora cluster this stack creates. `existing`: an
 *   Aurora cluster or RDS instance (`database.existing`) that the stack looks up at preview and publishes without
 *   changing it.
 *
 * What a variant means for the producer is written once per variant in stacks/db-account/ (connectivity.ts,
 * origins.ts), each a registry keyed by the variant's kind. The contract (./contract.ts) names the engine, which is
 * all a consumer needs of the origin, and the connectivity: version 1 only ever describes `privatelink-nlb`; version
 * 2 says the variant and carries what its consumers need.
 */

/** Connectivity over AWS PrivateLink: an internal NLB whose IP targets are the proxy's addresses. */
export interface PrivateLinkNlb {
    readonly kind: "privatelink-nlb";
}

/** How consumers reach the proxy. */
export type Connectivity = PrivateLinkNlb;

/** The name of a connectivity variant. */
export type ConnectivityKind = Connectivity["kind"];

/** What a stack uses while its config has no key for the axis. */
export const DEFAULT_CONNECTIVITY: Connectivity = { kind: "privatelink-nlb" };

/** A new Aurora cluster, created and owned by the db-account stack. */
export interface NewCluster {
    readonly kind: "new-cluster";
}

/**
 * A database that exists already, which the stack publishes without changing it: an Aurora cluster or an RDS
 * instance, named by its identifier.
 */
export interface ExistingDatabase {
    readonly kind: "existing";
    /** An Aurora cluster (`clusterIdentifier`) or an RDS instance (`instanceIdentifier`). */
    readonly target: "cluster" | "instance";
    readonly identifier: string;
    /** The master user's secret, when the database has no RDS-managed one. */
    readonly masterSecretArn?: string;
    /** The database security group that admits the proxy and the bootstrap; default: its first. */
    readonly securityGroupId?: string;
}

/** Where the database comes from. */
export type DatabaseOrigin = NewCluster | ExistingDatabase;

/** The name of an origin variant. */
export type OriginKind = DatabaseOrigin["kind"];

/** What a stack uses while its config has no key for the axis. */
export const DEFAULT_ORIGIN: DatabaseOrigin = { kind: "new-cluster" };
