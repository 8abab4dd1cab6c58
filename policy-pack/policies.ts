// The pack's policies, in the order the analyzer runs and reports them. Kept apart from index.ts (which calls
// `new PolicyPack` and so starts the analyzer server) so tests can run the same list in-process.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { databaseClientInstancesPrivate } from "./rules/developer-access";
import { endpointServiceNoWildcardPrincipals } from "./rules/endpoint-services";
import { resourceGatewayEgressPrivate } from "./rules/lattice-gateway";
import {
    latticeDatabaseResourceConfiguration,
    resourceEndpointPrivateDnsDomains,
} from "./rules/lattice-resources";
import { latticeResourcePolicyNoOpenGrant, ramShareNamedPrincipals } from "./rules/lattice-sharing";
import { noInternetFacingDatabaseListener } from "./rules/load-balancers";
import { noOpenPrefixListsOnDatabasePorts } from "./rules/prefix-lists";
import { rdsNoPublicAccess } from "./rules/public-rds";
import { noWorldOpenDatabasePorts, noWorldOpenListenerPorts } from "./rules/security-groups";
import { connectionStringsVerifyFull } from "./rules/tls-connection-strings";
import { databaseEndpointPrivateDns } from "./rules/tls-endpoint-dns";
import { rdsParameterGroupForcesTls, rdsParameterGroupRequired } from "./rules/tls-parameter-groups";
import { rdsProxyRequireTls } from "./rules/tls-proxy";

/** Every policy of the pack, in reporting order. */
export const POLICIES: ReadonlyArray<ResourceValidationPolicy | StackValidationPolicy> = [
    rdsNoPublicAccess,
    noWorldOpenDatabasePorts,
    noWorldOpenListenerPorts,
    noOpenPrefixListsOnDatabasePorts,
    rdsProxyRequireTls,
    rdsParameterGroupRequired,
    rdsParameterGroupForcesTls,
    connectionStringsVerifyFull,
    databaseEndpointPrivateDns,
    endpointServiceNoWildcardPrincipals,
    noInternetFacingDatabaseListener,
    databaseClientInstancesPrivate,
    ramShareNamedPrincipals,
    latticeResourcePolicyNoOpenGrant,
    latticeDatabaseResourceConfiguration,
    resourceEndpointPrivateDnsDomains,
    resourceGatewayEgressPrivate,
];
