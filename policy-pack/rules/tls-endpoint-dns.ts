import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { dependsThrough, listOf, providerBoolean, readStringList, subject, TYPES } from "../lib/resources";
import { checkEvery, isUnknownValueError } from "../lib/unknowns";

const POLICY_NAME = "database-endpoint-private-dns";

/** A customer-owned PrivateLink endpoint service name, the kind the db-account stack's contract exports. */
const ENDPOINT_SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+$/i;
/** DNS suffixes of RDS endpoints, proxy endpoints included (commercial and China partitions). */
const RDS_DNS_SUFFIXES: readonly string[] = ["rds.amazonaws.com", "rds.amazonaws.com.cn"];

function normalizeDnsName(name: string): string {
    return name.trim().toLowerCase().replace(/\.$/, "");
}

function isWithin(name: string, domain: string): boolean {
    return name === domain || name.endsWith(`.${domain}`);
}

/**
 * True for a database endpoint as this rule defines it: an interface VPC endpoint whose service is a
 * customer-owned endpoint service (`com.amazonaws.vpce.<region>.vpce-svc-<id>`) and, when the policy config lists
 * `endpointServiceNames`, one of those names. Endpoints to AWS services (`com.amazonaws.<region>.<service>`) and
 * gateway endpoints never are.
 */
export function isDatabaseEndpoint(props: Record<string, unknown>, serviceNames: readonly string[]): boolean {
    const endpointType: unknown = props.vpcEndpointType;
    // The provider's default endpoint type is Gateway.
    if (typeof endpointType !== "string" || endpointType.toLowerCase() !== "interface") {
        return false;
    }
    const serviceName: unknown = props.serviceName;
    if (typeof serviceName !== "string" || !ENDPOINT_SERVICE_NAME.test(serviceName.trim())) {
        return false;
    }
    return serviceNames.length === 0 || serviceNames.includes(serviceName.trim());
}

/**
 * True for a Resource-type VPC endpoint (the type in any case) that counts as a database endpoint: every one, or,
 * when `resourceConfigurationArns` is not empty, one whose `resourceConfigurationArn` is listed. A resource
 * configuration lives in the producer's account, so the consumer's stack cannot see what it publishes.
 */
export function isDatabaseResourceEndpoint(
    props: Record<string, unknown>,
    resourceConfigurationArns: readonly string[],
): boolean {
    const endpointType: unknown = props.vpcEndpointType;
    if (typeof endpointType !== "string" || endpointType.toLowerCase() !== "resource") {
        return false;
    }
    return (
        resourceConfigurationArns.length === 0 ||
        resourceConfigurationArns.includes(String(props.resourceConfigurationArn).trim())
    );
}

/**
 * True for a full RDS Proxy hostname (`<proxy>.proxy-<id>.<region>.rds.amazonaws.com`, or
 * `<endpoint>.endpoint.proxy-<id>.<region>.…` for a proxy endpoint; "Working with Amazon RDS Proxy endpoints", RDS
 * User Guide), not a parent of one: at least three labels before the RDS suffix, and not the `endpoint.proxy-<id>`
 * parent of the proxy endpoints. A private zone for a parent name (`rds.amazonaws.com`, `<region>.rds…`,
 * `proxy-<id>.<region>.rds…`) answers every name below it inside the VPC, so it hides the other databases and
 * proxies the applications resolve, and it is not accepted.
 */
export function isProxyHostname(name: string): boolean {
    const normalized = normalizeDnsName(name);
    const suffix = RDS_DNS_SUFFIXES.find((s) => normalized.endsWith(`.${s}`));
    if (suffix === undefined) {
        return false;
    }
    const labels = normalized.slice(0, -suffix.length - 1).split(".");
    return labels.length >= 3 && !(labels.length === 3 && labels[0] === "endpoint");
}

/** The normalized name of a private hosted zone for an RDS domain, or undefined for any other zone. */
function rdsPrivateZoneName(zone: PolicyResource): string | undefined {
    if (listOf(zone.props.vpcs).length === 0) {
        return undefined;
    }
    const name: unknown = zone.props.name;
    if (typeof name !== "string") {
        return undefined;
    }
    const normalized = normalizeDnsName(name);
    return RDS_DNS_SUFFIXES.some((suffix) => isWithin(normalized, suffix)) ? normalized : undefined;
}

/** True for an alias A/AAAA record or a CNAME record with a target. */
function pointsSomewhere(record: PolicyResource): boolean {
    const type = String(record.props.type).toUpperCase();
    if (type === "A" || type === "AAAA") {
        return listOf(record.props.aliases).length > 0;
    }
    if (type === "CNAME") {
        return listOf(record.props.records).length > 0;
    }
    return false;
}

/** True when the record lives in the zone: by the engine's dependency on zoneId, or by its fully qualified name. */
function inZone(record: PolicyResource, zone: PolicyResource, zoneName: string): boolean {
    if (dependsThrough(record, "zoneId", zone)) {
        return true;
    }
    const name: unknown = record.props.name;
    return typeof name === "string" && isWithin(normalizeDnsName(name), zoneName);
}

const FIX =
    "Fix: create a private hosted zone (aws.route53.Zone with vpcs set to the consumer VPC) for the proxy's hostname and an alias A record for that hostname pointing at the endpoint's DNS name.";
