/**
 * The two axes besides the access mode (./access), each one discriminated union, so that new variants are added,
 * not threaded through every component:
 *
 * - Connectivity: how consumers reach the proxy. `privatelink-nlb`: an internal NLB in front of the proxy's IPs
 *   (kept in sync), published as a VPC endpoint service; consumers create an interface endpoint and private DNS.
 *   `vpc-lattice`: a resource gateway and one resource configuration per proxy endpoint, shared through AWS RAM;
 *   consumers create a resource endpoint per configuration; no NLB, no endpoint service, no sync (Lattice resolves
 *   the proxy's name per connection).
 * - Origin: where the database comes from. `new-cluster`: an Aurora cluster this stack creates. `existing`: an
 *   Aurora cluster or RDS instance (`database.existing`) that the stack looks up at preview and publishes without
 *   changing it.
 *
 * What a variant means for the producer is written once per variant in stacks/db-account/ (connectivity.ts,
 * origins.ts), each a registry keyed by the variant's kind. The contract (./contract.ts) names the engine, which is
 * all a consumer needs of the origin, and the connectivity: version 1 only ever describes `privatelink-nlb`; version
 * 2 says the variant and carries what its consumers need.
 */
import { PRIVATELINK_IDLE_TIMEOUT_SECONDS } from "./settings";

/** Connectivity over AWS PrivateLink: an internal NLB whose IP targets are the proxy's addresses. */
export interface PrivateLinkNlb {
    readonly kind: "privatelink-nlb";
}

/**
 * Connectivity over VPC Lattice: a resource gateway in the database's VPC and one resource configuration per proxy
 * endpoint, shared with the consumer accounts through one AWS RAM share.
 */
export interface VpcLattice {
    readonly kind: "vpc-lattice";
}

/** How consumers reach the proxy. */
export type Connectivity = PrivateLinkNlb | VpcLattice;

/** The name of a connectivity variant. */
export type ConnectivityKind = Connectivity["kind"];

/** Every connectivity variant, in the order the config reference lists them (the first is the default). */
export const CONNECTIVITY_KINDS: readonly ConnectivityKind[] = ["privatelink-nlb", "vpc-lattice"];

/**
 * Seconds after which each path drops an idle TCP flow without closing it; the proxy must close idle clients
 * first (`SETTINGS.idleClientTimeoutSeconds`, `IDLE_MARGIN_SECONDS` earlier).
 *
 * - PrivateLink: 350, fixed (./settings.ts `PRIVATELINK_IDLE_TIMEOUT_SECONDS`, cited there).
 * - VPC Lattice resource endpoints: no figure for TCP flows through a resource endpoint and resource gateway was
 *   found in the VPC Lattice or PrivateLink guides (the 60 s default in "Services in VPC Lattice" is for Lattice
 *   services' listeners, not resource configurations). A resource endpoint is a VPC endpoint (type `Resource`), so
 *   the interface endpoints' 350 s is taken; the proxy closes idle clients at 330 s at most on either path, and
 *   consumers are told to send TCP keepalives well within it, so a lower real limit is met by the keepalives.
 */
export const PATH_IDLE_TIMEOUT_SECONDS: { readonly [K in ConnectivityKind]: number } = {
    "privatelink-nlb": PRIVATELINK_IDLE_TIMEOUT_SECONDS,
    "vpc-lattice": PRIVATELINK_IDLE_TIMEOUT_SECONDS,
};

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
