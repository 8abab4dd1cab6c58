/** The consumer (app-account) side of the path: interface or resource endpoints, private DNS, AZ matching. */
export { InterfaceEndpoint } from "./interface-endpoint";
export type { InterfaceEndpointArgs } from "./interface-endpoint";
export { ResourceEndpoints } from "./resource-endpoints";
export type { LatticeResource, ResourceEndpointsArgs } from "./resource-endpoints";
export { ProxyDns } from "./proxy-dns";
export type { ProxyDnsArgs, ProxyHostname } from "./proxy-dns";
export { chooseZones, matchZones } from "./az-match";
export type { Zone, ZoneMatch } from "./az-match";
export { regionalDnsEntry } from "./dns-entry";
export type { DnsEntry } from "./dns-entry";
export { ApplicationAccess, applicationAccessPolicy } from "./application-access";
export type { ApplicationAccessArgs, PolicyDocument, PolicyStatement } from "./application-access";
export { ApiEndpoint } from "./api-endpoint";
export type { ApiEndpointArgs } from "./api-endpoint";
export {
    DeveloperAccess,
    DEFAULT_DEVELOPER_INSTANCE_TYPE,
    developerInstanceTypeRule,
    PORT_FORWARDING_DOCUMENT,
} from "./developer-access";
export type { DeveloperAccessArgs } from "./developer-access";
