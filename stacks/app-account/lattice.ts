/**
 * The VPC Lattice path on the consumer's side: one resource endpoint per resource configuration the producer shares
 * (components/consumer/resource-endpoints.ts), whose private DNS answers the proxy's own names; no hosted zone of ours.
 *
 * Regions. A resource endpoint takes no service region (`serviceRegion` is "Applicable for endpoints of type
 * Interface", @pulumi/aws ec2.VpcEndpoint), and a resource configuration and its RAM share are regional, so the stack
 * must be in the contract's region; another region is refused before anything is created.
 *
 * Zones. The contract names no AZ: a resource endpoint goes in the consumer's own subnets, one per AZ, and reaches the
 * producer's resource gateway if "At least one Availability Zone of the VPC endpoint and the resource gateway" overlap
 * (VPC Lattice User Guide, "Resource gateways in VPC Lattice",
 * https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-gateway.html). AZs are matched by AZ ID there too; this
 * stack cannot see the gateway's, so it places the endpoints in every AZ of the applications' subnets, which gives
 * the most overlap.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceEndpoints, type LatticeResource } from "../../components/consumer";
import { DEFAULT_QUOTAS, quotaWarning, type LatticePath } from "../../vocabulary";
import { everyZone, regionFix, singleZoneWarning, type Subscriber } from "./path-kit";

export const latticeSubscriber: Subscriber<LatticePath> = {
    checkRegion: (context, _path, problems) => {
        const { contract, region, config } = context;
        if (contract.region === region) return;
        problems.reject(
            "aws:region",
            region,
            `the resource configurations of ${config.producerStack} are in ${contract.region}, and a resource ` +
                `endpoint reaches only a resource configuration of its own region (VPC Lattice resource endpoints take ` +
                `no service region; cross-region consumers are served on the privatelink-nlb path)`,
            `Set it with: ${regionFix(context)}.`,
        );
    },
    preferAzIds: () => [],
    endpointNoun: "a resource endpoint",
    // Their private DNS is a private hosted zone VPC Lattice associates with the VPC, and "To use private hosted zones,
    // you must set the following Amazon VPC settings to true: enableDnsHostnames, enableDnsSupport" (Route 53
    // Developer Guide, "Working with private hosted zones").
    dnsNeeds: "the resource endpoints, whose private DNS makes the proxy hostnames resolve to them,",
    place: (_context, _path, plan) => everyZone(plan.azIds),
    subscribe: (context, path, { plan, network, match, subnetIds, provider }) => {
        const { name, contract, config } = context;
        // Each resource configuration's custom domain name is the name clients dial (the producer sets it).
        const resources: LatticeResource[] = [
            {
                key: "writer",
                resourceConfigurationArn: path.resourceConfigurationArn,
                domainName: contract.proxyEndpoint,
            },
        ];
        if (path.readOnlyResourceConfigurationArn !== undefined && contract.readOnlyEndpoint !== undefined) {
            resources.push({
                key: "reader",
                resourceConfigurationArn: path.readOnlyResourceConfigurationArn,
                domainName: contract.readOnlyEndpoint,
            });
        }
        const invited = path.invitedAccountIds.includes(config.accountId);
        const endpoints = new ResourceEndpoints(
            `${name}-resource`,
            {
                vpcId: network.vpcId,
                subnetIds,
                resources,
                port: contract.port,
                privateDns: config.privateDns,
                clientSecurityGroupIds: config.clientSecurityGroupIds,
                ...(invited ? { acceptShareArn: path.resourceShareArn } : {}),
            },
            { provider },
        );
        const rulesWarning = quotaWarning(
            DEFAULT_QUOTAS.inboundRulesPerSecurityGroup,
            Math.max(config.clientSecurityGroupIds.length, 1),
            "inbound rules on the resource endpoints' security group (one per client security group)",
            { shared: false },
        );
        if (rulesWarning) void pulumi.log.warn(rulesWarning, endpoints);
        if (match.sharedAzIds.length === 1) {
            void pulumi.log.warn(
                singleZoneWarning("The resource endpoints are", match.sharedAzIds[0], plan, ""),
                endpoints,
            );
        }
        if (!config.privateDns) {
            void pulumi.log.warn(
                `privateDns is false: ${resources.map((r) => r.domainName).join(" and ")} do not resolve to the ` +
                    `resource endpoints in this VPC until your own DNS answers them with each endpoint's DNS name ` +
                    `(outputs resourceEndpointIds). Clients must still connect to the proxy hostnames: they are the ` +
                    `names the proxy's certificate covers.`,
                endpoints,
            );
        }
        return {
            resources: [endpoints],
            ...(endpoints.clientSecurityGroupId
                ? { clientSecurityGroupId: endpoints.clientSecurityGroupId }
                : {}),
            outputs: {
                resourceEndpointIds: pulumi.all(endpoints.endpointIds),
                endpointSecurityGroupId: endpoints.securityGroupId,
            },
        };
    },
};
