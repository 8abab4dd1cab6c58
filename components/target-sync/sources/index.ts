/**
 * Chooses the IP source and turns "nothing found" into a loud error, whichever source ran.
 */
import type { SyncClients } from "../aws";
import type { SOURCES } from "../rules";
import { assertOwnAddresses } from "./addresses";
import { lookupDnsIps } from "./dns";
import { lookupEniIps } from "./eni";

/** Where the proxy's IPs come from. */
export type IpSource = (typeof SOURCES)[number];

/** The source used when none is given: the proxy's network interfaces, so the Lambda runs outside the VPC. */
export const DEFAULT_SOURCE: IpSource = "eni";

/** What a lookup needs, whichever source is used. */
export interface LookupConfig {
    readonly source: IpSource;
    /** RDS Proxy name (eni source). */
    readonly proxyName: string;
    /** VPC of the proxy (and of the target group). */
    readonly vpcId: string;
    /** IPv4 CIDRs of the proxy's subnets: every address a lookup returns must be in one of them. */
    readonly subnetCidrs: readonly string[];
    /** The proxy's subnets (eni source: its interfaces are in these). */
    readonly proxySubnetIds?: readonly string[];
    /** The proxy's security groups (eni source: its interfaces carry these). */
    readonly proxySecurityGroupIds?: readonly string[];
    /** Hostname of the proxy endpoint to resolve (dns source). */
    readonly proxyEndpoint?: string;
    /** DNS server `host:port` to ask instead of the system resolver (dns source). */
    readonly dnsServer?: string;
}

/**
 * Looks the proxy's IPs up; rejects on a failed lookup, on an empty one, and on one that returns any address
 * outside the proxy's subnets (ForeignAddressError) or an interface that is not the proxy's
 * (ForeignInterfaceError).
 */
export async function lookupIps(clients: SyncClients, config: LookupConfig): Promise<string[]> {
    let ips: string[];
    let what: string;
    if (config.source === "eni") {
        if (!config.vpcId || !config.proxySubnetIds?.length || !config.proxySecurityGroupIds?.length) {
            throw new Error(
                'vpcId, proxySubnetIds and proxySecurityGroupIds are required when source is "eni".',
            );
        }
        ips = await lookupEniIps(
            clients,
            {
                vpcId: config.vpcId,
                subnetIds: config.proxySubnetIds,
                securityGroupIds: config.proxySecurityGroupIds,
            },
            config.proxyName,
        );
        what = `no network interfaces of proxy ${config.proxyName} in ${config.vpcId}`;
    } else if (config.source === "dns") {
        if (!config.proxyEndpoint) {
            throw new Error('proxyEndpoint is required when source is "dns".');
        }
        ips = await lookupDnsIps(config.proxyEndpoint, config.dnsServer);
        what = `no A records for ${config.proxyEndpoint}`;
    } else {
        throw new Error(`source must be "eni" or "dns", got "${String(config.source)}".`);
    }
    if (ips.length === 0) {
        const e = new Error(`The lookup found ${what}; nothing was changed.`);
        e.name = "EmptyLookupError";
        throw e;
    }
    assertOwnAddresses(
        ips,
        config.subnetCidrs,
        config.source === "eni" ? `proxy ${config.proxyName}'s interfaces` : String(config.proxyEndpoint),
    );
    return ips;
}
