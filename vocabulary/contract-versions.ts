/**
 * The contract's versions, and the one model both sides work with.
 *
 * - Version 1 (./contract.ts `contractV1Shape`): flat; every version-1 contract is of the PrivateLink path.
 * - Version 2 (`contractV2Shape`): the same common fields, every one a producer of this release exports required, and
 *   `connectivity`, one object per path: `privatelink-nlb` (the endpoint service, its AZ IDs, the read-only listener
 *   port, the supported regions) or `vpc-lattice` (the resource configurations, the RAM share, the invited
 *   accounts). The NLB-only fields are absent on the Lattice path because nothing there means them: no endpoint
 *   service and no AZ to match (a resource endpoint is placed in the consumer's own subnets), and no second listener
 *   port (the read-only endpoint has its own resource configuration on the proxy's port).
 *
 * Both read into `Contract`: the common fields and `connectivity`, with `version` saying which was read. A producer
 * on the PrivateLink path writes version 1 (`toWire`), so that consumers of every release keep reading it; only the
 * Lattice path, which an earlier consumer could not build, needs version 2, and so does a contract with `dsql`
 * (./contract-dsql.ts), so that a consumer of an earlier release refuses it on its version instead of ignoring it.
 */
import { CONTRACT_FIELDS, field, contractV1Shape, type ContractV1 } from "./contract";
import { contractDsqlShape, type ContractDsql } from "./contract-dsql";
import { choice, INVALID, literal, object, optional, type Infer, type Shape } from "./shapes";

/** Every version this release reads. */
export const CONTRACT_VERSIONS = [1, 2] as const;

/** The connectivity of a version-2 contract on the PrivateLink path. */
const privateLinkPathShape = object(
    {
        kind: literal("privatelink-nlb"),
        endpointServiceName: field(CONTRACT_FIELDS.endpointServiceName),
        availabilityZoneIds: field(CONTRACT_FIELDS.availabilityZoneIds),
        readOnlyPort: optional(field(CONTRACT_FIELDS.readOnlyPort)),
        supportedRegions: optional(field(CONTRACT_FIELDS.supportedRegions)),
    },
    { strict: false },
);

/** The connectivity of a version-2 contract on the VPC Lattice path. */
const latticePathShape = object(
    {
        kind: literal("vpc-lattice"),
        resourceConfigurationArn: field(CONTRACT_FIELDS.resourceConfigurationArn),
        readOnlyResourceConfigurationArn: optional(field(CONTRACT_FIELDS.readOnlyResourceConfigurationArn)),
        resourceShareArn: field(CONTRACT_FIELDS.resourceShareArn),
        invitedAccountIds: field(CONTRACT_FIELDS.invitedAccountIds),
    },
    { strict: false },
);

export type PrivateLinkPath = Infer<typeof privateLinkPathShape>;
export type LatticePath = Infer<typeof latticePathShape>;
/** How consumers reach the proxy, and what that path needs of them. */
export type ContractConnectivity = PrivateLinkPath | LatticePath;

const PATHS: { readonly [K in ContractConnectivity["kind"]]: Shape<ContractConnectivity> } = {
    "privatelink-nlb": privateLinkPathShape,
    "vpc-lattice": latticePathShape,
};

/** `connectivity`: the path's shape, chosen by its `kind`; a kind this release does not know is said as such. */
const connectivityShape: Shape<ContractConnectivity> = choice((value, path, faults) => {
    const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
    if (typeof kind === "string" && Object.hasOwn(PATHS, kind))
        return PATHS[kind as ContractConnectivity["kind"]];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        faults.push({ path, value, why: { kind: "type", expected: "object" } });
    } else {
        faults.push({
            path: [...path, "kind"],
            value: kind,
            why: {
                kind: "custom",
                reason: `this release knows the connectivity kinds ${Object.keys(PATHS)
                    .map((k) => `"${k}"`)
                    .join(", ")}`,
                fix: "Deploy both stacks from the same release of rds-cross-account (the db-account stack first).",
            },
        });
    }
    return INVALID;
});

