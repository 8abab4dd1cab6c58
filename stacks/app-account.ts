/**
 * The app-account (consumer) stack: the endpoints of the path the producer's contract says (./app-account/paths.ts:
 * an interface endpoint to the endpoint service and private hosted zones for the proxy's names, or resource endpoints
 * to the shared Lattice resource configurations), reachable only from the applications' security groups, so that
 * clients dial the proxy's own names and verify its certificate; and, when the producer's contract describes this
 * account's credentials, the IAM policy the applications' role attaches to assume the connect role or read the
 * shared secret.
 *
 * Order matters: config, the producer's contract, the network and the AZ match are all checked before the
 * first resource other than the provider and the stack reference is registered, so a bad input never leaves a
 * half-built stack behind.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiEndpoint, ApplicationAccess, DeveloperAccess } from "../components/consumer";
import { Problems, readRegion } from "./config/read";
import { readAppAccountConfig } from "./config/app-account";
import { appAccountCanary, canaryOnDashboard } from "./app-account/canary";
import { connection } from "./app-account/connection";
import { developerAccessOutput } from "./app-account/developer-access";
import { checkProducerAccount, consumerFor, contractWarnings, parseContract } from "./app-account/contract";
import { applicationApiPlace, checkClientSecurityGroups, planConsumerNetwork } from "./app-account/network";
import { subscriberOf, type PathContext } from "./app-account/paths";
import { modeOf, referenceOf } from "../vocabulary";
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
    // The consumer follows the producer's path (connectivity.kind): its region, its zones, its endpoints and names.
    const subscriber = subscriberOf(contract);
    const context: PathContext = { name: NAME, stack, region, config, contract };
    subscriber.checkRegion(context, problems);
    const api = consumer ? applicationApiPlace(modeOf(consumer).applicationApi, contract, region) : undefined;
    if (api?.refusal && config.network.kind === "new") {
        // Shown as written in the stack file, without the reader's `kind` tag.
        const { kind: _kind, ...written } = config.network;
        problems.reject("network", written, api.refusal.reason, api.refusal.fix);
    }
    problems.throwIfAny();

    // One after the other, so that problems are always reported in the same order.
    const planned = await planConsumerNetwork(
        config.network,
        subscriber.preferAzIds(context),
        provider,
        problems,
        subscriber.endpointNoun,
    );
    if (config.network.kind === "existing" && planned && config.privateDns) {
        await checkVpcDns(config.network.vpcId, provider, problems, {
            needs: subscriber.dnsNeeds,
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
    const match = subscriber.place(context, plan, problems);
    problems.throwIfAny();
    if (!match) throw new Error("A path placed no endpoint without reporting why: a bug of this program.");

    const network = realizeNetwork(NAME, plan, provider);
    const endpointSubnetIds = network.subnetIds.apply((ids) => match.subnetIndexes.map((i) => ids[i]));
    const path = subscriber.subscribe(context, {
        plan,
        network,
        match,
        subnetIds: endpointSubnetIds,
        provider,
    });
    const clientGroup = path.clientSecurityGroupId;

    // The API applications call for their credential: in a VPC this stack built (isolated, no route out) an interface
    // endpoint to it; in an existing VPC the plan says what the applications must reach.
    let apiEndpoint: ApiEndpoint | undefined;
    if (api && plan.kind === "new" && clientGroup) {
        apiEndpoint = new ApiEndpoint(
            `${NAME}-api-${api.service}`,
            {
                region: api.region,
                service: api.service,
                vpcId: network.vpcId,
                subnetIds: network.subnetIds,
                clientSecurityGroupId: clientGroup,
            },
            { provider },
        );
    } else if (api) {
        void pulumi.log.warn(
            `Applications in ${config.network.kind === "existing" ? config.network.vpcId : "the VPC"} call ` +
                `${api.service}.${api.region}.amazonaws.com ${api.purpose}: the VPC needs ` +
                (api.region === region
                    ? `an interface endpoint to com.amazonaws.${region}.${api.service} with private DNS that admits ` +
                      `HTTPS from the client security groups, or a route out. This stack creates that endpoint only ` +
                      `in a VPC it builds.`
                    : `a route to it (a NAT gateway, or a network that reaches ${api.region}): ${api.service} in ` +
                      `${api.region} has no interface endpoint in ${region}.`),
        );
    }

    // Developer access through Session Manager (off by default): a private instance in the client security group, with
    // the Session Manager endpoints in a VPC this stack built; an existing VPC must already reach them.
    let developer: DeveloperAccess | undefined;
    const developerClientGroup = clientGroup ?? config.clientSecurityGroupIds[0];
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

    // The alarm topic (unless alarms.enabled is false), first: the canary's alarms notify it too. Only when an alarm
    // will: the path's, or the canary's.
    const alarmsPlace = { name: NAME, accountId: config.accountId, region, provider };
    const alarmed = path.monitored !== undefined || (config.canary.enabled && consumer !== undefined);
    const topicArn = alarmed ? alarmTopicArn(config.alarms, alarmsPlace) : undefined;
    const output = connection(contract, config.privateDns, consumer);
    // The canary: logs in as applications do, from where they run (stacks/app-account/canary.ts).
    const canary = appAccountCanary(
        NAME,
        config,
        consumer,
        output,
        {
            subnetIds: network.subnetIds,
            securityGroupIds: clientGroup ? [clientGroup] : config.clientSecurityGroupIds,
            runAfter: [...path.resources, ...(apiEndpoint ? [apiEndpoint] : [])],
            // The canary's alarms notify the stack's alarm topic too, when there is one.
            ...(topicArn ? { alarmActions: [topicArn] } : {}),
        },
        provider,
    );
    // The endpoint's alarms and the dashboard, with the canary's alarms on it (docs/alarms.md); only for a path whose
    // endpoint publishes what they watch.
    const monitoring = path.monitored
        ? consumerPathMonitoring(
              config.alarms,
              alarmsPlace,
              { ...path.monitored, ...(canary ? { extraAlarms: canaryOnDashboard(canary) } : {}) },
              topicArn,
          )
        : { ...(topicArn ? { alarmTopicArn: topicArn } : {}) };
    if (!path.monitored && config.alarms.kind !== "off") {
        void pulumi.log.warn(
            `alarms: the ${subscriber.kind} path's endpoints publish no metric this release alarms on, so no endpoint ` +
                `alarm or dashboard is created (docs/app-account.md); the canary, when on, still checks the path and ` +
                `notifies the alarm topic.`,
        );
    }
    return {
        connection: output,
        ...(access ? { applicationPolicyArn: access.policyArn } : {}),
        ...path.outputs,
        ...(clientGroup ? { clientSecurityGroupId: clientGroup } : {}),
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
