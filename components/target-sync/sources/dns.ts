/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * `dns` source: the A records of the proxy endpoint's hostname.
 */
import { ipv4Value } from "./addresses";

/**
 * Parses `IPV4[:PORT]` or `[IPV6]:PORT` (or a bare IPv6 address, port 53) of a DNS server; throws a message
 * naming the bad value. Node's resolver takes IP addresses only, so a hostname is refused here rather than
 * when the first query is sent, and so is anything that only looks like an address (`999.1.1.1`).
 */
export function parseDnsServer(value: string): { host: string; port: number } {
    const { isIPv6 } = require("node:net") as typeof import("node:net");
    const v4 = /^([\d.]+)(?::(\d{1,5}))?$/.exec(value);
    const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(value);
    let host: string | undefined;
    let portText: string | undefined;
    if (v4 && ipv4Value(v4[1]) !== undefined) {
        [, host, portText] = v4;
    } else if (v6 && isIPv6(v6[1])) {
        [, host, portText] = v6;
    } else if (isIPv6(value)) {
        host = value;
    }
    const port = portText === undefined ? 53 : Number(portText);
    if (host === undefined || port < 1 || port > 65535) {
        throw new Error(
            `dnsServer must be an IP address with an optional port, IPV4[:PORT] or [IPV6]:PORT (such as 10.0.0.2:53), got "${value}".`,
        );
    }
    return { host, port };
}

/**
 * Resolves the IPv4 addresses of `hostname`. With `dnsServer` the query goes to that server only (tests, or a
 * specific resolver inside the VPC); without it, to the system resolver (inside a VPC, the Amazon-provided
 * resolver, which answers the proxy endpoint with its private IPs). SERVFAIL, NXDOMAIN, timeouts and
 * empty answers all reject, naming the hostname and the DNS error code.
 */
export async function lookupDnsIps(hostname: string, dnsServer?: string): Promise<string[]> {
    const dns = require("node:dns") as typeof import("node:dns");
    const resolver = new dns.promises.Resolver({ timeout: 2000, tries: 2 });
    if (dnsServer) {
        const { host, port } = parseDnsServer(dnsServer);
        resolver.setServers([host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`]);
    }
    try {
        return await resolver.resolve4(hostname);
    } catch (err) {
        const code = (err as { code?: string }).code ?? "UNKNOWN";
        const meaning: Record<string, string> = {
            ESERVFAIL: "the server failed (SERVFAIL)",
            ENOTFOUND: "the name does not exist (NXDOMAIN)",
            ENODATA: "the name has no A records (empty answer)",
            ETIMEOUT: "the query timed out",
            ECONNREFUSED: "the DNS server refused the connection",
        };
        const e = new Error(
            `DNS lookup of ${hostname} failed: ${meaning[code] ?? code}; nothing was changed.`,
        );
        e.name = "DnsLookupError";
        (e as Error & { code?: string }).code = code;
        throw e;
    }
}
