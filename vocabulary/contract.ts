/**
 * The contract between the db-account (producer) stack and the app-account (consumer) stacks, as one schema.
 *
 * The producer exports exactly one object of one of these shapes as the stack output `contract`; consumers read it
 * through a StackReference and parse it with these rules. Everything in it is a plain, non-secret value. A new
 * version is added for any change a consumer of the previous version could misread, and the old versions are still
 * parsed (./contract-versions.ts).
 *
 * Version 1 (flat) describes a database published over PrivateLink and an NLB; version 2 says how consumers reach the
 * proxy (`connectivity`) and carries what that path needs. A producer on the PrivateLink path keeps exporting version
 * 1, which every consumer release reads; one on the VPC Lattice path exports version 2, which a consumer of an earlier
 * release refuses with its message that it supports version 1 only.
 */
import {
    ACCESS_MODES,
    DEFAULT_ACCESS_KIND,
    parseReference,
    referenceFieldsInWords,
    type AccessReference,
} from "./access";
import {
    accountIdPattern,
    azIdPattern,
    endpointServiceNamePattern,
    parseProxyHost,
    regionPattern,
    resourceConfigurationArnPattern,
    resourceShareArnPattern,
} from "./aws-ids";
import { databaseUserShapeRule } from "./database-names";
import { accountIdRule } from "./identifiers";
import { ENGINES } from "./engines";
import { distinctList, matching, oneOf, rule, satisfying, wholeNumber, type Check, type Rule } from "./rules";
import type { DataLimits } from "./faults";
import { asCheck, leaf, literal, object, optional, type Infer } from "./shapes";
import { portRule } from "./settings";

/** The version a producer of the PrivateLink path exports (./contract-versions.ts has every version). */
export const CONTRACT_VERSION = 1;

/**
 * The most characters of a value a message about the contract shows: the contract comes from another account, and
 * a field may be huge or hostile; its length is said instead (`render`).
 */
export const CONTRACT_SHOWN = 64;

/**
 * How the applications of one consumer account authenticate to the database (no secret: where to get one): its
 * account, its database user, and its mode's reference (./access).
 */
export type ConsumerAuth = {
    /** The consumer's AWS account. */
    readonly accountId: string;
    /** The database user its applications log in as. */
    readonly databaseUser: string;
} & AccessReference;

/** True for one well-formed consumer entry: its mode's reference valid, no other mode's field present. */
function isConsumerAuth(v: unknown): boolean {
    if (typeof v !== "object" || v === null) return false;
    const c = v as Record<string, unknown>;
    if (typeof c.accountId !== "string" || !accountIdPattern.test(c.accountId)) return false;
    if (!databaseUserShapeRule.schema.safeParse(c.databaseUser).success) return false;
    // The rules between a reference's fields are the contract's cross-field rules' (per ARN, against the region).
    return "reference" in parseReference(c, { betweenFields: false });
}

