/**
 * Where the proxy is, as RDS says: the CLI's source for the proxy's subnets and security groups. The operator's
 * `--proxy-subnet-ids` and `--proxy-security-group-ids` stay as overrides that must agree with RDS; they are needed
 * only when the RDS API cannot be asked (no route to it, or credentials without `rds:DescribeDBProxies`).
 *
 * The default endpoint is placed where the proxy is (`DescribeDBProxies`: `VpcSubnetIds`, `VpcSecurityGroupIds`);
 * any other endpoint (a read-only one) has subnets and security groups of its own (`DescribeDBProxyEndpoints`),
 * and with `--source dns` the addresses of that endpoint are the ones checked against them (RDS API Reference,
 * DBProxy and DBProxyEndpoint data types). With `--source eni` the proxy's own placement is used: the interfaces
 * the lookup selects are the proxy's (see sources/).
 *
 * CLI only: the Lambda and the dynamic resource are given the placement by the stack at deploy time.
 */
import {
    DescribeDBProxiesCommand,
    DescribeDBProxyEndpointsCommand,
    RDSClient,
    type DBProxy,
} from "@aws-sdk/client-rds";
import { errorName, type SyncClients } from "./aws";

/** The subnets and security groups RDS reports for the endpoint the sync serves, and which call said so. */
export interface ProxyPlacement {
    readonly vpcId?: string;
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
    /** `DescribeDBProxies` (the proxy, its default endpoint) or `DescribeDBProxyEndpoints` (another endpoint). */
    readonly reportedBy: string;
}

/** What asking RDS gave: the placement; why RDS could not be asked; or why the names given are wrong. */
export type PlacementLookup =
    | { readonly placement: ProxyPlacement }
    | { readonly unreachable: string }
    | { readonly wrong: { readonly key: "proxyName" | "proxyEndpoint"; readonly reason: string } };

/** An RDS client with the sync's region and credentials (an assumed role included). */
export function createRdsClient(clients: SyncClients): RDSClient {
    return new RDSClient({
        region: clients.ec2.config.region,
        credentials: clients.ec2.config.credentials,
        maxAttempts: 3,
    });
}

/**
 * Why RDS could not be asked, or undefined when it answered with an error that is not about access: no HTTP answer
 * at all (no route, DNS failure, timeout), or a denial (the operator's credentials may lack rds:DescribeDBProxies).
 */
function unreachable(err: unknown): string | undefined {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = errorName(err) || "Error";
    const detail = `${name}: ${(err as Error).message}`;
    if (status === undefined) return `the RDS API did not answer (${detail})`;
    if (status === 403 || /AccessDenied|UnauthorizedOperation/.test(name)) {
        return `the credentials may not read the proxy (${detail})`;
    }
    return undefined;
}

/** Asks RDS where `proxyName` (and, when it is not the default one, `proxyEndpoint`) is. */
export async function lookupPlacement(
    rds: RDSClient,
    proxyName: string,
    proxyEndpoint: string | undefined,
    region: string,
): Promise<PlacementLookup> {
    let proxy: DBProxy | undefined;
    try {
        proxy = (await rds.send(new DescribeDBProxiesCommand({ DBProxyName: proxyName }))).DBProxies?.[0];
    } catch (err) {
        if (errorName(err) !== "DBProxyNotFoundFault") {
            const why = unreachable(err);
            if (why) return { unreachable: why };
            throw err;
        }
    }
    if (!proxy) {
        return {
            wrong: {
                key: "proxyName",
                reason: `RDS has no such proxy in ${region} (DescribeDBProxies: DBProxyNotFoundFault)`,
            },
        };
    }
    if (proxyEndpoint === undefined || sameHost(proxyEndpoint, proxy.Endpoint)) {
        return {
            placement: {
                vpcId: proxy.VpcId,
                subnetIds: proxy.VpcSubnetIds ?? [],
                securityGroupIds: proxy.VpcSecurityGroupIds ?? [],
                reportedBy: "DescribeDBProxies",
            },
        };
    }
    const endpoints = [];
    try {
        let marker: string | undefined;
        do {
            const page = await rds.send(
                new DescribeDBProxyEndpointsCommand({ DBProxyName: proxyName, Marker: marker }),
            );
            endpoints.push(...(page.DBProxyEndpoints ?? []));
            marker = page.Marker;
        } while (marker);
    } catch (err) {
        const why = unreachable(err);
        if (why) return { unreachable: why };
        throw err;
    }
    const endpoint = endpoints.find((e) => sameHost(proxyEndpoint, e.Endpoint));
    if (!endpoint) {
        const known = [proxy.Endpoint, ...endpoints.map((e) => e.Endpoint)].filter(Boolean).join(", ");
        return {
            wrong: {
                key: "proxyEndpoint",
                reason: `it is not an endpoint of proxy ${proxyName} (RDS reports ${known})`,
            },
        };
    }
    return {
        placement: {
            vpcId: endpoint.VpcId,
            subnetIds: endpoint.VpcSubnetIds ?? [],
            securityGroupIds: endpoint.VpcSecurityGroupIds ?? [],
            reportedBy: "DescribeDBProxyEndpoints",
        },
    };
}

