/**
 * The VPC Lattice path on the producer's side (vocabulary/topology.ts `vpc-lattice`): a resource gateway in the
 * database's VPC, one resource configuration per proxy endpoint, and one AWS RAM share with the consumer accounts.
 * No load balancer, no endpoint service, no IP sync: Lattice resolves the proxy's name per connection.
 */
import * as pulumi from "@pulumi/pulumi";
import { LatticePublication, type LatticeEndpoint } from "../../components/publication";
import type { ContractConnectivity } from "../../vocabulary";
import type { Publisher } from "./connectivity";

/** The LatticePublication component's name; its children's names start with it. */
export function latticeComponentName(stack: string): string {
    return `${stack}-lattice`;
}

export const latticePublisher: Publisher = {
    networkNeeds: () => ({
        onePerAz: "a resource gateway",
        // "At least one Availability Zone of the VPC endpoint and the resource gateway have to overlap" (Amazon VPC
        // Lattice User Guide, "Resource gateways in VPC Lattice"): the gateway spans every AZ of the proxy's subnets.
        twoAzsBecause:
            "RDS Proxy needs subnets in at least two AZs, and the resource gateway spans them so that a consumer's " +
            "endpoint in either AZ reaches it",
        // The database-user bootstrap reads its secrets through a Secrets Manager endpoint with private DNS; the
        // gateway itself calls no AWS API from inside the VPC.
        apiEndpoints: {
            needs: "the Secrets Manager endpoint with private DNS that the database-user bootstrap uses from inside the VPC",
            otherwise: "set 'network.vpcId' in {file} to a VPC that has them",
            theVpc: "the database's VPC",
        },
    }),
    apiServices: () => [],
    publish: ({ stack, config, network, provider, proxy }) => {
        // Clients dial names the proxy's certificate covers (`*.proxy-<id>.<region>.rds.amazonaws.com`): the writer's
        // own name, and for the reader the one-label alias, while Lattice resolves the read-only endpoint's real name.
        const endpoints: LatticeEndpoint[] = [
            { key: "rw", domainName: proxy.endpoint, customDomainName: proxy.endpoint },
        ];
        if (proxy.readOnlyEndpoint !== undefined && proxy.readOnlyAlias !== undefined) {
            endpoints.push({
                key: "ro",
                domainName: proxy.readOnlyEndpoint,
                customDomainName: proxy.readOnlyAlias,
            });
        }
        const invited = config.consumers.filter((c) => c.outsideOrganization).map((c) => c.accountId);
        const publication = new LatticePublication(
            latticeComponentName(stack),
            {
                vpcId: network.vpcId,
                subnetIds: network.subnetIds,
                targetSecurityGroupId: proxy.securityGroup.id,
                port: proxy.port,
                endpoints,
                consumerAccountIds: config.consumers.map((c) => c.accountId),
                // RAM shares with accounts outside the organization only when the share allows external principals.
                allowExternalPrincipals: invited.length > 0,
            },
            { provider },
        );
        const rw = publication.configurations.rw.arn;
        const ro = publication.configurations.ro?.arn;
        return {
            // The proxy's alarms are the path's: CloudWatch metrics of the gateway are not watched (docs/alarms.md).
            monitored: {},
            contract: pulumi
                .all([rw, ro, publication.share.arn])
                .apply(
                    ([
                        resourceConfigurationArn,
                        readOnlyResourceConfigurationArn,
                        resourceShareArn,
                    ]): ContractConnectivity => ({
                        kind: "vpc-lattice",
                        resourceConfigurationArn,
                        ...(readOnlyResourceConfigurationArn !== undefined
                            ? { readOnlyResourceConfigurationArn }
                            : {}),
                        resourceShareArn,
                        invitedAccountIds: invited,
                    }),
                ),
            outputs: {
                resourceGatewayId: publication.gateway.id,
                resourceConfigurationArns: pulumi.all({ rw, ...(ro !== undefined ? { ro } : {}) }),
                resourceShareArn: publication.share.arn,
            },
        };
    },
};
