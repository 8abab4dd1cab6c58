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
import {
    checkValue,
    matching,
    problem,
    requireSome,
    rule,
    zoneNamePattern,
    type Problem,
    type Surface,
} from "../../vocabulary";
import { validateArgs } from "../validation";

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
        validateArgs("ProxyDns", name, args, {}, (surface, problems) =>
            checkHostnames(surface, problems, args),
        );

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

/** A key that names child resources: the same rule wherever a consumer component takes one. */
export const keyRule = rule(
    matching(/^[a-z][a-z0-9-]*$/),
    "lowercase letters, digits and hyphens, starting with a letter",
    '"writer"',
);
/** A proxy hostname as a DNS name here: lowercase, two labels or more. */
export const zoneNameRule = rule(
    matching(zoneNamePattern),
    "a lowercase DNS hostname with at least two labels",
    '"app.proxy-abcdefghijkl.eu-west-1.rds.amazonaws.com"',
);

/** Each hostname needs a valid, distinct key and a valid, distinct name. */
function checkHostnames(surface: Surface, problems: Problem[], args: ProxyDnsArgs): void {
    requireSome(surface, problems, "hostnames", args.hostnames, "hostname");
    args.hostnames.forEach(({ key, hostname }, i) => {
        checkValue(surface, problems, `hostnames[${i}].key`, key, keyRule);
        checkValue(surface, problems, `hostnames[${i}].hostname`, hostname, zoneNameRule);
    });
    for (const field of ["key", "hostname"] as const) {
        const values = args.hostnames.map((h) => h[field]);
        if (new Set(values).size !== values.length) {
            problems.push(
                problem(
                    surface,
                    "hostnames",
                    values,
                    `it has duplicate ${field}s`,
                    `Give each ${field} once.`,
                ),
            );
        }
    }
}
