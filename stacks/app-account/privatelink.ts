/**
 * The PrivateLink path on the consumer's side: an interface endpoint to the producer's endpoint service, and private
 * hosted zones that answer the proxy's own names with it.
 *
 * Regions. In the service's region the endpoint takes one subnet per AZ ID both sides share (PrivateLink matches AZs by
 * ID). In another region the service lists as supported (cross-region PrivateLink, the service's `supportedRegions`
 * and the endpoint's `serviceRegion`: "Introducing Cross-Region Connectivity for AWS PrivateLink",
 * https://aws.amazon.com/blogs/networking-and-content-delivery/introducing-cross-region-connectivity-for-aws-privatelink),
 * the service's AZ IDs are another region's, so none can match: the endpoint is placed in one subnet per AZ of this
 * region, and AWS carries the traffic to the service's region. Creating it needs the permission-only action
 * `vpce:AllowMultiRegion` ("Grants permission to manage multi-region VPC endpoints", Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_vpce.html). The zones are the same names:
 * the proxy's, answered with this endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import { InterfaceEndpoint, matchZones, ProxyDns, type ProxyHostname } from "../../components/consumer";
import { DEFAULT_QUOTAS, quotaWarning, type PrivateLinkPath } from "../../vocabulary";
import { everyZone, regionFix, singleZoneWarning, type PathContext, type Subscriber } from "./path-kit";

const crossRegion = (context: PathContext) => context.contract.region !== context.region;

export const privateLinkSubscriber: Subscriber<PrivateLinkPath> = {
    checkRegion: (context, path, problems) => {
        const { contract, region, config } = context;
        if (!crossRegion(context) || (path.supportedRegions ?? []).includes(region)) return;
        const offered = path.supportedRegions?.length
            ? `, and offered in ${path.supportedRegions.join(", ")} besides`
            : ", and offered in no other region";
        problems.reject(
            "aws:region",
            region,
            `the endpoint service of ${config.producerStack} is in ${contract.region}${offered}; an interface ` +
                `endpoint in another region reaches only a service that lists that region as supported`,
            `Set it with: ${regionFix(context)}, or add ${region} to 'endpointService.supportedRegions' of the ` +
                `db-account stack and deploy it (pulumi up -s db-account).`,
        );
    },
    preferAzIds: (context, path) => (crossRegion(context) ? [] : path.availabilityZoneIds),
    endpointNoun: "an interface endpoint",
    dnsNeeds: "the private hosted zones that make the proxy hostname resolve to the endpoint",
    place: (context, path, plan, problems) => {
        if (crossRegion(context)) return everyZone(plan.azIds);
        const match = matchZones(path.availabilityZoneIds, plan.azIds);
        if (match.subnetIndexes.length > 0) return match;
        const offered = path.availabilityZoneIds.join(", ");
        const ours = [...new Set(plan.azIds)].join(", ");
        const reason =
            `are in AZ IDs ${ours}, and the endpoint service of ${context.config.producerStack} is offered only ` +
            `in AZ IDs ${offered}; PrivateLink matches AZs by ID, so there is no AZ to place the interface endpoint in`;
        if (plan.kind === "existing") {
            problems.reject(
                "network.subnetIds",
                plan.config.subnetIds,
                `they ${reason}`,
                `Add a subnet in one of ${offered} to 'network.subnetIds' in {file}, or offer the service in one ` +
                    `of ${ours} from the db-account stack.`,
            );
        } else {
            // Shown as written in the stack file, without the reader's `kind` tag.
            const { kind: _kind, ...written } = plan.config;
            problems.reject(
                "network",
                written,
                `its subnets ${reason}`,
                `No available AZ of this account has one of those IDs (a new VPC is placed in them when it can), so ` +
                    `offer the service in one of ${ours} from the db-account stack.`,
            );
        }
        return undefined;
    },
    subscribe: (context, path, { plan, network, match, subnetIds, provider }) => {
        const { name, contract, config } = context;
        const ports = path.readOnlyPort !== undefined ? [contract.port, path.readOnlyPort] : [contract.port];
        const endpoint = new InterfaceEndpoint(
            `${name}-endpoint`,
            {
                vpcId: network.vpcId,
                subnetIds,
                serviceName: path.endpointServiceName,
                ports,
                clientSecurityGroupIds: config.clientSecurityGroupIds,
                ...(crossRegion(context) ? { serviceRegion: contract.region } : {}),
            },
            { provider },
        );
        // One inbound rule per client group (or the created one) and port, on a group of the endpoint's own.
        const rulesWarning = quotaWarning(
            DEFAULT_QUOTAS.inboundRulesPerSecurityGroup,
            Math.max(config.clientSecurityGroupIds.length, 1) * ports.length,
            "inbound rules on the interface endpoint's security group (one per client security group and port)",
            { shared: false },
        );
        if (rulesWarning) void pulumi.log.warn(rulesWarning, endpoint);
        if (match.sharedAzIds.length === 1) {
            const what = `The interface endpoint to ${path.endpointServiceName} is`;
            void pulumi.log.warn(
                crossRegion(context)
                    ? singleZoneWarning(what, match.sharedAzIds[0], plan, "")
                    : `${what} in one AZ only (${match.sharedAzIds[0]}): the path to the database has no AZ ` +
                          `redundancy. The service is offered in ${path.availabilityZoneIds.join(", ")}` +
                          (plan.kind === "existing"
                              ? `; add subnets in more of those AZ IDs to 'network.subnetIds', or offer the service ` +
                                `in more AZs from the db-account stack.`
                              : `, and only one of those AZ IDs is available to this account; offer the service in ` +
                                `more AZs from the db-account stack.`),
                endpoint,
            );
        }
        let dns: ProxyDns | undefined;
        if (config.privateDns) {
            // Exactly the names clients dial: the writer's, and the read-only endpoint's (a one-label alias under
            // proxy-<id> from current producers). Never readOnlyProxyEndpoint: clients only sign tokens for it.
            const hostnames: ProxyHostname[] = [{ key: "writer", hostname: contract.proxyEndpoint }];
            if (contract.readOnlyEndpoint)
                hostnames.push({ key: "reader", hostname: contract.readOnlyEndpoint });
            dns = new ProxyDns(
                `${name}-dns`,
                {
                    vpcId: network.vpcId,
                    hostnames,
                    targetDnsName: endpoint.dnsName,
                    targetHostedZoneId: endpoint.hostedZoneId,
                },
                { provider },
            );
        } else {
            void pulumi.log.warn(
                `privateDns is false: ${contract.proxyEndpoint} does not resolve to the interface endpoint in this ` +
                    `VPC until your own DNS answers it with the endpoint (output endpointDnsName). Clients must still ` +
                    `connect to the proxy hostname: the endpoint's own name fails certificate verification.`,
                endpoint,
            );
        }
        return {
            resources: [endpoint, ...(dns ? [dns] : [])],
            ...(endpoint.clientSecurityGroupId
                ? { clientSecurityGroupId: endpoint.clientSecurityGroupId }
                : {}),
            outputs: {
                endpointId: endpoint.endpointId,
                endpointDnsName: endpoint.dnsName,
                endpointSecurityGroupId: endpoint.securityGroupId,
                ...(dns ? { privateZoneIds: dns.zoneIds } : {}),
            },
            monitored: {
                endpointId: endpoint.endpointId,
                serviceName: path.endpointServiceName,
                vpcId: network.vpcId,
            },
        };
    },
};
