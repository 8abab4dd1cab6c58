import type { ResourceValidationPolicy } from "@pulumi/policy";
import { providerBoolean, PUBLIC_CAPABLE_DATABASES, subject } from "../lib/resources";

/**
 * Blocks database resources that get a public IP address: RDS instances, Aurora cluster instances, Multi-AZ DB
 * clusters, Aurora Limitless shard groups, Redshift clusters and Serverless workgroups, DocumentDB and Neptune
 * instances, Lightsail databases. A string or number is read the way the provider reads it (`"True"`, `"1"`).
 */
export const rdsNoPublicAccess: ResourceValidationPolicy = {
    name: "rds-no-public-access",
    description:
        "RDS instances and clusters, Aurora cluster instances and other databases (Redshift, DocumentDB, Neptune, Lightsail) must not be publicly accessible.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const path = PUBLIC_CAPABLE_DATABASES[args.type];
        if (path === undefined) {
            return;
        }
        // Omitted passes: the provider documents false as the default for instances, cluster instances, Redshift
        // clusters and Neptune instances. For a Multi-AZ DB cluster and a shard group RDS decides when nothing is sent
        // (public in a VPC with an internet gateway: PubliclyAccessible of CreateDBCluster and CreateDBShardGroup),
        // which the pack cannot see; docs/policy.md says so.
        const value: unknown = args.props.publiclyAccessible;
        if (value === undefined || value === null) {
            return;
        }
        const read = providerBoolean(value);
        if (read === false) {
            return;
        }
        const shown = JSON.stringify(value);
        const what =
            value === true
                ? "sets publiclyAccessible: true, which gives it a public IP address"
                : read === true
                  ? `sets publiclyAccessible: ${shown}, which the provider reads as true and which gives it a public IP address`
                  : `sets publiclyAccessible: ${shown}, which is not a boolean the provider reads as false, so the pack cannot tell that it stays private`;
        reportViolation(
            `${subject(args.type, args.name)} ${what}. ` +
                `Fix: remove publiclyAccessible or set it to false; clients reach the database through ${path}.`,
        );
    },
};