/** Hostnames compare case-insensitively, without a trailing dot. */
function sameHost(a: string, b: string | undefined): boolean {
    const norm = (h: string) => h.toLowerCase().replace(/\.$/, "");
    return b !== undefined && norm(a) === norm(b);
}

/** True when both lists hold the same IDs, in any order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
    const sa = new Set(a);
    return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/** The inputs the placement is resolved for (the CLI's, before the AWS lookups). */
export interface PlacementQuery {
    readonly proxyName: string;
    readonly source: string;
    readonly proxyEndpoint?: string;
    readonly region: string;
    readonly proxySubnetIds?: string[];
    readonly proxySecurityGroupIds?: string[];
}

/** Reports one bad input: its key, its value, why, how to fix it. */
export type Reject = (key: string, value: unknown, reason: string, fix: string) => void;

/**
 * The proxy's subnets and security groups: RDS's, which the options, when given, must equal (a disagreement is
 * rejected naming both); the options' when RDS cannot be asked (then they are required, and `note` says why they
 * were used). Returns undefined after rejecting.
 */
export async function resolvePlacement(
    clients: SyncClients,
    given: PlacementQuery,
    reject: Reject,
    note: (line: string) => void,
): Promise<{ subnetIds: string[]; securityGroupIds?: string[] } | undefined> {
    const rds = createRdsClient(clients);
    let found: PlacementLookup;
    try {
        const endpoint = given.source === "dns" ? given.proxyEndpoint : undefined;
        found = await lookupPlacement(rds, given.proxyName, endpoint, given.region);
    } finally {
        rds.destroy();
    }
    if ("wrong" in found) {
        const { key, reason } = found.wrong;
        reject(
            key,
            given[key],
            reason,
            "Pass the proxy's name and one of its endpoints (aws rds describe-db-proxies).",
        );
        return undefined;
    }
    if ("unreachable" in found) {
        const required = (key: "proxySubnetIds" | "proxySecurityGroupIds", example: string) => {
            if (given[key] === undefined) {
                reject(
                    key,
                    undefined,
                    `it is required when RDS cannot be asked where the proxy is: ${found.unreachable}`,
                    `Pass such a value, for example ${example}.`,
                );
            }
        };
        required("proxySubnetIds", "subnet-0123456789abcdef0,subnet-0123456789abcdef1");
        if (given.source === "eni") required("proxySecurityGroupIds", "sg-0123456789abcdef0");
        if (
            given.proxySubnetIds === undefined ||
            (given.source === "eni" && given.proxySecurityGroupIds === undefined)
        ) {
            return undefined;
        }
        note(
            `Note: ${found.unreachable}; using the proxy's subnets and security groups as given by the options.`,
        );
        return { subnetIds: given.proxySubnetIds, securityGroupIds: given.proxySecurityGroupIds };
    }
    const { placement } = found;
    const of =
        placement.reportedBy === "DescribeDBProxies"
            ? `proxy ${given.proxyName}`
            : `endpoint ${String(given.proxyEndpoint)}`;
    let agrees = true;
    const agree = (key: "proxySubnetIds" | "proxySecurityGroupIds", what: string, reported: string[]) => {
        const value = given[key];
        if (value !== undefined && !sameIds(value, reported)) {
            agrees = false;
            const ids = reported.join(",");
            reject(
                key,
                value.join(","),
                `RDS reports the ${what} of ${of} as ${ids || "none"} (${placement.reportedBy})`,
                `Leave the option out to use RDS's, or pass ${ids}.`,
            );
        }
    };
    agree("proxySubnetIds", "subnets", placement.subnetIds);
    agree("proxySecurityGroupIds", "security groups", placement.securityGroupIds);
    return agrees
        ? { subnetIds: placement.subnetIds, securityGroupIds: placement.securityGroupIds }
        : undefined;
}
