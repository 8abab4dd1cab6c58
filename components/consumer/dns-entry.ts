/** Picks the regional DNS entry of an interface endpoint out of the entries AWS reports. */

/** One DNS entry of an interface VPC endpoint. */
export interface DnsEntry {
    readonly dnsName: string;
    readonly hostedZoneId: string;
}

/**
 * A zonal entry's first label ends with the AZ name (`vpce-0abc-defg-eu-west-1a`); the regional one's does not
 * (`vpce-0abc-defg`). AWS lists the regional entry first, but the order is not a documented guarantee, so
 * the entry is chosen by its shape and the first entry is only the fallback.
 */
const zonalLabel = /-[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/;

/** The regional entry (answers with the endpoint's IPs in every AZ), or undefined when there is no entry. */
export function regionalDnsEntry(entries: readonly DnsEntry[] | undefined): DnsEntry | undefined {
    if (!entries || entries.length === 0) return undefined;
    return entries.find((e) => !zonalLabel.test(e.dnsName.split(".")[0])) ?? entries[0];
}
