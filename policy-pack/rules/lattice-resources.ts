// The VPC Lattice path's own resources: a resource configuration that publishes a database, and the consumer's
// Resource-type VPC endpoint that reaches it.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
    databasePorts,
    PORT_LIST_SCHEMA,
    providerBoolean,
    readPortList,
    readStringList,
    recordOf,
    subject,
    TYPES,
    listOf,
} from "../lib/resources";
import { checkEvery, isUnknownValueError } from "../lib/unknowns";
import { isDatabaseResourceEndpoint, isProxyHostname } from "./tls-endpoint-dns";

const CONFIGURATION_POLICY = "lattice-database-resource-configuration";
const ENDPOINT_POLICY = "resource-endpoint-private-dns-domains";

/** DNS names of RDS, in the commercial and China partitions; a DNS resource within one fronts a database. */
const RDS_DOMAIN = /(?:^|\.)rds\.amazonaws\.com(?:\.cn)?$/;
/** `<label>.proxy-<id>.<region>.rds.amazonaws.com`, also below `endpoint.`: the proxy's domain is group 1. */
const PROXY_HOSTNAME = /^(?:[a-z0-9-]+\.)+?(proxy-[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com(?:\.cn)?)$/;
const ONE_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A port range of a resource configuration: `5432` or `5432-5433` ("Port ranges to access the Resource either single port `80` or range `80-81`", pulumi-aws 7). */
const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function normalizeName(value: string): string {
    return value.toLowerCase().replace(/\.$/, "");
}

/** The inclusive ports of a range entry, or undefined when the entry is not one. */
function portsOf(entry: unknown): { from: number; to: number } | undefined {
    const match = PORT_RANGE.exec(String(entry));
    if (match === null) {
        return undefined;
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    return from >= 1 && to <= 65535 && from <= to ? { from, to } : undefined;
}

/** True when a known range holds a watched port; an unknown range is rethrown only when no known one does. */
function holdsPort(ranges: ArrayLike<unknown>, watched: readonly number[]): boolean {
    let holds = false;
    try {
        checkEvery(ranges, (entry) => {
            const range = portsOf(entry);
            holds ||= range !== undefined && watched.some((p) => p >= range.from && p <= range.to);
        });
    } catch (error) {
        if (!holds || !isUnknownValueError(error)) {
            throw error;
        }
    }
    return holds;
}

/** True when `name` is exactly one DNS label under `domain` (a wildcard certificate's reach). */
function coversOneLabel(name: string, domain: string): boolean {
    const normalized = normalizeName(name);
    return normalized.endsWith(`.${domain}`) && ONE_LABEL.test(normalized.slice(0, -domain.length - 1));
}

/** What the definition says the configuration points at: an RDS DNS name or ARN, or nothing the pack reads. */
function rdsTargetOf(definition: Record<string, unknown> | undefined): { dns?: string; arn?: string } {
    const dnsName: unknown = recordOf(definition?.dnsResource)?.domainName;
    if (typeof dnsName === "string" && RDS_DOMAIN.test(normalizeName(dnsName))) {
        return { dns: normalizeName(dnsName) };
    }
    const arn: unknown = recordOf(definition?.arnResource)?.arn;
    if (typeof arn === "string" && /^arn:aws[a-z-]*:rds:/.test(arn)) {
        return { arn };
    }
    return {};
}

/**
 * Blocks a resource configuration that publishes a database more widely than the database needs. A configuration
 * publishes a database when its DNS resource is an RDS name (`…rds.amazonaws.com`), its ARN resource an RDS ARN, or a
 * port range holds a database port (built-in or `extraPorts`). Then each port range must be one port (the engine's:
 * a wider range reaches every other port of the target's addresses); `protocol`, when set, must be `TCP` (the only
 * value the provider documents); `allowAssociationToShareableServiceNetwork` must not be true (it lets the
 * configuration be added "to service networks that are shared with other accounts", UpdateResourceConfiguration,
 * VPC Lattice API Reference, so accounts the RAM share never named could reach it; the API's default is false,
 * CreateResourceConfiguration); and a `customDomainName` for an RDS Proxy target must be one label under the proxy's
 * own domain (`<name>.proxy-<id>.<region>.rds.amazonaws.com`), the only names its wildcard certificate covers ("the
 * proxy uses a wildcard certificate", AWS Knowledge Center, "connect to RDS Proxy"), or sslmode=verify-full fails on
 * the name consumers are given.
 */
export const latticeDatabaseResourceConfiguration: ResourceValidationPolicy = {
    name: CONFIGURATION_POLICY,
    description:
        "VPC Lattice resource configurations that publish a database must expose one TCP port, stay out of shareable service networks, and use a custom domain name the proxy's certificate covers.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraPorts: PORT_LIST_SCHEMA } },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.latticeResourceConfiguration) {
            return;
        }
        const watched = databasePorts(
            readPortList(args.getConfig<Record<string, unknown>>(), "extraPorts", CONFIGURATION_POLICY),
        );
        const who = subject(args.type, args.name);
        const target = rdsTargetOf(recordOf(args.props.resourceConfigurationDefinition));
        const ranges = listOf(args.props.portRanges);
        const what =
            target.dns !== undefined || target.arn !== undefined
                ? `publishes the database ${target.dns ?? target.arn}`
                : holdsPort(ranges, watched)
                  ? "publishes a database port"
                  : undefined;
        if (what === undefined) {
            return;
        }
        // Each setting is judged on its own, so one unknown during preview does not hide a violation of another.
        checkEvery<() => void>(
            [
                () =>
                    checkEvery(ranges, (entry, index) => {
                        const range = portsOf(entry);
                        if (range === undefined || range.from !== range.to) {
                            const why =
                                range === undefined
                                    ? "which the pack cannot read as a port or a port range"
                                    : `which exposes ${range.to - range.from + 1} ports of the target`;
                            reportViolation(
                                `${who} ${what}, and portRanges[${index}] is ${JSON.stringify(entry)}, ${why}. Fix: list the engine's port alone (for example "5432").`,
                            );
                        }
                    }),
                () => {
                    const protocol: unknown = args.props.protocol;
                    if (protocol !== undefined && protocol !== null && protocol !== "TCP") {
                        reportViolation(
                            `${who} ${what}, and sets protocol: ${JSON.stringify(protocol)}. Fix: set protocol: "TCP", the protocol of database connections.`,
                        );
                    }
                },
                () => {
                    const shareable: unknown = args.props.allowAssociationToShareableServiceNetwork;
                    if (
                        shareable !== undefined &&
                        shareable !== null &&
                        providerBoolean(shareable) !== false
                    ) {
                        reportViolation(
                            `${who} ${what}, and sets allowAssociationToShareableServiceNetwork: ${JSON.stringify(shareable)}, which lets it be added to service networks shared with accounts the RAM share does not name. Fix: remove the setting or set it to false; consumers reach the database through their own Resource endpoints.`,
                        );
                    }
                },
                () => {
                    const proxyDomain =
                        target.dns === undefined ? undefined : PROXY_HOSTNAME.exec(target.dns)?.[1];
                    const custom: unknown =
                        proxyDomain === undefined ? undefined : args.props.customDomainName;
                    if (
                        proxyDomain !== undefined &&
                        typeof custom === "string" &&
                        !coversOneLabel(custom, proxyDomain)
                    ) {
                        reportViolation(
                            `${who} ${what}, and sets customDomainName: ${JSON.stringify(custom)}, which the proxy's certificate (*.${proxyDomain}) does not cover, so sslmode=verify-full fails on the name consumers dial. Fix: use one label under ${proxyDomain}, such as the proxy's own hostname.`,
                        );
                    }
                },
            ],
            (check) => check(),
        );
    },
};