const RESOURCE_FIX =
    "Fix: set privateDnsEnabled: true with dnsOptions { privateDnsPreference: \"SPECIFIED_DOMAINS_ONLY\", privateDnsSpecifiedDomains: [the proxy's hostnames] }, or create a private hosted zone for the proxy's hostname with an alias record pointing at the endpoint's DNS name.";

/** Reports each database endpoint when no private RDS zone of the stack holds a record that answers. */
function judge(
    resources: readonly PolicyResource[],
    endpoints: readonly PolicyResource[],
    reportViolation: (message: string, urn?: string) => void,
): void {
    // One zone with an answering record settles it, whatever else is unknown; without one, an unknown zone or
    // record could be the answer, so the rule reports nothing and lets the unknown-value error through.
    let pending: unknown;
    const guard = (step: () => void): void => {
        try {
            step();
        } catch (error) {
            if (!isUnknownValueError(error)) {
                throw error;
            }
            pending ??= error;
        }
    };
    const zones: Array<{ zone: PolicyResource; name: string }> = [];
    const parents: Array<{ zone: PolicyResource; name: string }> = [];
    guard(() =>
        checkEvery(resources, (r) => {
            if (r.type === TYPES.route53Zone) {
                const name = rdsPrivateZoneName(r);
                if (name !== undefined) {
                    (isProxyHostname(name) ? zones : parents).push({ zone: r, name });
                }
            }
        }),
    );
    for (const { zone, name } of parents) {
        reportViolation(
            `${subject(zone.type, zone.name)} is a private hosted zone for ${name}, a parent of the proxy's hostname, so inside the VPC it answers every name below it and hides the other databases and proxies there. ` +
                `Fix: name each private zone after one full proxy hostname (<proxy>.proxy-<id>.<region>.rds.amazonaws.com) with an alias record at its apex.`,
            zone.urn,
        );
    }
    const records = resources.filter((r) => r.type === TYPES.route53Record);
    let answered = false;
    guard(() =>
        checkEvery(zones, ({ zone, name }) => {
            checkEvery(records, (record) => {
                if (!answered && inZone(record, zone, name) && pointsSomewhere(record)) {
                    answered = true;
                }
            });
        }),
    );
    if (answered) {
        return;
    }
    if (pending !== undefined) {
        throw pending;
    }
    for (const endpoint of endpoints) {
        const gap =
            zones.length === 0
                ? "the stack has no private hosted zone for a proxy hostname within rds.amazonaws.com"
                : `no private hosted zone of the stack (${zones.map((z) => subject(z.zone.type, z.zone.name)).join(", ")}) holds an alias A/AAAA or CNAME record`;
        const resource = String(endpoint.props.vpcEndpointType).toLowerCase() === "resource";
        const reaches = resource
            ? `connects to the resource configuration ${String(endpoint.props.resourceConfigurationArn)} without privateDnsEnabled`
            : `connects to the database endpoint service ${String(endpoint.props.serviceName)}`;
        const fix = resource ? RESOURCE_FIX : FIX;
        reportViolation(
            `${subject(endpoint.type, endpoint.name)} ${reaches}, but ${gap}, ` +
                `so clients must use the endpoint's own DNS name, which the proxy's certificate does not cover, and sslmode=verify-full fails. ${fix}`,
            endpoint.urn,
        );
    }
}

/**
 * Requires, next to every interface endpoint to a database endpoint service and every Resource endpoint (VPC
 * Lattice) whose privateDnsEnabled the provider does not read as true (its default is false), a private hosted zone (one with
 * `vpcs`) for a full proxy hostname within rds.amazonaws.com that holds an alias A/AAAA or CNAME record. That zone
 * makes the proxy's own hostname resolve to the endpoint, so the certificate's name matches and verify-full works.
 * A private zone for a parent of such a name never counts and is reported.
 */
export const databaseEndpointPrivateDns: StackValidationPolicy = {
    name: POLICY_NAME,
    description:
        "Interface endpoints to a database endpoint service, and Resource endpoints without private DNS, need a private hosted zone that answers the proxy's hostname, so clients can use sslmode=verify-full.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            endpointServiceNames: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description:
                    "Endpoint service names that count as database endpoint services; empty means every customer-owned (vpce-svc-) service.",
            },
            resourceConfigurationArns: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description:
                    "Resource configuration ARNs whose endpoints count as database endpoints; empty means every Resource endpoint.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<Record<string, unknown>>();
        const serviceNames = readStringList(config, "endpointServiceNames", POLICY_NAME);
        const resourceArns = readStringList(config, "resourceConfigurationArns", POLICY_NAME);
        const endpoints: PolicyResource[] = [];
        // Two phases: an endpoint whose service name is unknown does not keep the known ones from being judged. The
        // zones and records must all be known, though: an unknown one could be the zone that answers.
        checkEvery<() => void>(
            [
                () =>
                    checkEvery(args.resources, (r) => {
                        if (
                            r.type === TYPES.vpcEndpoint &&
                            (isDatabaseEndpoint(r.props, serviceNames) ||
                                (isDatabaseResourceEndpoint(r.props, resourceArns) &&
                                    providerBoolean(r.props.privateDnsEnabled) !== true))
                        ) {
                            endpoints.push(r);
                        }
                    }),
                () => {
                    if (endpoints.length > 0) {
                        judge(args.resources, endpoints, reportViolation);
                    }
                },
            ],
            (phase) => phase(),
        );
    },
};
