/**
 * Aurora DSQL names, as rules in the project's idiom (./rules.ts) and the functions that build and read them: the
 * cluster identifier and ARN, the per-cluster PrivateLink connection service name and the service identifier it
 * yields, the cluster's hostname over that service, and the private-zone wildcard a VPC that reaches the endpoint from
 * elsewhere answers. The stacks' DSQL support (issue 20) builds on these; docs/dsql.md says what exists.
 *
 * Sources, each cited where its pattern is defined:
 * - Amazon Aurora DSQL API Reference, "ClusterSummary" (identifier and ARN patterns) and
 *   "GetVpcEndpointServiceName" (the service name's pattern);
 * - Amazon Aurora DSQL User Guide, "Managing and connecting to Amazon Aurora DSQL clusters using AWS PrivateLink"
 *   (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/privatelink-managing-clusters.html): the management
 *   service `com.amazonaws.<region>.dsql`, the per-cluster service (example `com.amazonaws.us-east-1.dsql-fnh4`), the
 *   hostname `<cluster-id>.<service-identifier>.<region>.on.aws`, and the `*.<service-identifier>.<region>.on.aws`
 *   record for VPCs outside the endpoint's.
 */
import { PARTITIONS, parseIamArn, regionPattern, type Partition } from "./aws-ids";
import { matching, rule, satisfying, type Rule } from "./rules";

/**
 * A cluster identifier: 26 lowercase letters and digits ("ClusterSummary", `identifier`: `[a-z0-9]{26}`; the pinned
 * provider's import example is `abcde1f234ghijklmnop5qr6st`).
 */
export const dsqlClusterIdPattern = /^[a-z0-9]{26}$/;

export const dsqlClusterIdRule: Rule<string> = rule(
    matching(dsqlClusterIdPattern),
    "an Aurora DSQL cluster identifier of 26 lowercase letters and digits",
    '"abcde1f234ghijklmnop5qr6st"',
);

/**
 * A cluster ARN, `arn:<partition>:dsql:<region>:<account>:cluster/<id>` ("ClusterSummary", `arn`:
 * `arn:aws(-[^:]+)?:dsql:[a-z0-9-]{1,20}:[0-9]{12}:cluster/[a-z0-9]{26}`), read more strictly: a known partition
 * and a region code. Groups: 1 partition, 2 region, 3 account, 4 cluster identifier.
 */
const DSQL_CLUSTER_ARN = /^arn:(aws(?:-[a-z]+)*):dsql:([a-z0-9-]{1,20}):(\d{12}):cluster\/([a-z0-9]{26})$/;

/** A parsed DSQL cluster ARN. */
export interface DsqlClusterArn {
    readonly partition: Partition;
    readonly region: string;
    readonly accountId: string;
    readonly clusterId: string;
}

/** Parses a DSQL cluster ARN; undefined when it is not one. */
export function parseDsqlClusterArn(arn: unknown): DsqlClusterArn | undefined {
    if (typeof arn !== "string") return undefined;
    const m = DSQL_CLUSTER_ARN.exec(arn);
    if (!m || !(PARTITIONS as readonly string[]).includes(m[1]) || !regionPattern.test(m[2]))
        return undefined;
    return { partition: m[1] as Partition, region: m[2], accountId: m[3], clusterId: m[4] };
}

export const dsqlClusterArnRule: Rule<string> = rule(
    satisfying((v) => parseDsqlClusterArn(v) !== undefined),
    "an Aurora DSQL cluster ARN, arn:<partition>:dsql:<region>:<12-digit account>:cluster/<26-character identifier>",
    '"arn:aws:dsql:us-east-1:123456789012:cluster/abcde1f234ghijklmnop5qr6st"',
);

/** The ARN of cluster `clusterId`: what `dsql:DbConnect` and `dsql:DbConnectAdmin` are scoped to. */
export function dsqlClusterArn(
    partition: Partition,
    region: string,
    accountId: string,
    clusterId: string,
): string {
    return `arn:${partition}:dsql:${region}:${accountId}:cluster/${clusterId}`;
}

/**
 * A service identifier, the last label of a connection service name: `dsql-` and a suffix. The API Reference gives
 * the suffix as six hexadecimal digits (`dsql-[a-f0-9]{6}`, "GetVpcEndpointServiceName"); the User Guide's example is
 * `dsql-fnh4`, four characters and not hexadecimal. Both are accepted: 1-20 lowercase letters and digits. Being wider
 * is safe: a name that is not a real service fails when the endpoint is created, and the cluster identifier, which
 * the service checks, is still in every hostname.
 */
