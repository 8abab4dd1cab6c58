// What each policy of the pack declares, in-process: name, description (the prefix of every violation message, as
// support/expect.ts states it), enforcement level and config schema. The analyzer tests see these through the
// wire; this pins them for the in-process rule tests, which call the validate functions directly.
import * as assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { databaseClientInstancesPrivate } from "../../policy-pack/rules/developer-access";
import { endpointServiceNoWildcardPrincipals } from "../../policy-pack/rules/endpoint-services";
import { resourceGatewayEgressPrivate } from "../../policy-pack/rules/lattice-gateway";
import {
    latticeDatabaseResourceConfiguration,
    resourceEndpointPrivateDnsDomains,
} from "../../policy-pack/rules/lattice-resources";
import {
    latticeResourcePolicyNoOpenGrant,
    ramShareNamedPrincipals,
} from "../../policy-pack/rules/lattice-sharing";
import { noInternetFacingDatabaseListener } from "../../policy-pack/rules/load-balancers";
import { noOpenPrefixListsOnDatabasePorts } from "../../policy-pack/rules/prefix-lists";
import { rdsNoPublicAccess } from "../../policy-pack/rules/public-rds";
import { noWorldOpenDatabasePorts, noWorldOpenListenerPorts } from "../../policy-pack/rules/security-groups";
import { connectionStringsVerifyFull } from "../../policy-pack/rules/tls-connection-strings";
import { databaseEndpointPrivateDns } from "../../policy-pack/rules/tls-endpoint-dns";
import {
    rdsParameterGroupForcesTls,
    rdsParameterGroupRequired,
} from "../../policy-pack/rules/tls-parameter-groups";
import { rdsProxyRequireTls } from "../../policy-pack/rules/tls-proxy";
import { DESCRIPTIONS, type PolicyName } from "./support/expect";

const PORTS = { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [] };
const RESOURCE_CONFIGURATION_ARNS = {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [],
    description:
        "Resource configuration ARNs whose endpoints count as database endpoints; empty means every Resource endpoint.",
};

const POLICIES: Array<[ResourceValidationPolicy | StackValidationPolicy, PolicyName, unknown]> = [
    [rdsNoPublicAccess, "rds-no-public-access", undefined],
    [noWorldOpenDatabasePorts, "no-world-open-database-ports", { properties: { extraPorts: PORTS } }],
    [noWorldOpenListenerPorts, "no-world-open-listener-ports", undefined],
    [
        noOpenPrefixListsOnDatabasePorts,
        "no-open-prefix-lists-on-database-ports",
        {
            properties: {
                extraPorts: PORTS,
                trustedPrefixListIds: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    default: [],
                    description:
                        "Prefix list IDs created outside the stack that count as AWS-managed (for example an ID found with aws.ec2.getManagedPrefixList).",
                },
            },
        },
    ],
    [rdsProxyRequireTls, "rds-proxy-require-tls", undefined],
    [rdsParameterGroupRequired, "rds-parameter-group-required", undefined],
    [rdsParameterGroupForcesTls, "rds-parameter-group-forces-tls", undefined],
    [connectionStringsVerifyFull, "connection-strings-verify-full", undefined],
    [
        databaseEndpointPrivateDns,
        "database-endpoint-private-dns",
        {
            properties: {
                endpointServiceNames: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    default: [],
                    description:
                        "Endpoint service names that count as database endpoint services; empty means every customer-owned (vpce-svc-) service.",
                },
                resourceConfigurationArns: RESOURCE_CONFIGURATION_ARNS,
            },
        },
    ],
    [endpointServiceNoWildcardPrincipals, "endpoint-service-no-wildcard-principals", undefined],
    [
        noInternetFacingDatabaseListener,
        "no-internet-facing-database-listener",
        {
            properties: {
                extraPorts: PORTS,
                internalLoadBalancerArns: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    default: [],
                    description:
                        "ARNs of internal load balancers created outside the stack that listeners of the stack may belong to.",
                },
                internalTargetGroupArns: {
                    type: "array",
                    items: { type: "string", minLength: 1 },
                    default: [],
                    description:
                        "ARNs of target groups created outside the stack that only internal load balancers forward to.",
                },
            },
        },
    ],
    [
        databaseClientInstancesPrivate,
        "database-client-instances-private",
        { properties: { extraPorts: PORTS } },
    ],
    [ramShareNamedPrincipals, "ram-share-named-principals", undefined],
    [latticeResourcePolicyNoOpenGrant, "lattice-resource-policy-no-open-grant", undefined],
    [
        latticeDatabaseResourceConfiguration,
        "lattice-database-resource-configuration",
        { properties: { extraPorts: PORTS } },
    ],
    [
        resourceEndpointPrivateDnsDomains,
        "resource-endpoint-private-dns-domains",
        { properties: { resourceConfigurationArns: RESOURCE_CONFIGURATION_ARNS } },
    ],
    [resourceGatewayEgressPrivate, "resource-gateway-egress-private", undefined],
];

describe("policy rules in-process: what each policy declares", () => {
    for (const [policy, name, configSchema] of POLICIES) {
        it(`${name} is mandatory, with its description and config schema`, () => {
            assert.deepEqual(
                {
                    name: policy.name,
                    description: policy.description,
                    enforcementLevel: policy.enforcementLevel,
                    configSchema: policy.configSchema,
                },
                { name, description: DESCRIPTIONS[name], enforcementLevel: "mandatory", configSchema },
            );
        });
    }
});
