/**
 * `connectivity` in the db-account config (vocabulary/topology.ts): how consumers reach the proxy, and the rules
 * between it and the keys that mean something on one path only. A key that would have no effect on the chosen path
 * is refused, as `database.existing` refuses a new cluster's keys, so that nobody believes a setting is applied.
 */
import {
    CONNECTIVITY_KINDS,
    DEFAULT_CONNECTIVITY,
    IDLE_MARGIN_SECONDS,
    leaf,
    map,
    oneOf,
    PATH_IDLE_TIMEOUT_SECONDS,
    rule,
    type Connectivity,
    type ConnectivityKind,
} from "../../vocabulary";
import type { Problems } from "./read";

/** `connectivity`: one of the path names, as a plain string; absent means PrivateLink and an NLB. */
export const connectivityShape = map(
    leaf(
        rule(
            oneOf(CONNECTIVITY_KINDS),
            `one of ${CONNECTIVITY_KINDS.map((k) => `"${k}"`).join(", ")}`,
            `"${DEFAULT_CONNECTIVITY.kind}"`,
        ),
        { default: DEFAULT_CONNECTIVITY.kind },
    ),
    (kind: ConnectivityKind): Connectivity => ({ kind }),
);

/** What the connectivity rules look at: the keys as parsed (undefined where a key had its own problem). */
export interface ConnectivityKeys {
    readonly connectivity?: Connectivity;
    readonly proxy?: { readonly readOnlyPort?: number; readonly idleClientTimeoutSeconds: number };
    readonly consumers?: readonly { readonly outsideOrganization?: boolean }[];
}

/** Why each PrivateLink-only key has no effect on the Lattice path. */
const LATTICE_HAS_NO = {
    endpointService:
        "with 'connectivity' \"vpc-lattice\" there is no endpoint service: the proxy is published through resource " +
        "configurations shared with AWS RAM",
    targetSync:
        "with 'connectivity' \"vpc-lattice\" nothing keeps IPs in sync: VPC Lattice resolves the proxy's name per " +
        "connection",
} as const;

/**
 * The rules between `connectivity` and the other keys; `asSet` gives a key's value as set, undefined when it is not
 * set at all (a defaulted key parses to its defaults when absent, so its parsed value cannot tell).
 */
export function checkConnectivity(
    keys: ConnectivityKeys,
    asSet: (key: string) => unknown,
    problems: Problems,
): void {
    const kind = keys.connectivity?.kind;
    if (kind === undefined) return;
    if (kind === "vpc-lattice") {
        for (const key of ["endpointService", "targetSync"] as const) {
            const value = asSet(key);
            if (value === undefined) continue;
            problems.reject(
                key,
                value,
                `${LATTICE_HAS_NO[key]}, so it would have no effect`,
                `Remove '${key}' from {file}, or set 'connectivity' to "privatelink-nlb".`,
            );
        }
        if (keys.proxy?.readOnlyPort !== undefined) {
            problems.reject(
                "proxy.readOnlyPort",
                keys.proxy.readOnlyPort,
                "with 'connectivity' \"vpc-lattice\" the read-only endpoint has its own resource configuration on the " +
                    "proxy's port, so a listener port would have no effect",
                `Remove 'proxy.readOnlyPort' from {file}, or set 'connectivity' to "privatelink-nlb".`,
            );
        }
    } else {
        (keys.consumers ?? []).forEach((c, i) => {
            if (c.outsideOrganization === undefined) return;
            problems.reject(
                ["consumers", i, "outsideOrganization"],
                c.outsideOrganization,
                "it decides whether the Lattice path's AWS RAM share invites the account, and with 'connectivity' " +
                    `"${kind}" there is no share (the endpoint service admits exact principals), so it would have no effect`,
                `Remove 'consumers[${i}].outsideOrganization' from {file}, or set 'connectivity' to "vpc-lattice".`,
            );
        });
    }
    // The proxy closes an idle client before the path drops its flow silently (vocabulary/topology.ts).
    const idle = keys.proxy?.idleClientTimeoutSeconds;
    const max = PATH_IDLE_TIMEOUT_SECONDS[kind] - IDLE_MARGIN_SECONDS;
    if (idle !== undefined && idle > max) {
        problems.reject(
            "proxy.idleClientTimeoutSeconds",
            idle,
            `the ${kind} path drops idle connections after ${PATH_IDLE_TIMEOUT_SECONDS[kind]} seconds without ` +
                `closing them, so the proxy must close them at most ${max} seconds idle`,
            `Set 'proxy.idleClientTimeoutSeconds' in {file} to at most ${max}.`,
        );
    }
}