const SERVICE_IDENTIFIER = "dsql-[a-z0-9]{1,20}";

export const dsqlServiceIdentifierPattern = new RegExp(`^${SERVICE_IDENTIFIER}$`);

export const dsqlServiceIdentifierRule: Rule<string> = rule(
    matching(dsqlServiceIdentifierPattern),
    'an Aurora DSQL service identifier: "dsql-" followed by 1-20 lowercase letters and digits',
    '"dsql-fnh4"',
);

/**
 * The per-cluster connection service, `com.amazonaws.<region>.dsql-<suffix>` (what `GetVpcEndpointServiceName` returns
 * and the cluster resource exports as `vpcEndpointServiceName`). Groups: 1 region, 2 service identifier.
 */
const CONNECTION_SERVICE = new RegExp(`^com\\.amazonaws\\.([a-z0-9-]+)\\.(${SERVICE_IDENTIFIER})$`);

/** A parsed connection service name. */
export interface DsqlConnectionService {
    readonly region: string;
    /** The service identifier, such as `dsql-fnh4`: the second label of the cluster's hostname. */
    readonly serviceIdentifier: string;
}

/** Parses a connection service name; undefined when it is not one (the management service `…dsql` is not). */
export function parseDsqlConnectionServiceName(name: unknown): DsqlConnectionService | undefined {
    if (typeof name !== "string" || name.length > 128) return undefined;
    const m = CONNECTION_SERVICE.exec(name);
    if (!m || !regionPattern.test(m[1])) return undefined;
    return { region: m[1], serviceIdentifier: m[2] };
}

export const dsqlConnectionServiceNameRule: Rule<string> = rule(
    satisfying((v) => parseDsqlConnectionServiceName(v) !== undefined),
    "an Aurora DSQL connection service name, com.amazonaws.<region>.dsql-<1-20 lowercase letters and digits>",
    '"com.amazonaws.us-east-1.dsql-fnh4"',
);

/** The service identifier a connection service name yields (`dsql-fnh4`); undefined when it is not one. */
export function dsqlServiceIdentifier(serviceName: unknown): string | undefined {
    return parseDsqlConnectionServiceName(serviceName)?.serviceIdentifier;
}

/** The regional management service (`create`, `get`, `list` … clusters): `com.amazonaws.<region>.dsql`. */
export function dsqlManagementServiceName(region: string): string {
    return `com.amazonaws.${region}.dsql`;
}

/**
 * The DNS suffix of DSQL hostnames. Only `on.aws` is documented (the public `<id>.dsql.<region>.on.aws` and the
 * PrivateLink `<id>.<service-identifier>.<region>.on.aws`); a partition with another suffix is refused by the
 * hostname rule rather than guessed.
 */
export const DSQL_HOST_SUFFIX = "on.aws";

/**
 * The cluster's hostname over PrivateLink, `<cluster-id>.<service-identifier>.<region>.on.aws`: the name a client
 * dials with `sslmode=verify-full` and the name DSQL reads the cluster from. Throws on a part that breaks its rule,
 * naming every bad part.
 */
export function dsqlClusterHostname(clusterId: string, serviceIdentifier: string, region: string): string {
    const bad = [
        ...(dsqlClusterIdPattern.test(clusterId) ? [] : [`cluster identifier ${JSON.stringify(clusterId)}`]),
        ...(dsqlServiceIdentifierPattern.test(serviceIdentifier)
            ? []
            : [`service identifier ${JSON.stringify(serviceIdentifier)}`]),
        ...(regionPattern.test(region) ? [] : [`region ${JSON.stringify(region)}`]),
    ];
    if (bad.length > 0) throw new Error(`A DSQL cluster hostname cannot be built from ${bad.join(", ")}.`);
    return `${clusterId}.${serviceIdentifier}.${region}.${DSQL_HOST_SUFFIX}`;
}

/** A parsed DSQL hostname. */
export interface DsqlHost {
    readonly clusterId: string;
    /** `dsql` for the public endpoint; the service identifier (`dsql-fnh4`) for a PrivateLink connection endpoint. */
    readonly serviceIdentifier: string;
    readonly region: string;
    /** True for `<id>.dsql-<suffix>.<region>.on.aws`, the name that resolves to a connection endpoint. */
    readonly privateLink: boolean;
}

