/**
 * The connectivity axis on the producer's side (vocabulary/topology.ts): how each variant publishes the proxy to
 * the consumer accounts, what it needs of the network, and what it adds to the contract and the outputs.
 */
import { RDS_PROXY_UNSUPPORTED_AZ_IDS } from "./proxy-zones";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsApiEndpoints, AwsApiService } from "../../components/network";
import type { RdsProxy } from "../../components/proxy";
import { EndpointService, type PublishedPort } from "../../components/publication";
import { TargetSync } from "../../components/target-sync";
import type { ConnectivityKind, ContractConnectivity } from "../../vocabulary";
import type { DbAccountConfig } from "../config/db-account";
import { publicationComponentName } from "../names";
import type { NetworkNeeds, ResolvedNetwork } from "../network";
import type { DatabasePathMetrics } from "../alarms";
import { latticePublisher } from "./lattice";

/** What a variant publishes: the contract's fields of the path, and the stack outputs it adds. */
export interface Publication {
    /** The contract's `connectivity`: the path, and what its consumers need of it. */
    readonly contract: pulumi.Output<ContractConnectivity>;
    readonly outputs: Record<string, unknown>;
    /** What the path's alarms watch (components/monitoring), but the proxy's, which the stack adds. */
    readonly monitored: Omit<DatabasePathMetrics, "proxyName" | "readOnly">;
}

/** What a variant's `publish` is given. */
export interface PublishContext {
    readonly stack: string;
    readonly config: DbAccountConfig;
    readonly network: ResolvedNetwork;
    readonly provider: aws.Provider;
    readonly proxy: RdsProxy;
    /** The VPC's endpoints to AWS APIs, with the services `apiServices` asked for. */
    readonly apis: AwsApiEndpoints;
}

/** A connectivity variant on the producer's side. */
export interface Publisher {
    /** What the network must give the path (subnets, the endpoints an existing VPC must have). */
    networkNeeds(config: DbAccountConfig): NetworkNeeds;
    /** AWS APIs the path calls from inside the VPC, besides the bootstrap's Secrets Manager. */
    apiServices(config: DbAccountConfig): readonly AwsApiService[];
    publish(context: PublishContext): Publication;
}

/**
 * PrivateLink and an NLB: an endpoint service in front of an internal NLB whose IP target groups (the writer's,
 * and the read-only endpoint's on its own listener port) are kept filled with the proxy's addresses by the sync.
 */
