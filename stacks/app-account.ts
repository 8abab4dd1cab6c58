/**
 * The app-account (consumer) stack: an interface endpoint to the db-account stack's endpoint service, in one
 * subnet per AZ ID both sides share, reachable only from the applications' security groups, and private hosted
 * zones that make the proxy's own hostnames resolve to it so that clients can verify the proxy certificate; and,
 * when the producer's contract describes this account's credentials, the IAM policy the applications' role attaches
 * to assume the connect role or read the shared secret.
 *
 * Order matters: config, the producer's contract, the network and the AZ match are all checked before the
 * first resource other than the provider and the stack reference is registered, so a bad input never leaves a
 * half-built stack behind.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    ApiEndpoint,
    ApplicationAccess,
    DeveloperAccess,
    InterfaceEndpoint,
    matchZones,
    ProxyDns,
    ProxyHostname,
} from "../components/consumer";
import { Problems, readRegion } from "./config/read";
import { readAppAccountConfig } from "./config/app-account";
import { appAccountCanary, canaryOnDashboard } from "./app-account/canary";
import { connection } from "./app-account/connection";
import { developerAccessOutput } from "./app-account/developer-access";
import {
    checkProducerAccount,
    consumerFor,
    contractWarnings,
    parseContract,
    privateLinkPathOf,
} from "./app-account/contract";
import { checkClientSecurityGroups, planConsumerNetwork } from "./app-account/network";
import { DEFAULT_QUOTAS, modeOf, quotaWarning, referenceOf, type PrivateLinkPath } from "../vocabulary";
import { checkVpcDns, realizeNetwork } from "./network";
import { accountProvider } from "./provider";
import { alarmTopicArn, consumerPathMonitoring } from "./alarms";

/** Prefix of every resource name; constant so that renaming the stack never replaces resources. */
const NAME = "app-account";