/** Why a private DNS domain of a Resource endpoint is refused, or undefined for a full RDS hostname. */
function domainProblem(domain: unknown): string | undefined {
    if (typeof domain !== "string") {
        return "is not a string";
    }
    if (domain.includes("*")) {
        return "is a wildcard, which admits every name below it that the resource owner chooses";
    }
    return isProxyHostname(domain)
        ? undefined
        : "is not one full RDS hostname (<proxy>.proxy-<id>.<region>.rds.amazonaws.com), so either verify-full fails on it or the zone answers names of other databases";
}

const DNS_FIX =
    'Fix: set dnsOptions { privateDnsPreference: "SPECIFIED_DOMAINS_ONLY", privateDnsSpecifiedDomains: [the proxy\'s hostnames] }.';

/** What each other preference admits ("DnsOptionsSpecification", Amazon EC2 API Reference). */
const PREFERENCE_PROBLEMS: Readonly<Record<string, string>> = {
    ALL_DOMAINS:
        "which makes VPC Lattice answer every custom domain name the resource's owner sets, verified or not, inside the VPC",
    VERIFIED_DOMAINS_ONLY:
        "which admits whatever domain the resource's owner has verified, and never the proxy's name under rds.amazonaws.com, which no AWS customer can verify",
    VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS:
        "which admits, besides the specified domains, whatever domain the resource's owner has verified",
};

