import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readsAsTrue } from "../lib/provider-values";
import { subject, TYPES } from "../lib/resources";

/** Blocks an RDS Proxy that accepts connections without TLS. */
export const rdsProxyRequireTls: ResourceValidationPolicy = {
    name: "rds-proxy-require-tls",
    description: "RDS Proxy must require TLS (requireTls: true).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.rdsProxy) {
            return;
        }
        // Omitted fails: the provider's default is false. A string passes only if the provider reads it as true.
        const value: unknown = args.props.requireTls;
        if (!readsAsTrue(value)) {
            const found =
                value === undefined ? "omits requireTls" : `sets requireTls: ${JSON.stringify(value)}`;
            reportViolation(
                `${subject(args.type, args.name)} ${found}, so clients can connect without TLS. Fix: set requireTls: true on the proxy.`,
            );
        }
    },
};
