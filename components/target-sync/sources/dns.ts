/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules are loaded inside the functions that use them, so the
   serialized dynamic provider captures no module object (see provider.ts). */
/**
 * `dns` source: the A records of the proxy endpoint's hostname.
 */

/** Parses `host:port` (or `host`, port 53) of a DNS server; throws a message naming the bad value. */
export function parseDnsServer(value: string): { host: string; port: number } {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value);
    const port = m?.[2] === undefined ? 53 : Number(m[2]);
    if (!m || port < 1 || port > 65535) {
        throw new Error(`dnsServer must be HOST or HOST:PORT (such as 10.0.0.2:53), got "${value}".`);
    }
    return { host: m[1].replace(/^\[|\]$/g, ""), port };
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
