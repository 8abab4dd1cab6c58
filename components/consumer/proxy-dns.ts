/**
 * Makes the RDS Proxy's own hostnames resolve to the interface endpoint inside the application VPC, so clients
 * connect to the name the proxy's certificate carries and `verify-full` succeeds.
 *
 * Scope: one private hosted zone per hostname, named exactly after it, with a single alias record at its apex.
 * A zone for any parent name (`rds.amazonaws.com`, `<region>.rds.amazonaws.com`, `proxy-<id>.<region>…`)
 * would make Route 53 answer every name below it from that zone inside the VPC, and so hide other databases
 * and proxies the applications resolve today. A zone named after the full hostname shadows only that name.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One hostname to answer with the endpoint. */
export interface ProxyHostname {
    /** Short, stable key that names the zone and record (`writer`, `reader`); renaming it replaces them. */
    readonly key: string;
    /** The proxy endpoint's full hostname, as its certificate names it. */
    readonly hostname: string;
}

export interface ProxyDnsArgs {
    /** The application VPC the zones are associated with. */
    readonly vpcId: pulumi.Input<string>;
    /** Hostnames to answer; plain values, as they name the zones. */
    readonly hostnames: readonly ProxyHostname[];
    /** The interface endpoint's regional DNS name, the alias target. */
    readonly targetDnsName: pulumi.Input<string>;
    /** Route 53 hosted zone ID of `targetDnsName`. */
    readonly targetHostedZoneId: pulumi.Input<string>;
}

/** Private hosted zones, one per proxy hostname, each aliasing its apex to the interface endpoint. */
export class ProxyDns extends pulumi.ComponentResource {
    /** Hosted zone IDs by hostname key. */
    public readonly zoneIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ProxyDnsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("rds-cross-account:consumer:ProxyDns", name, {}, opts);
        validate(args);

        this.zoneIds = {};
        for (const { key, hostname } of args.hostnames) {
            const zone = new aws.route53.Zone(
                `${name}-${key}-zone`,
                {
                    name: hostname,
                    comment: `Answers ${hostname} with the interface endpoint to the database account (rds-cross-account)`,
                    vpcs: [{ vpcId: args.vpcId }],
                },
                { parent: this },
            );
            new aws.route53.Record(
                `${name}-${key}-alias`,
                {
                    zoneId: zone.zoneId,
                    name: hostname,
                    type: "A",
                    aliases: [
                        {
                            name: args.targetDnsName,
                            zoneId: args.targetHostedZoneId,
                            // The endpoint has no Route 53 health to evaluate; the NLB behind it handles failures.
                            evaluateTargetHealth: false,
                        },
                    ],
                },
                { parent: this },
            );
            this.zoneIds[key] = zone.zoneId;
        }
        this.registerOutputs({ zoneIds: this.zoneIds });
    }
}

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const keyPattern = /^[a-z][a-z0-9-]*$/;

function validate(args: ProxyDnsArgs): void {
    const errors: { propertyPath: string; reason: string }[] = [];
    if (args.hostnames.length === 0) {
        errors.push({
            propertyPath: "hostnames",
            reason: "hostnames is empty, but it must list at least one hostname.",
        });
    }
    args.hostnames.forEach(({ key, hostname }, i) => {
        if (!keyPattern.test(key)) {
            errors.push({
                propertyPath: `hostnames[${i}].key`,
                reason: `hostnames[${i}].key is ${JSON.stringify(key)}, but it must be lowercase letters, digits and hyphens, starting with a letter.`,
            });
        }
        if (!hostnamePattern.test(hostname)) {
            errors.push({
                propertyPath: `hostnames[${i}].hostname`,
                reason: `hostnames[${i}].hostname is ${JSON.stringify(hostname)}, but it must be a lowercase DNS hostname with at least two labels.`,
            });
        }
    });
    for (const field of ["key", "hostname"] as const) {
        const values = args.hostnames.map((h) => h[field]);
        if (new Set(values).size !== values.length) {
            errors.push({
                propertyPath: "hostnames",
                reason: `hostnames has duplicate ${field}s (${values.join(", ")}); each ${field} may appear once.`,
            });
        }
    }
    if (errors.length > 0) {
        throw new pulumi.InputPropertiesError({
            message: `ProxyDns has ${errors.length} invalid input${errors.length === 1 ? "" : "s"}.`,
            errors,
        });
    }
}