const privateLinkNlb: Publisher = {
    networkNeeds: (config) => {
        const dns = config.targetSync.source === "dns";
        return {
            onePerAz: "a load balancer",
            twoAzsBecause: "RDS Proxy needs subnets in at least two AZs",
            // Always: the database-user bootstrap reads its secrets through a Secrets Manager endpoint with
            // private DNS, and in dns mode the sync reaches ELB and DynamoDB through endpoints too.
            apiEndpoints: {
                needs: dns
                    ? "the VPC endpoints with private DNS that the database-user bootstrap and the proxy IP sync's dns source use from inside the VPC"
                    : "the Secrets Manager endpoint with private DNS that the database-user bootstrap uses from inside the VPC",
                otherwise: "set 'network.vpcId' in {file} to a VPC that has them",
                theVpc: "the database's VPC",
            },
            // The DynamoDB gateway endpoint (dns source) routes from exactly the subnets' route tables.
            routeTables: dns,
        };
    },
    // In dns mode the sync Lambda resolves the proxy inside the VPC, and reaches ELB and DynamoDB from there.
    apiServices: (config) => (config.targetSync.source === "dns" ? ["elasticloadbalancing", "dynamodb"] : []),
    publish: ({ stack, config, network, provider, proxy, apis }) => {
        const port = proxy.port;
        const endpoints: (PublishedPort & { endpoint: pulumi.Output<string> })[] = [
            { key: "rw", listenerPort: port, targetPort: port, endpoint: proxy.endpoint },
        ];
        if (config.proxy.readOnlyPort !== undefined && proxy.readOnlyEndpoint !== undefined) {
            const endpoint = proxy.readOnlyEndpoint;
            endpoints.push({
                key: "ro",
                listenerPort: config.proxy.readOnlyPort,
                targetPort: port,
                endpoint,
            });
        }
        const publication = new EndpointService(
            publicationComponentName(stack),
            {
                vpcId: network.vpcId,
                subnetIds: network.subnetIds,
                ports: endpoints.map(({ key, listenerPort, targetPort }) => ({
                    key,
                    listenerPort,
                    targetPort,
                })),
                targetSecurityGroupId: proxy.securityGroup.id,
                // Who may create an interface endpoint: each consumer's deployers, not its applications.
                allowedPrincipals: config.consumers.flatMap((c) => c.endpointPrincipals),
                acceptanceRequired: config.endpointService.acceptanceRequired,
                supportedRegions: config.endpointService.supportedRegions,
            },
            { provider },
        );

        // Keep each target group filled with its endpoint's IPs: at `pulumi up` and on a schedule in between.
        const source = config.targetSync.source;
        const inVpc = source === "dns";
        const syncs = endpoints.map(
            ({ key, endpoint }) =>
                new TargetSync(
                    `${stack}-sync-${key}`,
                    {
                        targetGroupArn: publication.targetGroups[key].arn,
                        proxyName: proxy.proxyName,
                        proxyEndpoint: endpoint,
                        port,
                        vpcId: network.vpcId,
                        // Only the proxy's own addresses are registered: inside its subnets, from its interfaces.
                        proxySubnetIds: network.subnetIdsOutside(RDS_PROXY_UNSUPPORTED_AZ_IDS),
                        proxySecurityGroupIds: [proxy.securityGroup.id],
                        source,
                        schedule: config.targetSync.schedule,
                        missesBeforeDeregister: config.targetSync.missesBeforeDeregister,
                        region: config.region,
                        assumeRoleArn: config.assumeRoleArn,
                        subnetIds: inVpc ? network.subnetIds : undefined,
                        securityGroupId: inVpc ? apis.clientSecurityGroup.id : undefined,
                        // The in-VPC sync reaches the ELB and DynamoDB APIs only through these endpoints.
                        scheduleDependsOn: inVpc ? [apis] : undefined,
                    },
                    { provider },
                ),
        );
        // Consumers may connect from these regions besides the service's own (cross-region PrivateLink); the config
        // lists them once, and the contract names only the others.
        const otherRegions = (config.endpointService.supportedRegions ?? []).filter(
            (r) => r !== config.region,
        );
        return {
            monitored: {
                privateLink: {
                    loadBalancer: {
                        arn: publication.loadBalancer.arn,
                        arnSuffix: publication.loadBalancer.arnSuffix,
                    },
                    targetGroups: endpoints.map(({ key }) => ({
                        key,
                        arnSuffix: publication.targetGroups[key].arnSuffix,
                    })),
                    endpointServiceId: publication.service.id,
                    azIds: network.azIds,
                    syncs: syncs.map((sync, i) => ({
                        key: endpoints[i].key,
                        functionName: sync.functionName,
                        schedule: config.targetSync.schedule,
                    })),
                },
            },
            contract: publication.serviceName.apply((endpointServiceName): ContractConnectivity => ({
                kind: "privatelink-nlb",
                endpointServiceName,
                availabilityZoneIds: [...network.azIds],
                ...(config.proxy.readOnlyPort !== undefined && proxy.readOnlyEndpoint !== undefined
                    ? { readOnlyPort: config.proxy.readOnlyPort }
                    : {}),
                ...(otherRegions.length > 0 ? { supportedRegions: otherRegions } : {}),
            })),
            outputs: {
                loadBalancerArn: publication.loadBalancer.arn,
                targetGroupArn: publication.targetGroups.rw.arn,
                readOnlyTargetGroupArn: publication.targetGroups.ro?.arn,
                endpointServiceId: publication.service.id,
                syncFunctionNames: pulumi.all(syncs.map((sync) => sync.functionName)),
            },
        };
    },
};

/** Every connectivity variant's publisher. */
export const PUBLISHERS: { readonly [K in ConnectivityKind]: Publisher } = {
    "privatelink-nlb": privateLinkNlb,
    "vpc-lattice": latticePublisher,
};