/** Runs the consumer stack and returns its outputs. */
export async function appAccount(): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const problems = new Problems(stack);
    const regionRead = readRegion(problems);
    const config = problems.settle(readAppAccountConfig(problems, undefined, regionRead));
    const region = problems.settle(regionRead);

    const provider = accountProvider(NAME, {
        accountId: config.accountId,
        region,
        assumeRoleArn: config.assumeRoleArn,
    });
    // The contract is awaited as a plain value (what `requireOutput` yields, but awaitable, and telling a missing
    // output from a secret one) and checked before any resource depends on it; checking inside an apply would
    // only fail after the endpoint had been registered.
    const producer = new pulumi.StackReference(`${NAME}-producer`, { name: config.producerStack });
    const contract = parseContract(config.producerStack, await producer.getOutputDetails("contract"));
    // This account's database user and how it authenticates; undefined from a producer that does not say.
    checkProducerAccount(config.producerStack, contract, config.producerAccountId);
    const consumer = consumerFor(config.producerStack, contract, config.accountId);
    for (const warning of contractWarnings(contract)) void pulumi.log.warn(warning);
    const path = privateLinkPathOf(config.producerStack, contract);

    if (contract.region !== region) {
        problems.reject(
            "aws:region",
            region,
            `the endpoint service of ${config.producerStack} is in ${contract.region}, and an interface endpoint ` +
                `must be in the service's region`,
            `Set it with: pulumi config set aws:region ${contract.region} --stack ${stack}.`,
        );
        problems.throwIfAny();
    }

    // One after the other, so that problems are always reported in the same order.
    const planned = await planConsumerNetwork(config.network, path.availabilityZoneIds, provider, problems);
    if (config.network.kind === "existing" && planned && config.privateDns) {
        await checkVpcDns(config.network.vpcId, provider, problems, {
            needs: "the private hosted zones that make the proxy hostname resolve to the endpoint",
            otherwise: "set privateDns to false in {file} and answer the hostname from your own DNS",
            theVpc: "the applications' VPC",
        });
    }
    if (config.network.kind === "existing") {
        await checkClientSecurityGroups(
            config.clientSecurityGroupIds,
            config.network.vpcId,
            provider,
            problems,
        );
    }
    const plan = problems.settle(planned);

    const match = matchZones(path.availabilityZoneIds, plan.azIds);
    if (match.subnetIndexes.length === 0) {
        const { reason, fix } = noOverlap(config.producerStack, path, plan.kind, plan.azIds);
        if (config.network.kind === "existing") {
            problems.reject("network.subnetIds", config.network.subnetIds, `they ${reason}`, fix);
        } else {
            // Shown as written in the stack file, without the reader's `kind` tag.
            const { kind: _kind, ...written } = config.network;
            problems.reject("network", written, `its subnets ${reason}`, fix);
        }
        problems.throwIfAny();
    }

    const network = realizeNetwork(NAME, plan, provider);
    const endpointSubnetIds = network.subnetIds.apply((ids) => match.subnetIndexes.map((i) => ids[i]));
    const ports = path.readOnlyPort !== undefined ? [contract.port, path.readOnlyPort] : [contract.port];
    const endpoint = new InterfaceEndpoint(
        `${NAME}-endpoint`,
        {
            vpcId: network.vpcId,
            subnetIds: endpointSubnetIds,
            serviceName: path.endpointServiceName,
            ports,
            clientSecurityGroupIds: config.clientSecurityGroupIds,
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
        void pulumi.log.warn(
            `The interface endpoint to ${path.endpointServiceName} is in one AZ only (${match.sharedAzIds[0]}): ` +
                `the path to the database has no AZ redundancy. The service is offered in ` +
                `${path.availabilityZoneIds.join(", ")}` +
                (plan.kind === "existing"
                    ? `; add subnets in more of those AZ IDs to 'network.subnetIds', or offer the service in more ` +
                      `AZs from the db-account stack.`
                    : `, and only one of those AZ IDs is available to this account; offer the service in more ` +
                      `AZs from the db-account stack.`),
            endpoint,
        );
    }

    let dns: ProxyDns | undefined;
    if (config.privateDns) {
        // Exactly the names clients dial: the writer's, and the read-only endpoint's (a one-label alias under
        // proxy-<id> from current producers). Never readOnlyProxyEndpoint: clients only sign tokens for it.
        const hostnames: ProxyHostname[] = [{ key: "writer", hostname: contract.proxyEndpoint }];
        if (contract.readOnlyEndpoint) hostnames.push({ key: "reader", hostname: contract.readOnlyEndpoint });
        dns = new ProxyDns(
            `${NAME}-dns`,
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
            `privateDns is false: ${contract.proxyEndpoint} does not resolve to the interface endpoint in this VPC ` +
                `until your own DNS answers it with the endpoint (output endpointDnsName). Clients must still connect ` +
                `to the proxy hostname: the endpoint's own name fails certificate verification.`,
            endpoint,
        );
    }

    // The API applications call for their credential: in a VPC this stack built (isolated, no route out) an interface
    // endpoint to it; in an existing VPC the plan says what the applications must reach.
    const api = consumer ? modeOf(consumer).applicationApi : undefined;
    let apiEndpoint: ApiEndpoint | undefined;
    if (api && plan.kind === "new" && endpoint.clientSecurityGroupId) {
        apiEndpoint = new ApiEndpoint(
            `${NAME}-api-${api.service}`,
            {
                region,
                service: api.service,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds,
                clientSecurityGroupId: endpoint.clientSecurityGroupId,
            },
            { provider },
        );
    } else if (api) {
        void pulumi.log.warn(
            `Applications in ${config.network.kind === "existing" ? config.network.vpcId : "the VPC"} call ` +
                `${api.service}.${region}.amazonaws.com ${api.purpose}: the VPC needs an interface endpoint to ` +
                `com.amazonaws.${region}.${api.service} with private DNS that admits HTTPS from the client security ` +
                `groups, or a route out. This stack creates that endpoint only in a VPC it builds.`,
        );
    }

    // Developer access through Session Manager (off by default): a private instance in the client security group, with
    // the Session Manager endpoints in a VPC this stack built; an existing VPC must already reach them.
    let developer: DeveloperAccess | undefined;
    const developerClientGroup = endpoint.clientSecurityGroupId ?? config.clientSecurityGroupIds[0];
    if (config.developerAccess.enabled && developerClientGroup !== undefined) {
        const developerSubnetId = endpointSubnetIds.apply((ids) => ids[0]);
        developer = new DeveloperAccess(
            `${NAME}-developer`,
            {
                region,
                vpcId: network.vpcId,
                subnetId: developerSubnetId,
                clientSecurityGroupId: developerClientGroup,
                instanceType: config.developerAccess.instanceType,
                ...(plan.kind === "new" ? { endpointSubnetIds: [developerSubnetId] } : {}),
            },
            { provider },
        );
        if (config.network.kind === "existing") {
            void pulumi.log.warn(
                `The developer-access instance in ${config.network.vpcId} registers with Systems Manager over HTTPS at ` +
                    `ssm.${region}.amazonaws.com and ssmmessages.${region}.amazonaws.com: the VPC needs interface ` +
                    `endpoints to com.amazonaws.${region}.ssm and com.amazonaws.${region}.ssmmessages with private DNS ` +
                    `that admit HTTPS from its security group (output developerAccess.securityGroupId), or a route ` +
                    `out. This stack creates those endpoints only in a VPC it builds.`,
                developer,
            );
        }
    }

    const access = consumer
        ? new ApplicationAccess(
              `${NAME}-access`,
              {
                  reference: referenceOf(consumer),
                  description: modeOf(consumer).applicationPolicyDescription(config.producerStack),
              },
              { provider },
          )
        : undefined;

    // The alarm topic (unless alarms.enabled is false), first: the canary's alarms notify it too.
    const alarmsPlace = { name: NAME, accountId: config.accountId, region, provider };
    const topicArn = alarmTopicArn(config.alarms, alarmsPlace);
    const output = connection(contract, config.privateDns, consumer);
    // The canary: logs in as applications do, from where they run (stacks/app-account/canary.ts).
    const canary = appAccountCanary(
        NAME,
        config,
        consumer,
        output,
        {
            subnetIds: network.subnetIds,
            securityGroupIds: endpoint.clientSecurityGroupId
                ? [endpoint.clientSecurityGroupId]
                : config.clientSecurityGroupIds,
            runAfter: [endpoint, ...(dns ? [dns] : []), ...(apiEndpoint ? [apiEndpoint] : [])],
            // The canary's alarms notify the stack's alarm topic too, when there is one.
            ...(topicArn ? { alarmActions: [topicArn] } : {}),
        },
        provider,
    );
    // The endpoint's alarms and the dashboard, with the canary's alarms on it (docs/alarms.md).
    const monitoring = consumerPathMonitoring(
        config.alarms,
        alarmsPlace,
        {
            endpointId: endpoint.endpointId,
            serviceName: path.endpointServiceName,
            vpcId: network.vpcId,
            ...(canary ? { extraAlarms: canaryOnDashboard(canary) } : {}),
        },
        topicArn,
    );
    return {
        connection: output,
        ...(access ? { applicationPolicyArn: access.policyArn } : {}),
        endpointId: endpoint.endpointId,
        endpointDnsName: endpoint.dnsName,
        endpointSecurityGroupId: endpoint.securityGroupId,
        ...(endpoint.clientSecurityGroupId ? { clientSecurityGroupId: endpoint.clientSecurityGroupId } : {}),
        ...(dns ? { privateZoneIds: dns.zoneIds } : {}),
        vpcId: network.vpcId,
        subnetIds: network.subnetIds,
        endpointAzIds: match.sharedAzIds,
        ...(apiEndpoint ? { apiEndpointId: apiEndpoint.endpointId } : {}),
        ...(developer
            ? {
                  developerAccess: pulumi
                      .all([developer.instanceId, developer.instanceArn, developer.securityGroupId])
                      .apply(([instanceId, instanceArn, securityGroupId]) =>
                          developerAccessOutput({
                              contract,
                              accountId: config.accountId,
                              instanceId,
                              instanceArn,
                              securityGroupId,
                              user: consumer?.databaseUser ?? "<user>",
                              database: contract.databaseName ?? "<database>",
                              mysqlFlags: consumer ? modeOf(consumer).examples.mysqlCliFlags : "",
                          }),
                      ),
              }
            : {}),
        ...monitoring,
        ...(canary ? { canaryRoleArn: canary.roleArn, canaryFunctionName: canary.functionName } : {}),
    };
}

/** The problem of subnets and an endpoint service with no AZ ID in common, naming both sets and the fix. */
function noOverlap(
    producerStack: string,
    path: PrivateLinkPath,
    kind: "new" | "existing",
    subnetAzIds: string[],
) {
    const offered = path.availabilityZoneIds.join(", ");
    const ours = [...new Set(subnetAzIds)].join(", ");
    const fix =
        kind === "existing"
            ? `Add a subnet in one of ${offered} to 'network.subnetIds' in {file}, or offer the service in one of ` +
              `${ours} from the db-account stack.`
            : `No available AZ of this account has one of those IDs (a new VPC is placed in them when it can), so ` +
              `offer the service in one of ${ours} from the db-account stack.`;
    return {
        reason:
            `are in AZ IDs ${ours}, and the endpoint service of ${producerStack} is offered only in AZ ` +
            `IDs ${offered}; PrivateLink matches AZs by ID, so there is no AZ to place the interface endpoint in`,
        fix,
    };
}