const DSQL_HOST = new RegExp(`^([a-z0-9]{26})\\.(dsql|${SERVICE_IDENTIFIER})\\.([a-z0-9-]+)\\.on\\.aws$`);

/** Parses a DSQL cluster hostname, public or PrivateLink; undefined for anything else (a `vpce-…` name included). */
export function parseDsqlHostname(host: unknown): DsqlHost | undefined {
    if (typeof host !== "string" || host.length > 253) return undefined;
    const m = DSQL_HOST.exec(host);
    if (!m || !regionPattern.test(m[3])) return undefined;
    return { clusterId: m[1], serviceIdentifier: m[2], region: m[3], privateLink: m[2] !== "dsql" };
}

export const dsqlPrivateHostnameRule: Rule<string> = rule(
    satisfying((v) => parseDsqlHostname(v)?.privateLink === true),
    "an Aurora DSQL PrivateLink hostname, <26-character cluster identifier>.dsql-<suffix>.<region>.on.aws",
    '"abcde1f234ghijklmnop5qr6st.dsql-fnh4.us-east-1.on.aws"',
);

/**
 * The private hosted zone a VPC that reaches the connection endpoint from elsewhere (peering, Transit Gateway, Direct
 * Connect) needs: `<service-identifier>.<region>.on.aws`. It shadows nothing but this one service's names.
 */
export function dsqlPrivateZoneName(serviceIdentifier: string, region: string): string {
    if (!dsqlServiceIdentifierPattern.test(serviceIdentifier) || !regionPattern.test(region)) {
        throw new Error(
            `A DSQL private zone cannot be named from service identifier ${JSON.stringify(serviceIdentifier)} and region ${JSON.stringify(region)}.`,
        );
    }
    return `${serviceIdentifier}.${region}.${DSQL_HOST_SUFFIX}`;
}

/**
 * The record that zone holds, `*.<service-identifier>.<region>.on.aws` (User Guide: "Create the CNAME DNS record with a
 * domain name in the following format: `*.service-identifier.region.on.aws`"). A wildcard covers one label, so it
 * answers every cluster behind the service and nothing deeper.
 */
export function dsqlPrivateZoneWildcard(serviceIdentifier: string, region: string): string {
    return `*.${dsqlPrivateZoneName(serviceIdentifier, region)}`;
}

/**
 * A database role a consumer maps to: a PostgreSQL identifier of 1-63 lowercase letters, digits and underscores,
 * starting with a letter. The role's schema has the same name, so neither may be one that exists for another purpose:
 * DSQL's predefined `admin` role ("Using database roles and IAM authentication": "Aurora DSQL automatically creates a
 * predefined admin role"), the `sys` schema of its views (`sys.iam_pg_role_mappings`), PostgreSQL's reserved names
 * (`pg_*`, `public`, `none`, `information_schema`, the role keywords) and `postgres` (the only database), or a
 * bootstrap's marker (`rcx_bootstrap_*`). A consumer granted CREATE on `sys` or `public` could shadow what others read.
 */
export const dsqlRoleNameRule: Rule<string> = rule(
    matching(
        /^(?!pg_|rcx_bootstrap_|(admin|sys|public|none|postgres|information_schema|current_user|current_role|session_user)$)[a-z][a-z0-9_]{0,62}$/,
    ),
    'a database role name of 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "pg_" or "rcx_bootstrap_" and not "admin", "sys", "public", "none", "postgres", "information_schema", "current_user", "current_role" or "session_user"',
    '"orders_app"',
);

/** The IAM actions that authorize a connection as a custom role and as `admin` (Service Authorization Reference). */
export const DSQL_CONNECT_ACTION = "dsql:DbConnect";
export const DSQL_CONNECT_ADMIN_ACTION = "dsql:DbConnectAdmin";

/** DSQL's one database ("Unsupported PostgreSQL features": a single built-in database named `postgres`). */
export const DSQL_DATABASE = "postgres";

/**
 * A principal that may assume the DSQL admin role (`dsql:DbConnectAdmin`): a role or user ARN, never an account root.
 * A root in a trust policy admits every principal of its account that its own policies allow, so "only named
 * principals" would not hold.
 */
export const dsqlAdminPrincipalRule: Rule<string> = rule(
    satisfying<string>((v) => typeof v === "string" && (parseIamArn(v)?.kind ?? "root") !== "root"),
    'an IAM role or user ARN (a known partition; names of 1-64 characters; not an account root, not "*")',
    '"arn:aws:iam::111111111111:role/dsql-operator"',
);