/** The shape of contract version 2; other keys are dropped. */
export const contractV2Shape = object(
    {
        version: literal(2),
        producerAccountId: field(CONTRACT_FIELDS.producerAccountId),
        region: field(CONTRACT_FIELDS.region),
        engine: field(CONTRACT_FIELDS.engine),
        port: field(CONTRACT_FIELDS.port),
        proxyEndpoint: field(CONTRACT_FIELDS.proxyEndpoint),
        readOnlyEndpoint: optional(field(CONTRACT_FIELDS.readOnlyEndpoint)),
        readOnlyProxyEndpoint: optional(field(CONTRACT_FIELDS.readOnlyProxyEndpoint)),
        idleTimeoutSeconds: field(CONTRACT_FIELDS.idleTimeoutSeconds),
        databaseName: field(CONTRACT_FIELDS.databaseName),
        consumers: field(CONTRACT_FIELDS.consumers),
        tls: field(CONTRACT_FIELDS.tls),
        connectivity: connectivityShape,
        // The producer's Aurora DSQL cluster, when it has one (./contract-dsql.ts): version 2 only.
        dsql: optional(contractDsqlShape),
    },
    { strict: false },
);

export type ContractV2 = Infer<typeof contractV2Shape>;

/** The fields of version 1 that version 2 keeps in `connectivity`. */
type PathFieldsV1 = "endpointServiceName" | "availabilityZoneIds" | "readOnlyPort" | "supportedRegions";

/**
 * A contract of either version, as both stacks use it: the common fields (those version 1 may omit still optional)
 * and `connectivity`; `version` says which was read, or which the producer writes.
 */
export type Contract = Omit<ContractV1, "version" | PathFieldsV1> & {
    readonly version: (typeof CONTRACT_VERSIONS)[number];
    readonly connectivity: ContractConnectivity;
    /** The producer's Aurora DSQL cluster (./contract-dsql.ts); only a version-2 contract carries it. */
    readonly dsql?: ContractDsql;
};

/** A parsed version-1 contract as a `Contract`: its PrivateLink fields become its `connectivity`. */
export function fromV1(v1: ContractV1): Contract {
    const {
        version: _version,
        endpointServiceName,
        availabilityZoneIds,
        readOnlyPort,
        supportedRegions,
        ...common
    } = v1;
    return {
        ...common,
        version: 1,
        connectivity: {
            kind: "privatelink-nlb",
            endpointServiceName,
            availabilityZoneIds,
            ...(readOnlyPort !== undefined ? { readOnlyPort } : {}),
            ...(supportedRegions !== undefined ? { supportedRegions } : {}),
        },
    };
}

/**
 * The value a producer exports for `contract`: version 1's flat fields for a version-1 contract (which must be of the
 * PrivateLink path), the contract itself for version 2.
 */
export function toWire(contract: Contract): ContractV1 | Contract {
    if (contract.version === 2) return contract;
    const { version: _version, connectivity, dsql, ...common } = contract;
    if (dsql !== undefined) {
        throw new Error(
            "Contract version 1 cannot carry 'dsql': a producer with a DSQL cluster writes version 2.",
        );
    }
    if (connectivity.kind !== "privatelink-nlb") {
        throw new Error(`Contract version 1 describes the PrivateLink path only, not ${connectivity.kind}.`);
    }
    const { kind: _kind, ...path } = connectivity;
    return { version: 1, ...common, ...path };
}

/** The port clients dial for the read-only endpoint: its own listener on the PrivateLink path, the proxy's otherwise. */
export function readOnlyPortOf(contract: Contract): number | undefined {
    if (contract.readOnlyEndpoint === undefined) return undefined;
    return contract.connectivity.kind === "privatelink-nlb"
        ? contract.connectivity.readOnlyPort
        : contract.port;
}

/** The shape of `version`'s contract. */
export function contractShapeOf(version: (typeof CONTRACT_VERSIONS)[number]): Shape<ContractV1 | ContractV2> {
    return version === 1 ? contractV1Shape : contractV2Shape;
}