/**
 * Blocks a Resource-type VPC endpoint with private DNS on whose DNS preference admits names beyond the proxy's: only
 * `SPECIFIED_DOMAINS_ONLY` with every specified domain a full RDS hostname passes. An omitted preference fails, since
 * the pack cannot tell which domains AWS then admits. An endpoint with private DNS off is judged by
 * database-endpoint-private-dns (it needs a private zone of the stack instead).
 */
export const resourceEndpointPrivateDnsDomains: ResourceValidationPolicy = {
    name: ENDPOINT_POLICY,
    description:
        "Resource VPC endpoints with private DNS must admit only the proxy's hostnames (privateDnsPreference SPECIFIED_DOMAINS_ONLY).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            resourceConfigurationArns: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description:
                    "Resource configuration ARNs whose endpoints count as database endpoints; empty means every Resource endpoint.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.vpcEndpoint) {
            return;
        }
        const arns = readStringList(
            args.getConfig<Record<string, unknown>>(),
            "resourceConfigurationArns",
            ENDPOINT_POLICY,
        );
        if (!isDatabaseResourceEndpoint(args.props, arns)) {
            return;
        }
        if (providerBoolean(args.props.privateDnsEnabled) !== true) {
            return;
        }
        const who = `${subject(args.type, args.name)} has privateDnsEnabled`;
        const options = recordOf(args.props.dnsOptions);
        const preference: unknown = options?.privateDnsPreference;
        if (preference !== "SPECIFIED_DOMAINS_ONLY") {
            const problem =
                preference === undefined || preference === null
                    ? "and no dnsOptions.privateDnsPreference, so the pack cannot tell which domains VPC Lattice answers inside the VPC"
                    : `and dnsOptions.privateDnsPreference ${JSON.stringify(preference)}, ${PREFERENCE_PROBLEMS[String(preference)] ?? "which is not a preference the pack knows"}`;
            reportViolation(`${who} ${problem}. ${DNS_FIX}`);
            return;
        }
        const domains = listOf(options?.privateDnsSpecifiedDomains);
        if (domains.length === 0) {
            reportViolation(
                `${who} and SPECIFIED_DOMAINS_ONLY but no dnsOptions.privateDnsSpecifiedDomains, so no zone answers the proxy's hostname. ${DNS_FIX}`,
            );
        }
        checkEvery(domains, (domain, index) => {
            const problem = domainProblem(domain);
            if (problem !== undefined) {
                reportViolation(
                    `${who}, and dnsOptions.privateDnsSpecifiedDomains[${index}] is ${JSON.stringify(domain)}, which ${problem}. ${DNS_FIX}`,
                );
            }
        });
    },
};