/** Each field's rule: what contract version 1 requires of it. */
export const CONTRACT_FIELDS = {
    /**
     * The producer's AWS account: every role, secret and key the contract names is in it. Optional: producers of
     * earlier releases did not export it (their contract's ARNs must then all be in one account).
     */
    producerAccountId: accountIdRule,
    /**
     * AWS region of the database, its proxy and what publishes it. PrivateLink consumers may be in another region
     * the contract lists in `supportedRegions`; Lattice consumers are in this one.
     */
    region: rule(matching(regionPattern), "an AWS region code", '"eu-west-1"'),
    /** The engine behind the proxy, RDS's own name for it (vocabulary/engines.ts `ENGINES`). */
    engine: rule(oneOf(ENGINES), `one of ${ENGINES.map((e) => `"${e}"`).join(", ")}`, '"aurora-postgresql"'),
    /** TCP port of the writer (read/write) proxy endpoint, and of the NLB listener in front of it. */
    port: portRule,
    /** Name of the VPC endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
    endpointServiceName: rule(
        matching(endpointServiceNamePattern),
        "a VPC endpoint service name",
        '"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"',
    ),
    /** AZ IDs (such as "euw1-az1", never AZ names) the endpoint service is offered in. */
    availabilityZoneIds: rule(
        distinctList(matching(azIdPattern), 1),
        "a non-empty list of distinct AZ IDs",
        '["euw1-az1", "euw1-az2"]',
    ),
    /**
     * Hostname of the RDS Proxy's default (read/write) endpoint, `<proxy>.proxy-<id>.<region>.rds.<suffix>`; its
     * TLS certificate (`*.proxy-<id>.<region>.rds.<suffix>`) covers it. Never `<x>.endpoint.proxy-…` or the
     * name `endpoint`: as a private zone that would be the parent of every additional endpoint of the proxy.
     */
    proxyEndpoint: rule(
        satisfying<string>((v) => {
            const host = typeof v === "string" ? parseProxyHost(v) : undefined;
            return host !== undefined && !host.endpoint && host.name !== "endpoint";
        }),
        "the hostname of an RDS Proxy's default endpoint, <proxy>.proxy-<id>.<region>.rds.amazonaws.com",
        '"app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /** Hostname of the proxy's read-only endpoint, when the producer has one (same `proxy-<id>` as the writer). */
    readOnlyEndpoint: rule(
        satisfying<string>((v) => typeof v === "string" && parseProxyHost(v) !== undefined),
        "an RDS Proxy endpoint hostname, <endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com",
        '"app-ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /**
     * NLB listener port for the read-only endpoint, present exactly when `readOnlyEndpoint` is. The read-only
     * endpoint has its own IPs, so it needs its own listener on the shared endpoint service.
     */
    readOnlyPort: portRule,
    /**
     * Seconds the proxy keeps an idle client connection before closing it (`proxy.idleClientTimeoutSeconds`), so
     * that consumers can tell applications how long a pooled connection may idle. Optional: producers before it
     * did not export it.
     */
    idleTimeoutSeconds: rule(wholeNumber(1, 28800), "a whole number of seconds from 1 to 28800", "300"),
    /**
     * The real name of the proxy's read-only endpoint, `<ep>.endpoint.proxy-<id>…`, present with
     * `readOnlyEndpoint` when that is an alias one label under `proxy-<id>` (which the proxy's wildcard
     * certificate covers, unlike this name). IAM auth tokens for the read-only endpoint are signed for this name
     * and the proxy's port (`port`): RDS checks a token against its own endpoint, not the name dialled.
     */
    readOnlyProxyEndpoint: rule(
        satisfying<string>((v) => typeof v === "string" && parseProxyHost(v)?.endpoint === true),
        "an RDS Proxy endpoint hostname, <endpoint>.endpoint.proxy-<id>.<region>.rds.amazonaws.com",
        '"app-ro.endpoint.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
    ),
    /**
     * Regions besides `region` whose consumers may create an interface endpoint to the service (cross-region
     * PrivateLink: the service's `supportedRegions`, the endpoint's `serviceRegion`). Optional in version 1: a
     * consumer of an earlier release drops it and keeps to the service's own region.
     */
    supportedRegions: rule(
        distinctList(matching(regionPattern), 1),
        "a non-empty list of distinct AWS region codes",
        '["eu-central-1"]',
    ),
    /** The VPC Lattice resource configuration of the writer (read/write) endpoint, shared with the consumers. */
    resourceConfigurationArn: rule(
        matching(resourceConfigurationArnPattern),
        "a VPC Lattice resource configuration ARN",
        '"arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0"',
    ),
    /** The resource configuration of the read-only endpoint, present exactly when `readOnlyEndpoint` is. */
    readOnlyResourceConfigurationArn: rule(
        matching(resourceConfigurationArnPattern),
        "a VPC Lattice resource configuration ARN",
        '"arn:aws:vpc-lattice:eu-west-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef1"',
    ),
    /** The AWS RAM resource share that shares the resource configurations with the consumer accounts. */
    resourceShareArn: rule(
        matching(resourceShareArnPattern),
        "an AWS RAM resource share ARN",
        '"arn:aws:ram:eu-west-1:111111111111:resource-share/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"',
    ),
    /**
     * The consumer accounts outside the producer's organization: RAM sends each an invitation, which its stack
     * accepts; accounts of the organization (with RAM sharing enabled) receive the share without one.
     */
    invitedAccountIds: rule(
        distinctList(matching(accountIdPattern), 0),
        "a list of distinct 12-digit AWS account IDs",
        '["222222222222"]',
    ),
    /** The database applications connect to. */
    databaseName: rule(matching(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), "a database name", '"app"'),
    /** How each consumer account's applications authenticate, one entry per account. */
    consumers: rule(
        distinctList(satisfying<ConsumerAuth>(isConsumerAuth), 1),
        `a non-empty list of { accountId, databaseUser, auth, ${referenceFieldsInWords()} }`,
        `[{ "accountId": "222222222222", "databaseUser": "app", "auth": "${DEFAULT_ACCESS_KIND}", ${Object.entries(
            ACCESS_MODES[DEFAULT_ACCESS_KIND].referenceRules,
        )
            .map(([field, r]) => `"${field}": ${(r as Rule).example}`)
            .join(", ")} }]`,
    ),
    /** TLS expectations every client must meet. */
    tls: rule(
        satisfying<{ sslmode: "verify-full" }>(
            (v) =>
                typeof v === "object" && v !== null && (v as { sslmode?: unknown }).sslmode === "verify-full",
        ),
        '{ "sslmode": "verify-full" }',
        '{ "sslmode": "verify-full" }',
    ),
} satisfies Record<string, Rule>;

/** The fields that are hostnames: their limit is a DNS name's. */
const HOSTNAME_FIELDS: readonly string[] = ["proxyEndpoint", "readOnlyEndpoint", "readOnlyProxyEndpoint"];

/**
 * How large a contract may be, checked before any rule reads it (so that no pattern runs over a huge value, and a
 * message says what is wrong with it). The limits are AWS's where AWS has one, and generous bounds otherwise: a
 * wrong bound refuses only a contract far larger than any real one.
 */
export const CONTRACT_LIMITS: DataLimits = {
    chars: (path) => {
        const name = String(path.at(-1));
        if (path.length === 1 && HOSTNAME_FIELDS.includes(name)) {
            // "The total length of a domain name cannot exceed 255 bytes, including the dots" (Amazon Route 53
            // Developer Guide, "DNS domain name format").
            return { max: 255, why: "the longest DNS name" };
        }
        // IAM's Role.Arn has a "Maximum length of 2048" (IAM API Reference, "Role"); the secret's and the key's ARNs
        // are taken to be no longer (not confirmed for each service: a longer one is refused, and nothing is created).
        if (name.endsWith("Arn")) return { max: 2048, why: "the longest ARN AWS accepts" };
        // Every other field's rule allows far less (a region, an account, a user of at most 63 characters).
        return { max: 255, why: "far longer than any valid value of the field" };
    },
    // Not an AWS limit: every consumer account gets its own role or secret in the producer's account, which IAM's
    // and Secrets Manager's account quotas bound far below this; AZ IDs are a handful per region.
    entries: () => ({ max: 5000, why: "far more than any real contract lists" }),
    // The contract, a consumer entry or the connectivity, their fields: nothing nests deeper.
    depth: 4,
};

/** A contract field judged by its rule as one value (a bad list is named whole, not by entry). */
export const field = <T>(r: Rule<T>) => leaf(r, { whole: true });

/**
 * The shape of contract version 1; the TypeScript type below is inferred from it. Fields a version-1 contract may
 * omit are optional: producers of earlier releases exported none of them, and a consumer of an earlier release
 * ignores them. Other keys are dropped.
 */
export const contractV1Shape = object(
    {
        version: literal(CONTRACT_VERSION),
        producerAccountId: optional(field(CONTRACT_FIELDS.producerAccountId)),
        region: field(CONTRACT_FIELDS.region),
        engine: field(CONTRACT_FIELDS.engine),
        port: field(CONTRACT_FIELDS.port),
        endpointServiceName: field(CONTRACT_FIELDS.endpointServiceName),
        availabilityZoneIds: field(CONTRACT_FIELDS.availabilityZoneIds),
        proxyEndpoint: field(CONTRACT_FIELDS.proxyEndpoint),
        readOnlyEndpoint: optional(field(CONTRACT_FIELDS.readOnlyEndpoint)),
        readOnlyPort: optional(field(CONTRACT_FIELDS.readOnlyPort)),
        supportedRegions: optional(field(CONTRACT_FIELDS.supportedRegions)),
        idleTimeoutSeconds: optional(field(CONTRACT_FIELDS.idleTimeoutSeconds)),
        readOnlyProxyEndpoint: optional(field(CONTRACT_FIELDS.readOnlyProxyEndpoint)),
        databaseName: optional(field(CONTRACT_FIELDS.databaseName)),
        consumers: optional(field(CONTRACT_FIELDS.consumers)),
        tls: field(CONTRACT_FIELDS.tls),
    },
    { strict: false },
);

export type ContractV1 = Infer<typeof contractV1Shape>;

/** The contract's shape as a check: whether a value is a version-1 contract, field by field (no cross-field rule). */
export const contractV1Schema: Check<ContractV1> = asCheck(contractV1Shape);

/** A consumer entry's reference: exactly its mode's fields, without the account and the user. */
export function referenceOf(entry: ConsumerAuth): AccessReference {
    const parsed = parseReference(entry as unknown as Record<string, unknown>);
    if ("problems" in parsed) {
        // The contract's rules have accepted the entry; a failure here is a bug of this program.
        throw new Error(
            `Consumer entry of account ${entry.accountId} has no valid reference: ${parsed.problems[0].reason}.`,
        );
    }
    return parsed.reference;
}
