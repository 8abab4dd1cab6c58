import type { ResourceValidationPolicy } from "@pulumi/policy";
import { subject, TYPES } from "../lib/resources";

/** Blocks RDS instances and Aurora cluster instances that get a public IP address. */
export const rdsNoPublicAccess: ResourceValidationPolicy = {
    name: "rds-no-public-access",
    description: "RDS instances and Aurora cluster instances must not be publicly accessible.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.rdsInstance && args.type !== TYPES.rdsClusterInstance) {
            return;
        }
        // Omitted is private: the provider's default for publiclyAccessible is false.
        const value: unknown = args.props.publiclyAccessible;
        if (value === true || value === "true") {
            reportViolation(
                `${subject(args.type, args.name)} sets publiclyAccessible: true, which gives it a public IP address. ` +
                    "Fix: remove publiclyAccessible or set it to false; clients reach the database through RDS Proxy and PrivateLink.",
            );
        }
    },
};
